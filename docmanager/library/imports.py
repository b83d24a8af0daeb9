"""Import batches: one file's import as one transaction, the documents it adds or finds again,
and the import records and rejected lines it leaves."""

from __future__ import annotations

import dataclasses
import json
import operator
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from dataclasses import dataclass, fields
from datetime import date
from typing import Any

from docmanager.errors import NotFoundError
from docmanager.identity import MIN_TITLE_KEY, body_of, keyed, match_key, same_by_titles, same_keys
from docmanager.library.changes import NO_CHANGES, Changes
from docmanager.library.records import (
    Document,
    ImportRecord,
    NewDocument,
    Records,
    RejectedLine,
    _in_chunks,
    fields_of,
    pack_raw,
    unpack_raw,
    utc_now,
)
from docmanager.listing_fields import age_precision
from docmanager.search import index_terms, title_words

IMPORT_CACHE_KIB = -65536  # PRAGMA cache_size while importing (negative: KiB), see import_batch


class Imports(Records):
    """The library's side of an import: the batch transaction and the records it leaves."""

    # Whether a new line may be found to be another listing of a document already here (see _Candidates);
    # False imports as version 4 did, each distinct body its own row (tests of the migration build on it).
    MERGES_LISTINGS = True

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
        """One file's import as one transaction: all of it or none of it. Once it is done, the batch's
        ``changes`` say what it changed (see _RefreshWatch)."""
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
            batch = ImportBatch(self, int(import_id or 0), merges_listings=self.MERGES_LISTINGS)
            with _RefreshWatch(self.conn, fields_of(self.DOCUMENT).columns) as refreshed:
                yield batch
                batch.changes = refreshed.changes(batch.new_ids)
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


class ImportBatch:
    """Adds or updates documents inside one import transaction and counts what it did."""

    def __init__(self, library: Records, import_id: int, *, merges_listings: bool = True) -> None:
        """``merges_listings``: see Imports.MERGES_LISTINGS."""
        self.library = library
        self.import_id = import_id
        self.merges_listings = merges_listings
        self.new = self.updated = self.unchanged = self.rejected = self.repeated = 0
        self.new_ids: list[int] = []
        self.merged_ids: list[int] = []  # documents already here that this import listed again
        self._plain_words: set[str] = set()  # the index's words this import has recorded as plain
        self.changes: Changes[None] = NO_CHANGES  # what the import changed, set when it is done

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
                    if self.merges_listings and (same := others.find(d)) is not None:
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
                sql, values = new_document_insert(type(inserts[0]), self.library.DOCUMENT)
                # Tuples joined: 0.09 s for 100,000 rows, where (first + n, *values(d), …) took 0.15 s.
                rows = [
                    (first + n,)  # noqa: RUF005
                    + values(d)
                    + (pack_raw(d.raw_line) if d.packed_raw is None else d.packed_raw, now, self.import_id)
                    for n, d in enumerate(inserts)
                ]
                conn.executemany(sql, rows)
                terms = [index_terms(d.title, "", "") if d.title_terms is None else d.title_terms for d in inserts]
                conn.executemany(
                    "INSERT INTO doc_fts(rowid, terms, uni) VALUES (?, ?, ?)",
                    ((r[0], *t) for r, t in zip(rows, terms, strict=True)),
                )
                self._add_words([d.title for d in inserts], [t[0] for t in terms])
                self.new += len(rows)
                self.new_ids.extend(r[0] for r in rows)
                inserted = {id(d): r[0] for r, d in zip(rows, inserts, strict=True)}
            else:
                inserted = {}
            for d, same in merges:
                self._add_listing(d, same if isinstance(same, int) else inserted[id(same)])

    def _add_words(self, titles: list[str], terms: list[str]) -> None:
        """Record the index's words of new titles; a word this import has already recorded as plain is
        not written again (an import's titles share most of their words)."""
        words = {
            word: plain
            for word, plain in title_words(titles, terms).items()
            if not (plain and word in self._plain_words)
        }
        self.library._add_words(words)
        self._plain_words.update(word for word, plain in words.items() if plain)

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


