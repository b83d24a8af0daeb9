"""One field list: the document fields are declared once (records.Document and STORED_BESIDE), and the
table, the import's INSERT, the JSON and CSV exports and the load follow. A field is added here the way
a new version would add one, by a declaration and a migration, in subclasses (no module constant is
changed)."""

from __future__ import annotations

import csv
import dataclasses
import io
import json
import sqlite3
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any

from helpers import CAPTURED_AT, DOCUMENTED_KEYS, SAMPLE

from docmanager.importer import documents_from, import_file
from docmanager.library import Library, NewDocument
from docmanager.library.records import STORED_BESIDE, Column, Document, fields_of
from docmanager.library.schema import SCHEMA_VERSION
from docmanager.library.transfer import CSV_COLUMNS, export_csv, export_json, load_export
from docmanager.listing import read_listing


@dataclass(frozen=True, slots=True)
class IsbnDocument(Document):
    """Document with one more field, as a later version would declare it."""

    isbn: Annotated[str | None, Column("TEXT", missing=None)]


@dataclass(slots=True)
class IsbnNewDocument(NewDocument):
    """What an import that reads the new field would make."""

    isbn: str | None = None


class IsbnLibrary(Library):
    DOCUMENT = IsbnDocument
    MIGRATIONS = (*Library.MIGRATIONS, Library.added_column("isbn"))


def _table(conn: sqlite3.Connection) -> dict[str, tuple[Any, ...]]:
    """Table documents as SQLite has it: name → (declared type, not null, default, primary key)."""
    return {r[1]: (r[2], bool(r[3]), r[4], bool(r[5])) for r in conn.execute("PRAGMA table_info(documents)")}


def _declared(document: type[Document]) -> dict[str, tuple[Any, ...]]:
    """Table documents as the declaration has it."""
    return {name: (c.type, c.not_null, c.default, c.primary_key) for name, c in fields_of(document).table().items()}


def _export(lib: Library) -> list[dict[str, Any]]:
    out = io.StringIO()
    export_json(lib, out)
    documents: list[dict[str, Any]] = json.loads(out.getvalue())["documents"]
    return documents


def test_a_new_library_has_the_declared_table(tmp_path: Path) -> None:
    """The history of migrations (version 1's table and what each version changed) makes the table the
    declaration describes: every column's type, NOT NULL, default and key, and import_id's reference."""
    with Library(tmp_path / "lib.sqlite") as lib:
        assert _table(lib.conn) == _declared(Document)
        references = [(r[2], r[3], r[4]) for r in lib.conn.execute("PRAGMA foreign_key_list(documents)")]
        assert references == [("imports", "import_id", "id")]
        assert STORED_BESIDE["import_id"].references == '"imports"("id")'
    assert len(Library.MIGRATIONS) == SCHEMA_VERSION


def test_the_exports_follow_the_declaration(imported: Library) -> None:
    """The JSON's keys are the fields in order with the keys shown beside them (read_later, excerpts);
    the CSV's are those but the list of excerpts. DOCUMENTED_KEYS is the README's independent copy."""
    keys = [key for key, _ in fields_of(Document).json]
    assert keys[: len(DOCUMENTED_KEYS)] == DOCUMENTED_KEYS
    assert keys[len(DOCUMENTED_KEYS) :] == [
        "captured_at",
        "rating",
        "excerpts",
        "title_edited",
        "url",
        "reading_minutes",
    ]
    assert list(CSV_COLUMNS) == [k for k in keys if k != "excerpts"]
    assert list(imported.get(1).as_json()) == keys


def test_a_new_field_is_a_declaration_and_a_migration(tmp_path: Path) -> None:
    # An existing library, written before the field was declared.
    with Library(tmp_path / "old.sqlite") as old:
        assert import_file(old, SAMPLE, captured_at=CAPTURED_AT).new == 10
        old_export = tmp_path / "old.json"
        old_export.write_text(json.dumps({"docmanager_export": 1, "documents": _export(old), "imports": []}))
    assert "isbn" not in old_export.read_text()

    # The table: the migration adds the declared column, last; the table is the declared one.
    with IsbnLibrary(tmp_path / "old.sqlite") as lib:
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION + 1
        assert _table(lib.conn) == _declared(IsbnDocument)
        assert list(_table(lib.conn))[-1] == "isbn"
        assert _table(lib.conn)["isbn"] == ("TEXT", False, None, False)
        lib.conn.execute("UPDATE documents SET isbn = '978-7-111-00000-1' WHERE id = 2")

        # The import: a NewDocument field named as a column is stored in it.
        docs = [IsbnNewDocument(**_fields(d), isbn=f"isbn {n}") for n, d in enumerate(_new_documents())]
        with lib.import_batch(
            path="new.txt", sha256="", encoding="utf-8", captured_at="", total_claimed=None, page_number=None,
            pager_pages=(),
        ) as batch:  # fmt: skip
            batch.add_documents(docs)
        assert batch.new == 10
        stored = dict(lib.conn.execute("SELECT id, isbn FROM documents WHERE id > 10"))
        assert stored == {11 + n: f"isbn {n}" for n in range(10)}

        # The JSON: the new key after the others, read from the table.
        exported = _export(lib)
        assert [d["isbn"] for d in exported] == [None, "978-7-111-00000-1", *[None] * 8, *stored.values()]
        keys = list(exported[0])
        last = fields_of(Document).json[-1][0]
        assert keys[keys.index(last) + 1] == "isbn"  # the fields' keys, then what the export adds
        assert lib.get(2).as_json()["isbn"] == "978-7-111-00000-1"  # reads follow the library's class
        assert [d.as_json()["isbn"] for d in lib.documents([2, 11])] == ["978-7-111-00000-1", "isbn 0"]

        # The CSV: a column of its own, last.
        out = io.StringIO()
        export_csv(lib, out)
        rows = list(csv.reader(io.StringIO(out.getvalue())))
        assert rows[0] == [*CSV_COLUMNS, "isbn"]
        assert [r[-1] for r in rows[1:4]] == ["", "978-7-111-00000-1", ""]

        new_export = tmp_path / "new.json"
        with open(new_export, "w", encoding="utf-8") as fh:
            export_json(lib, fh)

    # The load: the field's values go back into the table; an export from before the field was
    # declared loads with its ``missing`` value.
    with IsbnLibrary(tmp_path / "loaded.sqlite") as loaded:
        assert load_export(loaded, new_export).new == 20
        assert _export(loaded) == exported
        assert dict(loaded.conn.execute("SELECT id, isbn FROM documents WHERE isbn IS NOT NULL")) == {
            2: "978-7-111-00000-1",
            **stored,
        }
    with IsbnLibrary(tmp_path / "from-old.sqlite") as from_old:
        assert load_export(from_old, old_export).new == 10
        assert [d["isbn"] for d in _export(from_old)] == [None] * 10

    # Nothing changed for the library without the field.
    assert len(Library.MIGRATIONS) == SCHEMA_VERSION
    assert "isbn" not in fields_of(Document).table()


def _new_documents() -> list[NewDocument]:
    """The sample's lines as new documents (another file's: they are not the imported ones)."""
    docs = documents_from(read_listing(SAMPLE), CAPTURED_AT)
    return [dataclasses.replace(d, identity=f"other {d.identity}", size_bytes=d.size_bytes + 1) for d in docs]


def _fields(d: NewDocument) -> dict[str, Any]:
    return {f.name: getattr(d, f.name) for f in dataclasses.fields(d)}
