"""The records the library keeps: documents, import records and rejected lines, as stored and as
read back; raw lines packed; and the row upkeep every write shares (the search index, the listing
text, the denormalised tags)."""

from __future__ import annotations

import dataclasses
import hashlib
import operator
import sys
import typing
import zlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Annotated, Any, ClassVar, get_type_hints

if sys.version_info >= (3, 14):
    from compression import zstd
else:  # the same module, from PyPI
    from backports import zstd


from docmanager import _raw_dictionary
from docmanager.errors import NotFoundError
from docmanager.identity import body_of, excerpt_after, join_excerpts, split_excerpts, title_from
from docmanager.library.connection import LibraryConnection
from docmanager.search import ascii_skeleton, index_terms, normalize, terms_words


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_key(body: str, pages: int | None, size_bytes: int, *, folded: str | None = None) -> str:
    """What makes two listing lines the same document: the glued title and excerpt, pages and size.

    The body is used rather than the title so that a different title split on another page (the
    splitter sees other lines there) still finds the same document. ``folded``: ``search.fold(body)``,
    when the caller has it.
    """
    text = normalize(body) if folded is None else folded.casefold()
    # " ".join(text.split()) returns the text unchanged when its only whitespace is single inner spaces:
    # isprintable() is False for every whitespace character but " ", and checking is much cheaper.
    if not text.isprintable() or "  " in text or text[:1] == " " or text[-1:] == " ":
        text = " ".join(text.split())
    shown = "-" if pages is None else pages  # what the site prints for unknown pages
    return hashlib.sha1(f"{text}\x1f{shown}\x1f{size_bytes}".encode()).hexdigest()


@dataclass(frozen=True, slots=True)
class Shown:
    """A key of a document's JSON that is not a field: a property of Document, shown beside a field."""

    name: str
    csv: bool = True  # also a column of the CSV export


REQUIRED: Any = object()  # Column.missing when an export must have the key


@dataclass(frozen=True, slots=True)
class Column:
    """How a document field is stored: a column of table documents. A field's declaration (its name, its
    Python type and this) is all a new field needs, with a migration that adds the column
    (``Schema.added_column``): the INSERTs, the JSON and CSV exports and the load's checks follow."""

    type: str  # as declared in SQL: INTEGER, TEXT, REAL
    not_null: bool = False
    default: str | None = None  # an SQL literal, as PRAGMA table_info shows it: "''", "0"
    primary_key: bool = False
    references: str | None = None  # the referenced table and column: '"imports"("id")'
    before: tuple[Shown, ...] = ()  # JSON keys shown just before this field
    after: tuple[Shown, ...] = ()  # and just after it
    missing: Any = REQUIRED  # the value when a JSON export has no such key (made before the field was)

    def sql(self, name: str) -> str:
        """The column's definition, as CREATE TABLE and ALTER TABLE ADD COLUMN take it."""
        parts = [f'"{name}" {self.type}']
        if self.primary_key:
            parts.append("PRIMARY KEY")
        if self.not_null:
            parts.append("NOT NULL")
        if self.default is not None:
            parts.append(f"DEFAULT {self.default}")
        if self.references is not None:
            parts.append(f"REFERENCES {self.references}")
        return " ".join(parts)


_TEXT = Column("TEXT", not_null=True)
_INTEGER = Column("INTEGER", not_null=True)


@dataclass(frozen=True, slots=True)
class Document:
    """A document as stored, and the declaration of the document fields: each one is a column of table
    documents (the Column in its annotation) and a key of the JSON and CSV exports (its attribute name,
    in this order), read back by a load. ``tags`` is the exception: a table of its own (document_tags),
    kept joined in the column tags_text. To add a field, declare it here (last, so that the JSON keeps
    its order) and add a migration that adds its column; give it a ``missing`` value for exports made
    before it. The columns that are not document fields are in STORED_BESIDE."""

    id: Annotated[int, Column("INTEGER", primary_key=True)]
    title: Annotated[str, _TEXT]
    excerpt: Annotated[str, Column("TEXT", not_null=True, default="''")]
    price: Annotated[int, _INTEGER]
    pages: Annotated[int | None, Column("INTEGER")]
    size_bytes: Annotated[int, _INTEGER]
    size_text: Annotated[str, _TEXT]
    age_text: Annotated[str | None, Column("TEXT")]
    published_estimate: Annotated[str | None, Column("TEXT")]
    added_at: Annotated[str, _TEXT]
    later_position: Annotated[int | None, Column("INTEGER", before=(Shown("read_later"),))]
    status: Annotated[str, Column("TEXT", not_null=True, default="'unread'")]
    notes: Annotated[str, Column("TEXT", not_null=True, default="''")]
    tags: tuple[str, ...]
    source_file: Annotated[str, Column("TEXT")]
    source_line: Annotated[int, Column("INTEGER")]
    raw_line: Annotated[str, _TEXT]  # stored packed (pack_raw)
    captured_at: Annotated[str, Column("TEXT")]
    # The excerpt column joins every excerpt; the JSON lists them too (excerpts), the CSV does not.
    rating: Annotated[float | None, Column("REAL", after=(Shown("excerpts", csv=False),))]
    # The user set the title: later evidence never changes it. Exports before schema 5 knew no such title.
    title_edited: Annotated[bool, Column("INTEGER", not_null=True, default="0", missing=False)]
    # The document's page on the site (from an HTML page's link); None when unknown, as before the HTML import.
    url: Annotated[str | None, Column("TEXT", missing=None)]
    # The user's estimate of the minutes the document takes to read; None: its pages × the reading speed
    # (see docmanager.budget). Exports before schema 10 knew no such estimate.
    reading_minutes: Annotated[int | None, Column("INTEGER", missing=None)]

    @property
    def read_later(self) -> bool:
        return self.later_position is not None

    @property
    def excerpts(self) -> list[str]:
        """Every distinct excerpt the document was listed with, first seen first."""
        return split_excerpts(self.excerpt)

    def as_json(self) -> dict[str, Any]:
        """The stable JSON shape scripts rely on (see the README): the fields in their order, with the
        keys shown beside them."""
        return {key: get(self) for key, get in fields_of(type(self)).json}


