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
# fuse3 (fusermount3) for the document portal of the portal test, below
packages+=(fuse3)
# flatpak-builder only reads the manifest in the tests (--show-manifest); it is
# installed without its recommends, so no desktop portal joins the test sessions
norecommends=(flatpak-builder)
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

# The portal test (tests/run-with-portal.sh) runs the real document portal,
# xdg-document-portal, and its permission store from Debian's
# xdg-desktop-portal, in a private D-Bus session. The package is not
# installed: its D-Bus services would then be started by libadwaita and GTK in
# every test session (the desktop portal dies there under the tests'
# G_DEBUG=fatal-warnings, the document portal mounts FUSE folders). Its two
# programs are unpacked from the package into a folder of ours instead
# (their libraries are installed above: GLib, json-glib, fuse3).
portal_dir=${DOSSIER_PORTAL_DIR:-$HOME/.cache/dossier-test/xdg-desktop-portal}
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
if [ ! -x "$portal_dir/xdg-document-portal" ] || [ ! -x "$portal_dir/xdg-permission-store" ]; then
  echo "Unpacking xdg-document-portal from Debian's xdg-desktop-portal into $portal_dir" >&2
  if ! unpack_portal; then
    # no package lists yet (a fresh machine): read them, then again
    if [ "$(id -u)" -eq 0 ]; then
      apt-get update -q >&2
    else
      sudo apt-get update -q >&2
    fi
    unpack_portal || { echo "error: could not unpack xdg-desktop-portal" >&2; exit 1; }
  fi
fi

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