class _RefreshWatch:
    """Which fields of which documents an import changed, recorded by SQLite as the import writes: a
    temporary trigger notes every update of a document that changed one of its fields, with a bit per
    field. The import's own code stays as it is (a known document may be refreshed by four paths, and
    a field written may keep its value), no row is read again to compare, and inserts, most of a big
    import, do not fire it. An update it fires for costs ~5 µs more (30,000 refreshed in 0.37 s instead
    of 0.23; the whole re-import of them takes ~6 s). Every field is watched: comparing the ones an
    import never writes costs no more than the trigger itself. Dropped when the import ends, so that
    no later write pays for it."""

    TABLE, TRIGGER = "import_refreshed", "import_refreshes"  # in schema temp (the trigger's body names no schema)

    def __init__(self, conn: sqlite3.Connection, columns: Sequence[str]) -> None:
        self.conn = conn
        self.columns = [c for c in columns if c != "id"]

    def __enter__(self) -> _RefreshWatch:
        conn = self.conn
        conn.execute(f"CREATE TEMP TABLE IF NOT EXISTS {self.TABLE}(id INTEGER, fields INTEGER)")
        conn.execute(f"DELETE FROM temp.{self.TABLE}")
        bits = " | ".join(f'((OLD."{c}" IS NOT NEW."{c}") << {n})' for n, c in enumerate(self.columns))
        names = ", ".join(f'"{c}"' for c in self.columns)
        conn.execute(f"DROP TRIGGER IF EXISTS temp.{self.TRIGGER}")
        conn.execute(
            f"CREATE TEMP TRIGGER {self.TRIGGER} AFTER UPDATE OF {names} ON main.documents BEGIN "
            f"INSERT INTO {self.TABLE} SELECT NEW.id, f FROM (SELECT {bits} AS f) WHERE f; END"
        )
        return self

    def __exit__(self, *_: object) -> None:
        with suppress(sqlite3.Error):  # after an error the transaction is rolled back, and the trigger with it
            self.conn.execute(f"DROP TRIGGER IF EXISTS temp.{self.TRIGGER}")
            self.conn.execute(f"DELETE FROM temp.{self.TABLE}")

    def changes(self, new_ids: Iterable[int]) -> Changes[None]:
        """The documents added, and those already here whose fields changed (which fields). The new ones
        are only added, whatever a later line of the file refreshed of them. No tags: an import never
        touches them."""
        added = frozenset(new_ids)
        ids: set[int] = set()
        bits = 0
        for doc_id, changed in self.conn.execute(f"SELECT id, fields FROM temp.{self.TABLE}"):
            if doc_id not in added:
                ids.add(doc_id)
                bits |= changed
        names = frozenset(c for n, c in enumerate(self.columns) if bits >> n & 1)
        return Changes(frozenset(ids), names if ids else frozenset(), added=added)


_SET_BY_BATCH = ("id", "raw_line", "added_at", "import_id")  # the raw line packed unless it came packed
_INSERTS: dict[tuple[type[NewDocument], type[Document]], tuple[str, Callable[[NewDocument], tuple[Any, ...]]]] = {}


def new_document_insert(
    new: type[NewDocument], document: type[Document]
) -> tuple[str, Callable[[NewDocument], tuple[Any, ...]]]:
    """How add_documents stores a new document: the INSERT, and the values of a NewDocument for it
    before the raw line, added date and import. A field of the NewDocument named as a column of
    table documents (a field of ``document`` or one kept beside them) is stored in it; the user's
    fields (tags, notes, status, queue) take their columns' defaults."""
    if (key := (new, document)) not in _INSERTS:
        table = fields_of(document).table()
        names = [f.name for f in dataclasses.fields(new) if f.name in table and f.name not in _SET_BY_BATCH]
        columns = [_SET_BY_BATCH[0], *names, *_SET_BY_BATCH[1:]]
        sql = f"INSERT INTO documents({', '.join(columns)}) VALUES ({','.join('?' * len(columns))})"
        _INSERTS[key] = sql, operator.attrgetter(*names)  # more than one name: a tuple
    return _INSERTS[key]


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


@dataclass(slots=True)
class _Candidate:
    """A document a line may be another listing of: its title, and the head of its body once it is
    needed (see _Candidates.find). ``titled``: the body starts with the title (not so for a title the
    user typed: then the body's own split stands in for it, and the body is always at hand)."""

    target: int | NewDocument
    title: str
    body: str | None = None
    titled: bool = True
    title_key: str | None = None  # match_key(title), once computed
    match_keys: tuple[str, int] | None = None  # keyed(body, title), once computed


