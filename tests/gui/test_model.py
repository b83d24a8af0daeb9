"""The table model: Qt's model contract, sorting against the core, the worker path, None returns."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from PySide6.QtCore import QModelIndex, Qt

from docmanager.gui import model as model_module
from docmanager.gui.model import DocumentTableModel
from docmanager.library import Library, Sort, ViewQuery
from docmanager.library.plan import Tuning, keep_in_order
from docmanager.search import parse_query


def _ordered_ids(model: DocumentTableModel) -> list[int]:
    return list(model.ids())


@pytest.fixture
def make_model() -> Iterator[Callable[..., DocumentTableModel]]:
    models: list[DocumentTableModel] = []

    def make(library: Library, **tuning: Any) -> DocumentTableModel:
        models.append(DocumentTableModel(library, **tuning))
        return models[-1]

    yield make
    for model in models:
        model.shutdown()


def test_model_passes_qt_model_tester(qtmodeltester, make_model, gui_library: Library) -> None:
    model = make_model(gui_library)
    model.ensure_rows(0, model.rowCount() - 1)
    qtmodeltester.check(model, force_py=True)


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_sorting_by_each_column_matches_the_core(make_model, gui_library: Library, descending: bool) -> None:
    model = make_model(gui_library)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    for column, spec in enumerate(model.columns):
        model.sort(column, order)
        expected = list(gui_library.query_ids(ViewQuery(sort=spec.sort, descending=descending)))
        assert _ordered_ids(model) == expected, spec.key
        # and the rows show those documents in that order
        model.ensure_rows(0, model.rowCount() - 1)
        shown = [model.data(model.index(r, column), Qt.ItemDataRole.UserRole) for r in range(model.rowCount())]
        assert shown == expected


def test_sort_by_pages_is_numeric_and_size_by_bytes(make_model, gui_library: Library) -> None:
    model = make_model(gui_library)
    model.sort([c.sort for c in model.columns].index(Sort.PAGES), Qt.SortOrder.DescendingOrder)
    model.ensure_rows(0, 2)
    assert model.data(model.index(0, 1)) == "5,095"
    model.sort([c.sort for c in model.columns].index(Sort.SIZE), Qt.SortOrder.AscendingOrder)
    model.ensure_rows(0, 0)
    assert model.document_at(0).size_text == "619.32 KB"  # type: ignore[union-attr]


def test_data_never_queries_and_returns_none_for_unfetched_rows(make_model, gui_library: Library) -> None:
    model = make_model(gui_library)
    assert model.data(model.index(0, 0)) is None  # not fetched: the view fetches before painting
    model.ensure_rows(0, 0)
    assert model.data(model.index(0, 0)) == gui_library.get(model.doc_id(0)).title


def test_model_returning_none_many_times_does_not_crash(make_model, gui_library: Library) -> None:
    """PySide6 6.12.0 on Python 3.11 corrupted None's refcount here and aborted the interpreter."""
    model = make_model(gui_library)
    model.ensure_rows(0, model.rowCount() - 1)
    index = model.index(0, 0)
    for _ in range(30_000):
        assert model.data(index, Qt.ItemDataRole.DecorationRole) is None
        assert model.headerData(99, Qt.Orientation.Horizontal) is None
        assert model.data(QModelIndex()) is None


def test_large_libraries_order_on_the_worker(
    qtbot, make_model, gui_library: Library, monkeypatch: pytest.MonkeyPatch
) -> None:
    model = make_model(gui_library, sync_limit=0)  # treat the sample as a big library
    with qtbot.waitSignal(model.refreshed, timeout=5000):
        model.set_query(ViewQuery(search=parse_query("TiDB"), sort=Sort.PAGES))
    assert model.busy is False
    assert _ordered_ids(model) == list(gui_library.query_ids(ViewQuery(search=parse_query("TiDB"), sort=Sort.PAGES)))
    assert model.rowCount() == 3
    # A newer query supersedes an older one still waiting: only the last one's result is applied.
    with qtbot.waitSignal(model.refreshed, timeout=5000):
        model.set_query(ViewQuery(search=parse_query("Curve")))
        model.set_query(ViewQuery(search=parse_query("Rust")))
    qtbot.wait(50)
    assert [d.title for d in gui_library.documents(model.ids())] == ["Comprehensive Rust(简体中文) 202412"]


