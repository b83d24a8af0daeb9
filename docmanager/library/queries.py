"""Reading the library: documents by id, the views, sorts and filters the table shows, the search
through the index and the scan of the excerpts, and the sidebar's counts."""

from __future__ import annotations

import json
import sqlite3
from array import array
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from enum import StrEnum
from typing import TYPE_CHECKING, Any, Literal

from docmanager.errors import NotFoundError
from docmanager.library.connection import _library_error
from docmanager.library.records import Document, Records, _document, _in_chunks, fields_of
from docmanager.search import ASCII_TERM, Query, exact_fts_match, plain_folded

if TYPE_CHECKING:  # numpy is imported where it is used: the command line rarely needs it
    import numpy as np
    import numpy.typing as npt

    IdArray = npt.NDArray[np.int64]


LATER_LAST = 1 << 62  # sort key of documents not in the read-later queue


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


# --- the search rule ---------------------------------------------------------------------------
# A term matches a document when it occurs in its title, tags, notes or (unless the search leaves
# them out) excerpt: a substring test after NFKC, ignoring the case of ASCII letters, the same in every
# field and for every script (``urve`` finds Curve, ``复制`` finds 写时复制). A term of Chinese letters is
# answered for titles, tags and notes by the index (exactly: see ``exact_fts_match``); any other term
# by LIKE. Every way of searching below (the SQL of ``_where``, the index reads of ``matching_array``,
# the excerpt scan) is built from these few functions, so that they cannot disagree.

TEXT_COLUMNS = ("title", "tags_text", "notes")  # what the index holds; the excerpt is scanned


def _contains(column: str, term: str) -> tuple[str, str]:
    """The condition (and its parameter) that ``column`` contains ``term``, ASCII case folded as
    ``plain_folded`` does. LIKE does that fold itself, and at a million excerpts it ran 10-30% faster
    than instr() and 3.7x faster than instr(lower(excerpt)); but it reads its pattern as a C string,
    so a term holding a NUL character is looked for with instr()."""
    folded = plain_folded(term)
    if "\x00" in folded:
        return f"instr(lower({column}), ?) > 0", folded
    escaped = folded.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"{column} LIKE ? ESCAPE '\\'", f"%{escaped}%"


def _any_contains(columns: Sequence[str], term: str) -> tuple[str, tuple[str, ...]]:
    """The condition that one of ``columns`` contains ``term`` (a short column first: OR stops at the
    first that does), and its parameters."""
    tests = [_contains(column, term) for column in columns]
    return "(" + " OR ".join(c for c, _ in tests) + ")", tuple(p for _, p in tests)


_FTS_SQL = "SELECT rowid AS id FROM doc_fts WHERE doc_fts MATCH ?"


def term_condition(term: str, *, excerpts: bool) -> tuple[str, tuple[str, ...]]:
    """The SQL condition on a documents row that it matches one search term, and its parameters."""
    if match := exact_fts_match(term):
        if not excerpts:
            return f"id IN ({_FTS_SQL})", (match,)
        condition, param = _contains("excerpt", term)
        return f"(id IN ({_FTS_SQL}) OR {condition})", (match, param)
    return _any_contains((*TEXT_COLUMNS, "excerpt") if excerpts else TEXT_COLUMNS, term)


def term_index_sql(term: str) -> tuple[str, tuple[str, ...]]:
    """The query of the documents whose title, tags or notes contain one term (column ``id``).

    A term the word index cannot answer is tested in each column on its own, so that SQLite reads the
    titles and tags from their sort indexes (which hold them) and the notes from their own index, not
    every row of the table (excerpts and raw lines make a row a few kilobytes): 0.2 s at a million
    documents instead of 1.2 s."""
    if match := exact_fts_match(term):
        return _FTS_SQL, (match,)
    parts, params = [], []
    for column in TEXT_COLUMNS:
        condition, param = _contains(column, term)
        notes = "notes != '' AND " if column == "notes" else ""  # the index holds only the notes written
        parts.append(f"SELECT id FROM documents WHERE {notes}{condition}")
        params.append(param)
    return " UNION ".join(parts), tuple(params)


