#!/bin/sh
# Before a bundle build: the X11 libraries the bundle ships (packaging/docmanager.spec, XCB_LIBS) must be on
# this machine. Installs the missing ones with apt-get when run as root on Debian/Ubuntu (as smoke.sh does
# for its tools); otherwise prints the command and fails.
set -eu
[ "$(uname -s)" = Linux ] || exit 0
DEBIAN="libxcb-cursor0 libxcb-icccm4 libxcb-keysyms1 libxkbcommon-x11-0 libxcb-render-util0 libxcb-image0 \
libxcb-util1 libxcb-render0 libxcb-shm0 libxcb-xkb1 libxkbcommon0"
FEDORA="xcb-util-cursor xcb-util-wm xcb-util-keysyms libxkbcommon-x11 xcb-util-renderutil xcb-util-image \
xcb-util libxcb libxkbcommon"
LDCONFIG=$(command -v ldconfig || echo /sbin/ldconfig)
missing=
for lib in libxcb-cursor.so.0 libxcb-icccm.so.4 libxcb-keysyms.so.1 libxkbcommon-x11.so.0 libxcb-render-util.so.0 \
        libxcb-image.so.0 libxcb-util.so.1 libxcb-render.so.0 libxcb-shm.so.0 libxcb-xkb.so.1 libxkbcommon.so.0; do
    "$LDCONFIG" -p 2>/dev/null | grep -q "^[[:space:]]*$lib " || missing="$missing $lib"
done
[ -n "$missing" ] || exit 0
echo "The bundle ships X11 libraries this machine lacks:$missing"
if command -v apt-get >/dev/null 2>&1 && [ "$(id -u)" = 0 ]; then
    echo "installing: $DEBIAN"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >/dev/null
    # shellcheck disable=SC2086
    apt-get install -y -qq $DEBIAN >/dev/null
    exit 0
fi
echo "Install them, then build again:" >&2
echo "  Debian/Ubuntu:  sudo apt-get install $DEBIAN" >&2
echo "  Fedora:         sudo dnf install $FEDORA" >&2
exit 1
