#!/usr/bin/env bash
# merchant-benchmark.sh: the merchant store with thousands of merchants
#
# Usage: build-aux/merchant-benchmark.sh [BUILD_DIR] [MERCHANTS] [HISTORY_ROWS]
#        (from the source root; defaults: _build, 5000, 100000; 0 rows skips
#        the history part)
#
# Builds tests/bench/merchant-bench (only built when asked), writes MERCHANTS
# records to a temporary merchants.jsonl (and the same records as one file
# each, for comparison), then prints, each the median of 5 rounds:
#   - DossierMerchantStore: load (wall and CPU time), first search (folds
#     every record's text), later searches, peak RSS;
#   - the reference in the same run: the same file read and each line parsed
#     by bare json-glib, keeping nothing (the floor), and the ratio;
#   - the way not taken: one file per merchant, read and parsed the same way;
#     and `cat` of those files alone;
#   - HISTORY_ROWS upload rows (JSON lines, the fields of an upload record)
#     read and parsed, counted per merchant: the floor of loading a history
#     of that size the same way;
#   - the same number of finished entries in the record's own format
#     (history.jsonl) loaded by DossierHistory itself (the model holds
#     every one; peak RSS printed), and the duplicate guard's
#     two searches over them: cold (no index beside the record: every line
#     parsed, the index written) and warm (through history.jsonl.index).
# The bar: load + first search under 100 ms for 5,000 merchants. Wall time
# counts waiting for a CPU on a busy machine, so CPU time is printed too.
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail

BUILD_DIR=${1:-_build}
MERCHANTS=${2:-5000}
HISTORY_ROWS=${3:-100000}
TARGET_MS=100

die () {
  echo "merchant-benchmark: $*" >&2
  exit 1
}

