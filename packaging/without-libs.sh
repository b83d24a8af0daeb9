#!/bin/bash
# Run a command as on a desktop that lacks some libraries, without touching this system: in a private mount
# namespace (needs root and unshare) where /usr/lib/x86_64-linux-gnu is a copy made of symlinks, minus HIDE.
#
#   sudo HIDE='libxcb-icccm.so* libxcb-keysyms.so*' unshare -m packaging/without-libs.sh .venv/bin/docmanager
#   sudo HIDE='libxcb-*.so* libxkbcommon-x11.so*' unshare -m packaging/without-libs.sh dist/DocManager/DocManager
#
# The first prints the platform check's message and exits 1; the second starts (the bundle ships them).
set -euo pipefail
LIBDIR=${LIBDIR:-/usr/lib/x86_64-linux-gnu}
[ -n "${HIDE:-}" ] || { echo "set HIDE to the library file globs to hide" >&2; exit 2; }
D=$(mktemp -d)
# Never rm -r "$D/orig": while mounted it is the real library folder. rmdir refuses it unless empty.
cleanup() { umount "$LIBDIR" 2>/dev/null || :; umount "$D/orig" 2>/dev/null || :; rm -rf "$D/shadow"; rmdir "$D/orig" "$D"; }
trap cleanup EXIT
mount --make-rprivate /
mkdir -p "$D/orig" "$D/shadow"
mount --bind "$LIBDIR" "$D/orig"
for f in "$D"/orig/*; do
    name=${f##*/}
    hidden=0
    for glob in $HIDE; do
        # shellcheck disable=SC2254
        case $name in $glob) hidden=1 ;; esac
    done
    [ $hidden = 1 ] || ln -s "$D/orig/$name" "$D/shadow/$name"
done
mount --bind "$D/shadow" "$LIBDIR"
"$@"
