#!/bin/sh
# install-check.sh: installs the build into a throw-away DESTDIR and checks
# that the tree is complete and that the programs start from it
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later
#
# Usage: install-check.sh BUILDDIR SRCDIR APP_ID PREFIX BINDIR DATADIR LOCALEDIR VERSION
# (BINDIR, DATADIR and LOCALEDIR as meson's options: relative to PREFIX)

set -eu

builddir=$1 srcdir=$2 app_id=$3 prefix=$4 bindir=$5 datadir=$6 localedir=$7 version=$8

scratch=$(mktemp -d "${TMPDIR:-/tmp}/dossier-install.XXXXXX")
trap 'rm -rf "$scratch"' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

failures=0
fail () {
  echo "not ok: $*"
  failures=$((failures + 1))
}

# DESTDIR, never the real prefix: the build in use stays as it is. meson
# leaves gnome.post_install's steps to whoever installs into a DESTDIR (a
# package's triggers), so the schema is compiled below, as they would.
if ! meson install -C "$builddir" --destdir "$scratch" --quiet >"$scratch.log" 2>&1; then
  cat "$scratch.log"
  rm -f "$scratch.log"
  echo "not ok: meson install --destdir failed"
  exit 1
fi
rm -f "$scratch.log"

root=$scratch$prefix
bin=$root/$bindir
share=$root/$datadir
locale=$root/$localedir

must_exist () {
  if [ -f "$1" ]; then
    echo "ok: ${1#"$scratch"}"
  else
    fail "${1#"$scratch"} is not installed"
  fi
}

for program in dossier dossier-cli dossier-sandbox; do
  must_exist "$bin/$program"
done
must_exist "$share/applications/$app_id.desktop"
metainfo=$share/metainfo/$app_id.metainfo.xml
must_exist "$metainfo"
for element in '<screenshots>' '<screenshot type="default">' '<releases>' "<release version=\"$version\""; do
  if grep -qF "$element" "$metainfo" 2>/dev/null; then
    echo "ok: metainfo has $element"
  else
    fail "the metainfo has no $element"
  fi
done
must_exist "$share/icons/hicolor/scalable/apps/$app_id.svg"
must_exist "$share/icons/hicolor/symbolic/apps/$app_id-symbolic.svg"
schemas=$share/glib-2.0/schemas
must_exist "$schemas/$app_id.gschema.xml"

# every language of po/LINGUAS, as a catalogue that msgunfmt can read back
for lang in $(sed -e 's/#.*//' "$srcdir/po/LINGUAS"); do
  mo=$locale/$lang/LC_MESSAGES/dossier.mo
  must_exist "$mo"
  if [ -f "$mo" ] && command -v msgunfmt >/dev/null 2>&1; then
    if msgunfmt "$mo" 2>/dev/null | grep -q '^msgstr "[^"]'; then
      echo "ok: $lang catalogue has translations"
    else
      fail "${mo#"$scratch"} holds no translation"
    fi
  fi
done

# nothing installed may point back into the build tree
for program in dossier dossier-cli dossier-sandbox; do
  if [ -f "$bin/$program" ] && command -v readelf >/dev/null 2>&1 &&
     readelf -d "$bin/$program" | grep -E 'R(UN)?PATH' | grep -qF "$(cd "$builddir" && pwd)"; then
    fail "$program keeps an RPATH into the build tree"
  fi
done

if glib-compile-schemas --strict "$schemas"; then
  must_exist "$schemas/gschemas.compiled"
else
  fail "the installed schema does not compile"
fi

# The programs, with only the installed tree's data: no build tree schema,
# no system data dirs, a display nowhere
run () {
  env -u GSETTINGS_SCHEMA_DIR -u DISPLAY -u WAYLAND_DISPLAY -u G_TEST_SRCDIR -u G_TEST_BUILDDIR \
    GSETTINGS_SCHEMA_DIR="$schemas" XDG_DATA_DIRS="$share" GSETTINGS_BACKEND=memory \
    HOME="$scratch" XDG_CONFIG_HOME="$scratch/config" XDG_DATA_HOME="$scratch/data" \
    XDG_CACHE_HOME="$scratch/cache" XDG_STATE_HOME="$scratch/state" \
    "$@" </dev/null 2>&1
}

expect () {
  what=$1 pattern=$2
  shift 2
  if out=$(run "$@"); then
    if printf '%s\n' "$out" | grep -qE "$pattern"; then
      echo "ok: $what"
    else
      fail "$what: no '$pattern' in: $out"
    fi
  else
    fail "$what: exit $?: $out"
  fi
}

expect "dossier-cli --version" "$version" "$bin/dossier-cli" --version
expect "dossier-cli providers" "moov" "$bin/dossier-cli" providers
expect "dossier --help" "Usage" "$bin/dossier" --help
expect "dossier-sandbox --help" "fault" "$bin/dossier-sandbox" --help
expect "the installed schema, read by gsettings" "max-concurrent" gsettings list-keys "$app_id"

if [ "$failures" -ne 0 ]; then
  echo "$failures problem(s) in the installed tree"
  exit 1
fi
echo "ok: the installed tree is complete and starts"
