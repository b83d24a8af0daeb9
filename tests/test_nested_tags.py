"""Nested tags: a tag name with ``/`` is a path. Filtering by a tag takes in the tags nested under it
(``tag:=名字`` takes the tag alone), renaming a tag renames the tags under it (merging as a rename
does), and undo puts every tag back."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CAPTURED_AT, SAMPLE

from docmanager.errors import InvalidInput
from docmanager.importer import import_file
from docmanager.library import Library, ViewQuery
from docmanager.library.changes import Changes
from docmanager.search import parse_query

TAGS = {
    1: ["存储"],
    2: ["存储/分布式"],
    3: ["存储/分布式/HDFS", "数据库"],
    4: ["存储引擎"],  # starts like 存储 but is not under it
    5: ["存储", "存储/分布式"],  # carries a tag and one under it: listed once
    6: ["a_b"],
    7: ["axb/c"],  # a LIKE wildcard in a name is a letter
    8: ["STORE/x"],
}


@pytest.fixture
def tagged(tmp_path: Path) -> Iterator[Library]:
    with Library(tmp_path / "lib.sqlite") as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        for doc_id, names in TAGS.items():
            lib.add_tags([doc_id], names)
        yield lib


def _with(lib: Library, q: ViewQuery) -> list[int]:
    ids = list(lib.query_ids(q))
    assert sorted(ids) == sorted(lib.matching_ids(q))  # the indexes' answer is the same, each id once
    return sorted(ids)


def _all_tags(lib: Library) -> dict[int, list[str]]:
    return {d.id: sorted(d.tags) for d in lib.query(ViewQuery())}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        (ViewQuery(tags=("存储",)), [1, 2, 3, 5]),
        (ViewQuery(tags=("存储/分布式",)), [2, 3, 5]),
        (ViewQuery(tags=("存储/分布式/hdfs",)), [3]),  # case as tags are compared
        (ViewQuery(search=parse_query("tag:存储")), [1, 2, 3, 5]),
        (ViewQuery(search=parse_query("标签:存储")), [1, 2, 3, 5]),
        (ViewQuery(search=parse_query("tag:=存储")), [1, 5]),
        (ViewQuery(search=parse_query("tag:=存储/分布式")), [2, 5]),
        (ViewQuery(tags=("存储", "数据库"), tag_mode="any"), [1, 2, 3, 5]),
        (ViewQuery(tags=("存储/分布式", "存储引擎"), tag_mode="any"), [2, 3, 4, 5]),
        (ViewQuery(tags=("存储", "数据库")), [3]),
        (ViewQuery(tags=("a_b",)), [6]),
        (ViewQuery(tags=("store",)), [8]),
    ],
)
def test_a_tag_filter_takes_in_the_tags_nested_under_it(tagged: Library, query: ViewQuery, expected: list[int]) -> None:
    assert _with(tagged, query) == expected


def test_a_path_is_stored_without_spaces_around_its_slashes(tagged: Library) -> None:
    tagged.add_tags([9], ["存储 / 对象存储 "])
    assert list(tagged.get(9).tags) == ["存储/对象存储"]
    assert 9 in _with(tagged, ViewQuery(tags=("存储",)))
    for bad in ("存储//分布式", "/存储", "存储/", " / "):
        with pytest.raises(InvalidInput):
            tagged.add_tags([9], [bad])
    assert list(tagged.get(9).tags) == ["存储/对象存储"]


def test_renaming_a_tag_renames_the_tags_under_it_and_undo_puts_them_back(tagged: Library) -> None:
    before = _all_tags(tagged)
    tagged.add_tags([6], ["数据库/分布式"])  # the new name of 存储/分布式 exists already: merged into it
    before = _all_tags(tagged)
    changes = tagged.rename_tag("存储", "数据库")
    after = _all_tags(tagged)
    assert after[1] == ["数据库"]
    assert after[2] == ["数据库/分布式"]
    assert after[3] == ["数据库", "数据库/分布式/HDFS"]
    assert after[4] == ["存储引擎"]  # not under 存储
    assert after[5] == ["数据库", "数据库/分布式"]
    assert after[6] == ["a_b", "数据库/分布式"]
    assert {t for t, _ in tagged.tag_counts()} >= {"数据库", "数据库/分布式", "数据库/分布式/HDFS"}
    assert not {t for t, _ in tagged.tag_counts()} & {"存储", "存储/分布式", "存储/分布式/HDFS"}
    assert changes.ids == {1, 2, 3, 5}
    assert {"存储", "数据库", "存储/分布式", "数据库/分布式"} <= changes.tags
    assert _with(tagged, ViewQuery(tags=("数据库",))) == [1, 2, 3, 5, 6]
    tagged.undo_rename(changes.undo)
    assert _all_tags(tagged) == before


def test_a_tag_cannot_be_moved_under_itself(tagged: Library) -> None:
    before = _all_tags(tagged)
    with pytest.raises(InvalidInput, match="under itself"):
        tagged.rename_tag("存储", "存储/旧")
    assert _all_tags(tagged) == before
    tagged.rename_tag("存储/分布式", "存储")  # up: merged into its parent, its child follows
    assert _all_tags(tagged)[3] == ["存储/HDFS", "数据库"]


def test_nesting_a_tag_under_another_is_a_rename(tagged: Library) -> None:
    """Dragging 数据库 onto 存储 in the sidebar renames it 存储/数据库."""
    changes = tagged.rename_tag("数据库", "存储/数据库")
    assert _all_tags(tagged)[3] == ["存储/分布式/HDFS", "存储/数据库"]
    assert _with(tagged, ViewQuery(tags=("存储",))) == [1, 2, 3, 5]
    tagged.undo_rename(changes.undo)
    assert _all_tags(tagged)[3] == ["存储/分布式/HDFS", "数据库"]


@pytest.mark.parametrize(
    ("tag", "query", "moves"),
    [
        ("存储/分布式", ViewQuery(tags=("存储",)), True),
        ("存储/分布式", ViewQuery(search=parse_query("tag:存储")), True),
        ("存储", ViewQuery(tags=("存储/分布式",)), False),
        ("存储引擎", ViewQuery(tags=("存储",)), False),
        ("存储", ViewQuery(search=parse_query("tag:=存储")), True),
    ],
)
def test_a_change_of_a_nested_tag_moves_the_filters_above_it(tag: str, query: ViewQuery, moves: bool) -> None:
    assert Changes(frozenset({1}), frozenset({"tags"}), tags=frozenset({tag})).moves(query) is moves


def test_setting_a_documents_tags_compares_paths_as_stored(tagged: Library) -> None:
    changes = tagged.set_tags(2, ["存储 / 分布式"])
    assert changes.empty
    assert list(tagged.get(2).tags) == ["存储/分布式"]
