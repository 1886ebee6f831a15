#!/usr/bin/env bash
# startup-benchmark.sh: how fast the window appears, beside a minimal libadwaita app
#
# Usage: build-aux/startup-benchmark.sh [BUILD_DIR] [RUNS]
#        (from anywhere; defaults: _build, 15)
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
# queue, no merchants) and the embedded sandbox, as a first start does.
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${1:-_build}
RUNS=${2:-15}

die () {
  echo "startup-benchmark: $*" >&2
  exit 1
}

[[ $RUNS =~ ^[1-9][0-9]*$ ]] || die "RUNS is a positive number, got “$RUNS”"
command -v xvfb-run >/dev/null || die "needs xvfb-run (package xvfb)"
command -v dbus-run-session >/dev/null || die "needs dbus-run-session (package dbus-daemon)"

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" --buildtype=debugoptimized >/dev/null
fi
meson compile -C "$BUILD_DIR" src/gui/dossier startup-reference gschemas.compiled >/dev/null
DOSSIER=$BUILD_DIR/src/gui/dossier
REFERENCE=$BUILD_DIR/tests/gui/startup-reference
[ -x "$DOSSIER" ] && [ -x "$REFERENCE" ] || die "no $DOSSIER or $REFERENCE after building"

# as in gui-benchmark.sh: under Xvfb the GL renderer is Mesa's llvmpipe,
# whose shader compiles on the main thread dwarf everything else;
# GSK_RENDERER=gl measures that too
export GSK_RENDERER=${GSK_RENDERER:-cairo}

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dossier-startup-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# runs both RUNS times, alternating; one "name ms peak_rss_kib" line per run
cat > "$WORK/run.py" <<'PY'
import os, sys, time, shutil, tempfile
runs, dossier, reference, work = int(sys.argv[1]), sys.argv[2], sys.argv[3], sys.argv[4]
for i in range(runs + 1):
    for name, argv in (("dossier", [dossier]), ("reference", [reference])):
        home = tempfile.mkdtemp(dir=work)
        env = dict(os.environ)
        for d in ("config", "data", "cache", "state"):
            os.makedirs(os.path.join(home, d))
            env["XDG_%s_HOME" % d.upper()] = os.path.join(home, d)
        env["DOSSIER_EXIT_AFTER_FIRST_FRAME"] = "1"
        start = time.monotonic()
        pid = os.spawnve(os.P_NOWAIT, argv[0], argv, env)
        _, status, usage = os.wait4(pid, 0)
        ms = (time.monotonic() - start) * 1000
        shutil.rmtree(home, ignore_errors=True)
        if status != 0:
            sys.exit("%s ended with status %d before its first frame" % (name, status))
        if i > 0:  # the first round warms the page cache
            cpu = (usage.ru_utime + usage.ru_stime) * 1000
            print(name, "%.1f" % ms, usage.ru_maxrss, "%.1f" % cpu, flush=True)
PY

env -u WAYLAND_DISPLAY -u DOSSIER_SANDBOX_URL \
  GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 \
  GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data" \
  GIO_USE_VFS=local GIO_USE_PROXY_RESOLVER=dummy \
  xvfb-run -a -s '-screen 0 1280x1024x24' \
  dbus-run-session -- python3 "$WORK/run.py" "$RUNS" "$DOSSIER" "$REFERENCE" "$WORK" > "$WORK/runs.txt" 2> "$WORK/stderr.txt" ||
  { cat "$WORK/stderr.txt" >&2; die "a run failed"; }

median () { awk -v n="$1" -v c="${2:-2}" '$1 == n { print $c }' "$WORK/runs.txt" | sort -n |
            awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
range () { awk -v n="$1" '$1 == n { print $2 }' "$WORK/runs.txt" | sort -n | awk 'NR == 1 { a = $1 } { b = $1 } END { print a "-" b }'; }
peak () { awk -v n="$1" '$1 == n && $3 > m { m = $3 } END { printf "%.1f", m / 1024 }' "$WORK/runs.txt"; }

d=$(median dossier)
r=$(median reference)
dc=$(median dossier 4)
rc=$(median reference 4)
echo "$(nproc) CPUs, load average $(cut -d' ' -f1 /proc/loadavg); $RUNS runs each, alternating, under Xvfb, GSK_RENDERER=$GSK_RENDERER"
printf '%-34s %10s %14s %12s %14s\n' "" "median ms" "range ms" "CPU ms" "peak RSS MiB"
printf '%-34s %10s %14s %12s %14s\n' "dossier (first frame)" "$d" "$(range dossier)" "$dc" "$(peak dossier)"
printf '%-34s %10s %14s %12s %14s\n' "minimal libadwaita app (reference)" "$r" "$(range reference)" "$rc" "$(peak reference)"
echo "dossier / reference: $(awk -v a="$d" -v b="$r" 'BEGIN { printf "%.2f", a / b }') wall (target: 1.05)," \
  "$(awk -v a="$dc" -v b="$rc" 'BEGIN { printf "%.2f", a / b }') CPU (median CPU time of the process, all threads)"
