"""One search: for the same query and library, ``docmanager list --search`` and the window show the
same documents in the same order, whichever way the window computes it (on its own thread for a small
library; on the worker, with or without the library's order at hand, its excerpt scan walked and
ranged in small steps on one connection or several), and both equal the search rule written plainly:
every term occurs in the title, tags, notes or excerpt, in any script, anywhere in a word."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import replace
from typing import Any

import pytest
from helpers import matches_search

from docmanager.cli import main
from docmanager.gui.model import DocumentTableModel
from docmanager.library import Library, Sort, View, ViewQuery
from docmanager.library.plan import Tuning
from docmanager.search import parse_query

SEARCHES = [
    "curve",
    "urve",  # inside a word: in titles as in excerpts
    "URVE",
    "ＲＡＦＴ",  # full width
    "aft",  # inside the tag Raft (and words of the excerpts)
    "sql",  # inside PostgreSQL (a title set below)
    "ebra",  # inside Zebra, in notes only
    "复制",  # Chinese: excerpts
    "网易",
    "网",
    "布式",  # inside the tag 分布式
    "写时复制",  # in notes only
    "分布式 存储",
    "核心组件 curve",
    "中文手册",
    '"中文 手册"',  # a quoted phrase is the text as typed
    '"Comprehensive Rust"',
    "v8.5",
    "-raft",  # no negation: searched as text
    "-",
    "%",
    "_",
    "zzz",
    "tag:Curve",
    "tag:curve 复制",
    "tag:分布式 raft",
    "标签:Raft",
    "status:reading",
    "状态:未读 curve",
    "later:yes",
    "稍后:否 复制",
    "later:yes urve",
    "pages:>100",
    "页数:<=23 网易",
    "size:>10MB",
    "大小:<1MB",
    "price:0 tidb",
]
# (CLI arguments, the query the window shows for them)
VIEWS: list[tuple[list[str], ViewQuery]] = [
    ([], ViewQuery()),
    (["--sort", "pages:desc"], ViewQuery(sort=Sort.PAGES, descending=True)),
    (["--sort", "title"], ViewQuery(sort=Sort.TITLE)),
    (["--later"], ViewQuery(view=View.LATER, sort=Sort.LATER)),
    (["--tag", "Curve", "--tag", "Raft", "--any-tag", "--sort", "size:desc"],
     ViewQuery(tags=("Curve", "Raft"), tag_mode="any", sort=Sort.SIZE, descending=True)),
]  # fmt: skip
SMALL_STEPS = Tuning(preview_rows=2, first_step=2, first_rows_seconds=0.0, scan_range=2)
# How the window may be set up: each reaches the plan's strategies another way.
WINDOWS: dict[str, dict[str, Any]] = {
    "gui-thread": {},
    "worker": {"sync_limit": 0},
    "worker-small-steps": {"sync_limit": 0, "tuning": SMALL_STEPS, "scan_threads": 1},
    "worker-three-scanners": {"sync_limit": 0, "tuning": replace(SMALL_STEPS, filter_order_from=1), "scan_threads": 3},
}


@pytest.fixture
def library(gui_library: Library) -> Library:
    """The sample with tags, a queue and a status (see conftest), and a note and a title of the user's."""
    gui_library.set_notes(7, "关于写时复制的笔记 Zebra-stripes")
    gui_library.set_title(8, "PostgreSQL 内核 Handbook")
    return gui_library


def cli_ids(capsys: pytest.CaptureFixture[str], library: Library, args: list[str], text: str) -> list[int]:
    code = main(["list", "--library", str(library.path), "--format", "json", f"--search={text}", *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    return [d["id"] for d in json.loads(out)]


def expected_ids(library: Library, query: ViewQuery) -> list[int]:
    """The view's filters (the core's, tested elsewhere) and the search rule written plainly."""
    filtered = set(library.query_ids(replace(query, search=replace(query.search, terms=()))))
    docs = {d.id: d for d in library.documents(list(filtered))}
    order = library.query_ids(ViewQuery(sort=query.sort, descending=query.descending))
    return [i for i in order if i in docs and matches_search(docs[i], query.search.terms)]


@pytest.fixture(params=list(WINDOWS), ids=list(WINDOWS))
def window_model(request: pytest.FixtureRequest, library: Library) -> Iterator[DocumentTableModel]:
    model = DocumentTableModel(library, **WINDOWS[request.param])
    yield model
    model.shutdown()


def window_ids(qtbot, model: DocumentTableModel, query: ViewQuery) -> list[int]:  # type: ignore[no-untyped-def]
    model.set_query(query)
    qtbot.waitUntil(lambda: not model.busy, timeout=10_000)
    assert model.rowCount() == len(model.ids())
    return list(model.ids())


@pytest.mark.parametrize("case", VIEWS, ids=[" ".join(a) or "default" for a, _ in VIEWS])
def test_the_command_line_and_the_window_find_the_same_documents_in_the_same_order(
    qtbot, capsys: pytest.CaptureFixture[str], library: Library, window_model: DocumentTableModel,
    case: tuple[list[str], ViewQuery],
) -> None:  # type: ignore[no-untyped-def]
    args, view = case
    # The window first shows the view unfiltered, as a user's first look does: the worker then knows
    # the library's order in this sort and keeps a search's matches in it.
    window_ids(qtbot, window_model, view)
    found_some = 0
    for text in SEARCHES:
        query = replace(view, search=parse_query(text))
        from_cli = cli_ids(capsys, library, args, text)
        assert window_ids(qtbot, window_model, query) == from_cli, text
        assert from_cli == expected_ids(library, query), text
        found_some += bool(from_cli)
    assert found_some >= len(SEARCHES) // 3  # the searches find something, in each view


def test_a_term_is_found_inside_words_in_every_field(capsys: pytest.CaptureFixture[str], library: Library) -> None:
    """The word-start rule is the same for titles, tags, notes and excerpts: there is none (urve finds
    Curve everywhere, as 布式 finds 分布式)."""
    assert cli_ids(capsys, library, [], "urve") == cli_ids(capsys, library, [], "curve") != []
    assert cli_ids(capsys, library, [], "ostgre") == [8]  # inside a word of a title
    assert cli_ids(capsys, library, [], "ebra") == [7]  # of a note
    assert 3 in cli_ids(capsys, library, [], "布式")  # of a tag
    titles = [ViewQuery(search=parse_query(t), search_excerpts=False) for t in ("urve", "curve", "aft", "raft")]
    urve, curve, aft, raft = ([d.id for d in library.query(q)] for q in titles)
    assert urve == curve != [] and aft == raft != []
