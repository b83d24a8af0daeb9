"""Importing listing files into a library: read, split titles, store, all in one transaction per file.

The file is read once, inside ``Library.import_batch``: CHUNK_ENTRIES entries at a time are split with
that chunk as context, written and let go, so memory does not grow with the file. What only the end of
the file tells is recorded last (``ImportBatch.set_listing_facts``: the footer and the sha256 of the
bytes read). A file with no result line, one that stops being readable and one that changed while it
was read (``ListingReader.changed``) raise inside the transaction, which rolls back: nothing of it is
imported.

An HTML page is the exception to reading a file a chunk at a time: ListingReader parses it whole
(it is at most listing.MAX_PAGE_BYTES), then hands its results on in the same chunks.

The CPU work of a big file (splitting titles, identities, packing raw lines, search terms) runs in
worker processes (``ImportPool``) while this process reads the next chunks and writes the finished ones
in file order. The chunks are the same as in one process, so the documents are too.
"""

from __future__ import annotations

import multiprocessing
import multiprocessing.connection
import os
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from contextlib import suppress
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from types import TracebackType

from docmanager.errors import Cancelled, DocManagerError, ListingError
from docmanager.library import ImportBatch, Library, NewDocument, identity_key, is_open_here
from docmanager.library.changes import NO_CHANGES, Changes
from docmanager.library.records import pack_raw
from docmanager.listing import (
    Entry,
    Listing,
    ListingReader,
    Rejection,
    capture_time,
    open_listing,
    published_estimate,
)
from docmanager.search import fold_parts, index_terms
from docmanager.splitter import Split, split_bodies

# progress(done, total): called between steps; raising Cancelled from check() aborts and rolls back.
Progress = Callable[[int, int], None]

# How many entries are split and written together. The splitter's cross-line evidence (endings and
# phrases that several lines share) needs tens of lines, so a chunk gives it plenty; memory is about
# 5 KB an entry. CHUNK_CHARS bounds a chunk of unusually long lines (each may be 64K characters).
# Smaller chunks fill and drain the workers' pipeline sooner (the writer waits for the first chunk and
# for the last): 100,000 lines took 14.8 s in chunks of 10,000 and 14.3 s in chunks of 5,000; with one
# worker task a chunk, 2,500 took 0.08-0.21 s less than 5,000 in each of three paired runs of ~12.2 s.
CHUNK_ENTRIES = 2_500
CHUNK_CHARS = 32 * 1024 * 1024
# FileResult keeps the first rejections to show; the library keeps them all (Library.rejected_lines).
MAX_REPORTED_REJECTIONS = 1000
# check() is called this often while lines are read (a chunk of rejected lines can be 32M characters).
CHECK_EVERY_LINES = 20_000
# A file this big has its chunks computed by worker processes. Measured on two cores: a 12 MB file (one
# chunk) in 1.6 s instead of 2.1, 8 MB in 1.1 instead of 1.4; at 4 MB, starting the workers (~0.3 s the
# first time in a process) costs what they save.
POOL_MIN_BYTES = 8 * 1024 * 1024
POOL_WORKERS = 2
# Chunks read but not yet written: one being written while the workers compute the others. Each holds
# its entries and their fields (~10 KB an entry), so this bounds the memory a big import takes.
CHUNKS_IN_FLIGHT = 3
# The workers run at this lower priority (os.nice). The importing process is the import's critical
# path (it reads the file and writes every row in order) while the workers compute ahead of it; on two
# cores the three share the CPU evenly unless told otherwise, and the importer waits on its share.
WORKER_NICENESS = 5
# While waiting for a worker, check() is called this often (seconds).
CHECK_INTERVAL = 0.1


