"""Importing from the window: a worker thread with its own connection, progress with Cancel, a summary."""

from __future__ import annotations

from collections.abc import Callable
from contextlib import AbstractContextManager, nullcontext
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt, QThread, Signal
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QProgressDialog,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from docmanager.errors import Cancelled, DocManagerError
from docmanager.gui.crash import report_bug
from docmanager.gui.i18n import tr
from docmanager.gui.messages import localized
from docmanager.library import Library

if TYPE_CHECKING:
    from docmanager.importer import FileResult  # the importer (and its splitter) load on the first import


class ImportWorker(QThread):
    """Imports files on its own connection; each file is one transaction, so Cancel rolls back the
    file being read and keeps the files already finished. The write lock is held from the first file
    to the last, inside ``own_commits`` (the window's Operations.own_commits): the window's watcher
    then does not take the import's commits for another program's, since the window refreshes from
    the Changes the import reports."""

    progressed = Signal(int, int, str)  # done (per mille), of, current file
    finished_import = Signal(list, str)  # results, error message ("" if none)

    def __init__(
        self,
        library_path: Path,
        paths: list[Path],
        parent: QWidget | None = None,
        sources: dict[Path, str] | None = None,
        own_commits: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        super().__init__(parent)
        self.library_path = library_path
        self.paths = paths
        self.sources = sources or {}  # what a carrier file stands for ("clipboard …"), by path
        self.own_commits = own_commits
        self._cancel = False

    def cancel(self) -> None:
        self._cancel = True

    def _waiting(self, _seconds: float) -> None:
        if self._cancel:
            raise Cancelled("cancelled while waiting for another program")
        self.progressed.emit(0, 1000, tr("waiting for another program to finish writing…"))

    def run(self) -> None:
        from docmanager.importer import import_files

        results: list[FileResult] = []
        error = ""
        try:
            # A terminal import may hold the write lock for as long as its file takes: wait for it
            # (the progress dialog says so) rather than fail, for as long as Cancel is not pressed.
            library = Library(self.library_path, lock_timeout=None, on_lock_wait=self._waiting)
            try:
                with library.write_lock(), self.own_commits():

                    def on_progress(n: int, files: int, done: int, total: int) -> None:
                        fraction = (n + (done / total if total else 0)) / max(files, 1)
                        self.progressed.emit(int(fraction * 1000), 1000, self.paths[n].name)

                    try:
                        results = import_files(
                            library,
                            self.paths,
                            cancelled=lambda: self._cancel,
                            file_progress=on_progress,
                            results_out=results,
                            sources=self.sources,
                        )
                    finally:
                        library.close()  # inside the lock too: its checkpoint changes data_version
            finally:
                library.close()
        except Cancelled:
            error = tr("Import cancelled: the file being read was not imported.")
        except DocManagerError as exc:
            error = localized(str(exc))
        except Exception as exc:  # a bug: to the log and the crash dialog; the summary says what was done
            error = tr("An unexpected error occurred (a bug); the file being read was not imported.")
            report_bug(exc, "importing listing files", error)
        self.finished_import.emit(results, error)


class ImportProgress(QProgressDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(tr("Importing…"), tr("Cancel"), 0, 1000, parent)
        self.setWindowTitle(tr("Importing listing files"))
        self.setWindowModality(Qt.WindowModality.WindowModal)
        self.setMinimumDuration(300)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setValue(0)

    def update_progress(self, value: int, maximum: int, name: str) -> None:
        self.setMaximum(maximum)
        self.setValue(value)
        self.setLabelText(tr("Importing %1…").replace("%1", name))


class ImportSummary(QDialog):
    """Per file: new, updated, unchanged, rejected; rejected lines expand to their reasons."""

    def __init__(self, results: list[FileResult], error: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(tr("Import summary"))
        self.resize(820, 420)
        layout = QVBoxLayout(self)
        new = sum(r.new for r in results)
        updated = sum(r.updated for r in results)
        unchanged = sum(r.unchanged for r in results)
        rejected = sum(max(r.rejected, len(r.rejections)) for r in results)
        refused = sum(1 for r in results if not r.ok)
        text = tr("%1 new, %2 updated, %3 unchanged, %4 lines rejected, %5 files refused.")
        for n, value in enumerate((new, updated, unchanged, rejected, refused), start=1):
            text = text.replace(f"%{n}", f"{value:,}")
        if repeated := sum(r.repeated for r in results):
            text += " " + tr("%1 lines repeated an earlier line of their file and were counted once.").replace(
                "%1", f"{repeated:,}"
            )
        self.headline = QLabel(text)
        self.headline.setTextFormat(Qt.TextFormat.PlainText)
        layout.addWidget(self.headline)
        if error:
            warning = QLabel(error)
            warning.setTextFormat(Qt.TextFormat.PlainText)
            warning.setWordWrap(True)
            layout.addWidget(warning)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(
            [tr("File / line"), tr("New"), tr("Updated"), tr("Unchanged"), tr("Rejected / reason")]
        )
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Interactive)
        self.tree.setColumnWidth(0, 260)
        for column in (1, 2, 3):
            self.tree.setColumnWidth(column, 80)
        for result in results:
            name = Path(result.path).name
            if result.ok:
                item = QTreeWidgetItem(
                    [
                        name,
                        str(result.new),
                        str(result.updated),
                        str(result.unchanged),
                        str(max(result.rejected, len(result.rejections))),
                    ]
                )
                for rejection in result.rejections:
                    start = rejection.raw[:80] + ("…" if len(rejection.raw) > 80 else "")
                    child = QTreeWidgetItem(
                        [
                            tr("line %1").replace("%1", str(rejection.line_no)),
                            "",
                            "",
                            "",
                            f"{localized(rejection.reason)}: {start}",
                        ]
                    )
                    child.setToolTip(4, f"{localized(rejection.reason)}\n{rejection.raw}")
                    item.addChild(child)
                if (more := result.rejected - len(result.rejections)) > 0:
                    item.addChild(QTreeWidgetItem(["", "", "", "", tr("… and %1 more").replace("%1", f"{more:,}")]))
            else:
                reason = tr("refused: %1").replace("%1", localized(result.refused or ""))
                item = QTreeWidgetItem([name, "", "", "", reason])
            item.setToolTip(0, result.path)
            self.tree.addTopLevelItem(item)
        self.tree.expandAll()
        layout.addWidget(self.tree)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Ok)
        buttons.accepted.connect(self.accept)
        layout.addWidget(buttons)
