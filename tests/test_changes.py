"""Every edit returns the Changes it made: the documents, their fields, the tags whose counts changed,
the documents added or removed; and the undo value in it puts the library back."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from helpers import CAPTURED_AT, SAMPLE

from docmanager.errors import Cancelled
from docmanager.importer import FileResult, changes_of, import_file, import_files
from docmanager.library import Changes, Document, Library, Sort, TitleState, View, ViewQuery
from docmanager.library.changes import NO_CHANGES
from docmanager.search import parse_query

Edit = Callable[[Library, Any], Changes[Any]]  # the library, and what the case's setup returned


@dataclass(frozen=True)
class Case:
    name: str
    edit: Edit
    expected: Changes[None]
    undo: Callable[[Library, Any], object] | None = None  # puts back what ``edit`` did, from its undo value
    setup: Callable[[Library], Any] = lambda lib: None


def _setup_tags(lib: Library) -> None:
    lib.add_tags([1, 2], ["x"])
    lib.add_tags([3], ["y"])


def _setup_queue(lib: Library) -> None:
    lib.add_to_later([1, 2, 3])


def _edited(ids: set[int], *names: str, tags: set[str] | frozenset[str] = frozenset()) -> Changes[None]:
    return Changes(frozenset(ids), frozenset(names), tags=frozenset(tags))


TITLE_FIELDS = ("title", "excerpt", "title_edited")
CASES = [
    Case(
        "set_title",
        lambda lib, _: lib.set_title(1, "新标题 New"),
        _edited({1}, "title", "title_edited"),
        lambda lib, u: lib.set_title_states([u]),
    ),
    Case(
        "set_title, the same as the user's",
        lambda lib, _: lib.set_title(1, "Mine"),
        NO_CHANGES,
        setup=lambda lib: lib.set_title(1, "Mine"),
    ),
    Case(
        "set_notes", lambda lib, _: lib.set_notes(2, "笔记"), _edited({2}, "notes"), lambda lib, u: lib.set_notes(2, u)
    ),
    Case("set_notes, unchanged", lambda lib, _: lib.set_notes(2, ""), NO_CHANGES),
    Case(
        "set_reading_minutes",
        lambda lib, _: lib.set_reading_minutes([2, 3], 25),
        _edited({2, 3}, "reading_minutes"),
        lambda lib, u: lib.restore_reading_minutes(u),
    ),
    Case(
        "set_reading_minutes, back to the pages' estimate",
        lambda lib, _: lib.set_reading_minutes([2, 3], None),
        _edited({2}, "reading_minutes"),
        lambda lib, u: lib.restore_reading_minutes(u),
        setup=lambda lib: lib.set_reading_minutes([2], 40),
    ),
    Case(
        "set_reading_minutes, unchanged",
        lambda lib, _: lib.set_reading_minutes([2], 40),
        NO_CHANGES,
        setup=lambda lib: lib.set_reading_minutes([2], 40),
    ),
    Case(
        "set_split",
        lambda lib, _: lib.set_split(3, len("Raft在Curve存储")),
        _edited({3}, *TITLE_FIELDS),
        lambda lib, u: lib.set_title_states([u]),
    ),
    Case(
        "set_title_states",
        lambda lib, _: lib.set_title_states([TitleState(4, "Only the title", lib.get(4).excerpt, False)]),
        _edited({4}, "title"),
        lambda lib, u: lib.set_title_states(u),
    ),
    Case(
        "set_status",
        lambda lib, _: lib.set_status([1, 2, 3], "read"),
        _edited({1, 3}, "status"),
        lambda lib, u: lib.restore_status(u),
        setup=lambda lib: lib.set_status([2], "read"),
    ),
    Case(
        "restore_status",
        lambda lib, _: lib.restore_status({1: "reading", 2: "unread"}),
        _edited({1}, "status"),
        lambda lib, u: lib.restore_status(u),
    ),
    Case(
        "add_tags",
        lambda lib, _: lib.add_tags([1, 2, 4], ["X", "新"]),
        _edited({1, 2, 4}, "tags", tags={"x", "新"}),
        lambda lib, u: lib.apply_tag_change(u, add=False),
        setup=_setup_tags,
    ),
    Case(
        "add_tags, already there",
        lambda lib, _: lib.add_tags([1, 2], ["x"]),
        NO_CHANGES,
        setup=_setup_tags,
    ),
    Case(
        "remove_tags",
        lambda lib, _: lib.remove_tags([2, 3, 5], ["x", "y"]),
        _edited({2, 3}, "tags", tags={"x", "y"}),
        lambda lib, u: lib.apply_tag_change(u, add=True),
        setup=_setup_tags,
    ),
    Case(
        "set_tags",
        lambda lib, _: lib.set_tags(1, ["X", "z"]),
        _edited({1}, "tags", tags={"z"}),
        lambda lib, u: (lib.apply_tag_change(u[0], add=False), lib.apply_tag_change(u[1], add=True)),
        setup=_setup_tags,
    ),
    Case(
        "apply_tag_change",
        lambda lib, removed: lib.apply_tag_change(removed, add=True),
        _edited({1, 2}, "tags", tags={"x"}),
        setup=lambda lib: (_setup_tags(lib), lib.remove_tags([1, 2], ["x"]).undo)[1],
    ),
    *(
        Case(
            f"rename_tag{what}",
            lambda lib, _, new=new: lib.rename_tag("x", new),
            _edited({1, 2}, "tags", tags={"x", named}),
            lambda lib, u: lib.undo_rename(u),
            setup=_setup_tags,
        )
        # A new name; a change of case; the name of another tag, which merges them (its spelling stays).
        for what, new, named in (("", "w", "w"), (", a change of case", "X", "X"), (", merging", "Y", "y"))
    ),
    Case("rename_tag, the same name", lambda lib, _: lib.rename_tag("x", " x "), NO_CHANGES, setup=_setup_tags),
    Case(
        "undo_rename",
        lambda lib, renamed: lib.undo_rename(renamed),
        _edited({1, 2}, "tags", tags={"x", "y"}),
        setup=lambda lib: (_setup_tags(lib), lib.rename_tag("x", "y").undo)[1],
    ),
    Case(
        "merge_tags",
        lambda lib, _: lib.merge_tags(["x", "y"], "z"),
        _edited({1, 2, 3}, "tags", tags={"x", "y", "z"}),
        lambda lib, u: [lib.undo_rename(r) for r in reversed(u)],
        setup=_setup_tags,
    ),
    Case(
        "add_to_later",
        lambda lib, _: lib.add_to_later([3, 4, 5]),
        _edited({4, 5}, "later_position"),
        lambda lib, u: lib.restore_later(u),
        setup=_setup_queue,
    ),
    Case(
        "remove_from_later",
        lambda lib, _: lib.remove_from_later([2, 6]),
        _edited({2}, "later_position"),
        lambda lib, u: lib.restore_later(u),
        setup=_setup_queue,
    ),
    Case(
        "move_in_later",
        lambda lib, _: lib.move_in_later(3, 1),
        _edited({2, 3}, "later_position"),
        lambda lib, u: lib.restore_later(u),
        setup=_setup_queue,
    ),
    Case("move_in_later, to where it is", lambda lib, _: lib.move_in_later(2, 1), NO_CHANGES, setup=_setup_queue),
    Case(
        "restore_later",
        lambda lib, _: lib.restore_later({1: None, 4: 9}),
        _edited({1, 4}, "later_position"),
        lambda lib, u: lib.restore_later(u),
        setup=_setup_queue,
    ),
    Case(
        "delete",
        lambda lib, _: lib.delete([2, 3, 6]),
        Changes(removed=frozenset({2, 3, 6}), tags=frozenset({"x", "y"})),
        lambda lib, u: lib.restore(u),
        setup=_setup_tags,
    ),
    Case(
        "restore",
        lambda lib, deleted: lib.restore(deleted),
        Changes(added=frozenset({1, 3}), tags=frozenset({"x", "y"})),
        setup=lambda lib: (_setup_tags(lib), lib.delete([1, 3]).undo)[1],
    ),
]


def _documents(lib: Library) -> dict[int, Document]:
    return {d.id: d for d in lib.documents(lib.query_ids(ViewQuery(sort=Sort.ID)))}


def _differences(before: dict[int, Document], after: dict[int, Document]) -> tuple[set[int], set[str]]:
    ids: set[int] = set()
    names: set[str] = set()
    for doc_id in before.keys() & after.keys():
        differ = {f.name for f in fields(Document) if getattr(before[doc_id], f.name) != getattr(after[doc_id], f.name)}
        if differ:
            ids.add(doc_id)
            names |= differ
    return ids, names


def _counted_tags(before: dict[str, int], after: dict[str, int]) -> set[str]:
    return {name for name in before.keys() | after.keys() if before.get(name) != after.get(name)}


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_each_edit_returns_what_it_changed(imported: Library, case: Case) -> None:
    lib = imported
    prepared = case.setup(lib)
    docs, tags = _documents(lib), dict(lib.tag_counts())
    changes = case.edit(lib, prepared)
    assert changes == case.expected
    # And that is what differs in the library: no more, no less.
    after = _documents(lib)
    assert _differences(docs, after) == (set(changes.ids), set(changes.fields))
    assert docs.keys() - after.keys() == changes.removed
    assert after.keys() - docs.keys() == changes.added
    assert {t.casefold() for t in _counted_tags(tags, dict(lib.tag_counts()))} == {
        t.casefold() for t in changes.tags
    }
    assert changes.empty is (case.expected == NO_CHANGES)


@pytest.mark.parametrize("case", [c for c in CASES if c.undo], ids=[c.name for c in CASES if c.undo])
def test_each_edit_carries_what_its_undo_needs(imported: Library, case: Case) -> None:
    lib = imported
    prepared = case.setup(lib)
    docs, tags = _documents(lib), lib.tag_counts()
    changes = case.edit(lib, prepared)
    assert case.undo is not None
    case.undo(lib, changes.undo)
    assert _documents(lib) == docs
    assert lib.tag_counts() == tags


def test_the_counts_say_how_many(imported: Library) -> None:
    """What the command line reports: how many documents an edit changed."""
    assert len(imported.add_to_later([1, 2, 2]).ids) == 2
    assert len(imported.set_status([1, 2, 3], "read").ids) == 3
    assert len(imported.set_status([1, 2, 3, 4], "read").ids) == 1
    assert len(imported.delete([5, 6]).removed) == 2


# --- what the window refreshes -------------------------------------------------------------------

TAGGED = _edited({1}, "tags", tags={"Raft"})
QUEUED = _edited({1}, "later_position")
READ = _edited({1}, "status")
TITLED = _edited({1}, "title", "title_edited")
NOTED = _edited({1}, "notes")
DELETED: Changes[None] = Changes(removed=frozenset({1}), tags=frozenset({"Raft"}))
RESTORED: Changes[None] = Changes(added=frozenset({1}))
PRICED = _edited({1}, "price", "captured_at")  # what an import refreshes of a document listed again


@pytest.mark.parametrize(
    ("changes", "query", "moves"),
    [
        (TAGGED, ViewQuery(), False),  # by date added: the order stands, the row is repainted
        (TAGGED, ViewQuery(sort=Sort.TAGS), True),
        (TAGGED, ViewQuery(tags=("raft",)), True),
        (TAGGED, ViewQuery(tags=("Curve",)), False),  # another tag: the rows it shows stay
        (TAGGED, ViewQuery(search=parse_query("tag:RAFT")), True),
        (TAGGED, ViewQuery(search=parse_query("curve")), True),  # the search reads the tags
        (TAGGED, ViewQuery(view=View.LATER), False),
        (QUEUED, ViewQuery(view=View.LATER), True),
        (QUEUED, ViewQuery(sort=Sort.LATER), True),
        (QUEUED, ViewQuery(search=parse_query("later:yes")), True),
        (QUEUED, ViewQuery(view=View.UNREAD, sort=Sort.TITLE), False),
        (READ, ViewQuery(view=View.UNREAD), True),
        (READ, ViewQuery(search=parse_query("status:read")), True),
        (READ, ViewQuery(search=parse_query("curve")), False),
        (READ, ViewQuery(view=View.LATER), False),
        (TITLED, ViewQuery(sort=Sort.TITLE, descending=True), True),
        (TITLED, ViewQuery(search=parse_query("curve")), True),
        (TITLED, ViewQuery(view=View.READ, sort=Sort.SIZE), False),
        (NOTED, ViewQuery(search=parse_query("curve")), True),
        (NOTED, ViewQuery(sort=Sort.TITLE), False),
        (DELETED, ViewQuery(tags=("Raft",)), False),  # its rows leave; the others keep their order
        (RESTORED, ViewQuery(), True),
        (PRICED, ViewQuery(), False),
        (PRICED, ViewQuery(sort=Sort.PRICE, descending=True), True),
        (PRICED, ViewQuery(search=parse_query("price:<5")), True),
        (PRICED, ViewQuery(search=parse_query("pages:>100")), False),
        (PRICED, ViewQuery(search=parse_query("curve")), False),
        (_edited({1}, "published_estimate"), ViewQuery(sort=Sort.DATE), True),
        (_edited({1}, "excerpt"), ViewQuery(search=parse_query("curve")), True),
    ],
)
def test_what_moves_a_view(changes: Changes[None], query: ViewQuery, moves: bool) -> None:
    assert changes.moves(query) is moves


def test_what_the_sidebar_counts() -> None:
    assert TAGGED.counts and QUEUED.counts and READ.counts and DELETED.counts and RESTORED.counts
    assert not TITLED.counts and not NOTED.counts
    assert QUEUED.queue and not READ.queue
    assert TAGGED.sorts == {Sort.TAGS} and TITLED.sorts == {Sort.TITLE} and NOTED.sorts == set()


def test_changes_combine() -> None:
    both = TAGGED | READ | _edited({2}, "notes")
    assert both == _edited({1, 2}, "tags", "status", "notes", tags={"Raft"})
    deleted_and_back = DELETED | RESTORED
    assert deleted_and_back == Changes(added=frozenset({1}), tags=frozenset({"Raft"}))
    assert (NO_CHANGES | NO_CHANGES).empty
    assert TAGGED.with_undo(5).undo == 5 and TAGGED.with_undo(5) == TAGGED  # the undo value is not compared


# --- what an import changed ----------------------------------------------------------------------

DATA = Path(__file__).resolve().parent / "data"
RAFT_AGAIN = (  # another search's line for the sample's Raft talk (another excerpt), and a new document
    "Raft在Curve存储中的工程实践Leader选举 在 Raft 中,节点有三种状态:Follower、Candidate 和 Leader。"
    "选举超时后Follower 转为 Candidate 并发起投票。0 码力 | 29 页 | 2.20 MB | 5 月前4.5\n"
    "分布式存储入门指南第一章 分布式存储的基本概念 数据分片 副本 一致性0 码力 | 88 页 | 3.10 MB | 2 月前3\n"
    "共 2 条\n"
)


@dataclass(frozen=True)
class ImportCase:
    name: str
    before: tuple[Path, ...]  # imported first, at CAPTURED_AT
    text: Callable[[], str]  # the file then imported
    captured_at: datetime
    # What it changed: how many documents it added, how many it refreshed, and their fields.
    added: int
    refreshed: int
    fields: frozenset[str] = frozenset()
    suffix: str = ".txt"


def _sample(old: str = "", new: str = "") -> Callable[[], str]:
    return lambda: SAMPLE.read_text(encoding="utf-8").replace(old, new)


IMPORTS = [
    ImportCase("into an empty library", (), _sample(), CAPTURED_AT, 10, 0),
    ImportCase("the same file again", (SAMPLE,), _sample(), CAPTURED_AT, 0, 0),
    ImportCase("a page saved an hour later", (SAMPLE,), _sample(), CAPTURED_AT + timedelta(hours=1), 0, 0),
    ImportCase(
        "older ages", (SAMPLE,), _sample("6 月前3", "7 月前3"), CAPTURED_AT, 0, 6, {"age_text", "published_estimate"}
    ),
    ImportCase("another rating", (SAMPLE,), _sample("10 月前3", "10 月前4"), CAPTURED_AT, 0, 3, {"rating"}),
    ImportCase(
        "a page saved much later",
        (SAMPLE,),
        _sample(),
        datetime(2027, 1, 1, tzinfo=UTC),
        0,
        10,
        {"published_estimate", "captured_at"},
    ),
    ImportCase(
        "another search's listing",
        (SAMPLE,),
        lambda: RAFT_AGAIN,
        CAPTURED_AT,
        1,
        1,
        {"excerpt", "age_text", "published_estimate", "rating"},
    ),
    ImportCase(
        "the HTML page after its text",  # exact titles and the documents' addresses, learnt
        (DATA / "moredoc-search.txt",),
        lambda: (DATA / "moredoc-search.html").read_text(encoding="utf-8"),
        CAPTURED_AT,
        0,
        10,
        {"url"},
        ".html",
    ),
]


@pytest.mark.parametrize("case", IMPORTS, ids=[c.name for c in IMPORTS])
def test_each_import_returns_what_it_changed(library: Library, tmp_path: Path, case: ImportCase) -> None:
    lib = library
    for path in case.before:
        assert import_file(lib, path, captured_at=CAPTURED_AT).ok
    docs, tags = _documents(lib), dict(lib.tag_counts())
    page = tmp_path / f"page{case.suffix}"
    page.write_text(case.text(), encoding="utf-8")
    result = import_file(lib, page, captured_at=case.captured_at)
    assert result.ok, result.summary()
    changes = result.changes
    assert (len(changes.added), len(changes.ids), changes.fields) == (case.added, case.refreshed, case.fields)
    # And that is what differs in the library: no more, no less.
    after = _documents(lib)
    assert _differences(docs, after) == (set(changes.ids), set(changes.fields))
    assert after.keys() - docs.keys() == changes.added == set(result.new_ids)
    assert not changes.removed and not changes.tags and tags == dict(lib.tag_counts())
    assert changes.empty is (case.added == case.refreshed == 0)


def test_a_refused_or_cancelled_import_changed_nothing(imported: Library, tmp_path: Path) -> None:
    docs = _documents(imported)
    empty = tmp_path / "empty.txt"
    empty.write_text("nothing here\n", encoding="utf-8")
    refused = import_file(imported, empty)
    assert not refused.ok and refused.changes == NO_CHANGES
    # Cancelled while the second file is read: the first one's import stands, and is all that changed.
    later = tmp_path / "later.txt"
    later.write_text(_sample("6 月前3", "7 月前3")(), encoding="utf-8")
    other = tmp_path / "other.txt"
    other.write_text(RAFT_AGAIN, encoding="utf-8")
    results: list[FileResult] = []
    with pytest.raises(Cancelled):
        import_files(
            imported,
            [later, other],
            captured_at=CAPTURED_AT,
            cancelled=lambda: len(results) == 1,
            results_out=results,
        )
    changes = changes_of(results)
    assert changes == results[0].changes and len(changes.ids) == 6
    assert _differences(docs, _documents(imported)) == (set(changes.ids), set(changes.fields))
    assert changes_of([]) == NO_CHANGES