[[ $MERCHANTS =~ ^[1-9][0-9]*$ ]] || die "MERCHANTS is a positive number, got “$MERCHANTS”"
[[ $HISTORY_ROWS =~ ^[0-9]+$ ]] || die "HISTORY_ROWS is a number, got “$HISTORY_ROWS”"
[ -f meson.build ] && [ -d src/core ] || die "run me from the source root"

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" --buildtype=debugoptimized >/dev/null
fi
meson compile -C "$BUILD_DIR" merchant-bench >/dev/null
BENCH="$BUILD_DIR/tests/bench/merchant-bench"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dossier-merchant-bench-XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# key FILE NAME: the value of a "name value" line
key () { awk -v k="$2" '$1 == k { print $2 }' "$1"; }
ratio () { awk -v a="$1" -v b="$2" 'BEGIN { if (b > 0) printf "%.2f", a / b; else print "-" }'; }
sum () { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", a + b }'; }
mib () { awk -v k="$1" 'BEGIN { printf "%.1f", k / 1024 }'; }

"$BENCH" generate "$WORK/store" "$MERCHANTS" "$WORK/per-file" >/dev/null
"$BENCH" store "$WORK/store" > "$WORK/store.out"
"$BENCH" reference-lines "$WORK/store/merchants.jsonl" > "$WORK/lines.out"
"$BENCH" reference-files "$WORK/per-file" > "$WORK/files.out"

# the per-merchant files through find and cat (their start included):
# opening 5,000 files, nothing parsed
cat_start=$(date +%s%N)
find "$WORK/per-file" -name '*.json' -exec cat {} + > /dev/null
cat_ms=$(( ($(date +%s%N) - cat_start) / 1000000 ))

size=$(stat -c %s "$WORK/store/merchants.jsonl")
load=$(key "$WORK/store.out" load_ms)
load_cpu=$(key "$WORK/store.out" load_cpu_ms)
first=$(key "$WORK/store.out" first_search_ms)
total=$(sum "$load" "$first")
first_cpu=$(key "$WORK/store.out" first_search_cpu_ms)
total_cpu=$(sum "$load_cpu" "$first_cpu")

echo "Merchants: $(key "$WORK/store.out" merchants) in one file of $(( size / 1024 )) KiB ($(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg))"
echo
printf '%-44s %9s %9s %9s\n' "" "wall ms" "CPU ms" "peak RSS"
printf '%-44s %9s %9s %8s MiB\n' "DossierMerchantStore load" "$load" "$load_cpu" "$(mib "$(key "$WORK/store.out" peak_rss_kib)")"
printf '%-44s %9s %9s\n' "  first search (folds every record)" "$first" "$first_cpu"
printf '%-44s %9s\n' "  later searches (each)" "$(key "$WORK/store.out" search_ms)"
printf '%-44s %9s %9s %8s MiB\n' "reference: bare json-glib, same file" "$(key "$WORK/lines.out" load_ms)" \
  "$(key "$WORK/lines.out" load_cpu_ms)" "$(mib "$(key "$WORK/lines.out" peak_rss_kib)")"
printf '%-44s %9s %9s %8s MiB\n' "one file per merchant, bare json-glib" "$(key "$WORK/files.out" load_ms)" \
  "$(key "$WORK/files.out" load_cpu_ms)" "$(mib "$(key "$WORK/files.out" peak_rss_kib)")"
printf '%-44s %9s\n' "one file per merchant, find + cat, no parse" "$cat_ms"
echo
echo "store / reference (wall): $(ratio "$load" "$(key "$WORK/lines.out" load_ms)")," \
  "(CPU): $(ratio "$load_cpu" "$(key "$WORK/lines.out" load_cpu_ms)")"
echo "one file per merchant / one file (CPU, bare parse): $(ratio "$(key "$WORK/files.out" load_cpu_ms)" "$(key "$WORK/lines.out" load_cpu_ms)")"
echo "load + first search: $total ms wall, $total_cpu ms CPU (bar: $TARGET_MS ms)"
if awk -v t="$total_cpu" -v b="$TARGET_MS" 'BEGIN { exit !(t < b) }'; then
  echo "PASS (CPU time under the bar)"
else
  echo "FAIL (CPU time over the bar)"
fi

if [ "$HISTORY_ROWS" -gt 0 ]; then
  "$BENCH" history "$WORK/store" "$HISTORY_ROWS" "$MERCHANTS" > "$WORK/history.out"
  echo
  echo "Upload rows: $(key "$WORK/history.out" rows), $(( $(key "$WORK/history.out" bytes) / 1048576 )) MiB of JSON lines"
  printf '%-44s %9s %9s %8s MiB\n' "read + parse + count per merchant" "$(key "$WORK/history.out" load_ms)" \
    "$(key "$WORK/history.out" load_cpu_ms)" "$(mib "$(key "$WORK/history.out" peak_rss_kib)")"
  mkdir -p "$WORK/model"
  "$BENCH" history-model "$WORK/model" "$HISTORY_ROWS" "$MERCHANTS" > "$WORK/model.out"
  echo "History entries: $(key "$WORK/model.out" rows), $(( $(key "$WORK/model.out" bytes) / 1048576 )) MiB (history.jsonl)"
  printf '%-44s %9s %9s\n' "DossierHistory load, cold (no index)" "$(key "$WORK/model.out" cold_ms)" \
    "$(key "$WORK/model.out" cold_cpu_ms)"
  printf '%-44s %9s %9s %8s MiB\n' "DossierHistory load, warm (index)" "$(key "$WORK/model.out" load_ms)" \
    "$(key "$WORK/model.out" load_cpu_ms)" "$(mib "$(key "$WORK/model.out" peak_rss_kib)")"
  printf '%-44s %9s %9s\n' "  duplicate guard's two searches" "$(key "$WORK/model.out" search_ms)" \
    "$(key "$WORK/model.out" search_cpu_ms)"
  printf '%-44s %9s KiB\n' "  index size" "$(( $(key "$WORK/model.out" index_bytes) / 1024 ))"
  cold_total_cpu=$(sum "$(key "$WORK/model.out" cold_cpu_ms)" "$(key "$WORK/model.out" search_cpu_ms)")
  model_total_cpu=$(sum "$(key "$WORK/model.out" load_cpu_ms)" "$(key "$WORK/model.out" search_cpu_ms)")
  echo "history load + search, cold: $cold_total_cpu ms CPU ($(ratio "$cold_total_cpu" "$TARGET_MS")× the bar of $TARGET_MS ms)"
  echo "history load + search, warm: $model_total_cpu ms CPU ($(ratio "$model_total_cpu" "$TARGET_MS")× the bar of $TARGET_MS ms)"
  if awk -v t="$model_total_cpu" -v b="$TARGET_MS" 'BEGIN { exit !(t < b) }'; then
    echo "PASS (warm CPU time under the bar)"
  else
    echo "FAIL (warm CPU time over the bar)"
  fi
fi
