"""The library store: schema and refusals, sorting, views, tags, read-later, delete/restore and edits."""

from __future__ import annotations

import hashlib
import os
import sqlite3
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import Any, Literal

import pytest
from helpers import DOCUMENTED_KEYS, dump

from docmanager.errors import LibraryError, NotFoundError
from docmanager.library import Document, Library, Sort, View, ViewQuery
from docmanager.library.queries import LATER_LAST
from docmanager.library.schema import APPLICATION_ID, SCHEMA_VERSION
from docmanager.search import parse_query

# --- schema and opening --------------------------------------------------------------------------


def test_new_library_schema(tmp_path: Path) -> None:
    path = tmp_path / "deep" / "er" / "lib.sqlite"
    with Library(path) as lib:
        assert path.is_file()
        conn = lib.conn
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        assert conn.execute("PRAGMA application_id").fetchone()[0] == APPLICATION_ID
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert lib.integrity_check() == "ok"
        assert lib.count() == 0
    raw = sqlite3.connect(path)
    try:
        assert raw.execute("PRAGMA journal_mode").fetchone()[0] == "wal"  # WAL is persistent
    finally:
        raw.close()


def test_reopening_keeps_everything(imported: Library) -> None:
    docs = imported.query(ViewQuery())
    imported.add_tags([docs[0].id], ["keep"])
    with Library(imported.path) as again:
        assert again.query(ViewQuery()) == imported.query(ViewQuery())
        assert again.tag_names() == ["keep"]
    with Library(imported.path, readonly=True) as ro:
        assert ro.count() == 10


@pytest.mark.parametrize("kwargs", [{"create": False}, {"readonly": True}])
def test_missing_library_is_not_created_when_asked_not_to(tmp_path: Path, kwargs: dict[str, bool]) -> None:
    path = tmp_path / "nothing" / "lib.sqlite"
    with pytest.raises(LibraryError, match="no library"):
        Library(path, **kwargs)
    assert not path.exists()


def test_folder_is_refused(tmp_path: Path) -> None:
    with pytest.raises(LibraryError, match="folder"):
        Library(tmp_path)


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())}


def _newer_wal(path: Path) -> None:
    Library(path).close()
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()


def _newer_rollback_journal(path: Path) -> None:
    """A newer library as another tool (or a newer DocManager) may leave it: not in WAL mode."""
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE documents(id INTEGER PRIMARY KEY, future TEXT)")
    conn.execute("INSERT INTO documents(future) VALUES ('from the future')")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 5}")
    conn.commit()
    conn.close()


def _not_sqlite(path: Path) -> None:
    path.write_bytes(b"hello, this is not a database\n" * 100)


def _foreign_sqlite(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT)")
    conn.execute("INSERT INTO notes(body) VALUES ('someone else''s data')")
    conn.commit()
    conn.close()


def _foreign_app_id(path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA application_id = 1234")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (_newer_wal, "newer"),
        (_newer_rollback_journal, "newer"),
        (_not_sqlite, "not a library"),
        (_foreign_sqlite, "not a DocManager library"),
        (_foreign_app_id, "not a DocManager library"),
    ],
    ids=["newer-wal", "newer-rollback-journal", "not-sqlite", "foreign-sqlite", "foreign-application-id"],
)
@pytest.mark.parametrize("readonly", [False, True], ids=["rw", "ro"])
def test_unusable_files_are_refused_and_untouched(
    tmp_path: Path, make: Callable[[Path], None], reason: str, readonly: bool
) -> None:
    if readonly and reason == "newer":
        reason = "schema version"
    path = tmp_path / "lib.sqlite"
    make(path)
    before = _hashes(tmp_path)
    with pytest.raises(LibraryError, match=reason):
        Library(path, readonly=readonly)
    after = _hashes(tmp_path)
    if readonly:  # a read-only connection to a WAL file may leave empty -wal/-shm files; the bytes are what count
        after = {name: digest for name, digest in after.items() if name in before}
    assert after == before  # same files, same bytes: nothing created, nothing changed


# --- sorting -------------------------------------------------------------------------------------


def _nocase(text: str) -> str:
    """SQLite's NOCASE: only ASCII letters fold."""
    return "".join(chr(ord(c) + 32) if "A" <= c <= "Z" else c for c in text)


