"""The main window's export, backup and restore: save dialogs, and the worker that writes with a
connection of its own while a busy dialog shows."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal
from PySide6.QtWidgets import QFileDialog, QLineEdit, QMessageBox, QProgressDialog

from docmanager import APP_NAME
from docmanager.errors import DocManagerError
from docmanager.gui.crash import report_bug
from docmanager.gui.i18n import label_file_dialog, tr
from docmanager.gui.window_base import WindowBase
from docmanager.library import Library
from docmanager.library.backup import Restored, backup_folder, restore, write_backup
from docmanager.library.transfer import export_to_file


class LibraryTask(QThread):
    """Reads the library off the window's thread, with a connection of its own (export, backup)."""

    succeeded = Signal(object)  # what ``run`` returned
    failed = Signal(str)  # the DocManagerError's message
    crashed = Signal(str)  # a bug: its traceback (logged and shown by report_bug already)

    def __init__(self, library_path: Path, run: Callable[[Library], object], parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.library_path, self.job = library_path, run

    def run(self) -> None:
        try:
            library = Library(self.library_path, create=False)
            try:
                result = self.job(library)
            finally:
                library.close()
        except DocManagerError as exc:
            self.failed.emit(str(exc))
        except Exception as exc:  # a bug: to the log and the crash dialog, and the window told
            summary = tr("An unexpected error occurred (a bug); nothing was written.")
            self.crashed.emit(report_bug(exc, "an export or backup", summary))
        else:
            self.succeeded.emit(result)


class BackupExport(WindowBase):
    """Mixin of MainWindow: one export or backup at a time; a restore goes through the edit queue."""

    def _save_dialog(self, title: str, filters: str, name: str) -> tuple[Path | None, str]:
        start = Path(str(self.settings.value("export/last_folder", str(Path.home()))))
        dialog = label_file_dialog(QFileDialog(self, title, str(start / name), filters))
        dialog.setAcceptMode(QFileDialog.AcceptMode.AcceptSave)  # it asks before replacing a file
        dialog.setObjectName("save-dialog")
        dialog.filterSelected.connect(lambda chosen: self._follow_filter(dialog, chosen))
        if not dialog.exec() or not dialog.selectedFiles():
            return None, ""
        path = Path(dialog.selectedFiles()[0])
        self.settings.setValue("export/last_folder", str(path.parent))
        return path, dialog.selectedNameFilter()

    @staticmethod
    def _follow_filter(dialog: QFileDialog, chosen: str) -> None:
        """Choosing "CSV" turns the typed library.json into library.csv (Qt's own dialog only)."""
        field = dialog.findChild(QLineEdit, "fileNameEdit")
        suffix = chosen.rpartition("(*")[2].rstrip(")")
        if field is not None and suffix.startswith(".") and field.text().strip():
            field.setText(str(Path(field.text().strip()).with_suffix(suffix)))

    def choose_export(self) -> None:
        path, chosen = self._save_dialog(
            tr("Export the library"), tr("JSON, everything (*.json);;CSV, one row per document (*.csv)"), "library.json"
        )
        if path is not None:
            fmt = "csv" if path.suffix.lower() == ".csv" or (not path.suffix and "csv" in chosen) else "json"
            if not path.suffix:
                path = path.with_suffix(f".{fmt}")
            self.export_to(path, fmt)

    def export_to(self, path: Path, fmt: str) -> None:
        """Export on a worker with a connection of its own; the file dialog already confirmed a replace."""
        self._start_task(
            tr("Exporting the library to %1…").replace("%1", path.name),
            lambda library: export_to_file(library, path, fmt, overwrite=True),
            lambda count: tr("Exported %1 document(s) to %2").replace("%1", f"{count:,}").replace("%2", str(path)),
        )

    def choose_backup(self) -> None:
        path, _ = self._save_dialog(
            tr("Back up the library"), tr("DocManager libraries (*.sqlite);;All files (*)"), "library-backup.sqlite"
        )
        if path is not None:
            self.backup_to(path)

    def backup_to(self, path: Path) -> None:
        self._start_task(
            tr("Writing a backup to %1…").replace("%1", path.name),
            lambda library: write_backup(library, path, overwrite=True),
            lambda written: tr("Backed up the library to %1").replace("%1", str(written)),
        )

    @property
    def task_running(self) -> bool:
        """Whether an export or backup is being written (on a thread of its own)."""
        return self._task is not None

    def _start_task(self, doing: str, run: Callable[[Library], object], done: Callable[[object], str]) -> None:
        """One export or backup at a time, with a busy dialog (they cannot be stopped half-way)."""
        if self._task is not None:
            QMessageBox.information(self, APP_NAME, tr("Wait until the export or backup under way has finished."))
            return
        self._task = LibraryTask(self.library.path, run, self)
        self._busy = QProgressDialog(doing, "", 0, 0, self)
        self._busy.setWindowTitle(APP_NAME)
        self._busy.setCancelButton(None)  # type: ignore[arg-type]  # Qt takes None: no button
        self._busy.setMinimumDuration(300)  # a small library is done before it would flash
        self._busy.setWindowModality(Qt.WindowModality.WindowModal)
        self._task.succeeded.connect(lambda result: self._task_done(done(result), None))
        self._task.failed.connect(lambda message: self._task_done(None, message))
        self._task.crashed.connect(self._task_crashed)
        self._task.start()

    def _task_done(self, message: str | None, error: str | None) -> None:
        if self._task is not None:
            self._task.wait()
            self._task.deleteLater()
            self._task = None
        if self._busy is not None:
            self._busy.close()
            self._busy.deleteLater()
            self._busy = None
        if error is not None:
            QMessageBox.warning(self, APP_NAME, error)
        elif message:
            self.statusBar().showMessage(message, 10_000)

    def _task_crashed(self, _details: str) -> None:
        self._task_done(None, None)  # the crash dialog is up (report_bug)

    def choose_restore(self) -> None:
        start = self.settings.value("export/last_folder", str(backup_folder(self.library.path)))
        dialog = label_file_dialog(
            QFileDialog(
                self, tr("Restore from a backup"), str(start), tr("DocManager libraries (*.sqlite);;All files (*)")
            )
        )
        dialog.setFileMode(QFileDialog.FileMode.ExistingFile)
        files = dialog.selectedFiles() if dialog.exec() else []
        if files and self.confirm_restore(Path(files[0])):
            self.restore_from(Path(files[0]))

    def restore_question(self, source: Path) -> QMessageBox:
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            tr("Restore from a backup"),
            tr("Replace everything in the library with the content of “%1”?").replace("%1", source.name),
            QMessageBox.StandardButton.Cancel,
            self,
        )
        box.setInformativeText(
            tr("The current content is backed up first, to the folder %1, so this can be reversed by restoring that backup. Undo (Ctrl+Z) cannot reverse it.").replace(  # noqa: E501
                "%1", str(backup_folder(self.library.path))
            )
        )
        box.addButton(tr("Replace with the backup"), QMessageBox.ButtonRole.DestructiveRole)
        box.setDefaultButton(QMessageBox.StandardButton.Cancel)
        return box

    def confirm_restore(self, source: Path) -> bool:
        box = self.restore_question(source)
        box.exec()
        confirmed = box.buttonRole(box.clickedButton()) == QMessageBox.ButtonRole.DestructiveRole
        box.deleteLater()
        return confirmed

    def restore_from(self, source: Path) -> None:
        """Through the edit queue (it writes); the undo history ends there, since its ids may be gone."""
        self.detail.flush()
        self.operations.submit(lambda library: restore(library, source), self._restored, "restore from a backup")

    def _restored(self, done: Restored) -> None:
        self.undo_stack.clear()
        self.changed()
        self.statusBar().showMessage(
            tr("Restored %1 document(s) from %2; the previous content (%3 document(s)) is in %4")
            .replace("%1", f"{done.after:,}")
            .replace("%2", done.source.name)
            .replace("%3", f"{done.before:,}")
            .replace("%4", str(done.saved)),
            15_000,
        )
