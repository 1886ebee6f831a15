#!/usr/bin/env bash
# startup-benchmark.sh: how fast the window appears, beside a minimal libadwaita app
#
# Usage: build-aux/startup-benchmark.sh [BUILD_DIR] [RUNS] [MERCHANTS]
#        (from anywhere; defaults: _build, 15, 5000; CALLGRIND=0 leaves
#        out the instruction counts)
#
# Builds dossier and tests/gui/startup-reference (a minimal AdwApplication
# whose window has Dossier's size, a header bar and a status page), then
# under one Xvfb server and one private D-Bus session runs them RUNS times
# each, alternating, with DOSSIER_EXIT_AFTER_FIRST_FRAME=1: each program
# ends right after its window's first frame (src/gui/dossier-startup.c),
# so the wall time from exec to exit is the time to the first frame.
# Prints the medians (wall, and CPU time of all threads), dossier /
# reference, and each one's peak RSS. On a busy machine the wall times
# scatter: compare the ratio over several runs of the script.
# Dossier runs with empty temporary XDG folders (no history, no saved
# queue, no merchants) and the embedded sandbox, as a first start does;
# then, alternating with those, with MERCHANTS merchants (written by
# `merchant-bench generate`): to its first frame, and to the first frame
# with the list filled (DOSSIER_EXIT_AFTER_FIRST_FRAME=merchants; the
# records are read on a worker and come after the first frame).
#
# Wall times scatter on a shared machine; instruction counts do not. With
# valgrind installed (and CALLGRIND unset or 1), each case also runs once
# under `valgrind --tool=callgrind`, which counts the instructions every
# thread executed up to the first frame (main thread apart): the ratio
# dossier / reference that repeats from run to run, loaded machine or not.
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${1:-_build}
RUNS=${2:-15}
MERCHANTS=${3:-5000}
CALLGRIND=${CALLGRIND:-1}

die () {
  echo "startup-benchmark: $*" >&2
  exit 1
}

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS is a positive number, got “$RUNS”"
[[ $MERCHANTS =~ ^[1-9][0-9]*$ ]] || die "MERCHANTS is a positive number, got “$MERCHANTS”"
if [ "$CALLGRIND" = 1 ] && ! command -v valgrind >/dev/null; then
  echo "startup-benchmark: no valgrind: instruction counts left out" >&2
  CALLGRIND=0
fi
command -v xvfb-run >/dev/null || die "needs xvfb-run (package xvfb)"
command -v dbus-run-session >/dev/null || die "needs dbus-run-session (package dbus-daemon)"

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" --buildtype=debugoptimized >/dev/null
fi
meson compile -C "$BUILD_DIR" src/gui/dossier startup-reference merchant-bench gschemas.compiled >/dev/null
DOSSIER=$BUILD_DIR/src/gui/dossier
REFERENCE=$BUILD_DIR/tests/gui/startup-reference
BENCH=$BUILD_DIR/tests/bench/merchant-bench
[ -x "$DOSSIER" ] && [ -x "$REFERENCE" ] && [ -x "$BENCH" ] || die "no $DOSSIER, $REFERENCE or $BENCH after building"

# as in gui-benchmark.sh: under Xvfb the GL renderer is Mesa's llvmpipe,
# whose shader compiles on the main thread dwarf everything else;
# GSK_RENDERER=gl measures that too
export GSK_RENDERER=${GSK_RENDERER:-cairo}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dossier-startup-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# the merchants' file each run with merchants starts from
mkdir -p "$WORK/store"
"$BENCH" generate "$WORK/store" "$MERCHANTS" >/dev/null
[ -s "$WORK/store/merchants.jsonl" ] || die "merchant-bench wrote no merchants"

# runs each case RUNS times, alternating; one "case ms peak_rss_kib cpu_ms"
# line per run; with "callgrind" instead, each case once under callgrind
# (one "case total_ir main_ir" line)
cat > "$WORK/run.py" <<'PY'
import glob, os, sys, time, shutil, tempfile
mode, runs, dossier, reference, work = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4], sys.argv[5]
store = os.path.join(work, "store", "merchants.jsonl")
cases = (("dossier", [dossier], None, "1"),
         ("reference", [reference], None, "1"),
         ("dossier-merchants", [dossier], store, "1"),
         ("dossier-merchants-list", [dossier], store, "merchants"))

def ir_of(path):
    # "summary: N" (or "totals: N") in each callgrind file: one per thread
    for line in open(path):
        if line.startswith(("summary:", "totals:")):
            return int(line.split()[1])
    return 0