@dataclass(frozen=True, slots=True)
class ImportTuning:
    """How an import cuts its work: the chunks' size and when worker processes compute them. The
    defaults are the measured ones above; tests pass small chunks to see several in a small file."""

    chunk_entries: int = CHUNK_ENTRIES
    chunk_chars: int = CHUNK_CHARS
    pool_min_bytes: int = POOL_MIN_BYTES
    # None: workers for files of pool_min_bytes or more on a machine of two or more cores; True or
    # False: always or never (whatever the file's size and the machine).
    use_pool: bool | None = None

    def pool_pays(self, size: int) -> bool:
        """Whether a file of this many bytes is imported faster with worker processes."""
        if self.use_pool is not None:
            return self.use_pool
        cpus = getattr(os, "process_cpu_count", os.cpu_count)()  # process_cpu_count: Python 3.13+
        return size >= self.pool_min_bytes and (cpus or 1) > 1


DEFAULT_TUNING = ImportTuning()


@dataclass(slots=True)
class FileResult:
    """What importing one file did, or why it was refused."""

    path: str
    import_id: int | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    repeated: int = 0  # lines that repeat an earlier line of the same file
    rejections: list[Rejection] = field(default_factory=list)  # the first MAX_REPORTED_REJECTIONS
    refused: str | None = None
    encoding: str = ""
    total_claimed: int | None = None
    page_number: int | None = None
    new_ids: list[int] = field(default_factory=list)
    rejected: int = 0  # every rejected line, also those past MAX_REPORTED_REJECTIONS
    other_encoding_lines: int = 0  # lines read in the other Chinese encoding (see ListingReader)
    # What the import changed in the library: the documents added, those listed again whose fields it
    # refreshed (and which fields). Nothing for a refused or cancelled file: it was rolled back.
    changes: Changes[None] = NO_CHANGES

    @property
    def ok(self) -> bool:
        return self.refused is None

    def summary(self) -> str:
        if self.refused:
            return f"{self.path}: refused: {self.refused}"
        rejected = max(self.rejected, len(self.rejections))
        parts = f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {rejected} rejected"
        if self.repeated:
            parts += f", {self.repeated} repeated in the file"
        if self.other_encoding_lines:
            other = "UTF-8" if self.encoding == "gb18030" else "GB18030"
            n = self.other_encoding_lines
            parts += f" ({n} line{'s' if n > 1 else ''} read as {other})"
        return f"{self.path}: {parts}"


# What a chunk's fields are computed from, and what comes back: plain tuples, because they cross to the
# worker processes and back, and pickling is most of the cost of that trip (tuples pickle five times
# faster than the dataclasses). Nothing that can be rebuilt crosses: the body is the start of the
# stripped raw line (listing_fields.parse_line), the title the start of the body and the excerpt its end (the
# splitter cuts the body in two), so lengths stand for them.
# Raw line, body length, pages, size in bytes, age in seconds, and the title's length when the page gave
# the title exactly (browser text, HTML): then it is not guessed.
Work = tuple[str, int, int | None, int, int | None, int | None]
# A chunk's fields are two parts: the splitting needs the whole chunk (its lines are each other's
# context), the rest goes line by line. One task computes both: as two tasks (which kept both workers
# busy on a file's last chunk) each chunk's lines were pickled, sent and read twice, ~4 µs a line of
# the two cores' time, and the import is bound by that time, not by its last chunk.
# Length of the title and of the excerpt; the title's search terms; the title and the excerpt folded as
# stored (search.fold), each None when folding left it as it is (then the body's slice is it).
SplitPart = tuple[int, int, tuple[str, str] | None, str | None, str | None]
LinePart = tuple[str, str | None, str | bytes | None]  # identity, published estimate, packed raw line
Fields = tuple[list[SplitPart], list[LinePart]]


def work_of(entries: Sequence[Entry]) -> list[Work]:
    return [
        (e.raw, len(e.body), e.pages, e.size_bytes, e.age_seconds, None if e.title is None else len(e.title))
        for e in entries
    ]


