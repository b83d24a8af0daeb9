#!/bin/sh
# Install / uninstall DocManager's Linux desktop integration for the current user.
#
#   packaging/install-desktop.sh install EXEC_PATH [COMMAND_PATH]   # e.g. dist/DocManager/DocManager
#   packaging/install-desktop.sh uninstall
#
# Installs into ${XDG_DATA_HOME:-$HOME/.local/share}:
#   applications/io.github.docmanager.DocManager.desktop   (Exec= rewritten to EXEC_PATH)
#   icons/hicolor/<N>x<N>/apps/io.github.docmanager.DocManager.png, scalable/apps/*.svg
#   mime/packages/io.github.docmanager.DocManager.xml
#   metainfo/io.github.docmanager.DocManager.metainfo.xml
# and, with COMMAND_PATH, the terminal command ~/.local/bin/docmanager (a symlink to COMMAND_PATH: the
# venv's docmanager script or the bundle), so that the README's `docmanager ...` commands work as written.
# It refreshes the desktop/MIME/icon caches when the tools are available.
# Idempotent; never fails because an optional cache tool is missing.
set -eu

APP_ID=io.github.docmanager.DocManager
SCRIPT_DIR=$(CDPATH= cd -- "$(dirname -- "$0")" && pwd)
RES_DIR=${DOCMANAGER_RESOURCES:-"$SCRIPT_DIR/../resources"}
DATA_HOME=${XDG_DATA_HOME:-"$HOME/.local/share"}
case $DATA_HOME in /*) ;; *) DATA_HOME="$HOME/.local/share" ;; esac  # spec: must be absolute

APPS_DIR="$DATA_HOME/applications"
ICONS_DIR="$DATA_HOME/icons/hicolor"
MIME_DIR="$DATA_HOME/mime"
METAINFO_DIR="$DATA_HOME/metainfo"
BIN_DIR="$HOME/.local/bin"  # the XDG user executables folder (systemd file-hierarchy), on PATH in most distros
COMMAND="$BIN_DIR/docmanager"
SIZES="16 24 32 48 64 128 256 512"

usage() {
    echo "usage: $0 install EXEC_PATH [COMMAND_PATH] | uninstall" >&2
    exit 2
}

have() { command -v "$1" >/dev/null 2>&1; }

# Run an optional tool; report but ignore failures.
try() {
    if have "$1"; then
        "$@" >/dev/null || echo "warning: '$*' failed (ignored)" >&2
    fi
}

refresh_caches() {
    [ -d "$APPS_DIR" ] && try update-desktop-database -q "$APPS_DIR"
    if [ -d "$MIME_DIR/packages" ]; then
        try update-mime-database "$MIME_DIR"
    fi
    if [ -d "$ICONS_DIR" ]; then
        touch "$ICONS_DIR" 2>/dev/null || :
        # Only if the theme dir has an index (a user hicolor dir normally has none).
        [ -f "$ICONS_DIR/index.theme" ] && try gtk-update-icon-cache -q -t -f "$ICONS_DIR"
    fi
    return 0
}

# Escape a string for use as a desktop-entry Exec argument (spec: quote when it
# contains reserved characters; inside quotes escape " ` $ and \).
quote_exec() {
    case $1 in
        *[[:space:]\"\'\\\>\<\~\|\&\;\$\*\?\#\(\)\`]*)
            printf '"%s"' "$(printf '%s' "$1" | sed -e 's/\\/\\\\\\\\/g' -e 's/["`$]/\\\\&/g' -e 's/%/%%/g')" ;;
        *) printf '%s' "$1" | sed -e 's/%/%%/g' ;;
    esac
}

absolute() {
    case $1 in
        /*) printf '%s' "$1" ;;
        *) if have realpath && [ -e "$1" ]; then realpath "$1"; else printf '%s' "$(pwd)/$1"; fi ;;
    esac
}

# Ours to replace or remove: a symlink into a DocManager checkout's venv or a bundle (not a pipx install,
# not a file someone put there).
our_command() {
    [ -L "$COMMAND" ] || return 1
    case $(readlink "$COMMAND") in
        */.venv/bin/docmanager | */DocManager/DocManager) return 0 ;;
        *) return 1 ;;
    esac
}