for i in range(runs + 1):
    for name, argv, merchants, exit_after in cases:
        home = tempfile.mkdtemp(dir=work)
        env = dict(os.environ)
        for d in ("config", "data", "cache", "state"):
            os.makedirs(os.path.join(home, d))
            env["XDG_%s_HOME" % d.upper()] = os.path.join(home, d)
        if merchants is not None:
            os.makedirs(os.path.join(home, "data", "dossier"), mode=0o700)
            shutil.copy(merchants, os.path.join(home, "data", "dossier", "merchants.jsonl"))
        env["DOSSIER_EXIT_AFTER_FIRST_FRAME"] = exit_after
        if mode == "callgrind":
            out = os.path.join(home, "callgrind.out")
            argv = ["valgrind", "--tool=callgrind", "--separate-threads=yes",
                    "--callgrind-out-file=" + out, "--log-file=" + out + ".log"] + argv
        start = time.monotonic()
        pid = os.spawnvpe(os.P_NOWAIT, argv[0], argv, env)
        _, status, usage = os.wait4(pid, 0)
        ms = (time.monotonic() - start) * 1000
        if mode == "callgrind":
            files = sorted(glob.glob(out + "-*"))
            irs = [ir_of(f) for f in files]
        shutil.rmtree(home, ignore_errors=True)
        if status != 0:
            sys.exit("%s ended with status %d before its first frame" % (name, status))
        if mode == "callgrind":
            # thread 1 is the main thread
            print(name, sum(irs), irs[0] if irs else 0, flush=True)
        elif i > 0:  # the first round warms the page cache
            cpu = (usage.ru_utime + usage.ru_stime) * 1000
            print(name, "%.1f" % ms, usage.ru_maxrss, "%.1f" % cpu, flush=True)
    if mode == "callgrind":
        break
PY

env -u WAYLAND_DISPLAY -u DOSSIER_SANDBOX_URL \
  GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 \
  GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data" \
  GIO_USE_VFS=local GIO_USE_PROXY_RESOLVER=dummy \
  xvfb-run -a -s '-screen 0 1280x1024x24' \
  dbus-run-session -- python3 "$WORK/run.py" times "$RUNS" "$DOSSIER" "$REFERENCE" "$WORK" > "$WORK/runs.txt" 2> "$WORK/stderr.txt" ||
  { cat "$WORK/stderr.txt" >&2; die "a run failed"; }
if [ "$CALLGRIND" = 1 ]; then
  env -u WAYLAND_DISPLAY -u DOSSIER_SANDBOX_URL \
    GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data" \
    GIO_USE_VFS=local GIO_USE_PROXY_RESOLVER=dummy \
    xvfb-run -a -s '-screen 0 1280x1024x24' \
    dbus-run-session -- python3 "$WORK/run.py" callgrind 1 "$DOSSIER" "$REFERENCE" "$WORK" > "$WORK/callgrind.txt" 2> "$WORK/stderr.txt" ||
    { cat "$WORK/stderr.txt" >&2; die "a run under callgrind failed"; }
fi

median () { awk -v n="$1" -v c="${2:-2}" '$1 == n { print $c }' "$WORK/runs.txt" | sort -n |
            awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range () { awk -v n="$1" '$1 == n { print $2 }' "$WORK/runs.txt" | sort -n | awk 'NR == 1 { a = $1 } { b = $1 } END { print a "-" b }'; }
peak () { awk -v n="$1" '$1 == n && $3 > m { m = $3 } END { printf "%.1f", m / 1024 }' "$WORK/runs.txt"; }

ratio () { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
row () { printf '%-40s %10s %14s %12s %14s\n' "$1" "$(median "$2")" "$(range "$2")" "$(median "$2" 4)" "$(peak "$2")"; }

d=$(median dossier)
r=$(median reference)
dc=$(median dossier 4)
rc=$(median reference 4)
echo "$(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg); $RUNS runs each, alternating, under Xvfb, GSK_RENDERER=$GSK_RENDERER"
printf '%-40s %10s %14s %12s %14s\n' "" "median ms" "range ms" "CPU ms" "peak RSS MiB"
row "dossier (first frame)" dossier
row "minimal libadwaita app (reference)" reference
row "dossier, $MERCHANTS merchants (first frame)" dossier-merchants
row "dossier, $MERCHANTS merchants (list filled)" dossier-merchants-list
echo "dossier / reference: $(ratio "$d" "$r") wall (target: 1.05)," \
  "$(ratio "$dc" "$rc") CPU (median CPU time of the process, all threads)"
echo "with $MERCHANTS merchants / reference: $(ratio "$(median dossier-merchants)" "$r") wall," \
  "$(ratio "$(median dossier-merchants 4)" "$rc") CPU to the first frame;" \
  "$(ratio "$(median dossier-merchants-list)" "$r") wall," \
  "$(ratio "$(median dossier-merchants-list 4)" "$rc") CPU to the list filled"
if [ "$CALLGRIND" = 1 ]; then
  ir () { awk -v n="$1" -v c="${2:-2}" '$1 == n { print $c }' "$WORK/callgrind.txt"; }
  mir () { awk -v v="$1" 'BEGIN { printf "%.1f", v / 1e6 }'; }
  echo "instructions to the first frame (callgrind, one run each; all threads, main thread):"
  for c in dossier reference dossier-merchants dossier-merchants-list; do
    printf '  %-26s %10s M %10s M\n' "$c" "$(mir "$(ir $c)")" "$(mir "$(ir $c 3)")"
  done
  echo "dossier / reference: $(ratio "$(ir dossier)" "$(ir reference)") instructions, all threads;" \
    "$(ratio "$(ir dossier 3)" "$(ir reference 3)") main thread;" \
    "with $MERCHANTS merchants: $(ratio "$(ir dossier-merchants)" "$(ir reference)") to the first frame," \
    "$(ratio "$(ir dossier-merchants-list)" "$(ir reference)") to the list filled (all threads)"
fi
