#!/bin/sh
# run-with-portal.sh: runs a test beside the real document portal
#
# Usage: run-with-portal.sh TEST [ARGS...]
#
# Starts a private D-Bus session (its own configuration: the only service it
# can start is the portal's permission store) with a throw-away HOME and
# XDG_RUNTIME_DIR, runs xdg-document-portal in it, waits until it owns
# org.freedesktop.portal.Documents and has mounted its FUSE folder at
# $XDG_RUNTIME_DIR/doc, then runs TEST (a TAP test) with
# DOSSIER_TEST_PORTAL=1. The wait for the name and the mount is bounded
# (DOSSIER_PORTAL_WAIT seconds, 30 by default: a guard against hanging, not a
# time limit the portal is held to) and ends in a failure naming what did not
# come up; the portal is stopped at the end (killed when it does not stop on
# SIGTERM), and neither it nor its permission store keeps this script's
# output open. The portal's programs come from Debian's
# xdg-desktop-portal: unpacked by build-aux/deps.sh into
# ~/.cache/dossier-test/xdg-desktop-portal (DOSSIER_PORTAL_DIR), or the
# installed package's. A missing portal program is a failure, not a
# skip. Only when this machine cannot mount a FUSE
# file system at all (no /dev/fuse, or the kernel or the container refuses
# the mount) does it report a skip, with the precise reason, as a TAP plan
# "1..0 # SKIP ...", which meson counts as skipped, not passed.
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

portal_dir=${DOSSIER_PORTAL_DIR:-$HOME/.cache/dossier-test/xdg-desktop-portal}
if [ ! -x "$portal_dir/xdg-document-portal" ] && [ -x /usr/libexec/xdg-document-portal ]; then
  portal_dir=/usr/libexec
fi
portal=$portal_dir/xdg-document-portal
store=$portal_dir/xdg-permission-store
wait_seconds=${DOSSIER_PORTAL_WAIT:-30}

fail () {
  echo "run-with-portal.sh: $*" >&2
  exit 1
}
skip () {
  echo "1..0 # SKIP no FUSE here, so no document portal: $*"
  exit 0
}

for tool in dbus-run-session gdbus; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not installed"
done
for program in "$portal" "$store"; do
  [ -x "$program" ] ||
    fail "$program is missing (from Debian's xdg-desktop-portal: build-aux/deps.sh --tests unpacks it, with the network)"
done
[ -e /dev/fuse ] || skip "/dev/fuse does not exist (no fuse module, or a container without the device)"
if [ "$(id -u)" -ne 0 ] && ! command -v fusermount3 >/dev/null 2>&1; then
  skip "not root and no fusermount3 (package fuse3) to mount as a user"
fi

scratch_name=dossier-portal
. "$(dirname "$0")/scratch-session.sh"
mkdir -m 700 "$scratch/services"

# the bus: nothing of the system's D-Bus services, only the permission
# store the document portal asks for (without the tests' G_DEBUG), its
# output in a log of its own: a store outliving the session must not hold
# the test's output open (meson would wait for it until its time limit)
cat >"$scratch/permission-store" <<EOF
#!/bin/sh
exec env -u G_DEBUG -u G_MESSAGES_DEBUG "$store" >>"$scratch/store.log" 2>&1 </dev/null
EOF
chmod 700 "$scratch/permission-store"
cat >"$scratch/services/org.freedesktop.impl.portal.PermissionStore.service" <<EOF
[D-BUS Service]
Name=org.freedesktop.impl.portal.PermissionStore
Exec=$scratch/permission-store
EOF
cat >"$scratch/bus.conf" <<EOF
<!DOCTYPE busconfig PUBLIC "-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN"
 "http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd">
<busconfig>
  <type>session</type>
  <listen>unix:dir=$scratch</listen>
  <auth>EXTERNAL</auth>
  <servicedir>$scratch/services</servicedir>
  <policy context="default">
    <allow send_destination="*" eavesdrop="true"/>
    <allow eavesdrop="true"/>
    <allow own="*"/>
  </policy>
</busconfig>
EOF