# The columns of table documents that are not document fields: what the store keeps beside them.
STORED_BESIDE: dict[str, Column] = {
    "identity": _TEXT,  # see identity_key
    "import_id": Column("INTEGER", references='"imports"("id")'),  # the import that added the document
    "tags_text": Column("TEXT", not_null=True, default="''"),  # the tags, joined with ", " (sorting, search)
    # The title was read exactly (from a page that keeps it apart: browser text, HTML), not split by guess.
    "title_exact": Column("INTEGER", not_null=True, default="0"),
}


@dataclass(frozen=True, slots=True)
class Field:
    name: str
    type: Any  # the Python type, without None
    optional: bool  # the annotation allows None
    column: Column | None  # None for tags


@dataclass(frozen=True, slots=True)
class DocumentFields:
    """What follows from a document class's declaration (``fields_of``)."""

    fields: tuple[Field, ...]
    columns: tuple[str, ...]  # the stored fields, as named in table documents (all but tags)
    json: tuple[tuple[str, Callable[[Any], Any]], ...]  # the JSON's keys in order, each with its getter
    csv: tuple[str, ...]  # the CSV export's columns: JSON keys
    select: str  # SELECT the columns and tags_text FROM documents
    select_rows: str  # the same with the excerpt and the raw line (most of a row's bytes) read as '': a table's rows
    flags: tuple[str, ...]  # the columns of bool fields (stored as 0 and 1)

    def table(self) -> dict[str, Column]:
        """Every column of table documents: the fields' and those kept beside them."""
        return {**{f.name: f.column for f in self.fields if f.column is not None}, **STORED_BESIDE}


def _getter(name: str, python_type: Any) -> Callable[[Any], Any]:
    if python_type is tuple:
        return lambda doc: list(getattr(doc, name))
    return operator.attrgetter(name)


_FIELDS: dict[type[Document], DocumentFields] = {}


def fields_of(cls: type[Document]) -> DocumentFields:
    """The declaration of a document class (Document, or a subclass with more fields), read once."""
    if (known := _FIELDS.get(cls)) is None:
        known = _FIELDS[cls] = _read_fields(cls)
    return known


def _read_fields(cls: type[Document]) -> DocumentFields:
    hints = get_type_hints(cls, include_extras=True)
    found: list[Field] = []
    json: list[tuple[str, Callable[[Any], Any]]] = []
    csv: list[str] = []
    for f in dataclasses.fields(cls):
        hint = hints[f.name]
        column = next((m for m in getattr(hint, "__metadata__", ()) if isinstance(m, Column)), None)
        python_type = typing.get_args(hint)[0] if column is not None else hint
        members = [t for t in typing.get_args(python_type) if t is not type(None)]
        optional = len(members) < len(typing.get_args(python_type))  # int | None
        base = members[0] if optional else typing.get_origin(python_type) or python_type
        found.append(Field(f.name, base, optional, column))
        for shown in column.before if column else ():
            json.append((shown.name, operator.attrgetter(shown.name)))
            csv += [shown.name] if shown.csv else []
        json.append((f.name, _getter(f.name, base)))
        csv.append(f.name)
        for shown in column.after if column else ():
            json.append((shown.name, operator.attrgetter(shown.name)))
            csv += [shown.name] if shown.csv else []
    columns = tuple(f.name for f in found if f.column is not None)
    select = "SELECT " + ", ".join(columns) + ", tags_text FROM documents"
    return DocumentFields(
        fields=tuple(found),
        columns=columns,
        json=tuple(json),
        csv=tuple(csv),
        select=select,
        select_rows=select.replace("excerpt,", "'' AS excerpt,").replace("raw_line,", "'' AS raw_line,"),
        flags=tuple(f.name for f in found if f.column is not None and f.type is bool),
    )