SORT_KEYS: dict[Sort, Callable[[Document], Any]] = {
    Sort.TITLE: lambda d: _nocase(d.title),
    Sort.PAGES: lambda d: d.pages,
    Sort.SIZE: lambda d: d.size_bytes,
    Sort.DATE: lambda d: d.published_estimate,
    Sort.PRICE: lambda d: d.price,
    Sort.TAGS: lambda d: _nocase(", ".join(d.tags)),
    Sort.LATER: lambda d: LATER_LAST if d.later_position is None else d.later_position,
    Sort.STATUS: lambda d: d.status,
    Sort.ADDED: lambda d: d.added_at,
    Sort.ID: lambda d: d.id,
}


def test_every_sort_has_a_key() -> None:
    assert set(SORT_KEYS) == set(Sort)


def _vary(lib: Library) -> Library:
    """The sample with every sortable field varied and plenty of ties."""
    ids = [d.id for d in lib.query(ViewQuery(sort=Sort.ID))]
    lib.set_title(ids[0], "curve lowercase")
    lib.set_title(ids[1], "ZZZ upper")
    lib.set_title(ids[2], "aaa")
    lib.set_title(ids[3], "Aab")
    lib.add_tags(ids[:3], ["beta"])
    lib.add_tags(ids[2:5], ["Alpha"])
    lib.add_tags([ids[7]], ["中文标签"])
    lib.set_status(ids[4:6], "read")
    lib.set_status([ids[8]], "reading")
    lib.add_to_later([ids[9], ids[2], ids[5]])
    for n, doc_id in enumerate(ids):
        lib.conn.execute(
            "UPDATE documents SET added_at = ?, price = ? WHERE id = ?",
            (f"2026-10-{(n * 7) % 5 + 10:02d}T08:00:00Z", n % 3, doc_id),
        )
    return lib


@pytest.fixture
def varied(imported: Library) -> Library:
    return _vary(imported)


@pytest.fixture(scope="module")
def shared_varied(shared_imported: Library) -> Library:
    return _vary(shared_imported)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
@pytest.mark.parametrize("sort", list(Sort), ids=[s.value for s in Sort])
def test_sorting_matches_python(shared_varied: Library, sort: Sort, descending: bool) -> None:
    varied = shared_varied
    docs = varied.query(ViewQuery(sort=Sort.ID))
    expected = sorted(docs, key=lambda d: (SORT_KEYS[sort](d), d.id), reverse=descending)
    got = varied.query(ViewQuery(sort=sort, descending=descending))
    assert [d.id for d in got] == [d.id for d in expected]
    assert list(varied.query_ids(ViewQuery(sort=sort, descending=descending))) == [d.id for d in expected]


def test_sort_limit_takes_the_first(shared_varied: Library) -> None:
    varied = shared_varied
    q = ViewQuery(sort=Sort.PAGES, descending=True)
    assert [d.pages for d in varied.query(q, limit=3)] == [5095, 5072, 4987]


# --- views ---------------------------------------------------------------------------------------


def test_views(varied: Library) -> None:
    ids = [d.id for d in varied.query(ViewQuery(sort=Sort.ID))]
    varied.conn.execute("UPDATE documents SET added_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-30 days')")
    varied.conn.execute(
        "UPDATE documents SET added_at = strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '-1 hours') WHERE id IN (?, ?)",
        (ids[0], ids[1]),
    )

    def view(v: View, **kw: Any) -> list[int]:
        return sorted(d.id for d in varied.query(ViewQuery(view=v, **kw)))

    assert view(View.ALL) == ids
    assert view(View.LATER) == sorted([ids[9], ids[2], ids[5]])
    assert [d.id for d in varied.query(ViewQuery(view=View.LATER, sort=Sort.LATER))] == [ids[9], ids[2], ids[5]]
    assert view(View.READ) == ids[4:6]
    assert view(View.READING) == [ids[8]]
    assert view(View.UNREAD) == [i for i in ids if i not in (*ids[4:6], ids[8])]
    assert view(View.RECENT) == ids[:2]
    counts = varied.view_counts()
    for v in View:
        assert counts[v] == len(view(v)) == varied.count_matching(ViewQuery(view=v))
    assert view(View.ALL, tags=("beta",)) == ids[:3]
    assert view(View.ALL, tags=("BETA", "alpha")) == [ids[2]]
    assert view(View.LATER, tags=("alpha",)) == [ids[2]]
    assert view(View.READ, search=parse_query("tag:alpha")) == [ids[4]]


