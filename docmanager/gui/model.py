"""The document table model: it holds the order of ids, never the library, and reads rows by page."""

from __future__ import annotations

import functools
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np
import numpy.typing as npt
from PySide6.QtCore import (
    QAbstractTableModel,
    QByteArray,
    QMimeData,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
    QThread,
    QTimer,
    Signal,
    Slot,
)
from PySide6.QtGui import QColor

from docmanager.errors import Cancelled, DocManagerError
from docmanager.gui.i18n import shown_age, tr
from docmanager.library import Document, Library, Sort, View, ViewQuery
from docmanager.library.plan import SCAN_THREADS, Scanners, SearchPlan, Tuning

PAGE_SIZE = 64
MAX_PAGES = 48  # about 3,000 rows kept: a few screens around what is visible
# Below this many documents a query runs on the GUI thread: it takes a few milliseconds and the table
# never shows a stale order. Above it, a worker with its own connection runs it.
SYNC_LIMIT = 50_000
# Whole-library orders kept per sort key: a sort already seen, or its reverse, is shown at once.
SORT_CACHE_SIZE = 4
ModelIndex = QModelIndex | QPersistentModelIndex


def human_size(n: int) -> str:
    size = float(n)
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size < 1024 or unit == "TB":
            return f"{size:.0f} {unit}" if unit == "B" else f"{size:.2f} {unit}"
        size /= 1024
    return f"{n} B"


@functools.lru_cache(maxsize=4096)  # data() asks per painted cell; an import shares one timestamp
def _local_date(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso.replace("Z", "+00:00")).astimezone().strftime("%Y-%m-%d %H:%M")
    except ValueError:
        return iso


@dataclass(frozen=True, slots=True)
class Column:
    """One table column: built once; data() only indexes into this table."""

    key: str
    header: str
    sort: Sort
    text: Callable[[Document], str]
    align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter
    width: int = 90
    sample: str = ""  # the widest text the column usually shows: its width is fitted to it once


# Draggable and a drop target: the view allows drags only where they mean something (the queue).
_ROW_FLAGS = (
    Qt.ItemFlag.ItemIsEnabled
    | Qt.ItemFlag.ItemIsSelectable
    | Qt.ItemFlag.ItemIsDragEnabled
    | Qt.ItemFlag.ItemIsDropEnabled
)
# What a drag of rows carries: their document ids, comma-separated (the default encodes every cell).
IDS_MIME = "application/x-docmanager-document-ids"
# The roles data() answers, as plain ints (comparing with Qt's enum members costs a lookup each time).
_DISPLAY = int(Qt.ItemDataRole.DisplayRole.value)
_ALIGN = int(Qt.ItemDataRole.TextAlignmentRole.value)
_TOOLTIP = int(Qt.ItemDataRole.ToolTipRole.value)
_USER = int(Qt.ItemDataRole.UserRole.value)
_BACKGROUND = int(Qt.ItemDataRole.BackgroundRole.value)
_ROLES = frozenset((_DISPLAY, _ALIGN, _TOOLTIP, _USER, _BACKGROUND))
# The background of the rows the reading budget marks (see DocumentTableModel.set_marked): a light green
# that lets the text and the selection show through, on a light palette and a dark one.
MARKED_BACKGROUND = QColor(72, 190, 110, 70)


@dataclass(frozen=True, slots=True)
class _Page:
    """PAGE_SIZE documents read together, with the texts of their cells."""

    docs: list[Document]
    texts: list[tuple[str, ...]]


_RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
_CENTER = Qt.AlignmentFlag.AlignCenter
STATUS_TEXT = {"unread": "Unread", "reading": "Reading", "read": "Read"}
UNKNOWN = "—"  # pages the site printed as "-", or a date with no age (a page saved from a narrow window)


def _date_text(d: Document) -> str:
    """The estimated date; the age it came from is the cell's tooltip and in the detail pane."""
    return UNKNOWN if d.published_estimate is None else d.published_estimate


def _added_text(d: Document) -> str:
    return _local_date(d.added_at)[:10]  # the day; the detail pane has the time


def _pages_text(d: Document) -> str:
    return UNKNOWN if d.pages is None else f"{d.pages:,}"


