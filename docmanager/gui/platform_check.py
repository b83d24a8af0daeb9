"""Before any QApplication: do the X11 (xcb) platform plugin's libraries resolve? If not, say which and how to install.

Qt aborts when its xcb plugin cannot be loaded, naming only libxcb-cursor0 whatever is missing. This check runs
``ldd`` on the plugin first and names every missing library with the Debian/Ubuntu and Fedora packages that
provide it. It imports nothing from Qt at import time (``python -m docmanager.gui.platform_check`` runs it alone).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

# The shared libraries the xcb plugin (and libQt6XcbQpa) needs, with the Debian/Ubuntu and Fedora packages that
# ship them. The first group is what a desktop commonly lacks; the rest come with any X11 install but are listed
# so that the command is right whatever is missing.
PACKAGES: dict[str, tuple[str, str]] = {
    "libxcb-cursor.so.0": ("libxcb-cursor0", "xcb-util-cursor"),
    "libxcb-icccm.so.4": ("libxcb-icccm4", "xcb-util-wm"),
    "libxcb-keysyms.so.1": ("libxcb-keysyms1", "xcb-util-keysyms"),
    "libxkbcommon-x11.so.0": ("libxkbcommon-x11-0", "libxkbcommon-x11"),
    "libxcb-render-util.so.0": ("libxcb-render-util0", "xcb-util-renderutil"),
    "libxcb-image.so.0": ("libxcb-image0", "xcb-util-image"),
    "libxcb-util.so.1": ("libxcb-util1", "xcb-util"),
    "libxkbcommon.so.0": ("libxkbcommon0", "libxkbcommon"),
    "libxcb-randr.so.0": ("libxcb-randr0", "libxcb"),
    "libxcb-render.so.0": ("libxcb-render0", "libxcb"),
    "libxcb-shape.so.0": ("libxcb-shape0", "libxcb"),
    "libxcb-shm.so.0": ("libxcb-shm0", "libxcb"),
    "libxcb-sync.so.1": ("libxcb-sync1", "libxcb"),
    "libxcb-xfixes.so.0": ("libxcb-xfixes0", "libxcb"),
    "libxcb-xkb.so.1": ("libxcb-xkb1", "libxcb"),
    "libxcb.so.1": ("libxcb1", "libxcb"),
    "libX11-xcb.so.1": ("libx11-xcb1", "libX11-xcb"),
    "libX11.so.6": ("libx11-6", "libX11"),
    "libXau.so.6": ("libxau6", "libXau"),
    "libXdmcp.so.6": ("libxdmcp6", "libXdmcp"),
    "libGL.so.1": ("libgl1", "libglvnd-glx"),
    "libEGL.so.1": ("libegl1", "libglvnd-egl"),
    "libfontconfig.so.1": ("libfontconfig1", "fontconfig"),
    "libfreetype.so.6": ("libfreetype6", "freetype"),
    "libdbus-1.so.3": ("libdbus-1-3", "dbus-libs"),
}

XCB_PLUGIN = Path("platforms") / "libqxcb.so"


def will_use_xcb(environ: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """Whether Qt will load the xcb plugin first, following QGuiApplication's choice on Linux.

    An explicit QT_QPA_PLATFORM decides (its first entry: ``xcb``, or ``wayland;xcb``...); otherwise Qt prefers
    wayland when WAYLAND_DISPLAY is set or the session is a Wayland one, and xcb else. Offscreen, minimal and
    Wayland starts never need the xcb libraries, so they are not checked.
    """
    env = os.environ if environ is None else environ
    if not (platform or sys.platform).startswith("linux"):
        return False
    requested = env.get("QT_QPA_PLATFORM", "").strip()
    if requested:
        return requested.split(";")[0].split(":")[0].strip() == "xcb"
    return not (env.get("WAYLAND_DISPLAY") or env.get("XDG_SESSION_TYPE") == "wayland")


def default_plugin() -> Path | None:
    """The xcb plugin Qt will load: under Qt's plugins path, or a QT_PLUGIN_PATH folder; None if there is none."""
    from PySide6.QtCore import QLibraryInfo  # QtCore only: no application, no platform plugin loaded

    dirs = [Path(QLibraryInfo.path(QLibraryInfo.LibraryPath.PluginsPath))]
    dirs += [Path(d) for d in os.environ.get("QT_PLUGIN_PATH", "").split(os.pathsep) if d]
    return next((d / XCB_PLUGIN for d in dirs if (d / XCB_PLUGIN).is_file()), None)


