"""When the library cannot be opened: say why and offer a way out (a backup, another library, quit)."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import QFileDialog, QMessageBox, QWidget

from docmanager import APP_NAME
from docmanager.errors import DocManagerError, LibraryError
from docmanager.gui.i18n import tr
from docmanager.gui.messages import localized
from docmanager.library import verify_library_file
from docmanager.library.backup import copy_into_place, latest_backup, set_aside

# The kinds for which an older copy of the same library is the way out.
BACKUP_HELPS = ("damaged", "not_library", "too_new")


def latest_backup_of(library: Path) -> Path | None:
    return latest_backup(library)


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
        detail = localized(str(error))
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
            try:
                verify_library_file(self.backup)  # a bad backup must not replace anything
            except DocManagerError as exc:
                QMessageBox.warning(self.parentWidget(), APP_NAME, localized(str(exc)))
                return None
            kept = set_aside(self.library)
            # A copy, not backup.restore(): that would first back up the empty new library and
            # rotate a real backup out of the folder.
            copy_into_place(self.backup, self.library)
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
