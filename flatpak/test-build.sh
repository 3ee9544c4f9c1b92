#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# Proves that flatpak/io.github.loopscope.Loopscope.json really builds,
# installs and runs, on a machine that can reach nothing but Debian's apt
# mirror (so no Flathub, no org.gnome.Platform).
#
# It builds a stand-in runtime and SDK from Debian 12 packages with
# debootstrap, exports them to a local OSTree repo, installs them into a
# scratch per-user flatpak installation, runs flatpak-builder on a copy of the
# manifest in which ONLY runtime, runtime-version and sdk are replaced by the
# stand-in's names and the app's git source (a release tag and its commit,
# as Flathub requires) by this checkout, then starts the installed app under
# Xvfb, takes a screenshot and checks that a window was drawn and the app is
# still alive. Before all that it checks the manifest's source is what a
# Flathub reviewer accepts: git, a tag and a full commit.
#
# Usage: flatpak/test-build.sh [WORKDIR]        (default /tmp/loopscope-flatpak)
#
# Needs root (debootstrap, chroot). The stand-in runtime is cached in WORKDIR,
# keyed by a hash of the package lists, so a second run only rebuilds the app.
# Environment:
#   LOOPSCOPE_DEBIAN_MIRROR   Debian mirror to use (default: the bookworm
#                             mirror configured for apt on this machine)
#   LOOPSCOPE_RUN_SECONDS     how long the app must stay up (default 8)

set -euo pipefail

SRC=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
APP_ID=io.github.loopscope.Loopscope
MANIFEST=$SRC/flatpak/$APP_ID.json
WORK=${1:-/tmp/loopscope-flatpak}
RUN_SECONDS=${LOOPSCOPE_RUN_SECONDS:-8}

SUITE=bookworm
STANDIN=io.github.loopscope.StandIn
PLATFORM_ID=$STANDIN.Platform
SDK_ID=$STANDIN.Sdk
BRANCH=$SUITE
REMOTE=loopscope-standin
# Bump when the way the runtime is assembled changes (invalidates the cache).
RECIPE=3

# What the app needs at run time (GTK 4 pulls in GLib, cairo, pango, ...).
PLATFORM_PKGS=(
  libgtk-4-1 librsvg2-common fonts-dejavu-core libsoup-3.0-0
  libjson-glib-1.0-0 adwaita-icon-theme hicolor-icon-theme shared-mime-info
  libglib2.0-bin libgtksourceview-5-0
)
# What building it needs. libglib2.0-dev-bin (via libgtk-4-dev) brings
# glib-compile-resources and glib-compile-schemas; flatpak-builder runs
# appstream-compose inside the SDK (eu-strip and debugedit run on the host,
# see HOST_TOOLS).
SDK_PKGS=(
  gcc libc6-dev meson ninja-build pkg-config libgtk-4-dev libsoup-3.0-dev
  libjson-glib-dev libgtksourceview-5-dev gettext appstream-util desktop-file-utils elfutils
  debugedit appstream
)
# Host command -> Debian package: every command this script runs, and those
# its tools run on the host. Packages come without their Recommends, so
# what a tool only recommends is listed here.
HOST_TOOLS=(
  flatpak:flatpak flatpak-builder:flatpak-builder
  # flatpak-builder 1.2 strips and compresses the app's ELF files on the
  # host (elfutils is only its Recommends) and lists their sources with
  # debugedit; flatpak build-export validates the desktop file
  eu-strip:elfutils eu-elfcompress:elfutils debugedit:debugedit
  desktop-file-validate:desktop-file-utils
  # the stand-in runtime: debootstrap downloads with wget
  debootstrap:debootstrap wget:wget chroot:coreutils mount:mount umount:mount
  apt-config:apt sha256sum:coreutils awk:mawk
  # running the app and its screenshot
  xvfb-run:xvfb xauth:xauth import:imagemagick identify:imagemagick
  dbus-run-session:dbus-daemon
  python3:python3
)

# ---------------------------------------------------------------------------
say() { printf '\n==> %s\n' "$*"; }
die() { printf 'test-build.sh: error: %s\n' "$*" >&2; exit 1; }

