#!/usr/bin/env bash
# Builds HomeDesk's Debian package (issue 24) with dpkg-deb from a release build:
# /usr/bin/homedesk, a .desktop entry, the 居 icon, the copyright of the code and the font.
#
#   bash scripts/deb.sh [--no-build] [--test]
#
# --test installs the package with `apt install ./homedesk_*.deb` in a clean Debian 12 root
# (debootstrap bookworm, kept in target-deb/bookworm-root for the next run, copied fresh
# each time) and runs `homedesk --version`, `homedesk demo` and `homedesk check` there.
# Prints the path of the .deb; exits non-zero when anything fails.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
OUT=$ROOT/target-deb
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n1)
ARCH=$(dpkg --print-architecture)
DEB=$OUT/homedesk_${VERSION}_$ARCH.deb
build=1 test=0
for arg in "$@"; do
  case $arg in
    --no-build) build=0 ;;
    --test) test=1 ;;
    *) echo "usage: $0 [--no-build] [--test]" >&2; exit 2 ;;
  esac
done

if [ $build = 1 ]; then
  (cd "$ROOT" && cargo build --release --bin homedesk)
fi
BIN=$ROOT/target/release/homedesk
[ -x "$BIN" ] || { echo "deb.sh: no $BIN (run without --no-build)" >&2; exit 1; }

STAGE=$OUT/stage
rm -rf "$STAGE"
install -d "$STAGE/DEBIAN" "$STAGE/usr/bin" "$STAGE/usr/share/applications" \
  "$STAGE/usr/share/icons/hicolor/256x256/apps" "$STAGE/usr/share/doc/homedesk"
install -m 0755 -s "$BIN" "$STAGE/usr/bin/homedesk"
install -m 0644 "$ROOT/packaging/linux/homedesk.desktop" "$STAGE/usr/share/applications/homedesk.desktop"
install -m 0644 "$ROOT/assets/icon/homedesk.png" "$STAGE/usr/share/icons/hicolor/256x256/apps/homedesk.png"
{
  echo "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/"
  echo "Upstream-Name: homedesk"
  echo
  echo "Files: *"
  echo "License: MIT"
  echo
  echo "Files: assets/fonts/wqy-microhei.ttc (compiled into /usr/bin/homedesk)"
  echo "License: Apache-2.0"
  echo
  sed 's/^/ /' "$ROOT/assets/fonts/LICENSE-wqy-microhei.txt"
} >"$STAGE/usr/share/doc/homedesk/copyright"
gzip -9n -c "$ROOT/docs/RELEASE_NOTES.md" >"$STAGE/usr/share/doc/homedesk/changelog.gz"

# The binary links only libc, libm and libgcc_s; the window loads OpenGL/EGL, X11 or
# Wayland and xkbcommon at run time (winit, glutin), so those are named here by hand.
cat >"$STAGE/DEBIAN/control" <<CONTROL
Package: homedesk
Version: $VERSION
Architecture: $ARCH
Maintainer: HomeDesk <homedesk@localhost>
Section: misc
Priority: optional
Installed-Size: $(du -sk "$STAGE/usr" | cut -f1)
Depends: libc6 (>= 2.34), libgcc-s1, libgl1, libegl1, libx11-6, libxcursor1, libxrandr2, libxi6, libxkbcommon-x11-0, libwayland-client0, libwayland-egl1
Recommends: libgl1-mesa-dri, xdg-desktop-portal-gtk | zenity
Description: HomeDesk 居家服务台 — home-service desk of a property-management office
 Clerks take residents' housekeeping, repair and alarm requests into the
 registers, dispatch the work, print the forms and slips, and revisit the
 households. One SQLite file per office (~/.local/share/homedesk/), with the
 full history of every change. \`homedesk --help\` lists the command line.
CONTROL
mkdir -p "$OUT"
dpkg-deb --root-owner-group -Zxz --build "$STAGE" "$DEB" >/dev/null
echo "deb: $DEB ($(du -h "$DEB" | cut -f1))"

[ $test = 1 ] || exit 0

# A clean Debian 12: debootstrap's root once, then a fresh copy per test.
BASE=$OUT/bookworm-root
if [ ! -x "$BASE/usr/bin/apt" ]; then
  command -v debootstrap >/dev/null || apt-get install -y -q debootstrap >/dev/null
  debootstrap --variant=minbase bookworm "$BASE" http://deb.debian.org/debian >/dev/null
fi
CHROOT=$OUT/test-root
rm -rf "$CHROOT"
cp -a "$BASE" "$CHROOT"
cp /etc/resolv.conf "$CHROOT/etc/resolv.conf"
cp "$DEB" "$CHROOT/tmp/"
mount -t proc proc "$CHROOT/proc"
trap 'umount "$CHROOT/proc" 2>/dev/null; rm -rf "$CHROOT"' EXIT
in_root() { chroot "$CHROOT" env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 "$@"; }
in_root apt-get update -qq
in_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q "./tmp/$(basename "$DEB")" >"$OUT/apt-install.log" 2>&1 \
  || { tail -n 20 "$OUT/apt-install.log"; echo "FAIL  apt install" >&2; exit 1; }
echo "PASS  apt install ./$(basename "$DEB") in a clean Debian 12 root ($(grep -c '^Setting up' "$OUT/apt-install.log") packages set up)"
echo "PASS  homedesk --version: $(in_root homedesk --version)"
echo "PASS  homedesk demo: $(in_root homedesk demo --households 360 | head -n1)"
echo "PASS  homedesk check: $(in_root homedesk check | tail -n1)"
test -f "$CHROOT/usr/share/applications/homedesk.desktop"
test -f "$CHROOT/usr/share/icons/hicolor/256x256/apps/homedesk.png"
echo "PASS  the .desktop entry and the icon are installed"
