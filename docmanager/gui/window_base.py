"""What the main window's parts share, for the type checker only.

MainWindow is put together from mixins (document edits, imports, backup and export), each in a module
of its own. They work on the window's state, which MainWindow.__init__ creates: this class declares
that state for mypy. At run time the mixins derive from ``object`` and MainWindow from QMainWindow.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from PySide6.QtCore import QSettings, Qt, QTimer, QUrl, Signal
    from PySide6.QtGui import QUndoStack
    from PySide6.QtWidgets import QMainWindow, QProgressDialog

    from docmanager.gui.actions import Actions
    from docmanager.gui.backup_export import LibraryTask
    from docmanager.gui.bulk_preview import BulkPreviewDialog
    from docmanager.gui.detail import DetailPane
    from docmanager.gui.importing import ImportProgress, ImportSummary, ImportWorker
    from docmanager.gui.model import DocumentTableModel
    from docmanager.gui.operations import Operations
    from docmanager.gui.panels import SearchField
    from docmanager.gui.sidebar import Sidebar
    from docmanager.gui.table import DocumentTableView
    from docmanager.importer import FileResult
    from docmanager.library import Changes, Library, View

    class WindowBase(QMainWindow):
        import_finished = Signal(list)
        library: Library
        settings: QSettings
        operations: Operations
        acts: Actions
        undo_stack: QUndoStack
        model: DocumentTableModel
        table: DocumentTableView
        sidebar: Sidebar
        detail: DetailPane
        tag_names: list[str]
        url_opener: Callable[[QUrl], object]
        _closed: bool
        _delete_message: str
        bulk_preview: BulkPreviewDialog | None
        # imports
        _import_worker: ImportWorker | None
        _progress: ImportProgress | None
        _pending_imports: list[Path]
        last_results: list[FileResult]
        _summary: ImportSummary | None
        last_error: str
        _paste_folder: tempfile.TemporaryDirectory[str]
        _pasted: dict[Path, str]
        # export and backup
        _task: LibraryTask | None
        _busy: QProgressDialog | None

        # filters (saved searches put theirs in place)
        search: SearchField
        _search_timer: QTimer
        _shown_view: View
        _view_sorts: dict[View, tuple[int, Qt.SortOrder]]

        def _apply_filters(self) -> None: ...

        def _update_reorderable(self) -> None: ...

        def changed(self) -> None: ...

        def apply_changes(self, changes: Changes[Any]) -> None: ...

        def _run(self, command: object) -> None: ...

        def _library_error(self, exc: object) -> bool:
            raise NotImplementedError

else:
    WindowBase = object
