"""Saved searches in the window: saved from the menu or Ctrl+S, listed in the sidebar with a live count,
shown when chosen, renamed, replaced, and deleted with undo."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QInputDialog

from docmanager.gui.mainwindow import MainWindow
from docmanager.library import Sort, View
from docmanager.library.plan import search_ids


def settle(win: MainWindow) -> None:
    assert win.operations.drain(timeout=20)


def saved_items(win: MainWindow) -> list[str]:
    return [win.sidebar.saved.item(row).text() for row in range(win.sidebar.saved.count())]


def wait_items(qtbot, win: MainWindow, expected: list[str]) -> None:  # type: ignore[no-untyped-def]
    settle(win)
    qtbot.waitUntil(lambda: saved_items(win) == expected, timeout=5000)


def answer(monkeypatch: pytest.MonkeyPatch, text: str) -> list[str]:
    """The next name dialogs answer ``text``; returns what they offered."""
    offered: list[str] = []

    def get_text(*args: object, text: str = "", **kwargs: object) -> tuple[str, bool]:
        offered.append(text)
        return answer_text, True

    answer_text = text
    monkeypatch.setattr(QInputDialog, "getText", get_text)
    return offered


def item(win: MainWindow, name: str):  # type: ignore[no-untyped-def]
    for row in range(win.sidebar.saved.count()):
        found = win.sidebar.saved.item(row)
        if found.data(Qt.ItemDataRole.UserRole) == name:
            return found
    raise AssertionError(f"no saved search {name!r} in the sidebar")


def filter_curve_by_pages(win: MainWindow) -> None:
    win.sidebar.select_tags(["Curve"])
    pages = [c.sort for c in win.model.columns].index(Sort.PAGES)
    win.table.sortByColumn(pages, Qt.SortOrder.DescendingOrder)


def test_saving_the_current_search_lists_it_with_its_count(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    assert window.sidebar.saved.isHidden() and not window.sidebar.saved_hint.isHidden()
    assert window.acts.save_search.shortcut() == QKeySequence(QKeySequence.StandardKey.Save)
    filter_curve_by_pages(window)
    offered = answer(monkeypatch, "Curve, longest")
    window.acts.save_search.trigger()  # the Edit menu's Save search…
    wait_items(qtbot, window, ["Curve, longest  (3)"])
    assert offered == ["Curve"]  # the tags suggested as its name
    assert window.sidebar.saved.isVisible() and window.sidebar.saved_hint.isHidden()
    saved = window.library.saved_search("Curve, longest")
    assert saved.query == window.model.query
    assert (saved.query.tags, saved.query.sort, saved.query.descending) == (("Curve",), Sort.PAGES, True)
    assert window.sidebar.marked_saved() == "Curve, longest"  # the table shows it
    # Ctrl+S, from the search field while a search is still being typed.
    window.search.setFocus()
    window.search.setText("tag:Raft")
    answer(monkeypatch, "Raft")
    qtbot.keyClick(window.search, Qt.Key.Key_S, Qt.KeyboardModifier.ControlModifier)
    wait_items(qtbot, window, ["Curve, longest  (3)", "Raft  (0)"])  # the Curve tag still filters
    assert window.library.saved_search("Raft").text == "tag:Raft"


def test_the_count_follows_an_edit_that_changes_who_belongs(
    qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    filter_curve_by_pages(window)
    window.save_current_search("Curve")
    window.clear_filters()
    window.search.setText("status:reading")
    window._search_timer.stop()
    window._apply_filters()
    window.save_current_search("Reading")
    wait_items(qtbot, window, ["Curve  (3)", "Reading  (1)"])
    window.clear_filters()
    window.tag_documents([5, 6], ["Curve"])  # into the list, which is not the one shown
    wait_items(qtbot, window, ["Curve  (5)", "Reading  (1)"])
    window.undo_stack.undo()
    wait_items(qtbot, window, ["Curve  (3)", "Reading  (1)"])
    window.table.selectRow(window.model.row_of(1))
    window.set_status("reading")
    wait_items(qtbot, window, ["Curve  (3)", "Reading  (2)"])
    # Another program's change (a terminal) is counted too.
    other = type(window.library)(window.library.path)
    other.delete([1])
    other.close()
    qtbot.waitUntil(lambda: saved_items(window) == ["Curve  (2)", "Reading  (1)"], timeout=10_000)


def test_choosing_a_saved_search_shows_its_documents_and_puts_its_filters_in_place(
    qtbot, window: MainWindow
) -> None:  # type: ignore[no-untyped-def]
    filter_curve_by_pages(window)
    window.search.setText("Curve")
    window._search_timer.stop()
    window._apply_filters()
    window.save_current_search("Curve in the read list")
    settle(window)
    window.clear_filters()
    window.sidebar.select_view(View.LATER)
    qtbot.waitUntil(lambda: window.sidebar.marked_saved() is None)
    saved = window.library.saved_search("Curve in the read list")
    expected = list(search_ids(window.library, saved.query))
    assert expected and list(window.model.ids()) != expected
    target = item(window, "Curve in the read list")
    rect = window.sidebar.saved.visualItemRect(target)
    qtbot.mouseClick(window.sidebar.saved.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    qtbot.waitUntil(lambda: list(window.model.ids()) == expected)
    assert window.model.query == saved.query
    assert window.search.text() == "Curve"
    assert window.sidebar.current_view() is View.ALL and window.sidebar.selected_tags() == ["Curve"]
    header = window.table.horizontalHeader()
    assert window.model.columns[header.sortIndicatorSection()].sort is Sort.PAGES
    assert header.sortIndicatorOrder() == Qt.SortOrder.DescendingOrder
    assert target.isSelected() and window.sidebar.marked_saved() == "Curve in the read list"
    assert not window.sidebar.views.currentItem().isSelected()  # the saved search is what is shown
    window.sidebar.select_view(View.UNREAD)  # another filter: no longer the saved search
    qtbot.waitUntil(lambda: window.sidebar.marked_saved() is None)
    assert not target.isSelected()


def test_rename_replace_and_delete_with_undo(qtbot, window: MainWindow, monkeypatch: pytest.MonkeyPatch) -> None:  # type: ignore[no-untyped-def]
    filter_curve_by_pages(window)
    window.save_current_search("Curve")
    wait_items(qtbot, window, ["Curve  (3)"])
    answer(monkeypatch, "Curve documents")
    window.sidebar.rename_saved_requested.emit("Curve")  # the item's context menu
    wait_items(qtbot, window, ["Curve documents  (3)"])
    window.clear_filters()
    window.sidebar.select_tags(["Raft"])
    window.sidebar.replace_saved_requested.emit("Curve documents")
    wait_items(qtbot, window, ["Curve documents  (1)"])
    assert window.library.saved_search("Curve documents").query.tags == ("Raft",)
    window.undo_stack.undo()  # the query it had
    wait_items(qtbot, window, ["Curve documents  (3)"])
    window.sidebar.delete_saved_requested.emit("Curve documents")
    wait_items(qtbot, window, [])
    assert window.library.saved_searches() == []
    assert window.sidebar.saved.isHidden()
    assert "Undo with Ctrl+Z" in window.statusBar().currentMessage()
    window.undo_stack.undo()
    wait_items(qtbot, window, ["Curve documents  (3)"])
    assert window.library.saved_search("Curve documents").query.tags == ("Curve",)
    window.undo_stack.undo()  # the rename
    wait_items(qtbot, window, ["Curve  (3)"])
    window.undo_stack.undo()  # the save
    wait_items(qtbot, window, [])
    window.undo_stack.redo()
    wait_items(qtbot, window, ["Curve  (3)"])


def test_a_saved_search_whose_tag_is_gone_finds_nothing(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.sidebar.select_tags(["Raft"])
    window.save_current_search("Raft")
    wait_items(qtbot, window, ["Raft  (1)"])
    window.clear_filters()
    window.remove_tag_everywhere("Raft")
    wait_items(qtbot, window, ["Raft  (0)"])
    window.show_saved("Raft")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0)


def test_a_large_library_counts_on_the_worker_thread(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.model.sync_limit = 0  # as a library of more than SYNC_LIMIT documents
    window.model.refresh(recount=True)
    asked: list[dict[str, object]] = []
    window.model._count_saved.connect(asked.append)  # what went to the worker
    window.search.setText("存储")  # a search of the excerpts: scanned on the worker
    window._search_timer.stop()
    window._apply_filters()
    window.save_current_search("存储")
    wait_items(qtbot, window, ["存储  (7)"])
    assert list(asked[0]) == ["存储"]