def compute_fields(work: Sequence[Work], captured_at: datetime, prepare: bool = True) -> Fields:
    """A chunk's fields, in this process (a worker's, for a big file): titles split from their excerpts
    (the chunk's bodies each other's context) and folded as stored, and each line's identity and
    publication estimate. ``prepare`` also computes the title's search terms and packs the raw line,
    which the store would otherwise do while it writes."""
    bodies = [raw.strip()[:length] for raw, length, *_ in work]
    # A page of exact titles needs no splitting; in a mix, the exact ones are evidence for the others.
    guessed: Sequence[Split | None] = split_bodies(bodies) if any(w[5] is None for w in work) else [None] * len(bodies)
    # A page shows ages in whole units ("3 周前"): a chunk holds few distinct ones, each estimated once
    # (date arithmetic per line cost ~1 µs of the workers' time).
    published: dict[int | None, str | None] = {}
    splits: list[SplitPart] = []
    lines: list[LinePart] = []
    for body, split, (raw, _, pages, size_bytes, age_seconds, exact) in zip(bodies, guessed, work, strict=True):
        if exact is not None:
            title, excerpt_length = body[:exact], len(body) - exact
        else:
            assert split is not None
            title = split.title or body[:60]
            excerpt_length = len(split.excerpt)
        # The body is folded once, for its identity and for its two parts (one full-width scan instead of
        # three, two of them in the importing process before). A part that folding left as it was is not
        # sent back (most titles; few excerpts: most hold a full-width comma).
        folded, folded_title, folded_excerpt = fold_parts(body, len(title), excerpt_length)
        excerpt = body[len(body) - excerpt_length :]
        splits.append(
            (
                len(title),
                excerpt_length,
                index_terms(folded_title, "", "") if prepare else None,
                None if folded_title == title else folded_title,
                None if folded_excerpt == excerpt else folded_excerpt,
            )
        )
        if age_seconds in published:
            estimate = published[age_seconds]
        else:
            estimate = published[age_seconds] = published_estimate(captured_at, age_seconds)
        identity = identity_key(body, pages, size_bytes, folded=folded)
        lines.append((identity, estimate, pack_raw(raw) if prepare else None))
    return splits, lines


def documents(entries: Sequence[Entry], fields: Fields, source_file: str, captured: str) -> list[NewDocument]:
    """The entries as documents, with the fields computed for them."""
    splits, lines = fields
    return [
        NewDocument(
            identity=identity,
            # Folded (NFKC) as shown and searched: the Kangxi radical in 并⾏ renders as a box in many
            # fonts and is not the 行 a user types. The raw line keeps the text as read.
            title=e.body[:title_length] if title is None else title,
            excerpt=e.body[len(e.body) - excerpt_length :] if excerpt is None else excerpt,
            price=e.price,
            pages=e.pages,
            size_bytes=e.size_bytes,
            size_text=e.size_text,
            age_text=e.age_text,
            published_estimate=published,
            captured_at=captured,
            rating=e.rating,
            source_file=source_file,
            source_line=e.line_no,
            raw_line=e.raw,
            packed_raw=packed,
            title_terms=terms,
            url=e.url,
            title_exact=e.title is not None,
        )
        for e, (title_length, excerpt_length, terms, title, excerpt), (identity, published, packed) in zip(
            entries, splits, lines, strict=True
        )
    ]


def _timestamp(when: datetime) -> str:
    return when.strftime("%Y-%m-%dT%H:%M:%SZ")


def new_documents(entries: Sequence[Entry], source_file: str, captured_at: datetime) -> list[NewDocument]:
    """Split titles (the entries are each other's context) and compute each document's fields."""
    fields = compute_fields(work_of(entries), captured_at, prepare=False)
    return documents(entries, fields, source_file, _timestamp(captured_at))


def documents_from(listing: Listing, captured_at: datetime) -> list[NewDocument]:
    """A whole listing's documents, split with the whole file as context (for small files and tools)."""
    return new_documents(listing.entries, listing.path, captured_at)


