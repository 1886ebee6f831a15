#!/usr/bin/env bash
# Installs the Debian 12 packages Dossier needs to build, run and test,
# only those that are missing. Uses apt-get as root, or through sudo.
#
# Usage: build-aux/deps.sh [--tests] [--extra]
#   --tests   also what only the tests need beyond the packages: the
#             document portal's programs for the portal test (below);
#             build-aux/test.sh and sanitize.sh pass it
#   --extra   also the packages of the screenshot and benchmark scripts
set -euo pipefail

tests=0
extra=0
for arg in "$@"; do
  case "$arg" in
    --tests) tests=1 ;;
    --extra) extra=1 ;;
    *)
      echo "deps.sh: unknown argument: $arg (usage: deps.sh [--tests] [--extra])" >&2
      exit 2
      ;;
  esac
done

packages=(
  gcc pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-bin glib-networking
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libgnutls28-dev
  desktop-file-utils appstream
  hicolor-icon-theme adwaita-icon-theme librsvg2-common shared-mime-info fonts-cantarell
  xvfb xauth xfonts-base dbus dbus-x11 gnome-keyring
  curl time openssl
)
# fuse3 (fusermount3) for the document portal of the portal test, below
packages+=(fuse3)
# flatpak-builder only reads the manifest in the tests (--show-manifest); it is
# installed without its recommends, so no desktop portal joins the test sessions
norecommends=(flatpak-builder)
if [ "$extra" = 1 ]; then
  # for the screenshot script; nginx for build-aux/benchmark.sh's HTTP/2 case
  # (the script runs its own on loopback; Debian does not start the service
  # where policy-rc.d forbids it, stop it otherwise: systemctl disable --now nginx)
  packages+=(imagemagick)
  norecommends+=(nginx)
fi

installed() {
  dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}
missing=()
for p in "${packages[@]}"; do
  installed "$p" || missing+=("$p")
done
missing_norec=()
for p in "${norecommends[@]}"; do
  installed "$p" || missing_norec+=("$p")
done

# apt-get as root, or through sudo; "" when neither is possible
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
  can_apt=1
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
  can_apt=1
else
  sudo=()
  can_apt=0
fi
export DEBIAN_FRONTEND=noninteractive
updated=0

if [ "${#missing[@]}" -gt 0 ] || [ "${#missing_norec[@]}" -gt 0 ]; then
  echo "Installing missing Debian packages: ${missing[*]} ${missing_norec[*]}" >&2
  if [ "$can_apt" = 0 ]; then
    echo "error: ${missing[*]} ${missing_norec[*]} must be installed, and this needs root or sudo" >&2
    exit 1
  fi
  "${sudo[@]}" apt-get update -q >&2
  updated=1
  if [ "${#missing[@]}" -gt 0 ]; then
    "${sudo[@]}" apt-get install -y -q "${missing[@]}" >&2
  fi
  if [ "${#missing_norec[@]}" -gt 0 ]; then
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing_norec[@]}" >&2
  fi
fi

[ "$tests" = 1 ] || exit 0

# The portal test (tests/run-with-portal.sh) runs the real document portal,
# xdg-document-portal, and its permission store from Debian's
# xdg-desktop-portal, in a private D-Bus session. The package is not
# installed: its D-Bus services would then be started by libadwaita and GTK in
# every test session (the desktop portal dies there under the tests'
# G_DEBUG=fatal-warnings, the document portal mounts FUSE folders). Its two
# programs are unpacked from the package into a folder of ours instead
# (their libraries are installed above: GLib, json-glib, fuse3), once: later
# runs, offline ones too, find them there. Where they cannot be had (no
# network), the tests still run and the portal test fails saying what is
# missing.
portal_dir=${DOSSIER_PORTAL_DIR:-$HOME/.cache/dossier-test/xdg-desktop-portal}
has_portal () {
  [ -x "$1/xdg-document-portal" ] && [ -x "$1/xdg-permission-store" ]
}
if has_portal "$portal_dir" || has_portal /usr/libexec; then
  exit 0
fi
unpack_portal () {
  local tmp
  tmp=$(mktemp -d "${TMPDIR:-/tmp}/dossier-portal-deb.XXXXXX")
  if (cd "$tmp" && apt-get download -q xdg-desktop-portal >&2) &&
     dpkg-deb -x "$tmp"/xdg-desktop-portal_*.deb "$tmp/root"; then
    mkdir -p "$portal_dir"
    cp "$tmp/root/usr/libexec/xdg-document-portal" "$tmp/root/usr/libexec/xdg-permission-store" "$portal_dir/"
    dpkg-deb -f "$tmp"/xdg-desktop-portal_*.deb Version >"$portal_dir/VERSION"
    rm -rf "$tmp"
    return 0
  fi
  rm -rf "$tmp"
  return 1
}
echo "Unpacking xdg-document-portal from Debian's xdg-desktop-portal into $portal_dir" >&2
if unpack_portal; then
  exit 0
fi
# no package lists yet (a fresh machine): read them, then again
if [ "$updated" = 0 ] && [ "$can_apt" = 1 ] && "${sudo[@]}" apt-get update -q >&2 && unpack_portal; then
  exit 0
fi
echo "warning: could not download xdg-desktop-portal (no network or no root or sudo?);" \
  "the other tests run, the portal test will fail until its programs are in $portal_dir" >&2
exit 0
