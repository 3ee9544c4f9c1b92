#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# The README's two commands, for a fresh Debian 12 machine (root or sudo):
#
#   tools/quickstart.sh run    install what is missing, build, launch Loopscope
#   tools/quickstart.sh test   install what is missing, build, run every test
#
# Both are idempotent: packages already there are not touched, an existing
# build directory is reused.
set -euo pipefail

cd "$(dirname "$0")/.."

build_packages=(
  gcc libc6-dev meson ninja-build pkg-config gettext
  libglib2.0-dev libgtk-4-dev libsoup-3.0-dev libjson-glib-dev
  libgtksourceview-5-dev desktop-file-utils appstream
)
# python3: to run and trace the user's own CPython programs (--python, the
# editor); libgtksourceview-5-0: the editor (its -common brings the Python
# highlighting and the Adwaita style schemes)
run_packages=(librsvg2-common fonts-dejavu-core adwaita-icon-theme python3 libgtksourceview-5-0)
# nodejs: the interop tests run DevTools' trace engine and speedscope (tests/interop)
test_packages=(xvfb xauth dbus python3 python3.11 libxtst-dev nodejs)

# run builds the app alone: the tests need what only test installs
# (CPython 3.11, libXtst), and meson refuses to configure them without it.
mode=${1:-}
case "$mode" in
  run)  packages=("${build_packages[@]}" "${run_packages[@]}"); tests=false ;;
  test) packages=("${build_packages[@]}" "${run_packages[@]}" "${test_packages[@]}"); tests=true ;;
  *)    echo "usage: $0 run|test" >&2; exit 2 ;;
esac

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "Installing: ${missing[*]}"
  as_root apt-get update -q
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
    -o DPkg::Lock::Timeout=300 --no-install-recommends "${missing[@]}"
fi

builddir=${BUILDDIR:-build}
if [ -f "$builddir/build.ninja" ]; then
  meson setup --reconfigure "$builddir" -Dwerror=true -Dtests="$tests" >/dev/null
else
  meson setup "$builddir" -Dwerror=true -Dtests="$tests"
fi
meson compile -C "$builddir"

case "$mode" in
  run)
    # From the build tree: the compiled GSettings schema lives there.
    exec meson devenv -C "$builddir" ./app/loopscope
    ;;
  test)
    # A display for the window tests, a session bus for GtkApplication.
    exec xvfb-run -a -s "-screen 0 1280x1024x24" dbus-run-session -- \
      meson test -C "$builddir" --print-errorlogs --num-processes 2
    ;;
esac