@dataclass(slots=True)
class Chunk:
    """CHUNK_ENTRIES entries (or CHUNK_CHARS characters) of a file, the lines rejected among them, and
    how far into the file (in bytes) reading them took it."""

    entries: list[Entry]
    rejections: list[Rejection]
    end_byte: int


def chunks(
    reader: ListingReader, check: Callable[[], None] | None = None, tuning: ImportTuning = DEFAULT_TUNING
) -> Iterator[Chunk]:
    """The reader's entries and rejections, ``tuning.chunk_entries`` entries (or ``chunk_chars``
    characters) at a time."""
    entries: list[Entry] = []
    rejections: list[Rejection] = []
    chars = 0
    for lines, item in enumerate(reader, start=1):
        if isinstance(item, Entry):
            entries.append(item)
        else:
            rejections.append(item)
        chars += len(item.raw)
        if check is not None and lines % CHECK_EVERY_LINES == 0:
            check()
        if len(entries) >= tuning.chunk_entries or chars >= tuning.chunk_chars:
            yield Chunk(entries, rejections, reader.bytes_read)
            entries, rejections, chars = [], [], 0
    if entries or rejections:
        yield Chunk(entries, rejections, reader.bytes_read)


def _context() -> multiprocessing.context.BaseContext:
    """Never fork: imports run on a thread of the Qt program, and a forked copy of a threaded process
    can hang on a lock another thread held. A fork server is one clean process, started once, that has
    imported this module; each worker is a cheap fork of it. Windows has only spawn."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])  # no effect once the server runs: it has it already
    return context


def _start_worker(niceness: int) -> None:
    """Each worker's first act: lower its priority (see WORKER_NICENESS), and start a thread that ends
    the worker when the importing process ends without stopping it (killed, crashed). Otherwise the
    workers would wait forever for chunks, keeping the fork server alive too, since they hold the ends
    of its pipes that tell it its clients are gone."""
    if niceness and hasattr(os, "nice"):  # POSIX only
        with suppress(OSError):
            os.nice(niceness)
    parent = multiprocessing.parent_process()
    if parent is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), name="importer watch", daemon=True).start()


def _end_with(sentinel: int) -> None:
    multiprocessing.connection.wait([sentinel])  # ready when the importing process has ended
    os._exit(1)


class ImportPool:
    """Worker processes computing the fields of big files' chunks, started when a file first needs them
    and reused for the next files; ``close()`` (or leaving the ``with`` block) stops and waits for them."""

    def __init__(
        self,
        workers: int = POOL_WORKERS,
        niceness: int = WORKER_NICENESS,
        task: Callable[[list[Work], datetime], Fields] = compute_fields,
    ) -> None:
        """``task``: what the workers run to compute a chunk's fields (a module-level function, so that
        it can be sent to them; tests pass one that fails)."""
        self.workers = workers
        self.niceness = niceness
        self.task = task
        self._executor: ProcessPoolExecutor | None = None

    def warm_up(self) -> None:
        """Have the fork server start (it takes ~0.3 s to import this module) while the first chunk is
        read, instead of when it is handed over. It runs on its own; with spawn, there is none."""
        if self._executor is None and _context().get_start_method() == "forkserver":
            from multiprocessing import forkserver  # a POSIX module

            forkserver.ensure_running()

    def submit(self, work: list[Work], captured_at: datetime) -> Future[Fields]:
        """Hand a chunk's task to the workers."""
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=_context(), initializer=_start_worker, initargs=(self.niceness,)
            )
        try:
            return self._executor.submit(self.task, work, captured_at)
        except BrokenProcessPool as exc:  # a worker died while this process was reading
            raise self.broken() from exc

    def broken(self) -> DocManagerError:
        """Give up the workers after one of them died (the next file starts new ones): the error to raise."""
        self.close()
        return DocManagerError(
            "a worker process of the import stopped unexpectedly (was the computer out of memory?); "
            "nothing was imported"
        )

    def close(self) -> None:
        """Stop the workers and wait for them: tasks not started are dropped, but those started and the
        one the executor has queued next are finished first (after a cancel, ~1.5 s on two cores)."""
        executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True, cancel_futures=True)

    def __enter__(self) -> ImportPool:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


