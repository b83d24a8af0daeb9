"""The search plan: the one way a ``ViewQuery`` becomes the ids of the documents it shows, in order.

The command line and the window both run it (the window on its worker thread, emitting its signals
from the callbacks), so for the same query and library they show the same documents in the same
order. What matches is decided by the search rule in ``queries`` (a substring test, the same for
titles, tags, notes and excerpts); the plan only chooses the fastest way to apply it:

- a filter without a search of excerpts is read from the indexes; with the whole library's order in
  this sort at hand (the window keeps it), the matches are kept in that order by one numpy mask,
  and otherwise SQLite sorts them (through the sort key's index);
- a search that covers excerpts reads them (they have no index): for a ``preview`` it first tests
  the documents at the start of the view's order, for at most ``first_rows_seconds``, which are the
  first rows whatever the rest holds; then it scans the excerpts in ranges of ids on one connection
  or several (``Scanners``), reporting ``progress`` and stopping between ranges once ``cancelled``.
"""

from __future__ import annotations

import contextlib
import itertools
import os
import queue
import time
from array import array
from collections import deque
from collections.abc import Callable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from docmanager.errors import Cancelled
from docmanager.library.queries import ExcerptSearch, Sort, ViewQuery

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from docmanager.library import Library

    IdArray = npt.NDArray[np.int64]

# The scan's connections: SQLite reads without the GIL, so two threads take half the time.
SCAN_THREADS = max(1, min(4, os.cpu_count() or 1))

Preview = Callable[[array[int], int], None]  # the first ids, how many match in all (-1: not known yet)
Progress = Callable[[float, int], None]  # the fraction of the excerpts read, the matches found so far
Learned = Callable[[Sort, array[int]], None]  # a sort key and the whole library's ascending order in it


@dataclass(frozen=True, slots=True)
class Tuning:
    """How the plan divides its work (tests make the steps small to see each of them)."""

    preview_rows: int = 256  # the rows a preview brings: a few screens
    # From this many matches, keeping them in the library's order (one pass over its ids, ~8 ms at a
    # million) beats sorting them in SQLite (which reads every matching row).
    filter_order_from: int = 2_000
    first_rows_seconds: float = 0.1  # the longest the walk of the view's first documents takes
    first_step: int = 256  # ids read in the walk's first step (the steps double, up to 8,192)
    scan_range: int = 50_000  # ids a scan step reads (~0.1 s at a million)


def _never() -> bool:
    return False


def keep_in_order(order: array[int], matches: set[int] | IdArray) -> array[int]:
    """The ids of ``order`` that are in ``matches``, in ``order``'s order (a mask over the ids: 8 ms
    for a million, where a Python pass took 60 ms)."""
    import numpy as np

    wanted = np.fromiter(matches, dtype=np.int64, count=len(matches)) if isinstance(matches, set) else matches
    top = int(wanted.max(initial=0))
    mask = np.zeros(top + 1, dtype=np.bool_)
    mask[wanted] = True  # ids are SQLite rowids: positive
    return masked_order(order, mask)


def masked_order(order: array[int], mask: npt.NDArray[np.bool_]) -> array[int]:
    """The ids of ``order`` whose entry in ``mask`` is set (ids past its end are not)."""
    import numpy as np

    ordered = np.frombuffer(order, dtype=np.int64)
    inside = ordered[ordered < len(mask)]
    out = array("q")
    out.frombytes(inside[mask[inside]].tobytes())
    return out


@dataclass
class Scanners:
    """More connections to the library, and threads, for the excerpt scan: kept from one search to the
    next by their owner (the window's worker), who closes them."""

    path: str | Path
    threads: int = SCAN_THREADS
    _extra: list[Library] = field(default_factory=list)
    _pool: ThreadPoolExecutor | None = None

    def libraries(self, main: Library) -> list[Library]:
        from docmanager.library import Library

        while len(self._extra) < self.threads - 1:
            self._extra.append(Library(self.path, create=False))
        return [main, *self._extra]

    def submit(self, fn: Callable[[int], IdArray], first: int) -> Future[IdArray]:
        if self._pool is None:
            self._pool = ThreadPoolExecutor(max(1, self.threads), thread_name_prefix="excerpt-scan")
        return self._pool.submit(fn, first)

    def interrupt(self) -> None:
        for library in self._extra:
            library.interrupt()

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown()
            self._pool = None
        for library in self._extra:
            library.close()
        self._extra = []