def missing_libraries(plugin: Path, ldd: Sequence[str] = ("ldd",)) -> list[str] | None:
    """The libraries ``ldd`` reports as not found for the plugin (and what it links); None if ldd cannot tell."""
    if shutil.which(ldd[0]) is None:
        return None  # no ldd (a musl system, a stripped container): let Qt try rather than refuse to start
    try:
        result = subprocess.run([*ldd, str(plugin)], capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    missing: list[str] = []
    for line in result.stdout.splitlines():
        name, arrow, where = line.strip().partition("=>")
        if arrow and where.strip().startswith("not found") and name.strip() not in missing:
            missing.append(name.strip())
    return missing


def install_commands(missing: Sequence[str]) -> str:
    """The apt-get and dnf commands that install the packages with these libraries, one per line."""
    debian = list(dict.fromkeys(PACKAGES[m][0] if m in PACKAGES else f"<the package with {m}>" for m in missing))
    # dnf installs by the library's soname when the package is not one we know.
    fedora = list(dict.fromkeys(PACKAGES[m][1] if m in PACKAGES else f"'{m}()(64bit)'" for m in missing))
    return (
        f"  Debian/Ubuntu:  sudo apt-get install {' '.join(debian)}\n"
        f"  Fedora:         sudo dnf install {' '.join(fedora)}"
    )


def install_message(missing: Sequence[str]) -> str:
    """One message: what is missing, and the apt-get and dnf commands that install it."""
    names = " and ".join([", ".join(missing[:-1]), missing[-1]] if len(missing) > 1 else missing)
    return (
        f"DocManager cannot open its window: Qt's X11 (xcb) platform plugin needs {names}, "
        "missing on this system. Install them, then start DocManager again:\n" + install_commands(missing)
    )


def check_platform(
    plugin: Path | None = None,
    ldd: Sequence[str] = ("ldd",),
    environ: Mapping[str, str] | None = None,
) -> str | None:
    """The message to show when the xcb plugin will be used and cannot load; None when the start can go on.

    ``plugin`` and ``ldd`` are what the tests replace: a plugin file anywhere and a command printing ldd's output.
    """
    if not will_use_xcb(environ):
        return None
    if plugin is None:
        plugin = default_plugin()
        if plugin is None:
            return None  # a Qt without the xcb plugin: Qt will say so itself
    missing = missing_libraries(plugin, ldd)
    return install_message(missing) if missing else None


def ensure_platform(plugin: Path | None = None, ldd: Sequence[str] = ("ldd",)) -> bool:
    """Print the message to stderr and return False when the window cannot start; True otherwise."""
    message = check_platform(plugin, ldd)
    if message is None:
        return True
    print(message, file=sys.stderr)
    return False


def main(argv: Sequence[str] | None = None) -> int:
    """``python -m docmanager.gui.platform_check [--plugin PATH] [--ldd COMMAND]``: exit 0 when ready, 1 if not."""
    import argparse

    parser = argparse.ArgumentParser(prog="python -m docmanager.gui.platform_check", description=__doc__)
    parser.add_argument("--plugin", type=Path, help="the xcb platform plugin to check (default: Qt's own)")
    parser.add_argument("--ldd", default="ldd", help="the ldd command (default: ldd)")
    args = parser.parse_args(argv)
    return 0 if ensure_platform(args.plugin, (args.ldd,)) else 1


if __name__ == "__main__":
    sys.exit(main())
