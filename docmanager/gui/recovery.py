"""When the library cannot be opened: say why and offer a way out (a backup, another library, quit)."""

from __future__ import annotations

import shutil
from datetime import datetime
from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from docmanager import APP_NAME
from docmanager.errors import LibraryError
from docmanager.gui.i18n import tr

# The kinds for which an older copy of the same library is the way out.
BACKUP_HELPS = ("damaged", "not_library", "too_new")


def latest_backup_of(library: Path) -> Path | None:
    try:
        from docmanager.backup import latest_backup
    except ImportError:  # a build without backups
        return None
    return latest_backup(library)


def set_aside(library: Path) -> Path:
    """Rename a damaged library (and its WAL files) out of the way; it is kept, never overwritten."""
    stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
    target = library.with_name(f"{library.stem}.damaged-{stamp}{library.suffix}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(str(library) + suffix)
        if part.exists():
            part.rename(Path(str(target) + suffix))
    return target


class LibraryProblem(QMessageBox):
    """The choices: restore the latest backup, choose another library, or quit."""

    def __init__(self, library: Path, error: LibraryError, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library
        self.error = error
        self.backup = latest_backup_of(library) if error.kind in BACKUP_HELPS else None
        self.setIcon(QMessageBox.Icon.Critical)
        self.setWindowTitle(APP_NAME)
        self.setText(tr("The library cannot be opened."))
        detail = str(error)
        if self.backup is not None:
            detail += "\n\n" + tr(
                "The latest automatic backup is %1. Restoring it keeps the damaged file beside it."
            ).replace("%1", self.backup.name)
        self.setInformativeText(detail)
        self.restore_button = (
            self.addButton(tr("Restore the latest backup"), QMessageBox.ButtonRole.AcceptRole)
            if self.backup is not None
            else None
        )
        self.other_button = self.addButton(tr("Choose another library…"), QMessageBox.ButtonRole.ActionRole)
        self.quit_button = self.addButton(tr("Quit"), QMessageBox.ButtonRole.RejectRole)
        self.setDefaultButton(self.restore_button or self.other_button)

    def resolve(self) -> Path | None:
        """Act on the button pressed: the library to open now, or None to quit."""
        clicked = self.clickedButton()
        if self.restore_button is not None and clicked is self.restore_button and self.backup is not None:
            kept = set_aside(self.library)
            shutil.copy2(self.backup, self.library)
            QMessageBox.information(
                self.parentWidget(),
                APP_NAME,
                tr("Restored %1. The damaged library was kept as %2.")
                .replace("%1", self.backup.name)
                .replace("%2", kept.name),
            )
            return self.library
        if clicked is self.other_button:
            name, _ = QFileDialog.getSaveFileName(
                self.parentWidget(),
                tr("Choose or create a library"),
                str(self.library.parent),
                tr("DocManager libraries (*.sqlite);;All files (*)"),
                options=QFileDialog.Option.DontConfirmOverwrite,
            )
            return Path(name) if name else None
        return None