install_command() {
    target=$(absolute "$1")
    if [ -e "$COMMAND" ] || [ -L "$COMMAND" ]; then
        if ! our_command; then
            echo "warning: $COMMAND exists and is not DocManager's link; left as it is" >&2
            return 0
        fi
    fi
    mkdir -p "$BIN_DIR"
    ln -sfn "$target" "$COMMAND"
    echo "Installed the command $COMMAND -> $target"
    case ":$PATH:" in
        *":$BIN_DIR:"*) ;;
        *) echo "note: $BIN_DIR is not on your PATH; add it (most distributions do at the next login)" >&2 ;;
    esac
}

do_install() {
    exec_path=$(absolute "$1")
    [ -x "$exec_path" ] || echo "warning: $exec_path is not an executable file (yet)" >&2
    [ -f "$RES_DIR/$APP_ID.desktop" ] || { echo "error: resources not found in $RES_DIR" >&2; exit 1; }

    mkdir -p "$APPS_DIR" "$MIME_DIR/packages" "$METAINFO_DIR" "$ICONS_DIR/scalable/apps"

    # .desktop entry with Exec (and TryExec, if any) pointing at the installed program.
    # sed replacement: escape \ & and the | delimiter.
    exec_q=$(quote_exec "$exec_path")
    exec_sed=$(printf '%s' "$exec_q" | sed -e 's/[\\&|]/\\&/g')
    path_sed=$(printf '%s' "$exec_path" | sed -e 's/[\\&|]/\\&/g')
    tmp="$APPS_DIR/.$APP_ID.desktop.$$"
    sed -e "s|^Exec=[^ ]*|Exec=$exec_sed|" \
        -e "s|^TryExec=.*|TryExec=$path_sed|" \
        "$RES_DIR/$APP_ID.desktop" > "$tmp"
    chmod 644 "$tmp"
    mv -f "$tmp" "$APPS_DIR/$APP_ID.desktop"

    for n in $SIZES; do
        src="$RES_DIR/icons/hicolor/${n}x${n}/apps/$APP_ID.png"
        [ -f "$src" ] || continue
        mkdir -p "$ICONS_DIR/${n}x${n}/apps"
        cp -f "$src" "$ICONS_DIR/${n}x${n}/apps/$APP_ID.png"
    done
    cp -f "$RES_DIR/icons/$APP_ID.svg" "$ICONS_DIR/scalable/apps/$APP_ID.svg"

    # Equivalent to: xdg-mime install --mode user <file> (which also needs the
    # vendor-prefixed name); done by hand so it works without xdg-utils.
    cp -f "$RES_DIR/$APP_ID.mime.xml" "$MIME_DIR/packages/$APP_ID.xml"
    cp -f "$RES_DIR/$APP_ID.metainfo.xml" "$METAINFO_DIR/$APP_ID.metainfo.xml"

    refresh_caches
    echo "Installed $APP_ID desktop integration into $DATA_HOME (Exec=$exec_q)"
    [ -z "${2:-}" ] || install_command "$2"
}

do_uninstall() {
    rm -f "$APPS_DIR/$APP_ID.desktop" \
          "$MIME_DIR/packages/$APP_ID.xml" \
          "$METAINFO_DIR/$APP_ID.metainfo.xml" \
          "$ICONS_DIR/scalable/apps/$APP_ID.svg"
    for n in $SIZES; do
        rm -f "$ICONS_DIR/${n}x${n}/apps/$APP_ID.png"
    done
    if our_command; then
        rm -f "$COMMAND"
        echo "Removed the command $COMMAND"
    fi
    # If no other MIME packages remain, update-mime-database would leave an empty
    # database behind; that is harmless, so always refresh.
    refresh_caches
    echo "Removed $APP_ID desktop integration from $DATA_HOME"
}

[ $# -ge 1 ] || usage
case $1 in
    install)   [ $# -eq 2 ] || [ $# -eq 3 ] || usage; do_install "$2" "${3:-}" ;;
    uninstall) [ $# -eq 1 ] || usage; do_uninstall ;;
    *) usage ;;
esac
