"""How documents are stored: compressed raw lines, 16 KB pages, the excerpt index and its migration."""

from __future__ import annotations

from pathlib import Path

import pytest
from helpers import CAPTURED_AT, SAMPLE

from docmanager import store
from docmanager.importer import import_file
from docmanager.search import parse_query
from docmanager.store import Library, ViewQuery, pack_raw, unpack_raw


@pytest.mark.parametrize("raw", ["", "short", "复制" * 400, "mixed ✓ \x00 \udcff tail" * 30])
def test_raw_lines_round_trip_exactly(raw: str) -> None:
    assert unpack_raw(pack_raw(raw)) == raw


def test_sample_raw_lines_are_stored_compressed_and_read_back_verbatim(imported: Library) -> None:
    lines = [ln.rstrip("\n") for ln in SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True) if "码力" in ln]
    kinds = [r[0] for r in imported.conn.execute("SELECT typeof(raw_line) FROM documents ORDER BY id")]
    assert kinds == ["blob"] * 10
    assert [imported.get(i).raw_line for i in range(1, 11)] == lines


def test_a_new_library_uses_16_kb_pages(library: Library) -> None:
    assert library.conn.execute("PRAGMA page_size").fetchone()[0] == store.PAGE_SIZE == 16384


@pytest.mark.parametrize(
    ("text", "expected"), [("复制", True), ("ChunkServer", True), ("chunkserver", True), ("zzzz", False)]
)
def test_excerpt_search_scans_the_excerpts(imported: Library, text: str, expected: bool) -> None:
    query = ViewQuery(search=parse_query(text))
    found = imported.query(query)
    assert bool(found) is expected
    for doc in found:
        assert text.lower() in (doc.title + doc.excerpt + doc.notes + ", ".join(doc.tags)).lower()
    in_excerpts = {d.id for d in imported.query(ViewQuery()) if text.lower() in d.excerpt.lower()}
    assert in_excerpts <= {d.id for d in found}
    assert imported.matching_ids(query) == {d.id for d in found}


def test_version_2_libraries_lose_the_excerpt_index(tmp_path: Path) -> None:
    path = tmp_path / "v2.sqlite"
    with Library(path) as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        lib.conn.execute(
            "CREATE VIRTUAL TABLE excerpt_fts USING fts5(terms, content='', detail='none', "
            "tokenize='unicode61 remove_diacritics 2')"
        )
        lib.conn.execute("PRAGMA user_version = 2")
    with Library(path) as v3:
        assert v3.conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION == 3
        tables = {r[0] for r in v3.conn.execute("SELECT name FROM sqlite_master")}
        assert not any(t.startswith("excerpt_fts") for t in tables)
        hits = {d.id for d in v3.query(ViewQuery(search=parse_query("写时复制")))}
        assert hits == {d.id for d in v3.query(ViewQuery()) if "写时复制" in d.excerpt} != set()


def test_version_1_libraries_are_migrated(tmp_path: Path) -> None:
    """A library written by version 1: raw lines stored as text."""
    path = tmp_path / "v1.sqlite"
    with Library(path) as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        texts = [(lib.get(i).raw_line, i) for i in range(1, 11)]
        lib.conn.executemany("UPDATE documents SET raw_line = ? WHERE id = ?", texts)
        lib.conn.execute("PRAGMA user_version = 1")
    with Library(path) as v3:
        assert v3.conn.execute("PRAGMA user_version").fetchone()[0] == store.SCHEMA_VERSION
        hits = {d.id for d in v3.query(ViewQuery(search=parse_query("写时复制")))}
        assert hits == {d.id for d in v3.query(ViewQuery()) if "写时复制" in d.excerpt} != set()
        assert [(v3.get(i).raw_line, i) for i in range(1, 11)] == texts  # old text rows still read