class _Candidates:
    """The documents a new listing line may be another listing of: those with its size and pages, in
    the library or added earlier in the same chunk; see docmanager.identity.

    Two bodies are one document when their common start (in match keys) covers a title found for
    one of them of at least MIN_TITLE_KEY key characters. When both titles are that long and each
    is where its body starts, that is decided by the titles alone: the shorter one's length must be
    common to both. So a candidate's excerpt is read only when its title is shorter than that (or
    the new line's is): at a million documents, each chunk meets thousands of candidates of the same
    size and pages, nearly all of another title, and reading and folding their excerpts took a third
    of the importing process's time there."""

    HEAD = 300  # a title ends well before this many characters of a body

    def __init__(self, conn: sqlite3.Connection, keys: set[tuple[int, int | None]]) -> None:
        self.conn = conn
        # (size, pages) -> the candidates of that size and pages.
        self.by_key: dict[tuple[int, int | None], list[_Candidate]] = {}
        self._last: tuple[NewDocument, str] | None = None
        if not keys:
            return
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS listing_keys(size_bytes INTEGER, pages INTEGER)")
        conn.execute("DELETE FROM temp.listing_keys")
        conn.executemany("INSERT INTO temp.listing_keys VALUES (?, ?)", keys)
        # Through the size index, then the pages: only documents of both come back.
        rows = conn.execute(
            "SELECT d.id, d.size_bytes, d.pages, d.title, d.title_edited, "
            "CASE WHEN d.title_edited THEN d.raw_line END FROM temp.listing_keys k "
            "JOIN documents d ON d.size_bytes = k.size_bytes AND d.pages IS k.pages"
        ).fetchall()
        for doc_id, size, pages, stored_title, title_edited, raw in rows:
            if title_edited:
                # The title the user typed is not where the body starts; the body's own split (without
                # its file's context) stands in for the title found when it was imported.
                from docmanager.splitter import split_body  # here: the window starts without the splitter

                body = body_of(unpack_raw(raw))
                candidate = _Candidate(doc_id, split_body(body).title, body[: self.HEAD], titled=False)
            else:
                candidate = _Candidate(doc_id, stored_title)
            self.by_key.setdefault((size, pages), []).append(candidate)

    def find(self, d: NewDocument) -> int | NewDocument | None:
        """The document ``d`` is another listing of, or None; then ``add(d)`` makes it a candidate."""
        candidates = self.by_key.get((d.size_bytes, d.pages))
        self._last = None
        if not candidates:
            return None
        own = match_key(d.title)  # d's title starts d's body
        self._last = d, own
        mine: tuple[str, int] | None = None  # d's keyed(), only if a candidate needs it
        for candidate in candidates:
            # A body is compared by its first HEAD characters: only a title within them is its start.
            if candidate.titled and len(own) >= MIN_TITLE_KEY and len(candidate.title) < self.HEAD:
                if candidate.title_key is None:
                    candidate.title_key = match_key(candidate.title)
                decided = same_by_titles(own, candidate.title_key)
                if decided is not None:
                    if decided:
                        return candidate.target
                    continue
            if mine is None:
                mine = keyed(self._body(d), d.title)
            if same_keys(*mine, *self._keys(candidate)):
                return candidate.target
        return None

    def add(self, d: NewDocument) -> None:
        # The title key find() computed for d, if it was the line just looked for.
        title_key = self._last[1] if self._last is not None and self._last[0] is d else None
        self.by_key.setdefault((d.size_bytes, d.pages), []).append(_Candidate(d, d.title, title_key=title_key))

    def _body(self, d: NewDocument) -> str:
        return f"{d.title} {d.excerpt[: self.HEAD]}"

    def _keys(self, candidate: _Candidate) -> tuple[str, int]:
        """The candidate's keyed(): its body read (from the library, or from the line added earlier)
        the first time it is needed."""
        if candidate.match_keys is None:
            if candidate.body is None:
                target = candidate.target
                if isinstance(target, int):
                    row = self.conn.execute(
                        f"SELECT substr(excerpt, 1, {self.HEAD}) FROM documents WHERE id = ?", (target,)
                    ).fetchone()
                    candidate.body = f"{candidate.title} {row[0] if row else ''}"[: self.HEAD]
                else:
                    candidate.body = self._body(target)
            candidate.match_keys = keyed(candidate.body, candidate.title)
        return candidate.match_keys
