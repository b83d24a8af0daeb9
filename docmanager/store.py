"""The library store: the one module that owns the SQLite file, its schema and every SQL statement."""

from __future__ import annotations

import errno
import hashlib
import json
import logging
import os
import sqlite3
import sys
import threading
import time
import zlib
from array import array
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field, fields, replace
from datetime import UTC, date, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import filelock
import sqlite_utils

if sys.version_info >= (3, 14):
    from compression import zstd
else:  # the same module, from PyPI
    from backports import zstd

from docmanager import backup as backups
from docmanager.errors import Cancelled, DocManagerError, LibraryError, NotFoundError
from docmanager.identity import (
    body_of,
    cut_after,
    excerpt_after,
    join_excerpts,
    keyed,
    same_document,
    same_keys,
    split_excerpts,
    title_ending,
    title_from,
)
from docmanager.listing import age_precision
from docmanager.search import (
    STATUSES,
    Query,
    fold,
    fts_match,
    index_terms,
    normalize,
    plain_folded,
)
from docmanager.splitter import split_body

if TYPE_CHECKING:  # numpy is imported where it is used: the command line rarely needs it
    import numpy as np
    import numpy.typing as npt

    IdArray = npt.NDArray[np.int64]

log = logging.getLogger(__name__)

SCHEMA_VERSION = 6
PAGE_SIZE = 16384
APPLICATION_ID = 0x444D4752  # "DMGR": marks a SQLite file as a DocManager library
BUSY_TIMEOUT_MS = 10_000
IMPORT_CACHE_KIB = -65536  # PRAGMA cache_size while importing (negative: KiB), see import_batch
LATER_LAST = 1 << 62  # sort key of documents not in the read-later queue

# The write lock (see Library._write): how long a write waits for another program's, and how long
# close() waits for it before closing without its final checkpoint.
WRITE_LOCK_TIMEOUT = 10.0
LOCK_WAIT_TICK = 0.25  # while waiting for the write lock, on_lock_wait is called this often (seconds)
CLOSE_LOCK_TIMEOUT = 0.25
# With SQLite's automatic checkpoint off, a writer checkpoints itself once the WAL grows past this.
WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024
# Libraries up to this size get PRAGMA quick_check on open (about 50 ms); bigger ones a cheap check.
QUICK_CHECK_MAX_BYTES = 50 * 1024 * 1024

_SQLITE_MAGIC = b"SQLite format 3\x00"
_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}

# SQLite before 3.51.3 can corrupt a WAL database when two connections write or checkpoint at the
# same moment. We keep our own write lock whatever the version: it costs one flock() per
# transaction, and the fixed SQLite is not what Python ships on most machines yet.
SQLITE_VERSION = sqlite3.sqlite_version


def sqlite_has_wal_fix() -> bool:
    """Whether the SQLite in use has the fix (3.51.3) for WAL corruption under concurrent writers."""
    return sqlite3.sqlite_version_info >= (3, 51, 3)


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_key(body: str, pages: int | None, size_bytes: int) -> str:
    """What makes two listing lines the same document: the glued title and excerpt, pages and size.

    The body is used rather than the title so that a different title split on another page (the
    splitter sees other lines there) still finds the same document.
    """
    text = normalize(body)
    # " ".join(text.split()) returns the text unchanged when its only whitespace is single inner spaces:
    # isprintable() is False for every whitespace character but " ", and checking is much cheaper.
    if not text.isprintable() or "  " in text or text[:1] == " " or text[-1:] == " ":
        text = " ".join(text.split())
    shown = "-" if pages is None else pages  # what the site prints for unknown pages
    return hashlib.sha1(f"{text}\x1f{shown}\x1f{size_bytes}".encode()).hexdigest()


class Sort(StrEnum):
    """Sort keys; each has an index on (key, id) so that any order is an index scan."""

    TITLE = "title"
    PAGES = "pages"
    SIZE = "size"
    DATE = "date"
    PRICE = "price"
    TAGS = "tags"
    LATER = "later"
    STATUS = "status"
    ADDED = "added"
    ID = "id"


# Sort key → SQL expression, identical to the indexed expression so SQLite can use the index.
_SORT_SQL: dict[Sort, str] = {
    Sort.TITLE: "title COLLATE NOCASE",
    Sort.PAGES: f"coalesce(pages, {LATER_LAST})",
    Sort.SIZE: "size_bytes",
    Sort.DATE: "coalesce(published_estimate, '9999-12-31')",
    Sort.PRICE: "price",
    Sort.TAGS: "tags_text COLLATE NOCASE",
    Sort.LATER: f"coalesce(later_position, {LATER_LAST})",
    Sort.STATUS: "status",
    Sort.ADDED: "added_at",
    Sort.ID: "id",
}
# Descending, the keys that may be NULL have their own expression (and index), so that NULL still
# comes last: an index scanned backwards would put it first.
_SORT_SQL_DESC: dict[Sort, str] = {Sort.PAGES: "coalesce(pages, -1)", Sort.DATE: "coalesce(published_estimate, '')"}


class View(StrEnum):
    """The library views of the sidebar."""

    ALL = "all"
    LATER = "later"
    UNREAD = "unread"
    READING = "reading"
    READ = "read"
    RECENT = "recent"


RECENT_DAYS = 7
_VIEW_SQL: dict[View, str] = {
    View.ALL: "",
    View.LATER: "later_position IS NOT NULL",
    View.UNREAD: "status = 'unread'",
    View.READING: "status = 'reading'",
    View.READ: "status = 'read'",
    View.RECENT: f"added_at >= strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-{RECENT_DAYS} days')",
}


@dataclass(frozen=True, slots=True)
class Document:
    """A document as stored; the JSON and CLI field names are these attribute names."""

    id: int
    title: str
    excerpt: str
    price: int
    pages: int | None
    size_bytes: int
    size_text: str
    age_text: str | None
    published_estimate: str | None
    added_at: str
    later_position: int | None
    status: str
    notes: str
    tags: tuple[str, ...]
    source_file: str
    source_line: int
    raw_line: str
    captured_at: str
    rating: float | None
    title_edited: bool  # the user set the title: later evidence never changes it
    url: str | None  # the document's page on the site (from an HTML page's link); None when unknown

    @property
    def read_later(self) -> bool:
        return self.later_position is not None

    @property
    def excerpts(self) -> list[str]:
        """Every distinct excerpt the document was listed with, first seen first."""
        return split_excerpts(self.excerpt)

    def as_json(self) -> dict[str, Any]:
        """The stable JSON shape scripts rely on (see the README)."""
        return {
            "id": self.id,
            "title": self.title,
            "excerpt": self.excerpt,
            "price": self.price,
            "pages": self.pages,
            "size_bytes": self.size_bytes,
            "size_text": self.size_text,
            "age_text": self.age_text,
            "published_estimate": self.published_estimate,
            "added_at": self.added_at,
            "read_later": self.read_later,
            "later_position": self.later_position,
            "status": self.status,
            "notes": self.notes,
            "tags": list(self.tags),
            "source_file": self.source_file,
            "source_line": self.source_line,
            "raw_line": self.raw_line,
            "captured_at": self.captured_at,
            "rating": self.rating,
            "excerpts": self.excerpts,
            "title_edited": self.title_edited,
            "url": self.url,
        }


_DOC_COLUMNS = [f.name for f in fields(Document) if f.name != "tags"]
_SELECT_DOC = "SELECT " + ", ".join(_DOC_COLUMNS) + ", tags_text FROM documents"
# A table row's columns: the excerpt and the raw line (most of a row's bytes) read as ''.
_SELECT_ROW = _SELECT_DOC.replace("excerpt,", "'' AS excerpt,").replace("raw_line,", "'' AS raw_line,")


# Raw lines are compressed with Zstandard at level 1: 10 µs a line where zlib took 21-40 µs, for
# 67% of the bytes where zlib gave 63%. An import of 100,000 lines compresses 120 MB on the two
# cores that also split titles and write SQLite, so that was 2 s of its CPU. Libraries before
# version 6 hold zlib data, read by its header (zlib's first byte is 0x78, Zstandard's frame magic
# is 28 B5 2F FD).
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_COMPRESSOR = zstd.ZstdCompressor(level=1)  # reused: a new context per line costs as much again


def pack_raw(raw: str) -> str | bytes:
    """A raw line as stored: compressed when that is smaller (a line of Chinese text shrinks to about
    two thirds). The raw line repeats the title and excerpt, so it was half of every row."""
    data = raw.encode("utf-8", "surrogatepass")
    packed = _COMPRESSOR.compress(data, zstd.ZstdCompressor.FLUSH_FRAME)
    return packed if len(packed) < len(data) else raw


def unpack_raw(stored: str | bytes) -> str:
    if isinstance(stored, str):
        return stored
    data = zstd.decompress(stored) if stored[:4] == _ZSTD_MAGIC else zlib.decompress(stored)
    return data.decode("utf-8", "surrogatepass")


_RAW = _DOC_COLUMNS.index("raw_line")
_EDITED = _DOC_COLUMNS.index("title_edited")


def _in_chunks(values: Sequence[Any], size: int = 500) -> Iterator[tuple[list[Any], str]]:
    """``values`` in slices small enough for one ``IN (?, …)`` list, each with its placeholders."""
    for start in range(0, len(values), size):
        chunk = list(values[start : start + size])
        yield chunk, ",".join("?" * len(chunk))


def _document(row: Sequence[Any]) -> Document:
    *values, tags_text = row
    values[_RAW] = unpack_raw(values[_RAW])
    values[_EDITED] = bool(values[_EDITED])
    tags = tuple(tags_text.split(", ")) if tags_text else ()
    return Document(**dict(zip(_DOC_COLUMNS, values, strict=True)), tags=tags)


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document read from a listing line, ready to be stored."""

    identity: str
    title: str
    excerpt: str
    price: int
    pages: int | None
    size_bytes: int
    size_text: str
    age_text: str | None
    published_estimate: str | None
    captured_at: str
    rating: float | None
    source_file: str
    source_line: int
    raw_line: str
    # Work that can be done away from the library (by the import's worker processes): the raw line as
    # stored (pack_raw) and the title's search terms (index_terms). None: the store computes them.
    packed_raw: str | bytes | None = None
    title_terms: tuple[str, str] | None = None
    url: str | None = None  # an http(s) address (webpage.web_url), from an HTML page
    title_exact: bool = False  # the page kept the title apart (browser text, HTML): not a guessed split


@dataclass(frozen=True, slots=True)
class ImportRecord:
    """What one import of one file did."""

    id: int
    path: str
    sha256: str
    imported_at: str
    encoding: str
    new: int
    updated: int
    unchanged: int
    rejected: int
    total_claimed: int | None
    page_number: int | None
    pager_pages: tuple[int, ...]
    repeated: int = 0  # lines that repeated an earlier line of the same file (counted once)


@dataclass(frozen=True, slots=True)
class RejectedLine:
    line_no: int
    reason: str
    raw: str


@dataclass(frozen=True, slots=True)
class TagChange:
    """The (document, tag) links an operation added or removed, so that it can be undone exactly."""

    links: tuple[tuple[int, str], ...]

    @property
    def doc_ids(self) -> tuple[int, ...]:
        return tuple(sorted({doc_id for doc_id, _ in self.links}))


@dataclass(frozen=True, slots=True)
class TagRename:
    """What renaming a tag did, so that it can be undone exactly: the documents that had the old name,
    whether it was merged into an existing tag, and which of them got that tag from the merge."""

    old: str
    new: str
    doc_ids: tuple[int, ...]
    merged: bool
    added: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class TitleState:
    """A document's title, excerpts and whether the user set the title: what a title correction
    changes, and what its undo puts back."""

    doc_id: int
    title: str
    excerpt: str
    title_edited: bool


@dataclass(frozen=True, slots=True)
class DeletedDocuments:
    """Everything needed to put deleted documents back as they were (ids included)."""

    rows: tuple[tuple[Any, ...], ...]
    columns: tuple[str, ...]
    tags: tuple[tuple[int, str], ...]
    listings: tuple[tuple[Any, ...], ...] = ()  # the documents' other listings (LISTING_COLUMNS)

    @property
    def doc_ids(self) -> tuple[int, ...]:
        return tuple(row[0] for row in self.rows)


TagMode = Literal["all", "any"]


@dataclass(frozen=True, slots=True)
class ViewQuery:
    """What the table shows: a view, tags (all required, or any one with ``tag_mode="any"``), a search
    and an order. The search's own ``tag:`` terms are always all required, like its other terms."""

    view: View = View.ALL
    tags: tuple[str, ...] = ()
    tag_mode: TagMode = "all"
    search: Query = field(default_factory=Query)
    sort: Sort = Sort.ADDED
    descending: bool = False
    search_excerpts: bool = True


def _excerpt_has(term: str) -> tuple[str, str]:
    """The condition (and its parameter) that an excerpt contains ``term``, ASCII case folded as
    ``plain_folded`` does. LIKE does that fold itself, and at a million excerpts it ran 10-30% faster
    than instr() and 3.7x faster than instr(lower(excerpt)); but it reads its pattern as a C string,
    so a term holding a NUL character is looked for with instr()."""
    folded = plain_folded(term)
    if "\x00" in folded:
        return "instr(lower(excerpt), ?) > 0", folded
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return "excerpt LIKE ? ESCAPE '\\'", f"%{escaped}%"


