#!/usr/bin/env bash
# Builds HomeDesk for Windows on this Debian 12 machine, makes the NSIS installer and
# smoke-tests both under Wine (issue 24). Not part of .ci/run: CI's time is for the tests.
# Run it whenever a change touches files, paths, fonts, dialogs, printing or dependencies.
#
#   bash scripts/windows.sh [--no-install] [--no-build]
#
# Environment: HOMEDESK_WIN_TARGET (cargo's target folder, default ./target-win),
# HOMEDESK_XVFB_DISPLAY (default :99), HOMEDESK_KEEP_PREFIX=1 keeps the Wine prefixes.
# Exits non-zero when any step fails; ends with the paths of homedesk.exe, the setup exe
# and the GUI screenshot.
set -uo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TARGET_DIR=${HOMEDESK_WIN_TARGET:-$ROOT/target-win}
XDISPLAY=${HOMEDESK_XVFB_DISPLAY:-:99}
TRIPLE=x86_64-pc-windows-gnu
VERSION=$(sed -n 's/^version = "\(.*\)"/\1/p' "$ROOT/Cargo.toml" | head -n1)
DIST=$TARGET_DIR/dist
EXE=$DIST/homedesk.exe
SETUP=$DIST/HomeDesk-$VERSION-setup.exe
SHOT=$DIST/homedesk-wine.png
install=1 build=1
for arg in "$@"; do
  case $arg in
    --no-install) install=0 ;;
    --no-build) build=0 ;;
    *) echo "usage: $0 [--no-install] [--no-build]" >&2; exit 2 ;;
  esac
done

passed=0 failed=0
# Reads all its input (a `grep -q` that stops early makes the writer's pipe fail under pipefail).
has() { grep -F -- "$1" >/dev/null; }
pass() { echo "PASS  $1"; passed=$((passed + 1)); }
fail() { echo "FAIL  $1${2:+: $2}"; failed=$((failed + 1)); }
die() { echo "windows.sh: $*" >&2; exit 1; }
step() { echo; echo "== $* ($(date -u +%H:%M:%S))"; }

# ---------------------------------------------------------------- packages
PACKAGES=(rustc-web cargo-web rust-web-src mingw-w64 wine wine64 nsis poppler-utils
          xvfb xauth xdotool imagemagick unzip)
if [ $install = 1 ]; then
  step "Debian packages"
  missing=()
  for p in "${PACKAGES[@]}"; do dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p"); done
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}" \
      >/dev/null || die "apt-get install ${missing[*]} failed"
  fi
  echo "installed: ${PACKAGES[*]}"
fi

# ---------------------------------------------------------------- build
# Debian's rustc-web 1.96 with std built from its rust-web-src for the mingw target
# (rustup cannot add targets here). /usr/bin first, so its cargo and rustc are used.
if [ $build = 1 ]; then
  step "cargo build --target $TRIPLE --release"
  started=$(date +%s)
  (cd "$ROOT" && PATH=/usr/bin:$PATH RUSTC_BOOTSTRAP=1 CARGO_TARGET_DIR=$TARGET_DIR \
    CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc \
    CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-ar \
    WINDRES=x86_64-w64-mingw32-windres \
    nice -n 5 cargo build -Zbuild-std=std,panic_abort --target $TRIPLE --release --bin homedesk) \
    || die "the Windows build failed"
  echo "built in $(( $(date +%s) - started )) s"
fi
BUILT=$TARGET_DIR/$TRIPLE/release/homedesk.exe
[ -f "$BUILT" ] || die "no $BUILT (run without --no-build)"
mkdir -p "$DIST"
# The shipped exe is stripped of its debug symbols (session 23: 69 MB → 52 MB).
x86_64-w64-mingw32-strip -o "$EXE" "$BUILT" || die "strip failed"
echo "homedesk.exe: $(du -h "$EXE" | cut -f1) (unstripped $(du -h "$BUILT" | cut -f1))"
if x86_64-w64-mingw32-objdump -p "$EXE" | grep -E "^Subsystem.*\(Windows GUI\)" >/dev/null; then
  pass "homedesk.exe is a GUI-subsystem program (no console window from Explorer)"
