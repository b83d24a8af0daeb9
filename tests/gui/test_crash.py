"""A bug in the window reaches the log and a crash dialog that names the log file, from whichever
thread met it; the dialog does not block; the edit thread outlives a bug in its watcher."""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtWidgets import QMessageBox

from docmanager.errors import LibraryError
from docmanager.gui import app
from docmanager.gui.crash import CrashDialog, reporter
from docmanager.gui.mainwindow import MainWindow
from docmanager.gui.operations import Operations
from docmanager.library import Library
from docmanager.paths import bug_log_path

SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "listing-page.txt"


@pytest.fixture
def shown(qtbot) -> Iterator[list[CrashDialog]]:  # type: ignore[no-untyped-def]
    """The crash dialogs shown during the test (closed at its end)."""
    dialogs: list[CrashDialog] = []
    reporter().shown.connect(dialogs.append)
    yield dialogs
    reporter().shown.disconnect(dialogs.append)
    if (dialog := reporter().dialog) is not None:
        dialog.close()
    qtbot.waitUntil(lambda: reporter().dialog is None)


def _names_the_log(dialog: CrashDialog) -> None:
    log = bug_log_path()
    assert dialog.log_path == log
    assert str(log) in dialog.informativeText()
    assert dialog.isVisible() and not dialog.isModal()


def test_a_bug_in_an_edit_shows_the_crash_dialog_naming_the_log(
    qtbot, window: MainWindow, shown: list[CrashDialog]  # type: ignore[no-untyped-def]
) -> None:
    with qtbot.waitSignal(window.operations.crashed):
        window.operations.submit(lambda lib: lib.conn.execute("UPDATE documents SET nosuch = 1"), what="bad")
    assert len(shown) == 1
    dialog = shown[0]
    _names_the_log(dialog)
    assert "the change was not saved" in dialog.text()
    assert "no such column: nosuch" in dialog.detailedText()
    log = bug_log_path().read_text(encoding="utf-8")
    assert "a bug while the edit 'bad'" in log and "Traceback (most recent call last):" in log
    assert log.rstrip().endswith("sqlite3.OperationalError: no such column: nosuch")
    # Not blocked: the window goes on editing while the dialog is open.
    with qtbot.waitSignal(window.operations.finished):
        window.operations.submit(lambda lib: lib.set_notes(1, "still works"), what="notes")
    assert window.library.get(1).notes == "still works"


def test_a_second_bug_joins_the_open_dialog(qtbot, window: MainWindow, shown: list[CrashDialog]) -> None:  # type: ignore[no-untyped-def]
    for what in ("first", "second"):
        with qtbot.waitSignal(window.operations.crashed):
            window.operations.submit(lambda lib: lib.conn.execute("SELECT nosuch FROM documents"), what=what)
    assert len(shown) == 2 and shown[0] is shown[1]
    assert shown[0].detailedText().count("no such column: nosuch") == 2
    assert bug_log_path().read_text(encoding="utf-8").count("Traceback (most recent call last):") == 2


def test_the_excepthooks_report_bugs_and_only_bugs(
    qtbot, shown: list[CrashDialog], monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)  # restored after the test
    monkeypatch.setattr(threading, "excepthook", threading.excepthook)
    app.install_excepthooks()

    known = LibraryError("/x/lib.sqlite: the disk is full; nothing was changed", "full")
    sys.excepthook(LibraryError, known, None)
    assert shown == [] and not bug_log_path().exists()
    assert "the disk is full" in caplog.text  # no window open: said in the log of this run

    try:
        {}["missing"]
    except KeyError as exc:
        sys.excepthook(KeyError, exc, exc.__traceback__)
    assert len(shown) == 1  # on the window's thread: at once
    _names_the_log(shown[0])
    shown[0].close()
    qtbot.waitUntil(lambda: reporter().dialog is None)

    def broken() -> None:
        raise TypeError("a bug on a thread")

    thread = threading.Thread(target=broken, name="worker")
    with qtbot.waitSignal(reporter().shown):
        thread.start()
    thread.join()
    assert "a bug on a thread" in shown[-1].detailedText()
    log = bug_log_path().read_text(encoding="utf-8")
    assert "a bug while in the window" in log and "a bug while on the thread worker" in log
    assert "LibraryError" not in log


def test_a_bug_in_the_watcher_is_reported_once_and_the_edit_thread_lives_on(
    qtbot, gui_library: Library, shown: list[CrashDialog]  # type: ignore[no-untyped-def]
) -> None:
    ops = Operations(gui_library.path, poll_seconds=0.01)
    try:
        # The edit thread's connection closed under it: its next poll meets Python's ProgrammingError.
        with qtbot.waitSignal(reporter().shown):
            ops.submit(lambda lib: lib.conn.close(), what="close the connection")
        with qtbot.waitSignal(ops.finished) as done:
            ops.submit(lambda _lib: 42, what="after the bug")
        assert done.args[0].result == 42
        with qtbot.waitSignal(ops.finished):  # more polls in between: still said once
            ops.submit(lambda _lib: None, what="again")
        log = bug_log_path().read_text(encoding="utf-8")
        assert log.count("a bug while watching the library") == 1
        assert "sqlite3.ProgrammingError: Cannot operate on a closed database." in log
        assert len(shown) == 1 and "closed database" in shown[0].detailedText()
    finally:
        ops.close(timeout=5)


def test_crash_dialog_says_it_in_chinese(qtbot, shown: list[CrashDialog]) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtCore import QCoreApplication, QLocale, QTranslator

    translator = QTranslator()
    root = Path(__file__).resolve().parents[2] / "resources" / "translations"
    assert translator.load(QLocale(QLocale.Language.Chinese, QLocale.Country.China), "docmanager", "_", str(root))
    QCoreApplication.installTranslator(translator)
    try:
        reporter().report(ValueError("x"), "testing")
    finally:
        QCoreApplication.removeTranslator(translator)
    assert shown[0].text() == "发生了意外错误(程序缺陷)。"
    assert str(bug_log_path()) in shown[0].informativeText() and "日志文件" in shown[0].informativeText()
    assert shown[0].standardButtons() == QMessageBox.StandardButton.Close


def test_a_bug_in_an_import_ends_it_with_the_crash_dialog(
    qtbot, tmp_path: Path, shown: list[CrashDialog]  # type: ignore[no-untyped-def]
) -> None:
    from docmanager.gui.importing import ImportWorker

    path = tmp_path / "lib.sqlite"
    Library(path).close()
    conn = sqlite3.connect(path)
    conn.execute("ALTER TABLE documents DROP COLUMN rating")  # the import's statements now name a missing column
    conn.commit()
    conn.close()
    worker = ImportWorker(path, [SAMPLE])
    with qtbot.waitSignal(worker.finished_import) as finished:
        worker.start()
    worker.wait()
    results, error = finished.args
    assert results == []
    assert error == "An unexpected error occurred (a bug); the file being read was not imported."
    qtbot.waitUntil(lambda: len(shown) == 1)
    assert shown[0].text() == error
    assert "no such column: d.rating" in shown[0].detailedText()
    assert "a bug while importing listing files" in bug_log_path().read_text(encoding="utf-8")
