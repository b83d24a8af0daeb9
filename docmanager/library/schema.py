"""The library's schema: the tables and indexes of a new library, and the migrations that bring an
older library forward, one transaction each, after a backup."""

from __future__ import annotations

from collections.abc import Callable

from docmanager.errors import LibraryError
from docmanager.identity import body_of, same_document
from docmanager.library.queries import _SORT_SQL, _SORT_SQL_DESC, Sort
from docmanager.library.records import _TAGS_TEXT_SQL, Records, fields_of, unpack_raw
from docmanager.search import STATUSES, fold, index_words

SCHEMA_VERSION = 11
PAGE_SIZE = 16384
APPLICATION_ID = 0x444D4752  # "DMGR": marks a SQLite file as a DocManager library

TOKENIZER = "unicode61 remove_diacritics 2"  # the search index's (see docmanager.search)
_SCHEMA_FTS = f"CREATE VIRTUAL TABLE doc_fts USING fts5(terms, uni, content='', tokenize='{TOKENIZER}')"


class Schema(Records):
    """Creating and migrating the schema. Before a migration the library is backed up through
    ``_backup_before_migration``, which ``Library`` provides (this module cannot import backups: they
    import the library)."""

    def _backup_before_migration(self) -> None:
        raise NotImplementedError

    def _has_tables(self) -> bool:
        return bool(self.conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0])

    def _user_version(self) -> int:
        return int(self.conn.execute("PRAGMA user_version").fetchone()[0])

    # The schema's migrations: MIGRATIONS[n - 1] takes a library from version n - 1 to n.
    MIGRATIONS: tuple[Callable[[Schema], None], ...] = ()

    @staticmethod
    def added_column(name: str) -> Callable[[Schema], None]:
        """The migration that adds a newly declared column (a field of ``DOCUMENT`` or a column of
        STORED_BESIDE) to table documents, as its declaration says."""

        def add(self: Schema) -> None:
            # Like the other migrations, a second run changes nothing (a library whose version was set
            # back, as the tests of older versions do, runs the later migrations again).
            if name in self._document_columns():
                return
            column = fields_of(self.DOCUMENT).table()[name]
            self.conn.execute(f"ALTER TABLE documents ADD COLUMN {column.sql(name)}")

        return add

    @classmethod
    def newest_version(cls) -> int:
        """The schema version this class migrates libraries to: SCHEMA_VERSION, or another in a subclass
        with more migrations (a new field) or fewer (a test building an old library)."""
        return len(cls.MIGRATIONS)

    def _migrate(self) -> None:
        latest = self.newest_version()
        version = self._user_version()
        if version >= latest:
            return
        with self._locked():
            version = self._user_version()  # another program may have migrated it meanwhile
            if 0 < version < latest:
                # A brand-new library (version 0) has nothing to lose; any other gets a copy first.
                self._backup_before_migration()
            for target in range(version + 1, latest + 1):
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

    def _migrate_v7(self) -> None:
        """Version 7: an index of the notes a user wrote (most documents have none, so it is small).
        A search term the word index cannot answer exactly (anything but Chinese letters) is looked
        for as a substring in the titles, tags and notes: titles and tags through the covering sort
        indexes, notes through this one, instead of a read of every row (1.2 s at a million)."""
        self.conn.execute("CREATE INDEX IF NOT EXISTS documents_notes ON documents(notes) WHERE notes != ''")

    def _migrate_v8(self) -> None:
        """Version 8: the words the index holds (see docmanager.search, "the index's words"), so that a
        term of Latin letters inside a word (``urve`` in Curve) is answered from the index instead of
        a read of every title, tag and note; raw lines compressed with a dictionary (see
        ``pack_raw``), which versions before it cannot read; and each tag's count of documents, kept by
        triggers on its links, so that the sidebar reads 10,000 tags' counts without counting a
        million documents' links."""
        if "doc_count" not in {r[1] for r in self.conn.execute("PRAGMA table_info(tags)")}:
            self.conn.execute("ALTER TABLE tags ADD COLUMN doc_count INTEGER NOT NULL DEFAULT 0")
        self.conn.execute("UPDATE tags SET doc_count = (SELECT count(*) FROM document_tags WHERE tag_id = tags.id)")
        self.conn.execute(
            "CREATE TRIGGER IF NOT EXISTS tag_link_added AFTER INSERT ON document_tags "
            "BEGIN UPDATE tags SET doc_count = doc_count + 1 WHERE id = NEW.tag_id; END"
        )
        self.conn.execute(
            "CREATE TRIGGER IF NOT EXISTS tag_link_removed AFTER DELETE ON document_tags "
            "BEGIN UPDATE tags SET doc_count = doc_count - 1 WHERE id = OLD.tag_id; END"
        )
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS index_words (word TEXT PRIMARY KEY, plain INTEGER NOT NULL, skeleton TEXT) "
            "WITHOUT ROWID"
        )
        self.conn.execute(
            "CREATE INDEX IF NOT EXISTS index_words_skeleton ON index_words(skeleton) WHERE skeleton IS NOT NULL"
        )
        self._has_words = True
        rows = self.conn.execute("SELECT title, tags_text, notes FROM documents")
        while batch := rows.fetchmany(20_000):
            words: dict[str, bool] = {}
            for texts in batch:
                for word, plain in index_words(*texts).items():
                    words[word] = words.get(word, True) and plain
            self._add_words(words)

    def _migrate_v9(self) -> None:
        """Version 9: saved searches (docmanager.library.saved), kept in the library rather than in the
        window's settings so that the command line, exports and backups have them. A name is unique
        whatever its case; the query is versioned JSON text holding the search as typed."""
        self.conn.execute(
            "CREATE TABLE IF NOT EXISTS saved_searches "
            "(id INTEGER PRIMARY KEY, name TEXT NOT NULL, query TEXT NOT NULL)"
        )
        self.conn.execute(
            "CREATE UNIQUE INDEX IF NOT EXISTS saved_searches_name ON saved_searches(name COLLATE NOCASE)"
        )

    def _migrate_v11(self) -> None:
        """Version 11: the index that finds a new line's candidates (the documents of its size and
        pages, see imports._Candidates) also holds their titles, which decide most comparisons: the
        lookup no longer reads each candidate's row. Into a library of a million documents an import
        of 100,000 lines read ~10 candidates per line, and those reads were a quarter of its time.
        Built in ~1.5 s at a million documents."""
        conn = self.conn
        columns = [r[2] for r in conn.execute("PRAGMA index_info(documents_size_pages)")]
        if columns != ["size_bytes", "pages", "title_edited", "title"]:
            conn.execute("DROP INDEX IF EXISTS documents_size_pages")
            conn.execute("CREATE INDEX documents_size_pages ON documents(size_bytes, pages, title_edited, title)")

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

    def _document_columns(self) -> dict[str, tuple[str, int]]:
        """The documents table's columns: name → (declared type, not null)."""
        return {r[1]: (r[2], r[3]) for r in self.conn.execute("PRAGMA table_info(documents)")}

    def _create_v1(self) -> None:
        """Version 1's tables, as version 1 made them: a new library is made by this and every migration
        after it. This is history, so it does not follow the declarations in records.py (Document,
        STORED_BESIDE): version 4 renames trailing_number and version 5 adds columns, and a field
        declared later gets its column from a migration (``added_column``). tests/test_fields.py checks
        that the result is the declared table."""
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


Schema.MIGRATIONS = (
    Schema._create_v1,
    Schema._migrate_v2,
    Schema._migrate_v3,
    Schema._migrate_v4,
    Schema._migrate_v5,
    Schema._migrate_v6,
    Schema._migrate_v7,
    Schema._migrate_v8,
    Schema._migrate_v9,
    # Version 10: the user's reading time of a document (Document.reading_minutes), for the reading budget.
    Schema.added_column("reading_minutes"),
    Schema._migrate_v11,
)
