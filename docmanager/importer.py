"""Importing listing files into a library: read, split titles, store, all in one transaction per file.

The file is streamed twice. The first pass reads every line without writing: it refuses a file with no
result line before a transaction is opened, counts the entries for progress and collects the footer
(total, pager) that the import record needs up front. The second pass, inside ``Library.import_batch``,
takes CHUNK_ENTRIES entries at a time, splits their titles with that chunk as context, writes them and
lets them go, so memory does not grow with the file; if the file's bytes differ between the passes,
or it stops being readable, the whole transaction is rolled back and the file is refused.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docmanager.errors import Cancelled, ListingError
from docmanager.listing import (
    Entry,
    Listing,
    ListingReader,
    Rejection,
    capture_time,
    open_listing,
    published_estimate,
)
from docmanager.splitter import split_bodies
from docmanager.store import Library, NewDocument, identity_key

# progress(done, total): called between steps; raising Cancelled from check() aborts and rolls back.
Progress = Callable[[int, int], None]

# How many entries are split and written together. The splitter's cross-line evidence (endings and
# phrases that several lines share) needs tens of lines, so a chunk gives it plenty; memory is about
# 5 KB an entry. CHUNK_CHARS bounds a chunk of unusually long lines (each may be 64K characters).
CHUNK_ENTRIES = 10_000
CHUNK_CHARS = 32 * 1024 * 1024
# FileResult keeps the first rejections to show; the library keeps them all (Library.rejected_lines).
MAX_REPORTED_REJECTIONS = 1000
# check() is called this often while the first pass reads (a 1 GB file takes a while to read).
CHECK_EVERY_LINES = 20_000


@dataclass(slots=True)
class FileResult:
    """What importing one file did, or why it was refused."""

    path: str
    import_id: int | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)  # the first MAX_REPORTED_REJECTIONS
    refused: str | None = None
    encoding: str = ""
    total_claimed: int | None = None
    page_number: int | None = None
    new_ids: list[int] = field(default_factory=list)
    rejected: int = 0  # every rejected line, also those past MAX_REPORTED_REJECTIONS
    other_encoding_lines: int = 0  # lines read in the other Chinese encoding (see ListingReader)

    @property
    def ok(self) -> bool:
        return self.refused is None

    def summary(self) -> str:
        if self.refused:
            return f"{self.path}: refused: {self.refused}"
        rejected = max(self.rejected, len(self.rejections))
        parts = f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {rejected} rejected"
        if self.other_encoding_lines:
            other = "UTF-8" if self.encoding == "gb18030" else "GB18030"
            n = self.other_encoding_lines
            parts += f" ({n} line{'s' if n > 1 else ''} read as {other})"
        return f"{self.path}: {parts}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def new_documents(entries: Sequence[Entry], source_file: str, captured_at: datetime) -> list[NewDocument]:
    """Split titles (the entries are each other's context) and compute each document's fields."""
    splits = split_bodies([e.body for e in entries])
    captured = captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    return [
        NewDocument(
            identity=identity_key(e.body, e.pages, e.size_bytes),
            title=s.title or e.body[:60],
            excerpt=s.excerpt,
            price=e.price,
            pages=e.pages,
            size_bytes=e.size_bytes,
            size_text=e.size_text,
            age_text=e.age_text,
            published_estimate=published_estimate(captured_at, e.age_seconds),
            captured_at=captured,
            trailing_number=e.trailing,
            source_file=source_file,
            source_line=e.line_no,
            raw_line=e.raw,
        )
        for e, s in zip(entries, splits, strict=True)
    ]


def documents_from(listing: Listing, captured_at: datetime) -> list[NewDocument]:
    """A whole listing's documents, split with the whole file as context (for small files and tools)."""
    return new_documents(listing.entries, listing.path, captured_at)


def chunks(reader: ListingReader) -> Iterator[tuple[list[Entry], list[Rejection]]]:
    """The reader's entries and rejections, CHUNK_ENTRIES entries (or CHUNK_CHARS characters) at a time."""
    entries: list[Entry] = []
    rejections: list[Rejection] = []
    chars = 0
    for item in reader:
        if isinstance(item, Entry):
            entries.append(item)
        else:
            rejections.append(item)
        chars += len(item.raw)
        if len(entries) >= CHUNK_ENTRIES or chars >= CHUNK_CHARS:
            yield entries, rejections
            entries, rejections, chars = [], [], 0
    if entries or rejections:
        yield entries, rejections


def _scan(path: Path, check: Callable[[], None] | None) -> ListingReader:
    """The first pass: read the whole file, keep only counts and footers; refuse it if it has no result."""
    with open_listing(path) as reader:
        for n, _ in enumerate(reader, start=1):
            if check is not None and n % CHECK_EVERY_LINES == 0:
                check()
        if (error := reader.refusal()) is not None:
            raise error
    return reader


def _refusal(exc: ListingError) -> str:
    return f"line {exc.line}: {exc.reason}" if exc.line is not None else exc.reason


def import_file(
    library: Library,
    path: Path,
    *,
    captured_at: datetime | None = None,
    check: Callable[[], None] | None = None,
    progress: Progress | None = None,
) -> FileResult:
    """Import one listing file. A refused file or a cancelled import changes nothing."""
    path = Path(path)
    result = FileResult(path=str(path))
    try:
        scan = _scan(path, check)
        when = captured_at or capture_time(path)
    except ListingError as exc:
        result.refused = _refusal(exc)
        return result
    except OSError as exc:
        result.refused = f"cannot be read: {exc.strerror or exc}"
        return result
    source = str(path.resolve())
    total = scan.entries
    try:
        with (
            library.import_batch(
                path=source,
                sha256=scan.sha256,
                encoding=scan.encoding,
                captured_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
                total_claimed=scan.total_claimed,
                page_number=scan.page_number,
                pager_pages=scan.pager_pages,
            ) as batch,
            open_listing(path) as reader,
        ):
            done = 0
            for entries, rejections in chunks(reader):
                batch.add_rejections((r.line_no, r.reason, r.raw) for r in rejections)
                room = MAX_REPORTED_REJECTIONS - len(result.rejections)
                result.rejections.extend(rejections[: max(0, room)])
                inner: Progress | None = None
                if progress is not None:
                    inner = lambda n, _, done=done: progress(done + n, total)  # noqa: E731
                batch.add_documents(new_documents(entries, source, when), check, inner)
                done += len(entries)
            if reader.sha256 != scan.sha256:
                raise ListingError(str(path), "the file changed while it was being imported; import it again")
            if check is not None:
                check()
    except ListingError as exc:  # raised inside the transaction: import_batch rolled it back
        result.refused = _refusal(exc) + "; nothing was imported"
        result.rejections = []
        return result
    result.import_id = batch.import_id
    result.new, result.updated, result.unchanged = batch.new, batch.updated, batch.unchanged
    result.rejected = batch.rejected
    result.new_ids = batch.new_ids
    result.encoding = scan.encoding
    result.total_claimed = scan.total_claimed
    result.page_number = scan.page_number
    result.other_encoding_lines = reader.other_encoding_lines
    return result


def import_files(
    library: Library,
    paths: list[Path],
    *,
    captured_at: datetime | None = None,
    progress: Progress | None = None,
    cancelled: Callable[[], bool] | None = None,
    file_progress: Callable[[int, int, int, int], None] | None = None,
    results_out: list[FileResult] | None = None,
) -> list[FileResult]:
    """Import several files, each in its own transaction; stops (rolling back the current file) on cancel."""

    def check() -> None:
        if cancelled is not None and cancelled():
            raise Cancelled("import cancelled; the file being read was not imported")

    # results_out lets a caller keep the files finished before a Cancel (which raises).
    results: list[FileResult] = [] if results_out is None else results_out
    for n, path in enumerate(paths):
        if progress is not None:
            progress(n, len(paths))
        check()
        inner: Progress | None = None
        if file_progress is not None:
            inner = lambda done, total, n=n: file_progress(n, len(paths), done, total)  # noqa: E731
        results.append(import_file(library, path, captured_at=captured_at, check=check, progress=inner))
    if progress is not None:
        progress(len(paths), len(paths))
    return results
