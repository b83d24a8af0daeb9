"""The document table view: fetches the visible rows before painting, remembers its header."""

from __future__ import annotations

from collections.abc import Iterable
from typing import cast

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QItemSelectionRange, QPoint, Qt, Signal
from PySide6.QtGui import QAction, QDropEvent, QPaintEvent
from PySide6.QtWidgets import QAbstractItemView, QHeaderView, QMenu, QStyle, QTableView, QWidget

from docmanager.gui.model import IDS_MIME, DocumentTableModel


class DocumentTableView(QTableView):
    current_document_changed = Signal(int)  # document id, or -1
    # Rows of the read-later queue dragged and dropped: their ids, the document they now come before
    # (-1: after the last row).
    queue_dropped = Signal(list, int)

    def __init__(self, model: DocumentTableModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setModel(model)
        self.doc_model = model
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.setWordWrap(False)
        self.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.setSortingEnabled(True)
        self.setDragEnabled(False)
        self.setHorizontalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        # Fixed row heights: a million rows are never measured (no ResizeToContents anywhere).
        vertical = self.verticalHeader()
        vertical.setSectionResizeMode(QHeaderView.ResizeMode.Fixed)
        vertical.setDefaultSectionSize(self.fontMetrics().height() + 8)
        vertical.hide()
        header = self.horizontalHeader()
        header.setSectionsMovable(True)
        header.setHighlightSections(False)
        header.setStretchLastSection(False)
        header.setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        header.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        header.customContextMenuRequested.connect(self._header_menu)
        self.fit_columns()
        header.setSortIndicator(len(model.columns) - 1, Qt.SortOrder.AscendingOrder)
        self.selectionModel().currentRowChanged.connect(self._current_changed)

    def fit_columns(self) -> None:
        """The title takes the spare width (and elides); every other column is as wide as its header or
        its usual widest text, measured once with the font (never ResizeToContents over the rows), so
        that all of them fit the default window without a horizontal scroll bar."""
        header = self.horizontalHeader()
        metrics, header_metrics = self.fontMetrics(), header.fontMetrics()
        arrow = header.style().pixelMetric(QStyle.PixelMetric.PM_HeaderMarkSize) + 6  # the sort indicator
        for n, column in enumerate(self.doc_model.columns):
            if n == 0:
                header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
                continue
            heading = header_metrics.horizontalAdvance(column.header) + arrow
            self.setColumnWidth(n, max(heading, metrics.horizontalAdvance(column.sample) + 14))

    def set_reorderable(self, on: bool) -> None:
        """Rows can be dragged to a new place (the read-later queue shown in queue order)."""
        self.setDragEnabled(on)
        self.setAcceptDrops(on)
        self.setDragDropOverwriteMode(False)  # the indicator falls between rows, not on one
        self.setDropIndicatorShown(on)
        # DragDrop rather than InternalMove, which refuses a drag whose source it cannot see (tests' own);
        # only our rows' ids are accepted (canDropMimeData: the model's one mime type).
        mode = QAbstractItemView.DragDropMode.DragDrop if on else QAbstractItemView.DragDropMode.NoDragDrop
        self.setDragDropMode(mode)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)

    def dropEvent(self, event: QDropEvent) -> None:
        # The model is not changed here: the window moves the documents in the queue and refreshes.
        mime = event.mimeData()
        if not self.dragEnabled() or not mime.hasFormat(IDS_MIME):
            event.ignore()
            return
        ids = [int(t) for t in bytes(mime.data(IDS_MIME).data()).decode().split(",") if t.strip().isdigit()]
        y = event.position().toPoint().y()
        row = self.rowAt(y)
        if row < 0:
            row = self.doc_model.rowCount() if y > 0 else 0
        elif y > self.rowViewportPosition(row) + self.rowHeight(row) // 2:
            row += 1  # the lower half of a row: after it
        before = self.doc_model.doc_id(row) if row < self.doc_model.rowCount() else -1
        event.setDropAction(Qt.DropAction.MoveAction)
        event.accept()
        self.setState(QAbstractItemView.State.NoState)
        self.viewport().update()
        if ids:
            self.queue_dropped.emit(ids, before)

    def paintEvent(self, event: QPaintEvent) -> None:
        # Fetch exactly the rows about to be painted; data() itself never touches the library.
        first = self.rowAt(0)
        if first >= 0:
            last = self.rowAt(self.viewport().height() - 1)
            self.doc_model.ensure_rows(first, last if last >= 0 else self.doc_model.rowCount() - 1)
        super().paintEvent(event)

    def _current_changed(self) -> None:
        index = self.currentIndex()
        self.current_document_changed.emit(self.doc_model.doc_id(index.row()) if index.isValid() else -1)

    def selected_rows(self) -> list[int]:
        """The selected rows, from the selection's ranges (selectedRows() asks flags() of every cell)."""
        rows: set[int] = set()
        # QItemSelection is a list of ranges; PySide6's stubs do not say it is iterable.
        for selected in cast(Iterable[QItemSelectionRange], self.selectionModel().selection()):
            rows.update(range(selected.top(), selected.bottom() + 1))
        return sorted(rows)

    def selected_count(self) -> int:
        return len(self.selected_rows())

    def selected_ids(self) -> list[int]:
        rows = self.selected_rows()
        if rows and rows[-1] >= len(self.doc_model.ids()):
            self.doc_model.ensure_complete()  # rows selected while the order was still being read
        return [i for i in map(self.doc_model.doc_id, rows) if i >= 0]

    def current_id(self) -> int:
        index = self.currentIndex()
        return self.doc_model.doc_id(index.row()) if index.isValid() else -1

    def select_ids(self, ids: list[int], current: int) -> None:
        """Select these documents again after the order was recomputed."""
        model = self.doc_model
        selection = self.selectionModel()
        wanted = set(ids)
        rows = model.rows_of(wanted) if len(wanted) > 1 else [r for r in (model.row_of(i) for i in wanted) if r >= 0]
        sel = QItemSelection()
        last_col = model.columnCount() - 1
        # One range per run of consecutive rows: 10,000 selected rows are often a handful of ranges.
        start = previous = None
        for row in sorted(rows):
            if start is None:
                start = previous = row
            elif row == previous + 1:  # type: ignore[operator]
                previous = row
            else:
                sel.select(model.index(start, 0), model.index(previous, last_col))  # type: ignore[arg-type]
                start = previous = row
        if start is not None:
            sel.select(model.index(start, 0), model.index(previous, last_col))  # type: ignore[arg-type]
        flags = QItemSelectionModel.SelectionFlag.ClearAndSelect
        selection.select(sel, flags)
        current_row = model.row_of(current) if current >= 0 else -1
        if current_row >= 0:
            selection.setCurrentIndex(model.index(current_row, 0), QItemSelectionModel.SelectionFlag.NoUpdate)
            self.scrollTo(model.index(current_row, 0))
        self._current_changed()

    def _header_menu(self, pos: QPoint) -> None:
        menu = QMenu(self)
        header = self.horizontalHeader()
        for n, column in enumerate(self.doc_model.columns):
            action = QAction(column.header, menu)
            action.setCheckable(True)
            action.setChecked(not header.isSectionHidden(n))
            action.setEnabled(n != 0)  # the title always stays
            action.toggled.connect(lambda on, n=n: header.setSectionHidden(n, not on))
            menu.addAction(action)
        menu.exec(header.mapToGlobal(pos))