# --- tags ----------------------------------------------------------------------------------------


@pytest.fixture
def ids(imported: Library) -> list[int]:
    return [d.id for d in imported.query(ViewQuery(sort=Sort.ID))]


def test_tags_are_case_insensitively_unique(imported: Library, ids: list[int]) -> None:
    first = imported.add_tags([ids[0]], ["Raft"]).undo
    assert first.links == ((ids[0], "Raft"),)
    second = imported.add_tags([ids[0], ids[1]], ["raft", " RAFT  "]).undo
    assert second.links == ((ids[1], "Raft"),)  # the existing tag, under its first spelling
    assert imported.tag_names() == ["Raft"]
    assert imported.tag_counts() == [("Raft", 2)]
    assert imported.get(ids[1]).tags == ("Raft",)
    removed = imported.remove_tags([ids[0], ids[1], ids[2]], ["rAfT"]).undo
    assert removed.links == ((ids[0], "Raft"), (ids[1], "Raft"))
    assert imported.tag_names() == []  # a tag on no document is gone
    assert imported.get(ids[0]).tags == ()


def test_tags_are_sorted_and_shown(imported: Library, ids: list[int]) -> None:
    imported.add_tags([ids[0]], ["zeta", "Alpha", "中文", "beta"])
    assert imported.get(ids[0]).tags == ("Alpha", "beta", "zeta", "中文")
    assert imported.get(ids[0]).as_json()["tags"] == ["Alpha", "beta", "zeta", "中文"]


@pytest.mark.parametrize("name", ["", "   ", "a,b", ","])
def test_bad_tag_names(imported: Library, ids: list[int], name: str) -> None:
    with pytest.raises(ValueError, match="tag name"):
        imported.add_tags([ids[0]], ["good", name])
    assert imported.tag_names() == []  # the whole call was one transaction
    assert imported.get(ids[0]).tags == ()


def test_rename_tag(imported: Library, ids: list[int]) -> None:
    imported.add_tags(ids[:3], ["raft"])
    imported.rename_tag("RAFT", "共识 算法")
    assert imported.tag_counts() == [("共识 算法", 3)]
    assert all(imported.get(i).tags == ("共识 算法",) for i in ids[:3])
    imported.rename_tag("共识 算法", "共识 算法")  # no-op rename
    imported.rename_tag("共识 算法", "Consensus")
    imported.rename_tag("consensus", "consensus")  # a change of case only
    assert imported.tag_names() == ["consensus"]
    with pytest.raises(NotFoundError):
        imported.rename_tag("no such tag", "x")
    with pytest.raises(ValueError, match="comma"):
        imported.rename_tag("consensus", "a, b")
    assert imported.tag_names() == ["consensus"]


def test_rename_into_an_existing_tag_merges(imported: Library, ids: list[int]) -> None:
    imported.add_tags(ids[0:2], ["old"])
    imported.add_tags(ids[1:3], ["New"])
    imported.rename_tag("old", "new")
    assert imported.tag_counts() == [("New", 3)]
    assert [imported.get(i).tags for i in ids[:4]] == [("New",), ("New",), ("New",), ()]


def test_merge_tags(imported: Library, ids: list[int]) -> None:
    imported.add_tags([ids[0]], ["a"])
    imported.add_tags([ids[1]], ["b"])
    imported.add_tags([ids[2]], ["c", "a"])
    imported.merge_tags(["a", "b"], "c")
    assert imported.tag_counts() == [("c", 3)]


def test_tag_change_undo_and_redo(imported: Library, ids: list[int]) -> None:
    imported.add_tags([ids[0]], ["kept"])
    before = [imported.get(i) for i in ids]
    change = imported.add_tags(ids[:3], ["kept", "new", "另一个"]).undo
    assert len(change.links) == 2 + 3 + 3
    assert change.doc_ids == tuple(ids[:3])
    after = [imported.get(i) for i in ids]
    imported.apply_tag_change(change, add=False)  # undo
    assert [imported.get(i) for i in ids] == before
    assert imported.tag_names() == ["kept"]
    imported.apply_tag_change(change, add=True)  # redo
    assert [imported.get(i) for i in ids] == after

    removal = imported.remove_tags(ids[:2], ["kept", "new"]).undo
    imported.apply_tag_change(removal, add=True)  # undo a removal
    assert [imported.get(i) for i in ids] == after


