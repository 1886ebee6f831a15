#!/bin/sh
# build-aux/fuzz.sh [SECONDS] [TARGET...]
#
# Builds the libFuzzer targets of tests/fuzz with clang (-Dfuzzing=true,
# AddressSanitizer and UndefinedBehaviorSanitizer) in a build folder of its
# own, then runs each target for SECONDS (default 600) on a copy of its seed
# corpus and prints what it did: executions, executions per second, coverage
# and whether it found a crash. TARGET: descriptor, answer,
# sandbox-multipart, multipart-header (default: all, one after the other).
#
# Environment: FUZZ_BUILDDIR (default _build-fuzz), FUZZ_WORKDIR (the
# growing corpora and crash files; default $FUZZ_BUILDDIR/fuzz-work).

set -eu

seconds=${1:-600}
[ $# -gt 0 ] && shift
targets=${*:-descriptor answer sandbox-multipart multipart-header}

srcdir=$(cd "$(dirname "$0")/.." && pwd)
builddir=${FUZZ_BUILDDIR:-$srcdir/_build-fuzz}
workdir=${FUZZ_WORKDIR:-$builddir/fuzz-work}

# What the build needs: clang and its libFuzzer runtime
fuzzer_links () {
  printf 'int LLVMFuzzerTestOneInput (const unsigned char *d, unsigned long s) { return 0; }\n' |
    clang -x c -fsanitize=fuzzer,address,undefined -o /dev/null - >/dev/null 2>&1
}
missing=""
command -v clang >/dev/null 2>&1 || missing="clang"
if [ -z "$missing" ] && ! fuzzer_links; then
  missing="libclang-rt-$(clang -dumpversion | cut -d. -f1)-dev"
fi
if [ -n "$missing" ]; then
  echo "fuzz: installing $missing"
  sudo=""
  [ "$(id -u)" -ne 0 ] && sudo=sudo
  $sudo apt-get install -y $missing
  fuzzer_links || { echo "fuzz: clang cannot link libFuzzer programs" >&2; exit 1; }
fi

if [ ! -f "$builddir/build.ninja" ]; then
  CC=clang meson setup "$builddir" "$srcdir" \
    --buildtype=debugoptimized \
    -Dfuzzing=true -Dgui=disabled \
    -Db_sanitize=address,undefined -Db_lundef=false
fi
for target in $targets; do
  meson compile -C "$builddir" "fuzz-$target"
done

export ASAN_OPTIONS="${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}"
export UBSAN_OPTIONS="${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}"
export G_DEBUG=fatal-criticals
export GIO_USE_VFS=local
export GSETTINGS_BACKEND=memory

status=0
summary=""
for target in $targets; do
  corpus="$workdir/$target/corpus"
  artifacts="$workdir/$target/crashes"
  log="$workdir/$target/fuzz.log"
  mkdir -p "$corpus" "$artifacts"
  cp -n "$srcdir/tests/fuzz/corpus/$target/"* "$corpus/" 2>/dev/null || true

  echo "fuzz: $target for ${seconds}s (log: $log)"
  set +e
  "$builddir/tests/fuzz/fuzz-$target" \
    -max_total_time="$seconds" -print_final_stats=1 -timeout=20 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" "$corpus" >"$log" 2>&1
  rc=$?
  set -e

  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  speed=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -n 1)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  ft=$(grep -o 'ft: [0-9]*' "$log" | tail -n 1 | cut -d' ' -f2)
  units=$(ls "$corpus" | wc -l)
  if [ "$rc" -eq 0 ]; then
    result="no crash"
  else
    result="CRASH (exit $rc; inputs in $artifacts)"
    status=1
  fi
  line="fuzz: $target: ${execs:-?} executions in ${seconds}s, ${speed:-?} exec/s, cov ${cov:-?}, ft ${ft:-?}, corpus $units, $result"
  echo "$line"
  summary="$summary$line
"
done

printf '\n%s' "$summary"
exit $status
