# scratch-session.sh: a throw-away HOME and XDG_RUNTIME_DIR for a test's own
# D-Bus session, sourced by tests/run-with-keyring.sh and
# tests/run-with-portal.sh after they set scratch_name (the folder's prefix)
#
# Makes $scratch with home/ and runtime/ (mode 700), points HOME, the XDG
# folders and XDG_RUNTIME_DIR into it, forgets the caller's session bus, and
# removes it all on exit. Removing the folder never decides the result:
# whatever is still mounted under it (a document portal's FUSE folder at
# runtime/doc) is unmounted first, lazily, and any error of the cleanup is
# ignored; the test's own status is kept.
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later

scratch=$(mktemp -d "${TMPDIR:-/tmp}/$scratch_name.XXXXXX")

cleanup () {
  mounts=$(awk -v top="$scratch/" 'index ($2, top) == 1 { print $2 }' /proc/mounts 2>/dev/null | sort -r) || true
  for mount in $mounts; do
    fusermount3 -u -z "$mount" 2>/dev/null ||
      fusermount -u -z "$mount" 2>/dev/null ||
      umount -l "$mount" 2>/dev/null || true
  done
  rm -rf "$scratch" 2>/dev/null || true
}
trap 'cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
mkdir -m 700 "$scratch/home" "$scratch/runtime"

HOME="$scratch/home"
XDG_RUNTIME_DIR="$scratch/runtime"
XDG_DATA_HOME="$scratch/home/.local/share"
XDG_CONFIG_HOME="$scratch/home/.config"
XDG_CACHE_HOME="$scratch/home/.cache"
export HOME XDG_RUNTIME_DIR XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME
unset DBUS_SESSION_BUS_ADDRESS
