"""First start without the xcb libraries: one clear message naming them and the install commands, exit 1, no Qt abort.

The libraries are hidden with a fake ``ldd`` that reports two of them not found (the case seen on a real desktop:
libxcb-cursor0 present, libxcb-icccm4 and libxcb-keysyms1 missing), and a fake plugin file.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from docmanager.gui.platform_check import check_platform, install_message, missing_libraries, will_use_xcb

ROOT = Path(__file__).resolve().parent.parent

FAKE_LDD = """#!/bin/sh
cat <<'EOF'
\tlinux-vdso.so.1 (0x00007ffd)
\tlibQt6XcbQpa.so.6 => /opt/Qt/lib/libQt6XcbQpa.so.6 (0x00007f55)
\tlibxcb-cursor.so.0 => /lib/x86_64-linux-gnu/libxcb-cursor.so.0 (0x00007f55)
\tlibxcb-icccm.so.4 => not found
\tlibxcb-keysyms.so.1 => not found
\tlibxcb.so.1 => /lib/x86_64-linux-gnu/libxcb.so.1 (0x00007f55)
\tlibxcb-icccm.so.4 => not found
EOF
"""
ALL_FOUND_LDD = """#!/bin/sh
printf '\\tlibxcb-icccm.so.4 => /lib/x86_64-linux-gnu/libxcb-icccm.so.4 (0x00007f55)\\n'
"""


def _script(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8")
    path.chmod(0o755)
    return path


@pytest.fixture
def fake_bin(tmp_path: Path) -> Path:
    """A folder with an ``ldd`` that hides libxcb-icccm.so.4 and libxcb-keysyms.so.1."""
    folder = tmp_path / "bin"
    folder.mkdir()
    _script(folder / "ldd", FAKE_LDD)
    return folder


@pytest.fixture
def fake_plugin(tmp_path: Path) -> Path:
    plugin = tmp_path / "plugins" / "platforms" / "libqxcb.so"
    plugin.parent.mkdir(parents=True)
    plugin.write_bytes(b"\x7fELF not really")
    return plugin


def _xcb_env(fake_bin: Path, **extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("WAYLAND_DISPLAY", "XDG_SESSION_TYPE")}
    env.update(
        PATH=f"{fake_bin}{os.pathsep}{env.get('PATH', '')}",
        PYTHONPATH=str(ROOT),
        QT_QPA_PLATFORM="xcb",
        DISPLAY=":99",
        **extra,
    )
    return env


def _assert_install_message(result: subprocess.CompletedProcess[str]) -> None:
    assert result.returncode == 1, (result.returncode, result.stderr)  # -6 would be Qt's abort
    out = result.stdout + result.stderr
    assert "Aborted" not in out and "core dumped" not in out and "could not load the Qt platform plugin" not in out
    assert out.count("DocManager cannot open its window") == 1, out
    assert "libxcb-icccm.so.4" in out and "libxcb-keysyms.so.1" in out, out
    assert "libxcb-cursor.so.0" not in out, out  # present: not blamed, unlike Qt's message
    assert "sudo apt-get install libxcb-icccm4 libxcb-keysyms1\n" in out, out
    assert "sudo dnf install xcb-util-wm xcb-util-keysyms\n" in out, out


def test_check_names_the_missing_libraries_and_exits_1(fake_bin: Path, fake_plugin: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "docmanager.gui.platform_check", "--plugin", str(fake_plugin),
         "--ldd", str(fake_bin / "ldd")],
        capture_output=True, text=True, timeout=60, env=_xcb_env(fake_bin), cwd=ROOT, check=False,
    )
    _assert_install_message(result)


def test_gui_start_checks_before_any_qapplication(fake_bin: Path, tmp_path: Path) -> None:
    """``docmanager gui`` with the libraries hidden: the message and exit 1, not Qt's abort; no library made."""
    library = tmp_path / "lib" / "library.sqlite"
    code = (
        "import sys\n"
        "from docmanager.cli import main\n"
        "rc = main(sys.argv[1:])\n"
        "from PySide6.QtWidgets import QApplication\n"
        "assert QApplication.instance() is None, 'a QApplication was created before the check'\n"
        "sys.exit(rc)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, "gui", "--library", str(library)],
        capture_output=True, text=True, timeout=60, env=_xcb_env(fake_bin), cwd=tmp_path, check=False,
    )
    _assert_install_message(result)
    assert not library.exists()


def test_the_check_module_imports_without_qt() -> None:
    code = "import sys, docmanager.gui.platform_check; assert 'PySide6' not in sys.modules, sorted(sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True, timeout=60, env={**os.environ, "PYTHONPATH": str(ROOT)})


@pytest.mark.parametrize(
    ("env", "platform", "expected"),
    [
        ({}, "linux", True),
        ({"DISPLAY": ":0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb", "WAYLAND_DISPLAY": "wayland-0"}, "linux", True),
        ({"QT_QPA_PLATFORM": "xcb:no-glx"}, "linux", True),
        ({"QT_QPA_PLATFORM": "offscreen", "DISPLAY": ":0"}, "linux", False),
        ({"QT_QPA_PLATFORM": "minimal"}, "linux", False),
        ({"QT_QPA_PLATFORM": "wayland;xcb", "DISPLAY": ":0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0"}, "linux", False),
        ({"WAYLAND_DISPLAY": "wayland-0", "DISPLAY": ":0"}, "linux", False),  # Qt prefers wayland, xcb the fallback
        ({"XDG_SESSION_TYPE": "wayland", "DISPLAY": ":0"}, "linux", False),
        ({"DISPLAY": ":0"}, "darwin", False),
        ({}, "win32", False),
    ],
)
def test_only_an_xcb_start_is_checked(env: dict[str, str], platform: str, expected: bool) -> None:
    assert will_use_xcb(env, platform) is expected


def test_offscreen_skips_the_check(fake_bin: Path, fake_plugin: Path) -> None:
    assert check_platform(fake_plugin, (str(fake_bin / "ldd"),), {"QT_QPA_PLATFORM": "offscreen"}) is None


def test_nothing_missing_lets_the_start_go_on(tmp_path: Path, fake_plugin: Path) -> None:
    ldd = _script(tmp_path / "ldd-ok", ALL_FOUND_LDD)
    assert missing_libraries(fake_plugin, (str(ldd),)) == []
    assert check_platform(fake_plugin, (str(ldd),), {"QT_QPA_PLATFORM": "xcb"}) is None


def test_without_ldd_the_check_is_skipped(tmp_path: Path, fake_plugin: Path) -> None:
    no_ldd = (str(tmp_path / "no-such-ldd"),)
    assert missing_libraries(fake_plugin, no_ldd) is None
    assert check_platform(fake_plugin, no_ldd, {"QT_QPA_PLATFORM": "xcb"}) is None


def test_an_unknown_library_still_gets_commands() -> None:
    message = install_message(["libxcb-cursor.so.0", "libfoo.so.3"])
    assert "sudo apt-get install libxcb-cursor0 <the package with libfoo.so.3>" in message
    assert "sudo dnf install xcb-util-cursor 'libfoo.so.3()(64bit)'" in message
