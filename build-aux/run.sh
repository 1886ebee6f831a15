#!/usr/bin/env bash
# Builds Dossier and starts it on its embedded sandbox: nothing leaves this
# machine, no account is needed. Extra arguments go to the application.
set -euo pipefail
cd "$(dirname "$0")/.."

build-aux/build.sh
builddir=${BUILDDIR:-_build}

# Run uninstalled: settings schema from the build tree
export GSETTINGS_SCHEMA_DIR="$PWD/$builddir/data${GSETTINGS_SCHEMA_DIR:+:$GSETTINGS_SCHEMA_DIR}"

if [ -n "${DISPLAY:-}" ] || [ -n "${WAYLAND_DISPLAY:-}" ]; then
  exec "$builddir/src/gui/dossier" "$@"
fi

# No display (a server, a container): show the same engine at work through
# the command line instead, on the same embedded sandbox.
echo "No display found, so Dossier's window cannot open here." >&2
echo "Running a demo upload on the embedded sandbox with dossier-cli instead:" >&2
demo=$(mktemp -d)
trap 'rm -rf "$demo"' EXIT
# a 1x1 PNG, a valid "identity card" for DOKU
printf '\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06\0\0\0\x1f\x15\xc4\x89\0\0\0\rIDATx\x9cc\xf8\xcf\xc0\xf0\x1f\0\x05\0\x01\xff\x89\x99=\x1d\0\0\0\0IEND\xaeB`\x82' > "$demo/KTP Budi.png"
"$builddir/src/cli/dossier-cli" upload --provider doku --environment sandbox \
  --token doku-sandbox-token --field category=DOCUMENT --field code=KTP "$demo/KTP Budi.png"
