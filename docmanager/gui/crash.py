"""Bugs in the window: the one path from any thread to the log file and a crash dialog that names it.

Whoever meets a bug (see docmanager.buglog for the rule) calls ``report_bug``: the edit thread, the
export and backup tasks, ``sys.excepthook`` and ``threading.excepthook`` (installed by run_gui). It
writes the bug with its traceback to the log at once, on the thread that met it, and the dialog is
shown on the window's thread. The dialog is not modal: the window stays usable, and a test sees it
through ``CrashReporter.shown`` without being blocked. While one is open, later bugs are added to
its details instead of stacking dialogs (every one is in the log).
"""

from __future__ import annotations

import threading
from pathlib import Path

from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from docmanager import APP_NAME, buglog
from docmanager.gui.i18n import tr
from docmanager.paths import bug_log_path


class CrashDialog(QMessageBox):
    """Says that a bug happened, what it cost, and where its details were written."""

    def __init__(self, summary: str, details: str, log_path: Path, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.log_path = log_path
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(APP_NAME)
        self.setWindowModality(Qt.WindowModality.NonModal)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.setText(summary)
        self.setInformativeText(
            tr("Its details were written to the log file:\n%1\n\nPlease report the problem with that file.").replace(
                "%1", str(log_path)
            )
        )
        self.setDetailedText(details)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)  # the path can be copied
        self.setStandardButtons(QMessageBox.StandardButton.Close)

    def add(self, details: str) -> None:
        """Another bug while this dialog is open: its traceback joins the details."""
        self.setDetailedText(f"{self.detailedText()}\n{details}")


class CrashReporter(QObject):
    """Lives on the window's thread; shows the crash dialog for bugs recorded on any thread."""

    shown = Signal(object)  # the CrashDialog, once it shows (or a later bug joined it)
    _recorded = Signal(str, str)  # the summary, the traceback: from any thread to this object's

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.dialog: CrashDialog | None = None
        self._recorded.connect(self._show, Qt.ConnectionType.QueuedConnection)

    def report(self, exc: BaseException, doing: str, summary: str | None = None) -> str:
        """Log the bug now (any thread) and show the dialog on the window's thread. ``doing`` (for the
        log, in English) says what was being done; ``summary`` (for the user, translated) what it cost.
        Returns the traceback."""
        details = buglog.record(exc, doing)
        summary = summary or tr("An unexpected error occurred (a bug).")
        if QThread.currentThread() is self.thread():
            self._show(summary, details)
        else:
            self._recorded.emit(summary, details)
        return details

    @Slot(str, str)
    def _show(self, summary: str, details: str) -> None:
        if self.dialog is not None:
            self.dialog.add(details)
            self.shown.emit(self.dialog)
            return
        parent = QApplication.activeWindow()
        dialog = CrashDialog(summary, details, bug_log_path(), parent)
        dialog.finished.connect(self._forget)
        dialog.destroyed.connect(self._forget)
        self.dialog = dialog
        dialog.show()
        self.shown.emit(dialog)

    @Slot()
    def _forget(self) -> None:
        self.dialog = None


_reporter: list[CrashReporter] = []
_reporter_lock = threading.Lock()


def reporter() -> CrashReporter:
    """The application's one CrashReporter, made on first use and moved to the window's thread."""
    with _reporter_lock:
        if not _reporter:
            made = CrashReporter()
            app = QCoreApplication.instance()
            if app is not None and made.thread() is not app.thread():
                made.moveToThread(app.thread())
            _reporter.append(made)
        return _reporter[0]


def report_bug(exc: BaseException, doing: str, summary: str | None = None) -> str:
    """The one way a bug in the window is reported (see the module's docstring); any thread."""
    return reporter().report(exc, doing, summary)
