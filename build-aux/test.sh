#!/usr/bin/env bash
# Builds Dossier and runs every test (unit, sandbox, CLI, keyring, GUI under Xvfb).
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/build.sh --tests
builddir=${BUILDDIR:-_build}

status=0
meson test -C "$builddir" --print-errorlogs --num-processes 2 || status=$?

# One closing line counting the individual test cases (TAP) of every program
log="$builddir/meson-logs/testlog.txt"
passed=$(grep -cE '^ok [0-9]+' "$log" || true)
failed=$(grep -cE '^not ok [0-9]+' "$log" || true)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "Tests: $passed passed, $failed failed"
exit "$status"