def test_set_tags(imported: Library, ids: list[int]) -> None:
    imported.add_tags([ids[0]], ["a", "B"])
    added, removed = imported.set_tags(ids[0], ["b", "c", " c ", ""]).undo
    assert added.links == ((ids[0], "c"),)
    assert removed.links == ((ids[0], "a"),)
    assert imported.get(ids[0]).tags == ("B", "c")


# --- read later ----------------------------------------------------------------------------------


def test_read_later_queue(imported: Library, ids: list[int]) -> None:
    a, b, c, d, e = ids[:5]
    assert list(imported.add_to_later([c, a, b, a]).undo) == [c, a, b]
    assert imported.later_queue() == [c, a, b]
    assert list(imported.add_to_later([a, d]).undo) == [d]
    assert imported.later_queue() == [c, a, b, d]
    assert imported.get(d).read_later and not imported.get(e).read_later
    imported.move_in_later(d, 0)
    assert imported.later_queue() == [d, c, a, b]
    imported.move_in_later(d, 99)
    assert imported.later_queue() == [c, a, b, d]
    imported.move_in_later(b, 1)
    assert imported.later_queue() == [c, b, a, d]
    with pytest.raises(NotFoundError):
        imported.move_in_later(e, 0)

    before = imported.remove_from_later([a, e]).undo
    assert set(before) == {a}
    assert imported.later_queue() == [c, b, d]
    assert imported.get(a).later_position is None
    imported.restore_later(before)  # undo
    assert imported.later_queue() == [c, b, a, d]
    order = [x.id for x in imported.query(ViewQuery(view=View.LATER, sort=Sort.LATER))]
    assert order == [c, b, a, d]


# --- delete and restore --------------------------------------------------------------------------


def test_delete_and_restore_is_exact(imported: Library, ids: list[int]) -> None:
    lib = imported
    lib.add_tags([ids[1], ids[4]], ["shared"])
    lib.add_tags([ids[1]], ["only-mine"])
    lib.set_notes(ids[1], "笔记 notes")
    lib.set_status([ids[4]], "reading")
    lib.set_title(ids[4], "Renamed 标题")
    lib.add_to_later([ids[4], ids[0]])
    before = [lib.get(i) for i in ids]
    dump_before = dump(lib.conn)

    deleted = lib.delete([ids[1], ids[4]]).undo
    assert deleted.doc_ids == (ids[1], ids[4])
    assert lib.count() == 8
    with pytest.raises(NotFoundError):
        lib.get(ids[1])
    assert lib.tag_names() == []  # both tags were only on the deleted documents
    assert [d.id for d in lib.query(ViewQuery(search=parse_query("笔记")))] == []
    assert [d.id for d in lib.query(ViewQuery(search=parse_query("renamed"), search_excerpts=False))] == []

    lib.restore(deleted)
    assert [lib.get(i) for i in ids] == before
    assert lib.count() == 10
    assert lib.tag_counts() == [("only-mine", 1), ("shared", 2)]
    assert [d.id for d in lib.query(ViewQuery(search=parse_query("笔记"), search_excerpts=False))] == [ids[1]]
    assert [d.id for d in lib.query(ViewQuery(search=parse_query("renamed"), search_excerpts=False))] == [ids[4]]
    assert [d.id for d in lib.query(ViewQuery(search=parse_query("mine"), search_excerpts=False))] == [ids[1]]
    assert lib.later_queue() == [ids[4], ids[0]]
    assert lib.integrity_check() == "ok"
    # Only the tags table may differ (a tag deleted with its last document comes back with a new id).
    strip = [s for s in dump_before if not s.startswith('INSERT INTO "tags"') and "document_tags" not in s]
    now = [s for s in dump(lib.conn) if not s.startswith('INSERT INTO "tags"') and "document_tags" not in s]
    # The search indexes' internal segments are laid out anew; what they find is checked above and here.
    assert sorted(s for s in now if "_fts" not in s) == sorted(s for s in strip if "_fts" not in s)
    excerpt_hits = {d.id for d in lib.query(ViewQuery(search=parse_query(before[1].excerpt[:6])))}
    assert ids[1] in excerpt_hits


