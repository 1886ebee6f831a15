#!/usr/bin/env bash
# build-aux/sanitize.sh: the whole test suite under AddressSanitizer and
# UndefinedBehaviorSanitizer (gcc), in a build folder of its own.
#
# Any invalid memory access, undefined behaviour or leak fails the test it
# happens in. Leaks inside the libraries below Dossier that are not ours to
# fix are listed, with why, in tests/sanitize/lsan.supp. Slower than
# build-aux/test.sh (several minutes), so not part of .ci/run.
#
# Environment: SANITIZE_BUILDDIR (default _build-sanitize); arguments are
# passed to meson test (e.g. a test name).
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/deps.sh --tests
builddir=${SANITIZE_BUILDDIR:-_build-sanitize}

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" --buildtype=debugoptimized -Db_sanitize=address,undefined
fi
meson compile -C "$builddir"

supp="$PWD/tests/sanitize/lsan.supp"
# abort_on_error: a finding fails the test even where the code below
# catches exit codes; halt_on_error: UBSan stops at its first finding;
# fast_unwind_on_malloc=0: the system libraries have no frame pointers, and
# without full stacks neither reports nor suppressions can name the caller
export ASAN_OPTIONS="abort_on_error=1:detect_leaks=1:detect_stack_use_after_return=1:strict_string_checks=1:fast_unwind_on_malloc=0:malloc_context_size=30"
export LSAN_OPTIONS="suppressions=$supp:print_suppressions=0"
export UBSAN_OPTIONS="halt_on_error=1:abort_on_error=1:print_stacktrace=1"
# GLib's slice allocator hides blocks from ASan
export G_SLICE=always-malloc

status=0
meson test -C "$builddir" --print-errorlogs --num-processes 2 --timeout-multiplier 4 \
  --no-suite gui "$@" || status=$?
# The GUI test: memory errors and undefined behaviour, not leaks (GTK,
# fontconfig and Mesa keep plenty for the life of the process), and with
# ASan's fast unwinder, or every allocation of GTK costs a full unwind.
# /gui/many-files is a speed check (the longest main-loop stall while 1000
# files are checked): instrumented code is 2-3 times slower, so it is left
# to build-aux/test.sh.
ASAN_OPTIONS="abort_on_error=1:detect_leaks=0:detect_stack_use_after_return=1" \
  meson test -C "$builddir" --print-errorlogs --timeout-multiplier 4 \
  --suite gui --test-args '-s /gui/many-files' "$@" --logbase testlog-gui || status=$?

logs=("$builddir/meson-logs/testlog.txt" "$builddir/meson-logs/testlog-gui.txt")
passed=$(cat "${logs[@]}" 2>/dev/null | grep -cE '^ok [0-9]+' || true)
failed=$(cat "${logs[@]}" 2>/dev/null | grep -cE '^not ok [0-9]+' || true)
findings=$(cat "${logs[@]}" 2>/dev/null | grep -cE 'ERROR: (AddressSanitizer|LeakSanitizer)|runtime error:' || true)
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1
fi
echo "Sanitized tests: $passed passed, $failed failed, $findings sanitizer findings"
exit "$status"