_DOC_COLUMNS = fields_of(Document).columns


# Raw lines are compressed with Zstandard, since version 8 at level 3 with a dictionary trained on
# result lines (docmanager/_raw_dictionary.py, built by tools/build_raw_dictionary.py): a line of a
# few hundred bytes is too short for Zstandard to find much to reuse inside it, and the dictionary
# gives it the site's fields and the common words of technical text. It keeps 45% of the bytes in
# 9 µs a line, where level 1 alone kept 67% in 10 µs (zlib: 63% in 21-40 µs). Each frame names its
# dictionary; libraries before version 6 hold zlib data, read by its header (zlib's first byte is
# 0x78, Zstandard's frame magic is 28 B5 2F FD), and versions 6-7 frames without a dictionary.
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"
_DICTIONARY = zstd.ZstdDict(_raw_dictionary.DICTIONARY)
_COMPRESSOR = zstd.ZstdCompressor(level=3, zstd_dict=_DICTIONARY)  # reused: a context per line costs as much again


def pack_raw(raw: str) -> str | bytes:
    """A raw line as stored: compressed when that is smaller (a line of Chinese text shrinks to about
    half). The raw line repeats the title and excerpt, so it was half of every row."""
    data = raw.encode("utf-8", "surrogatepass")
    packed = _COMPRESSOR.compress(data, zstd.ZstdCompressor.FLUSH_FRAME)
    return packed if len(packed) < len(data) else raw


def unpack_raw(stored: str | bytes) -> str:
    if isinstance(stored, str):
        return stored
    # A Zstandard frame without a dictionary (versions 6-7) ignores the one given.
    data = zstd.decompress(stored, zstd_dict=_DICTIONARY) if stored[:4] == _ZSTD_MAGIC else zlib.decompress(stored)
    return data.decode("utf-8", "surrogatepass")


def _in_chunks(values: Sequence[Any], size: int = 500) -> Iterator[tuple[list[Any], str]]:
    """``values`` in slices small enough for one ``IN (?, …)`` list, each with its placeholders."""
    for start in range(0, len(values), size):
        chunk = list(values[start : start + size])
        yield chunk, ",".join("?" * len(chunk))


def _document(row: Sequence[Any], cls: type[Document] = Document) -> Document:
    """A document from a row of ``fields_of(cls).select``."""
    *values, tags_text = row
    spec = fields_of(cls)
    named = dict(zip(spec.columns, values, strict=True))
    named["raw_line"] = unpack_raw(named["raw_line"])
    for name in spec.flags:
        named[name] = bool(named[name])
    tags = tuple(tags_text.split(", ")) if tags_text else ()
    return cls(**named, tags=tags)


# Not frozen, though nothing changes one once made: a frozen dataclass sets each field through
# object.__setattr__, 3.5 µs of the importing process (the import's critical path) per line against 0.7.
@dataclass(slots=True)
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

    # The document class whose fields the library stores, exports and loads (see Document).
    DOCUMENT: ClassVar[type[Document]] = Document

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
            self.conn.executemany(sql, ((r[0], *index_terms(r[1], r[2], r[3])) for r in rows))
            return
        rows = list(rows)
        entries = [(r[0], *index_terms(r[1], r[2], r[3])) for r in rows]
        self.conn.executemany("INSERT INTO doc_fts(rowid, terms, uni) VALUES (?, ?, ?)", entries)
        words: dict[str, bool] = {}
        for r, entry in zip(rows, entries, strict=True):
            for word, plain in terms_words(entry[1], r[1], r[2], r[3]).items():
                words[word] = words.get(word, True) and plain
        self._add_words(words)

    # The words the index holds (see docmanager.search, "the index's words"): every word indexed is
    # added, none is removed (a word no document holds any more finds nothing), and a word once found
    # not plain stays so. Libraries before version 8 have no such table.
    _has_words: bool | None = None

    def _words_kept(self) -> bool:
        """Whether this library keeps the index's words (version 8 on)."""
        if self._has_words is None:
            self._has_words = bool(
                self.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'index_words'").fetchone()[0]
            )
        return self._has_words

    def _add_words(self, words: dict[str, bool]) -> None:
        if words and self._words_kept():
            self.conn.executemany(
                "INSERT INTO index_words(word, plain, skeleton) VALUES (?, ?, ?) "
                "ON CONFLICT(word) DO UPDATE SET plain = plain AND excluded.plain",
                ((word, plain, ascii_skeleton(word)) for word, plain in words.items()),
            )

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
