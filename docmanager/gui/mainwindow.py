"""The main window: sidebar, document table and detail pane over one library."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

from PySide6.QtCore import (
    QByteArray,
    QEventLoop,
    QMimeData,
    QObject,
    QSettings,
    QStringListModel,
    Qt,
    QThread,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QDragEnterEvent,
    QDropEvent,
    QKeyEvent,
    QPalette,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QFileDialog,
    QInputDialog,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QSplitter,
    QStackedWidget,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from docmanager import APP_NAME, __version__
from docmanager.errors import DocManagerError, LibraryError
from docmanager.gui.actions import Actions
from docmanager.gui.commands import (
    DeleteCommand,
    LaterCommand,
    QueueMoveCommand,
    RenameTagCommand,
    ResplitCommand,
    SetTagsCommand,
    SplitCommand,
    StatusCommand,
    TagCommand,
    TitleCommand,
)
from docmanager.gui.crash import report_bug
from docmanager.gui.detail import DetailPane, TagCompleter
from docmanager.gui.i18n import label_file_dialog, tr
from docmanager.gui.importing import ImportProgress, ImportSummary, ImportWorker
from docmanager.gui.messages import localized
from docmanager.gui.model import DocumentTableModel
from docmanager.gui.operations import Operations
from docmanager.gui.sidebar import Sidebar, view_names
from docmanager.gui.table import DocumentTableView
from docmanager.importer import FileResult
from docmanager.library import Changes, Library, Sort, TitleState, View, ViewQuery
from docmanager.library.backup import Restored, backup_folder, restore, write_backup
from docmanager.library.transfer import export_to_file
from docmanager.paths import sample_listing
from docmanager.search import parse_query
from docmanager.webpage import page_address

SEARCH_DELAY_MS = 250
READING_MINUTES_PER_PAGE = 2  # for the read-later queue's estimate


class Welcome(QWidget):
    """Shown while the library is empty: what a listing file is, and the bundled sample."""

    def __init__(self, actions: Actions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel(tr("Welcome to DocManager"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        # One literal per tr() call: pyside6-lupdate does not join implicitly concatenated strings.
        what = tr("DocManager keeps the documents you find on document-sharing sites in a library on this computer.")
        how = tr(
            "Save a page of search results from your browser (as a web page or as text), or copy it, and import it here: from the File menu, by dropping it on this window, or with Paste listing (Ctrl+V). You can then tag, search and queue the documents for reading, offline."  # noqa: E501
        )
        text = QLabel(f"{what}\n\n{how}")
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        # A word-wrapped label needs a fixed width to report its real height inside a centred layout.
        text.setFixedWidth(560)
        text.setMinimumHeight(text.heightForWidth(560))
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        self.sample_button = QPushButton(tr("Import the sample listing"))
        self.sample_button.clicked.connect(actions.import_sample.trigger)
        self.import_button = QPushButton(tr("Import listing files…"))
        self.import_button.clicked.connect(actions.import_files.trigger)
        layout.addWidget(self.sample_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class SearchField(QLineEdit):
    """The search box: Esc clears it (and, once empty, hands the keyboard back to the table)."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            if self.text():
                self.clear()
            else:
                self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class NoMatches(QWidget):
    """Over the table when a filter leaves no row (while the library has some): what filters it and
    the way out. Drawn in the table's own palette roles, so that it reads on light and dark themes."""

    def __init__(self, actions: Actions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.title = QLabel(tr("No documents match"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setForegroundRole(QPalette.ColorRole.Text)  # over the table's Base, not the Window
        self.filters = QLabel()
        self.filters.setTextFormat(Qt.TextFormat.PlainText)  # a search or tag name is never HTML
        self.filters.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.filters.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.clear_button = QPushButton(actions.clear_filters.text().replace("&", ""))
        self.clear_button.clicked.connect(actions.clear_filters.trigger)
        hint = QLabel(tr("or press Esc in the search box to clear only the search"))
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint = hint
        for widget in (self.title, self.filters, self.clear_button, hint):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)

    def describe(self, search: str, tags: list[str], any_tag: bool, view: View) -> None:
        lines = []
        if search.strip():
            lines.append(tr("Search: %1").replace("%1", search.strip()))
        if tags:
            label = tr("Tags: %1")
            if len(tags) > 1:
                label = tr("Tags (any of): %1") if any_tag else tr("Tags (all of): %1")
            lines.append(label.replace("%1", ", ".join(tags)))
        if view is not View.ALL:
            lines.append(tr("View: %1").replace("%1", view_names()[view]))
        self.filters.setText("\n".join(lines))
        self.filters.setVisible(bool(lines))
        self.hint.setVisible(bool(search.strip()))


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


class MainWindow(QMainWindow):
    import_finished = Signal(list)  # the FileResults of one import
    # The library failed under the window (damaged while it runs): emitted from any thread.
    library_failed = Signal(object)

    def __init__(self, library: Library, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.library = library  # this thread's connection: reads only; every write goes to operations
        self.settings = settings
        self.operations = Operations(library.path, self)
        self.recovery: object | None = None  # the LibraryProblem the user answered, for run_gui
        self.setWindowTitle(f"{APP_NAME} — {library.path}")
        self.setAcceptDrops(True)
        self.acts = Actions(self)
        self.undo_stack = QUndoStack(self)
        self.model = DocumentTableModel(library, self, defer=True)
        self.table = DocumentTableView(self.model)
        self.sidebar = Sidebar()
        self.detail = DetailPane()
        self.welcome = Welcome(self.acts)
        self.center = QStackedWidget()
        self.center.addWidget(self.welcome)
        self.center.addWidget(self.table)
        self.splitter = QSplitter()
        self.splitter.setObjectName("main-splitter")
        self.splitter.addWidget(self.sidebar)
        self.splitter.addWidget(self.center)
        self.splitter.addWidget(self.detail)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([180, 800, 340])
        self.setCentralWidget(self.splitter)
        self.search = SearchField()
        self.search.setPlaceholderText(tr("Search (Ctrl+F): words, 中文, tag:名字 later:yes status:read pages:>100"))
        self.search.setClearButtonEnabled(True)
        self._search_timer = QTimer(self, singleShot=True, interval=SEARCH_DELAY_MS)
        self._search_timer.timeout.connect(self._apply_filters)
        self.search.textChanged.connect(self._search_timer.start)
        self.no_matches = NoMatches(self.acts)
        self.no_matches.hide()
        overlay = QVBoxLayout(self.table.viewport())  # centred over the rows, follows every resize
        overlay.addWidget(self.no_matches, 0, Qt.AlignmentFlag.AlignCenter)
        self.tag_names: list[str] = []  # for the completion of the Add tags dialog
        self._task: LibraryTask | None = None
        self._busy: QProgressDialog | None = None
        self.matches = QLabel()
        self.statusBar().addPermanentWidget(self.matches)
        self._import_worker: ImportWorker | None = None
        self._progress: ImportProgress | None = None
        self._pending_imports: list[Path] = []
        self.last_results: list[FileResult] = []
        self._summary: ImportSummary | None = None
        self._last_error = ""
        self._damage_reported = False
        self._closed = False  # set when the window lets go of the library: late signals are ignored
        self._paste_folder = tempfile.TemporaryDirectory(prefix="docmanager-paste-")
        self._pasted: dict[Path, str] = {}  # carrier files of pastes not imported yet -> "clipboard TIME"
        # How "Open on the site" opens an address (the desktop's browser); tests put a stub here.
        self.url_opener: Callable[[QUrl], object] = QDesktopServices.openUrl
        self._delete_message = ""  # the status bar's "Deleted … Undo with Ctrl+Z." while it is true
        self._shown_view = View.ALL
        self._view_sorts: dict[View, tuple[int, Qt.SortOrder]] = {}  # how each view was last sorted
        self._selection_to_restore: tuple[list[int], int] | None = None
        self._counts_stale = True
        self._reading_hours: float | None = None
        self._build_menus()
        self._connect()
        self._restore_settings()
        self._apply_filters()

    # --- construction ------------------------------------------------------------------------

    def _build_menus(self) -> None:
        a = self.acts
        bar = self.menuBar()
        file_menu = bar.addMenu(tr("&File"))
        file_menu.addActions([a.import_files, a.import_sample, a.rejected])
        file_menu.addSeparator()
        file_menu.addActions([a.export, a.backup, a.restore])
        file_menu.addSeparator()
        file_menu.addAction(a.quit)
        edit = bar.addMenu(tr("&Edit"))
        edit.addActions([a.undo, a.redo])
        edit.addSeparator()
        edit.addAction(a.paste_listing)
        edit.addSeparator()
        edit.addActions([a.select_all, a.find, a.delete])
        docs = bar.addMenu(tr("&Documents"))
        docs.addAction(a.open_site)
        docs.addSeparator()
        docs.addActions([a.add_tags, a.remove_tags])
        docs.addSeparator()
        docs.addActions([a.toggle_later, a.later_up, a.later_down, a.later_top, a.later_bottom])
        docs.addSeparator()
        docs.addActions([a.status_unread, a.status_reading, a.status_read])
        docs.addSeparator()
        docs.addActions([a.cut_left, a.cut_right])
        help_menu = bar.addMenu(tr("&Help"))
        help_menu.addAction(a.about)
        toolbar = QToolBar(tr("Main"))
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.addAction(a.import_files)
        toolbar.addWidget(self.search)
        self.addToolBar(toolbar)
        a.quit.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # also from the summary dialog
        # Table-only shortcuts so that typing "L" or Delete in a text field edits the text.
        for action in (a.delete, a.toggle_later, a.later_up, a.later_down, a.later_top, a.later_bottom, a.select_all):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        # Ctrl+V pastes a listing only from the table: in a text field it pastes text as usual.
        for action in (a.paste_listing, a.open_site):
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            self.table.addAction(action)
        self.welcome.addAction(a.paste_listing)  # an empty library shows the welcome page, not the table
        # The cut's keys only where the body has focus: elsewhere Alt+arrows and [ ] keep their meaning.
        for action in (a.cut_left, a.cut_right):
            action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
            self.detail.cut.addAction(action)
            self.table.addAction(action)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
        for action in (a.add_tags, a.remove_tags, a.toggle_later, a.later_top, a.later_bottom):
            self.table.addAction(action)
        for action in (a.status_unread, a.status_reading, a.status_read):
            self.table.addAction(action)

    def _connect(self) -> None:
        a = self.acts
        a.import_files.triggered.connect(self.choose_files)
        a.import_sample.triggered.connect(lambda: self.import_paths([sample_listing()]))
        a.rejected.triggered.connect(self.show_last_summary)
        a.paste_listing.triggered.connect(self.paste_listing)
        a.open_site.triggered.connect(self.open_on_site)
        self.table.doubleClicked.connect(lambda _index: self.open_on_site())
        a.quit.triggered.connect(self.close)
        a.undo.triggered.connect(self.undo_stack.undo)
        a.redo.triggered.connect(self.undo_stack.redo)
        self.undo_stack.canUndoChanged.connect(a.undo.setEnabled)
        self.undo_stack.canRedoChanged.connect(a.redo.setEnabled)
        # A bound method, not a lambda: Qt disconnects it when the window goes, before its actions do.
        self.undo_stack.undoTextChanged.connect(self._undo_text_changed)
        self.undo_stack.indexChanged.connect(self._undo_index_changed)
        a.undo.setEnabled(False)
        a.redo.setEnabled(False)
        a.find.triggered.connect(self._focus_search)
        a.select_all.triggered.connect(self.table.selectAll)
        a.delete.triggered.connect(self.delete_selected)
        a.add_tags.triggered.connect(lambda: self._ask_tags(add=True))
        a.remove_tags.triggered.connect(lambda: self._ask_tags(add=False))
        a.toggle_later.triggered.connect(self.toggle_later)
        a.later_up.triggered.connect(lambda: self.move_in_queue(-1))
        a.later_down.triggered.connect(lambda: self.move_in_queue(+1))
        a.later_top.triggered.connect(lambda: self.move_selection_in_queue(top=True))
        a.later_bottom.triggered.connect(lambda: self.move_selection_in_queue(top=False))
        a.export.triggered.connect(self.choose_export)
        a.backup.triggered.connect(self.choose_backup)
        a.restore.triggered.connect(self.choose_restore)
        a.clear_filters.triggered.connect(self.clear_filters)
        self.search.escaped.connect(self.table.setFocus)
        self.table.queue_dropped.connect(self.drop_in_queue)
        a.status_unread.triggered.connect(lambda: self.set_status("unread"))
        a.status_reading.triggered.connect(lambda: self.set_status("reading"))
        a.status_read.triggered.connect(lambda: self.set_status("read"))
        a.about.triggered.connect(self._about)
        a.cut_left.triggered.connect(lambda: self.detail.move_cut(-1))
        a.cut_right.triggered.connect(lambda: self.detail.move_cut(+1))
        self.table.current_document_changed.connect(self._show_current)
        self.table.selectionModel().selectionChanged.connect(self._update_status_bar)
        self.model.modelAboutToBeReset.connect(self._remember_selection)
        self.model.refreshed.connect(self._after_refresh)
        self.model.progressed.connect(self._update_status_bar)
        self.model.counts_ready.connect(self._counts_arrived)
        self.model.query_failed.connect(self._library_error)
        self.library_failed.connect(self._library_error)
        ops = self.operations
        ops.external_change.connect(self._external_change)
        ops.changed.connect(self.apply_changes)
        ops.failed.connect(self._edit_failed)
        ops.crashed.connect(self._edit_crashed)
        ops.waiting.connect(self._waiting_for_lock)
        self.sidebar.view_changed.connect(self._view_changed)
        self.sidebar.tags_changed.connect(self._tags_changed)
        self.sidebar.rename_tag_requested.connect(self.rename_tag)
        self.sidebar.delete_tag_requested.connect(self.remove_tag_everywhere)
        self.detail.title_edited.connect(self._edit_title)
        self.detail.tags_edited.connect(lambda i, names: self._run(SetTagsCommand(ops, i, names)))
        self.detail.later_toggled.connect(lambda i, on: self._run(LaterCommand(ops, [i], on)))
        self.detail.status_changed.connect(lambda i, s: self._run(StatusCommand(ops, [i], s)))
        self.detail.notes_edited.connect(self._edit_notes)
        self.detail.cut_chosen.connect(self.split_title)
        self.detail.resplit.accepted.connect(self._resplit)
        # An offer is about the library as it was when made: any later edit or undo withdraws it.
        self.undo_stack.indexChanged.connect(self._withdraw_offer)

    def _undo_index_changed(self, _index: int) -> None:
        """An undo or redo makes "Deleted … Undo with Ctrl+Z." out of date: it goes."""
        if self._delete_message and self.statusBar().currentMessage() == self._delete_message:
            self.statusBar().clearMessage()
        self._delete_message = ""

    def _undo_text_changed(self, text: str) -> None:
        self.acts.undo.setText(tr("&Undo %1").replace("%1", text))

    # --- settings --------------------------------------------------------------------------------

    def _restore_settings(self) -> None:
        s = self.settings
        if isinstance(geometry := s.value("window/geometry"), QByteArray):
            self.restoreGeometry(geometry)
        else:
            self.resize(1320, 780)
        if isinstance(state := s.value("window/state"), QByteArray):
            self.restoreState(state)
        if isinstance(splitter := s.value("window/splitter"), QByteArray):
            self.splitter.restoreState(splitter)
        self.sidebar.set_tag_mode(str(s.value("sidebar/tag_mode", "all")))
        header = self.table.horizontalHeader()
        if isinstance(header_state := s.value("table/header"), QByteArray):
            header.restoreState(header_state)
        for part in str(s.value("table/view_sorts", "") or "").split(";"):
            view_name, _, rest = part.partition(":")
            column_text, _, order_text = rest.partition(":")
            if view_name in View._value2member_map_ and column_text.isdigit() and order_text.isdigit():
                self._view_sorts[View(view_name)] = (int(column_text), Qt.SortOrder(int(order_text)))
        if (all_sort := self._view_sorts.get(View.ALL)) is not None:  # the window opens on All documents
            header.setSortIndicator(*all_sort)
        # The header's sort indicator is the sort; the model learns it here.
        column = header.sortIndicatorSection()
        if 0 <= column < len(self.model.columns):
            order = header.sortIndicatorOrder()
            self.model.query = replace(
                self.model.query,
                sort=self.model.columns[column].sort,
                descending=order == Qt.SortOrder.DescendingOrder,
            )

    def save_settings(self) -> None:
        s = self.settings
        s.setValue("window/geometry", self.saveGeometry())
        s.setValue("window/state", self.saveState())
        s.setValue("window/splitter", self.splitter.saveState())
        s.setValue("sidebar/tag_mode", self.sidebar.tag_mode())
        header = self.table.horizontalHeader()
        s.setValue("table/header", header.saveState())
        self._view_sorts[self._shown_view] = (header.sortIndicatorSection(), header.sortIndicatorOrder())
        s.setValue(
            "table/view_sorts",
            ";".join(f"{view.value}:{column}:{order.value}" for view, (column, order) in self._view_sorts.items()),
        )
        s.sync()

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._import_worker is not None and self._import_worker.isRunning():
            self._import_worker.cancel()
            self._import_worker.wait()
        if self._task is not None:
            self._task.wait()  # an export or backup being written is finished, not cut short
        self.detail.flush()
        self.save_settings()
        self._finish_edits()
        self._closed = True
        self._search_timer.stop()
        self.model.shutdown()
        # The window is done with the library: widgets torn down later must not call into it.
        for emitter in (self.sidebar, self.sidebar.views, self.sidebar.tags, self.undo_stack, self.detail, self.model):
            emitter.blockSignals(True)
        super().closeEvent(event)

    # --- filtering -------------------------------------------------------------------------------

    def _focus_search(self) -> None:
        self.search.setFocus()
        self.search.selectAll()

    def _view_changed(self, view: View) -> None:
        """Each view keeps its own sort: leaving one remembers how it was sorted, entering one puts its
        sort back. The queue starts in queue order (what moving up and down changes)."""
        header = self.table.horizontalHeader()
        self._view_sorts[self._shown_view] = (header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._shown_view = view
        if (saved := self._view_sorts.get(view)) is None and view is View.LATER:
            later = [c.sort for c in self.model.columns].index(Sort.LATER)
            saved = (later, Qt.SortOrder.AscendingOrder)
        if saved is None:
            saved = self._view_sorts.get(View.ALL)
        if saved is not None and (saved[0], saved[1]) != (header.sortIndicatorSection(), header.sortIndicatorOrder()):
            self.table.sortByColumn(*saved)
        self._apply_filters()

    def _tags_changed(self) -> None:
        self.settings.setValue("sidebar/tag_mode", self.sidebar.tag_mode())
        self._apply_filters()

    def _apply_filters(self) -> None:
        query = replace(
            self.model.query,
            view=self.sidebar.current_view(),
            tags=tuple(self.sidebar.selected_tags()),
            tag_mode=self.sidebar.tag_mode(),
            search=parse_query(self.search.text()),
        )
        self.model.set_query(query)
        self._update_reorderable()

    def clear_filters(self) -> None:
        """Back to every document: no search, no tag, All documents."""
        self.search.clear()
        self._search_timer.stop()
        self.sidebar.clear_filters()
        self._apply_filters()

    def _update_reorderable(self) -> None:
        """Rows can be dragged where the table shows the queue in its order."""
        q = self.model.query
        self.table.set_reorderable(q.view is View.LATER and q.sort is Sort.LATER and not q.descending)

    def _update_no_matches(self) -> None:
        empty = self.model.total > 0 and self.model.rowCount() == 0 and self.model.scan_progress is None
        if empty:
            self.no_matches.describe(
                self.search.text(),
                self.sidebar.selected_tags(),
                self.sidebar.tag_mode() == "any",
                self.sidebar.current_view(),
            )
        self.no_matches.setVisible(empty)

    def _remember_selection(self) -> None:
        self._selection_to_restore = (self.table.selected_ids(), self.table.current_id())

    def _after_refresh(self) -> None:
        if self._selection_to_restore is not None:
            ids, current = self._selection_to_restore
            self._selection_to_restore = None
            if ids or current >= 0:
                self.table.select_ids(ids, current)
        self.center.setCurrentWidget(self.table if self.model.total else self.welcome)
        if self._counts_stale:  # counts scan the library: only after it changed, not per keystroke
            self._counts_stale = False
            self.model.request_counts()
        # Once per refresh, not per selection change (the status bar also follows every arrow key).
        self._reading_hours = None
        if self.model.query.view is View.LATER and self.model.rowCount():
            pages = self.library.pages_total(self.model.ids())
            self._reading_hours = pages * READING_MINUTES_PER_PAGE / 60
        self._update_status_bar()
        self._update_no_matches()
        self._update_reorderable()  # a click on a header may have changed the sort
        if self.table.current_id() < 0:
            self.detail.show_document(None)

    def _counts_arrived(self, views: dict[View, int], tags: list[tuple[str, int]], names: list[str]) -> None:
        self.sidebar.update_counts(views, tags)
        self.detail.set_tag_names(names)
        self.tag_names = names

    def _update_status_bar(self) -> None:
        shown = self.model.rowCount()
        if (scan := self.model.scan_progress) is not None:
            fraction, found = scan
            text = (
                tr("%1 found so far; searching the excerpts… %2%")
                .replace("%1", f"{found:,}")
                .replace("%2", f"{fraction * 100:.0f}")
            )
        else:
            text = tr("%1 of %2 documents").replace("%1", f"{shown:,}").replace("%2", f"{self.model.total:,}")
        selected = self.table.selected_count()
        if selected > 1:
            text += tr(", %1 selected").replace("%1", f"{selected:,}")
        if self._reading_hours is not None:
            text += tr(" — about %1 h of reading").replace("%1", f"{self._reading_hours:,.1f}")
        self.matches.setText(text)

    # --- operations ------------------------------------------------------------------------------

    def changed(self) -> None:
        """The library changed in ways no Changes names (an import, a restore from a backup, an edit
        that failed): count and order it all again, and show the current document anew."""
        if self._closed:
            return
        self._counts_stale = True
        self.model.refresh(recount=True)
        self._show_current(self.table.current_id())

    def apply_changes(self, changes: Changes[Any]) -> None:
        """After an edit (Operations.changed): refresh exactly what it changed. The rows of the
        documents it names are read again and repainted, deleted ones leave the table, the sidebar's
        counts are asked for when tags, the queue, a status or the documents changed, and the view's
        query runs again only when the edit changed a field it sorts or filters by, or added rows."""
        if self._closed or changes.empty:
            return
        if changes.counts:
            self._counts_stale = True  # asked for by _after_refresh, after the rows
        model = self.model
        model.refresh_rows(changes.ids, changes.sorts)
        if changes.moves(model.query) or (changes.removed and not model.remove_rows(changes.removed)):
            model.refresh(recount=bool(changes.added or changes.removed))
        else:
            self._after_refresh()  # the counts, the status bar and the overlays, without a query
        current = self.table.current_id()
        # Notes are written only by the detail pane, which shows them already: showing the document
        # again would move the cursor of the notes being typed.
        if current in changes.ids and changes.fields != {"notes"}:
            self._show_current(current)

    def _run(self, command: object) -> None:
        self.undo_stack.push(command)  # type: ignore[arg-type]  # redo() submits the edit

    def _show_current(self, doc_id: int) -> None:
        try:
            if doc_id >= 0:
                self.detail.show_document(self.library.get(doc_id), self.library.body(doc_id))
            else:
                self.detail.show_document(None)
        except DocManagerError:
            self.detail.show_document(None)

    def _edit_title(self, doc_id: int, title: str) -> None:
        before = self.library.get(doc_id).title
        if title.strip() and title.strip() != before:
            self._run(TitleCommand(self.operations, doc_id, before, title))
        else:
            self.detail.title.setText(before)

    def split_title(self, doc_id: int, cut: int) -> None:
        """The title ends ``cut`` characters into the body; then offer the same for the rest of its page."""
        self._run(SplitCommand(self.operations, doc_id, cut))

        def proposals(library: Library) -> tuple[list[TitleState], dict[int, str]]:
            # On the edit thread, after the split: it reads every body of the page. A split that did
            # not happen (the edit failed) teaches nothing.
            if library.get(doc_id).title != library.body(doc_id)[:cut].strip():
                return [], {}
            found = library.resplit_import(doc_id)
            return found, {s.doc_id: s.title for s in library.title_states([p.doc_id for p in found])}

        self.operations.submit(proposals, self._offer_resplit, "re-split offer")

    def _offer_resplit(self, result: tuple[list[TitleState], dict[int, str]]) -> None:
        found, before = result
        if found and not self._closed:  # nothing to say when the correction teaches nothing
            self.detail.resplit.offer(found, before)

    def _withdraw_offer(self) -> None:
        self.detail.resplit.dismiss()

    def _resplit(self, proposals: list[TitleState]) -> None:
        self._run(ResplitCommand(self.operations, proposals))

    def _edit_notes(self, doc_id: int, notes: str) -> None:
        # Notes are saved as typed, not undone keystroke by keystroke (the editor has its own undo).
        self.operations.submit(lambda lib: lib.set_notes(doc_id, notes), None, "notes")

    def delete_selected(self) -> None:
        ids = self.table.selected_ids()
        if ids:
            self._run(DeleteCommand(self.operations, ids))
            self._delete_message = tr("Deleted %1 document(s). Undo with Ctrl+Z.").replace("%1", str(len(ids)))
            self.statusBar().showMessage(self._delete_message, 8000)

    def _ask_tags(self, add: bool) -> None:
        ids = self.table.selected_ids()
        if not ids:
            return
        dialog = self.tags_dialog(add, len(ids))
        ok = dialog.exec()
        names = [t.strip() for t in dialog.textValue().split(",") if t.strip()]
        dialog.deleteLater()
        if ok and names:
            self.tag_documents(ids, names, add=add)

    def tags_dialog(self, add: bool, count: int) -> QInputDialog:
        """Asks for tags, completing the one being typed from the library's tags like the detail pane."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(tr("Add tags") if add else tr("Remove tags"))
        dialog.setLabelText(tr("Tags for %1 document(s), separated by commas:").replace("%1", str(count)))
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        field = dialog.findChild(QLineEdit)
        if field is not None:
            completer = TagCompleter(QStringListModel(self.tag_names, dialog), field)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            field.setCompleter(completer)
        return dialog

    def tag_documents(self, ids: list[int], names: list[str], add: bool = True) -> None:
        self._run(TagCommand(self.operations, ids, names, add))

    def toggle_later(self) -> None:
        ids = self.table.selected_ids()
        if ids:  # decided when the edit runs: two presses while an edit waits cancel out
            self._run(LaterCommand(self.operations, ids, None))

    def move_in_queue(self, step: int) -> None:
        doc_id = self.table.current_id()
        if doc_id >= 0:
            self._move_in_queue([doc_id], lambda queue, _moving: queue.index(doc_id) + step)

    def move_selection_in_queue(self, top: bool) -> None:
        ids = self.table.selected_ids()
        if ids:
            self._move_in_queue(ids, lambda queue, moving: 0 if top else len(queue) - len(moving))

    def drop_in_queue(self, ids: list[int], before: int) -> None:
        """Dragged rows go before the document they were dropped on (or the next one not dragged)."""

        def place(queue: list[int], moving: list[int]) -> int:
            if before not in queue:
                return len(queue) - len(moving)
            after = [i for i in queue[queue.index(before) :] if i not in moving]
            rest = [i for i in queue if i not in moving]
            return rest.index(after[0]) if after else len(rest)

        self._move_in_queue(ids, place)

    def _move_in_queue(self, ids: list[int], place: Callable[[list[int], list[int]], int]) -> None:
        try:  # documents outside the queue stay out of it; no undo step that does nothing
            ids = [d.id for d in self.library.documents(ids, texts=False) if d.read_later]
        except DocManagerError as exc:
            self._library_error(exc)
            return
        if ids:
            self._run(QueueMoveCommand(self.operations, ids, place))

    def set_status(self, status: str) -> None:
        ids = self.table.selected_ids()
        if ids:
            self._run(StatusCommand(self.operations, ids, status))

    def rename_tag(self, name: str) -> None:
        new, ok = QInputDialog.getText(
            self, tr("Rename tag"), tr("New name (an existing name merges the tags):"), text=name
        )
        if ok and new.strip() and new.strip() != name:
            # Undoable like any edit; earlier commands name tags, not ids, so their undo stays valid.
            self._run(RenameTagCommand(self.operations, name, new.strip()))

    def remove_tag_everywhere(self, name: str) -> None:
        ids = list(self.library.query_ids(ViewQuery(tags=(name,))))  # every document, not just this view's
        if ids:
            self.tag_documents(ids, [name], add=False)

    # --- import ---------------------------------------------------------------------------------

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
        self._import_worker = ImportWorker(self.library.path, paths, self, sources)
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
        self.last_results, self._last_error = results, error
        for path in [p for p in self._pasted if p not in self._pending_imports]:
            path.unlink(missing_ok=True)  # a paste's carrier file: its text is in the library now
            del self._pasted[path]
        self.changed()
        self.import_finished.emit(results)
        if not self.property("quiet_imports"):
            self.show_last_summary()
        if self._pending_imports:
            paths, self._pending_imports = self._pending_imports, []
            self.import_paths(paths)

    def show_last_summary(self) -> None:
        """Non-modal, so the library stays usable (and Ctrl+Q works) while the summary is open."""
        if self.last_results or self._last_error:
            if self._summary is not None:
                self._summary.close()
            self._summary = ImportSummary(self.last_results, self._last_error, self)
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

    def open_on_site(self) -> None:
        """The document's page in the browser, or a search of the library's site for its title."""
        doc_id = self.table.current_id()
        if doc_id < 0:
            return
        doc = self.library.get(doc_id)
        try:
            address = page_address(doc.url, doc.title, self.library.last_url(), doc.id)
        except DocManagerError as exc:
            self.statusBar().showMessage(localized(str(exc)), 8000)
            return
        self.url_opener(QUrl(address))

    # --- export, backup, restore -----------------------------------------------------------------

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

    # --- other ----------------------------------------------------------------------------------

    def _external_change(self) -> None:
        """Another program (``docmanager import`` in a terminal) changed the library: show it."""
        if self._closed:
            return
        self._counts_stale = True
        self.model.refresh(recount=True)
        self._show_current(self.table.current_id())

    def _waiting_for_lock(self, waiting: bool) -> None:
        if waiting:
            pending = self.operations.pending
            self.statusBar().showMessage(
                tr("Waiting for another program to finish writing to the library… (%1 change(s) to save)").replace(
                    "%1", str(pending)
                )
            )
        else:
            self.statusBar().clearMessage()

    def _edit_failed(self, job: object, exc: DocManagerError) -> None:
        """An edit (or the watcher, job None) met an error the user can act on; nothing was changed."""
        if self._library_error(exc):
            return
        QMessageBox.warning(self, APP_NAME, localized(str(exc)))
        self.changed()

    def _edit_crashed(self, _details: str) -> None:
        """A bug in an edit: the crash dialog is up (report_bug); show what the library holds."""
        self.changed()

    def _library_error(self, exc: object) -> bool:
        """A damaged library is reported, with the ways out, once; other errors go to the status bar.
        Returns whether it was damage."""
        if self._closed:
            return True
        if isinstance(exc, LibraryError) and exc.kind == "damaged":
            self.report_damage(exc)
            return True
        self.statusBar().showMessage(localized(str(exc)), 8000)
        return False

    def report_damage(self, exc: LibraryError) -> None:
        """Say that the library is damaged and offer what the start-up offers: the latest backup,
        another library, or quitting. The window closes first, so that no connection of this
        program is open when the damaged file is set aside (run_gui acts on ``self.recovery``)."""
        if self._damage_reported:
            return
        self._damage_reported = True
        from docmanager.gui.recovery import LibraryProblem

        # No parent: the dialog outlives this window, which is closed and deleted before it acts.
        problem = LibraryProblem(self.library.path, exc)
        problem.exec()
        self.recovery = problem
        self.close()

    def _finish_edits(self) -> None:
        """Before quitting: let the edits already made commit, waiting for another program if need be,
        unless the user chooses to quit without them."""
        ops = self.operations
        if ops.pending and not ops.drain(0.5):
            dialog = QProgressDialog(
                tr("Saving your last changes: waiting for another program to finish writing to the library…"),
                tr("Quit without them"),
                0,
                0,
                self,
            )
            dialog.setWindowTitle(APP_NAME)
            dialog.setMinimumDuration(0)
            dialog.show()
            while ops.pending and not dialog.wasCanceled():
                QApplication.processEvents(QEventLoop.ProcessEventsFlag.AllEvents, 50)
                ops.drain(0.05)
            dialog.close()
        ops.close(timeout=None if not ops.pending else 0.5)

    def _about(self) -> None:
        QMessageBox.about(
            self,
            tr("About DocManager"),
            tr("DocManager %1\nA personal, offline library of technical documents.\nLibrary: %2")
            .replace("%1", __version__)
            .replace("%2", str(self.library.path)),
        )