@dataclass(frozen=True, slots=True)
class ExcerptSearch:
    """A search that covers excerpts, as far as the indexes answer it (``Library.excerpt_search``)."""

    allowed: set[int] | None  # what the query's other filters match; None: no other filter
    hits: list[set[int]]  # for each term, the documents whose title, tags or notes match it
    conditions: list[str]  # for each term, the SQL test that an excerpt contains it (_excerpt_has)
    params: list[str]  # and that test's parameter
    known: set[int]  # the matches the indexes alone prove: every term in the title, tags or notes
    allowed_array: IdArray | None = None  # ``allowed`` as a numpy array

    @classmethod
    def build(cls, allowed: set[int] | None, terms: Sequence[str], hits: list[set[int]]) -> ExcerptSearch:
        known = set.intersection(*hits) if hits else set()
        allowed_array = None
        if allowed is not None:
            import numpy as np

            known &= allowed
            allowed_array = np.fromiter(allowed, dtype=np.int64, count=len(allowed))
        tests = [_excerpt_has(t) for t in terms]
        return cls(allowed, hits, [c for c, _ in tests], [p for _, p in tests], known, allowed_array)

    def confirmed(self, rows: Iterable[Sequence[Any]]) -> Iterator[int]:
        """From rows of (id, term 1 in excerpt, term 2 in excerpt, …): the ids every term matches."""
        allowed = self.allowed
        for doc_id, *flags in rows:
            if allowed is not None and doc_id not in allowed:
                continue
            if all(flag or doc_id in hits for flag, hits in zip(flags, self.hits, strict=True)):
                yield doc_id


_TAGS_TEXT_SQL = (
    "UPDATE documents SET tags_text = coalesce((SELECT group_concat(name, ', ') FROM "
    "(SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
    "WHERE dt.doc_id = documents.id ORDER BY t.name COLLATE NOCASE)), '') WHERE id IN ({marks})"
)


@dataclass(frozen=True, slots=True)
class SavedListing:
    """Another listing of a document (another search's line for it), as exported."""

    identity: str
    import_id: int | None
    source_file: str | None
    source_line: int | None
    raw_line: str
    captured_at: str | None


@dataclass(frozen=True, slots=True)
class SavedDocument:
    """A document with what the store keeps beside it: what an export holds and a load needs."""

    document: Document
    identity: str
    import_id: int | None
    listings: tuple[SavedListing, ...] = ()
    title_exact: bool = False  # the title was read exactly (browser text, HTML), not split by guess


@dataclass(frozen=True, slots=True)
class SavedImport:
    """An import record with its capture time and rejected lines, as exported."""

    record: ImportRecord
    captured_at: str | None
    rejected: tuple[RejectedLine, ...]


@dataclass(frozen=True, slots=True)
class LoadResult:
    """What loading an export did: documents added, given the exported user fields, already equal."""

    new: int
    updated: int
    unchanged: int
    imports: int


_TAG_IDS_SQL = (
    "SELECT dt.doc_id AS id FROM document_tags dt JOIN tags t ON t.id = dt.tag_id WHERE t.name = ? COLLATE NOCASE"
)


def _tag_filters(q: ViewQuery) -> list[tuple[str, tuple[str, ...]]]:
    """The queries of document ids a view's tags require, each selecting every id once: one per tag
    (all required), or one for the union of its tags (``tag_mode="any"``). ``_where`` and
    ``matching_array`` both filter by these, so that a tag filter means one thing in both."""
    filters: list[tuple[str, tuple[str, ...]]] = [(_TAG_IDS_SQL, (name,)) for name in q.search.tags]
    if q.tag_mode == "any" and len(q.tags) > 1:
        marks = " OR ".join(["t.name = ? COLLATE NOCASE"] * len(q.tags))
        union = "SELECT DISTINCT dt.doc_id AS id FROM document_tags dt JOIN tags t ON t.id = dt.tag_id WHERE "
        filters.append((union + f"({marks})", tuple(q.tags)))
    else:
        filters.extend((_TAG_IDS_SQL, (name,)) for name in q.tags)
    return filters

_SCHEMA_FTS = (
    "CREATE VIRTUAL TABLE doc_fts USING fts5(terms, uni, content='', tokenize='unicode61 remove_diacritics 2')"
)


def _damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _DAMAGE_CODES


class _Cursor(sqlite3.Cursor):
    """Turns "database disk image is malformed" met while stepping through rows into a LibraryError,
    and an interrupted statement into Cancelled.

    A big library is only checked cheaply on open, so damage can first show in the middle of a
    query; it must reach the user as a damaged library, not as a crash.
    """

    library_path: Path

    def _translated(self, exc: sqlite3.Error) -> DocManagerError | None:
        """Damage becomes a damaged-library error; an interrupt (from another thread) a Cancelled."""
        if _damage(exc):
            message = f"{self.library_path}: the library file is damaged ({exc}); restore a backup"
            return LibraryError(message, "damaged")
        if isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc):
            return Cancelled("query cancelled")
        return None

    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        try:
            super().execute(sql, parameters)
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise
        return self

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> _Cursor:
        try:
            super().executemany(sql, seq_of_parameters)
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise
        return self

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise


class _Connection(sqlite3.Connection):
    """The library's connection: every statement runs on a _Cursor (sqlite_utils uses these too)."""

    library_path = Path()
    file_key: tuple[int, int] | None = None
    registered = True

    def cursor(self, factory: Any = None) -> Any:
        cur = super().cursor(factory or _Cursor)
        cur.library_path = self.library_path
        return cur

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        return self.cursor().executemany(sql, parameters)


# --- the library's files: touched only through SQLite while this process has them open ---------
#
# On POSIX, closing *any* descriptor of a file drops every fcntl lock this process holds on it,
# SQLite's included. Another program then takes itself for the last user of the library, deletes
# the WAL and the shared memory under our connections, and from then on the two write to different
# journals ("How To Corrupt An SQLite Database File", section 2.2). So every connection this module
# makes is registered here, and nothing opens a registered file with a descriptor of its own: the
# header is read with open() only while no connection of this process has the file, under the
# same lock that connecting takes, so that no connection can appear half-way through the read.
_files_lock = threading.RLock()
_open_files: Counter[tuple[int, int]] = Counter()


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def is_open_here(path: Path) -> bool:
    """Whether a connection of this process has the file open, or the file is the -wal or -shm of
    one that has (then only SQLite may touch it)."""
    path = Path(path)
    paths = [path]
    if path.name.endswith(("-wal", "-shm")):
        paths.append(path.with_name(path.name[:-4]))
    with _files_lock:
        return any((key := _file_key(p)) is not None and _open_files[key] > 0 for p in paths)


def refuse_if_open_here(path: Path, what: str) -> None:
    """Raise, naming ``what`` was asked, when ``path`` is a library this process has open."""
    if is_open_here(path):
        raise DocManagerError(f"{path}: is the library itself; {what}")


def _connect(path: Path, *, readonly: bool = False, **kwargs: Any) -> _Connection:
    """sqlite3.connect, registered as a holder of the file until ``_disconnect``."""
    with _files_lock:
        conn = sqlite3.connect(_uri(path, "ro") if readonly else str(path), uri=readonly, factory=_Connection, **kwargs)
        conn.library_path = path
        try:
            # SQLite creates a new file on its first read, not on connect: make it exist now so it has
            # an identity to register (an empty file is what SQLite itself starts from).
            conn.execute("PRAGMA schema_version").fetchone()
        except (sqlite3.Error, DocManagerError):
            conn.close()
            raise
        conn.file_key = _file_key(path)
        if conn.file_key is not None:
            _open_files[conn.file_key] += 1
        return conn


def _disconnect(conn: sqlite3.Connection) -> None:
    with _files_lock:
        key = getattr(conn, "file_key", None)
        conn.close()
        if key is not None and getattr(conn, "registered", True):
            conn.registered = False  # type: ignore[attr-defined]
            _open_files[key] -= 1
            if _open_files[key] <= 0:
                del _open_files[key]


@contextmanager
def _connection(path: Path, *, readonly: bool = False, **kwargs: Any) -> Iterator[_Connection]:
    conn = _connect(path, readonly=readonly, **kwargs)
    try:
        yield conn
    finally:
        _disconnect(conn)


def _header_problem(path: Path) -> tuple[str, str] | None:
    """What the first 100 bytes say is wrong with a library file: (kind, message), or None.

    Cheap enough for any size, and catches the common damage (a file cut short by a full disk or an
    interrupted copy) before SQLite reads a page: SQLite itself reads past the end as zeros. Read only
    while no connection of this process has the file (see ``_files_lock``); otherwise the file was
    checked when that connection opened, and ``_verify`` checks its length through SQLite.
    """
    with _files_lock:
        key = _file_key(path)
        if key is not None and _open_files[key] > 0:
            return None
        try:
            size = path.stat().st_size
            if size == 0:
                return None  # what SQLite itself creates: a new library
            with open(path, "rb") as fh:
                head = fh.read(100)
        except OSError as exc:
            return _os_kind(exc), f"{path}: cannot read the library file: {exc.strerror}"
    if not head.startswith(_SQLITE_MAGIC[: len(head)]) or len(head) < len(_SQLITE_MAGIC):
        return "not_library", f"{path}: is not a library (not an SQLite file); it was left untouched"
    if len(head) < 100:
        return "damaged", f"{path}: the library file is damaged (cut short at {size} bytes); restore a backup"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "damaged", f"{path}: the library file is damaged (its header is invalid); restore a backup"
    pages = int.from_bytes(head[28:32], "big")
    header_size_valid = pages > 0 and head[24:28] == head[92:96]
    wal = Path(f"{path}-wal")
    # With a non-empty WAL the file may legitimately lag behind its header until the next checkpoint.
    wal_empty = not wal.exists() or wal.stat().st_size == 0
    if header_size_valid and wal_empty and size < pages * page_size:
        return "damaged", _cut_short(path, size, pages * page_size)
    return None


def _cut_short(path: Path, size: int, needed: int) -> str:
    return f"{path}: the library file is damaged (cut short: {size} bytes of {needed}); restore a backup"


def _length_problem(conn: sqlite3.Connection, path: Path) -> str | None:
    """The header's check of the file's length, through SQLite: the pages the database has against
    the bytes on disk. Read in this order, a checkpoint in between can only make the file longer."""
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    try:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None  # the file may lag behind the WAL until the next checkpoint
        size = path.stat().st_size
    except OSError:
        return None
    return _cut_short(path, size, pages * page_size) if size < pages * page_size else None


