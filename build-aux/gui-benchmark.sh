#!/usr/bin/env bash
# gui-benchmark.sh: does the window freeze? Main-loop stalls under load.
#
# Usage: build-aux/gui-benchmark.sh [BUILD_DIR]
#        (from anywhere; default build directory: _build)
#
# Builds tests/gui/bench-stalls (not built by default) and runs it under
# Xvfb: the real window on an in-process sandbox, a high-priority timeout
# ticking every 5 ms. For each scenario (1000 small files dropped at once
# until all are checked; 8 files of 20 MB sent 8 at once; one 1 GiB file
# sent) it prints the duration, the longest and the 99th-percentile gap
# between ticks, how many gaps exceeded 50 ms, and the longest frame
# (before-paint to after-paint). Uploads go to the sandbox's /generic/upload
# route, described as a provider of its own in a temporary XDG_CONFIG_HOME.
# BENCH_LARGE_MIB=N replaces the 1 GiB file with an N MiB one;
# BENCH_ONLY_DROP=1 runs the first scenario alone; BENCH_WRAPPER runs the
# program under a profiler, e.g. BENCH_WRAPPER='perf record -g -o perf.data'
# or BENCH_WRAPPER='valgrind --tool=callgrind --toggle-collect=...'.
#
# GTK draws with GSK_RENDERER=cairo here unless GSK_RENDERER is set: under
# Xvfb the GL renderer is Mesa's llvmpipe, software GL whose shaders compile
# and run on the main thread, and its first frames after a change take up
# to ~400 ms on their own (a GPU has no such cost); cairo's frames measure
# what the application asks to draw. GSK_RENDERER=gl shows the other.
#
# Needs xvfb-run and about 2.3 GB free in TMPDIR (the files and the
# sandbox's stored copies).
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${1:-_build}

die () {
  echo "gui-benchmark: $*" >&2
  exit 1
}

command -v xvfb-run >/dev/null || die "needs xvfb-run (package xvfb)"

if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" --buildtype=debugoptimized >/dev/null
fi
meson compile -C "$BUILD_DIR" bench-stalls gschemas.compiled src/sandbox/dossier-sandbox >/dev/null
BENCH=$BUILD_DIR/tests/gui/bench-stalls
[ -x "$BENCH" ] || die "no $BENCH after building"
# the server: a process of its own at nice 10 (a provider's server does not
# share the window's CPU), or with BENCH_SERVER=thread a thread of the
# measured process, as before 2026-12-06 (it then takes most of the CPU
# while files are sent: it stores and hashes every byte)
if [ "${BENCH_SERVER:-process}" = process ]; then
  export BENCH_SANDBOX=$(realpath "$BUILD_DIR/src/sandbox/dossier-sandbox")
  [ -x "$BENCH_SANDBOX" ] || die "no dossier-sandbox after building"
fi

free_kib=$(df -Pk "${TMPDIR:-/tmp}" | awk 'NR == 2 { print $4 }')
(( free_kib >= 2400 * 1024 )) || die "${TMPDIR:-/tmp} has $(( free_kib / 1024 )) MiB free, 2400 MiB needed"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dossier-gui-bench.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/config" "$WORK/data" "$WORK/cache" "$WORK/state"

echo "machine: $(uname -m), $(nproc) CPUs; build: $(meson introspect --buildoptions "$BUILD_DIR" 2>/dev/null |
  python3 -c 'import json, sys; print(next(o["value"] for o in json.load(sys.stdin) if o["name"] == "buildtype"))' 2>/dev/null || echo unknown)"
export GSK_RENDERER=${GSK_RENDERER:-cairo}
echo "window 900x760 under Xvfb, GSK_RENDERER=$GSK_RENDERER; server: ${BENCH_SERVER:-process}; a gap is the time between two ticks of a 5 ms high-priority timeout"
echo

env -u WAYLAND_DISPLAY -u DOSSIER_SANDBOX_URL \
  GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 \
  GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data" \
  GIO_USE_VFS=local GIO_USE_PROXY_RESOLVER=dummy \
  XDG_CONFIG_HOME="$WORK/config" XDG_DATA_HOME="$WORK/data" \
  XDG_CACHE_HOME="$WORK/cache" XDG_STATE_HOME="$WORK/state" \
  TMPDIR="$WORK" \
  xvfb-run -a -s '-screen 0 1280x1024x24' ${BENCH_WRAPPER:-} "$BENCH"
