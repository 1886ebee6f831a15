#!/usr/bin/env bash
# Installs what the build needs (Debian packages) and builds Dossier in
# ${BUILDDIR:-_build}: the first step of both run.sh and test.sh. Its
# arguments go to deps.sh (test.sh passes --tests).
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/deps.sh "$@"
builddir=${BUILDDIR:-_build}

if [ ! -f "$builddir/build.ninja" ]; then
  meson setup "$builddir" --buildtype=debugoptimized
fi
meson compile -C "$builddir"