def test_large_libraries_count_on_the_worker(qtbot, make_model, gui_library: Library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = make_model(gui_library, sync_limit=0)
    with qtbot.waitSignal(model.counts_ready, timeout=5000) as blocker:
        model.request_counts()
    views, tags, names = blocker.args
    assert views == gui_library.view_counts()
    assert tags == gui_library.tag_counts() == [("Curve", 3), ("Raft", 1), ("分布式", 1)]
    assert names == gui_library.tag_names()


def test_worker_shows_a_preview_then_the_whole_order(qtbot, make_model, gui_library: Library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = make_model(gui_library, sync_limit=0, tuning=Tuning(preview_rows=3))
    query = ViewQuery(sort=Sort.PAGES, descending=True)
    expected = list(gui_library.query_ids(query))
    seen: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: seen.append((model.rowCount(), len(model.ids()))))
    model.set_query(query)
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    assert (10, 3) in seen  # the preview: all ten rows counted, the first three known
    assert model.doc_id(5) == expected[5] and list(model.ids()) == expected
    assert model.rowCount() == 10


def test_whole_library_orders_are_cached_per_sort_key(qtbot, make_model, gui_library: Library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = make_model(gui_library, sync_limit=0)
    with qtbot.waitSignal(model.refreshed, timeout=5000):
        model.set_query(ViewQuery(sort=Sort.TITLE))
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    # Descending is the cached ascending order reversed: applied at once, without the worker.
    model.set_query(ViewQuery(sort=Sort.TITLE, descending=True))
    assert not model.busy
    assert list(model.ids()) == list(gui_library.query_ids(ViewQuery(sort=Sort.TITLE, descending=True)))
    # A change to the library drops the cache: the next order comes from the worker again.
    gui_library.set_title(1, "AAA first")
    with qtbot.waitSignal(model.refreshed, timeout=5000):
        model.refresh(recount=True)
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    assert list(model.ids()) == list(gui_library.query_ids(ViewQuery(sort=Sort.TITLE, descending=True)))


def test_a_search_is_ordered_by_the_cached_library_order(qtbot, make_model, gui_library: Library, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    model = make_model(gui_library, sync_limit=0)
    model.set_query(ViewQuery(sort=Sort.PAGES, descending=True))
    qtbot.waitUntil(lambda: not model.busy and model.knows_order(Sort.PAGES), timeout=5000)
    for text in ("curve", "中文手册", "复制"):
        query = ViewQuery(search=parse_query(text), sort=Sort.PAGES, descending=True)
        model.set_query(query)
        qtbot.waitUntil(lambda: not model.busy, timeout=5000)
        assert list(model.ids()) == list(gui_library.query_ids(query)), text


def test_ids_of_rows_past_the_preview_are_read_when_needed(qtbot, make_model, gui_library: Library) -> None:  # type: ignore[no-untyped-def]
    model = make_model(gui_library, sync_limit=0, tuning=Tuning(preview_rows=3), defer=True)
    seen: list[object] = []

    def on_reset() -> None:
        if len(model.ids()) < model.rowCount():  # the worker's preview: 10 rows, the first 3 ids
            seen.append((model.rowCount(), model.doc_id(2) != -1, model.doc_id(7)))
            model.ensure_complete()  # as a bulk action on rows selected now does
            seen.append((model.rowCount(), list(model.ids())))

    model.modelReset.connect(on_reset)
    model.refresh()
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    expected = list(gui_library.query_ids(ViewQuery()))
    assert seen == [(10, True, -1), (10, expected)]
    assert list(model.ids()) == expected and model.rowCount() == 10


def test_rows_changed_in_place_are_read_again_without_a_new_order(qtbot, make_model, gui_library: Library) -> None:  # type: ignore[no-untyped-def]
    model = make_model(gui_library)  # all documents by date added
    resets: list[int] = []
    repainted: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.dataChanged.connect(lambda first, last, _roles: repainted.append((first.row(), last.row())))
    tags = [c.key for c in model.columns].index("tags")
    model.ensure_rows(0, 9)
    gui_library.add_tags([2], ["新标签"])
    model.refresh_rows([2], [Sort.TAGS])
    assert resets == [] and repainted == [(model.row_of(2), model.row_of(2))]
    model.ensure_rows(0, 9)
    assert "新标签" in model.data(model.index(model.row_of(2), tags))


def test_deleted_rows_leave_without_a_new_order(qtbot, make_model, gui_library: Library) -> None:  # type: ignore[no-untyped-def]
    model = make_model(gui_library)
    resets: list[int] = []
    removed: list[tuple[int, int]] = []
    model.modelReset.connect(lambda: resets.append(1))
    model.rowsRemoved.connect(lambda _parent, first, last: removed.append((first, last)))
    before = list(model.ids())
    gone = [before[1], before[2], before[7]]
    gui_library.delete(gone)
    assert model.remove_rows(gone) is True
    assert resets == [] and removed == [(7, 7), (1, 2)]  # one removal per run of rows, from the bottom up
    assert list(model.ids()) == [i for i in before if i not in gone] == list(gui_library.query_ids(model.query))
    assert model.rowCount() == 7 and model.total == 7
    model.ensure_rows(0, 6)
    assert [model.data(model.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(7)] == list(model.ids())


def test_counts_of_the_tags_alone_do_not_count_the_views(gui_library: Library) -> None:
    from docmanager.gui.model import QueryWorker

    calls: list[int] = []

    class Counting(Library):
        def view_counts(self):  # type: ignore[no-untyped-def]
            calls.append(1)
            return super().view_counts()

    worker = QueryWorker(str(gui_library.path), library_class=Counting)
    got: list[tuple[object, ...]] = []
    worker.counted.connect(lambda _gen, counts: got.append(counts))
    worker.run_counts(1, False)
    assert not calls and got == [(None, gui_library.tag_counts(), gui_library.tag_names())]
    worker.run_counts(2, True)
    assert calls == [1] and got[1] == (gui_library.view_counts(), gui_library.tag_counts(), gui_library.tag_names())
    worker.close()


def test_counts_interrupted_for_a_newer_query_are_counted_again(qtbot, gui_library: Library) -> None:  # type: ignore[no-untyped-def]
    from docmanager.errors import Cancelled
    from docmanager.gui.model import QueryWorker

    calls: list[int] = []

    class InterruptedOnce(Library):
        def view_counts(self):  # type: ignore[no-untyped-def]
            calls.append(1)
            if len(calls) == 1:
                raise Cancelled("query cancelled")
            return super().view_counts()

    worker = QueryWorker(str(gui_library.path), library_class=InterruptedOnce)
    got: list[object] = []
    worker.counted.connect(lambda _gen, counts: got.append(counts))
    worker.run_counts(1)
    assert not got  # not at once: after what is queued (the newer query)
    qtbot.waitUntil(lambda: bool(got), timeout=3000)
    assert len(calls) == 2 and got[0][0] == gui_library.view_counts()  # type: ignore[index]
    worker.close()


def test_a_page_with_documents_deleted_elsewhere_is_not_shown_misaligned(
    qtbot, make_model, gui_library: Library
) -> None:  # type: ignore[no-untyped-def]
    model = make_model(gui_library)
    with Library(gui_library.path) as other:  # another program deletes a document
        other.delete([model.doc_id(0)])
    model.ensure_rows(0, 9)
    assert model.data(model.index(1, 0)) is None  # not the wrong document's title
    qtbot.waitUntil(lambda: model.rowCount() == 9, timeout=3000)
    model.ensure_rows(0, 8)
    assert [model.data(model.index(r, 0), Qt.ItemDataRole.UserRole) for r in range(9)] == list(
        gui_library.query_ids(model.query)
    )


SCANNING = Tuning(first_step=2, first_rows_seconds=0.0, scan_range=1)


@pytest.fixture(params=[1, 3], ids=["one-thread", "three-threads"])
def scanning(request: pytest.FixtureRequest) -> dict[str, Any]:
    """The sample as a big library whose excerpt search walks two ids, then scans one id at a time
    (on one connection, or on three at once): the model's arguments."""
    return {"sync_limit": 0, "scan_threads": request.param, "tuning": SCANNING}


@pytest.mark.parametrize("text", ["复制", "raft", "分布式 存储", "zzz"])
def test_an_excerpt_search_shows_its_first_rows_then_adds_the_rest(
    qtbot, make_model, gui_library: Library, scanning: dict[str, Any], text: str
) -> None:  # type: ignore[no-untyped-def]
    model = make_model(gui_library, **scanning)
    model.set_query(ViewQuery(sort=Sort.PAGES))
    qtbot.waitUntil(lambda: not model.busy and model.knows_order(Sort.PAGES), timeout=5000)
    query = ViewQuery(search=parse_query(text), sort=Sort.PAGES)
    expected = list(gui_library.query_ids(query))
    order = list(gui_library.query_ids(ViewQuery(sort=Sort.PAGES)))
    first = [i for i in order[:2] if i in expected]  # the matches among the first two documents
    previews: list[list[int]] = []
    model.modelReset.connect(lambda: previews.append(list(model.ids())))
    inserted: list[tuple[int, int]] = []
    model.rowsInserted.connect(lambda _parent, a, b: inserted.append((a, b)))
    progress: list[tuple[float, int]] = []
    model.progressed.connect(lambda: progress.append(model.scan_progress))
    model.set_query(query)
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    assert previews[0] == first  # shown before the scan, in the view's order
    assert list(model.ids()) == expected and model.rowCount() == len(expected)
    assert model.scan_progress is None
    fractions = [f for f, _ in progress]
    assert fractions == sorted(fractions) and fractions[-1] == 1.0 and len(fractions) == gui_library.max_doc_id()
    assert progress[-1][1] == len(expected)  # the running count ends at the number of matches
    if len(expected) > len(first):
        assert inserted == [(len(first), len(expected) - 1)]  # the rest added below, no reset


def test_a_new_query_stops_an_excerpt_scan(
    qtbot, make_model, gui_library: Library, scanning: dict[str, Any], monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    model = make_model(gui_library, **scanning)
    scanned: list[int] = []
    real_scan = Library.scan_excerpts
    second_query = threading.Event()

    def held_scan(self: Library, search, first: int, last: int) -> set[int]:  # type: ignore[no-untyped-def]
        """The first scan's steps after its first wait until the second query is asked for."""
        scanned.append(first)
        if len(scanned) > 1:
            second_query.wait(timeout=10)
        return real_scan(self, search, first, last)

    monkeypatch.setattr(Library, "scan_excerpts", held_scan)
    with qtbot.waitSignal(model.progressed, timeout=5000):
        model.set_query(ViewQuery(search=parse_query("复制")))
    model.set_query(ViewQuery(search=parse_query("raft")))
    second_query.set()
    qtbot.waitUntil(lambda: not model.busy, timeout=5000)
    assert list(model.ids()) == list(gui_library.query_ids(ViewQuery(search=parse_query("raft"))))
    # the first scan stopped: ids 1..10 were not all scanned twice
    assert len(scanned) < 2 * gui_library.max_doc_id()


@settings(max_examples=200, deadline=None)
@given(order=st.permutations(list(range(1, 40))), matches=st.sets(st.integers(1, 45)))
def test_keep_in_order_equals_a_filter(order: list[int], matches: set[int]) -> None:
    from array import array

    kept = keep_in_order(array("q", order), matches)
    assert isinstance(kept, array) and list(kept) == [i for i in order if i in matches]


@pytest.mark.parametrize("descending", [False, True], ids=["asc", "desc"])
def test_unknown_pages_and_dates_show_a_dash_and_sort_last(make_model, gui_library: Library, descending: bool) -> None:
    gui_library.conn.execute(
        "UPDATE documents SET pages = NULL, age_text = NULL, published_estimate = NULL WHERE id = 4"
    )
    model = make_model(gui_library)
    order = Qt.SortOrder.DescendingOrder if descending else Qt.SortOrder.AscendingOrder
    for key in ("pages", "date"):
        column = [c.key for c in model.columns].index(key)
        model.sort(column, order)
        model.ensure_rows(0, model.rowCount() - 1)
        last = model.rowCount() - 1
        assert model.data(model.index(last, column), Qt.ItemDataRole.UserRole) == 4
        assert model.data(model.index(last, column)) == model_module.UNKNOWN
        assert model.data(model.index(0, column)) != model_module.UNKNOWN
