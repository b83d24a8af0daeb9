"""The records the library keeps: documents, import records and rejected lines, as stored and as
read back; raw lines packed; and the row upkeep every write shares (the search index, the listing
text, the denormalised tags)."""

from __future__ import annotations

import hashlib
import sys
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from typing import Any

if sys.version_info >= (3, 14):
    from compression import zstd
else:  # the same module, from PyPI
    from backports import zstd


from docmanager.errors import NotFoundError
from docmanager.identity import body_of, excerpt_after, join_excerpts, split_excerpts, title_from
from docmanager.library.connection import LibraryConnection
from docmanager.search import index_terms, normalize


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


# The columns of table listings (a document's listings after its first, whose raw line is its own).
LISTING_COLUMNS = ("id", "doc_id", "identity", "import_id", "source_file", "source_line", "raw_line", "captured_at")

_TAGS_TEXT_SQL = (
    "UPDATE documents SET tags_text = coalesce((SELECT group_concat(name, ', ') FROM "
    "(SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
    "WHERE dt.doc_id = documents.id ORDER BY t.name COLLATE NOCASE)), '') WHERE id IN ({marks})"
)


class Records(LibraryConnection):
    """The upkeep of document rows that every write shares: the search index kept in step, the
    title and excerpts recomputed from a document's listings, and writes by id in chunks."""

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

    def _column_values(self, doc_ids: Sequence[int], column: str) -> dict[int, Any]:
        out: dict[int, Any] = {}
        for chunk, marks in _in_chunks(doc_ids):
            out.update(self.conn.execute(f"SELECT id, {column} FROM documents WHERE id IN ({marks})", chunk))
        return out

    def _executemany_ids(self, sql: str, doc_ids: Sequence[int], *before: Any) -> None:
        for chunk, marks in _in_chunks(doc_ids):
            self.conn.execute(sql.format(marks=marks), (*before, *chunk))
