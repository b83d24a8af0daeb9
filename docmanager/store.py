"""The library store: the one module that owns the SQLite file, its schema and every SQL statement."""

from __future__ import annotations

import hashlib
import json
import sqlite3
from array import array
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field, fields
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import sqlite_utils

from docmanager.errors import Cancelled, LibraryError, NotFoundError
from docmanager.search import STATUSES, Query, fts_match, index_terms, normalize, plain_folded

SCHEMA_VERSION = 1
APPLICATION_ID = 0x444D4752  # "DMGR": marks a SQLite file as a DocManager library
BUSY_TIMEOUT_MS = 10_000
LATER_LAST = 1 << 62  # sort key of documents not in the read-later queue


def utc_now() -> str:
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def identity_key(body: str, pages: int, size_bytes: int) -> str:
    """What makes two listing lines the same document: the glued title and excerpt, pages and size.

    The body is used rather than the title so that a different title split on another page (the
    splitter sees other lines there) still finds the same document.
    """
    text = " ".join(normalize(body).split())
    return hashlib.sha1(f"{text}\x1f{pages}\x1f{size_bytes}".encode()).hexdigest()


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
    Sort.PAGES: "pages",
    Sort.SIZE: "size_bytes",
    Sort.DATE: "published_estimate",
    Sort.PRICE: "price",
    Sort.TAGS: "tags_text COLLATE NOCASE",
    Sort.LATER: f"coalesce(later_position, {LATER_LAST})",
    Sort.STATUS: "status",
    Sort.ADDED: "added_at",
    Sort.ID: "id",
}


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
    pages: int
    size_bytes: int
    size_text: str
    age_text: str
    published_estimate: str
    added_at: str
    later_position: int | None
    status: str
    notes: str
    tags: tuple[str, ...]
    source_file: str
    source_line: int
    raw_line: str
    captured_at: str
    trailing_number: int | None

    @property
    def read_later(self) -> bool:
        return self.later_position is not None

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
            "trailing_number": self.trailing_number,
        }


_DOC_COLUMNS = [f.name for f in fields(Document) if f.name != "tags"]
_SELECT_DOC = "SELECT " + ", ".join(_DOC_COLUMNS) + ", tags_text FROM documents"


def _document(row: Sequence[Any]) -> Document:
    *values, tags_text = row
    tags = tuple(tags_text.split(", ")) if tags_text else ()
    return Document(**dict(zip(_DOC_COLUMNS, values, strict=True)), tags=tags)


@dataclass(frozen=True, slots=True)
class NewDocument:
    """A document read from a listing line, ready to be stored."""

    identity: str
    title: str
    excerpt: str
    price: int
    pages: int
    size_bytes: int
    size_text: str
    age_text: str
    published_estimate: str
    captured_at: str
    trailing_number: int | None
    source_file: str
    source_line: int
    raw_line: str


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
class DeletedDocuments:
    """Everything needed to put deleted documents back as they were (ids included)."""

    rows: tuple[tuple[Any, ...], ...]
    columns: tuple[str, ...]
    tags: tuple[tuple[int, str], ...]

    @property
    def doc_ids(self) -> tuple[int, ...]:
        return tuple(row[0] for row in self.rows)


@dataclass(frozen=True, slots=True)
class ViewQuery:
    """What the table shows: a view, tags (all required), a search and an order."""

    view: View = View.ALL
    tags: tuple[str, ...] = ()
    search: Query = field(default_factory=Query)
    sort: Sort = Sort.ADDED
    descending: bool = False
    search_excerpts: bool = True


_SCHEMA_FTS = (
    "CREATE VIRTUAL TABLE doc_fts USING fts5(terms, uni, content='', tokenize='unicode61 remove_diacritics 2')"
)


