"""The main window's imports: listing files chosen or dropped, pastes and browser drags (through a
carrier file of their own), the worker with its progress, and the summary."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication, QFileDialog

from docmanager.gui.i18n import label_file_dialog, tr
from docmanager.gui.importing import ImportProgress, ImportSummary, ImportWorker
from docmanager.gui.window_base import WindowBase

if TYPE_CHECKING:
    from docmanager.importer import FileResult


class ImportHandling(WindowBase):
    """Mixin of MainWindow: one import at a time, the next ones queued."""

    def choose_files(self) -> None:
        start = self.settings.value("import/last_folder", str(Path.home()))
        dialog = label_file_dialog(
            QFileDialog(
                self,
                tr("Import listing files"),
                str(start),
                tr("Listing files (*.txt *.html *.htm);;All files (*)"),
            )
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFiles)
        files = dialog.selectedFiles() if dialog.exec() else []
        if files:
            self.settings.setValue("import/last_folder", str(Path(files[0]).parent))
            self.import_paths([Path(f) for f in files])

    def import_paths(self, paths: list[Path]) -> None:
        """Import on a worker thread with progress and Cancel; queued if an import is running."""
        if self._import_worker is not None:
            self._pending_imports.extend(paths)
            return
        sources = {p: self._pasted[p] for p in paths if p in self._pasted}
        self._import_worker = ImportWorker(self.library.path, paths, self, sources, self.operations.own_commits)
        self._progress = ImportProgress(self)
        self._progress.canceled.connect(self._import_worker.cancel)
        self._import_worker.progressed.connect(self._progress.update_progress)
        self._import_worker.finished_import.connect(self._import_done)
        self._import_worker.start()

    def _import_done(self, results: list[FileResult], error: str) -> None:
        if self._import_worker is not None:
            self._import_worker.wait()
        self._import_worker = None
        if self._progress is not None:
            self._progress.close()
            self._progress.deleteLater()
            self._progress = None
        self.last_results, self.last_error = results, error
        for path in [p for p in self._pasted if p not in self._pending_imports]:
            path.unlink(missing_ok=True)  # a paste's carrier file: its text is in the library now
            del self._pasted[path]
        # What the files imported changed, as after an edit: their rows, the counts, the query if new
        # documents or a refreshed field may move it. A cancelled or refused file changed nothing.
        from docmanager.importer import changes_of

        self.apply_changes(changes_of(results))
        self.import_finished.emit(results)
        if not self.property("quiet_imports"):
            self.show_last_summary()
        if self._pending_imports:
            paths, self._pending_imports = self._pending_imports, []
            self.import_paths(paths)

    def show_last_summary(self) -> None:
        """Non-modal, so the library stays usable (and Ctrl+Q works) while the summary is open."""
        if self.last_results or self.last_error:
            if self._summary is not None:
                self._summary.close()
            self._summary = ImportSummary(self.last_results, self.last_error, self)
            self._summary.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
            self._summary.destroyed.connect(self._forget_summary)
            self._summary.show()

    def _forget_summary(self) -> None:
        self._summary = None

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        mime = event.mimeData()
        if (mime.hasUrls() and any(u.isLocalFile() for u in mime.urls())) or mime.hasHtml() or mime.hasText():
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        """Files dropped are imported; a selection dragged from a browser is imported as a paste."""
        mime = event.mimeData()
        paths = [Path(u.toLocalFile()) for u in mime.urls() if u.isLocalFile()]
        if paths:
            event.acceptProposedAction()
            self.import_paths(paths)
        elif mime.hasHtml() or mime.hasText():
            event.acceptProposedAction()
            self.import_mime(mime)

    def paste_listing(self) -> None:
        self.import_mime(QApplication.clipboard().mimeData())

    def import_mime(self, mime: QMimeData) -> None:
        """Import a copied results page: its HTML when there is some (exact titles and the documents'
        links), else its text. It goes through a file of its own, like any listing, recorded as
        "clipboard" and the time; the file is removed once imported."""
        if mime.hasHtml() and mime.html().strip():
            text, suffix = mime.html(), ".html"
        elif mime.hasText() and mime.text().strip():
            text, suffix = mime.text(), ".txt"
        else:
            self.statusBar().showMessage(tr("The clipboard holds no text to import."), 8000)
            return
        now = datetime.now()
        path = Path(self._paste_folder.name) / f"clipboard-{now:%Y%m%d-%H%M%S}-{len(self._pasted)}{suffix}"
        path.write_text(text, encoding="utf-8")
        self._pasted[path] = f"{tr('clipboard')} {now:%Y-%m-%d %H:%M:%S}"
        self.import_paths([path])
