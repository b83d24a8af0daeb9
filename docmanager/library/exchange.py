"""Export and load, the library's side: every document with what is kept beside it, read in
chunks inside one snapshot, and an export loaded back in one transaction."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from docmanager.errors import InvalidInput
from docmanager.library.edits import Edits
from docmanager.library.imports import Imports
from docmanager.library.records import (
    _TAGS_TEXT_SQL,
    Document,
    ImportRecord,
    RejectedLine,
    _document,
    _in_chunks,
    fields_of,
    pack_raw,
    unpack_raw,
)
from docmanager.library.saved import SavedSearch, encode_query
from docmanager.search import STATUSES


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
    saved: int = 0  # saved searches added, or given the export's query


class Exchange(Edits, Imports):
    """What an export reads and a load writes."""

    def saved_documents(self, chunk: int = 500) -> Iterator[SavedDocument]:
        """Every document with what the store keeps beside it, by id, read ``chunk`` at a time.

        Use inside snapshot() for a consistent whole.
        """
        last = 0
        select = fields_of(self.DOCUMENT).select
        while True:
            rows = self.conn.execute(
                select.replace(" FROM documents", ", identity, import_id, title_exact FROM documents")
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
                doc = _document(row[:-3], self.DOCUMENT)
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

    def load(
        self, documents: Iterable[SavedDocument], imports: Sequence[SavedImport], searches: Sequence[SavedSearch] = ()
    ) -> LoadResult:
        """Load exported documents, imports and saved searches, in one transaction.

        A document already in the library (the same identity key as the importer's) gets the
        exported user fields (title, notes, status, tags, read-later); a new one is added whole.
        Into an empty library the ids and queue positions are kept, so an export of the result is
        the export loaded; otherwise new ids are given and queued documents join the end of the queue.
        A saved search of a name already here gets the exported query, like a document its user fields.
        """
        new = updated = unchanged = 0
        with self._write():
            has_imports = self.conn.execute("SELECT EXISTS (SELECT 1 FROM imports)").fetchone()[0]
            empty = not self.has_documents() and not has_imports
            import_ids, added_imports = self._load_imports(imports, keep_ids=empty)
            queue_end = int(self.conn.execute("SELECT coalesce(max(later_position), 0) FROM documents").fetchone()[0])
            next_id = int(self.conn.execute("SELECT coalesce(max(id), 0) + 1 FROM documents").fetchone()[0])
            queued: list[tuple[int, int]] = []  # (exported position, id) of documents to queue at the end
            columns = fields_of(self.DOCUMENT).columns
            every = fields_of(self.DOCUMENT).table()  # the document's fields and what is kept beside them
            insert = f"INSERT INTO documents({', '.join(every)}) VALUES ({', '.join(':' + c for c in every)})"
            batch: list[SavedDocument] = []

            def flush() -> None:
                nonlocal new, updated, unchanged, next_id
                known = self._identities([s.identity for s in batch])
                touched: list[int] = []
                seen: set[str] = set()
                for saved in batch:
                    if saved.identity in seen:
                        raise InvalidInput(f"document {saved.document.id} appears twice (same identity)")
                    seen.add(saved.identity)
                    doc = saved.document
                    old = known.get(saved.identity)
                    if old is None:
                        doc_id = doc.id if empty else next_id
                        next_id = max(next_id, doc_id) + 1
                        position = doc.later_position if empty else None
                        if doc.later_position is not None and not empty:
                            queued.append((doc.later_position, doc_id))
                        stored = {name: getattr(doc, name) for name in columns}
                        stored["raw_line"] = pack_raw(doc.raw_line)
                        self.conn.execute(
                            insert,
                            {
                                **stored,
                                "id": doc_id,
                                "later_position": position,
                                "identity": saved.identity,
                                "import_id": import_ids.get(saved.import_id) if saved.import_id is not None else None,
                                "tags_text": "",  # the tags are added below
                                "title_exact": saved.title_exact,
                            },
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
                    raise InvalidInput(f"document {saved.document.id}: status must be one of {', '.join(STATUSES)}")
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
            loaded = self._load_saved(searches)
        return LoadResult(new=new, updated=updated, unchanged=unchanged, imports=added_imports, saved=loaded)

    def _load_saved(self, searches: Sequence[SavedSearch]) -> int:
        """Add the saved searches, or give those of the same name (case ignored) the exported query;
        returns how many were added or changed."""
        changed = 0
        for search in searches:
            stored = encode_query(search.text, search.query)
            row = self.conn.execute(
                "SELECT id, query FROM saved_searches WHERE name = ? COLLATE NOCASE", (search.name,)
            ).fetchone()
            if row is None:
                self.conn.execute("INSERT INTO saved_searches(name, query) VALUES (?, ?)", (search.name, stored))
            elif row[1] != stored:
                self.conn.execute("UPDATE saved_searches SET query = ? WHERE id = ?", (stored, row[0]))
            else:
                continue
            changed += 1
        return changed

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