SCRIPT_T0=$(date +%s)
PHASE=
PHASE_T0=0
TIMINGS=()
phase() {
  local now
  now=$(date +%s)
  if [[ -n $PHASE ]]; then
    TIMINGS+=("$(printf '  %-34s %5ds' "$PHASE" $((now - PHASE_T0)))")
  fi
  PHASE=$1
  PHASE_T0=$now
  [[ -n $PHASE ]] && say "$PHASE"
  return 0
}

MOUNTS=()
TMP_MANIFEST=
cleanup() {
  local rc=$? m
  for m in "${MOUNTS[@]}"; do
    umount -l "$m" 2>/dev/null || true
  done
  [[ -n $TMP_MANIFEST ]] && rm -f "$TMP_MANIFEST"
  [[ ${XDG_RUNTIME_DIR:-} == /tmp/lsf-run.* ]] && rm -rf "$XDG_RUNTIME_DIR"
  report "$rc"
}
trap cleanup EXIT

# Phase timings and disk usage, printed on success and on failure.
report() {
  local failed=$PHASE
  phase ""
  say "timings"
  ((${#TIMINGS[@]})) && printf '%s\n' "${TIMINGS[@]}"
  printf '  %-34s %5ds\n' "total" $(($(date +%s) - SCRIPT_T0))
  if [[ -d ${WORK:-} ]]; then
    say "disk usage of $WORK"
    du -sh "$WORK"/* 2>/dev/null | sed 's/^/  /'
    du -sh "$WORK" | sed 's/^/  total: /'
  fi
  if [[ $1 -eq 0 ]]; then
    echo "OK: $APP_ID built, installed and ran in flatpak"
  else
    echo "FAILED (exit status $1) in phase: ${failed:-setup}"
  fi
}

[[ $EUID -eq 0 ]] || die "run me as root (debootstrap and chroot need it)"
[[ -f $MANIFEST ]] || die "no manifest at $MANIFEST"
WORK=$(realpath -m "$WORK")

# ---------------------------------------------------------------------------
phase "host packages"
missing=()
for pair in "${HOST_TOOLS[@]}"; do
  command -v "${pair%%:*}" >/dev/null 2>&1 || missing+=("${pair#*:}")
done
if ((${#missing[@]})); then
  mapfile -t missing < <(printf '%s\n' "${missing[@]}" | sort -u)
  echo "installing: ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get -o DPkg::Lock::Timeout=300 update -q
  apt-get -o DPkg::Lock::Timeout=300 install -y -q --no-install-recommends "${missing[@]}"
else
  echo "all present"
fi

# The manifest builds a release: a git source with a tag and the commit it
# names (Flathub refuses a branch, a dir or an unpinned source).
python3 - "$MANIFEST" <<'EOF' || die "the manifest's app source must be git with a tag and a full commit"
import json, re, sys
m = json.load(open(sys.argv[1]))
app = [mod for mod in m['modules'] if isinstance(mod, dict) and mod.get('name') == 'loopscope']
srcs = app[0].get('sources', []) if app else []
ok = (len(srcs) == 1 and srcs[0].get('type') == 'git' and srcs[0].get('url', '').startswith('https://')
      and srcs[0].get('tag') and re.fullmatch(r'[0-9a-f]{40}', srcs[0].get('commit', '')))
sys.exit(0 if ok else 1)
EOF

# This checkout replaces the release's git source: a dir source, minus
# what is not the project's (build trees, flatpak-builder's state, WORK).
DIR_SKIP=(.git .flatpak-builder build build-asan build-ucontext build-fuzz _build builddir
          flatpak-build flatpak/.work)
case $WORK/ in
  "$SRC"/*)
    rel=${WORK#"$SRC"/}
    DIR_SKIP+=("${rel%/}")
    ;;
esac

mkdir -p "$WORK"

# Scratch flatpak environment: nothing touches the real user's or system's.
export HOME=$WORK/home
export XDG_DATA_HOME=$HOME/.local/share
export XDG_CONFIG_HOME=$HOME/.config
export XDG_CACHE_HOME=$HOME/.cache
# Short path: sockets (D-Bus proxy, X11 auth) live here, and a unix socket
# path must stay under 108 bytes whatever WORKDIR is.
XDG_RUNTIME_DIR=$(mktemp -d /tmp/lsf-run.XXXXXX)
export XDG_RUNTIME_DIR
unset DBUS_SESSION_BUS_ADDRESS WAYLAND_DISPLAY DISPLAY FLATPAK_USER_DIR || true
mkdir -p "$HOME" "$XDG_DATA_HOME" "$XDG_CONFIG_HOME" "$XDG_CACHE_HOME" "$XDG_RUNTIME_DIR"
chmod 700 "$XDG_RUNTIME_DIR"
ARCH=$(flatpak --default-arch)

# ---------------------------------------------------------------------------
phase "stand-in runtime and SDK"

# The Debian mirror apt uses here (deb822 .sources or one-line .list files).
find_mirror() {
  python3 - "$SUITE" <<'EOF'
import glob, re, sys
suite = sys.argv[1]
def stanzas_deb822(path):
    text = open(path, encoding='utf-8', errors='replace').read()
    for block in re.split(r'\n\s*\n', text):
        fields, key = {}, None
        for line in block.splitlines():
            if line.startswith('#'):
                continue
            if line[:1] in (' ', '\t') and key:
                fields[key] += ' ' + line.strip()
            elif ':' in line:
                key, _, val = line.partition(':')
                key = key.strip().lower()
                fields[key] = val.strip()
        if fields.get('enabled', 'yes').lower() == 'no':
            continue
        yield (fields.get('types', '').split(), fields.get('uris', '').split(),
               fields.get('suites', '').split(), fields.get('components', '').split())
def stanzas_oneline(path):
    for line in open(path, encoding='utf-8', errors='replace'):
        line = re.sub(r'\[[^\]]*\]', ' ', line.split('#', 1)[0]).split()
        if len(line) >= 4:
            yield ([line[0]], [line[1]], [line[2]], line[3:])
cands = []
for p in ['/etc/apt/sources.list'] + sorted(glob.glob('/etc/apt/sources.list.d/*.list')):
    try: cands += list(stanzas_oneline(p))
    except OSError: pass
for p in sorted(glob.glob('/etc/apt/sources.list.d/*.sources')):
    try: cands += list(stanzas_deb822(p))
    except OSError: pass
for types, uris, suites, comps in cands:
    if 'deb' in types and suite in suites and 'main' in comps and uris:
        print(uris[0]); sys.exit(0)
sys.exit(1)
EOF
}
MIRROR=${LOOPSCOPE_DEBIAN_MIRROR:-$(find_mirror)} \
  || die "no '$SUITE main' mirror found in /etc/apt; set LOOPSCOPE_DEBIAN_MIRROR"
# debootstrap (wget) and apt in the chroot honour http_proxy, apt's config
# on the host is not seen by them.
if [[ -z ${http_proxy:-} ]]; then
  APT_PROXY=
  eval "$(apt-config shell APT_PROXY Acquire::http::Proxy)"
  if [[ -n $APT_PROXY ]]; then export http_proxy=$APT_PROXY; fi
fi
echo "mirror: $MIRROR"

EXTRA_BASE=
[[ $MIRROR == https:* ]] && EXTRA_BASE=--include=ca-certificates
KEY=$(printf '%s\n' "$RECIPE" "$SUITE" "$ARCH" "$EXTRA_BASE" "platform:" "${PLATFORM_PKGS[@]}" \
        "sdk:" "${SDK_PKGS[@]}" | sha256sum | cut -c1-16)
RT=$WORK/runtime-$KEY
RT_REPO=$RT/repo

chroot_mount() {
  mount -t proc proc "$1/proc"
  MOUNTS+=("$1/proc")
}
chroot_umount() {
  umount "$1/proc"
  MOUNTS=("${MOUNTS[@]/"$1/proc"}")
}
chroot_install() {
  local root=$1 log=$2
  shift 2
  chroot_mount "$root"
  if ! DEBIAN_FRONTEND=noninteractive chroot "$root" \
       apt-get -q -y install --no-install-recommends "$@" >>"$log" 2>&1; then
    tail -n 40 "$log"
    die "apt-get install in $root failed (full log: $log)"
  fi
  chroot "$root" apt-get clean
  chroot_umount "$root"
}
# Turn a Debian tree into a flatpak runtime: /usr is the runtime's files,
# /etc lives in /usr/etc (flatpak binds it to /etc in the sandbox).
finish_tree() {
  local root=$1 id=$2
  rm -rf "$root/usr/etc"
  cp -a "$root/etc" "$root/usr/etc"
  rm -f "$root/usr/etc/resolv.conf" "$root/usr/etc/hostname" "$root/usr/etc/hosts"
  cat >"$root/metadata" <<EOF
[Runtime]
name=$id
runtime=$PLATFORM_ID/$ARCH/$BRANCH
sdk=$SDK_ID/$ARCH/$BRANCH
EOF
}

if [[ -f $RT/done ]]; then
  echo "cached: $RT"
else
  # Old stand-ins (other package lists) and half-built ones are dropped.
  rm -rf "$WORK"/runtime-*
  mkdir -p "$RT"
  LOG=$RT/build.log
  : >"$LOG"
  echo "debootstrap $SUITE (minbase) from $MIRROR"
  # shellcheck disable=SC2086
  if ! debootstrap --variant=minbase $EXTRA_BASE "$SUITE" "$RT/platform" "$MIRROR" >>"$LOG" 2>&1; then
    tail -n 40 "$LOG"
    [[ -f $RT/platform/debootstrap/debootstrap.log ]] && tail -n 40 "$RT/platform/debootstrap/debootstrap.log"
    die "debootstrap failed (full log: $LOG)"
  fi
  # No docs, man pages or translations of Debian's packages in the runtime.
  cat >"$RT/platform/etc/dpkg/dpkg.cfg.d/01-loopscope-nodoc" <<'EOF'
path-exclude=/usr/share/doc/*
path-include=/usr/share/doc/*/copyright
path-exclude=/usr/share/man/*
path-exclude=/usr/share/info/*
path-exclude=/usr/share/locale/*
path-exclude=/usr/share/lintian/*
EOF
  chroot "$RT/platform" apt-get -q update >>"$LOG" 2>&1 || { tail -n 20 "$LOG"; die "apt-get update in the chroot failed"; }
  echo "platform: ${PLATFORM_PKGS[*]}"
  chroot_install "$RT/platform" "$LOG" "${PLATFORM_PKGS[@]}"
  echo "sdk: platform + ${SDK_PKGS[*]}"
  cp -a "$RT/platform" "$RT/sdk"
  chroot_install "$RT/sdk" "$LOG" "${SDK_PKGS[@]}"
  finish_tree "$RT/platform" "$PLATFORM_ID"
  finish_tree "$RT/sdk" "$SDK_ID"
  echo "exporting to $RT_REPO"
  flatpak build-export --runtime --files=usr --no-update-summary \
    "$RT_REPO" "$RT/platform" "$BRANCH" >>"$LOG" 2>&1
  flatpak build-export --runtime --files=usr \
    "$RT_REPO" "$RT/sdk" "$BRANCH" >>"$LOG" 2>&1
  rm -rf "$RT/platform" "$RT/sdk"
  touch "$RT/done"
fi

# ---------------------------------------------------------------------------
phase "install stand-in runtime"
flatpak remote-add --user --if-not-exists --no-gpg-verify "$REMOTE" "file://$RT_REPO"
flatpak remote-modify --user --no-gpg-verify --url="file://$RT_REPO" "$REMOTE"
flatpak install --user -y --noninteractive --or-update "$REMOTE" \
  "runtime/$PLATFORM_ID/$ARCH/$BRANCH" "runtime/$SDK_ID/$ARCH/$BRANCH"

# ---------------------------------------------------------------------------
phase "flatpak-builder"
# The copy sits next to the original so that its dir source ("..") is the
# source tree; only the runtime names and the app's source are changed.
TMP_MANIFEST=$SRC/flatpak/.test-build-$$.json
python3 - "$MANIFEST" "$TMP_MANIFEST" "$PLATFORM_ID" "$SDK_ID" "$BRANCH" "${DIR_SKIP[@]}" <<'EOF'
import json, sys
src, dst, platform, sdk, branch, *skip = sys.argv[1:]
m = json.load(open(src))
for key in ('runtime', 'sdk', 'runtime-version'):
    if key not in m:
        sys.exit(f'manifest has no "{key}"')
m['runtime'], m['sdk'], m['runtime-version'] = platform, sdk, branch
app = [mod for mod in m['modules'] if isinstance(mod, dict) and mod.get('name') == 'loopscope']
app[0]['sources'] = [{'type': 'dir', 'path': '..', 'skip': skip}]
json.dump(m, open(dst, 'w'), indent=4)
EOF
flatpak-builder --user --install --force-clean --disable-rofiles-fuse \
  --state-dir="$WORK/state" --repo="$WORK/app-repo" \
  "$WORK/app-build" "$TMP_MANIFEST"
rm -f "$TMP_MANIFEST"
TMP_MANIFEST=
flatpak info --user "$APP_ID"
# What the data/ and po/ directories install must have made it into the app.
for f in bin/loopscope \
         "share/applications/$APP_ID.desktop" \
         "share/icons/hicolor/scalable/apps/$APP_ID.svg" \
         "share/icons/hicolor/symbolic/apps/$APP_ID-symbolic.svg" \
         "share/glib-2.0/schemas/$APP_ID.gschema.xml" \
         share/glib-2.0/schemas/gschemas.compiled \
         share/locale/zh_CN/LC_MESSAGES/loopscope.mo; do
  [[ -e $WORK/app-build/files/$f ]] || die "the app is missing /app/$f"
done
# (flatpak-builder 1.2 moves share/metainfo/ID.metainfo.xml to share/appdata/)
compgen -G "$WORK/app-build/files/share/metainfo/$APP_ID.*.xml" >/dev/null \
  || compgen -G "$WORK/app-build/files/share/appdata/$APP_ID.*.xml" >/dev/null \
  || die "the app is missing its metainfo"
[[ -e $WORK/app-build/files/share/app-info/xmls/$APP_ID.xml.gz ]] \
  || die "appstream-compose produced no catalogue"
echo "installed files: ok"

# ---------------------------------------------------------------------------
phase "run under Xvfb"
SHOT=$WORK/shot.png
APP_LOG=$WORK/app.log
rm -f "$SHOT"
cat >"$WORK/run-app.sh" <<'EOF'
#!/bin/bash
# Runs inside xvfb-run: starts the app in a session bus, screenshots it.
set -uo pipefail
APP_ID=$1 SHOT=$2 APP_LOG=$3 RUN_SECONDS=$4
dbus-run-session -- flatpak run --user "$APP_ID" >"$APP_LOG" 2>&1 &
pid=$!
sleep "$RUN_SECONDS"
if ! kill -0 "$pid" 2>/dev/null; then
  wait "$pid"
  echo "the app exited early (status $?)" >&2
  exit 1
fi
flatpak ps --columns=application >>"$APP_LOG.ps" 2>&1
grep -qx "$APP_ID" "$APP_LOG.ps" || { echo "no running instance of $APP_ID in 'flatpak ps'" >&2; exit 1; }
# Wait until something is drawn (up to 20 s more on a slow machine).
for _ in $(seq 20); do
  import -window root "$SHOT"
  sd=$(identify -format '%[fx:standard_deviation]' "$SHOT")
  awk -v s="$sd" 'BEGIN { exit !(s > 0.02) }' && break
  sleep 1
done
kill -0 "$pid" 2>/dev/null || { echo "the app died while being screenshot" >&2; exit 1; }
echo "screenshot standard deviation: $sd"
flatpak kill "$APP_ID" 2>/dev/null || kill "$pid"
wait "$pid" 2>/dev/null
awk -v s="$sd" 'BEGIN { exit !(s > 0.02) }' || { echo "the screenshot is blank" >&2; exit 1; }
EOF
chmod +x "$WORK/run-app.sh"
rm -f "$APP_LOG.ps"
if ! xvfb-run -a -s "-screen 0 1280x800x24 -nolisten tcp" \
     "$WORK/run-app.sh" "$APP_ID" "$SHOT" "$APP_LOG" "$RUN_SECONDS"; then
  echo "--- app log ($APP_LOG) ---"
  tail -n 60 "$APP_LOG" || true
  die "the app did not run"
fi
echo "--- app log (tail) ---"
tail -n 20 "$APP_LOG" || true
echo "screenshot: $SHOT"

