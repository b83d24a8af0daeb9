"""The main window: sidebar, document table and detail pane over one library.

MainWindow holds the window's state and wiring (construction, settings, filters, refreshing after
edits, the library's errors). Its other parts are mixins in modules of their own, working on that
state: DocumentEdits (document_edits.py), ImportHandling (window_import.py) and BackupExport
(backup_export.py); build_menus (menus.py) lays out the menus, and panels.py holds the widgets around
the table.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import (
    QByteArray,
    QEventLoop,
    QSettings,
    Qt,
    QTimer,
    QUrl,
    Signal,
)
from PySide6.QtGui import (
    QCloseEvent,
    QDesktopServices,
    QUndoStack,
)
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QMessageBox,
    QProgressDialog,
    QSplitter,
    QStackedWidget,
    QVBoxLayout,
    QWidget,
)

from docmanager import APP_NAME, __version__
from docmanager.budget import QueueEstimate
from docmanager.errors import DocManagerError, LibraryError
from docmanager.gui.actions import Actions
from docmanager.gui.backup_export import BackupExport, LibraryTask
from docmanager.gui.bulk_preview import BulkPreviewDialog
from docmanager.gui.commands import LaterCommand, SetTagsCommand, StatusCommand
from docmanager.gui.detail import DetailPane
from docmanager.gui.document_edits import DocumentEdits
from docmanager.gui.i18n import tr
from docmanager.gui.importing import ImportProgress, ImportSummary, ImportWorker
from docmanager.gui.menus import build_menus
from docmanager.gui.messages import localized
from docmanager.gui.model import DocumentTableModel
from docmanager.gui.operations import Operations
from docmanager.gui.panels import NoMatches, SearchField, Welcome
from docmanager.gui.reading_budget import BudgetBar, queue_text
from docmanager.gui.saved_searches import SavedSearchHandling
from docmanager.gui.sidebar import Sidebar
from docmanager.gui.table import DocumentTableView
from docmanager.gui.window_import import ImportHandling
from docmanager.library import Changes, Library, Sort, View
from docmanager.paths import sample_listing
from docmanager.search import parse_query

if TYPE_CHECKING:
    from docmanager.importer import FileResult

SEARCH_DELAY_MS = 250


class MainWindow(DocumentEdits, ImportHandling, BackupExport, SavedSearchHandling, QMainWindow):
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
        self.last_error = ""
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
        self._view_counts_stale = True  # False: only the tags' counts need reading again
        self._queue_text: str | None = None  # the status bar's words on the queue, in the Read later view
        self.bulk_preview: BulkPreviewDialog | None = None  # the preview of an edit of many documents, while up
        build_menus(self, self.acts, search=self.search, table=self.table, welcome=self.welcome, cut=self.detail.cut)
        # The reading budget, under the main toolbar: shown with the Read later view only.
        self.addToolBarBreak()
        self.budget_bar = BudgetBar(settings, self)
        self.addToolBar(self.budget_bar)
        self.budget_bar.hide()
        self.detail.set_minutes_per_page(self.budget_bar.minutes_per_page())
        self._connect()
        self._init_saved()
        self._restore_settings()
        self._apply_filters()

    @property
    def paste_folder(self) -> Path:
        """Where a pasted page is written, as a file to import, until its import has finished."""
        return Path(self._paste_folder.name)

    # --- construction ------------------------------------------------------------------------

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
        a.what_fits.triggered.connect(self.ask_what_fits)
        self.budget_bar.budget_changed.connect(self._budget_changed)
        self.budget_bar.speed_changed.connect(self._speed_changed)
        self.detail.reading_minutes_edited.connect(self._edit_reading_minutes)
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
        self.sidebar.nest_tag_requested.connect(self.nest_tag)
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
        self._saved_timer.stop()
        lists = (self.sidebar.views, self.sidebar.tags, self.sidebar.saved)
        for emitter in (self.sidebar, *lists, self.undo_stack, self.detail, self.model):
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
            self.model.request_counts(views=self._view_counts_stale)
            self._view_counts_stale = False
        # Once per refresh, not per selection change (the status bar also follows every arrow key).
        self._update_budget()
        self._update_status_bar()
        self._update_no_matches()
        self._update_reorderable()  # a click on a header may have changed the sort
        self.mark_shown_saved()
        if self.table.current_id() < 0:
            self.detail.show_document(None)

    def _counts_arrived(self, views: dict[View, int] | None, tags: list[tuple[str, int]], names: list[str]) -> None:
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
        if self._queue_text is not None:
            text += " — " + self._queue_text
        self.matches.setText(text)

    # --- the reading budget ----------------------------------------------------------------------

    def _update_budget(self) -> None:
        """In the Read later view: the queue's time for the status bar and, with a budget, the rows
        that fit it marked. Elsewhere neither (the budget bar hides)."""
        later = self.model.query.view is View.LATER
        self.budget_bar.setVisible(later)
        self._queue_text = None
        marked: frozenset[int] = frozenset()
        budget = self.budget_bar.minutes()
        if later:
            try:
                queue = QueueEstimate.of(self.library.later_reading(), self.budget_bar.minutes_per_page())
            except DocManagerError as exc:
                self._library_error(exc)
                return
            fits = queue.fitting(budget) if budget else []
            marked = frozenset(fits)
            self._queue_text = queue_text(queue, budget, len(fits))
        self.model.set_marked(marked, tr("Fits in %1 min").replace("%1", f"{budget:,}"))

    def _budget_changed(self, _minutes: int) -> None:
        self._update_budget()
        self._update_status_bar()

    def _speed_changed(self, speed: float) -> None:
        self.detail.set_minutes_per_page(speed)
        self._budget_changed(0)

    def ask_what_fits(self) -> None:
        """"What fits in N minutes?": the Read later view, with the budget's field ready to type in."""
        self.sidebar.select_view(View.LATER)
        self.budget_bar.show()
        self.budget_bar.budget.setFocus()
        self.budget_bar.budget.selectAll()

    # --- operations ------------------------------------------------------------------------------

    def changed(self) -> None:
        """The library changed in ways no Changes names (an import, a restore from a backup, an edit
        that failed): count and order it all again, and show the current document anew."""
        if self._closed:
            return
        self._counts_stale = True
        self._view_counts_stale = True
        self.model.refresh(recount=True)
        self.reload_saved()  # a restore brings back other saved searches
        self.recount_saved()
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
            self._view_counts_stale |= changes.view_counts  # a tag edit: the tags' counts alone (35 ms less at 1M)
        if changes.saved:
            self.reload_saved()
        self.recount_saved(changes)  # those whose documents it may have changed
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

    # --- other ----------------------------------------------------------------------------------

    def _external_change(self) -> None:
        """Another program (``docmanager import`` in a terminal) changed the library: show it."""
        if self._closed:
            return
        self._counts_stale = True
        self._view_counts_stale = True
        self.model.refresh(recount=True)
        self.reload_saved()
        self.recount_saved()
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
