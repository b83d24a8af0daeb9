"""Importing listing files into a library: read, split titles, store, all in one transaction per file."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

from docmanager.errors import Cancelled, ListingError
from docmanager.listing import Listing, Rejection, capture_time, published_estimate, read_listing
from docmanager.splitter import split_bodies
from docmanager.store import Library, NewDocument, identity_key

# progress(done, total): called between steps; raising Cancelled from check() aborts and rolls back.
Progress = Callable[[int, int], None]


@dataclass(slots=True)
class FileResult:
    """What importing one file did, or why it was refused."""

    path: str
    import_id: int | None = None
    new: int = 0
    updated: int = 0
    unchanged: int = 0
    rejections: list[Rejection] = field(default_factory=list)
    refused: str | None = None
    encoding: str = ""
    total_claimed: int | None = None
    page_number: int | None = None
    new_ids: list[int] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.refused is None

    def summary(self) -> str:
        if self.refused:
            return f"{self.path}: refused: {self.refused}"
        parts = f"{self.new} new, {self.updated} updated, {self.unchanged} unchanged, {len(self.rejections)} rejected"
        return f"{self.path}: {parts}"


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def documents_from(listing: Listing, captured_at: datetime) -> list[NewDocument]:
    """Split titles (with the whole file as context) and compute each document's fields."""
    splits = split_bodies([e.body for e in listing.entries])
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
            source_file=listing.path,
            source_line=e.line_no,
            raw_line=e.raw,
        )
        for e, s in zip(listing.entries, splits, strict=True)
    ]


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
        listing = read_listing(path)
        when = captured_at or capture_time(path)
        sha = file_sha256(path)
    except ListingError as exc:
        result.refused = exc.reason
        return result
    except OSError as exc:
        result.refused = f"cannot be read: {exc.strerror or exc}"
        return result
    listing.path = str(path.resolve())
    docs = documents_from(listing, when)
    with library.import_batch(
        path=listing.path,
        sha256=sha,
        encoding=listing.encoding,
        captured_at=when.strftime("%Y-%m-%dT%H:%M:%SZ"),
        total_claimed=listing.total_claimed,
        page_number=listing.page_number,
        pager_pages=listing.pager_pages,
    ) as batch:
        batch.add_rejections((r.line_no, r.reason, r.raw) for r in listing.rejections)
        batch.add_documents(docs, check, progress)
        if check is not None:
            check()
    result.import_id = batch.import_id
    result.new, result.updated, result.unchanged = batch.new, batch.updated, batch.unchanged
    result.new_ids = batch.new_ids
    result.rejections = listing.rejections
    result.encoding = listing.encoding
    result.total_claimed = listing.total_claimed
    result.page_number = listing.page_number
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