export DOSSIER_PORTAL_PROGRAM="$portal" DOSSIER_PORTAL_LOG="$scratch/portal.log"
export DOSSIER_PORTAL_WAIT_SECONDS="$wait_seconds"

# Inside the session: the portal (without the tests' G_DEBUG, whose
# fatal-warnings would kill it on its own warnings), then the test. Exit 2:
# the portal did not take its name in time, 3: it took it but did not mount
# its folder in time, 4: it exited before either (its words are in its log).
status=0
dbus-run-session --config-file="$scratch/bus.conf" -- sh -c '
  env -u G_DEBUG -u G_MESSAGES_DEBUG "$DOSSIER_PORTAL_PROGRAM" --replace \
    >"$DOSSIER_PORTAL_LOG" 2>&1 </dev/null &
  portal_pid=$!
  stop_portal () {
    kill "$portal_pid" 2>/dev/null || return 0
    # a few seconds to stop, then killed
    j=0
    while kill -0 "$portal_pid" 2>/dev/null && [ $j -lt 30 ]; do
      j=$((j + 1))
      sleep 0.1
    done
    if kill -KILL "$portal_pid" 2>/dev/null; then
      echo "run-with-portal.sh: xdg-document-portal did not stop within 3 s of SIGTERM, killed" >&2
    fi
    wait "$portal_pid" 2>/dev/null || true
  }
  has_name () {
    timeout 10 gdbus call --session --dest org.freedesktop.DBus \
      --object-path /org/freedesktop/DBus --method org.freedesktop.DBus.NameHasOwner \
      org.freedesktop.portal.Documents 2>/dev/null | grep -q true
  }
  is_mounted () {
    awk -v d="$XDG_RUNTIME_DIR/doc" "\$2 == d && \$3 ~ /fuse/ { found = 1 } END { exit !found }" /proc/mounts
  }
  # the name is owned once the FUSE folder is mounted (or, in some
  # versions, just before): both, or the portal gone, or the deadline
  deadline=$(( $(date +%s) + DOSSIER_PORTAL_WAIT_SECONDS ))
  name=0
  until [ $name = 1 ] && is_mounted; do
    if [ $name = 0 ] && has_name; then
      name=1
      continue
    fi
    if ! kill -0 "$portal_pid" 2>/dev/null; then
      wait "$portal_pid" 2>/dev/null || true
      exit 4
    fi
    if [ "$(date +%s)" -ge "$deadline" ]; then
      stop_portal
      exit $((name + 2))
    fi
    sleep 0.1
  done
  DOSSIER_TEST_PORTAL=1
  export DOSSIER_TEST_PORTAL
  "$@"
  status=$?
  # 2, 3 and 4 mean the portal failed
  case $status in 2|3|4) status=1 ;; esac
  stop_portal
  exit $status
' run-with-portal "$@" || status=$?

case $status in
  2|3|4)
    # a portal that gave up on FUSE: this machine cannot mount it (one still
    # running at the deadline is a failure, whatever it said)
    if [ "$status" = 4 ] && grep -qi 'fuse' "$DOSSIER_PORTAL_LOG"; then
      skip "xdg-document-portal could not mount its folder: $(tr '\n' ' ' <"$DOSSIER_PORTAL_LOG")"
    fi
    for log in "$DOSSIER_PORTAL_LOG" "$scratch/store.log"; do
      if [ -s "$log" ]; then
        echo "--- $(basename "$log"):" >&2
        cat "$log" >&2
      fi
    done
    case $status in
      2) fail "xdg-document-portal ($portal) did not take the name org.freedesktop.portal.Documents on the private bus within $wait_seconds s; it was still running, and was stopped" ;;
      3) fail "xdg-document-portal ($portal) took its name but did not mount its FUSE folder at \$XDG_RUNTIME_DIR/doc within $wait_seconds s; it was still running, and was stopped" ;;
      *) fail "xdg-document-portal ($portal) exited before it had taken its name and mounted its FUSE folder (its words above)" ;;
    esac
    ;;
esac
exit "$status"
