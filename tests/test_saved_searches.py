"""Saved searches (smart lists): kept in the library, edited with Changes values, carried by exports,
loads and backups, run by the command line through the window's search plan."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CAPTURED_AT, SAMPLE

from docmanager.cli import main
from docmanager.errors import InvalidInput, NotFoundError
from docmanager.importer import import_file
from docmanager.library import Changes, Library, SavedSearch, Sort, View, ViewQuery
from docmanager.library import backup as backups
from docmanager.library.plan import search_ids
from docmanager.library.saved import QUERY_VERSION, decode_query, encode_query
from docmanager.library.transfer import export_to_file, load_export
from docmanager.search import parse_query


def _query(text: str = "", **kwargs: object) -> ViewQuery:
    return ViewQuery(search=parse_query(text), **kwargs)  # type: ignore[arg-type]


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "lib.sqlite") as library:
        import_file(library, SAMPLE, captured_at=CAPTURED_AT)
        library.add_tags([1, 2, 4], ["Curve"])
        library.add_tags([3], ["Raft"])
        library.set_status([2], "read")
        yield library


def _names(lib: Library) -> list[str]:
    return [s.name for s in lib.saved_searches()]


# --- the library's side ---------------------------------------------------------------------------


def test_save_list_rename_replace_delete_each_returns_its_changes(lib: Library) -> None:
    curve = _query(tags=("Curve",), sort=Sort.PAGES, descending=True)
    saved = lib.save_search("Curve, longest first", "", curve)
    assert saved == Changes(saved=frozenset({"Curve, longest first"}))
    assert saved.undo.name == "Curve, longest first" and saved.undo.query == curve
    lib.save_search("  storage\n  unread ", "存储", _query("存储", view=View.UNREAD))
    assert _names(lib) == ["Curve, longest first", "storage unread"]  # by name, on one line
    assert lib.saved_search("STORAGE UNREAD").text == "存储"  # case ignored

    renamed = lib.rename_saved_search("storage unread", "Unread storage")
    assert renamed == Changes(saved=frozenset({"storage unread", "Unread storage"}))
    assert renamed.undo == ("Unread storage", "storage unread")
    assert _names(lib) == ["Curve, longest first", "Unread storage"]

    replaced = lib.replace_saved_search("curve, LONGEST first", "tag:Raft", _query("tag:Raft"))
    assert replaced == Changes(saved=frozenset({"Curve, longest first"}))
    assert replaced.undo.query == curve  # what it was, for the undo
    assert lib.saved_search("Curve, longest first").query == _query("tag:Raft")
    lib.put_saved_search(replaced.undo)
    assert lib.saved_search("Curve, longest first").query == curve

    deleted = lib.delete_saved_search("Unread storage")
    assert deleted == Changes(saved=frozenset({"Unread storage"})) and not deleted.empty
    assert _names(lib) == ["Curve, longest first"]
    assert lib.put_saved_search(deleted.undo) == Changes(saved=frozenset({"Unread storage"}))  # the undo
    back = lib.saved_search("unread storage")
    assert (back.id, back.text, back.query) == (deleted.undo.id, "存储", _query("存储", view=View.UNREAD))


def test_names_are_unique_whatever_their_case_and_never_empty(lib: Library) -> None:
    lib.save_search("Raft", "raft", _query("raft"))
    with pytest.raises(InvalidInput, match="already exists"):
        lib.save_search("raft", "", _query())
    lib.save_search("Other", "", _query())
    with pytest.raises(InvalidInput, match="already exists"):
        lib.rename_saved_search("Other", "RAFT")
    lib.rename_saved_search("Raft", "RAFT")  # its own name in another case
    assert _names(lib) == ["Other", "RAFT"]
    with pytest.raises(InvalidInput, match="needs a name"):
        lib.save_search(" \t", "", _query())
    with pytest.raises(NotFoundError):
        lib.delete_saved_search("nothing")


def test_counts_follow_the_library_and_a_missing_tag_finds_nothing(lib: Library) -> None:
    for text, query in [
        ("", _query(tags=("Curve",))),
        ("", _query(tags=("Curve", "Raft"), tag_mode="any")),
        ("存储", _query("存储")),  # a search of the excerpts too
        ("status:read", _query("status:read")),
    ]:
        assert lib.count_saved(query) == lib.count_matching(query) == len(search_ids(lib, query)), text
    gone = lib.save_search("Gone", "", _query(tags=("Raft",))).undo
    assert lib.count_saved(gone.query) == 1
    lib.remove_tags([3], ["Raft"])  # the tag no longer exists
    assert lib.tag_names() == ["Curve"]
    assert lib.count_saved(lib.saved_search("Gone").query) == 0
    assert len(search_ids(lib, lib.saved_search("Gone").query)) == 0


def test_changes_name_what_a_saved_search_must_count_again() -> None:
    curve = _query(tags=("Curve",))
    raft = _query("raft")
    unread = _query(view=View.UNREAD)
    tagged = Changes(frozenset({1}), frozenset({"tags"}), tags=frozenset({"Curve"}))
    assert tagged.matches(curve) and tagged.matches(raft) and not tagged.matches(unread)
    status = Changes(frozenset({1}), frozenset({"status"}))
    assert status.matches(unread) and not status.matches(curve) and not status.matches(raft)
    assert Changes(removed=frozenset({1})).matches(curve)  # one fewer, wherever it was
    assert not Changes(removed=frozenset({1})).moves(curve)  # but the table's order stands
    assert not Changes(frozenset({1}), frozenset({"title"})).matches(curve)  # only the order of a title sort
    assert Changes(saved=frozenset({"a"})) | Changes(saved=frozenset({"b"})) == Changes(saved=frozenset({"a", "b"}))


def test_the_query_is_versioned_json_holding_the_search_as_typed() -> None:
    query = _query("raft  tag:x 页数:>100", view=View.READ, tags=("a",), tag_mode="any", sort=Sort.SIZE)
    stored = encode_query("raft  tag:x 页数:>100", query)
    data = json.loads(stored)
    assert data == {
        "version": QUERY_VERSION,
        "view": "read",
        "search": "raft  tag:x 页数:>100",
        "tags": ["a"],
        "tag_mode": "any",
        "sort": "size",
        "descending": False,
    }
    assert decode_query(stored) == ("raft  tag:x 页数:>100", query)
    # A later version's view or sort this one does not know falls back; a missing key is its default.
    later = decode_query({"version": QUERY_VERSION + 1, "view": "shelf", "sort": "rank", "search": "raft"})
    assert later == ("raft", _query("raft"))
    with pytest.raises(InvalidInput):
        decode_query("[1, 2]")


# --- carried by exports, loads and backups, and migrated to ------------------------------------------


def test_saved_searches_survive_an_export_and_a_load(lib: Library, tmp_path: Path) -> None:
    lib.save_search("Curve", "", _query(tags=("Curve",), sort=Sort.PAGES, descending=True))
    lib.save_search("存储 unread", "存储 status:unread", _query("存储 status:unread"))
    export = tmp_path / "export.json"
    export_to_file(lib, export, "json")
    assert [s["name"] for s in json.loads(export.read_text(encoding="utf-8"))["saved_searches"]] == [
        "Curve",
        "存储 unread",
    ]
    with Library(tmp_path / "other.sqlite") as other:
        result = load_export(other, export)
        assert result.saved == 2
        assert other.saved_searches() == [
            SavedSearch(s.name, s.text, s.query, other.saved_search(s.name).id) for s in lib.saved_searches()
        ]
        for search in other.saved_searches():
            assert list(search_ids(other, search.query)) == list(search_ids(lib, lib.saved_search(search.name).query))
        # Loaded again: nothing changes; with another query under the same name, it takes the export's.
        assert load_export(other, export).saved == 0
        other.replace_saved_search("Curve", "", _query())
        assert load_export(other, export).saved == 1
        assert other.saved_search("Curve").query.tags == ("Curve",)


def test_an_export_without_saved_searches_still_loads(lib: Library, tmp_path: Path) -> None:
    export = tmp_path / "old.json"
    export_to_file(lib, export, "json")
    data = json.loads(export.read_text(encoding="utf-8"))
    del data["saved_searches"]  # as exports before schema 9 were written
    export.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    with Library(tmp_path / "other.sqlite") as other:
        result = load_export(other, export)
        assert (result.new, result.saved) == (10, 0)
        assert other.saved_searches() == []


def test_a_backup_restore_brings_back_the_saved_searches(lib: Library, tmp_path: Path) -> None:
    lib.save_search("Curve", "", _query(tags=("Curve",)))
    backup = backups.write_backup(lib, tmp_path / "backup.sqlite")
    lib.delete_saved_search("Curve")
    lib.save_search("Later", "", _query(view=View.LATER))
    backups.restore(lib, backup)
    assert _names(lib) == ["Curve"]
    assert lib.saved_search("Curve").query == _query(tags=("Curve",))


def test_a_version_8_library_gets_the_saved_searches_table(tmp_path: Path) -> None:
    class Version8(Library):
        MIGRATIONS = Library.MIGRATIONS[:8]

    path = tmp_path / "lib.sqlite"
    with Version8(path, auto_backup=False) as old:
        import_file(old, SAMPLE, captured_at=CAPTURED_AT)
        assert old.conn.execute("PRAGMA user_version").fetchone()[0] == 8
        assert not old.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'saved_searches'").fetchone()[0]
    with Library(path) as lib:
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == Library.newest_version() >= 9
        assert lib.saved_searches() == [] and lib.count() == 10
        lib.save_search("All", "", _query())
        assert _names(lib) == ["All"]
    assert backups.list_backups(path)  # the migration backed the library up first


# --- the command line -------------------------------------------------------------------------------


def _run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(
    "options",
    [
        ["--tag", "Curve", "--sort", "pages:desc"],
        ["--search", "存储", "--sort", "title"],
        ["--tag", "Curve", "--tag", "Raft", "--any-tag"],
        ["--later"],
        ["--search", "status:unread 页数:>20", "--sort", "size:desc"],
    ],
)
def test_list_saved_lists_what_list_with_the_same_options_lists(
    lib: Library, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    lib.add_to_later([5, 3])
    where = ["--library", str(lib.path)]
    assert _run(capsys, "saved", "add", "mine", *options, *where)[0] == 0
    code, by_name, err = _run(capsys, "list", "--saved", "MINE", "--format", "json", *where)
    assert (code, err) == (0, "")
    code, direct, _ = _run(capsys, "list", *options, "--format", "json", *where)
    assert code == 0 and json.loads(by_name) == json.loads(direct) and json.loads(direct)
    assert _run(capsys, "list", "--saved", "mine", "--limit", "1", "--format", "tsv", *where)[1].count("\n") == 2


def test_saved_commands_and_their_messages(lib: Library, capsys: pytest.CaptureFixture[str]) -> None:
    where = ["--library", str(lib.path)]
    assert _run(capsys, "saved", "list", *where) == (0, "", "")
    code, out, _ = _run(capsys, "saved", "add", "Curve docs", "--tag", "Curve", "--sort", "pages:desc", *where)
    assert (code, out) == (0, "saved search 'Curve docs' added: 3 documents\n")
    code, out, _ = _run(capsys, "saved", "add", "存储", "--search", "存储 status:unread", *where)
    assert code == 0
    code, out, _ = _run(capsys, "saved", "list", *where)
    assert (code, out.splitlines()) == (
        0,
        ["3\tCurve docs\ttags: Curve; sort: pages:desc", "7\t存储\tsearch: 存储 status:unread; sort: added"],
    )
    code, _, err = _run(capsys, "saved", "add", "curve DOCS", "--tag", "Raft", *where)
    assert code == 2
    assert err == "docmanager: a saved search named 'Curve docs' already exists; --replace gives it this query\n"
    code, out, _ = _run(capsys, "saved", "add", "curve DOCS", "--tag", "Raft", "--replace", *where)
    assert (code, out) == (0, "saved search 'Curve docs' replaced: 1 documents\n")
    for args in (["list", "--saved", "nope"], ["saved", "remove", "nope"], ["saved", "rename", "nope", "x"]):
        code, out, err = _run(capsys, *args, *where)
        assert (code, out) == (2, "")
        assert err == "docmanager: no saved search named 'nope' (`docmanager saved list` shows them)\n"
    code, _, err = _run(capsys, "list", "--saved", "存储", "--tag", "Curve", *where)
    assert code == 2 and "--saved lists a saved search as it was saved" in err
    assert _run(capsys, "saved", "rename", "存储", "Unread storage", *where)[1] == (
        "renamed saved search '存储' to 'Unread storage'\n"
    )
    assert _run(capsys, "saved", "remove", "CURVE docs", *where)[1] == "saved search 'Curve docs' removed\n"
    assert _run(capsys, "saved", "list", *where)[1].splitlines() == [
        "7\tUnread storage\tsearch: 存储 status:unread; sort: added"
    ]