# --- edits ---------------------------------------------------------------------------------------


def test_set_title_notes_status(imported: Library, ids: list[int]) -> None:
    lib = imported
    lib.set_title(ids[0], "  新标题 New  ")
    assert lib.get(ids[0]).title == "新标题 New"
    with pytest.raises(ValueError, match="empty"):
        lib.set_title(ids[0], "   ")
    assert lib.get(ids[0]).title == "新标题 New"
    lib.set_notes(ids[0], "多行\n笔记")
    assert lib.get(ids[0]).notes == "多行\n笔记"
    lib.set_notes(ids[0], "")
    assert lib.get(ids[0]).notes == ""
    before = lib.set_status(ids[:2], "read").undo
    assert before == {ids[0]: "unread", ids[1]: "unread"}
    assert [lib.get(i).status for i in ids[:3]] == ["read", "read", "unread"]
    with pytest.raises(ValueError, match="status"):
        lib.set_status([ids[0]], "finished")
    lib.restore_status(before)
    assert [lib.get(i).status for i in ids[:2]] == ["unread", "unread"]


BAD_ID = 10_000
NOT_FOUND: list[tuple[str, Callable[[Library, int], object]]] = [
    ("get", lambda lib, good: lib.get(BAD_ID)),
    ("set_title", lambda lib, good: lib.set_title(BAD_ID, "x")),
    ("set_notes", lambda lib, good: lib.set_notes(BAD_ID, "x")),
    ("set_status", lambda lib, good: lib.set_status([good, BAD_ID], "read")),
    ("add_tags", lambda lib, good: lib.add_tags([good, BAD_ID], ["x"])),
    ("remove_tags", lambda lib, good: lib.remove_tags([BAD_ID], ["x"])),
    ("set_tags", lambda lib, good: lib.set_tags(BAD_ID, ["x"])),
    ("add_to_later", lambda lib, good: lib.add_to_later([good, BAD_ID])),
    ("remove_from_later", lambda lib, good: lib.remove_from_later([BAD_ID])),
    ("move_in_later", lambda lib, good: lib.move_in_later(BAD_ID, 0)),
    ("delete", lambda lib, good: lib.delete([good, BAD_ID])),
    ("import_record", lambda lib, good: lib.import_record(BAD_ID)),
]


@pytest.mark.parametrize("call", [c for _, c in NOT_FOUND], ids=[n for n, _ in NOT_FOUND])
def test_not_found_changes_nothing(imported: Library, ids: list[int], call: Callable[[Library, int], object]) -> None:
    before = dump(imported.conn)
    with pytest.raises(NotFoundError):
        call(imported, ids[0])
    assert dump(imported.conn) == before
    assert not imported.conn.in_transaction


def test_documents_keeps_order_and_skips_missing(imported: Library, ids: list[int]) -> None:
    got = imported.documents([ids[3], BAD_ID, ids[0]])
    assert [d.id for d in got] == [ids[3], ids[0]]


def test_data_version_sees_other_connections(imported: Library, ids: list[int]) -> None:
    version = imported.data_version()
    with Library(imported.path) as other:
        other.set_notes(ids[0], "from elsewhere")
    assert imported.data_version() != version
    assert imported.get(ids[0]).notes == "from elsewhere"


def test_json_shape(imported: Library, ids: list[int]) -> None:
    doc = imported.get(ids[0]).as_json()
    assert list(doc)[: len(DOCUMENTED_KEYS)] == DOCUMENTED_KEYS
    assert os.path.isabs(doc["source_file"])


