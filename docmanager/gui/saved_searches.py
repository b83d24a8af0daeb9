"""Saved searches in the window: saving the current search (Ctrl+S), showing one, renaming, replacing
and deleting them, each an undoable command, and their counts in the sidebar.

The searches live in the library (docmanager.library.saved); the window lists them again whenever an
edit's Changes names one (``saved``), and counts again those whose documents an edit may have changed
(``Changes.matches``), or all of them after another program's change. Counting is the model's: at
once for a small library, on its worker thread for a large one (a search of the excerpts scans them),
never blocking the window.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QInputDialog, QMessageBox

from docmanager import APP_NAME
from docmanager.errors import DocManagerError
from docmanager.gui.commands import LibraryCommand
from docmanager.gui.i18n import tr
from docmanager.gui.operations import Operations
from docmanager.gui.sidebar import view_names
from docmanager.gui.window_base import WindowBase
from docmanager.library import Changes, Library, SavedSearch, View, ViewQuery
from docmanager.library.changes import NO_CHANGES

SAVED_COUNT_DELAY_MS = 200  # counts asked for within this time are counted together

# --- the commands ------------------------------------------------------------------------------------


class SaveSearchCommand(LibraryCommand):
    """Save a query under a new name; undo deletes it, redo puts it back as it was."""

    def __init__(self, operations: Operations, name: str, text: str, query: ViewQuery) -> None:
        super().__init__(operations, f"save search {name}")
        self.name, self.search_text, self.query = name, text, query
        self.saved: SavedSearch | None = None

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            if self.saved is not None:
                return library.put_saved_search(self.saved)
            changes = library.save_search(self.name, self.search_text, self.query)
            self.saved = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            return NO_CHANGES if self.saved is None else library.delete_saved_search(self.saved.name)

        self.submit(run)


class RenameSavedCommand(LibraryCommand):
    def __init__(self, operations: Operations, old: str, new: str) -> None:
        super().__init__(operations, f"rename saved search {old} to {new}")
        self.old, self.new = old, new
        self.names: tuple[str, str] | None = None  # (the name now, the name before), as renamed

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            changes = library.rename_saved_search(self.old, self.new)
            self.names = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            return NO_CHANGES if self.names is None else library.rename_saved_search(*self.names)

        self.submit(run)


class ReplaceSavedCommand(LibraryCommand):
    """Give a saved search the current query; undo gives it back the one it had."""

    def __init__(self, operations: Operations, name: str, text: str, query: ViewQuery) -> None:
        super().__init__(operations, f"replace saved search {name}")
        self.name, self.search_text, self.query = name, text, query
        self.before: SavedSearch | None = None

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            changes = library.replace_saved_search(self.name, self.search_text, self.query)
            self.before = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            return NO_CHANGES if self.before is None else library.put_saved_search(self.before)

        self.submit(run)


class DeleteSavedCommand(LibraryCommand):
    def __init__(self, operations: Operations, name: str) -> None:
        super().__init__(operations, f"delete saved search {name}")
        self.name = name
        self.deleted: SavedSearch | None = None

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            changes = library.delete_saved_search(self.name)
            self.deleted = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            return NO_CHANGES if self.deleted is None else library.put_saved_search(self.deleted)

        self.submit(run)


def _same_query(a: ViewQuery, b: ViewQuery) -> bool:
    """Whether two queries show the same (tags compared as a set, whatever their case)."""

    def key(q: ViewQuery) -> ViewQuery:
        tags = tuple(sorted({t.casefold() for t in q.tags}))
        return replace(q, tags=tags, tag_mode="all" if len(tags) < 2 else q.tag_mode, search_excerpts=True)

    return key(a) == key(b)


# --- the window's side -------------------------------------------------------------------------------


class SavedSearchHandling(WindowBase):
    """Mixin of MainWindow: the saved searches of the sidebar."""

    saved_searches: list[SavedSearch]
    _saved_counted: dict[str, ViewQuery]  # the query each shown count is of
    _saved_timer: QTimer

    def _init_saved(self) -> None:
        self.saved_searches = []
        self._saved_counted = {}
        self._saved_timer = QTimer(self, singleShot=True, interval=SAVED_COUNT_DELAY_MS)
        self._saved_timer.timeout.connect(self._count_saved)
        self.acts.save_search.triggered.connect(self._save_search_asked)
        self.model.saved_counts_ready.connect(self.sidebar.set_saved_counts)
        sidebar = self.sidebar
        sidebar.saved_chosen.connect(self.show_saved)
        sidebar.rename_saved_requested.connect(self.rename_saved)
        sidebar.replace_saved_requested.connect(self.replace_saved)
        sidebar.delete_saved_requested.connect(self.delete_saved)
        self.reload_saved()

    def current_search(self) -> tuple[str, ViewQuery]:
        """The search as typed and the query the table shows (a search still being typed included)."""
        if self._search_timer.isActive():
            self._search_timer.stop()
            self._apply_filters()
        return self.search.text(), self.model.query

    def _suggested_name(self, text: str, query: ViewQuery) -> str:
        parts = [text.strip()] if text.strip() else []
        parts += list(query.tags)
        if query.view is not View.ALL or not parts:
            parts.insert(0, view_names()[query.view])
        return " ".join(parts)

    def _save_search_asked(self) -> None:
        self.save_current_search()  # not connected directly: ``triggered`` would pass its bool as the name

    def save_current_search(self, name: str | None = None) -> None:
        """Save what the table shows under a name (asked for); an existing name is replaced if the
        user agrees."""
        text, query = self.current_search()
        if name is None:
            name, ok = QInputDialog.getText(
                self,
                tr("Save search"),
                tr("Name of the saved search (it keeps the view, tags, search and sort):"),
                text=self._suggested_name(text, query),
            )
            if not ok:
                return
        name = " ".join(name.split())
        if not name:
            return
        existing = self._saved_named(name)
        if existing is not None:
            answer = QMessageBox.question(
                self,
                APP_NAME,
                tr("A saved search named “%1” exists. Replace it with the current search?").replace(
                    "%1", existing.name
                ),
            )
            if answer == QMessageBox.StandardButton.Yes:
                self._run(ReplaceSavedCommand(self.operations, existing.name, text, query))
            return
        self._run(SaveSearchCommand(self.operations, name, text, query))

    def _saved_named(self, name: str) -> SavedSearch | None:
        wanted = name.casefold()
        return next((s for s in self.saved_searches if s.name.casefold() == wanted), None)

    def show_saved(self, name: str) -> None:
        """Show a saved search: its view, tags, search text and sort go in place, and the table runs
        exactly its query."""
        saved = self._saved_named(name)
        if saved is None:
            return
        q = replace(saved.query, search_excerpts=self.model.query.search_excerpts)
        header = self.table.horizontalHeader()
        self._view_sorts[self._shown_view] = (header.sortIndicatorSection(), header.sortIndicatorOrder())
        self._shown_view = q.view
        self.sidebar.show_filters(q.view, q.tags, q.tag_mode)
        self._search_timer.stop()
        self.search.blockSignals(True)
        self.search.setText(saved.text)
        self.search.blockSignals(False)
        sorts = [c.sort for c in self.model.columns]
        if q.sort in sorts:  # the header shows the order (without sorting again: the query does)
            header.blockSignals(True)
            order = Qt.SortOrder.DescendingOrder if q.descending else Qt.SortOrder.AscendingOrder
            header.setSortIndicator(sorts.index(q.sort), order)
            header.blockSignals(False)
            header.viewport().update()
        self.sidebar.mark_saved(saved.name)
        self.model.set_query(q)
        self._update_reorderable()

    def rename_saved(self, name: str) -> None:
        new, ok = QInputDialog.getText(self, tr("Rename saved search"), tr("New name:"), text=name)
        new = " ".join(new.split())
        if ok and new and new != name:
            self._run(RenameSavedCommand(self.operations, name, new))

    def replace_saved(self, name: str) -> None:
        """The saved search takes the current view, tags, search and sort."""
        text, query = self.current_search()
        self._run(ReplaceSavedCommand(self.operations, name, text, query))

    def delete_saved(self, name: str) -> None:
        self._run(DeleteSavedCommand(self.operations, name))
        self._delete_message = tr("Deleted the saved search “%1”. Undo with Ctrl+Z.").replace("%1", name)
        self.statusBar().showMessage(self._delete_message, 8000)

    # --- refreshing ----------------------------------------------------------------------------------

    def reload_saved(self) -> None:
        """Read the saved searches again (a small table, read here) and count those not counted yet."""
        try:
            self.saved_searches = self.library.saved_searches()
        except DocManagerError as exc:
            self._library_error(exc)
            return
        self.sidebar.set_saved([s.name for s in self.saved_searches])
        self._saved_counted = {
            s.name: s.query for s in self.saved_searches if self._saved_counted.get(s.name) == s.query
        }
        self.recount_saved()
        self.mark_shown_saved()

    def recount_saved(self, changes: Changes[Any] | None = None) -> None:
        """Count again the saved searches whose documents ``changes`` may have changed (None: every
        one), and those never counted."""
        if changes is not None:
            for name, query in list(self._saved_counted.items()):
                if changes.matches(query):
                    del self._saved_counted[name]
        else:
            self._saved_counted.clear()
        if any(s.name not in self._saved_counted for s in self.saved_searches):
            self._saved_timer.start()  # a burst of edits (notes as typed) is counted once

    def _count_saved(self) -> None:
        wanted = {s.name: s.query for s in self.saved_searches if s.name not in self._saved_counted}
        if not wanted or self._closed:
            return
        self._saved_counted.update(wanted)
        try:
            self.model.request_saved_counts(wanted)
        except DocManagerError as exc:
            self._library_error(exc)

    def mark_shown_saved(self) -> None:
        """Highlight the saved search whose query the table shows, if one does."""
        query = self.model.query
        shown = next((s.name for s in self.saved_searches if _same_query(s.query, query)), None)
        self.sidebar.mark_saved(shown)
