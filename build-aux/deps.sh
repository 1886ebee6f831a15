#!/usr/bin/env bash
# Installs the Debian 12 packages Dossier needs to build, run and test,
# only those that are missing. Uses apt-get as root, or through sudo.
set -euo pipefail

packages=(
  gcc pkg-config meson ninja-build gettext
  libglib2.0-dev libglib2.0-bin glib-networking
  libgtk-4-dev libadwaita-1-dev libsoup-3.0-dev libjson-glib-dev libsecret-1-dev libgnutls28-dev
  desktop-file-utils appstream
  hicolor-icon-theme adwaita-icon-theme librsvg2-common shared-mime-info fonts-cantarell
  xvfb xauth xfonts-base dbus dbus-x11 gnome-keyring
  curl time openssl
)
# flatpak-builder only reads the manifest in the tests (--show-manifest); it is
# installed without its recommends, so no desktop portal joins the test sessions.
# xdg-desktop-portal brings /usr/libexec/xdg-document-portal (and fuse3) for
# the portal test (tests/run-with-portal.sh starts it in a private session);
# without its recommends: no portal backend, no desktop portal in the tests.
norecommends=(flatpak-builder xdg-desktop-portal)
if [ "${1:-}" = "--extra" ]; then
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

if [ "${#missing[@]}" -eq 0 ] && [ "${#missing_norec[@]}" -eq 0 ]; then
  exit 0
fi

echo "Installing missing Debian packages: ${missing[*]} ${missing_norec[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  sudo=()
elif command -v sudo >/dev/null 2>&1; then
  sudo=(sudo)
else
  echo "error: ${missing[*]} ${missing_norec[*]} must be installed, and this needs root or sudo" >&2
  exit 1
fi

export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -q >&2
if [ "${#missing[@]}" -gt 0 ]; then
  "${sudo[@]}" apt-get install -y -q "${missing[@]}" >&2
fi
if [ "${#missing_norec[@]}" -gt 0 ]; then
  "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing_norec[@]}" >&2
fi
