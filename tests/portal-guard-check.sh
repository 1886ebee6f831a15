#!/bin/sh
# portal-guard-check.sh: tests/run-with-portal.sh never hangs on a document
# portal that does not come up, and says what did not
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: portal-guard-check.sh RUN_WITH_PORTAL
#
# Runs RUN_WITH_PORTAL with stand-ins for the portal's two programs
# (DOSSIER_PORTAL_DIR) and a wait of 2 s (DOSSIER_PORTAL_WAIT):
# - a portal that asks for its permission store, never takes its name and
#   ignores SIGTERM, with a store that also ignores SIGTERM and never exits:
#   the script must end (the store must not hold its output open, the
#   portal is killed), fail, and name org.freedesktop.portal.Documents;
# - a portal that exits at once with an error: the script fails, saying the
#   portal exited, with the portal's words.
# The outcome does not depend on the machine's speed: these portals never
# come up. The 60 s of timeout(1) only stop a hang this check looks for.

set -eu

run_with_portal=$1

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dossier-portal-guard.XXXXXX")
cleanup () {
  for pidfile in "$scratch"/*.pid; do
    [ -f "$pidfile" ] && kill -KILL "$(cat "$pidfile")" 2>/dev/null || true
  done
  rm -rf "$scratch"
}
trap 'cleanup' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

failures=0
fail () {
  echo "not ok: $*"
  failures=$((failures + 1))
}

mkdir "$scratch/stuck" "$scratch/broken"
cat >"$scratch/stuck/xdg-document-portal" <<EOF
#!/bin/sh
echo \$\$ >"$scratch/portal.pid"
trap '' TERM
gdbus call --session --timeout 5 --dest org.freedesktop.impl.portal.PermissionStore \\
  --object-path /org/freedesktop/impl/portal/PermissionStore \\
  --method org.freedesktop.DBus.Peer.Ping >/dev/null 2>&1 &
while :; do sleep 1; done
EOF
cat >"$scratch/stuck/xdg-permission-store" <<EOF
#!/bin/sh
echo \$\$ >"$scratch/store.pid"
trap '' TERM HUP
echo "store: up" >&2
exec sleep 600
EOF
cat >"$scratch/broken/xdg-document-portal" <<EOF
#!/bin/sh
echo "portal: cannot start, something is broken" >&2
exit 1
EOF
cp "$scratch/stuck/xdg-permission-store" "$scratch/broken/"
chmod 755 "$scratch"/stuck/* "$scratch"/broken/*

# RUN_WITH_PORTAL with the stand-ins of $1, read through a pipe as meson
# reads a test (until no process holds its end open); its output in
# $scratch/out, its status in $status; "hung" when it ran or the pipe stayed
# open 60 s
run () {
  rm -f "$scratch/status"
  reader=0
  ( DOSSIER_PORTAL_DIR="$scratch/$1" DOSSIER_PORTAL_WAIT=2 \
      timeout -k 5 60 "$run_with_portal" true 2>&1
    echo $? >"$scratch/status" ) | timeout 60 cat >"$scratch/out" || reader=$?
  if [ "$reader" != 0 ] || [ ! -f "$scratch/status" ] ||
     [ "$(cat "$scratch/status")" = 124 ]; then
    status=hung
  else
    status=$(cat "$scratch/status")
  fi
}

run stuck
if [ "$status" = hung ]; then
  fail "run-with-portal.sh, or a process it left, held its output open 60 s on a portal that never took its name"
elif [ "$status" != 1 ]; then
  fail "run-with-portal.sh exited with $status, not 1, on a portal that never took its name"
fi
if ! grep -q 'did not take the name org.freedesktop.portal.Documents' "$scratch/out"; then
  fail "run-with-portal.sh did not say that the portal did not take its name"
fi
if [ ! -f "$scratch/store.pid" ]; then
  fail "the stand-in portal did not start its permission store (no D-Bus activation?)"
fi
if [ -f "$scratch/portal.pid" ] && kill -0 "$(cat "$scratch/portal.pid")" 2>/dev/null; then
  fail "the portal that ignores SIGTERM was left running"
fi
if [ "$failures" -gt 0 ]; then
  cat "$scratch/out"
fi

run broken
if [ "$status" != 1 ]; then
  fail "run-with-portal.sh exited with $status, not 1, on a portal that exited at once"
fi
if ! grep -q 'exited before it had taken its name' "$scratch/out" ||
   ! grep -q 'portal: cannot start, something is broken' "$scratch/out"; then
  cat "$scratch/out"
  fail "run-with-portal.sh did not say that the portal exited, with its words"
fi

if [ "$failures" -gt 0 ]; then
  exit 1
fi
echo "ok: run-with-portal.sh ends and names what did not come up"