@dataclass(frozen=True, slots=True)
class ExcerptSearch:
    """A search that covers excerpts, as far as the indexes answer it (``Library.excerpt_search``)."""

    allowed: set[int] | None  # what the query's other filters match; None: no other filter
    hits: list[set[int]]  # for each term, the documents the index proves it in (title, tags, notes)
    conditions: list[str]  # for each term, the SQL test a row needs to match it beyond ``hits``
    params: list[tuple[str, ...]]  # and that test's parameters
    known: set[int]  # the matches the index alone proves: every term in the title, tags or notes
    allowed_array: IdArray | None = None  # ``allowed`` as a numpy array

    @classmethod
    def build(cls, allowed: set[int] | None, terms: Sequence[str], hits: list[set[int] | None]) -> ExcerptSearch:
        """``hits``: for each term, what the index found of it, or None for a term the index cannot
        answer exactly (its title, tags and notes are then tested with its excerpt, row by row)."""
        conditions: list[str] = []
        params: list[tuple[str, ...]] = []
        for term, found in zip(terms, hits, strict=True):
            if found is None:
                condition, term_params = _any_contains((*TEXT_COLUMNS, "excerpt"), term)
            else:
                condition, param = _contains("excerpt", term)
                term_params = (param,)
            conditions.append(condition)
            params.append(term_params)
        proven = [found or set() for found in hits]
        known = set.intersection(*proven) if proven else set()
        allowed_array = None
        if allowed is not None:
            import numpy as np

            known &= allowed
            allowed_array = np.fromiter(allowed, dtype=np.int64, count=len(allowed))
        return cls(allowed, proven, conditions, params, known, allowed_array)

    @property
    def flat_params(self) -> tuple[str, ...]:
        return tuple(p for term_params in self.params for p in term_params)

    def confirmed(self, rows: Iterable[Sequence[Any]]) -> Iterator[int]:
        """From rows of (id, term 1 in excerpt, term 2 in excerpt, …): the ids every term matches."""
        allowed = self.allowed
        for doc_id, *flags in rows:
            if allowed is not None and doc_id not in allowed:
                continue
            if all(flag or doc_id in hits for flag, hits in zip(flags, self.hits, strict=True)):
                yield doc_id


# A tag filter selects the documents carrying the tag or a tag nested under it (``存储`` takes in
# ``存储/分布式``); ``tag:=存储`` in a search takes the tag alone. A document carrying two of them is
# selected twice: ``id IN (…)`` does not mind, and ``matching_array`` makes its ids unique.
_TAG_IDS_SQL = (
    "SELECT dt.doc_id AS id FROM document_tags dt JOIN tags t ON t.id = dt.tag_id WHERE t.name = ? COLLATE NOCASE"
)
_TAG_TREE_SQL = (
    "SELECT dt.doc_id AS id FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
    "WHERE t.name = ? COLLATE NOCASE OR t.name LIKE ? ESCAPE '\\'"
)


def _like_prefix(prefix: str) -> str:
    """The LIKE pattern (with ESCAPE '\\') of the texts that start with ``prefix``, ASCII case folded."""
    return prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _tree(name: str) -> tuple[str, tuple[str, ...]]:
    return _TAG_TREE_SQL, (name, _like_prefix(name + "/"))


def _tag_filters(q: ViewQuery) -> list[tuple[str, tuple[str, ...]]]:
    """The queries of document ids a view's tags require, each selecting every id once: one per tag
    (all required), or one for the union of its tags (``tag_mode="any"``). ``_where`` and
    ``matching_array`` both filter by these, so that a tag filter means one thing in both."""
    filters = [_tree(name) for name in q.search.tags]
    filters += [(_TAG_IDS_SQL, (name,)) for name in q.search.exact_tags]
    if q.tag_mode == "any" and len(q.tags) > 1:
        marks = " OR ".join(["t.name = ? COLLATE NOCASE OR t.name LIKE ? ESCAPE '\\'"] * len(q.tags))
        union = "SELECT DISTINCT dt.doc_id AS id FROM document_tags dt JOIN tags t ON t.id = dt.tag_id WHERE "
        filters.append((union + f"({marks})", tuple(p for name in q.tags for p in _tree(name)[1])))
    else:
        filters.extend(_tree(name) for name in q.tags)
    return filters