@dataclass
class SearchPlan:
    """The ids ``query`` shows in ``library``, in order (see the module's note).

    ``order``: the whole library in the query's sort (and direction), if the caller has it.
    ``scanners``: connections to scan excerpts on at once; without them, ``library``'s alone."""

    library: Library
    query: ViewQuery
    order: array[int] | None = None
    tuning: Tuning = field(default_factory=Tuning)
    scanners: Scanners | None = None

    def run(
        self,
        *,
        preview: Preview | None = None,
        progress: Progress | None = None,
        learned: Learned | None = None,
        cancelled: Callable[[], bool] = _never,
    ) -> array[int] | None:
        """The ids in order; None if ``cancelled`` said so between two steps. A ``preview`` is given
        the first ids early when the whole answer takes long."""
        q, lib = self.query, self.library
        if q.search.terms and q.search_excerpts:
            return self._scan(preview, progress, learned, cancelled)
        if self.order is not None:
            # A search or a tag matches tens of thousands of scattered rows at a million documents;
            # sorting them in SQLite means reading each row. With the library's order at hand, the
            # matches (from the indexes, unordered) are kept in that order instead.
            matches = lib.matching_array(q)
            if len(matches) >= self.tuning.filter_order_from:
                return keep_in_order(self.order, matches)
            # A few thousand matches sort faster in SQLite than a pass over a million ids.
            return lib.ordered_ids(matches.tolist(), q)
        if q.search.terms or preview is None:
            return lib.query_ids(q)  # a search sorts every match before the first row anyway
        # First the rows a window shows and how many there are, then the whole order.
        ids = lib.query_ids(q, limit=self.tuning.preview_rows)
        if len(ids) < self.tuning.preview_rows:
            return ids
        preview(ids, lib.count_matching(q))
        if cancelled():
            return None
        return lib.query_ids(q)

    def _scan(
        self, preview: Preview | None, progress: Progress | None, learned: Learned | None, cancelled: Callable[[], bool]
    ) -> array[int] | None:
        """A search that covers excerpts: the first rows in the view's order as soon as they are found,
        then every match from a scan of the excerpts, which ``cancelled`` stops between ranges."""
        import numpy as np

        q, lib, tuning = self.query, self.library, self.tuning
        order = self.order
        if order is None:  # the whole library in this sort: 0.6 s at a million, then remembered
            ascending = lib.query_ids(ViewQuery(sort=q.sort))
            if learned is not None:
                learned(q.sort, ascending)
            order = ascending[::-1] if q.descending else ascending
        search = lib.excerpt_search(q)
        if preview is not None:
            found: list[int] = []
            start, step, began = 0, tuning.first_step, time.monotonic()
            while start < len(order) and len(found) < tuning.preview_rows:
                if cancelled():
                    return None
                found += lib.excerpt_matches(search, order[start : start + step])
                start += step
                step = min(step * 2, 8192)
                if time.monotonic() - began > tuning.first_rows_seconds:
                    break
            if start >= len(order):
                return array("q", found)  # the walk read the whole library: that is the answer
            preview(array("q", found), -1)
        top = lib.max_doc_id()
        matched = np.zeros(top + 1, dtype=np.bool_)  # a document's entry is set once it matches
        known = np.fromiter(search.known, dtype=np.int64, count=len(search.known))
        matched[known[known <= top]] = True
        for last, ids in self._scan_ranges(search, top, cancelled):
            matched[ids] = True
            if progress is not None:
                progress(min(1.0, last / top), int(np.count_nonzero(matched)))
        if cancelled():
            return None
        return masked_order(order, matched)

    def _scan_ranges(
        self, search: ExcerptSearch, top: int, cancelled: Callable[[], bool]
    ) -> Iterator[tuple[int, IdArray]]:
        """(last id, matches) for each range of ids up to ``top``, in order, read on every scanner's
        connection at once. Stops early, leaving no range running, once ``cancelled``."""
        size = self.tuning.scan_range
        starts = iter(range(1, top + 1, size))  # ids start at 1
        if self.scanners is None:
            for first in starts:
                if cancelled():
                    return
                yield first + size - 1, self.library.scan_excerpts(search, first, first + size - 1)
            return
        scanners = self.scanners
        libraries = scanners.libraries(self.library)
        free: queue.SimpleQueue[Library] = queue.SimpleQueue()
        for library in libraries:
            free.put(library)

        def scan(first: int) -> IdArray:
            library = free.get()
            try:
                return library.scan_excerpts(search, first, first + size - 1)
            finally:
                free.put(library)

        running: deque[tuple[int, Future[IdArray]]] = deque()
        try:
            for first in itertools.islice(starts, len(libraries)):
                running.append((first, scanners.submit(scan, first)))
            while running and not cancelled():
                first, future = running.popleft()
                ids = future.result()
                if (following := next(starts, None)) is not None:
                    running.append((following, scanners.submit(scan, following)))
                yield first + size - 1, ids
        finally:
            if running:  # stopped early: interrupt what still runs and wait for it
                for library in libraries:
                    library.interrupt()
                for _, future in running:
                    with contextlib.suppress(Cancelled):
                        future.result()


def search_ids(library: Library, query: ViewQuery) -> array[int]:
    """The ids ``query`` shows, in order: the plan run to its end (the command line's search)."""
    ids = SearchPlan(library, query).run()
    assert ids is not None  # nothing cancels it
    return ids