@dataclass(slots=True)
class _Writer:
    """Writes one file's chunks in order into its import transaction, counting progress in bytes."""

    batch: ImportBatch
    result: FileResult
    source: str
    captured: str
    total_bytes: int
    check: Callable[[], None] | None
    progress: Progress | None
    tuning: ImportTuning = DEFAULT_TUNING
    done_bytes: int = 0

    def write(self, chunk: Chunk, fields: Fields) -> None:
        self.batch.add_rejections((r.line_no, r.reason, r.raw) for r in chunk.rejections)
        room = MAX_REPORTED_REJECTIONS - len(self.result.rejections)
        self.result.rejections.extend(chunk.rejections[: max(0, room)])
        inner: Progress | None = None
        if self.progress is not None:
            progress, start, total = self.progress, self.done_bytes, self.total_bytes
            span = chunk.end_byte - start
            inner = lambda n, of: progress(start + span * n // max(of, 1), total)  # noqa: E731
        self.batch.add_documents(documents(chunk.entries, fields, self.source, self.captured), self.check, inner)
        self.done_bytes = chunk.end_byte


def _write_in_process(writer: _Writer, reader: ListingReader, captured_at: datetime) -> None:
    for chunk in chunks(reader, writer.check, writer.tuning):
        writer.write(chunk, compute_fields(work_of(chunk.entries), captured_at))


def _write_with_pool(writer: _Writer, reader: ListingReader, captured_at: datetime, pool: ImportPool) -> None:
    """Read chunks and hand them to the workers; write each, in file order, once its fields are back."""
    pending: deque[tuple[Chunk, Future[Fields] | None]] = deque()
    pool.warm_up()
    try:
        for chunk in chunks(reader, writer.check, writer.tuning):
            pending.append((chunk, pool.submit(work_of(chunk.entries), captured_at) if chunk.entries else None))
            if len(pending) >= CHUNKS_IN_FLIGHT:
                done, future = pending.popleft()
                writer.write(done, _fields_from(future, pool, writer.check))
        while pending:
            done, future = pending.popleft()
            writer.write(done, _fields_from(future, pool, writer.check))
    finally:
        for _, left in pending:  # after an error or a cancel: drop what the workers have not started
            if left is not None:
                left.cancel()


def _fields_from(future: Future[Fields] | None, pool: ImportPool, check: Callable[[], None] | None) -> Fields:
    if future is None:
        return [], []
    while wait([future], timeout=CHECK_INTERVAL).not_done:
        if check is not None:
            check()
    try:  # a worker's exception is raised here, its traceback in __cause__
        return future.result()
    except BrokenProcessPool as exc:
        raise pool.broken() from exc


def _refusal(exc: ListingError) -> str:
    return f"line {exc.line}: {exc.reason}" if exc.line is not None else exc.reason


def import_file(
    library: Library,
    path: Path,
    *,
    captured_at: datetime | None = None,
    check: Callable[[], None] | None = None,
    progress: Progress | None = None,
    pool: ImportPool | None = None,
    source: str | None = None,
    tuning: ImportTuning = DEFAULT_TUNING,
) -> FileResult:
    """Import one listing file. A refused file or a cancelled import changes nothing.

    ``source`` names where the text came from when the file is only its carrier (``clipboard …`` for a
    paste): it is recorded and reported in place of the file's path.

    progress(done, total) counts the file's bytes. A big file is computed by ``pool``'s workers (a pool
    of its own if none is given, stopped before returning); a small one in this process.
    """
    path = Path(path)
    result = FileResult(path=source or str(path))
    if is_open_here(path):  # reading it would close a descriptor of the library beside our connection
        result.refused = "is the library itself, not a listing file"
        return result
    try:
        reader = open_listing(path)
    except ListingError as exc:
        result.refused = _refusal(exc)
        return result
    with reader:
        try:
            when = captured_at or capture_time(path)
        except OSError as exc:
            result.refused = f"cannot be read: {exc.strerror or exc}"
            return result
        source = source or str(path.resolve())
        workers = (pool or ImportPool()) if tuning.pool_pays(reader.size) else None
        refusal: ListingError | None = None
        try:
            with library.import_batch(
                path=source,
                sha256="",  # the facts only the whole file tells are set at its end
                encoding=reader.encoding,
                captured_at=_timestamp(when),
                total_claimed=None,
                page_number=None,
                pager_pages=(),
            ) as batch:
                writer = _Writer(batch, result, source, _timestamp(when), reader.size, check, progress, tuning)
                if workers is None:
                    _write_in_process(writer, reader, when)
                else:
                    _write_with_pool(writer, reader, when, workers)
                if (refusal := reader.refusal()) is not None:
                    raise refusal
                if reader.changed():
                    raise ListingError(str(path), "the file changed while it was being imported; import it again")
                batch.set_listing_facts(
                    sha256=reader.sha256,
                    encoding=reader.encoding,
                    total_claimed=reader.total_claimed,
                    page_number=reader.page_number,
                    pager_pages=reader.pager_pages,
                )
                if check is not None:
                    check()
        except ListingError as exc:  # raised inside the transaction: import_batch rolled it back
            result.refused = _refusal(exc) if exc is refusal else _refusal(exc) + "; nothing was imported"
            result.rejections = []
            return result
        finally:
            if workers is not None and workers is not pool:
                workers.close()
    result.import_id = batch.import_id
    result.new, result.updated, result.unchanged = batch.new, batch.updated, batch.unchanged
    result.repeated = batch.repeated
    result.rejected = batch.rejected
    result.new_ids = batch.new_ids
    result.changes = batch.changes
    result.encoding = reader.encoding
    result.total_claimed = reader.total_claimed
    result.page_number = reader.page_number
    result.other_encoding_lines = reader.other_encoding_lines
    return result


def changes_of(results: Iterable[FileResult]) -> Changes[None]:
    """What several files' imports changed, as one."""
    changes = NO_CHANGES
    for result in results:
        changes |= result.changes
    return changes


def import_files(
    library: Library,
    paths: list[Path],
    *,
    captured_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    file_progress: Callable[[int, int, int, int], None] | None = None,
    results_out: list[FileResult] | None = None,
    sources: Mapping[Path, str] | None = None,
    tuning: ImportTuning = DEFAULT_TUNING,
) -> list[FileResult]:
    """Import several files, each in its own transaction; stops (rolling back the current file) on cancel.

    The worker processes that big files need are started once, for the first, and stopped on return.
    """

    def check() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled("import cancelled; the file being read was not imported")

    # results_out lets a caller keep the files finished before a Cancel (which raises).
    results: list[FileResult] = [] if results_out is None else results_out
    with ImportPool() as pool:
        for n, path in enumerate(paths):
            if progress is not None:
                progress(n, len(paths))
            check()
            inner: Progress | None = None
            if file_progress is not None:
                inner = lambda done, total, n=n: file_progress(n, len(paths), done, total)  # noqa: E731
            source = (sources or {}).get(path)
            results.append(
                import_file(
                    library,
                    path,
                    captured_at=captured_at,
                    check=check,
                    progress=inner,
                    pool=pool,
                    source=source,
                    tuning=tuning,
                )
            )
    if progress is not None:
        progress(len(paths), len(paths))
    return results
