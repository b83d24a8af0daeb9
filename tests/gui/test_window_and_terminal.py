"""The window and terminal commands on one library, at the same time, as a user has them."""

from __future__ import annotations

import itertools
import sqlite3
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import SAMPLE, deleted_handles, new_listing, run_cli
from PySide6.QtCore import QSettings, QTimer

from docmanager.errors import LibraryError
from docmanager.gui import app as app_module
from docmanager.gui.mainwindow import MainWindow
from docmanager.gui.recovery import LibraryProblem
from docmanager.library import Library

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to list open files")





@pytest.fixture
def shared(qtbot, tmp_path: Path) -> Iterator[tuple[MainWindow, Path]]:  # type: ignore[no-untyped-def]
    path = tmp_path / "library.sqlite"
    run_cli(path, "import", str(SAMPLE), "--captured-at", "2026-11-25", check=True)
    library = Library(path)
    win = MainWindow(library, QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat))
    win.setProperty("quiet_imports", True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win, path
    win.close()
    library.close()


def test_window_and_terminal_side_by_side(qtbot, shared: tuple[MainWindow, Path], tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    win, path = shared
    assert win.model.total == 10
    for batch in range(1, 4):  # every later import shows, not only the first
        run_cli(path, "import", str(new_listing(tmp_path / f"page{batch}.txt", batch)), check=True)
        qtbot.waitUntil(lambda b=batch: win.model.total == 10 * (b + 1), timeout=2500)  # within 2 s (+ slack)
        assert deleted_handles(path) == []
    run_cli(path, "tag", "2", "clitag", check=True)
    run_cli(path, "later", "5", check=True)
    qtbot.waitUntil(lambda: "clitag" in dict(win.library.tag_counts()), timeout=2500)
    # The window's edit is committed at once: a terminal sees it without the window quitting.
    win.tag_documents([3], ["窗口"])
    assert win.operations.drain(20)
    assert "窗口" in run_cli(path, "show", "3", check=True).stdout
    listed = run_cli(path, "list", "--tag", "窗口", "--format", "tsv", check=True).stdout
    assert listed.splitlines()[1].startswith("3\t")
    assert deleted_handles(path) == []
    win.close()
    win.library.close()
    assert run_cli(path, "check", check=True).stdout.strip().endswith("ok")
    with Library(path) as after:
        assert after.get(2).tags == ("clitag",)
        assert after.get(3).tags == ("窗口",)
        assert after.later_queue() == [5]
        assert after.count() == 40
        assert sorted(after.tag_counts()) == [("clitag", 1), ("窗口", 1)]


def test_edits_wait_for_a_terminal_import_without_freezing(qtbot, shared: tuple[MainWindow, Path]) -> None:  # type: ignore[no-untyped-def]
    win, path = shared
    # Another program holds the write lock (a long import, say) until told to stop.
    holder = subprocess.Popen(
        [sys.executable, "-c", "import filelock, sys; l = filelock.FileLock(sys.argv[1]); l.acquire(); "
         "print('held', flush=True); sys.stdin.readline()", f"{path}.lock"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
    )  # fmt: skip
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
        win.tag_documents([1], ["先"])
        win.tag_documents([1], ["先"], add=False)  # made after: must apply after
        win.tag_documents([1], ["后"])
        win.table.selectRow(win.model.row_of(4))
        win.toggle_later()
        win.toggle_later()  # two presses while waiting cancel out
        # The window's thread stays free: its timers run while the edits wait.
        ticks: list[float] = []
        timer = QTimer(win, interval=20)
        timer.timeout.connect(lambda: ticks.append(time.monotonic()))
        timer.start()
        qtbot.waitUntil(lambda: "Waiting for another program" in win.statusBar().currentMessage(), timeout=3000)
        qtbot.wait(600)
        assert len(ticks) >= 10 and max(b - a for a, b in itertools.pairwise(ticks)) < 0.5
        assert win.operations.pending == 5
        assert win.library.get(1).tags == ()  # nothing applied yet
    finally:
        assert holder.stdin is not None
        holder.stdin.write("\n")
        holder.stdin.flush()
        holder.wait(10)
    assert win.operations.drain(20)
    assert set(win.library.get(1).tags) == {"后"}
    assert not win.library.get(4).read_later
    assert win.statusBar().currentMessage() == ""


def _index_damaged(path: Path) -> None:
    """Make an index disagree with its table, as two programs writing to different journals did:
    quick_check (what opening runs) passes, integrity_check does not."""
    conn = sqlite3.connect(path)
    try:
        conn.execute("PRAGMA writable_schema = ON")
        conn.execute(
            "UPDATE sqlite_master SET sql = replace(sql, '(pages', '(size_bytes') WHERE name = 'documents_sort_pages'"
        )
        conn.commit()
    finally:
        conn.close()


def test_a_library_damaged_where_opening_does_not_look_is_reported(  # type: ignore[no-untyped-def]
    qtbot, shared: tuple[MainWindow, Path], monkeypatch
) -> None:
    win, path = shared
    shown: list[str] = []
    monkeypatch.setattr(LibraryProblem, "exec", lambda self: shown.append(self.informativeText()) or 0)
    win.library.close()
    _index_damaged(path)
    with Library(path) as reopened:  # opening alone does not see it
        assert reopened.count() == 10
    check = app_module.start_daily_backup(path, win.library_failed.emit)
    check.join(30)
    assert check.problems
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "damaged" in shown[0]
    assert isinstance(win.recovery, LibraryProblem)
    assert not win.isVisible()  # closed, so that the damaged file can be set aside


def test_damage_met_by_an_edit_is_reported(qtbot, shared: tuple[MainWindow, Path], monkeypatch) -> None:  # type: ignore[no-untyped-def]
    win, _ = shared
    shown: list[str] = []
    monkeypatch.setattr(LibraryProblem, "exec", lambda self: shown.append(self.informativeText()) or 0)

    def broken(_library: Library) -> None:
        raise LibraryError("the library file is damaged (database disk image is malformed)", "damaged")

    win.operations.submit(broken)
    assert win.operations.drain(20)
    qtbot.waitUntil(lambda: bool(shown), timeout=5000)
    assert "malformed" in shown[0]


def test_the_window_reopens_on_the_restored_backup(qtbot, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """The whole way out, as run_gui takes it: damage found after the window shows, Restore the
    latest backup, the window closes (every connection with it), the damaged file is set aside, and a
    window opens on the restored library."""
    from PySide6.QtWidgets import QApplication, QMessageBox

    from docmanager.library.backup import take_backup

    path = tmp_path / "library.sqlite"
    run_cli(path, "import", str(SAMPLE), check=True)
    with Library(path) as lib:
        take_backup(lib, reason="test")
    _index_damaged(path)
    monkeypatch.setenv("HOME", str(tmp_path))
    asked: list[str] = []

    def restore(self: LibraryProblem) -> int:
        asked.append(self.informativeText())
        self.restore_button.click()
        return 0

    monkeypatch.setattr(LibraryProblem, "exec", restore)
    monkeypatch.setattr(QMessageBox, "information", lambda *args, **kwargs: QMessageBox.StandardButton.Ok)
    seen: dict[int, int] = {}  # window -> ticks it has been visible
    closed: list[tuple[Path, int]] = []

    def close_a_settled_window() -> None:
        """The damaged window closes itself; the one on the restored library is closed by hand."""
        for w in QApplication.topLevelWidgets():
            if isinstance(w, MainWindow) and w.isVisible():
                seen[id(w)] = seen.get(id(w), 0) + 1
                if seen[id(w)] >= 8 and w.recovery is None:
                    closed.append((w.library.path, w.model.total))
                    w.close()

    timer = QTimer(interval=100)
    timer.timeout.connect(close_a_settled_window)
    timer.start()
    try:
        assert app_module.run_gui(path, []) == 0
    finally:
        timer.stop()
    assert len(asked) == 1 and "damaged" in asked[0]
    assert closed == [(path, 10)]
    assert list(tmp_path.glob("library.damaged-*.sqlite"))
    assert run_cli(path, "check", check=True).stdout.strip().endswith("ok")