def _os_kind(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "readonly"
    if exc.errno == errno.ENOSPC:
        return "full"
    return "other"


def _uri(path: Path, mode: str) -> str:
    return f"{path.absolute().as_uri()}?mode={mode}"


def _verify(conn: sqlite3.Connection, path: Path, *, require_library: bool) -> int:
    """Check that an open file is a DocManager library this version can use; returns its schema version.

    Small files get PRAGMA quick_check (every page); big ones the schema and the first and last
    page of documents, so that opening a large library stays instant.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables) or (require_library and not tables):
        raise LibraryError(f"{path}: is an SQLite file but not a DocManager library", "not_library")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > SCHEMA_VERSION:
        raise LibraryError(
            f"{path}: was written by a newer DocManager (schema version {version}; this one knows "
            f"{SCHEMA_VERSION}); it was left untouched",
            "too_new",
        )
    if not tables:
        return version
    try:
        size = path.stat().st_size + (Path(f"{path}-wal").stat().st_size if Path(f"{path}-wal").exists() else 0)
    except OSError:
        size = 0
    if size <= QUICK_CHECK_MAX_BYTES:
        problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            lines = [x for p in problems for x in p.splitlines() if x.strip() and not x.startswith("***")]
            first = lines[0] if lines else problems[0].strip()
            raise LibraryError(f"{path}: the library file is damaged ({first}); restore a backup", "damaged")
    else:
        conn.execute("SELECT sql FROM sqlite_master").fetchall()
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").fetchone():
            conn.execute("SELECT * FROM documents ORDER BY id LIMIT 1").fetchall()
            conn.execute("SELECT * FROM documents ORDER BY id DESC LIMIT 1").fetchall()
    if short := _length_problem(conn, path):
        raise LibraryError(short, "damaged")
    return version


def verify_library_file(path: Path) -> int:
    """Check, read-only, that a file is a DocManager library this version can read (a backup to
    restore, for instance); returns its schema version or raises LibraryError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise LibraryError(f"{path}: no such file", "missing")
    if problem := _header_problem(path):
        raise LibraryError(problem[1], problem[0])
    if path.stat().st_size == 0:
        raise LibraryError(f"{path}: is an empty file, not a DocManager library", "not_library")
    try:
        with _connection(path, readonly=True) as conn:
            return _verify(conn, path, require_library=True)
    except sqlite3.DatabaseError as exc:
        raise _library_error(path, exc) from None


def check_file(path: Path) -> list[str]:
    """PRAGMA integrity_check of a library file, read-only: the problems found, or [] when it is sound.

    Works on files that cannot be opened as a library (damaged, too new), which is when it is needed.
    """
    path = Path(path)
    if not path.is_file():
        raise LibraryError(f"no library at {path}", "missing")
    if problem := _header_problem(path):
        return [problem[1]]
    if path.stat().st_size == 0:
        return []
    try:
        conn = _connect(path, readonly=True)
    except LibraryError as exc:
        return [str(exc)]
    except sqlite3.DatabaseError as exc:
        return [f"{path}: {exc}"]
    try:
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != APPLICATION_ID and tables:
            raise LibraryError(f"{path}: is an SQLite file but not a DocManager library", "not_library")
        problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        if problems == ["ok"] and (short := _length_problem(conn, path)):
            problems = [short]
    except LibraryError as exc:
        if exc.kind != "damaged":
            raise
        return [str(exc)]
    except sqlite3.DatabaseError as exc:
        return [f"{path}: {exc}"]
    finally:
        _disconnect(conn)
    return [] if problems == ["ok"] else problems


def copy_library_file(source: Path, target: Path) -> None:
    """Copy a library file that no Library has open (a backup) into a new file, with SQLite's backup
    API: the copy is one consistent state, in one self-contained file (rollback journal, not WAL)."""
    try:
        with _connection(source, readonly=True) as src:
            _backup_into(src, target)
    except sqlite3.Error as exc:
        raise _library_error(source, exc) from None


def _backup_into(conn: sqlite3.Connection, target: Path) -> None:
    """Copy what ``conn`` sees into the new file ``target`` with SQLite's backup API: all pages in one
    step (one consistent state), into one self-contained file (rollback journal, not WAL)."""
    refuse_if_open_here(target, "a copy cannot be written over it")
    try:
        with _connection(target, isolation_level=None) as dest:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise _library_error(target, exc) from None


class Library:
    """A DocManager library file. One instance per thread; each opens its own connection.

    Writes are serialised across threads and processes by a lock file beside the library (see
    _write); reads never wait for it.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        create: bool = True,
        readonly: bool = False,
        auto_backup: bool = False,
        lock_timeout: float | None = WRITE_LOCK_TIMEOUT,
        on_lock_wait: Callable[[float], None] | None = None,
    ) -> None:
        """``lock_timeout``: how long a write waits for another program's (None: as long as it takes);
        ``on_lock_wait(seconds waited)`` is called every LOCK_WAIT_TICK meanwhile, on the waiting
        thread, and may raise (Cancelled, say) to give up."""
        self.path = Path(path)
        self.readonly = readonly
        self.lock_timeout = lock_timeout
        self._on_lock_wait = on_lock_wait
        memory = str(path) == ":memory:"
        # thread_local=False: the GUI may open a Library on one thread and use it on another.
        self._lock = None if memory or readonly else filelock.FileLock(f"{self.path}.lock", thread_local=False)
        self._lock_depth = 0
        self._closed = False
        if not memory:
            self._check_file(create=create, readonly=readonly)
        try:
            self.conn: sqlite3.Connection = _connect(
                self.path,
                readonly=readonly,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,  # the GUI interrupts a worker's query from its thread
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
        except sqlite3.Error as exc:
            raise _library_error(self.path, exc) from None
        self.db = sqlite_utils.Database(self.conn)
        try:
            self._configure(readonly)
            if not readonly:
                self._migrate()
            elif self._user_version() != SCHEMA_VERSION:
                raise LibraryError(
                    f"{self.path}: library schema version {self._user_version()} needs migrating, which a "
                    "read-only open cannot do"
                )
            if auto_backup and not readonly and not memory:
                try:
                    backups.daily_backup(self)
                except (OSError, LibraryError) as exc:  # a missed backup must not keep the library shut
                    log.warning("%s: the daily backup failed: %s", self.path, exc)
        except BaseException:
            _disconnect(self.conn)
            raise

    def _check_file(self, *, create: bool, readonly: bool) -> None:
        """Refuse, before SQLite touches it, a library that is missing, a folder, damaged or read-only."""
        path, folder = self.path, self.path.parent
        if not path.exists():
            if not create or readonly:
                raise LibraryError(f"no library at {path}", "missing")
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"{folder}: cannot create the folder: {exc.strerror}", _os_kind(exc)) from None
            if not os.access(folder, os.W_OK | os.X_OK):
                raise LibraryError(f"{folder}: cannot create a library here: the folder is read-only", "readonly")
            return
        if path.is_dir():
            raise LibraryError(f"{path}: is a folder, not a library file", "not_library")
        if problem := _header_problem(path):
            raise LibraryError(problem[1], problem[0])
        # SQLite needs to write the file, and its folder for the -wal, -shm and lock files beside it.
        if not readonly and not (os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)):
            what = "file" if not os.access(path, os.W_OK) else "folder it is in"
            raise LibraryError(
                f"{path}: the library is read-only (the {what} cannot be written); copy it to a folder you "
                "can write to and open the copy",
                "readonly",
            )

    # --- connection and schema ----------------------------------------------------------------

    def close(self) -> None:
        """Close, first folding the WAL back into the library (inside the write lock) when it is free."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._lock is not None and not self.conn.in_transaction:
                with self._locked(CLOSE_LOCK_TIMEOUT):
                    self._checkpoint()
                    _disconnect(self.conn)
        except LibraryError:
            pass  # another program is writing: it will checkpoint; closing must not wait for it
        finally:
            _disconnect(self.conn)

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _configure(self, readonly: bool) -> None:
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Only a holder of the write lock checkpoints (see _write), never a commit on its own.
            self.conn.execute("PRAGMA wal_autocheckpoint = 0")
            # Checked before switching to WAL, which would rewrite the file's header.
            _verify(self.conn, self.path, require_library=False)
            if not readonly and self._user_version() == 0 and not self._has_tables():
                # 16 KB pages: a document row is ~2.5 KB, so 4 KB pages held one row and left a third
                # of the file empty. Only a new file can take it (before WAL is switched on).
                self.conn.execute(f"PRAGMA page_size = {PAGE_SIZE}")
            if not readonly and self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                with self._locked():
                    self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise _library_error(self.path, exc) from None

    def _has_tables(self) -> bool:
        return bool(self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])

    def _user_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # The schema's migrations: MIGRATIONS[n - 1] takes a library from version n - 1 to n.
    MIGRATIONS: tuple[Callable[[Library], None], ...] = ()

    def _migrate(self) -> None:
        version = self._user_version()
        if version >= SCHEMA_VERSION:
            return
        with self._locked():
            version = self._user_version()  # another program may have migrated it meanwhile
            if 0 < version < SCHEMA_VERSION:
                # A brand-new library (version 0) has nothing to lose; any other gets a copy first.
                backups.take_backup(self, reason="before-migration")
            for target in range(version + 1, SCHEMA_VERSION + 1):
                with self._write():
                    type(self).MIGRATIONS[target - 1](self)
                    self.conn.execute(f"PRAGMA user_version = {target}")

    def _migrate_v2(self) -> None:
        """Version 2 added an index of the excerpts' words and bigrams, which version 3 drops again:
        nothing to do on the way through."""

    def _migrate_v3(self) -> None:
        """Version 3: no excerpt index. At a million documents it cost 16 s of every 100,000 imported
        (term building and insertion: 80% of an import's SQLite time) and 213 MB, and still needed a
        confirming read of every candidate row, so a common word took 2.6 s. A search that covers
        excerpts now scans them (see ``Library.scan_excerpts``), showing the first rows in the view's
        order as soon as they are found. The freed pages are reused by later imports."""
        self.conn.execute("DROP TABLE IF EXISTS excerpt_fts")

    def _migrate_v4(self) -> None:
        """Version 4: MoreDoc prints "-" for unknown pages and hides the age on narrow screens, so pages,
        age_text and published_estimate may be NULL (sorted last: the pages and date sort keys and their
        indexes change); the number after the age is the star rating (4.5), a REAL named rating.

        Dropping NOT NULL takes rewriting the table's definition. Copying the table would move every row
        (minutes at a million) and, with foreign keys on inside this transaction, cannot drop the old
        one; SQLite documents editing the definition in place for this change, which leaves the rows'
        bytes as they are (ALTER TABLE, "Making Other Kinds Of Table Schema Changes"). A REAL column
        reads a stored integer as a REAL, so the old trailing numbers are kept as ratings."""
        conn = self.conn
        if "trailing_number" in self._document_columns():
            conn.execute("ALTER TABLE documents RENAME COLUMN trailing_number TO rating")
        query = "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'documents'"
        old_sql = conn.execute(query).fetchone()[0]
        sql = old_sql.replace('"rating" INTEGER,', '"rating" REAL,')
        for column in ('"pages" INTEGER', '"age_text" TEXT', '"published_estimate" TEXT'):
            sql = sql.replace(f"{column} NOT NULL,", f"{column},")
        if sql != old_sql:
            version = conn.execute("PRAGMA schema_version").fetchone()[0]
            conn.execute("PRAGMA writable_schema = ON")
            try:
                conn.execute("UPDATE sqlite_master SET sql = ? WHERE type = 'table' AND name = 'documents'", (sql,))
                conn.execute(f"PRAGMA schema_version = {version + 1}")
            finally:
                conn.execute("PRAGMA writable_schema = OFF")
        columns = self._document_columns()
        if columns.get("rating") != ("REAL", 0) or any(
            columns.get(c, ("", 1))[1] for c in ("pages", "age_text", "published_estimate")
        ):
            raise LibraryError(f"{self.path}: the documents table is not as version 3 made it; it was left untouched")
        for sort in (Sort.PAGES, Sort.DATE):
            conn.execute(f"DROP INDEX IF EXISTS documents_sort_{sort.value}")
            conn.execute(f"DROP INDEX IF EXISTS documents_sort_{sort.value}_desc")
            conn.execute(f"CREATE INDEX documents_sort_{sort.value} ON documents({_SORT_SQL[sort]}, id)")
            conn.execute(f"CREATE INDEX documents_sort_{sort.value}_desc ON documents({_SORT_SQL_DESC[sort]}, id)")

    def _migrate_v5(self) -> None:
        """Version 5: one row per document, however many searches listed it.

        The same document turns up in many searches with another excerpt each time; identity was the
        glued title and excerpt, so each search made another row. Now two listings are one document
        when pages and size agree and their bodies start with the same title (docmanager.identity).
        A document keeps every distinct excerpt (the ``excerpt`` column joins them) and the raw lines of
        its other listings (table ``listings``); a title the user set (``title_edited``) is never
        changed by later evidence. Titles and excerpts are stored NFKC-folded (the raw line verbatim),
        so that 并⾏ shows and is found as 并行. Duplicates already here are merged, keeping all the
        user's data: tags united, notes joined, the earlier queue place and added date, the furthest
        status."""
        conn = self.conn
        if "title_edited" not in self._document_columns():
            conn.execute("ALTER TABLE documents ADD COLUMN title_edited INTEGER NOT NULL DEFAULT 0")
        # The document's page on the site, and whether the title was read exactly (from a page that keeps
        # it apart: browser text or HTML) rather than split by guess: an exact title is not re-guessed
        # when the document is listed again. A URL identifies its document (ImportBatch.add_documents).
        if "url" not in self._document_columns():
            conn.execute("ALTER TABLE documents ADD COLUMN url TEXT")
        if "title_exact" not in self._document_columns():
            conn.execute("ALTER TABLE documents ADD COLUMN title_exact INTEGER NOT NULL DEFAULT 0")
        conn.execute("CREATE INDEX IF NOT EXISTS documents_url ON documents(url) WHERE url IS NOT NULL")
        if "repeated" not in {r[1] for r in conn.execute("PRAGMA table_info(imports)")}:
            conn.execute("ALTER TABLE imports ADD COLUMN repeated INTEGER NOT NULL DEFAULT 0")
        conn.execute(
            "CREATE TABLE IF NOT EXISTS listings (id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL "
            "REFERENCES documents(id), identity TEXT NOT NULL, import_id INTEGER REFERENCES imports(id), "
            "source_file TEXT, source_line INTEGER, raw_line BLOB NOT NULL, captured_at TEXT)"
        )
        conn.execute("CREATE INDEX IF NOT EXISTS listings_doc ON listings(doc_id)")
        # A new line's candidates are the documents of its size and pages (see _Candidates): without this
        # index each lookup read every row of the size (8.5 s of a 100,000-line import).
        conn.execute("CREATE INDEX IF NOT EXISTS documents_size_pages ON documents(size_bytes, pages)")
        conn.execute("CREATE INDEX IF NOT EXISTS listings_identity ON listings(identity)")
        # A title that is not where its raw line starts was typed by the user; the rest are folded.
        changed: list[tuple[str, str, int, int]] = []
        cursor = conn.execute("SELECT id, title, excerpt, raw_line FROM documents")
        while rows := cursor.fetchmany(5000):
            for doc_id, title, excerpt, raw in rows:
                body = body_of(unpack_raw(raw))
                folded_title = fold(title)
                edited = not body.startswith(folded_title)
                folded_excerpt = fold(excerpt)
                if edited or folded_title != title or folded_excerpt != excerpt:
                    changed.append((folded_title, folded_excerpt, int(edited), doc_id))
        if changed:
            self._fts([c[3] for c in changed], "delete")
            conn.executemany("UPDATE documents SET title = ?, excerpt = ?, title_edited = ? WHERE id = ?", changed)
            self._fts([c[3] for c in changed], "insert")
        groups = conn.execute(
            "SELECT group_concat(id) FROM documents GROUP BY size_bytes, coalesce(pages, -1) HAVING count(*) > 1"
        ).fetchall()
        for (ids_text,) in groups:
            for keep, others in self._same_documents(sorted(int(i) for i in ids_text.split(","))):
                self._merge_documents(keep, others)

    def _migrate_v6(self) -> None:
        """Version 6 compresses new raw lines with Zstandard, which versions before it cannot read, so
        they must refuse the library as too new. The zlib lines already stored stay as they are and
        are read by their header (see ``unpack_raw``)."""

    def _same_documents(self, ids: list[int]) -> list[tuple[int, list[int]]]:
        """Among documents of equal pages and size, the groups that are one document: (the earliest,
        the others)."""
        rows = self.conn.execute(
            f"SELECT id, title, title_edited, raw_line FROM documents WHERE id IN ({','.join('?' * len(ids))})", ids
        ).fetchall()
        bodies = {r[0]: body_of(unpack_raw(r[3])) for r in rows}
        titles = {r[0]: None if r[2] else r[1] for r in rows}
        parent = {i: i for i in bodies}

        def root(i: int) -> int:
            while parent[i] != i:
                i = parent[i]
            return i

        order = sorted(bodies)
        for n, a in enumerate(order):
            for b in order[n + 1 :]:
                if root(a) != root(b) and same_document(bodies[a], titles[a], bodies[b], titles[b]):
                    parent[max(root(a), root(b))] = min(root(a), root(b))
        groups: dict[int, list[int]] = {}
        for i in order:
            groups.setdefault(root(i), []).append(i)
        return [(members[0], members[1:]) for members in groups.values() if len(members) > 1]

    def _merge_documents(self, keep: int, others: list[int]) -> None:
        """Make ``others`` listings of ``keep``: one row with everything the user gave any of them."""
        conn = self.conn
        ids = [keep, *others]
        marks = ",".join("?" * len(ids))
        rows = {
            r[0]: r[1:]
            for r in conn.execute(
                "SELECT id, title, title_edited, excerpt, notes, status, later_position, added_at, raw_line, "
                f"source_file, source_line, import_id, captured_at, identity FROM documents WHERE id IN ({marks})",
                ids,
            )
        }
        ranks = {status: n for n, status in enumerate(STATUSES)}
        edited = [rows[i][0] for i in ids if rows[i][1]]
        notes: list[str] = []
        for i in ids:
            if rows[i][3].strip() and rows[i][3] not in notes:
                notes.append(rows[i][3])
        queue = [rows[i][5] for i in ids if rows[i][5] is not None]
        status = max((rows[i][4] for i in ids), key=lambda s: ranks.get(s, 0))
        self._fts(ids, "delete")
        conn.execute(
            "INSERT OR IGNORE INTO document_tags(doc_id, tag_id) "
            f"SELECT ?, tag_id FROM document_tags WHERE doc_id IN ({','.join('?' * len(others))})",
            (keep, *others),
        )
        conn.execute(f"UPDATE listings SET doc_id = ? WHERE doc_id IN ({','.join('?' * len(others))})", (keep, *others))
        conn.executemany(
            "INSERT INTO listings(doc_id, identity, import_id, source_file, source_line, raw_line, captured_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            [(keep, rows[i][12], rows[i][10], rows[i][8], rows[i][9], rows[i][7], rows[i][11]) for i in others],
        )
        for table in ("document_tags", "documents"):
            column = "doc_id" if table == "document_tags" else "id"
            conn.execute(f"DELETE FROM {table} WHERE {column} IN ({','.join('?' * len(others))})", others)
        conn.execute(
            "UPDATE documents SET notes = ?, status = ?, later_position = ?, added_at = ?, title = ?, "
            "title_edited = ? WHERE id = ?",
            (
                "\n\n".join(notes),
                status,
                min(queue) if queue else None,
                min(rows[i][6] for i in ids),
                edited[0] if edited else rows[keep][0],
                int(bool(edited)),
                keep,
            ),
        )
        self._refresh_listing_text(keep)
        self._executemany_ids(_TAGS_TEXT_SQL, [keep])
        self._fts([keep], "insert")

    def _refresh_listing_text(self, doc_id: int) -> tuple[str, str]:
        """Recompute a document's title (unless the user set it) and excerpts from all its listings'
        bodies, each the evidence for the others; returns (title, excerpt). Call with doc_fts's entry
        of the document deleted, and insert it again after."""
        conn = self.conn
        title, edited, exact, raw = conn.execute(
            "SELECT title, title_edited, title_exact, raw_line FROM documents WHERE id = ?", (doc_id,)
        ).fetchone()
        more = conn.execute("SELECT raw_line FROM listings WHERE doc_id = ? ORDER BY id", (doc_id,))
        bodies = [body_of(unpack_raw(r)) for r in (raw, *(row[0] for row in more))]
        # An exact title (read from a page that keeps it apart) is the truth the excerpts are cut by.
        found = title if exact and not edited else title_from(bodies) or title
        excerpt = join_excerpts([excerpt_after(body, found) for body in bodies])
        if not edited:
            title = found
        conn.execute("UPDATE documents SET title = ?, excerpt = ? WHERE id = ?", (title, excerpt, doc_id))
        return title, excerpt

    def _document_columns(self) -> dict[str, tuple[str, int]]:
        """The documents table's columns: name → (declared type, not null)."""
        return {r[1]: (r[2], r[3]) for r in self.conn.execute("PRAGMA table_info(documents)")}

    def _create_v1(self) -> None:
        db = self.db
        self.conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
        db.create_table(
            "imports",
            {
                "id": int,
                "path": str,
                "sha256": str,
                "imported_at": str,
                "captured_at": str,
                "encoding": str,
                "new": int,
                "updated": int,
                "unchanged": int,
                "rejected": int,
                "total_claimed": int,
                "page_number": int,
                "pager_pages": str,
            },
            pk="id",
            not_null={"path", "sha256", "imported_at", "encoding"},
        )
        db.create_table(
            "documents",
            {
                "id": int,
                "identity": str,
                "title": str,
                "excerpt": str,
                "price": int,
                "pages": int,
                "size_bytes": int,
                "size_text": str,
                "age_text": str,
                "published_estimate": str,
                "captured_at": str,
                "trailing_number": int,
                "added_at": str,
                "later_position": int,
                "status": str,
                "notes": str,
                "tags_text": str,
                "source_file": str,
                "source_line": int,
                "raw_line": str,
                "import_id": int,
            },
            pk="id",
            not_null={
                "identity",
                "title",
                "excerpt",
                "price",
                "pages",
                "size_bytes",
                "size_text",
                "age_text",
                "published_estimate",
                "added_at",
                "status",
                "notes",
                "tags_text",
                "raw_line",
            },
            defaults={"status": "unread", "notes": "", "tags_text": "", "excerpt": ""},
            foreign_keys=[("import_id", "imports", "id")],
        )
        db.create_table("tags", {"id": int, "name": str}, pk="id", not_null={"name"})
        db.create_table(
            "document_tags",
            {"doc_id": int, "tag_id": int},
            pk=("doc_id", "tag_id"),
            foreign_keys=[("doc_id", "documents", "id"), ("tag_id", "tags", "id")],
        )
        db.create_table(
            "rejected_lines",
            {"id": int, "import_id": int, "line_no": int, "reason": str, "raw": str},
            pk="id",
            foreign_keys=[("import_id", "imports", "id")],
        )
        script = f"""
            CREATE UNIQUE INDEX documents_identity ON documents(identity);
            CREATE UNIQUE INDEX tags_name ON tags(name COLLATE NOCASE);
            CREATE INDEX document_tags_tag ON document_tags(tag_id, doc_id);
            CREATE INDEX rejected_lines_import ON rejected_lines(import_id, line_no);
            CREATE INDEX documents_import ON documents(import_id);
            {_SCHEMA_FTS};
        """
        for sort, expr in _SORT_SQL.items():
            if sort is not Sort.ID:
                script += f"CREATE INDEX documents_sort_{sort.value} ON documents({expr}, id);\n"
        # executescript() would COMMIT the migration's transaction half-way: run statements one by one.
        for statement in filter(None, (part.strip() for part in script.split(";"))):
            self.conn.execute(statement)

    @contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the library's write lock (reentrant within this Library).

        Only the holder of this lock writes or checkpoints: SQLite before 3.51.3 can corrupt a WAL
        database when two connections write or checkpoint at the same moment, and SQLite's own locks
        do not prevent that race. flock() locks are dropped by the kernel when a process dies, so a
        killed program never leaves the library locked.
        """
        if self._lock is None or self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        wait = self.lock_timeout if timeout is None else timeout
        start = time.monotonic()
        try:
            while True:
                waited = time.monotonic() - start
                tick = LOCK_WAIT_TICK if self._on_lock_wait is not None or wait is None else wait
                if wait is not None:
                    tick = min(tick, max(0.0, wait - waited))
                try:
                    self._lock.acquire(timeout=tick, poll_interval=0.005)
                    break
                except filelock.Timeout:
                    waited = time.monotonic() - start
                    if wait is not None and waited >= wait:
                        raise LibraryError(
                            f"{self.path}: the library is busy in another program: waited {wait:g} s; "
                            "try again when it has finished",
                            "locked",
                        ) from None
                    if self._on_lock_wait is not None:
                        self._on_lock_wait(waited)
        except OSError as exc:
            raise LibraryError(
                f"{self.path}: cannot take the write lock {self._lock.lock_file}: {exc.strerror}", _os_kind(exc)
            ) from None
        self._lock_depth = 1
        try:
            yield
        finally:
            self._lock_depth = 0
            self._lock.release()

    def _checkpoint(self) -> None:
        """Fold the WAL back into the library without waiting: TRUNCATE when no reader is in the
        way, otherwise (busy_timeout 0) SQLite copies what it can, as PASSIVE would. Call with the
        write lock held."""
        try:
            self.conn.execute("PRAGMA busy_timeout = 0")
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except (sqlite3.Error, LibraryError) as exc:  # the commit is done; the next one will try again
            log.warning("%s: checkpoint failed: %s", self.path, exc)

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, inside the write lock; BEGIN IMMEDIATE so it never deadlocks.

        Nested calls join the outer transaction.
        """
        if self.conn.in_transaction:
            yield
            return
        if self.readonly:
            raise LibraryError(f"{self.path}: the library was opened read-only", "readonly")
        with self._locked():
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _library_error(self.path, exc) from None
            try:
                yield
            except sqlite3.Error as exc:
                self._rollback()
                if isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc):
                    raise Cancelled("cancelled; nothing was changed") from None
                raise _library_error(self.path, exc) from exc
            except BaseException:
                self._rollback()
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    self._rollback()
                    raise _library_error(self.path, exc) from exc
                except LibraryError:
                    self._rollback()
                    raise
            wal = Path(f"{self.path}-wal")
            with suppress(OSError):
                if wal.stat().st_size > WAL_CHECKPOINT_BYTES:
                    self._checkpoint()

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            with suppress(sqlite3.Error, LibraryError):  # a damaged file may refuse even this
                self.conn.execute("ROLLBACK")

    def interrupt(self) -> None:
        """Abort the statement running on this connection (from another thread)."""
        self.conn.interrupt()

    # --- import ---------------------------------------------------------------------------------

    @contextmanager
    def _page_cache(self, kib: int) -> Iterator[None]:
        """SQLite's page cache at ``kib`` (negative: KiB) for a while. An import uses a bigger one:
        every new document goes into eleven indexes, and the identity index takes its keys (hashes)
        in random order, so with the 2 MB default the same pages were read again and again; 64 MB
        holds a million documents' identities."""
        previous = self.conn.execute("PRAGMA cache_size").fetchone()[0]
        self.conn.execute(f"PRAGMA cache_size = {int(kib)}")
        try:
            yield
        finally:
            self.conn.execute(f"PRAGMA cache_size = {int(previous)}")

    @contextmanager
    def import_batch(
        self,
        *,
        path: str,
        sha256: str,
        encoding: str,
        captured_at: str,
        total_claimed: int | None,
        page_number: int | None,
        pager_pages: Sequence[int],
    ) -> Iterator[ImportBatch]:
        """One file's import as one transaction: all of it or none of it."""
        with self._page_cache(IMPORT_CACHE_KIB), self._write():
            import_id = (
                self.db.table("imports")
                .insert(
                    {
                        "path": path,
                        "sha256": sha256,
                        "imported_at": utc_now(),
                        "captured_at": captured_at,
                        "encoding": encoding,
                        "new": 0,
                        "updated": 0,
                        "unchanged": 0,
                        "rejected": 0,
                        "total_claimed": total_claimed,
                        "page_number": page_number,
                        "pager_pages": json.dumps(list(pager_pages)),
                    }
                )
                .last_pk
            )
            batch = ImportBatch(self, int(import_id or 0))
            yield batch
            self.conn.execute(
                "UPDATE imports SET new = ?, updated = ?, unchanged = ?, rejected = ?, repeated = ? WHERE id = ?",
                (batch.new, batch.updated, batch.unchanged, batch.rejected, batch.repeated, import_id),
            )

    def import_record(self, import_id: int) -> ImportRecord:
        row = self.conn.execute(
            "SELECT id, path, sha256, imported_at, encoding, new, updated, unchanged, rejected, "
            "total_claimed, page_number, pager_pages, repeated FROM imports WHERE id = ?",
            (import_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no import {import_id}")
        names = [f.name for f in fields(ImportRecord)]
        return ImportRecord(
            **dict(zip(names[:11], row[:11], strict=True)),
            pager_pages=tuple(json.loads(row[11] or "[]")),
            repeated=row[12],
        )

    def imports(self) -> list[ImportRecord]:
        ids = [r[0] for r in self.conn.execute("SELECT id FROM imports ORDER BY id")]
        return [self.import_record(i) for i in ids]

    def rejected_lines(self, import_id: int) -> list[RejectedLine]:
        return [
            RejectedLine(*r)
            for r in self.conn.execute(
                "SELECT line_no, reason, raw FROM rejected_lines WHERE import_id = ? ORDER BY line_no", (import_id,)
            )
        ]

    # --- reading ------------------------------------------------------------------------------

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def get(self, doc_id: int) -> Document:
        row = self.conn.execute(_SELECT_DOC + " WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        return _document(row)

    def last_url(self) -> str | None:
        """The address of the document whose page was seen last: where the library's site is. Derived from
        the documents rather than kept apart, so it is never stale: it follows loads, deletes and
        restores, and a library without a page address has no site."""
        row = self.conn.execute(
            "SELECT url FROM documents WHERE url IS NOT NULL ORDER BY captured_at DESC, id DESC LIMIT 1"
        ).fetchone()
        return None if row is None else str(row[0])

    def documents(self, ids: Sequence[int], *, texts: bool = True) -> list[Document]:
        """The documents with these ids, in the order given (missing ids are skipped).

        ``texts=False`` leaves out the excerpt and the raw line (read as ''), which a table's rows
        never show: they are most of a row's bytes, and the raw line must be decompressed."""
        select = _SELECT_DOC if texts else _SELECT_ROW
        found: dict[int, Document] = {}
        for chunk, marks in _in_chunks(ids):
            for row in self.conn.execute(select + f" WHERE id IN ({marks})", chunk):
                found[row[0]] = _document(row)
        return [found[i] for i in ids if i in found]

    def _where(self, q: ViewQuery) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if view_sql := _VIEW_SQL[q.view]:
            clauses.append(view_sql)
        for sql, tag_params in _tag_filters(q):
            clauses.append(f"id IN ({sql})")
            params.extend(tag_params)
        s = q.search
        if s.later is not None:
            clauses.append("later_position IS NOT NULL" if s.later else "later_position IS NULL")
        if s.status:
            clauses.append("status = ?")
            params.append(s.status)
        for cmp in s.comparisons:
            clauses.append(f"{cmp.column} {cmp.op} ?")  # column and op come from a fixed table
            params.append(cmp.value)
        for term in s.terms:
            match = fts_match(term)
            parts: list[str] = []
            if match:
                parts.append("id IN (SELECT rowid FROM doc_fts WHERE doc_fts MATCH ?)")
                params.append(match)
            else:  # a term of punctuation only: found literally in titles (as _term_sql does)
                parts.append("instr(lower(title), ?) > 0")
                params.append(plain_folded(term))
            if q.search_excerpts:
                condition, param = _excerpt_has(term)
                parts.append(condition)
                params.append(param)
            clauses.append("(" + " OR ".join(parts) + ")")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _order(self, q: ViewQuery) -> str:
        if q.descending:
            return f" ORDER BY {_SORT_SQL_DESC.get(q.sort, _SORT_SQL[q.sort])} DESC, id DESC"
        return f" ORDER BY {_SORT_SQL[q.sort]}, id"

    def query_ids(self, q: ViewQuery, limit: int | None = None, *, ordered: bool = True) -> array[int]:
        """The ids of the documents the view shows, in order, as a compact array (8 bytes an id).

        With ``limit``, only the first ones: what a window paints first while the rest is read.
        ``ordered=False`` skips the sort, for a caller that orders the matches itself.
        """
        where, params = self._where(q)
        sql = "SELECT id FROM documents" + where + (self._order(q) if ordered else "")
        if limit is not None:
            sql += " LIMIT ?"
            params.append(limit)
        try:
            cursor = self.conn.execute(sql, params)
            ids = array("q")
            while batch := cursor.fetchmany(10_000):
                ids.extend(r[0] for r in batch)
            return ids
        except sqlite3.OperationalError as exc:  # an interrupt is already Cancelled (see _Cursor)
            raise _library_error(self.path, exc) from exc

    def query(self, q: ViewQuery, limit: int | None = None) -> list[Document]:
        ids = self.query_ids(q)
        return self.documents(ids[:limit] if limit is not None else ids)

    def matching_ids(self, q: ViewQuery) -> set[int]:
        """``set(query_ids(q))``, from the indexes wherever possible (see ``matching_array``)."""
        return set(self.matching_array(q).tolist())

    def _id_array(self, sql: str, params: Sequence[Any] = ()) -> IdArray:
        """The ids a query selects (its column ``id``), as a numpy array: one ``group_concat`` string
        parsed in C. Building a Python set row by row took 45 ms for 89,000 ids; this takes 14 ms."""
        import numpy as np

        text = self.conn.execute(f"SELECT group_concat(id) FROM ({sql})", params).fetchone()[0]
        return np.fromstring(text or "", dtype=np.int64, sep=",")

    def matching_array(self, q: ViewQuery) -> IdArray:
        """The ids a filtered view matches, unordered (each once), read from the indexes wherever
        possible, as a numpy array of int64.

        A caller that already has the library's order keeps the matches in it. Reading each matching
        row (to sort it) cost ~250 ms for 40,000 rows at a million documents; these index-only reads
        cost a tenth of that. A search that covers excerpts reads them (see ``scan_excerpts``).
        """
        import numpy as np

        if q.search.terms and q.search_excerpts:
            search = self.excerpt_search(q)
            known = np.fromiter(search.known, dtype=np.int64, count=len(search.known))
            return np.union1d(known, self.scan_excerpts(search, 1, self.max_doc_id()))
        found: IdArray | None = None

        def narrow(sql: str, params: Sequence[Any] = ()) -> None:
            nonlocal found
            more = self._id_array(sql, params)
            found = more if found is None else np.intersect1d(found, more, assume_unique=True)

        views = {
            View.LATER: f"{_SORT_SQL[Sort.LATER]} < {LATER_LAST}",  # through the read-later index
            View.UNREAD: _VIEW_SQL[View.UNREAD],
            View.READING: _VIEW_SQL[View.READING],
            View.READ: _VIEW_SQL[View.READ],
            View.RECENT: _VIEW_SQL[View.RECENT],
        }
        try:
            if q.view in views:
                narrow("SELECT id FROM documents WHERE " + views[q.view])
            s = q.search
            for sql, tag_params in _tag_filters(q):
                narrow(sql, tag_params)
            if s.later is not None:
                later = f"{_SORT_SQL[Sort.LATER]} {'<' if s.later else '='} {LATER_LAST}"
                narrow("SELECT id FROM documents WHERE " + later)
            if s.status:
                narrow("SELECT id FROM documents WHERE status = ?", (s.status,))
            for cmp in s.comparisons:
                narrow(f"SELECT id FROM documents WHERE {cmp.column} {cmp.op} ?", (cmp.value,))
            for term in s.terms:
                narrow(*self._term_sql(term))
        except sqlite3.OperationalError as exc:
            raise _library_error(self.path, exc) from exc
        if found is None:
            return np.frombuffer(self.query_ids(q, ordered=False), dtype=np.int64)
        return found

    def ordered_ids(self, ids: Iterable[int], q: ViewQuery) -> array[int]:
        """These documents in the view's order (for a few thousand matches found by ``matching_ids``)."""
        try:
            self.conn.execute("CREATE TEMP TABLE IF NOT EXISTS chosen_ids(id INTEGER PRIMARY KEY)")
            self.conn.execute("DELETE FROM temp.chosen_ids")
            self.conn.executemany("INSERT INTO temp.chosen_ids(id) VALUES (?)", ((i,) for i in ids))
            rows = self.conn.execute(
                "SELECT id FROM documents WHERE id IN (SELECT id FROM temp.chosen_ids)" + self._order(q)
            )
            return array("q", (r[0] for r in rows))
        except sqlite3.OperationalError as exc:  # an interrupt is already Cancelled (see _Cursor)
            raise _library_error(self.path, exc) from exc

    def _term_sql(self, term: str) -> tuple[str, tuple[str]]:
        """The query of the documents whose title, tags or notes match one search term (the index)."""
        if match := fts_match(term):
            return "SELECT rowid AS id FROM doc_fts WHERE doc_fts MATCH ?", (match,)
        # punctuation only: found literally in titles
        return "SELECT id FROM documents WHERE instr(lower(title), ?) > 0", (plain_folded(term),)

    def _term_ids(self, term: str) -> set[int]:
        return set(self._id_array(*self._term_sql(term)).tolist())

    # --- searching the excerpts -----------------------------------------------------------------
    # Excerpts have no index (see _migrate_v3): a search that covers them reads them. A window asks
    # for the matches among the first documents of its order (excerpt_matches) to show at once, then
    # scans the rest in ranges of ids (scan_excerpts) that it can stop between.

    def excerpt_search(self, q: ViewQuery) -> ExcerptSearch:
        """What the indexes know of a search that covers excerpts; the scans complete it."""
        without = replace(q, search=replace(q.search, terms=()))
        has_filters = q.view is not View.ALL or q.tags or not without.search.is_empty
        allowed = self.matching_ids(without) if has_filters else None
        try:
            hits = [self._term_ids(term) for term in q.search.terms]
        except sqlite3.OperationalError as exc:
            raise _library_error(self.path, exc) from exc
        return ExcerptSearch.build(allowed, q.search.terms, hits)

    def excerpt_matches(self, search: ExcerptSearch, ids: Sequence[int]) -> list[int]:
        """The documents among ``ids`` that match, in the order given."""
        allowed = search.allowed
        candidates = [i for i in ids if allowed is None or i in allowed]
        known = search.known
        pending = [i for i in candidates if i not in known]
        found: set[int] = set()
        flags = ", ".join(search.conditions)
        try:
            for chunk, marks in _in_chunks(pending):
                rows = self.conn.execute(
                    f"SELECT id, {flags} FROM documents WHERE id IN ({marks})", (*search.params, *chunk)
                )
                found.update(search.confirmed(rows))
        except sqlite3.OperationalError as exc:
            raise _library_error(self.path, exc) from exc
        return [i for i in candidates if i in known or i in found]

    def scan_excerpts(self, search: ExcerptSearch, first_id: int, last_id: int) -> IdArray:
        """The matches with ids from first_id to last_id that an excerpt decides (add ``search.known``)."""
        import numpy as np

        try:
            if len(search.params) == 1:  # the usual search: SQLite alone decides, no row reaches Python
                found = self._id_array(
                    f"SELECT id FROM documents WHERE id BETWEEN ? AND ? AND {search.conditions[0]}",
                    (first_id, last_id, search.params[0]),
                )
                if search.allowed_array is not None:
                    found = found[np.isin(found, search.allowed_array)]
                return found
            flags = ", ".join(search.conditions)
            some = " OR ".join(search.conditions)
            rows = self.conn.execute(
                f"SELECT id, {flags} FROM documents WHERE id BETWEEN ? AND ? AND ({some})",
                (*search.params, first_id, last_id, *search.params),
            )
            return np.fromiter(search.confirmed(rows), dtype=np.int64)
        except sqlite3.OperationalError as exc:
            raise _library_error(self.path, exc) from exc

    def max_doc_id(self) -> int:
        return int(self.conn.execute("SELECT coalesce(max(id), 0) FROM documents").fetchone()[0])

    def count_matching(self, q: ViewQuery) -> int:
        where, params = self._where(q)
        try:
            return int(self.conn.execute("SELECT count(*) FROM documents" + where, params).fetchone()[0])
        except sqlite3.OperationalError as exc:  # an interrupt is already Cancelled (see _Cursor)
            raise _library_error(self.path, exc) from exc

    def view_counts(self) -> dict[View, int]:
        """The sidebar's counts, each answered from an index (one scan of the table took 1.2 s at 1M)."""
        statuses = dict(self.conn.execute("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
        one = self.conn.execute
        counts = {
            View.ALL: one("SELECT count(*) FROM documents").fetchone()[0],
            View.LATER: one(f"SELECT count(*) FROM documents WHERE {_SORT_SQL[Sort.LATER]} < {LATER_LAST}").fetchone()[
                0
            ],
            View.UNREAD: statuses.get("unread", 0),
            View.READING: statuses.get("reading", 0),
            View.READ: statuses.get("read", 0),
            View.RECENT: one(f"SELECT count(*) FROM documents WHERE {_VIEW_SQL[View.RECENT]}").fetchone()[0],
        }
        return {view: int(n) for view, n in counts.items()}

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with the number of documents carrying it, by name."""
        return [
            (name, int(n))
            for name, n in self.conn.execute(
                "SELECT t.name, count(dt.doc_id) FROM tags t LEFT JOIN document_tags dt ON dt.tag_id = t.id "
                "GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
            )
        ]

    def tag_names(self) -> list[str]:
        return [r[0] for r in self.conn.execute("SELECT name FROM tags ORDER BY name COLLATE NOCASE")]

    def pages_total(self, doc_ids: Sequence[int]) -> int:
        """The pages of these documents together (the read-later queue's reading estimate)."""
        return sum(
            int(
                self.conn.execute(
                    f"SELECT coalesce(sum(pages), 0) FROM documents WHERE id IN ({marks})", chunk
                ).fetchone()[0]
            )
            for chunk, marks in _in_chunks(doc_ids)
        )

    def later_queue(self) -> list[int]:
        return [
            r[0]
            for r in self.conn.execute(
                "SELECT id FROM documents WHERE later_position IS NOT NULL ORDER BY later_position, id"
            )
        ]

    def data_version(self) -> int:
        """Changes when another connection commits: lets a window notice imports from a terminal."""
        return int(self.conn.execute("PRAGMA data_version").fetchone()[0])

    # --- editing ------------------------------------------------------------------------------

    def _reindex(self, doc_ids: Iterable[int], change: Callable[[], object]) -> None:
        """Run ``change`` with the search index of these documents kept in step."""
        ids = list(doc_ids)
        self._fts(ids, "delete")
        change()
        self._fts(ids, "insert")

    def _fts(self, ids: list[int], action: str) -> None:
        for chunk, marks in _in_chunks(ids):
            rows = self.conn.execute(
                f"SELECT id, title, tags_text, notes FROM documents WHERE id IN ({marks})", chunk
            ).fetchall()
            self._fts_rows(rows, action)

    def _fts_rows(self, rows: Iterable[Sequence[Any]], action: str) -> None:
        if action == "delete":
            sql = "INSERT INTO doc_fts(doc_fts, rowid, terms, uni) VALUES ('delete', ?, ?, ?)"
        else:
            sql = "INSERT INTO doc_fts(rowid, terms, uni) VALUES (?, ?, ?)"
        self.conn.executemany(sql, ((r[0], *index_terms(r[1], r[2], r[3])) for r in rows))

    def _require(self, doc_ids: Sequence[int]) -> None:
        for chunk, marks in _in_chunks(doc_ids):
            found = {r[0] for r in self.conn.execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk)}
            if missing := [i for i in chunk if i not in found]:
                raise NotFoundError(f"no document with id {missing[0]}")

    def set_title(self, doc_id: int, title: str) -> None:
        title = title.strip()
        if not title:
            raise ValueError("a title cannot be empty")
        with self._write():
            self._update_text(doc_id, "title", title)
            self.conn.execute("UPDATE documents SET title_edited = 1 WHERE id = ?", (doc_id,))

    # --- where the title ends ---------------------------------------------------------------------

    def body(self, doc_id: int) -> str:
        """The document's first listing as read: its title and excerpt glued (NFKC-folded)."""
        row = self.conn.execute("SELECT raw_line FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        return body_of(unpack_raw(row[0]))

    def title_states(self, doc_ids: Sequence[int]) -> list[TitleState]:
        states: list[TitleState] = []
        for chunk, marks in _in_chunks(doc_ids):
            states += [
                TitleState(r[0], r[1], r[2], bool(r[3]))
                for r in self.conn.execute(
                    f"SELECT id, title, excerpt, title_edited FROM documents WHERE id IN ({marks})", chunk
                )
            ]
        return states

    def set_split(self, doc_id: int, cut: int) -> TitleState:
        """The title ends ``cut`` characters into the body (a correction in one move): the title is what
        comes before, the excerpts follow, and the title is the user's from now on. Returns the state
        before, for undo (set_title_states)."""
        body = self.body(doc_id)
        title = body[:cut].strip()
        if not title:
            raise ValueError("the title cannot be empty: move the cut to the right")
        with self._write():
            (before,) = self.title_states([doc_id])
            more = self.conn.execute("SELECT raw_line FROM listings WHERE doc_id = ? ORDER BY id", (doc_id,))
            bodies = [body, *(body_of(unpack_raw(r[0])) for r in more)]
            excerpt = join_excerpts([excerpt_after(b, title) for b in bodies])
            self.set_title_states([TitleState(doc_id, title, excerpt, True)])
        return before

    def set_title_states(self, states: Sequence[TitleState]) -> None:
        """Put titles, excerpts and their ownership as given (an undo, or applying a re-split)."""
        with self._write():
            ids = [s.doc_id for s in states]
            self._require(ids)
            self._reindex(
                ids,
                lambda: self.conn.executemany(
                    "UPDATE documents SET title = ?, excerpt = ?, title_edited = ? WHERE id = ?",
                    [(s.title, s.excerpt, int(s.title_edited), s.doc_id) for s in states],
                ),
            )

    def resplit_import(self, doc_id: int) -> list[TitleState]:
        """What the other documents of ``doc_id``'s import would become with its title (the user's
        correction) as evidence: the new states of those whose title would change.

        What one correction says of the others is where titles of that page end: a title ending in a
        site or author after a separator (`` - 云原生社区``), or in a word, makes every other body of the
        page that has the same ending early on end there too (identity.title_ending). Titles the user
        set are left alone. Apply with set_title_states; undo with title_states taken before."""
        row = self.conn.execute("SELECT import_id, title FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        import_id, title = row
        ending = title_ending(title)
        if import_id is None or not ending:
            return []
        changed: list[TitleState] = []
        rows = self.conn.execute(
            "SELECT id, title, raw_line FROM documents WHERE import_id = ? AND id != ? AND title_edited = 0 "
            "AND title_exact = 0 ORDER BY source_line",
            (import_id, doc_id),
        ).fetchall()
        for other, old_title, raw in rows:
            body = body_of(unpack_raw(raw))
            new_title = cut_after(body, ending)
            if not new_title or new_title == old_title:
                continue
            more = self.conn.execute("SELECT raw_line FROM listings WHERE doc_id = ? ORDER BY id", (other,))
            bodies = [body, *(body_of(unpack_raw(r[0])) for r in more)]
            excerpt = join_excerpts([excerpt_after(b, new_title) for b in bodies])
            changed.append(TitleState(other, new_title, excerpt, False))
        return changed

    def set_notes(self, doc_id: int, notes: str) -> None:
        self._update_text(doc_id, "notes", notes)

    def _update_text(self, doc_id: int, column: str, value: str) -> None:
        with self._write():
            self._require([doc_id])
            self._reindex(
                [doc_id],
                lambda: self.conn.execute(f"UPDATE documents SET {column} = ? WHERE id = ?", (value, doc_id)),
            )

    def set_status(self, doc_ids: Sequence[int], status: str) -> dict[int, str]:
        """Set the read status; returns each document's previous status (for undo)."""
        if status not in STATUSES:
            raise ValueError(f"status must be one of {', '.join(STATUSES)}")
        with self._write():
            self._require(doc_ids)
            before = self._column_values(doc_ids, "status")
            self._executemany_ids("UPDATE documents SET status = ? WHERE id IN ({marks})", doc_ids, status)
            return before

    def restore_status(self, before: dict[int, str]) -> None:
        with self._write():
            self.conn.executemany("UPDATE documents SET status = ? WHERE id = ?", [(s, i) for i, s in before.items()])

    def _column_values(self, doc_ids: Sequence[int], column: str) -> dict[int, Any]:
        out: dict[int, Any] = {}
        for chunk, marks in _in_chunks(doc_ids):
            out.update(self.conn.execute(f"SELECT id, {column} FROM documents WHERE id IN ({marks})", chunk))
        return out

    def _executemany_ids(self, sql: str, doc_ids: Sequence[int], *before: Any) -> None:
        for chunk, marks in _in_chunks(doc_ids):
            self.conn.execute(sql.format(marks=marks), (*before, *chunk))

    # --- tags -----------------------------------------------------------------------------------

    def _tag_id(self, name: str, create: bool) -> int | None:
        name = " ".join(name.split())
        if not name:
            raise ValueError("a tag name cannot be empty")
        if "," in name:
            raise ValueError("a tag name cannot contain a comma")
        row = self.conn.execute("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
        if row:
            return int(row[0])
        if not create:
            return None
        return int(self.conn.execute("INSERT INTO tags(name) VALUES (?)", (name,)).lastrowid or 0)

    def _refresh_tags_text(self, doc_ids: Sequence[int]) -> None:
        """Keep the denormalised tags column (shown, sorted and searched) in step with the links."""

        def change() -> None:
            self._executemany_ids(_TAGS_TEXT_SQL, doc_ids)

        self._reindex(doc_ids, change)

    def add_tags(self, doc_ids: Sequence[int], names: Iterable[str]) -> TagChange:
        """Tag documents; returns the links that are new (existing ones are not touched)."""
        names = list(names)
        added: list[tuple[int, str]] = []
        with self._write():
            self._require(doc_ids)
            for name in names:
                tag_id = self._tag_id(name, create=True)
                tag_name = self.conn.execute("SELECT name FROM tags WHERE id = ?", (tag_id,)).fetchone()[0]
                have = {r[0] for r in self.conn.execute("SELECT doc_id FROM document_tags WHERE tag_id = ?", (tag_id,))}
                new = [i for i in doc_ids if i not in have]
                self.conn.executemany(
                    "INSERT INTO document_tags(doc_id, tag_id) VALUES (?, ?)", [(i, tag_id) for i in new]
                )
                added.extend((i, tag_name) for i in new)
            self._refresh_tags_text(sorted({i for i, _ in added}))
        return TagChange(tuple(added))

    def remove_tags(self, doc_ids: Sequence[int], names: Iterable[str]) -> TagChange:
        """Untag documents; returns the links that were there and are now gone."""
        removed: list[tuple[int, str]] = []
        with self._write():
            self._require(doc_ids)
            for name in names:
                tag_id = self._tag_id(name, create=False)
                if tag_id is None:
                    continue
                tag_name = self.conn.execute("SELECT name FROM tags WHERE id = ?", (tag_id,)).fetchone()[0]
                have = {r[0] for r in self.conn.execute("SELECT doc_id FROM document_tags WHERE tag_id = ?", (tag_id,))}
                gone = [i for i in doc_ids if i in have]
                self.conn.executemany(
                    "DELETE FROM document_tags WHERE doc_id = ? AND tag_id = ?", [(i, tag_id) for i in gone]
                )
                removed.extend((i, tag_name) for i in gone)
            self._refresh_tags_text(sorted({i for i, _ in removed}))
            self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM document_tags)")
        return TagChange(tuple(removed))

    def apply_tag_change(self, change: TagChange, *, add: bool) -> None:
        """Re-apply or revert a TagChange (undo and redo)."""
        by_name: dict[str, list[int]] = {}
        for doc_id, name in change.links:
            by_name.setdefault(name, []).append(doc_id)
        with self._write():
            for name, ids in by_name.items():
                (self.add_tags if add else self.remove_tags)(ids, [name])

    def set_tags(self, doc_id: int, names: Iterable[str]) -> tuple[TagChange, TagChange]:
        """Make a document's tags exactly these; returns (added, removed)."""
        wanted = {" ".join(n.split()).casefold(): " ".join(n.split()) for n in names if n.strip()}
        with self._write():
            current = self.get(doc_id).tags
            removed = self.remove_tags([doc_id], [t for t in current if t.casefold() not in wanted])
            have = {t.casefold() for t in current}
            added = self.add_tags([doc_id], [n for k, n in wanted.items() if k not in have])
        return added, removed

    def rename_tag(self, old: str, new: str) -> TagRename:
        """Rename a tag; if another tag already has the new name, the two are merged. Returns what
        changed, for undo_rename."""
        with self._write():
            old_id = self._tag_id(old, create=False)
            if old_id is None:
                raise NotFoundError(f"no tag named {old!r}")
            new = " ".join(new.split())
            target = self._tag_id(new, create=False)
            doc_ids = [r[0] for r in self.conn.execute("SELECT doc_id FROM document_tags WHERE tag_id = ?", (old_id,))]
            old_name = self.conn.execute("SELECT name FROM tags WHERE id = ?", (old_id,)).fetchone()[0]
            added: list[int] = []
            if target is None or target == old_id:
                self._tag_id(new, create=False)  # validates the name
                self.conn.execute("UPDATE tags SET name = ? WHERE id = ?", (new, old_id))
            else:
                had = {r[0] for r in self.conn.execute("SELECT doc_id FROM document_tags WHERE tag_id = ?", (target,))}
                added = [i for i in doc_ids if i not in had]
                new = self.conn.execute("SELECT name FROM tags WHERE id = ?", (target,)).fetchone()[0]
                self.conn.execute(
                    "INSERT OR IGNORE INTO document_tags(doc_id, tag_id) SELECT doc_id, ? FROM document_tags "
                    "WHERE tag_id = ?",
                    (target, old_id),
                )
                self.conn.execute("DELETE FROM document_tags WHERE tag_id = ?", (old_id,))
                self.conn.execute("DELETE FROM tags WHERE id = ?", (old_id,))
            self._refresh_tags_text(doc_ids)
        merged = not (target is None or target == old_id)
        return TagRename(old_name, new, tuple(doc_ids), merged, tuple(added))

    def undo_rename(self, rename: TagRename) -> None:
        """Put a renamed or merged tag back as it was before ``rename``."""
        with self._write():
            if not rename.merged:
                self.rename_tag(rename.new, rename.old)
                return
            old_id = self._tag_id(rename.old, create=True)
            self.conn.executemany(
                "INSERT OR IGNORE INTO document_tags(doc_id, tag_id) VALUES (?, ?)",
                [(doc_id, old_id) for doc_id in rename.doc_ids],
            )
            target = self._tag_id(rename.new, create=False)
            if target is not None:
                self.conn.executemany(
                    "DELETE FROM document_tags WHERE doc_id = ? AND tag_id = ?",
                    [(doc_id, target) for doc_id in rename.added],
                )
            self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM document_tags)")
            self._refresh_tags_text(list(rename.doc_ids))

    def merge_tags(self, sources: Iterable[str], target: str) -> None:
        with self._write():
            for name in sources:
                self.rename_tag(name, target)

    # --- read later -----------------------------------------------------------------------------

    def add_to_later(self, doc_ids: Sequence[int]) -> list[int]:
        """Append documents to the end of the queue; returns the ids that were not in it yet."""
        with self._write():
            self._require(doc_ids)
            current = self._column_values(doc_ids, "later_position")
            new = [i for i in dict.fromkeys(doc_ids) if current.get(i) is None]
            end = self.conn.execute("SELECT coalesce(max(later_position), 0) FROM documents").fetchone()[0]
            self.conn.executemany(
                "UPDATE documents SET later_position = ? WHERE id = ?", [(end + n + 1, i) for n, i in enumerate(new)]
            )
            return new

    def remove_from_later(self, doc_ids: Sequence[int]) -> dict[int, int]:
        """Take documents out of the queue; returns their old positions (for undo)."""
        with self._write():
            self._require(doc_ids)
            before = {i: p for i, p in self._column_values(doc_ids, "later_position").items() if p is not None}
            self._executemany_ids("UPDATE documents SET later_position = NULL WHERE id IN ({marks})", doc_ids)
            return before

    def restore_later(self, positions: dict[int, int | None]) -> None:
        with self._write():
            self.conn.executemany(
                "UPDATE documents SET later_position = ? WHERE id = ?", [(p, i) for i, p in positions.items()]
            )

    def move_in_later(self, doc_id: int | Sequence[int], new_index: int) -> None:
        """Move a queued document to ``new_index`` (0-based) in the queue; or several, kept together in
        their queue order, so that the first is at ``new_index`` of the queue without them (what a
        drag and drop of several rows does). Documents not in the queue are refused."""
        moving = [doc_id] if isinstance(doc_id, int) else list(dict.fromkeys(doc_id))
        with self._write():
            queue = self.later_queue()
            if missing := set(moving) - set(queue):
                raise NotFoundError(f"document {min(missing)} is not in the read-later queue")
            block = [i for i in queue if i in set(moving)]
            queue = [i for i in queue if i not in set(moving)]
            at = max(0, min(new_index, len(queue)))
            queue[at:at] = block
            self.conn.executemany(
                "UPDATE documents SET later_position = ? WHERE id = ?", [(n + 1, i) for n, i in enumerate(queue)]
            )

    # --- delete ---------------------------------------------------------------------------------

    def delete(self, doc_ids: Sequence[int]) -> DeletedDocuments:
        """Delete documents; the returned snapshot restores them exactly (undo)."""
        columns = tuple(c.name for c in self.db.table("documents").columns)
        rows: list[tuple[Any, ...]] = []
        tags: list[tuple[int, str]] = []
        listings: list[tuple[Any, ...]] = []
        with self._write():
            self._require(doc_ids)
            for chunk, marks in _in_chunks(doc_ids):
                rows += self.conn.execute(f"SELECT {', '.join(columns)} FROM documents WHERE id IN ({marks})", chunk)
                tags += self.conn.execute(
                    "SELECT dt.doc_id, t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
                    f"WHERE dt.doc_id IN ({marks})",
                    chunk,
                )
                listings += self.conn.execute(
                    f"SELECT {', '.join(LISTING_COLUMNS)} FROM listings WHERE doc_id IN ({marks})", chunk
                )
                self._fts(chunk, "delete")
                self.conn.execute(f"DELETE FROM document_tags WHERE doc_id IN ({marks})", chunk)
                self.conn.execute(f"DELETE FROM listings WHERE doc_id IN ({marks})", chunk)
                self.conn.execute(f"DELETE FROM documents WHERE id IN ({marks})", chunk)
            self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM document_tags)")
        return DeletedDocuments(tuple(rows), columns, tuple(tags), tuple(listings))

    def restore(self, deleted: DeletedDocuments) -> None:
        with self._write():
            marks = ",".join("?" * len(deleted.columns))
            self.conn.executemany(f"INSERT INTO documents({', '.join(deleted.columns)}) VALUES ({marks})", deleted.rows)
            self.conn.executemany(
                f"INSERT INTO listings({', '.join(LISTING_COLUMNS)}) VALUES ({', '.join('?' * len(LISTING_COLUMNS))})",
                deleted.listings,
            )
            self._fts(list(deleted.doc_ids), "insert")
            by_name: dict[str, list[int]] = {}
            for doc_id, name in deleted.tags:
                by_name.setdefault(name, []).append(doc_id)
            for name, ids in by_name.items():
                self.add_tags(ids, [name])

    # --- maintenance ----------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    def check(self) -> list[str]:
        """The full PRAGMA integrity_check (minutes on a huge library): the problems, or [] when sound."""
        try:
            problems = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check")]
        except LibraryError as exc:
            return [str(exc)]
        return [] if problems == ["ok"] else problems

    def has_documents(self) -> bool:
        return bool(self.conn.execute("SELECT EXISTS (SELECT 1 FROM documents)").fetchone()[0])

    def backup_to(self, target: Path) -> None:
        """Copy the library as it is now into a new file ``target`` with SQLite's online backup API.

        All pages are copied in one step, that is inside one read transaction: the copy is one
        consistent state even while another program writes. The copy is a single self-contained
        file (rollback journal, not WAL), so it can be moved or mailed as it is.
        """
        _backup_into(self.conn, target)

    def restore_from(self, source: Path) -> int:
        """Replace this library's whole content with a DocManager library file (a backup), in place.

        The source is checked first (a DocManager library of a schema this version reads, sound), and
        the replacement runs inside the write lock with SQLite's backup API, so other programs with
        the library open see the old content or the new, never a mixture. Returns the number of
        documents now in the library. Taking a backup of the current content is the caller's job.
        """
        source = Path(source)
        version = verify_library_file(source)
        with self._locked():
            try:
                src = _connect(source, readonly=True)
            except sqlite3.Error as exc:
                raise _library_error(source, exc) from None
            try:
                src.backup(self.conn)
            except sqlite3.Error as exc:
                raise _library_error(self.path, exc) from None
            finally:
                _disconnect(src)
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
            if version < SCHEMA_VERSION:
                self._migrate()
            self._checkpoint()
        return self.count()

    # --- export and load ------------------------------------------------------------------------

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: everything read inside sees the same state, whatever others write."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self._rollback()

    def saved_documents(self, chunk: int = 500) -> Iterator[SavedDocument]:
        """Every document with what the store keeps beside it, by id, read ``chunk`` at a time.

        Use inside snapshot() for a consistent whole.
        """
        last = 0
        while True:
            rows = self.conn.execute(
                _SELECT_DOC.replace(" FROM documents", ", identity, import_id, title_exact FROM documents")
                + " WHERE id > ? ORDER BY id LIMIT ?",
                (last, chunk),
            ).fetchall()
            if not rows:
                return
            listings: dict[int, list[SavedListing]] = {}
            for doc_id, *values in self.conn.execute(
                "SELECT doc_id, identity, import_id, source_file, source_line, raw_line, captured_at FROM listings "
                "WHERE doc_id BETWEEN ? AND ? ORDER BY id",
                (rows[0][0], rows[-1][0]),
            ):
                values[4] = unpack_raw(values[4])
                listings.setdefault(doc_id, []).append(SavedListing(*values))
            for row in rows:
                doc = _document(row[:-3])
                yield SavedDocument(
                    doc,
                    identity=row[-3],
                    import_id=row[-2],
                    listings=tuple(listings.get(doc.id, ())),
                    title_exact=bool(row[-1]),
                )
            last = rows[-1][0]

    def saved_imports(self) -> list[SavedImport]:
        rows = self.conn.execute("SELECT id, captured_at FROM imports ORDER BY id").fetchall()
        return [SavedImport(self.import_record(i), at, tuple(self.rejected_lines(i))) for i, at in rows]

    def load(self, documents: Iterable[SavedDocument], imports: Sequence[SavedImport]) -> LoadResult:
        """Load exported documents and imports, in one transaction.

        A document already in the library (the same identity key as the importer's) gets the
        exported user fields (title, notes, status, tags, read-later); a new one is added whole.
        Into an empty library the ids and queue positions are kept, so an export of the result is
        the export loaded; otherwise new ids are given and queued documents join the end of the queue.
        """
        new = updated = unchanged = 0
        with self._write():
            has_imports = self.conn.execute("SELECT EXISTS (SELECT 1 FROM imports)").fetchone()[0]
            empty = not self.has_documents() and not has_imports
            import_ids, added_imports = self._load_imports(imports, keep_ids=empty)
            queue_end = int(self.conn.execute("SELECT coalesce(max(later_position), 0) FROM documents").fetchone()[0])
            next_id = int(self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0])
            queued: list[tuple[int, int]] = []  # (exported position, id) of documents to queue at the end
            batch: list[SavedDocument] = []

            def flush() -> None:
                nonlocal new, updated, unchanged, next_id
                known = self._identities([s.identity for s in batch])
                touched: list[int] = []
                seen: set[str] = set()
                for saved in batch:
                    if saved.identity in seen:
                        raise ValueError(f"document {saved.document.id} appears twice (same identity)")
                    seen.add(saved.identity)
                    doc = saved.document
                    old = known.get(saved.identity)
                    if old is None:
                        doc_id = doc.id if empty else next_id
                        next_id = max(next_id, doc_id) + 1
                        position = doc.later_position if empty else None
                        if doc.later_position is not None and not empty:
                            queued.append((doc.later_position, doc_id))
                        self.conn.execute(
                            "INSERT INTO documents(id, identity, title, excerpt, price, pages, size_bytes, size_text, "
                            "age_text, published_estimate, captured_at, rating, added_at, later_position, "
                            "status, notes, tags_text, source_file, source_line, raw_line, import_id, title_edited, "
                            "url, title_exact) VALUES (" + ",".join("?" * 24) + ")",
                            (
                                doc_id,
                                saved.identity,
                                doc.title,
                                doc.excerpt,
                                doc.price,
                                doc.pages,
                                doc.size_bytes,
                                doc.size_text,
                                doc.age_text,
                                doc.published_estimate,
                                doc.captured_at,
                                doc.rating,
                                doc.added_at,
                                position,
                                doc.status,
                                doc.notes,
                                "",
                                doc.source_file,
                                doc.source_line,
                                pack_raw(doc.raw_line),
                                import_ids.get(saved.import_id) if saved.import_id is not None else None,
                                int(doc.title_edited),
                                doc.url,
                                int(saved.title_exact),
                            ),
                        )
                        self.conn.executemany(
                            "INSERT INTO listings(doc_id, identity, import_id, source_file, source_line, raw_line, "
                            "captured_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
                            [
                                (
                                    doc_id,
                                    x.identity,
                                    import_ids.get(x.import_id) if x.import_id is not None else None,
                                    x.source_file,
                                    x.source_line,
                                    pack_raw(x.raw_line),
                                    x.captured_at,
                                )
                                for x in saved.listings
                            ],
                        )
                        new += 1
                    else:
                        doc_id, title, notes, status, tags_text, later = old
                        in_queue = doc.later_position is not None
                        if (title, notes, status, tags_text, later is not None) == (
                            doc.title,
                            doc.notes,
                            doc.status,
                            ", ".join(doc.tags),
                            in_queue,
                        ):
                            unchanged += 1
                            continue
                        self._fts([doc_id], "delete")
                        self.conn.execute(
                            "UPDATE documents SET title = ?, notes = ?, status = ?, title_edited = ? WHERE id = ?",
                            (doc.title, doc.notes, doc.status, int(doc.title_edited), doc_id),
                        )
                        if not in_queue:
                            self.conn.execute("UPDATE documents SET later_position = NULL WHERE id = ?", (doc_id,))
                        elif later is None:
                            queued.append((doc.later_position or 0, doc_id))
                        self.conn.execute("DELETE FROM document_tags WHERE doc_id = ?", (doc_id,))
                        updated += 1
                    for name in doc.tags:
                        tag_id = self._tag_id(name, create=True)
                        self.conn.execute(
                            "INSERT OR IGNORE INTO document_tags(doc_id, tag_id) VALUES (?, ?)", (doc_id, tag_id)
                        )
                    touched.append(doc_id)
                self._executemany_ids(_TAGS_TEXT_SQL, touched)
                self._fts(touched, "insert")
                batch.clear()

            for saved in documents:
                if saved.document.status not in STATUSES:
                    raise ValueError(f"document {saved.document.id}: status must be one of {', '.join(STATUSES)}")
                batch.append(saved)
                if len(batch) >= 500:
                    flush()
            flush()
            queued.sort()
            self.conn.executemany(
                "UPDATE documents SET later_position = ? WHERE id = ?",
                [(queue_end + n + 1, doc_id) for n, (_, doc_id) in enumerate(queued)],
            )
            self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM document_tags)")
        return LoadResult(new=new, updated=updated, unchanged=unchanged, imports=added_imports)

    def _identities(self, identities: Sequence[str]) -> dict[str, tuple[Any, ...]]:
        found: dict[str, tuple[Any, ...]] = {}
        for chunk, marks in _in_chunks(identities):
            for row in self.conn.execute(
                "SELECT identity, id, title, notes, status, tags_text, later_position FROM documents "
                f"WHERE identity IN ({marks})",
                chunk,
            ):
                found[row[0]] = tuple(row[1:])
        return found

    def _load_imports(self, imports: Sequence[SavedImport], *, keep_ids: bool) -> tuple[dict[int, int], int]:
        """Add the import records that are not here yet (same file hash and time).

        Returns the exported id → id here of every record, and how many were added.
        """
        ids: dict[int, int] = {}
        added = 0
        for saved in imports:
            r = saved.record
            row = self.conn.execute(
                "SELECT id FROM imports WHERE sha256 = ? AND imported_at = ?", (r.sha256, r.imported_at)
            ).fetchone()
            if row is not None:
                ids[r.id] = int(row[0])
                continue
            cursor = self.conn.execute(
                "INSERT INTO imports(id, path, sha256, imported_at, captured_at, encoding, new, updated, unchanged, "
                "rejected, total_claimed, page_number, pager_pages, repeated) VALUES (" + ",".join("?" * 14) + ")",
                (
                    r.id if keep_ids else None,
                    r.path,
                    r.sha256,
                    r.imported_at,
                    saved.captured_at,
                    r.encoding,
                    r.new,
                    r.updated,
                    r.unchanged,
                    r.rejected,
                    r.total_claimed,
                    r.page_number,
                    json.dumps(list(r.pager_pages)),
                    r.repeated,
                ),
            )
            ids[r.id] = int(cursor.lastrowid or 0)
            self.conn.executemany(
                "INSERT INTO rejected_lines(import_id, line_no, reason, raw) VALUES (?, ?, ?, ?)",
                [(ids[r.id], x.line_no, x.reason, x.raw) for x in saved.rejected],
            )
            added += 1
        return ids, added


Library.MIGRATIONS = (
    Library._create_v1,
    Library._migrate_v2,
    Library._migrate_v3,
    Library._migrate_v4,
    Library._migrate_v5,
    Library._migrate_v6,
)
# The columns of table listings (a document's listings after its first, whose raw line is its own).
LISTING_COLUMNS = ("id", "doc_id", "identity", "import_id", "source_file", "source_line", "raw_line", "captured_at")


class ImportBatch:
    """Adds or updates documents inside one import transaction and counts what it did."""

    def __init__(self, library: Library, import_id: int) -> None:
        self.library = library
        self.import_id = import_id
        self.new = self.updated = self.unchanged = self.rejected = self.repeated = 0
        self.new_ids: list[int] = []
        self.merged_ids: list[int] = []  # documents already here that this import listed again

    def set_listing_facts(
        self,
        *,
        sha256: str,
        encoding: str,
        total_claimed: int | None,
        page_number: int | None,
        pager_pages: Sequence[int],
    ) -> None:
        """Record what only the end of the file tells (its hash, the footer), for a one-pass import."""
        self.library.conn.execute(
            "UPDATE imports SET sha256 = ?, encoding = ?, total_claimed = ?, page_number = ?, pager_pages = ? "
            "WHERE id = ?",
            (sha256, encoding, total_claimed, page_number, json.dumps(list(pager_pages)), self.import_id),
        )

    def add_rejections(self, rejections: Iterable[tuple[int, str, str]]) -> None:
        rows = [(self.import_id, line_no, reason, raw) for line_no, reason, raw in rejections]
        self.library.conn.executemany(
            "INSERT INTO rejected_lines(import_id, line_no, reason, raw) VALUES (?, ?, ?, ?)", rows
        )
        self.rejected += len(rows)

    def add_documents(
        self,
        docs: Sequence[NewDocument],
        check: Callable[[], None] | None = None,
        progress: Callable[[int, int], None] | None = None,
    ) -> None:
        """Insert new documents and refresh the listing fields of known ones; never touches the user's
        title edits, tags, notes, status or queue. ``check`` is called between chunks (to cancel)."""
        conn = self.library.conn
        now = utc_now()
        for start in range(0, len(docs), 2000):
            if check is not None:
                check()
            if progress is not None:
                progress(start, len(docs))
            chunk = docs[start : start + 2000]
            marks = ",".join("?" * len(chunk))
            identities = [d.identity for d in chunk]
            known = {
                r[0]: r[1:]
                for r in conn.execute(
                    f"SELECT identity, {_KNOWN} FROM documents d WHERE identity IN ({marks}) UNION ALL "
                    f"SELECT l.identity, {_KNOWN.replace('d.import_id', 'l.import_id')} "
                    f"FROM listings l JOIN documents d ON d.id = l.doc_id WHERE l.identity IN ({marks})",
                    [*identities, *identities],
                )
            }
            # A line of a document whose page is known is that document, whatever else it says.
            urls = sorted({d.url for d in chunk if d.url is not None and d.identity not in known})
            by_url: dict[str, int] = {}
            for part, url_marks in _in_chunks(urls):
                by_url.update(conn.execute(f"SELECT url, id FROM documents WHERE url IN ({url_marks})", part))
            others = _Candidates(conn, {(d.size_bytes, d.pages) for d in chunk if d.identity not in known})
            inserts: list[NewDocument] = []
            updates: list[tuple[Any, ...]] = []
            merges: list[tuple[NewDocument, int | NewDocument]] = []  # a listing of a known or new document
            seen: set[str] = set()
            for d in chunk:
                if d.identity in seen:  # the same line twice in one file: counted once, reported as such
                    self.repeated += 1
                    continue
                seen.add(d.identity)
                old = known.get(d.identity)
                if old is not None and old[5] == self.import_id:  # a line of this file, in an earlier chunk
                    self.repeated += 1
                elif old is None:
                    if d.url is not None and (page_of := by_url.get(d.url)) is not None:
                        merges.append((d, page_of))
                        continue
                    if (same := others.find(d)) is not None:
                        merges.append((d, same))
                        continue
                    inserts.append(d)
                    others.add(d)
                elif (old[1], old[2], old[4]) == (d.price, d.age_text, d.rating) and _same_estimate(
                    old[3], d.published_estimate, d.age_text
                ):
                    # The same price, age as shown and rating, and an estimated date that moved less than
                    # the age's own unit (the page saved another day): nothing a user sees changed, unless
                    # this page tells its exact title or its address for the first time.
                    if self._learn(d, old):
                        self.updated += 1
                    else:
                        self.unchanged += 1
                else:
                    updates.append((d.price, d.age_text, d.published_estimate, d.rating, d.captured_at, old[0]))
                    self._learn(d, old)
            if updates:
                conn.executemany(
                    "UPDATE documents SET price = ?, age_text = ?, published_estimate = ?, rating = ?, "
                    "captured_at = ? WHERE id = ?",
                    updates,
                )
                self.updated += len(updates)
            if inserts:
                first = conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0]
                rows = [
                    (
                        first + n,
                        d.identity,
                        d.title,
                        d.excerpt,
                        d.price,
                        d.pages,
                        d.size_bytes,
                        d.size_text,
                        d.age_text,
                        d.published_estimate,
                        d.captured_at,
                        d.rating,
                        now,
                        d.source_file,
                        d.source_line,
                        pack_raw(d.raw_line) if d.packed_raw is None else d.packed_raw,
                        self.import_id,
                        d.url,
                        int(d.title_exact),
                    )
                    for n, d in enumerate(inserts)
                ]
                conn.executemany(
                    "INSERT INTO documents(id, identity, title, excerpt, price, pages, size_bytes, size_text, "
                    "age_text, published_estimate, captured_at, rating, added_at, source_file, "
                    "source_line, raw_line, import_id, url, title_exact) VALUES (" + ",".join("?" * 19) + ")",
                    rows,
                )
                conn.executemany(
                    "INSERT INTO doc_fts(rowid, terms, uni) VALUES (?, ?, ?)",
                    (
                        (r[0], *(index_terms(d.title, "", "") if d.title_terms is None else d.title_terms))
                        for r, d in zip(rows, inserts, strict=True)
                    ),
                )
                self.new += len(rows)
                self.new_ids.extend(r[0] for r in rows)
                inserted = {id(d): r[0] for r, d in zip(rows, inserts, strict=True)}
            else:
                inserted = {}
            for d, same in merges:
                self._add_listing(d, same if isinstance(same, int) else inserted[id(same)])

    def _learn(self, d: NewDocument, old: Sequence[Any]) -> bool:
        """What a line of a known document (``old``: the _KNOWN columns) may tell for the first time: its
        page's address, and its exact title, which replaces a guessed one (never the user's). Whether
        anything changed."""
        doc_id, title, edited, exact, url = old[0], old[6], old[7], old[8], old[9]
        conn, changed = self.library.conn, False
        if d.url is not None and url is None:
            conn.execute("UPDATE documents SET url = ? WHERE id = ?", (d.url, doc_id))
            changed = True
        if d.title_exact and not edited and not (exact and title == d.title):
            conn.execute("UPDATE documents SET title = ?, title_exact = 1 WHERE id = ?", (d.title, doc_id))
            self.library._fts([doc_id], "delete")
            self.library._refresh_listing_text(doc_id)
            self.library._fts([doc_id], "insert")
            changed = True
        return changed

    def _add_listing(self, d: NewDocument, doc_id: int) -> None:
        """Another listing of a document already here (another search's excerpt): its listing fields are
        the newest, its raw line is kept, its excerpt joins the others and its body is evidence for the
        title (unless the user set the title, or a page gave it exactly: then this one's exact title, or
        that one, stays). Its address is kept if none was known."""
        library, conn = self.library, self.library.conn
        conn.execute(
            "UPDATE documents SET price = ?, age_text = ?, published_estimate = ?, rating = ?, captured_at = ?, "
            "url = coalesce(url, ?) WHERE id = ?",
            (d.price, d.age_text, d.published_estimate, d.rating, d.captured_at, d.url, doc_id),
        )
        if d.title_exact:
            conn.execute(
                "UPDATE documents SET title = ?, title_exact = 1 WHERE id = ? AND title_edited = 0", (d.title, doc_id)
            )
        conn.execute(
            "INSERT INTO listings(doc_id, identity, import_id, source_file, source_line, raw_line, captured_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (
                doc_id,
                d.identity,
                self.import_id,
                d.source_file,
                d.source_line,
                pack_raw(d.raw_line) if d.packed_raw is None else d.packed_raw,
                d.captured_at,
            ),
        )
        library._fts([doc_id], "delete")
        library._refresh_listing_text(doc_id)
        library._fts([doc_id], "insert")
        self.updated += 1
        self.merged_ids.append(doc_id)


# What add_documents reads of a known document: ImportBatch._learn and the unchanged test index it.
_KNOWN = (
    "d.id, d.price, d.age_text, d.published_estimate, d.rating, d.import_id, d.title, d.title_edited, "
    "d.title_exact, d.url"
)


def _same_estimate(old: str | None, new: str | None, age_text: str | None) -> bool:
    """Whether two estimated publication dates agree within the precision of the age they came from."""
    if old is None or new is None or age_text is None:
        return old == new
    try:
        apart = abs((date.fromisoformat(old) - date.fromisoformat(new)).days) * 86400
    except ValueError:
        return old == new
    return apart < age_precision(age_text)


class _Candidates:
    """The documents a new listing line may be another listing of: those with its size and pages, in
    the library or added earlier in the same chunk; see docmanager.identity. Only the heads of their
    bodies are kept (a title ends well before HEAD characters), as match keys."""

    HEAD = 300

    def __init__(self, conn: sqlite3.Connection, keys: set[tuple[int, int | None]]) -> None:
        # (size, pages) -> candidates as (document, body head, title); their match keys are computed only
        # when a line of the same size and pages comes (rarely: most lines have no candidate at all).
        self.by_key: dict[tuple[int, int | None], list[tuple[int | NewDocument, str, str]]] = {}
        if not keys:
            return
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS listing_keys(size_bytes INTEGER, pages INTEGER)")
        conn.execute("DELETE FROM temp.listing_keys")
        conn.executemany("INSERT INTO temp.listing_keys VALUES (?, ?)", keys)
        # Through the size index, then the pages: only documents of both come back.
        rows = conn.execute(
            f"SELECT d.id, d.size_bytes, d.pages, d.title, d.title_edited, substr(d.excerpt, 1, {self.HEAD}), "
            "CASE WHEN d.title_edited THEN d.raw_line END FROM temp.listing_keys k "
            "JOIN documents d ON d.size_bytes = k.size_bytes AND d.pages IS k.pages"
        ).fetchall()
        for doc_id, size, pages, stored_title, title_edited, excerpt, raw in rows:
            if title_edited:
                # The title the user typed is not where the body starts; the body's own split (without
                # its file's context) stands in for the title found when it was imported.
                body = body_of(unpack_raw(raw))
                title = split_body(body).title
            else:
                body, title = f"{stored_title} {excerpt}", stored_title
            self.by_key.setdefault((size, pages), []).append((doc_id, body[: self.HEAD], title))

    def find(self, d: NewDocument) -> int | NewDocument | None:
        candidates = self.by_key.get((d.size_bytes, d.pages))
        if not candidates:
            return None
        key, title = keyed(f"{d.title} {d.excerpt[: self.HEAD]}", d.title)
        for target, other, other_title in candidates:
            if same_keys(key, title, *keyed(other, other_title)):
                return target
        return None

    def add(self, d: NewDocument) -> None:
        entry = (d, f"{d.title} {d.excerpt[: self.HEAD]}", d.title)
        self.by_key.setdefault((d.size_bytes, d.pages), []).append(entry)


def _library_error(path: Path, exc: sqlite3.Error) -> LibraryError:
    """Translate SQLite's errors at the boundary into what the user can act on."""
    text = str(exc)
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED) or "locked" in text or "busy" in text:
        return LibraryError(
            f"{path}: the library is busy in another program: waited {BUSY_TIMEOUT_MS // 1000} s; "
            "try again when it has finished",
            "locked",
        )
    if code == sqlite3.SQLITE_READONLY or "readonly" in text or "read-only" in text:
        return LibraryError(
            f"{path}: the library is read-only; copy it to a folder you can write to and open the copy", "readonly"
        )
    if code == sqlite3.SQLITE_FULL or "disk is full" in text:
        return LibraryError(f"{path}: the disk is full; nothing was changed", "full")
    if code == sqlite3.SQLITE_NOTADB or "not a database" in text:
        return LibraryError(f"{path}: the library file is damaged or not a library ({text})", "damaged")
    if code == sqlite3.SQLITE_CORRUPT or "malformed" in text or "invalid fts5 file format" in text:
        return LibraryError(f"{path}: the library file is damaged ({text}); restore a backup", "damaged")
    if code == sqlite3.SQLITE_CANTOPEN or "unable to open" in text:
        if not path.parent.is_dir():
            return LibraryError(f"{path}: cannot open the library file: its folder does not exist", "missing")
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return LibraryError(f"{path}: cannot open the library file: its folder is read-only", "readonly")
        return LibraryError(f"{path}: cannot open the library file")
    return LibraryError(f"{path}: {text}")