else
  fail "homedesk.exe subsystem" "not Windows GUI"
fi
imports=$(x86_64-w64-mingw32-objdump -p "$EXE" | sed -n 's/^\s*DLL Name: //p' | tr 'A-Z' 'a-z' | sort -u | tr '\n' ' ')
echo "imports: $imports"
if x86_64-w64-mingw32-objdump -h "$EXE" | has .rsrc; then
  pass "homedesk.exe has its icon and version resource"
else
  fail "homedesk.exe resource" "no .rsrc section"
fi

# ---------------------------------------------------------------- installer
step "makensis"
(cd "$ROOT/packaging/windows" && makensis -V2 -INPUTCHARSET UTF8 -DVERSION="$VERSION" \
  -DEXE="$EXE" -DOUTFILE="$SETUP" homedesk.nsi) || die "makensis failed"
echo "setup: $(du -h "$SETUP" | cut -f1)"

# ---------------------------------------------------------------- Wine
# A fresh prefix per run. Wine 8.0 lacks bcryptprimitives.dll (ProcessPrng, imported by
# Rust's std since 1.78; Windows 10 and later have it): the prefix gets a forwarder to
# advapi32's SystemFunction036, built here, for this test only. It is never shipped.
step "Wine prefix"
WORK=$(mktemp -d /tmp/homedesk-wine.XXXXXX)
# HOME too: Wine links the prefix's Desktop and Documents to $HOME.
export HOME=$WORK/home
mkdir -p "$HOME"
export WINEPREFIX=$WORK/prefix WINEARCH=win64 WINEDEBUG=-all WINEDLLOVERRIDES="mscoree,mshtml=;winemenubuilder.exe=d"
cleanup() {
  wineserver -k 2>/dev/null
  [ -n "${XVFB_PID:-}" ] && kill "$XVFB_PID" 2>/dev/null
  [ "${HOMEDESK_KEEP_PREFIX:-}" = 1 ] || rm -rf "$WORK"
}
trap cleanup EXIT
wineboot -i >/dev/null 2>&1 || die "wineboot failed"
cat >"$WORK/bcryptprimitives.c" <<'C'
#include <windows.h>
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);
__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
  while (length > 0) {
    ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
    if (!SystemFunction036(data, chunk)) return FALSE;
    data += chunk; length -= chunk;
  }
  return TRUE;
}
C
x86_64-w64-mingw32-gcc -shared -O2 -o "$WINEPREFIX/drive_c/windows/system32/bcryptprimitives.dll" \
  "$WORK/bcryptprimitives.c" -ladvapi32 || die "the test stub DLL failed to build"
C_DIR="$WINEPREFIX/drive_c"
mkdir -p "$C_DIR/HomeDesk smoke"
WDIR='C:\HomeDesk smoke'   # a Windows path with a space, backslashes throughout
DB="$WDIR\\办公室.db"
hd() { wine "$EXE" "$@"; }
# wine prints \r\n: compare text without the \r.
run() { "$@" 2>&1 | tr -d '\r'; }

step "smoke test: command line"
out=$(run hd --version)
if [[ $out == "homedesk $VERSION ("*"$TRIPLE, release)" ]]; then pass "--version: $out"; else fail "--version" "$out"; fi
out=$(run hd --db "$DB" demo --households 360)
if [ -f "$C_DIR/HomeDesk smoke/办公室.db" ]; then
  pass "demo --households 360 into $DB: $(echo "$out" | head -n1)"
else
  fail "demo --households 360" "$out"
fi
out=$(run hd --db "$DB" check); rc=$?
if [ $rc = 0 ] && echo "$out" | has "$WDIR"; then
  pass "check: $(echo "$out" | grep -v '^\s*$' | tail -n1)"
else
  fail "check" "$out"
fi

