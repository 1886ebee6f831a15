#!/usr/bin/env bash
# screenshots.sh: the README and metainfo screenshots, from the real window
#
# Usage: build-aux/screenshots.sh [BUILD_DIR]
#        (from anywhere; default build directory: _build)
#
# Builds the GUI test if needed, makes a few realistic documents (ID card and
# tax number scans as JPEG/PNG, a deed as PDF, which DOKU refuses), and runs
# the test's screenshot flow (/gui/screenshot-flow) under Xvfb against the
# in-process sandbox, once in the light and once in the dark style: Moov's
# first step with an account ID, DOKU's document details, the files with
# their previews, and the finished upload with one file the sandbox refuses.
# Writes data/screenshots/{provider,details,files,upload}-{light,dark}.png.
#
# Needs xvfb-run and ImageMagick (convert).
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=${1:-_build}
OUT=data/screenshots

die () {
  echo "screenshots: $*" >&2
  exit 1
}

command -v xvfb-run >/dev/null || die "needs xvfb-run (package xvfb)"
command -v convert >/dev/null || die "needs ImageMagick's convert"

# --- build ------------------------------------------------------------------
if [ ! -f "$BUILD_DIR/build.ninja" ]; then
  meson setup "$BUILD_DIR" >/dev/null
fi
meson compile -C "$BUILD_DIR" test-window gschemas.compiled >/dev/null
TEST=$BUILD_DIR/tests/gui/test-window
[ -x "$TEST" ] || die "no $TEST after building"

WORK=$(mktemp -d "${TMPDIR:-/tmp}/dossier-shots.XXXXXX")
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/files" "$WORK/xdg/config" "$WORK/xdg/data" "$WORK/xdg/cache" "$WORK/xdg/state"

# --- the documents ------------------------------------------------------------
# card (FILE, GRADIENT, TITLE, LINE): a scan-like picture, its title in the
# middle where the square preview shows it
card () {
  convert -size 640x400 "gradient:$2" \
    -fill 'rgba(255,255,255,0.18)' -draw 'roundrectangle 24,24 616,376 24,24' \
    -font DejaVu-Sans-Bold -pointsize 100 -fill white -gravity center \
    -annotate +0-24 "$3" \
    -font DejaVu-Sans -pointsize 30 -annotate +0+64 "$4" \
    -quality 85 -strip "$WORK/files/$1"
}
card "KTP Budi Santoso.jpg" '#1c71d8-#62a0ea' "KTP" "Budi Santoso"
card "NPWP PT Maju Jaya.png" '#c64600-#ffa348' "NPWP" "PT Maju Jaya"
card "NIB PT Maju Jaya.jpg" '#26a269-#57e389' "NIB" "9120001234567"
# a deed as a PDF: DOKU takes images only, so this one is refused on the spot
printf '%s\n' '%PDF-1.4' '1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj' \
  '2 0 obj << /Type /Pages /Kids [] /Count 0 >> endobj' \
  'trailer << /Root 1 0 R >>' '%%EOF' >"$WORK/files/Akta Pendirian.pdf"

# --- the window, light and dark -----------------------------------------------
mkdir -p "$OUT"
for scheme in light dark; do
  mkdir -p "$WORK/$scheme"
  env -u WAYLAND_DISPLAY -u DOSSIER_SANDBOX_URL \
    GDK_BACKEND=x11 GTK_A11Y=none NO_AT_BRIDGE=1 \
    GSETTINGS_BACKEND=memory GSETTINGS_SCHEMA_DIR="$BUILD_DIR/data" \
    GIO_USE_VFS=local GIO_USE_PROXY_RESOLVER=dummy \
    XDG_CONFIG_HOME="$WORK/xdg/config" XDG_DATA_HOME="$WORK/xdg/data" \
    XDG_CACHE_HOME="$WORK/xdg/cache" XDG_STATE_HOME="$WORK/xdg/state" \
    DOSSIER_COLOR_SCHEME=$scheme \
    DOSSIER_SCREENSHOT_FLOW="$WORK/files" DOSSIER_SCREENSHOT_DIR="$WORK/$scheme" \
    xvfb-run -a -s '-screen 0 1280x1024x24' \
    "$TEST" -p /gui/screenshot-flow >"$WORK/$scheme.log" 2>&1 ||
    { cat "$WORK/$scheme.log" >&2; die "the screenshot flow failed ($scheme)"; }

  for step in provider details files upload; do
    [ -f "$WORK/$scheme/$step.png" ] || die "no $step.png ($scheme)"
    # no metadata, 8 bits per channel: small and the same on every run
    convert "$WORK/$scheme/$step.png" -strip -depth 8 \
      -define png:exclude-chunks=date,time "$OUT/$step-$scheme.png"
  done
done

ls -l "$OUT"/*.png
