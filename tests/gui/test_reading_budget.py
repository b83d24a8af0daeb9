"""The window's reading budget (marks, status bar, the detail pane's own estimate) and the preview of an
edit of many documents."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from helpers import new_listing
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QSettings, Qt
from PySide6.QtWidgets import QDialog

from docmanager.gui.mainwindow import MainWindow
from docmanager.gui.model import MARKED_BACKGROUND
from docmanager.importer import import_file, import_files
from docmanager.library import Library, View

CAPTURED = datetime(2026, 11, 1, tzinfo=UTC)
SAMPLE = Path(__file__).resolve().parents[2] / "resources" / "listing-page.txt"


def settle(win: MainWindow) -> None:
    assert win.operations.drain(timeout=20)


def marked_rows(win: MainWindow) -> list[int]:
    model = win.model
    model.ensure_rows(0, model.rowCount() - 1)
    return [
        model.doc_id(row)
        for row in range(model.rowCount())
        if model.data(model.index(row, 0), Qt.ItemDataRole.BackgroundRole) == MARKED_BACKGROUND
    ]


def queue_of(lib: Library, minutes: list[int | None]) -> list[int]:
    """Queue the library's first documents with these reading times (None: from its pages, which are
    made unknown): returns the queue."""
    ids = [d.id for d in lib.query(lib_query())][: len(minutes)]
    lib.conn.execute("UPDATE documents SET pages = NULL")
    lib.remove_from_later(lib.later_queue())
    lib.add_to_later(ids)
    for doc_id, m in zip(ids, minutes, strict=True):
        lib.set_reading_minutes([doc_id], m)
    return ids


def lib_query():  # type: ignore[no-untyped-def]
    from docmanager.library import ViewQuery

    return ViewQuery()


def test_the_queue_documents_that_fit_are_marked_and_counted(
    qtbot, window: MainWindow, gui_library: Library
) -> None:  # type: ignore[no-untyped-def]
    queue = queue_of(gui_library, [20, None, 30, 15, 60])
    window.changed()
    window.sidebar.select_view(View.LATER)
    assert window.budget_bar.isVisible()
    assert list(window.model.ids()) == queue
    assert marked_rows(window) == []  # no budget asked yet
    assert "Read later: 5 documents, ~2 h 5 min (1 without an estimate)" in window.matches.text()
    window.budget_bar.budget.setValue(65)
    # 20 + 30 + 15 = 65 fit; the one without an estimate is not counted; 60 more would not fit.
    assert marked_rows(window) == [queue[0], queue[2], queue[3]]
    assert "; 3 documents fit in 65 min" in window.matches.text()
    window.budget_bar.budget.setValue(49)
    assert marked_rows(window) == [queue[0]]
    assert "; 1 document fits in 49 min" in window.matches.text()
    # Editing the queue moves the marks: the first one now takes longer.
    window.detail.reading_minutes_edited.emit(queue[0], 50)
    settle(window)
    assert marked_rows(window) == []
    # Another view has neither the bar nor the marks.
    window.sidebar.select_view(View.ALL)
    assert not window.budget_bar.isVisible()
    assert marked_rows(window) == []
    assert "Read later" not in window.matches.text()


def test_the_reading_speed_is_a_setting(qtbot, window: MainWindow, gui_library: Library, settings: QSettings) -> None:  # type: ignore[no-untyped-def]
    gui_library.remove_from_later(gui_library.later_queue())
    gui_library.add_to_later([1])
    pages = gui_library.get(1).pages
    assert pages
    window.changed()
    window.sidebar.select_view(View.LATER)
    assert window.budget_bar.minutes_per_page() == 2.0  # the default
    window.budget_bar.budget.setValue(pages * 2)
    assert marked_rows(window) == [1]
    window.budget_bar.speed.setValue(3.0)
    assert marked_rows(window) == []
    assert float(settings.value("reading/minutes_per_page")) == 3.0  # type: ignore[arg-type]
    second = MainWindow(gui_library, settings)
    qtbot.addWidget(second)
    assert second.budget_bar.minutes_per_page() == 3.0
    assert second.budget_bar.minutes() == pages * 2
    second.close()


def test_what_fits_shortcut_opens_the_queue_with_the_budget(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    assert window.acts.what_fits.shortcut().toString() == "Ctrl+B"
    window.acts.what_fits.trigger()
    assert window.sidebar.current_view() is View.LATER
    assert window.budget_bar.isVisible()


def test_the_detail_pane_sets_and_undoes_a_documents_reading_time(
    qtbot, window: MainWindow, gui_library: Library
) -> None:  # type: ignore[no-untyped-def]
    window.table.selectRow(window.model.row_of(2))
    pages = gui_library.get(2).pages
    detail = window.detail
    assert detail.reading.value() == 0 and detail.reading.text() == "from pages"
    assert f"{pages} pages × 2 min/page" in detail.reading_note.text()
    detail.reading.setFocus()
    detail.reading.setValue(25)
    detail.reading.editingFinished.emit()
    settle(window)
    assert gui_library.get(2).reading_minutes == 25
    assert detail.reading_note.text().startswith("yours")
    window.acts.undo.trigger()
    settle(window)
    assert gui_library.get(2).reading_minutes is None
    assert detail.reading.value() == 0
    window.acts.redo.trigger()
    settle(window)
    assert gui_library.get(2).reading_minutes == 25
    assert detail.reading.value() == 25


# --- the preview of a bulk edit -------------------------------------------------------------------


@pytest.fixture
def big_window(qtbot, tmp_path: Path, settings: QSettings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    """A window on 30 documents: the sample and two more batches of its lines."""
    lib = Library(tmp_path / "big.sqlite")
    import_file(lib, SAMPLE, captured_at=CAPTURED)
    import_files(lib, [new_listing(tmp_path / "b1.txt", 1), new_listing(tmp_path / "b2.txt", 2)], captured_at=CAPTURED)
    assert lib.count() == 30
    lib.add_tags([1, 2, 3], ["Curve"])
    win = MainWindow(lib, settings)
    qtbot.addWidget(win)
    win.resize(1200, 700)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    lib.close()


def select_first(win: MainWindow, n: int) -> list[int]:
    selection = QItemSelection(win.model.index(0, 0), win.model.index(n - 1, win.model.columnCount() - 1))
    win.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    ids = win.table.selected_ids()
    assert len(ids) == n
    return ids


def tags_of(lib: Library) -> dict[int, tuple[str, ...]]:
    return {d.id: d.tags for d in lib.documents(list(range(1, 31)))}


def test_twenty_documents_are_tagged_without_a_preview(big_window: MainWindow) -> None:
    lib = big_window.library
    ids = select_first(big_window, 20)
    big_window.tag_documents(ids, ["新"])
    assert big_window.bulk_preview is None
    settle(big_window)
    assert all("新" in lib.get(i).tags for i in ids)


def test_tagging_21_documents_is_previewed_and_cancel_changes_nothing(big_window: MainWindow) -> None:
    lib = big_window.library
    before = tags_of(lib)
    ids = select_first(big_window, 21)
    big_window.tag_documents(ids, ["新", "curve"])
    dialog = big_window.bulk_preview
    assert dialog is not None and dialog.isVisible()
    assert "21 documents" in dialog.windowTitle()
    assert len(dialog.titles) == 5
    assert dialog.titles[0].toolTip() == lib.get(ids[0]).title
    assert set(dialog.count_rows()) == {("Curve", "3", str(3 + 21 - len({1, 2, 3} & set(ids)))), ("新", "0", "21")}
    dialog.reject()
    settle(big_window)
    assert big_window.bulk_preview is None
    assert tags_of(lib) == before
    assert big_window.undo_stack.count() == 0


def test_confirming_the_preview_applies_and_undo_restores(big_window: MainWindow) -> None:
    lib = big_window.library
    before = tags_of(lib)
    ids = select_first(big_window, 21)
    big_window.tag_documents(ids, ["Curve"], add=False)
    dialog = big_window.bulk_preview
    assert dialog is not None
    assert dialog.count_rows() == [("Curve", "3", str(3 - len({1, 2, 3} & set(ids))))]
    assert tags_of(lib) == before  # nothing yet
    dialog.confirm_button.click()
    settle(big_window)
    assert dialog.result() == QDialog.DialogCode.Accepted
    assert all("Curve" not in lib.get(i).tags for i in ids)
    big_window.acts.undo.trigger()
    settle(big_window)
    assert tags_of(lib) == before


def test_status_and_delete_of_21_are_previewed(big_window: MainWindow) -> None:
    lib = big_window.library
    ids = select_first(big_window, 21)
    big_window.set_status("read")
    dialog = big_window.bulk_preview
    assert dialog is not None
    assert dialog.count_rows() == [("Unread", "30", "9"), ("Read", "0", "21")]
    dialog.accept()
    settle(big_window)
    assert {lib.get(i).status for i in ids} == {"read"}

    select_first(big_window, 21)
    big_window.delete_selected()
    dialog = big_window.bulk_preview
    assert dialog is not None and "Delete 21 documents?" in dialog.findChildren(type(dialog.titles[0]))[0].text()
    dialog.reject()
    settle(big_window)
    assert lib.count() == 30
    big_window.delete_selected()
    assert big_window.bulk_preview is not None
    big_window.bulk_preview.accept()
    settle(big_window)
    assert lib.count() == 9
    big_window.acts.undo.trigger()
    settle(big_window)
    assert lib.count() == 30