# The demo's numbers start each year; the year before covers a run on 1 January.
pdf_text() { pdftotext -layout "$1" - 2>/dev/null; }
year=$(date +%Y)
printed=0
for y in "$year" $((year - 1)); do
  out=$(run hd --db "$DB" print agreement "XY-$y-0001" --out "$WDIR\\agreement.pdf")
  if [ -f "$C_DIR/HomeDesk smoke/agreement.pdf" ]; then
    text=$(pdf_text "$C_DIR/HomeDesk smoke/agreement.pdf")
    if echo "$text" | has "XY-$y-0001" && echo "$text" | has "协议"; then
      pass "print agreement XY-$y-0001: $(pdfinfo "$C_DIR/HomeDesk smoke/agreement.pdf" | sed -n 's/^Pages: *//p') page(s), text read back"
    else
      fail "print agreement" "its text: $(echo "$text" | head -n3)"
    fi
    printed=1; break
  fi
done
[ $printed = 1 ] || fail "print agreement" "$out"
printed=0
for y in "$year" $((year - 1)); do
  out=$(run hd --db "$DB" print slip --no "LY-$y-000001" --out "$WDIR\\slip.pdf")
  if [ -f "$C_DIR/HomeDesk smoke/slip.pdf" ]; then
    text=$(pdf_text "$C_DIR/HomeDesk smoke/slip.pdf")
    if echo "$text" | has "LY-$y-000001" && echo "$text" | has "留言条"; then
      pass "print slip LY-$y-000001: text read back"
    else
      fail "print slip" "its text: $(echo "$text" | head -n3)"
    fi
    printed=1; break
  fi
done
[ $printed = 1 ] || fail "print slip" "$out"
month_start=$(date +%Y-%m-01)
today=$(date +%Y-%m-%d)
out=$(run hd --db "$DB" export repair --from "$month_start" --to "$today" --out "$WDIR\\维修登记表.xlsx")
xlsx="$C_DIR/HomeDesk smoke/维修登记表.xlsx"
if [ -f "$xlsx" ] && unzip -l "$xlsx" | has "xl/worksheets/sheet1.xml"; then
  pass "export repair $month_start..$today: $(du -h "$xlsx" | cut -f1) .xlsx ($(echo "$out" | tail -n1))"
else
  fail "export repair" "$out"
fi
out=$(run hd --db "$DB" backup --out "$WDIR\\backups\\copy.db")
if [ -f "$C_DIR/HomeDesk smoke/backups/copy.db" ]; then
  pass "backup into a new folder with a backslash path"
else
  fail "backup" "$out"
fi

step "smoke test: the GUI under Xvfb $XDISPLAY"
Xvfb "$XDISPLAY" -screen 0 1280x800x24 >/dev/null 2>&1 &
XVFB_PID=$!
sleep 2
DISPLAY=$XDISPLAY wine "$EXE" --db "$DB" >"$WORK/gui.log" 2>&1 &
GUI_PID=$!
window=""
for _ in $(seq 1 60); do
  window=$(DISPLAY=$XDISPLAY xdotool search --name "HomeDesk|居家服务台" 2>/dev/null | head -n1)
  [ -n "$window" ] && break
  sleep 1
done
sleep 10   # the first frames: the font, the sign-in form
DISPLAY=$XDISPLAY import -window root "$DIST/homedesk-wine-sign-in.png" 2>/dev/null
if [ -n "$window" ]; then
  # The demo manager signs in (the login field has the focus): the register behind it.
  DISPLAY=$XDISPLAY xdotool windowfocus --sync "$window" 2>/dev/null
  DISPLAY=$XDISPLAY xdotool type --delay 80 wangjl
  DISPLAY=$XDISPLAY xdotool key Tab
  DISPLAY=$XDISPLAY xdotool type --delay 80 demo1234
  DISPLAY=$XDISPLAY xdotool key Return
  sleep 15
fi
DISPLAY=$XDISPLAY import -window root "$SHOT" 2>/dev/null
if [ -n "$window" ] && kill -0 $GUI_PID 2>/dev/null; then
  title=$(DISPLAY=$XDISPLAY xdotool getwindowname "$window")
  colours=$(convert "$SHOT" -format "%k" info: 2>/dev/null)
  if [ "${colours:-0}" -gt 50 ]; then
    pass "GUI: window \"$title\" open, screenshot with $colours colours"
  else
    fail "GUI" "the screenshot is blank ($colours colours)"
  fi