def columns() -> tuple[Column, ...]:
    return (
        Column("title", tr("Title"), Sort.TITLE, lambda d: d.title, width=380),
        Column("pages", tr("Pages"), Sort.PAGES, _pages_text, _RIGHT, 70, "9,999"),
        Column("size", tr("Size"), Sort.SIZE, lambda d: human_size(d.size_bytes), _RIGHT, 90, "999.99 MB"),
        Column("date", tr("Published"), Sort.DATE, _date_text, width=100, sample="2026-12-31"),
        Column("price", tr("Price"), Sort.PRICE, lambda d: str(d.price), _RIGHT, 50, "99"),
        Column("tags", tr("Tags"), Sort.TAGS, lambda d: ", ".join(d.tags), width=120, sample="分布式存储, Raft"),
        Column("later", tr("Later"), Sort.LATER, lambda d: "★" if d.read_later else "", _CENTER, 50, "★"),
        Column(
            "status", tr("Status"), Sort.STATUS, lambda d: tr(STATUS_TEXT.get(d.status, d.status)), width=80,
            sample=max((tr(t) for t in STATUS_TEXT.values()), key=len),
        ),
        Column("added", tr("Added"), Sort.ADDED, _added_text, width=100, sample="2026-12-31"),
    )


def sidebar_counts(library: Library, views: bool) -> tuple[dict[View, int] | None, list[tuple[str, int]], list[str]]:
    """What ``counts_ready`` carries: the views' counts (None without ``views``: unchanged), every
    tag with its count, and the tag names (from the same read)."""
    tags = library.tag_counts()
    return (library.view_counts() if views else None, tags, [name for name, _ in tags])


class QueryWorker(QObject):
    """Runs the core's search plan on its own connections so that typing never waits for SQLite; its
    signals are the plan's callbacks."""

    previewed = Signal(int, object, int)  # generation, the first ids, how many match in all (-1: not known yet)
    finished = Signal(int, object)  # generation, array of ids
    scanning = Signal(int, float, int)  # generation, fraction of the excerpts read, matches found so far
    learned = Signal(object, object)  # a sort key and the whole library's ascending order in it
    _recount = Signal(int, bool, int)  # run_counts again, after what is queued (generation, views, attempt)
    counted = Signal(int, object)  # generation, (view counts or None, tag counts, tag names)
    _recount_saved = Signal(object, int)  # run_saved_counts again, after what is queued (queries, attempt)
    saved_counted = Signal(object)  # {saved search name: how many documents it shows}
    failed = Signal(int, object)  # generation, the DocManagerError

    def __init__(
        self, library_path: str, scan_threads: int = SCAN_THREADS, library_class: type[Library] = Library
    ) -> None:
        """``library_class``: what the worker opens the library as (tests pass a subclass that fails on cue)."""
        super().__init__()
        self._library_path = library_path
        self._library_class = library_class
        self._library: Library | None = None
        self._scanners = Scanners(library_path, scan_threads)  # more connections for the excerpt scan
        self._recount.connect(self.run_counts, Qt.ConnectionType.QueuedConnection)
        self._recount_saved.connect(self.run_saved_counts, Qt.ConnectionType.QueuedConnection)
        self.latest = 0

    @Slot(int, object, object, object)
    def run_query(
        self, generation: int, query: ViewQuery, order: array[int] | None = None, tuning: Tuning | None = None
    ) -> None:
        """Compute the view's order; ``order`` is the whole library in this sort, when the model has it."""
        for _attempt in range(3):
            if generation != self.latest:  # a newer query was asked for while this one waited
                return
            try:
                ids = self._order(generation, query, order, tuning or Tuning())
            except Cancelled:
                continue  # the interrupt was meant for an older query (or this one is stale: checked above)
            except DocManagerError as exc:
                self.failed.emit(generation, exc)
                return
            if ids is not None:
                self.finished.emit(generation, ids)
            return

    def _order(
        self, generation: int, query: ViewQuery, order: array[int] | None, tuning: Tuning
    ) -> array[int] | None:
        if self._library is None:
            self._library = self._library_class(self._library_path, create=False)
        plan = SearchPlan(self._library, query, order, tuning, self._scanners)
        return plan.run(
            preview=lambda ids, rows: self.previewed.emit(generation, ids, rows),
            progress=lambda fraction, found: self.scanning.emit(generation, fraction, found),
            learned=self.learned.emit,
            cancelled=lambda: generation != self.latest,
        )

    @Slot(int, bool)
    @Slot(int, bool, int)
    def run_counts(self, generation: int, views: bool = True, attempt: int = 0) -> None:
        """The sidebar's counts read the library's indexes: done here, never on the GUI thread. Without
        ``views`` only the tags are counted (the views' counts are None: unchanged)."""
        try:
            if self._library is None:
                self._library = self._library_class(self._library_path, create=False)
            self.counted.emit(generation, sidebar_counts(self._library, views))
        except Cancelled:
            # Interrupted on behalf of a newer ordering query, which waits in this thread's queue:
            # count again after it, so that the table is not kept waiting for the sidebar.
            if attempt < 3:
                self._recount.emit(generation, views, attempt + 1)
        except DocManagerError as exc:
            self.failed.emit(generation, exc)

    @Slot(object)
    @Slot(object, int)
    def run_saved_counts(self, queries: dict[str, ViewQuery], attempt: int = 0) -> None:
        """How many documents each saved search shows: the search plan's index reads, and for a search
        of the excerpts their scan (about a second at a million), so here and never on the GUI thread.
        Each count is sent as soon as it is known; one interrupted for a newer table query is counted
        again after it."""
        left = dict(queries)
        try:
            if self._library is None:
                self._library = self._library_class(self._library_path, create=False)
            for name, query in queries.items():
                self.saved_counted.emit({name: self._library.count_saved(query)})
                del left[name]
        except Cancelled:
            if attempt < 3:
                self._recount_saved.emit(left, attempt + 1)
        except DocManagerError as exc:
            self.failed.emit(self.latest, exc)

    def interrupt(self) -> None:
        if self._library is not None:
            self._library.interrupt()
        self._scanners.interrupt()

    @Slot()
    def close(self) -> None:
        self._scanners.close()
        if self._library is not None:
            self._library.close()
        self._library = None