class Reading(Records):
    """The library's reads: documents, views and searches, counts."""

    def count(self) -> int:
        return int(self.conn.execute("SELECT count(*) FROM documents").fetchone()[0])

    def get(self, doc_id: int) -> Document:
        row = self.conn.execute(fields_of(self.DOCUMENT).select + " WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        return _document(row, self.DOCUMENT)

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
        spec = fields_of(self.DOCUMENT)
        select = spec.select if texts else spec.select_rows
        found: dict[int, Document] = {}
        for chunk, marks in _in_chunks(ids):
            for row in self.conn.execute(select + f" WHERE id IN ({marks})", chunk):
                found[row[0]] = _document(row, self.DOCUMENT)
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
            condition, term_params = term_condition(term, excerpts=q.search_excerpts)
            clauses.append(condition)
            params.extend(term_params)
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
        # Through _id_array: SQLite builds the string in one step, without the GIL, where reading a
        # million rows one by one took 540 ms of a thread holding it (150 ms this way), and the
        # window's paints waited for it. The concatenation keeps the subquery's order: SQLite does not
        # flatten a subquery with ORDER BY into an aggregate, it feeds its rows in order.
        try:
            parsed = self._id_array(sql, params)  # its string is freed before the copy below
        except sqlite3.OperationalError as exc:  # an interrupt is already Cancelled (see _Cursor)
            raise _library_error(self.path, exc) from exc
        ids = array("q")
        ids.frombytes(memoryview(parsed).cast("B"))
        return ids

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

    # A term of ASCII letters and digits that more words contain is looked for with LIKE instead: the
    # index's OR of many words costs ~0.2 ms a word (at 100,000 documents, ``e`` in 1,112 words took
    # 205 ms through the index and 59 ms with LIKE; ``kube`` in 4 words, 1 ms and 21 ms).
    WORD_HITS_MAX_WORDS = 200

    def index_hits(self, term: str) -> IdArray | None:
        """The documents whose title, tags or notes contain ``term`` by the search rule, answered by the
        index (sorted, each once): a term of Chinese letters by the phrase of its bigrams, a term of
        ASCII letters and digits through the index's words that contain it. None when the index cannot
        answer the term exactly: LIKE then tests it in the rows."""
        if match := exact_fts_match(term):
            return self._id_array(_FTS_SQL, (match,))
        folded = plain_folded(term)
        if not ASCII_TERM.fullmatch(folded) or not self._words_kept():
            return None
        return self._word_hits(term, folded)

    def _word_hits(self, term: str, folded: str) -> IdArray | None:
        import numpy as np

        pattern = f"%{folded}%"  # letters and digits: nothing in it is special to LIKE
        rows = self.conn.execute(
            "SELECT word, plain, skeleton FROM index_words WHERE word LIKE ?1 OR skeleton LIKE ?1", (pattern,)
        ).fetchmany(self.WORD_HITS_MAX_WORDS + 1)
        if len(rows) > self.WORD_HITS_MAX_WORDS:
            return None
        plain = [word for word, is_plain, skeleton in rows if is_plain and skeleton is None]
        # Another word may be indexed as one of these (``café`` as ``cafe``): its skeleton is that word.
        folded_into = {
            r[0]
            for r in self.conn.execute(
                "SELECT DISTINCT skeleton FROM index_words WHERE skeleton IN (SELECT value FROM json_each(?))",
                (json.dumps(plain),),
            )
        }
        exact = [word for word in plain if word not in folded_into]
        sure = set(exact)
        unsure = [word for word, *_ in rows if word not in sure]
        found = self._words_documents(exact)
        if unsure:  # the documents found through the other words are confirmed in their rows
            maybe = np.setdiff1d(self._words_documents(unsure), found, assume_unique=True)
            condition, params = _any_contains(TEXT_COLUMNS, term)
            confirmed = [
                self._id_array(f"SELECT id FROM documents WHERE id IN ({marks}) AND {condition}", (*chunk, *params))
                for chunk, marks in _in_chunks(maybe.tolist())
            ]
            found = np.union1d(found, np.concatenate([found[:0], *confirmed]))
        return found

    def _words_documents(self, words: list[str]) -> IdArray:
        """The documents that hold one of these words of the index (sorted, each once)."""
        import numpy as np

        if not words:
            return np.empty(0, dtype=np.int64)
        match = "terms : (" + " OR ".join('"' + word + '"' for word in words) + ")"
        return np.unique(self._id_array(_FTS_SQL, (match,)))

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
                narrow(f"SELECT DISTINCT id FROM ({sql})", tag_params)
            if s.later is not None:
                later = f"{_SORT_SQL[Sort.LATER]} {'<' if s.later else '='} {LATER_LAST}"
                narrow("SELECT id FROM documents WHERE " + later)
            if s.status:
                narrow("SELECT id FROM documents WHERE status = ?", (s.status,))
            for cmp in s.comparisons:
                narrow(f"SELECT id FROM documents WHERE {cmp.column} {cmp.op} ?", (cmp.value,))
            for term in s.terms:
                hits = self.index_hits(term)
                if hits is None:
                    narrow(*term_index_sql(term))
                else:
                    found = hits if found is None else np.intersect1d(found, hits, assume_unique=True)
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

    # --- searching the excerpts -----------------------------------------------------------------
    # Excerpts have no index (see _migrate_v3): a search that covers them reads them. A window asks
    # for the matches among the first documents of its order (excerpt_matches) to show at once, then
    # scans the rest in ranges of ids (scan_excerpts) that it can stop between.

    def excerpt_search(self, q: ViewQuery) -> ExcerptSearch:
        """What the indexes know of a search that covers excerpts; the scans complete it."""
        without = replace(q, search=replace(q.search, terms=()))
        has_filters = q.view is not View.ALL or q.tags or not without.search.is_empty
        allowed = self.matching_ids(without) if has_filters else None
        try:  # what the index answers exactly; the other terms are tested in the rows
            hits = [
                None if (found := self.index_hits(term)) is None else set(found.tolist()) for term in q.search.terms
            ]
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
                    f"SELECT id, {flags} FROM documents WHERE id IN ({marks})", (*search.flat_params, *chunk)
                )
                found.update(search.confirmed(rows))
        except sqlite3.OperationalError as exc:
            raise _library_error(self.path, exc) from exc
        return [i for i in candidates if i in known or i in found]

    def scan_excerpts(self, search: ExcerptSearch, first_id: int, last_id: int) -> IdArray:
        """The matches with ids from first_id to last_id that an excerpt decides (add ``search.known``)."""
        import numpy as np

        try:
            if len(search.conditions) == 1:  # the usual search: SQLite alone decides, no row reaches Python
                found = self._id_array(
                    f"SELECT id FROM documents WHERE id BETWEEN ? AND ? AND {search.conditions[0]}",
                    (first_id, last_id, *search.params[0]),
                )
                if search.allowed_array is not None:
                    found = found[np.isin(found, search.allowed_array)]
                return found
            flags = ", ".join(search.conditions)
            some = " OR ".join(search.conditions)
            rows = self.conn.execute(
                f"SELECT id, {flags} FROM documents WHERE id BETWEEN ? AND ? AND ({some})",
                (*search.flat_params, first_id, last_id, *search.flat_params),
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
        """The sidebar's counts, each answered from an index (one scan of the table took 1.2 s at 1M).
        Unread is the rest: every write checks a status against STATUSES, so the documents that are
        neither read nor reading are unread, and the largest view is never walked (a GROUP BY over
        the status index took 55 ms at 1M, the two smaller ranges 15 ms)."""
        one = self.conn.execute

        def count(where: str) -> int:
            return int(one(f"SELECT count(*) FROM documents WHERE {where}").fetchone()[0])

        total = int(one("SELECT count(*) FROM documents").fetchone()[0])
        reading, read = count(_VIEW_SQL[View.READING]), count(_VIEW_SQL[View.READ])
        return {
            View.ALL: total,
            View.LATER: count(f"{_SORT_SQL[Sort.LATER]} < {LATER_LAST}"),
            View.UNREAD: total - reading - read,
            View.READING: reading,
            View.READ: read,
            View.RECENT: count(_VIEW_SQL[View.RECENT]),
        }

    def tag_counts(self) -> list[tuple[str, int]]:
        """Every tag with the number of documents carrying it, by name (the counts triggers keep)."""
        # fetchall, not a loop over the cursor: one call for 10,000 tags where a row at a time cost 20 ms
        rows: list[tuple[str, int]] = self.conn.execute(
            "SELECT name, doc_count FROM tags ORDER BY name COLLATE NOCASE"
        ).fetchall()
        return rows

    def tag_names(self) -> list[str]:
        return [name for name, _ in self.tag_counts()]

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

    def has_documents(self) -> bool:
        return bool(self.conn.execute("SELECT EXISTS (SELECT 1 FROM documents)").fetchone()[0])