else
  fail "GUI" "no window; $(tr -d '\r' <"$WORK/gui.log" | tail -n3)"
fi
kill $GUI_PID 2>/dev/null
wineserver -k 2>/dev/null; sleep 1

step "installer: silent install, run, silent uninstall"
wine "$SETUP" /S /AllUsers >/dev/null 2>&1
wineserver -w
INST_WIN='C:\Program Files\HomeDesk'
INST="$C_DIR/Program Files/HomeDesk"
if [ -f "$INST/homedesk.exe" ] && [ -f "$INST/uninstall.exe" ]; then
  pass "setup /S installed $INST_WIN\\homedesk.exe and uninstall.exe"
else
  fail "setup /S" "no $INST/homedesk.exe"
fi
links=$(find "$C_DIR" -iname "*HomeDesk*.lnk" 2>/dev/null | sed "s|$C_DIR/||" | sort)
if [ "$(echo "$links" | grep -c .)" -ge 2 ]; then
  pass "shortcuts: $(echo "$links" | tr '\n' ';')"
else
  fail "shortcuts" "$links"
fi
# The installed exe on the default database: %APPDATA%\HomeDesk\HomeDesk\data\homedesk.db.
out=$(run wine "$INST/homedesk.exe" demo --households 60)
appdata_db=$(find "$C_DIR/users" -path "*HomeDesk/HomeDesk/data/homedesk.db" 2>/dev/null | head -n1)
if [ -n "$appdata_db" ]; then pass "installed exe: demo into %APPDATA% (${appdata_db#$C_DIR/})"; else fail "installed demo" "$out"; fi
out=$(run wine "$INST/homedesk.exe" check); rc=$?
if [ $rc = 0 ]; then pass "installed exe: check"; else fail "installed check" "$out"; fi
# The uninstaller copies itself to %TEMP% and runs from there: wait for every Wine process.
wine "$INST/uninstall.exe" /S /AllUsers >/dev/null 2>&1
wineserver -w
if [ ! -f "$INST/homedesk.exe" ] && [ -z "$(find "$C_DIR" -iname "*HomeDesk*.lnk" 2>/dev/null)" ]; then
  pass "uninstall /S removed the program and its shortcuts"
else
  fail "uninstall /S" "$(ls "$INST" 2>&1)"
fi
if [ -n "$appdata_db" ] && [ -f "$appdata_db" ]; then
  pass "uninstall kept the office's data: ${appdata_db#$C_DIR/}"
else
  fail "uninstall kept the data" "the database is gone"
fi
# Per user: no administrator, %LOCALAPPDATA%\Programs\HomeDesk, the user's own shortcuts.
wine "$SETUP" /S /CurrentUser >/dev/null 2>&1
wineserver -w
user_exe=$(find "$C_DIR/users" -ipath "*/Programs/HomeDesk/homedesk.exe" 2>/dev/null | head -n1)
if [ -n "$user_exe" ] && run wine "$user_exe" --version | has "$VERSION"; then
  pass "setup /S /CurrentUser installed ${user_exe#$C_DIR/}, which runs"
  wine "$(dirname "$user_exe")/uninstall.exe" /S /CurrentUser >/dev/null 2>&1
  wineserver -w
  if [ ! -f "$user_exe" ]; then pass "per-user uninstall /S"; else fail "per-user uninstall" "$user_exe is still there"; fi
else
  fail "setup /S /CurrentUser" "no homedesk.exe under %LOCALAPPDATA%\\Programs"
fi

echo
echo "== summary: $passed passed, $failed failed"
echo "homedesk.exe: $EXE ($(du -h "$EXE" | cut -f1))"
echo "setup:        $SETUP ($(du -h "$SETUP" | cut -f1))"
echo "screenshot:   $SHOT"
[ $failed = 0 ]