@pytest.mark.parametrize(
    "text",
    [
        "",
        "复制",
        "复",
        "curve",
        "Curv",
        "中文手册",
        "tag:shared",
        "later:yes",
        "later:no",
        "status:reading",
        "pages:>100",
        "size:<2MB",
        "复制 tag:shared",
        "raft pages:<30",
        "·",
        "zzzz",
        '"写时复制"',
        "制复",
    ],
)
@pytest.mark.parametrize("excerpts", [True, False])
@pytest.mark.parametrize("view", list(View))
def test_matching_ids_equals_the_ordered_query(
    imported: Library, ids: list[int], text: str, excerpts: bool, view: View
) -> None:
    imported.add_tags([ids[0], ids[2]], ["shared"])
    imported.add_to_later([ids[2], ids[5]])
    imported.set_status([ids[6]], "reading")
    query = ViewQuery(view=view, search=parse_query(text), search_excerpts=excerpts)
    if view is View.ALL and not text:
        return  # unfiltered: the caller uses the library's order itself
    assert imported.matching_ids(query) == set(imported.query_ids(query))
    found = imported.matching_array(query).tolist()
    assert sorted(found) == sorted(imported.query_ids(query))  # each match once


@pytest.mark.parametrize("text", ["", "tag:shared", "curve"])
@pytest.mark.parametrize("mode", ["all", "any"])
@pytest.mark.parametrize("view", [View.ALL, View.LATER])
def test_tag_mode_means_the_same_in_the_query_and_the_index_read(
    imported: Library, ids: list[int], text: str, mode: Literal["all", "any"], view: View
) -> None:
    imported.add_tags([ids[0], ids[2]], ["shared"])
    imported.add_tags([ids[2], ids[4], ids[5]], ["other"])
    imported.add_to_later([ids[2], ids[5]])
    query = ViewQuery(view=view, tags=("SHARED", "other"), tag_mode=mode, search=parse_query(text))
    expected = {
        d.id
        for d in imported.query(ViewQuery(view=view, search=parse_query(text)))
        if (any if mode == "any" else all)(t in d.tags for t in ("shared", "other"))
    }
    assert set(imported.query_ids(query)) == expected
    found = imported.matching_array(query).tolist()
    assert sorted(found) == sorted(imported.query_ids(query))  # each match once
    assert imported.count_matching(query) == len(expected)


def test_any_tag_mode_widens(imported: Library, ids: list[int]) -> None:
    imported.add_tags([ids[0], ids[2]], ["a"])
    imported.add_tags([ids[2], ids[4]], ["b"])
    assert set(imported.query_ids(ViewQuery(tags=("a", "b")))) == {ids[2]}
    assert set(imported.query_ids(ViewQuery(tags=("a", "b"), tag_mode="any"))) == {ids[0], ids[2], ids[4]}
    # the search's tag: terms stay required
    q = ViewQuery(tags=("a", "b"), tag_mode="any", search=parse_query("tag:b"))
    assert set(imported.query_ids(q)) == {ids[2], ids[4]}


def test_moving_several_documents_in_the_queue_keeps_them_together(imported: Library, ids: list[int]) -> None:
    a, b, c, d, e = ids[:5]
    imported.add_to_later([a, b, c, d, e])
    imported.move_in_later([d, b], 0)  # kept in queue order: b before d
    assert imported.later_queue() == [b, d, a, c, e]
    imported.move_in_later([b, d], 99)
    assert imported.later_queue() == [a, c, e, b, d]
    imported.move_in_later([e, b], 1)  # at index 1 of the queue without them: a, [e, b], c, d
    assert imported.later_queue() == [a, e, b, c, d]
    with pytest.raises(NotFoundError):
        imported.move_in_later([a, ids[6]], 0)
    assert imported.later_queue() == [a, e, b, c, d]


@pytest.mark.parametrize("sort", list(Sort))
@pytest.mark.parametrize("descending", [False, True])
def test_ordered_ids_sorts_a_chosen_set_like_the_query(
    imported: Library, ids: list[int], sort: Sort, descending: bool
) -> None:
    query = ViewQuery(search=parse_query("curve"), sort=sort, descending=descending)
    assert list(imported.ordered_ids(imported.matching_ids(query), query)) == list(imported.query_ids(query))


def test_documents_without_texts_leave_out_only_the_excerpt_and_raw_line(imported: Library) -> None:
    ids = list(imported.query_ids(ViewQuery()))
    full = imported.documents(ids)
    light = imported.documents(ids, texts=False)
    assert all(d.excerpt and d.raw_line for d in full)
    assert [replace(d, excerpt="", raw_line="") for d in full] == light
