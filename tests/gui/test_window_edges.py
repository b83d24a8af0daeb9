"""Issue 13's window rough edges: filtering feedback, the queue's drag and drop and moves, tag
completion in the bulk dialog, and export, backup and restore from the File menu."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QTimer
from PySide6.QtGui import QDragEnterEvent, QDragMoveEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QFileDialog, QInputDialog, QLineEdit, QMessageBox
from test_mainwindow import select_rows, settle, shown_titles

from docmanager.gui.mainwindow import MainWindow
from docmanager.gui.model import IDS_MIME
from docmanager.library import Library, View
from docmanager.library.backup import backup_folder


def wait_refreshed(qtbot, win: MainWindow) -> None:  # type: ignore[no-untyped-def]
    qtbot.waitUntil(lambda: win.model.scan_progress is None, timeout=10_000)


# --- filtering feedback --------------------------------------------------------------------------


def test_an_empty_result_says_so_and_offers_to_clear(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert not window.no_matches.isVisible()
    window.sidebar.select_tags(["Curve", "Raft"])  # no document has both
    assert window.model.rowCount() == 0
    assert window.no_matches.isVisible()
    assert "No documents match" in window.no_matches.title.text()
    assert "Curve, Raft" in window.no_matches.filters.text()
    qtbot.mouseClick(window.no_matches.clear_button, Qt.MouseButton.LeftButton)
    assert window.model.rowCount() == 10
    assert not window.no_matches.isVisible()
    assert window.sidebar.selected_tags() == []


def test_the_message_names_the_search_and_clearing_empties_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.sidebar.select_view(View.LATER)
    window.search.setText("zzzz-nothing")
    qtbot.waitUntil(lambda: window.model.rowCount() == 0 and window.no_matches.isVisible(), timeout=5000)
    assert "zzzz-nothing" in window.no_matches.filters.text()
    assert window.no_matches.filters.text().count("\n") == 1  # the search and the view
    window.acts.clear_filters.trigger()
    assert window.search.text() == ""
    assert window.sidebar.current_view() is View.ALL
    assert window.model.rowCount() == 10 and not window.no_matches.isVisible()


def test_no_message_over_an_empty_library(qtbot, tmp_path: Path, settings: QSettings) -> None:  # type: ignore[no-untyped-def]
    lib = Library(tmp_path / "empty.sqlite")
    win = MainWindow(lib, settings)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    win.search.setText("anything")
    qtbot.wait(400)
    assert win.center.currentWidget() is win.welcome
    assert not win.no_matches.isVisible()
    win.close()
    lib.close()


def test_escape_clears_the_search(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    window.acts.find.trigger()
    window.search.setText("中文手册")
    qtbot.waitUntil(lambda: window.model.rowCount() == 3, timeout=5000)
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)
    assert window.search.text() == ""
    qtbot.waitUntil(lambda: window.model.rowCount() == 10, timeout=5000)
    qtbot.keyClick(window.search, Qt.Key.Key_Escape)  # empty: back to the table
    qtbot.waitUntil(window.table.hasFocus, timeout=2000)


def test_all_documents_is_not_highlighted_under_a_tag_filter(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    views = window.sidebar.views
    assert views.item(0).isSelected()
    window.sidebar.select_tags(["Curve"])
    assert not views.item(0).isSelected()  # the table does not show all documents
    rect = views.visualItemRect(views.item(0))
    qtbot.mouseClick(views.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.sidebar.selected_tags() == []  # All documents means all of them
    assert views.item(0).isSelected() and window.model.rowCount() == 10
    # Another view combined with a tag: both are highlighted, and the table shows both.
    window.sidebar.select_view(View.LATER)
    window.sidebar.select_tags(["Raft"])
    assert views.item(1).isSelected()
    assert shown_titles(window) == ["Raft在Curve存储中的工程实践"]


def test_tags_match_all_or_any_and_the_choice_is_remembered(
    qtbot, window: MainWindow, gui_library: Library, settings: QSettings
) -> None:  # type: ignore[no-untyped-def]
    window.sidebar.select_tags(["Curve", "Raft"])
    assert window.model.rowCount() == 0
    window.sidebar.match_any.click()
    assert window.model.query.tag_mode == "any"
    assert window.model.rowCount() == 4  # three with Curve, one with Raft
    window.close()
    second = MainWindow(gui_library, settings)
    qtbot.addWidget(second)
    assert second.sidebar.match_any.isChecked() and second.model.query.tag_mode == "any"
    second.close()


# --- the read-later queue -------------------------------------------------------------------------


def drop_rows(win: MainWindow, rows: list[int], on_row: int, lower_half: bool = False) -> None:
    mime = win.model.mimeData([win.model.index(r, 0) for r in rows])
    if on_row < win.model.rowCount():
        rect = win.table.visualRect(win.model.index(on_row, 0))
        point = QPointF(rect.center().x(), rect.bottom() - 1 if lower_half else rect.top() + 1)
    else:
        point = QPointF(10, win.table.viewport().height() - 2)
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    # As a drag does: enter and move (which the view must accept for the drop to come), then drop.
    enter = QDragEnterEvent(point, Qt.DropAction.MoveAction, mime, buttons, keys)
    QApplication.sendEvent(win.table.viewport(), enter)
    assert enter.isAccepted()
    move = QDragMoveEvent(point, Qt.DropAction.MoveAction, mime, buttons, keys)
    QApplication.sendEvent(win.table.viewport(), move)
    assert move.isAccepted()
    drop = QDropEvent(point, Qt.DropAction.MoveAction, mime, buttons, keys)
    QApplication.sendEvent(win.table.viewport(), drop)
    assert drop.isAccepted()


def test_dragging_in_the_read_later_view_reorders_the_queue(
    qtbot, window: MainWindow, gui_library: Library
) -> None:  # type: ignore[no-untyped-def]
    assert not window.table.dragEnabled()  # All documents has no order to change
    window.sidebar.select_view(View.LATER)
    assert window.table.dragEnabled()
    assert list(window.model.ids()) == [3, 5, 9]
    drop_rows(window, [2], on_row=0)  # 9 dropped on the top half of 3: before it
    settle(window)
    assert gui_library.later_queue() == [9, 3, 5]
    assert list(window.model.ids()) == [9, 3, 5]
    drop_rows(window, [0, 1], on_row=3)  # below the last row: to the end, kept in order
    settle(window)
    assert gui_library.later_queue() == [5, 9, 3]
    drop_rows(window, [0], on_row=1, lower_half=True)  # 5 after 9
    settle(window)
    assert gui_library.later_queue() == [9, 5, 3]
    window.acts.undo.trigger()
    settle(window)
    assert gui_library.later_queue() == [5, 9, 3]
    window.table.sortByColumn(0, Qt.SortOrder.AscendingOrder)  # by title: no dragging
    assert not window.table.dragEnabled()


def test_a_drag_carries_ids_not_cells(window: MainWindow) -> None:
    mime = window.model.mimeData([window.model.index(0, c) for c in range(3)] + [window.model.index(2, 0)])
    assert mime.formats() == [IDS_MIME]
    ids = list(window.model.ids())
    assert bytes(mime.data(IDS_MIME).data()).decode() == f"{ids[0]},{ids[2]}"
    foreign = QMimeData()  # held here: the event keeps only a pointer to it
    foreign.setText("1,2")
    drop = QDropEvent(
        QPointF(5, 5), Qt.DropAction.MoveAction, foreign, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    window.table.dropEvent(drop)  # not our rows: refused, nothing moves
    assert not drop.isAccepted()
    assert window.undo_stack.count() == 0


def test_move_to_top_and_bottom_are_undoable(qtbot, window: MainWindow, gui_library: Library) -> None:  # type: ignore[no-untyped-def]
    a = window.acts
    assert a.later_top.shortcut() == QKeySequence("Ctrl+Shift+Up")
    assert a.later_bottom.shortcut() == QKeySequence("Ctrl+Shift+Down")
    assert a.later_top in window.table.actions() and a.later_bottom in window.table.actions()
    docs_menu = next(m.menu() for m in window.menuBar().actions() if m.menu() and a.later_top in m.menu().actions())
    assert a.later_bottom in docs_menu.actions()
    window.sidebar.select_view(View.LATER)
    select_rows(window, [1, 2])
    window.table.setFocus()
    qtbot.keyClick(window.table, Qt.Key.Key_Up, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
    settle(window)
    assert gui_library.later_queue() == [5, 9, 3]
    assert window.table.selected_ids() == [5, 9]  # the selection follows the documents
    select_rows(window, [0])
    a.later_bottom.trigger()
    settle(window)
    assert gui_library.later_queue() == [9, 3, 5]
    a.undo.trigger()
    settle(window)
    assert gui_library.later_queue() == [5, 9, 3]
    a.undo.trigger()
    settle(window)
    assert gui_library.later_queue() == [3, 5, 9]
    a.redo.trigger()
    settle(window)
    assert gui_library.later_queue() == [5, 9, 3]


def test_moving_documents_outside_the_queue_adds_no_undo_step(window: MainWindow, gui_library: Library) -> None:
    window.sidebar.select_view(View.UNREAD)
    select_rows(window, [0])
    assert not gui_library.get(window.table.current_id()).read_later
    window.acts.later_top.trigger()
    settle(window)
    assert window.undo_stack.count() == 0


# --- bulk add tags --------------------------------------------------------------------------------


def test_the_add_tags_dialog_completes_tag_names(qtbot, window: MainWindow, gui_library: Library) -> None:  # type: ignore[no-untyped-def]
    assert window.tag_names == ["Curve", "Raft", "分布式"]
    select_rows(window, [0, 1])
    ids = window.table.selected_ids()
    seen: dict[str, object] = {}

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QInputDialog)
        field = dialog.findChild(QLineEdit)
        completer = field.completer()
        seen["completer"] = completer
        field.setText("new, ra")
        completer.setCompletionPrefix(completer.splitPath(field.text())[0])
        seen["count"] = completer.completionCount()
        seen["path"] = completer.currentCompletion()  # the tags typed before stay
        dialog.setTextValue(str(seen["path"]))
        dialog.accept()

    QTimer.singleShot(0, answer)
    window.acts.add_tags.trigger()
    settle(window)
    assert seen["count"] == 1
    assert seen["path"] == "new, Raft"
    assert all({"new", "Raft"} <= set(gui_library.get(i).tags) for i in ids)


# --- export, backup, restore ----------------------------------------------------------------------


def file_menu_actions(win: MainWindow) -> list[str]:
    menu = win.menuBar().actions()[0].menu()
    return [a.text() for a in menu.actions()]


def answer_save_dialog(path: Path, name_filter: str = "") -> None:
    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        if name_filter:
            dialog.selectNameFilter(name_filter)
        dialog.selectFile(str(path))
        dialog.accept()

    QTimer.singleShot(0, answer)


@pytest.mark.parametrize("fmt", ["json", "csv"])
def test_export_runs_on_a_worker_and_reports(qtbot, window: MainWindow, tmp_path: Path, fmt: str) -> None:  # type: ignore[no-untyped-def]
    assert {"&Export…", "&Back up…", "&Restore from a backup…"} <= set(file_menu_actions(window))
    target = tmp_path / f"out.{fmt}"
    answer_save_dialog(target)
    window.acts.export.trigger()
    assert window.task_running  # off the window's thread
    qtbot.waitUntil(lambda: not window.task_running, timeout=10_000)
    assert target.exists()
    if fmt == "json":
        assert len(json.loads(target.read_text(encoding="utf-8"))["documents"]) == 10
    else:
        assert target.read_text(encoding="utf-8").count("\n") == 11
    assert "Exported 10 document(s)" in window.statusBar().currentMessage()


def test_export_errors_are_shown_not_raised(qtbot, window: MainWindow, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    target = tmp_path / "folder-that-is-a-file"
    target.write_text("x")
    window.export_to(target / "out.json", "json")  # its folder is a file
    qtbot.waitUntil(lambda: not window.task_running, timeout=10_000)
    assert shown and "cannot write the export" in shown[0]


def test_backup_then_restore_through_the_edit_queue(
    qtbot, window: MainWindow, gui_library: Library, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    target = tmp_path / "mine.sqlite"
    answer_save_dialog(target)
    window.acts.backup.trigger()
    qtbot.waitUntil(lambda: not window.task_running, timeout=10_000)
    assert target.exists() and "Backed up" in window.statusBar().currentMessage()
    select_rows(window, [0, 1, 2])
    window.acts.delete.trigger()
    settle(window)
    assert gui_library.count() == 7

    box = window.restore_question(target)
    text = box.text() + box.informativeText()
    assert "mine.sqlite" in text and str(backup_folder(gui_library.path)) in text
    assert box.defaultButton() == box.button(QMessageBox.StandardButton.Cancel)
    box.deleteLater()
    window.restore_from(target)
    settle(window)
    assert gui_library.count() == 10
    assert window.model.rowCount() == 10
    assert window.undo_stack.count() == 0  # the delete's undo would name documents of the old content
    assert "Restored 10 document(s)" in window.statusBar().currentMessage()
    assert any(backup_folder(gui_library.path).iterdir())  # the content replaced was kept


def test_a_restore_from_a_file_that_is_not_a_library_changes_nothing(
    window: MainWindow, gui_library: Library, tmp_path: Path, monkeypatch
) -> None:  # type: ignore[no-untyped-def]
    shown: list[str] = []
    monkeypatch.setattr(QMessageBox, "warning", lambda _parent, _title, text: shown.append(text))
    bogus = tmp_path / "notes.sqlite"
    bogus.write_text("not a database")
    window.restore_from(bogus)
    settle(window)
    assert shown and "Traceback" not in shown[0]
    assert gui_library.count() == 10


def test_restore_asks_first(window: MainWindow, gui_library: Library, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    restored: list[Path] = []
    monkeypatch.setattr(window, "restore_from", restored.append)
    monkeypatch.setattr(window, "confirm_restore", lambda _source: False)
    answer_save_dialog(tmp_path / "x.sqlite")  # the open dialog answers the same way
    (tmp_path / "x.sqlite").write_text("")
    window.acts.restore.trigger()
    assert restored == []
    monkeypatch.setattr(window, "confirm_restore", lambda _source: True)
    answer_save_dialog(tmp_path / "x.sqlite")
    window.acts.restore.trigger()
    assert restored == [tmp_path / "x.sqlite"]


def test_choosing_csv_in_the_export_dialog_changes_the_name(qtbot, window: MainWindow, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    window.settings.setValue("export/last_folder", str(tmp_path))
    seen: list[str] = []

    def answer() -> None:
        dialog = QApplication.activeModalWidget()
        assert isinstance(dialog, QFileDialog)
        dialog.selectNameFilter(dialog.nameFilters()[1])  # CSV
        dialog.filterSelected.emit(dialog.nameFilters()[1])  # as the combo box does when a user picks it
        seen.append(dialog.findChild(QLineEdit, "fileNameEdit").text())
        dialog.accept()

    QTimer.singleShot(0, answer)
    window.acts.export.trigger()
    qtbot.waitUntil(lambda: not window.task_running, timeout=10_000)
    assert seen == ["library.csv"]
    assert (tmp_path / "library.csv").read_text(encoding="utf-8").startswith("id,")