class DocumentTableModel(QAbstractTableModel):
    """Rows are positions in ``self._ids``; documents are read a page at a time by ``ensure_rows``."""

    refreshed = Signal()  # the order changed (after a query finished)
    progressed = Signal()  # a search that covers excerpts read more of them (see scan_progress)
    counts_ready = Signal(object, object, object)  # view counts (None: unchanged), tag counts, tag names
    saved_counts_ready = Signal(object)  # {saved search name: how many documents it shows}
    query_failed = Signal(object)  # the DocManagerError (a damaged library is the window's to report)
    _run = Signal(int, object, object, object)
    _count = Signal(int, bool)
    _count_saved = Signal(object)

    def __init__(
        self,
        library: Library,
        parent: QObject | None = None,
        *,
        defer: bool = False,
        sync_limit: int = SYNC_LIMIT,
        tuning: Tuning | None = None,
        scan_threads: int = SCAN_THREADS,
    ) -> None:
        """``sync_limit``, ``tuning`` and ``scan_threads``: from how many documents the worker computes
        the order, and how the search plan divides its work (tests make a small library behave as a
        large one; the first two are attributes, read at each query)."""
        super().__init__(parent)
        self.library = library
        self.sync_limit = sync_limit
        self.tuning = tuning or Tuning()
        self.columns = columns()
        self.query = ViewQuery()
        self._ids: array[int] = array("q")
        self._rows = 0  # == len(self._ids) except while only a preview of the order is known
        self._sort_cache: OrderedDict[Sort, array[int]] = OrderedDict()
        self._pages: OrderedDict[int, _Page] = OrderedDict()
        self._generation = 0
        self._marked: frozenset[int] = frozenset()  # rows drawn marked: what fits the reading budget
        self.marked_tip = ""  # the tooltip of a marked row's Later cell
        self.total = library.count()
        self.busy = False
        # While a search reads the excerpts: (fraction read, matches so far); None otherwise.
        self.scan_progress: tuple[float, int] | None = None
        self._thread = QThread(self)
        self._thread.setObjectName("query-worker")
        self._worker = QueryWorker(str(library.path), scan_threads)
        self._worker.moveToThread(self._thread)
        self._run.connect(self._worker.run_query)
        self._count.connect(self._worker.run_counts)
        self._worker.counted.connect(self._on_counted)
        self._count_saved.connect(self._worker.run_saved_counts)
        self._worker.saved_counted.connect(self.saved_counts_ready)
        self._worker.finished.connect(self._on_finished)
        self._worker.previewed.connect(self._on_previewed)
        self._worker.scanning.connect(self._on_scanning)
        self._worker.learned.connect(self._on_learned)
        self._worker.failed.connect(self._on_failed)
        self._thread.start()
        if not defer:  # the window defers until it has restored the saved sort order
            self.refresh()

    def shutdown(self) -> None:
        self._worker.interrupt()
        self._thread.quit()
        self._thread.wait()
        self._worker.close()

    # --- Qt's model interface --------------------------------------------------------------------

    def rowCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else self._rows

    def columnCount(self, parent: ModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.columns)

    def data(self, index: ModelIndex, role: int = _DISPLAY) -> Any:
        # Called ~1,000 times a paint (each visible cell, for each role the delegate asks): roles we
        # never answer leave first, and the texts were made when the page was read.
        if role not in _ROLES or not index.isValid():
            return None
        if role == _BACKGROUND and not self._marked:
            return None  # no budget: the usual case, answered before any lookup
        row = index.row()
        page = self._pages.get(row // PAGE_SIZE)
        if page is None or row % PAGE_SIZE >= len(page.docs):
            return None  # not fetched yet: the view fetches visible rows before it paints
        column = index.column()
        if role == _DISPLAY:
            return page.texts[row % PAGE_SIZE][column]
        if role == _ALIGN:
            return self.columns[column].align
        doc = page.docs[row % PAGE_SIZE]
        if role == _USER:
            return doc.id
        if role == _BACKGROUND:
            return MARKED_BACKGROUND if doc.id in self._marked else None
        key = self.columns[column].key  # the tooltip: the whole title, the age a date was estimated from
        if key == "title":
            return doc.title
        if key == "later" and doc.id in self._marked:
            return self.marked_tip
        return shown_age(doc.age_text) if key == "date" and doc.age_text else None

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if orientation == Qt.Orientation.Horizontal and 0 <= section < len(self.columns):
            if role == Qt.ItemDataRole.DisplayRole:
                return self.columns[section].header
            if role == Qt.ItemDataRole.TextAlignmentRole:
                return self.columns[section].align
            if role == Qt.ItemDataRole.ToolTipRole and self.columns[section].key == "date":
                return tr("Published (est.)")  # estimated from the age the page showed
        return None

    def flags(self, index: ModelIndex) -> Qt.ItemFlag:
        # Called for every cell of a selection: return a constant, not a freshly OR-ed enum.
        # The root takes drops: a drop between two rows of the queue is a drop into the root.
        return _ROW_FLAGS if index.isValid() else Qt.ItemFlag.ItemIsDropEnabled

    def mimeTypes(self) -> list[str]:
        return [IDS_MIME]

    def mimeData(self, indexes: Sequence[ModelIndex]) -> QMimeData:
        rows = sorted({index.row() for index in indexes if index.isValid()})
        mime = QMimeData()
        mime.setData(IDS_MIME, QByteArray(",".join(str(self.doc_id(r)) for r in rows).encode()))
        return mime

    def supportedDragActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        if 0 <= column < len(self.columns):
            self.set_query(
                replace(self.query, sort=self.columns[column].sort, descending=order == Qt.SortOrder.DescendingOrder)
            )

    # --- ours ------------------------------------------------------------------------------------

    def ensure_rows(self, first: int, last: int) -> None:
        """Read the pages holding rows first..last (called before painting, not from data())."""
        if not self._ids or last < 0:
            return
        first, last = max(first, 0), min(last, len(self._ids) - 1)
        for page in range(first // PAGE_SIZE, last // PAGE_SIZE + 1):
            if page in self._pages:
                self._pages.move_to_end(page)
                continue
            docs = self._documents(self._ids[page * PAGE_SIZE : (page + 1) * PAGE_SIZE])
            if docs is None:
                continue
            texts = [tuple(column.text(doc) for column in self.columns) for doc in docs]
            self._pages[page] = _Page(docs, texts)
            while len(self._pages) > MAX_PAGES:
                self._pages.popitem(last=False)

    def _documents(self, ids: array[int]) -> list[Document] | None:
        docs = self.library.documents(ids, texts=False)  # rows show neither excerpt nor raw line
        if len(docs) != len(ids):
            # Deleted by another program since the order was computed: a page with holes would show
            # rows against the wrong documents. Leave it unread and recompute after this paint.
            QTimer.singleShot(0, lambda: self.refresh(recount=True))
            return None
        return docs

    def document_at(self, row: int) -> Document | None:
        """The document at ``row`` as the table has it: without its excerpt and raw line."""
        if not 0 <= row < len(self._ids):
            return None
        self.ensure_rows(row, row)
        page = self._pages.get(row // PAGE_SIZE)
        return page.docs[row % PAGE_SIZE] if page and row % PAGE_SIZE < len(page.docs) else None

    def ensure_complete(self) -> None:
        """Read the whole order now if only its first rows are known (a bulk action on rows selected
        while the worker was still reading it needs their ids)."""
        if len(self._ids) < self._rows:
            ids = self._plan()
            if len(ids) == self._rows:
                self._ids = ids
            else:
                self._apply(ids)

    def doc_id(self, row: int) -> int:
        """The document at a row, or -1 for a row whose id is not read yet (during a preview)."""
        return self._ids[row] if 0 <= row < len(self._ids) else -1

    def ids(self) -> array[int]:
        return self._ids

    def marked(self) -> frozenset[int]:
        return self._marked

    def set_marked(self, doc_ids: frozenset[int], tip: str = "") -> None:
        """Draw these documents' rows marked (the reading budget's), the others plain; repaints only
        when the marks changed."""
        if doc_ids == self._marked and tip == self.marked_tip:
            return
        self._marked, self.marked_tip = doc_ids, tip
        if self._rows:
            self.dataChanged.emit(
                self.index(0, 0), self.index(self._rows - 1, len(self.columns) - 1), [Qt.ItemDataRole.BackgroundRole]
            )

    def row_of(self, doc_id: int) -> int:
        try:
            return self._ids.index(doc_id)
        except ValueError:
            return -1

    def rows_of(self, doc_ids: set[int]) -> list[int]:
        return [row for row, i in enumerate(self._ids) if i in doc_ids] if doc_ids else []

    def set_query(self, query: ViewQuery) -> None:
        self.query = query
        self.refresh()

    def refresh(self, recount: bool = False) -> None:
        """Recompute the order for the current query (synchronously if the library is small).

        ``recount`` after the library changed: a new query over the same library keeps the total.
        """
        self._generation += 1
        self.scan_progress = None
        if recount:
            self.total = self.library.count()
            self._sort_cache.clear()
        if (cached := self._cached_order()) is not None:
            self._apply(cached)
            return
        if self.total <= self.sync_limit:
            try:
                ids = self._plan()
            except DocManagerError as exc:
                self.query_failed.emit(exc)
                return
            self._apply(ids)
            return
        self.busy = True
        self._worker.latest = self._generation
        self._worker.interrupt()  # a query still running is for an older generation
        self._run.emit(self._generation, self.query, self._library_order(), self.tuning)

    def _plan(self) -> array[int]:
        """The current query's order, computed here (the library is small, or the rows are needed now)."""
        ids = SearchPlan(self.library, self.query, self._library_order(), self.tuning).run()
        assert ids is not None  # nothing cancels it
        return ids

    def refresh_rows(self, doc_ids: Iterable[int], sorts: Iterable[Sort] = ()) -> None:
        """These documents changed in place: read their rows again and repaint them. ``sorts``: the
        orders the edit may have moved, whose cached whole-library orders are forgotten."""
        for sort in sorts:
            self._sort_cache.pop(sort, None)
        rows = self._rows_holding(doc_ids)
        if len(rows):
            for page in {int(r) // PAGE_SIZE for r in rows}:
                self._pages.pop(page, None)
            self.dataChanged.emit(self.index(int(rows[0]), 0), self.index(int(rows[-1]), len(self.columns) - 1))

    def remove_rows(self, doc_ids: Iterable[int]) -> bool:
        """These documents are gone: their rows leave, the others keep their order (no query runs).
        False when the order is not all known yet (a preview): it must be computed again."""
        if len(self._ids) < self._rows:
            return False
        gone = np.fromiter(doc_ids, dtype=np.int64)
        for sort, order in self._sort_cache.items():
            ids = np.frombuffer(order, dtype=np.int64)
            self._sort_cache[sort] = array("q", ids[~np.isin(ids, gone)].tobytes())
        rows = self._rows_holding(gone.tolist())
        self.total = self.library.count()
        if not len(rows):
            return True
        self._pages.clear()  # rows below the first one removed move up
        # One removal per run of adjacent rows, from the bottom up: the view keeps the selection and
        # scroll position of the rows that stay.
        breaks = np.flatnonzero(np.diff(rows) != 1) + 1
        for run in reversed(np.split(rows, breaks)):
            first, last = int(run[0]), int(run[-1])
            self.beginRemoveRows(QModelIndex(), first, last)
            del self._ids[first : last + 1]
            self._rows -= last - first + 1
            self.endRemoveRows()
        return True

    def _rows_holding(self, doc_ids: Iterable[int]) -> npt.NDArray[np.intp]:
        """The rows (ascending) of these documents, among those whose ids are known."""
        wanted = np.fromiter(doc_ids, dtype=np.int64)
        if not len(wanted) or not self._ids:
            return np.zeros(0, dtype=np.intp)
        return np.flatnonzero(np.isin(np.frombuffer(self._ids, dtype=np.int64), wanted))

    def request_counts(self, views: bool = True) -> None:
        """Ask for the sidebar's counts; ``counts_ready`` brings them (at once for small libraries).
        ``views=False``: only the tags' (after a tag edit), and None for the views' counts."""
        if self.total <= self.sync_limit:
            self.counts_ready.emit(*sidebar_counts(self.library, views))
            return
        self._count.emit(self._generation, views)

    def request_saved_counts(self, queries: dict[str, ViewQuery]) -> None:
        """Ask how many documents these saved searches show; ``saved_counts_ready`` brings them: at once
        for a small library, from the worker thread for a large one (a search of the excerpts scans
        them all: about a second at a million documents)."""
        if not queries:
            return
        if self.total <= self.sync_limit:
            self.saved_counts_ready.emit({name: self.library.count_saved(q) for name, q in queries.items()})
            return
        self._count_saved.emit(dict(queries))

    @Slot(int, object)
    def _on_counted(self, _generation: int, counts: tuple[Any, Any, Any]) -> None:
        self.counts_ready.emit(*counts)

    def _unfiltered(self) -> bool:
        q = self.query
        return q.view is View.ALL and not q.tags and q.search.is_empty

    def _library_order(self) -> array[int] | None:
        """The whole library's order for this sort if seen before (descending is ascending reversed):
        applied at once for an unfiltered view, and handed to the worker to order a search's matches."""
        if (ascending := self._sort_cache.get(self.query.sort)) is None:
            return None
        self._sort_cache.move_to_end(self.query.sort)
        return ascending[::-1] if self.query.descending else ascending

    def knows_order(self, sort: Sort) -> bool:
        """Whether the whole library's order in ``sort`` is at hand (a search in it is ordered without a sort)."""
        return sort in self._sort_cache

    def _cached_order(self) -> array[int] | None:
        return self._library_order() if self._unfiltered() else None

    def _remember_order(self, ids: array[int]) -> None:
        if self.total > self.sync_limit and self._unfiltered():
            self._sort_cache[self.query.sort] = ids[::-1] if self.query.descending else ids
            while len(self._sort_cache) > SORT_CACHE_SIZE:
                self._sort_cache.popitem(last=False)

    @Slot(int, object, int)
    def _on_previewed(self, generation: int, preview: array[int], rows: int) -> None:
        if generation == self._generation:
            if rows < 0:  # the first rows of an excerpt search: how many match is not known yet
                self.scan_progress = (0.0, len(preview))
            self._apply(preview, rows if rows >= 0 else None)

    @Slot(int, float, int)
    def _on_scanning(self, generation: int, fraction: float, found: int) -> None:
        if generation == self._generation:
            self.scan_progress = (fraction, found)
            self.progressed.emit()

    @Slot(object, object)
    def _on_learned(self, sort: Sort, ascending: array[int]) -> None:
        if self.total > self.sync_limit and sort not in self._sort_cache:
            self._sort_cache[sort] = ascending
            while len(self._sort_cache) > SORT_CACHE_SIZE:
                self._sort_cache.popitem(last=False)

    @Slot(int, object)
    def _on_finished(self, generation: int, ids: array[int]) -> None:
        if generation != self._generation:
            return
        self.busy = False
        self.scan_progress = None
        self._remember_order(ids)
        known = len(self._ids)
        if ids[:known] == self._ids and self._rows in (known, len(ids)):
            # The preview was right: keep the view (scroll, selection) and only learn the rest, which
            # for an excerpt search (whose count was not known) are rows added below.
            if self._rows < len(ids):
                self.beginInsertRows(QModelIndex(), known, len(ids) - 1)
                self._ids, self._rows = ids, len(ids)
                self.endInsertRows()
                self.refreshed.emit()
            else:
                self._ids = ids
            return
        self._apply(ids)

    @Slot(int, object)
    def _on_failed(self, generation: int, error: DocManagerError) -> None:
        if generation == self._generation:
            self.busy = False
            self.query_failed.emit(error)

    def _apply(self, ids: array[int], rows: int | None = None) -> None:
        self.beginResetModel()
        self._ids = ids
        self._rows = len(ids) if rows is None else rows
        self._pages.clear()
        self.endResetModel()
        self.refreshed.emit()
