#!/usr/bin/env bash
# check-newer.sh: builds Dossier and runs the whole suite on a newer stack than
# Debian 12's, in a Debian 13 (trixie) chroot made with debootstrap: GTK 4.18,
# libadwaita 1.7, libsoup 3.6, GLib 2.84, the closest this machine reaches to the
# GNOME runtime users install. The build raises every version macro to the
# versions found and fails on a deprecated declaration (-Dnewer_api=true).
#
# Usage: build-aux/check-newer.sh [--runs N]
#   --runs N   run the whole suite N times in a row (default 1); the script
#              stops at the first run that fails
# Environment:
#   DOSSIER_NEWER_ROOT   the chroot's folder (default: _newer/trixie in the
#                        source tree, ignored by git); made when it has no
#                        Debian system yet, reused otherwise
#   DEBOOTSTRAP_MIRROR   a Debian mirror for debootstrap (default: debootstrap's)
#
# Needs root (debootstrap, chroot, mounts) and the network for the first run
# (debootstrap, then build-aux/deps.sh inside the chroot installs the packages
# Debian 12 is built and tested with, under the same names). Not part of
# .ci/run: the first run takes minutes and needs the mirror.
#
# The source tree is mounted read-only into the chroot at /src; the build tree
# lives in the chroot (/var/tmp/dossier-newer). The suite runs in a private
# network namespace (only a loopback of its own) so that its servers, Xvfb
# displays and D-Bus sessions meet nothing of the host's; all mounts live in a
# private mount namespace and vanish with it.
#
# Copyright 2026 The Dossier developers
# SPDX-License-Identifier: GPL-3.0-or-later

set -euo pipefail
cd "$(dirname "$0")/.."
srcdir=$(pwd)

runs=1
while [ $# -gt 0 ]; do
  case "$1" in
    --runs)
      runs=${2:-}
      shift 2 || { echo "check-newer.sh: --runs needs a number" >&2; exit 2; }
      ;;
    --runs=*)
      runs=${1#--runs=}
      shift
      ;;
    -h|--help)
      sed -n '2,/^$/p' "$0" | sed 's/^# \{0,1\}//'
      exit 0
      ;;
    *)
      echo "check-newer.sh: unknown argument: $1 (usage: check-newer.sh [--runs N])" >&2
      exit 2
      ;;
  esac
done
case "$runs" in
  ''|*[!0-9]*|0) echo "check-newer.sh: --runs needs a number of 1 or more, not '$runs'" >&2; exit 2 ;;
esac

if [ "$(id -u)" -ne 0 ]; then
  echo "check-newer.sh: needs root (debootstrap, chroot and mounts); run it with sudo" >&2
  exit 1
fi
for tool in debootstrap chroot unshare mount ip; do
  if ! command -v "$tool" >/dev/null 2>&1; then
    echo "check-newer.sh: $tool is not installed (apt-get install debootstrap util-linux mount iproute2)" >&2
    exit 1
  fi
done

root=${DOSSIER_NEWER_ROOT:-$srcdir/_newer/trixie}
suite=trixie
builddir=/var/tmp/dossier-newer
started=$(date +%s)

# --- the chroot: made once, reused ------------------------------------------
if [ ! -x "$root/usr/bin/apt-get" ]; then
  echo "check-newer.sh: making a Debian $suite system in $root with debootstrap (minutes)" >&2
  mkdir -p "$root"
  debootstrap --variant=minbase "$suite" "$root" ${DEBOOTSTRAP_MIRROR:+"$DEBOOTSTRAP_MIRROR"} >&2
fi

