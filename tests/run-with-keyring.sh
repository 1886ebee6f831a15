#!/bin/sh
# Runs a test inside a private D-Bus session with its own gnome-keyring, in a
# throw-away HOME, so the Secret Service the test talks to is real but holds
# nothing of the user's. Usage: run-with-keyring.sh TEST [ARGS...]
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -eu

for tool in dbus-run-session gnome-keyring-daemon; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "run-with-keyring.sh: $tool is not installed" >&2
    exit 1
  fi
done

# a throw-away HOME and XDG_RUNTIME_DIR, removed on exit (a document
# portal's FUSE folder, should something start one despite
# GDK_DEBUG=no-portals, is unmounted first)
scratch_name=dossier-keyring
. "$(dirname "$0")/scratch-session.sh"
unset GNOME_KEYRING_CONTROL SECRET_BACKEND

# The daemon unlocks (creating) the login keyring with a throw-away password
# and serves org.freedesktop.secrets on the private bus; the test checks that
# the name has an owner and fails if not. The daemon must not inherit the
# tests' G_DEBUG=fatal-warnings: one of its own warnings would kill it.
status=0
dbus-run-session -- sh -c '
  printf "%s" "dossier-test" |
    env -u G_DEBUG -u G_MESSAGES_DEBUG gnome-keyring-daemon --unlock --components=secrets >/dev/null ||
    { echo "run-with-keyring.sh: gnome-keyring-daemon did not start" >&2; exit 1; }
  DOSSIER_TEST_KEYRING=1
  export DOSSIER_TEST_KEYRING
  exec "$@"
' run-with-keyring "$@" || status=$?
exit "$status"
