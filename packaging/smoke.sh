#!/usr/bin/env bash
# The bundle as a user meets it: install the desktop entry into a fresh HOME, start the app through
# the entry's Exec line with the sample listing (as a file manager would), wait for the window, check
# the sample's ten documents landed in the new library, take a screenshot, quit with Ctrl+Q, and
# require a clean exit. Any failing step fails the script.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
APP_ID=io.github.docmanager.DocManager
BUNDLE=$ROOT/dist/DocManager/DocManager
OUT=${SMOKE_OUT:-$ROOT/build/smoke}
PY=${PY:-$ROOT/.venv/bin/python}

step() { printf '\n== %s\n' "$*"; }
fail() { echo "smoke: FAILED: $*" >&2; exit 1; }

step "tools"
need=()
for tool in Xvfb xdotool import desktop-file-validate appstreamcli; do
    command -v "$tool" >/dev/null || need+=("$tool")
done
if ((${#need[@]})); then
    echo "installing: ${need[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    apt-get install -y -qq xvfb xdotool imagemagick desktop-file-utils appstream fonts-wqy-microhei \
        libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 >/dev/null
fi

step "validate the desktop entry and the metainfo"
desktop-file-validate resources/$APP_ID.desktop
appstreamcli validate --no-net resources/$APP_ID.metainfo.xml

[ -x "$BUNDLE" ] || fail "no bundle at $BUNDLE (run make bundle)"

step "the bundle carries the X11 libraries desktops often lack"
# With the environment the bootloader gives the app (LD_LIBRARY_PATH=_internal), the xcb plugin must load
# each of them from the bundle, not from this machine, so a desktop without the packages still starts it.
INTERNAL=$(dirname "$BUNDLE")/_internal
LDD_OUT=$(LD_LIBRARY_PATH=$INTERNAL ldd "$INTERNAL/PySide6/Qt/plugins/platforms/libqxcb.so")
for lib in libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxkbcommon-x11.so.0 \
        libxcb-render-util.so.0 libxcb-image.so.0 libxcb-util.so.1; do
    where=$(printf '%s\n' "$LDD_OUT" | awk -v l="$lib" '$1 == l { print $3; exit }')
    [ "$where" = "$INTERNAL/$lib" ] || fail "$lib resolves to '${where:-nothing}', not the bundle's copy"
    echo "$lib => $where"
done

step "fresh HOME, desktop entry installed for it"
rm -rf "$OUT"
mkdir -p "$OUT/home"
export HOME=$OUT/home
unset XDG_DATA_HOME XDG_CONFIG_HOME XDG_CACHE_HOME XDG_RUNTIME_DIR DOCMANAGER_LIBRARY
sh packaging/install-desktop.sh install "$BUNDLE"
ENTRY=$HOME/.local/share/applications/$APP_ID.desktop
[ -f "$ENTRY" ] || fail "the desktop entry was not installed"
desktop-file-validate "$ENTRY"
EXEC_LINE=$(sed -n 's/^Exec=//p' "$ENTRY" | head -n1)
echo "Exec=$EXEC_LINE"
SAMPLE="$OUT/listing page 示例.txt"
cp resources/listing-page.txt "$SAMPLE"
# As a launcher does: split the Exec line into words and put the files where %F stands.
mapfile -t ARGV < <("$PY" - "$EXEC_LINE" "$SAMPLE" <<'PYEOF'
import shlex, sys
words = shlex.split(sys.argv[1].replace("%%", "\x00"))
out = []
for w in words:
    out.extend(sys.argv[2:] if w == "%F" else [w.replace("\x00", "%")])
print("\n".join(out))
PYEOF
)
echo "launching: ${ARGV[*]}"

step "start the app under Xvfb"
DISPLAY_NUM=:$((90 + RANDOM % 9))
Xvfb "$DISPLAY_NUM" -screen 0 1400x860x24 -nolisten tcp >"$OUT/xvfb.log" 2>&1 &
XVFB=$!
cleanup() { kill "$APP" 2>/dev/null || true; kill "$XVFB" 2>/dev/null || true; }
trap cleanup EXIT
export DISPLAY=$DISPLAY_NUM
for _ in $(seq 50); do xdpyinfo >/dev/null 2>&1 && break; sleep 0.1; done 2>/dev/null || true
sleep 1
START=$(date +%s.%N)
"${ARGV[@]}" >"$OUT/app.log" 2>&1 &
APP=$!

step "wait for the main window"
WIN=""
for _ in $(seq 120); do
    WIN=$(xdotool search --classname "$APP_ID" 2>/dev/null | head -n1 || true)
    [ -n "$WIN" ] && break
    kill -0 "$APP" 2>/dev/null || { cat "$OUT/app.log"; fail "the app exited before showing a window"; }
    sleep 0.25
done
[ -n "$WIN" ] || { cat "$OUT/app.log"; fail "no window with class $APP_ID within 30 s"; }
awk -v s="$START" -v e="$(date +%s.%N)" -v w="$WIN" 'BEGIN { printf "window %s after %.1f s\n", w, e - s }'

step "the sample's ten documents are in the new library"
LIBRARY=$HOME/.local/share/DocManager/library.sqlite
COUNT=0
for _ in $(seq 120); do
    if [ -f "$LIBRARY" ]; then
        COUNT=$("$PY" -c "import sqlite3,sys; print(sqlite3.connect(f'file:{sys.argv[1]}?mode=ro', uri=True).execute('select count(*) from documents').fetchone()[0])" "$LIBRARY" 2>/dev/null || echo 0)
        [ "$COUNT" = 10 ] && break
    fi
    sleep 0.25
done
[ "$COUNT" = 10 ] || { cat "$OUT/app.log"; fail "expected 10 documents in $LIBRARY, found $COUNT"; }
echo "10 documents in $LIBRARY"
LEFTOVERS=$(find "$HOME" -type f ! -path "$HOME/.local/share/DocManager/*" ! -path "$HOME/.local/share/applications/*" \
    ! -path "$HOME/.local/share/icons/*" ! -path "$HOME/.local/share/mime/*" ! -path "$HOME/.local/share/metainfo/*" \
    ! -path "$HOME/.config/DocManager/*" | head)
[ -z "$LEFTOVERS" ] || echo "note: other files written under HOME: $LEFTOVERS"

step "screenshot"
sleep 1.5
import -window root "$OUT/screenshot.png"
echo "saved $OUT/screenshot.png"

step "Ctrl+Q and a clean exit"
xdotool windowactivate --sync "$WIN" 2>/dev/null || xdotool windowfocus "$WIN" || true
xdotool key --clearmodifiers ctrl+q
for _ in $(seq 80); do kill -0 "$APP" 2>/dev/null || break; sleep 0.25; done
if kill -0 "$APP" 2>/dev/null; then
    import -window root "$OUT/stuck.png" || true
    fail "the app did not exit within 20 s of Ctrl+Q"
fi
wait "$APP" && STATUS=0 || STATUS=$?
[ "$STATUS" = 0 ] || { cat "$OUT/app.log"; fail "the app exited with status $STATUS"; }
if grep -Eq "Traceback|Fatal|Segmentation" "$OUT/app.log"; then cat "$OUT/app.log"; fail "errors in the app's output"; fi
echo "smoke: passed"
