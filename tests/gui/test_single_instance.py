"""Starting the app: files on the command line are imported, and a second start hands over its files."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from docmanager.gui.app import server_name

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "listing-page.txt"


def _env(tmp_path: Path) -> dict[str, str]:
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"))
    for key in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "DOCMANAGER_LIBRARY"):
        env.pop(key, None)
    return env


def _count(library: Path) -> int:
    if not library.exists():
        return -1
    try:
        with sqlite3.connect(f"file:{library}?mode=ro", uri=True) as conn:
            return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    except sqlite3.Error:
        return -1


def _wait(predicate, timeout: float = 30) -> bool:  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        if predicate():
            return True
        time.sleep(0.1)
    return False


def test_second_start_hands_its_files_to_the_running_window(tmp_path: Path) -> None:
    library = tmp_path / "我的 library.sqlite"
    env = _env(tmp_path)
    first = subprocess.Popen(
        [sys.executable, "-m", "docmanager", "--library", str(library)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        assert _wait(lambda: _count(library) == 0 and _listening(library)), "the first window is up"
        second = subprocess.run(
            [sys.executable, "-m", "docmanager", "--library", str(library), str(SAMPLE)],
            env=env,
            capture_output=True,
            timeout=60,
            check=False,
        )
        assert second.returncode == 0, second.stderr
        assert _wait(lambda: _count(library) == 10), "the running window imported the handed-over file"
        assert first.poll() is None, "the first window is still running"
    finally:
        first.kill()
        first.wait()


def _listening(library: Path) -> bool:
    from PySide6.QtNetwork import QLocalSocket

    socket = QLocalSocket()
    socket.connectToServer(server_name(library))
    ok = socket.waitForConnected(100)
    socket.abort()
    return ok


def test_files_on_the_command_line_are_imported_on_first_start(tmp_path: Path) -> None:
    env = _env(tmp_path)
    library = tmp_path / "home" / ".local" / "share" / "DocManager" / "library.sqlite"
    app = subprocess.Popen(
        [sys.executable, "-m", "docmanager", str(SAMPLE)], env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT
    )
    try:
        assert _wait(lambda: _count(library) == 10), "the default library was created and the file imported"
    finally:
        app.kill()
        app.wait()
    written = sorted(str(p.relative_to(tmp_path / "home")) for p in (tmp_path / "home").rglob("*") if p.is_file())
    assert all(p.startswith((".local/share/DocManager/", ".config/DocManager/")) for p in written), written
