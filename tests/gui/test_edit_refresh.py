"""The window refreshes from the Changes an edit returns: the rows it names, the sidebar's counts when
they changed, and the view's query only when a field of its sort or filter changed."""

from __future__ import annotations

import os
from datetime import UTC, datetime
from pathlib import Path

from PySide6.QtCore import QItemSelection, QItemSelectionModel, QModelIndex, Qt

from docmanager.gui.mainwindow import MainWindow
from docmanager.importer import FileResult
from docmanager.library import Library, Sort, View
from docmanager.paths import sample_listing

SAMPLE = sample_listing()
CAPTURED = datetime(2026, 11, 1, tzinfo=UTC)  # when conftest's gui_library imported it


class ModelSpy:
    """What the table's model did: resets and orders applied (each query's result), rows repainted,
    rows removed."""

    def __init__(self, win: MainWindow) -> None:
        self.resets, self.orders = 0, 0
        self.repainted: set[int] = set()
        self.removed: list[tuple[int, int]] = []
        model = win.model
        model.modelReset.connect(self._reset)
        model.refreshed.connect(self._ordered)
        model.dataChanged.connect(self._repainted)
        model.rowsRemoved.connect(self._removed)

    def _reset(self) -> None:
        self.resets += 1

    def _ordered(self) -> None:
        self.orders += 1

    def _repainted(self, first: QModelIndex, last: QModelIndex, _roles: object = None) -> None:
        self.repainted |= set(range(first.row(), last.row() + 1))

    def _removed(self, _parent: QModelIndex, first: int, last: int) -> None:
        self.removed.append((first, last))


def settle(win: MainWindow) -> None:
    assert win.operations.drain(timeout=20)


def select_ids(win: MainWindow, ids: list[int]) -> None:
    selection = QItemSelection()
    for doc_id in ids:
        row = win.model.row_of(doc_id)
        selection.select(win.model.index(row, 0), win.model.index(row, win.model.columnCount() - 1))
    win.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)


def tag_count(win: MainWindow, name: str) -> str:
    """The tag's line in the sidebar as shown ("" when it is not there)."""
    return win.sidebar.tags.text_of(name)


def view_count(win: MainWindow, view: View) -> str:
    return str(win.sidebar.views.item(list(View).index(view)).text())


def cell(win: MainWindow, doc_id: int, key: str) -> str:
    row = win.model.row_of(doc_id)
    win.model.ensure_rows(row, row)
    return str(win.model.data(win.model.index(row, [c.key for c in win.model.columns].index(key))))


def test_a_tag_edit_repaints_its_row_and_the_tag_count_without_a_new_order(window: MainWindow) -> None:
    assert window.model.query.sort is Sort.ADDED and tag_count(window, "Curve") == "Curve  (3)"
    order = list(window.model.ids())
    spy = ModelSpy(window)
    window.tag_documents([5], ["Curve"])
    settle(window)
    assert (spy.resets, spy.orders) == (0, 0)  # no query ran: the order stands
    assert spy.repainted == {window.model.row_of(5)}  # only the row of the document tagged
    assert list(window.model.ids()) == order
    assert cell(window, 5, "tags") == "Curve"
    assert tag_count(window, "Curve") == "Curve  (4)"
    # Undo is an edit too: the same refresh.
    window.acts.undo.trigger()
    settle(window)
    assert (spy.resets, spy.orders) == (0, 0)
    assert cell(window, 5, "tags") == "" and tag_count(window, "Curve") == "Curve  (3)"


def test_a_tag_edit_counts_the_tags_alone_and_a_status_edit_the_views_too(window: MainWindow) -> None:
    """Counting the views reads the status and queue indexes (35 ms at a million documents): a tag
    edit, which cannot change them, leaves them as shown and counts only the tags."""
    counted: list[tuple[object, ...]] = []
    window.model.counts_ready.connect(lambda *counts: counted.append(counts))
    unread = view_count(window, View.UNREAD)
    window.tag_documents([5], ["Curve"])
    settle(window)
    assert len(counted) == 1 and counted[0][0] is None  # the views' counts were not read
    assert tag_count(window, "Curve") == "Curve  (4)" and view_count(window, View.UNREAD) == unread
    select_ids(window, [5])
    window.set_status("read")
    settle(window)
    assert len(counted) == 2 and counted[1][0] is not None
    assert view_count(window, View.READ).endswith("(1)") and view_count(window, View.UNREAD) != unread


def test_a_notes_edit_repaints_its_row_and_counts_nothing(window: MainWindow, gui_library: Library) -> None:
    window.table.selectRow(window.model.row_of(2))
    spy = ModelSpy(window)
    counted: list[object] = []
    window.model.counts_ready.connect(lambda *counts: counted.append(counts))
    window.detail.notes.insertPlainText("要点")
    window.detail.flush()
    settle(window)
    assert gui_library.get(2).notes == "要点"
    assert (spy.resets, spy.orders, counted) == (0, 0, [])
    assert spy.repainted == {window.model.row_of(2)}


def test_an_edit_of_the_sorted_field_orders_the_view_again(window: MainWindow, gui_library: Library) -> None:
    window.table.sortByColumn([c.key for c in window.model.columns].index("tags"), Qt.SortOrder.AscendingOrder)
    before = list(window.model.ids())
    spy = ModelSpy(window)
    window.tag_documents([5], ["AAA first"])
    settle(window)
    assert spy.orders == 1
    assert list(window.model.ids()) == list(gui_library.query_ids(window.model.query)) != before


