"""How documents are stored: compressed raw lines, 16 KB pages, the excerpt index and its migration."""

from __future__ import annotations

import sys
import zlib
from pathlib import Path

import pytest
from helpers import CAPTURED_AT, SAMPLE

from docmanager import _raw_dictionary
from docmanager.importer import import_file
from docmanager.library import Library, Sort, ViewQuery, schema
from docmanager.library.records import pack_raw, unpack_raw
from docmanager.search import parse_query

if sys.version_info >= (3, 14):
    from compression import zstd
else:
    from backports import zstd


@pytest.mark.parametrize("raw", ["", "short", "复制" * 400, "mixed ✓ \x00 \udcff tail" * 30])
def test_raw_lines_round_trip_exactly(raw: str) -> None:
    assert unpack_raw(pack_raw(raw)) == raw


def test_sample_raw_lines_are_stored_compressed_and_read_back_verbatim(imported: Library) -> None:
    lines = [ln.rstrip("\n") for ln in SAMPLE.read_text(encoding="utf-8").splitlines(keepends=True) if "码力" in ln]
    kinds = [r[0] for r in imported.conn.execute("SELECT typeof(raw_line) FROM documents ORDER BY id")]
    assert kinds == ["blob"] * 10
    assert [imported.get(i).raw_line for i in range(1, 11)] == lines


def test_raw_lines_are_zstandard_frames_that_name_the_dictionary() -> None:
    frame = pack_raw("复制" * 400)
    assert frame[:4] == b"\x28\xb5\x2f\xfd"
    assert isinstance(frame, bytes)
    assert zstd.get_frame_info(frame).dictionary_id == _raw_dictionary.DICTIONARY_ID != 0


def _stored_bytes(stored: str | bytes) -> bytes:
    return stored.encode() if isinstance(stored, str) else stored


def test_the_dictionary_makes_result_lines_smaller() -> None:
    """Lines of the sample page (which the dictionary was trained with) and the browser text of a
    MoreDoc page (which it was not): both shrink more than without it."""
    plain = zstd.ZstdCompressor(level=3)
    other = (Path(__file__).parent / "data" / "moredoc-search.txt").read_text(encoding="utf-8")
    for lines in (SAMPLE.read_text(encoding="utf-8").splitlines(), other.splitlines()):
        with_dictionary = sum(len(_stored_bytes(pack_raw(line))) for line in lines)
        without = sum(len(plain.compress(line.encode(), zstd.ZstdCompressor.FLUSH_FRAME)) for line in lines)
        assert with_dictionary < 0.9 * without


def test_a_version_7_library_keeps_reading_its_raw_lines_without_a_dictionary(tmp_path: Path) -> None:
    path = tmp_path / "v7.sqlite"
    with Library(path) as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        expected = [lib.get(i).raw_line for i in range(1, 11)]
        with lib.conn:
            lib.conn.executemany(
                "UPDATE documents SET raw_line = ? WHERE id = ?",
                [(zstd.compress(raw.encode("utf-8"), 1), i) for i, raw in enumerate(expected, 1)],
            )
    with Library(path) as current:
        frames = [r[0] for r in current.conn.execute("SELECT raw_line FROM documents ORDER BY id")]
        assert {zstd.get_frame_info(f).dictionary_id for f in frames} == {0}
        assert [current.get(i).raw_line for i in range(1, 11)] == expected


def test_a_version_5_library_keeps_reading_its_zlib_raw_lines(tmp_path: Path) -> None:
    """Before version 6 raw lines were zlib data; migrating leaves them as they are, and they read back."""
    path = tmp_path / "v5.sqlite"
    with Library(path) as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        expected = [lib.get(i).raw_line for i in range(1, 11)]
        with lib.conn:
            lib.conn.executemany(
                "UPDATE documents SET raw_line = ? WHERE id = ?",
                [(zlib.compress(raw.encode("utf-8"), 6), i) for i, raw in enumerate(expected, 1)],
            )
            lib.conn.execute("PRAGMA user_version = 5")
    with Library(path) as current:
        assert current.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert [r[0][:1] for r in current.conn.execute("SELECT raw_line FROM documents ORDER BY id")] == [b"\x78"] * 10
        assert [current.get(i).raw_line for i in range(1, 11)] == expected
        assert current.check() == []


def test_a_new_library_uses_16_kb_pages(library: Library) -> None:
    assert library.conn.execute("PRAGMA page_size").fetchone()[0] == schema.PAGE_SIZE == 16384


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
        assert v3.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        tables = {r[0] for r in v3.conn.execute("SELECT name FROM sqlite_master")}
        assert not any(t.startswith("excerpt_fts") for t in tables)
        hits = {d.id for d in v3.query(ViewQuery(search=parse_query("写时复制")))}
        assert hits == {d.id for d in v3.query(ViewQuery()) if "写时复制" in d.excerpt} != set()