# Runs a command inside the chroot, in a private mount namespace with /proc,
# /sys, /dev and the source (read-only) mounted; $1 = "net" to keep the host's
# network (installing packages), "nonet" for a network of its own.
in_chroot () {
  local net=$1
  shift
  local unshare_args=(--mount --propagation private --fork)
  if [ "$net" = nonet ]; then
    unshare_args+=(--net)
  fi
  unshare "${unshare_args[@]}" /usr/bin/env bash -euo pipefail -c '
    root=$1 srcdir=$2 net=$3
    shift 3
    mount -t proc proc "$root/proc"
    mount --rbind /sys "$root/sys"
    mount --rbind /dev "$root/dev"
    mkdir -p "$root/src"
    mount --bind "$srcdir" "$root/src"
    mount -o remount,bind,ro "$root/src"
    if [ "$net" = nonet ]; then
      ip link set lo up
    else
      cp -L /etc/resolv.conf "$root/etc/resolv.conf" 2>/dev/null || true
    fi
    exec chroot "$root" /usr/bin/env -i \
      HOME=/root PATH=/usr/local/bin:/usr/bin:/bin:/usr/local/sbin:/usr/sbin:/sbin \
      LANG=C.UTF-8 TERM=dumb DEBIAN_FRONTEND=noninteractive "$@"
  ' in-chroot "$root" "$srcdir" "$net" "$@"
}

# The packages: build-aux/deps.sh itself, run inside (it installs only what is
# missing, so a reused chroot costs one dpkg query per package)
in_chroot net /bin/sh -c 'cd /src && build-aux/deps.sh --tests' >&2
in_chroot net /bin/sh -c 'command -v dbus-uuidgen >/dev/null && dbus-uuidgen --ensure=/etc/machine-id || true'

versions=$(in_chroot nonet /bin/sh -c '
  for m in gtk4 libadwaita-1 libsoup-3.0 glib-2.0 json-glib-1.0 libsecret-1; do
    printf "%s %s, " "$m" "$(pkg-config --modversion $m)"
  done
  printf "gcc %s, meson %s\n" "$(gcc -dumpfullversion)" "$(meson --version)"')
versions=${versions%, }
echo "check-newer.sh: Debian $suite: $versions" >&2

# --- the build, with the version macros raised -------------------------------
build_log=$(mktemp "${TMPDIR:-/tmp}/check-newer-build.XXXXXX")
run_log=$(mktemp "${TMPDIR:-/tmp}/check-newer-run.XXXXXX")
trap 'rm -f "$build_log" "$run_log"' EXIT
build_status=0
in_chroot nonet /bin/sh -c "
  set -e
  if [ -f $builddir/build.ninja ]; then
    meson setup --reconfigure $builddir /src -Dnewer_api=true --buildtype=debugoptimized
  else
    rm -rf $builddir
    meson setup $builddir /src -Dnewer_api=true --buildtype=debugoptimized
  fi
  meson compile -C $builddir --clean
  # every error at once, not only the first
  ninja -C $builddir -k 0
" >"$build_log" 2>&1 || build_status=$?
grep -E 'newer_api:' "$build_log" >&2 || true
warnings=$(grep -cE 'warning:|error:' "$build_log" || true)
if [ "$build_status" -ne 0 ] || [ "$warnings" -ne 0 ]; then
  grep -E -A3 'warning:|error:' "$build_log" >&2 || tail -40 "$build_log" >&2
  echo "check-newer.sh: the build on Debian $suite failed or warned ($warnings warnings or errors)" >&2
  exit 1
fi
echo "check-newer.sh: built with the version macros raised, 0 compiler warnings" >&2

# --- the whole suite, N times in a row ---------------------------------------
passed_runs=0
for run in $(seq 1 "$runs"); do
  run_started=$(date +%s)
  status=0
  # shown as it runs (on stderr, which tee does not reopen) and kept to read
  # the closing line from
  in_chroot nonet /bin/sh -c "cd /src && BUILDDIR=$builddir build-aux/test.sh" 2>&1 |
    tee "$run_log" >&2 || status=$?
  summary=$(grep -E '^Tests: [0-9]+ passed, [0-9]+ failed$' "$run_log" | tail -1) || true
  if [ -z "$summary" ]; then
    status=1
    summary="Tests: no summary"
  fi
  echo "check-newer.sh: run $run of $runs: $summary ($(( $(date +%s) - run_started )) s)" >&2
  if [ "$status" -ne 0 ] || ! printf '%s\n' "$summary" | grep -q ', 0 failed$'; then
    echo "check-newer.sh: run $run failed on Debian $suite ($versions)" >&2
    exit 1
  fi
  passed_runs=$run
done

echo "check-newer.sh: Debian $suite ($versions): $passed_runs of $runs runs passed, ${summary#Tests: } each; $(( $(date +%s) - started )) s in all"