def test_a_status_edit_in_its_view_runs_the_query_and_counts(window: MainWindow) -> None:
    window.sidebar.select_view(View.UNREAD)
    assert window.model.rowCount() == 9 and view_count(window, View.READ).endswith("(0)")
    select_ids(window, [1, 2])
    spy = ModelSpy(window)
    window.set_status("read")
    settle(window)
    assert spy.orders == 1  # the Unread view filters on the status: its rows changed
    assert 1 not in window.model.ids() and window.model.rowCount() == 7
    assert view_count(window, View.READ).endswith("(2)") and view_count(window, View.UNREAD).endswith("(7)")


def test_a_queue_edit_outside_the_queue_view_keeps_the_order(window: MainWindow) -> None:
    assert view_count(window, View.LATER).endswith("(3)")
    spy = ModelSpy(window)
    select_ids(window, [1])
    window.toggle_later()
    settle(window)
    assert (spy.resets, spy.orders) == (0, 0)
    assert cell(window, 1, "later") == "★" and view_count(window, View.LATER).endswith("(4)")


def test_a_delete_removes_its_rows_in_place_and_undo_brings_them_back(window: MainWindow) -> None:
    order = list(window.model.ids())
    gone = [order[1], order[2], order[6]]
    select_ids(window, gone)
    spy = ModelSpy(window)
    window.table.setFocus()
    window.acts.delete.trigger()
    settle(window)
    assert (spy.resets, spy.orders) == (0, 0)
    assert spy.removed == [(6, 6), (1, 2)]
    assert list(window.model.ids()) == [i for i in order if i not in gone]
    assert view_count(window, View.ALL).endswith("(7)") and window.model.total == 7
    assert window.matches.text().startswith("7 of 7")
    window.acts.undo.trigger()
    settle(window)
    assert spy.orders == 1  # restored documents go where the order puts them: a query
    assert list(window.model.ids()) == order and view_count(window, View.ALL).endswith("(10)")


# --- imports: the same refresh, from the Changes the import reports -----------------------------------


def run_import(qtbot, win: MainWindow, path: Path) -> list[FileResult]:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(win.import_finished, timeout=20_000) as blocker:
        win.import_paths([path])
    # The watcher reads data_version before and after every job: had it taken the import's commit for
    # another program's, this would reload the view.
    win.operations.submit(lambda _library: None)
    settle(win)
    results: list[FileResult] = blocker.args[0]
    return results


def test_an_import_repaints_the_rows_it_refreshed_without_a_new_order(
    qtbot, window: MainWindow, gui_library: Library, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    page = tmp_path / "older.txt"  # the same page with six documents a month older: their ages and dates
    page.write_text(SAMPLE.read_text(encoding="utf-8").replace("6 月前3", "7 月前3"), encoding="utf-8")
    os.utime(page, (CAPTURED.timestamp(), CAPTURED.timestamp()))  # saved when the sample was
    order = list(window.model.ids())
    dates = {doc_id: cell(window, doc_id, "date") for doc_id in order}
    spy = ModelSpy(window)
    (result,) = run_import(qtbot, window, page)
    assert len(result.changes.ids) == 6 and result.changes.fields == {"age_text", "published_estimate"}
    assert (spy.resets, spy.orders) == (0, 0)  # sorted by date added: no query ran, no reload
    rows = sorted(window.model.row_of(i) for i in result.changes.ids)
    assert spy.repainted == set(range(rows[0], rows[-1] + 1))  # the rows from the first to the last refreshed
    assert list(window.model.ids()) == order
    assert {i for i in order if cell(window, i, "date") != dates[i]} == set(result.changes.ids)
    # Sorted by the date, the same refresh runs the query again.
    window.model.sort([c.key for c in window.model.columns].index("date"))
    page.write_text(SAMPLE.read_text(encoding="utf-8").replace("6 月前3", "8 月前3"), encoding="utf-8")
    os.utime(page, (CAPTURED.timestamp(), CAPTURED.timestamp()))
    spy = ModelSpy(window)
    run_import(qtbot, window, page)
    assert spy.orders == 1


def test_an_import_that_adds_documents_runs_the_query_once(
    qtbot, window: MainWindow, gui_library: Library, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    page = tmp_path / "new.txt"
    line = "分布式存储入门指南第一章 分布式存储的基本概念0 码力 | 88 页 | 3.10 MB | 2 月前3"
    page.write_text(f"{line}\n共 1 条\n", encoding="utf-8")
    spy = ModelSpy(window)
    (result,) = run_import(qtbot, window, page)
    (new,) = result.changes.added
    assert spy.orders == 1  # the query ran again, once: not a second time for the watcher
    assert new in window.model.ids() and window.model.total == 11
    assert view_count(window, View.ALL).endswith("(11)")


def test_a_refused_import_reloads_nothing(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = tmp_path / "nothing.txt"
    page.write_text("no results here\n", encoding="utf-8")
    spy = ModelSpy(window)
    (result,) = run_import(qtbot, window, page)
    assert not result.ok and result.changes.empty
    assert (spy.resets, spy.orders, spy.repainted) == (0, 0, set())