class Library:
    """A DocManager library file. One instance per thread; each opens its own connection."""

    def __init__(self, path: Path | str, *, create: bool = True, readonly: bool = False) -> None:
        self.path = Path(path)
        if str(path) != ":memory:":
            if not self.path.exists():
                if not create or readonly:
                    raise LibraryError(f"{self.path}: no library here")
                try:
                    self.path.parent.mkdir(parents=True, exist_ok=True)
                except OSError as exc:
                    raise LibraryError(f"{self.path.parent}: cannot create the folder: {exc.strerror}") from None
            elif self.path.is_dir():
                raise LibraryError(f"{self.path}: is a folder, not a library file")
        uri = f"file:{self.path}?mode=ro" if readonly else None
        try:
            self.conn = sqlite3.connect(
                uri or str(self.path),
                uri=bool(uri),
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,  # the GUI interrupts a worker's query from its thread
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
        except sqlite3.Error as exc:
            raise LibraryError(f"{self.path}: cannot open: {exc}") from None
        self.db = sqlite_utils.Database(self.conn)
        try:
            self._configure(readonly)
            if not readonly:
                self._migrate()
            elif self._user_version() != SCHEMA_VERSION:
                raise LibraryError(f"{self.path}: library schema version {self._user_version()} needs migrating")
        except BaseException:
            self.conn.close()
            raise

    # --- connection and schema ----------------------------------------------------------------

    def close(self) -> None:
        self.conn.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _configure(self, readonly: bool) -> None:
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            app_id = self.conn.execute("PRAGMA application_id").fetchone()[0]
            tables = self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
            if app_id not in (0, APPLICATION_ID) or (app_id == 0 and tables):
                raise LibraryError(f"{self.path}: is an SQLite file but not a DocManager library")
            version = self._user_version()
            if version > SCHEMA_VERSION and not readonly:
                # Checked before switching to WAL, which would rewrite the file's header.
                raise LibraryError(
                    f"{self.path}: was written by a newer DocManager (schema {version}, this one knows "
                    f"{SCHEMA_VERSION}); it was left untouched"
                )
            if not readonly:
                self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise _library_error(self.path, exc) from None

    def _user_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    def _migrate(self) -> None:
        version = self._user_version()
        if version > SCHEMA_VERSION:
            raise LibraryError(
                f"{self.path}: was written by a newer DocManager (schema {version}, this one knows "
                f"{SCHEMA_VERSION}); it was left untouched"
            )
        migrations: list[Callable[[], None]] = [self._create_v1]
        for target in range(version + 1, SCHEMA_VERSION + 1):
            with self._write():
                migrations[target - 1]()
                self.conn.execute(f"PRAGMA user_version = {target}")

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
    def _write(self) -> Iterator[None]:
        """One write transaction; BEGIN IMMEDIATE takes the write lock up front so it never deadlocks."""
        if self.conn.in_transaction:
            yield
            return
        try:
            self.conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            raise _library_error(self.path, exc) from None
        try:
            yield
        except sqlite3.Error as exc:
            self.conn.execute("ROLLBACK")
            if isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc):
                raise Cancelled("cancelled; nothing was changed") from None
            raise _library_error(self.path, exc) from exc
        except BaseException:
            self.conn.execute("ROLLBACK")
            raise
        else:
            try:
                self.conn.execute("COMMIT")
            except sqlite3.Error as exc:
                if self.conn.in_transaction:
                    self.conn.execute("ROLLBACK")
                raise _library_error(self.path, exc) from exc

    def interrupt(self) -> None:
        """Abort the statement running on this connection (from another thread)."""
        self.conn.interrupt()

    # --- import ---------------------------------------------------------------------------------

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
        with self._write():
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
                "UPDATE imports SET new = ?, updated = ?, unchanged = ?, rejected = ? WHERE id = ?",
                (batch.new, batch.updated, batch.unchanged, batch.rejected, import_id),
            )

    def import_record(self, import_id: int) -> ImportRecord:
        row = self.conn.execute(
            "SELECT id, path, sha256, imported_at, encoding, new, updated, unchanged, rejected, "
            "total_claimed, page_number, pager_pages FROM imports WHERE id = ?",
            (import_id,),
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no import {import_id}")
        names = [f.name for f in fields(ImportRecord)]
        return ImportRecord(
            **dict(zip(names[:11], row[:11], strict=True)), pager_pages=tuple(json.loads(row[11] or "[]"))
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

    def documents(self, ids: Sequence[int]) -> list[Document]:
        """The documents with these ids, in the order given (missing ids are skipped)."""
        found: dict[int, Document] = {}
        for start in range(0, len(ids), 500):
            chunk = list(ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            for row in self.conn.execute(_SELECT_DOC + f" WHERE id IN ({marks})", chunk):
                found[row[0]] = _document(row)
        return [found[i] for i in ids if i in found]

    def _where(self, q: ViewQuery) -> tuple[str, list[Any]]:
        clauses: list[str] = []
        params: list[Any] = []
        if view_sql := _VIEW_SQL[q.view]:
            clauses.append(view_sql)
        for name in (*q.tags, *q.search.tags):
            clauses.append(
                "id IN (SELECT dt.doc_id FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
                "WHERE t.name = ? COLLATE NOCASE)"
            )
            params.append(name)
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
            if q.search_excerpts:
                parts.append("instr(lower(excerpt), ?) > 0")
                params.append(plain_folded(term))
            if not parts:  # a term of punctuation only: find it literally in titles
                parts.append("instr(lower(title), ?) > 0")
                params.append(plain_folded(term))
            clauses.append("(" + " OR ".join(parts) + ")")
        return (" WHERE " + " AND ".join(clauses)) if clauses else "", params

    def _order(self, q: ViewQuery) -> str:
        direction = " DESC" if q.descending else ""
        return f" ORDER BY {_SORT_SQL[q.sort]}{direction}, id{direction}"

    def query_ids(self, q: ViewQuery) -> array[int]:
        """The ids of the documents the view shows, in order, as a compact array (8 bytes an id)."""
        where, params = self._where(q)
        sql = "SELECT id FROM documents" + where + self._order(q)
        try:
            cursor = self.conn.execute(sql, params)
            ids = array("q")
            while batch := cursor.fetchmany(10_000):
                ids.extend(r[0] for r in batch)
            return ids
        except sqlite3.OperationalError as exc:
            if "interrupted" in str(exc):
                raise Cancelled("query cancelled") from None
            raise _library_error(self.path, exc) from exc

    def query(self, q: ViewQuery, limit: int | None = None) -> list[Document]:
        ids = self.query_ids(q)
        return self.documents(ids[:limit] if limit is not None else ids)

    def count_matching(self, q: ViewQuery) -> int:
        where, params = self._where(q)
        return int(self.conn.execute("SELECT count(*) FROM documents" + where, params).fetchone()[0])

    def view_counts(self) -> dict[View, int]:
        row = self.conn.execute(
            "SELECT count(*), count(later_position), "
            "sum(status = 'unread'), sum(status = 'reading'), sum(status = 'read'), "
            f"sum({_VIEW_SQL[View.RECENT]}) FROM documents"
        ).fetchone()
        return {view: int(n or 0) for view, n in zip(View, row, strict=True)}

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
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            marks = ",".join("?" * len(chunk))
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
        for start in range(0, len(doc_ids), 500):
            chunk = list(doc_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            found = {r[0] for r in self.conn.execute(f"SELECT id FROM documents WHERE id IN ({marks})", chunk)}
            if missing := [i for i in chunk if i not in found]:
                raise NotFoundError(f"no document with id {missing[0]}")

    def set_title(self, doc_id: int, title: str) -> None:
        title = title.strip()
        if not title:
            raise ValueError("a title cannot be empty")
        self._update_text(doc_id, "title", title)

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
        for start in range(0, len(doc_ids), 500):
            chunk = list(doc_ids[start : start + 500])
            marks = ",".join("?" * len(chunk))
            out.update(self.conn.execute(f"SELECT id, {column} FROM documents WHERE id IN ({marks})", chunk))
        return out

    def _executemany_ids(self, sql: str, doc_ids: Sequence[int], *before: Any) -> None:
        for start in range(0, len(doc_ids), 500):
            chunk = list(doc_ids[start : start + 500])
            self.conn.execute(sql.format(marks=",".join("?" * len(chunk))), (*before, *chunk))

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
            self._executemany_ids(
                "UPDATE documents SET tags_text = coalesce((SELECT group_concat(name, ', ') FROM "
                "(SELECT t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
                "WHERE dt.doc_id = documents.id ORDER BY t.name COLLATE NOCASE)), '') WHERE id IN ({marks})",
                doc_ids,
            )

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

    def rename_tag(self, old: str, new: str) -> None:
        """Rename a tag; if another tag already has the new name, the two are merged."""
        with self._write():
            old_id = self._tag_id(old, create=False)
            if old_id is None:
                raise NotFoundError(f"no tag named {old!r}")
            new = " ".join(new.split())
            target = self._tag_id(new, create=False)
            doc_ids = [r[0] for r in self.conn.execute("SELECT doc_id FROM document_tags WHERE tag_id = ?", (old_id,))]
            if target is None or target == old_id:
                self._tag_id(new, create=False)  # validates the name
                self.conn.execute("UPDATE tags SET name = ? WHERE id = ?", (new, old_id))
            else:
                self.conn.execute(
                    "INSERT OR IGNORE INTO document_tags(doc_id, tag_id) SELECT doc_id, ? FROM document_tags "
                    "WHERE tag_id = ?",
                    (target, old_id),
                )
                self.conn.execute("DELETE FROM document_tags WHERE tag_id = ?", (old_id,))
                self.conn.execute("DELETE FROM tags WHERE id = ?", (old_id,))
            self._refresh_tags_text(doc_ids)

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

    def move_in_later(self, doc_id: int, new_index: int) -> None:
        """Move a queued document to ``new_index`` (0-based) in the queue."""
        with self._write():
            queue = self.later_queue()
            if doc_id not in queue:
                raise NotFoundError(f"document {doc_id} is not in the read-later queue")
            queue.remove(doc_id)
            queue.insert(max(0, min(new_index, len(queue))), doc_id)
            self.conn.executemany(
                "UPDATE documents SET later_position = ? WHERE id = ?", [(n + 1, i) for n, i in enumerate(queue)]
            )

    # --- delete ---------------------------------------------------------------------------------

    def delete(self, doc_ids: Sequence[int]) -> DeletedDocuments:
        """Delete documents; the returned snapshot restores them exactly (undo)."""
        columns = tuple(c.name for c in self.db.table("documents").columns)
        rows: list[tuple[Any, ...]] = []
        tags: list[tuple[int, str]] = []
        with self._write():
            self._require(doc_ids)
            for start in range(0, len(doc_ids), 500):
                chunk = list(doc_ids[start : start + 500])
                marks = ",".join("?" * len(chunk))
                rows += self.conn.execute(f"SELECT {', '.join(columns)} FROM documents WHERE id IN ({marks})", chunk)
                tags += self.conn.execute(
                    "SELECT dt.doc_id, t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
                    f"WHERE dt.doc_id IN ({marks})",
                    chunk,
                )
                self._fts(chunk, "delete")
                self.conn.execute(f"DELETE FROM document_tags WHERE doc_id IN ({marks})", chunk)
                self.conn.execute(f"DELETE FROM documents WHERE id IN ({marks})", chunk)
            self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM document_tags)")
        return DeletedDocuments(tuple(rows), columns, tuple(tags))

    def restore(self, deleted: DeletedDocuments) -> None:
        with self._write():
            marks = ",".join("?" * len(deleted.columns))
            self.conn.executemany(f"INSERT INTO documents({', '.join(deleted.columns)}) VALUES ({marks})", deleted.rows)
            self._fts(list(deleted.doc_ids), "insert")
            by_name: dict[str, list[int]] = {}
            for doc_id, name in deleted.tags:
                by_name.setdefault(name, []).append(doc_id)
            for name, ids in by_name.items():
                self.add_tags(ids, [name])

    # --- maintenance ----------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])


class ImportBatch:
    """Adds or updates documents inside one import transaction and counts what it did."""

    def __init__(self, library: Library, import_id: int) -> None:
        self.library = library
        self.import_id = import_id
        self.new = self.updated = self.unchanged = self.rejected = 0
        self.new_ids: list[int] = []

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
            known = {
                r[0]: r[1:]
                for r in conn.execute(
                    f"SELECT identity, id, price, age_text, published_estimate, trailing_number FROM documents "
                    f"WHERE identity IN ({marks})",
                    [d.identity for d in chunk],
                )
            }
            inserts: list[NewDocument] = []
            updates: list[tuple[Any, ...]] = []
            seen: set[str] = set()
            for d in chunk:
                if d.identity in seen:  # the same document twice in one file counts once
                    self.unchanged += 1
                    continue
                seen.add(d.identity)
                old = known.get(d.identity)
                if old is None:
                    inserts.append(d)
                elif tuple(old[1:]) == (d.price, d.age_text, d.published_estimate, d.trailing_number):
                    self.unchanged += 1
                else:
                    updates.append(
                        (d.price, d.age_text, d.published_estimate, d.trailing_number, d.captured_at, old[0])
                    )
            if updates:
                conn.executemany(
                    "UPDATE documents SET price = ?, age_text = ?, published_estimate = ?, trailing_number = ?, "
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
                        d.trailing_number,
                        now,
                        d.source_file,
                        d.source_line,
                        d.raw_line,
                        self.import_id,
                    )
                    for n, d in enumerate(inserts)
                ]
                conn.executemany(
                    "INSERT INTO documents(id, identity, title, excerpt, price, pages, size_bytes, size_text, "
                    "age_text, published_estimate, captured_at, trailing_number, added_at, source_file, "
                    "source_line, raw_line, import_id) VALUES (" + ",".join("?" * 17) + ")",
                    rows,
                )
                self.library._fts_rows(((r[0], r[2], "", "") for r in rows), "insert")
                self.new += len(rows)
                self.new_ids.extend(r[0] for r in rows)


def _library_error(path: Path, exc: sqlite3.Error) -> LibraryError:
    """Translate SQLite's errors at the boundary into what the user can act on."""
    text = str(exc)
    code = getattr(exc, "sqlite_errorcode", None)
    if "locked" in text or "busy" in text:
        return LibraryError(f"{path}: the library is busy in another program (waited {BUSY_TIMEOUT_MS // 1000} s)")
    if "readonly" in text or "read-only" in text:
        return LibraryError(f"{path}: the library is read-only")
    if "disk is full" in text or code == sqlite3.SQLITE_FULL:
        return LibraryError(f"{path}: the disk is full; nothing was changed")
    if isinstance(exc, sqlite3.DatabaseError) and ("not a database" in text or "malformed" in text):
        return LibraryError(f"{path}: the library file is damaged or not a library ({text})")
    if "unable to open" in text:
        return LibraryError(f"{path}: cannot open the library file")
    return LibraryError(f"{path}: {text}")