def test_version_10_libraries_get_titles_in_the_candidates_index(tmp_path: Path) -> None:
    path = tmp_path / "v10.sqlite"
    with Library(path) as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        lib.conn.execute("DROP INDEX documents_size_pages")
        lib.conn.execute("CREATE INDEX documents_size_pages ON documents(size_bytes, pages)")
        lib.conn.execute("PRAGMA user_version = 10")
    with Library(path) as v11:
        assert v11.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        columns = [r[2] for r in v11.conn.execute("PRAGMA index_info(documents_size_pages)")]
        assert columns == ["size_bytes", "pages", "title_edited", "title"]
        assert v11.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        # The sample again: every line is known, nothing is added.
        assert import_file(v11, SAMPLE, captured_at=CAPTURED_AT).new == 0


def test_version_1_libraries_are_migrated(tmp_path: Path) -> None:
    """A library written by version 1: raw lines stored as text."""
    path = tmp_path / "v1.sqlite"
    with Library(path) as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        texts = [(lib.get(i).raw_line, i) for i in range(1, 11)]
        lib.conn.executemany("UPDATE documents SET raw_line = ? WHERE id = ?", texts)
        lib.conn.execute("PRAGMA user_version = 1")
    with Library(path) as v3:
        assert v3.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        hits = {d.id for d in v3.query(ViewQuery(search=parse_query("写时复制")))}
        assert hits == {d.id for d in v3.query(ViewQuery()) if "写时复制" in d.excerpt} != set()
        assert [(v3.get(i).raw_line, i) for i in range(1, 11)] == texts  # old text rows still read


def test_version_3_libraries_get_ratings_and_nullable_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Schema 4: trailing_number becomes rating (REAL, values kept); pages, age and date may be NULL and
    sort last both ways, through their indexes."""
    path = tmp_path / "v3.sqlite"

    class Version3(Library):
        MIGRATIONS = Library.MIGRATIONS[:3]

    with Version3(path) as lib:
        rows = [(1, "a", 12, 3, "2026-01-01"), (2, "b", 5, None, "2025-01-01"), (3, "c", 40, 4, "2026-06-01")]
        lib.conn.executemany(
            "INSERT INTO documents(id, identity, title, price, pages, size_bytes, size_text, age_text, "
            "published_estimate, trailing_number, added_at, raw_line) VALUES (?, ?, ?, 0, ?, 1, '1 B', '1 月前', "
            "?, ?, '2026-11-01T00:00:00Z', ?)",
            # Each raw line starts with its title: a title version 5 takes as split, not typed.
            [(i, ident, ident, pages, date, trailing, ident) for i, ident, pages, trailing, date in rows],
        )
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == 3
    with Library(path) as v4:
        assert v4.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert v4.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert [(d.id, d.rating) for d in v4.query(ViewQuery())] == [(1, 3.0), (2, None), (3, 4.0)]
        assert all(isinstance(d.rating, float) for d in v4.query(ViewQuery()) if d.rating is not None)
        v4.conn.execute(
            "INSERT INTO documents(id, identity, title, price, pages, size_bytes, size_text, age_text, "
            "published_estimate, rating, added_at, raw_line) "
            "VALUES (4, 'd', 'd', 0, NULL, 1, '1 B', NULL, NULL, 4.5, '2026-11-01T00:00:00Z', 'x')"
        )
        assert v4.get(4).rating == 4.5 and v4.get(4).pages is None and v4.get(4).published_estimate is None
        for sort, ascending in ((Sort.PAGES, [2, 1, 3, 4]), (Sort.DATE, [2, 1, 3, 4])):
            assert list(v4.query_ids(ViewQuery(sort=sort))) == ascending
            descending = [*reversed(ascending[:-1]), 4]  # NULL last both ways
            assert list(v4.query_ids(ViewQuery(sort=sort, descending=True))) == descending
            for q in (ViewQuery(sort=sort), ViewQuery(sort=sort, descending=True)):
                plan = " ".join(
                    r[-1] for r in v4.conn.execute("EXPLAIN QUERY PLAN SELECT id FROM documents" + v4._order(q))
                )
                assert "USING INDEX documents_sort_" in plan and "TEMP B-TREE" not in plan, plan


def test_a_term_the_word_index_cannot_answer_reads_indexes_not_rows(imported: Library) -> None:
    """``urve`` (inside a word) is a substring test of titles, tags and notes: SQLite answers it from the
    title and tag sort indexes and the notes index, never by reading every row."""
    from docmanager.library.queries import term_index_sql

    imported.set_notes(3, "读过 curve 的论文")
    sql, params = term_index_sql("urve")
    plan = " | ".join(str(r[-1]) for r in imported.conn.execute(f"EXPLAIN QUERY PLAN {sql}", params))
    assert "COVERING INDEX documents_sort_title" in plan
    assert "COVERING INDEX documents_sort_tags" in plan
    assert "documents_notes" in plan
    assert "SCAN documents |" not in plan + " |"
    found = {r[0] for r in imported.conn.execute(sql, params)}
    texts = {d.id: (d.title + d.notes + ",".join(d.tags)).lower() for d in imported.query(ViewQuery())}
    assert found == {i for i, text in texts.items() if "urve" in text}
    assert 3 in found
