"""The main window driven as a user would: filters, edits, bulk actions, undo, import, drag and drop."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QItemSelection, QItemSelectionModel, QMimeData, QPointF, QSettings, Qt, QTimer, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QInputDialog, QProgressDialog

from docmanager.gui import importing
from docmanager.gui.importing import ImportSummary
from docmanager.gui.mainwindow import MainWindow
from docmanager.library import Library, Sort, View


def shown_titles(win: MainWindow) -> list[str]:
    return [d.title for d in win.library.documents(list(win.model.ids()))]


def settle(win: MainWindow) -> None:
    """Wait for the window's edits to commit and their refreshes to run (they run on the edit thread)."""
    assert win.operations.drain(timeout=20)


def select_rows(win: MainWindow, rows: list[int]) -> None:
    win.table.clearSelection()
    selection = QItemSelection()
    for row in rows:
        selection.select(win.model.index(row, 0), win.model.index(row, win.model.columnCount() - 1))
    win.table.selectionModel().select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
    win.table.selectionModel().setCurrentIndex(win.model.index(rows[0], 0), QItemSelectionModel.SelectionFlag.NoUpdate)


def test_window_shows_the_library_with_counts(window: MainWindow) -> None:
    assert window.model.rowCount() == 10
    assert window.center.currentWidget() is window.table
    assert "10 of 10 documents" in window.matches.text()
    assert window.sidebar.views.item(1).text().endswith("(3)")  # read later
    assert window.sidebar.tags.tags() == [("Curve", 3), ("Raft", 1), ("分布式", 1)]


def test_tag_filter_and_ctrl_click_combination(qtbot, window: MainWindow) -> None:
    window.sidebar.select_tags(["Curve"])
    assert sorted(shown_titles(window)) == sorted(
        ["Curve核心组件之Client - 网易数帆", "Curve核心组件之snapshotclone", "Curve核心组件之mds – 网易数帆"]
    )
    window.sidebar.select_tags(["Raft", "分布式"])  # both tags: the one document carrying both
    assert shown_titles(window) == ["Raft在Curve存储中的工程实践"]
    window.sidebar.select_tags(["Curve", "Raft"])  # no document has both
    assert window.model.rowCount() == 0
    assert "0 of 10" in window.matches.text()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("中文手册", {"TiDB v8.5 中文手册", "TiDB v8.4 中文手册", "TiDB v8.2 中文手册"}),
        ("网易", {"Curve核心组件之Client - 网易数帆", "Curve核心组件之mds – 网易数帆"}),
        ("rust", {"Comprehensive Rust(简体中文) 202412"}),
        ("tag:分布式", {"Raft在Curve存储中的工程实践"}),
        ("pages:>1000", {"TiDB v8.5 中文手册", "TiDB v8.4 中文手册", "TiDB v8.2 中文手册"}),
        ("later:yes pages:<100", {"Raft在Curve存储中的工程实践", "CurveFS方案设计"}),
        ("status:reading", {"TiDB v8.5 中文手册"}),
        ("zzzz-nothing", set()),
    ],
)
def test_search_field_filters_as_you_type(qtbot, window: MainWindow, text: str, expected: set[str]) -> None:
    window.search.insert(text)  # as an input method commits it
    qtbot.waitUntil(lambda: set(shown_titles(window)) == expected, timeout=3000)
    assert f"{len(expected)} of 10 documents" in window.matches.text()


def test_search_covers_excerpts_with_two_chinese_characters(qtbot, window: MainWindow) -> None:
    window.search.insert("复制")  # in several excerpts, in no title
    qtbot.waitUntil(lambda: window.model.rowCount() > 0, timeout=3000)
    for doc in window.library.documents(list(window.model.ids())):
        assert "复制" in doc.excerpt or "复制" in doc.title


def test_editing_title_tags_and_status_in_the_detail_pane(qtbot, window: MainWindow, gui_library: Library) -> None:
    window.table.selectRow(0)
    doc_id = window.table.current_id()
    assert window.detail.doc_id == doc_id
    title_column = 0
    # Title
    window.detail.title.clear()
    window.detail.title.insert("A corrected title 修正")  # as an input method commits it
    qtbot.keyClick(window.detail.title, Qt.Key.Key_Return)
    settle(window)
    assert gui_library.get(doc_id).title == "A corrected title 修正"
    row = window.model.row_of(doc_id)
    window.model.ensure_rows(row, row)
    assert window.model.data(window.model.index(row, title_column)) == "A corrected title 修正"
    # Tags, with a new one and a case-insensitive existing one
    window.detail.tags.clear()
    window.detail.tags.insert("curve, 必读")  # as an input method commits it
    qtbot.keyClick(window.detail.tags, Qt.Key.Key_Return)
    settle(window)
    assert set(gui_library.get(doc_id).tags) == {"Curve", "必读"}
    tags_column = [c.key for c in window.model.columns].index("tags")
    row = window.model.row_of(doc_id)
    window.model.ensure_rows(row, row)
    assert window.model.data(window.model.index(row, tags_column)) == "Curve, 必读"
    # Status
    window.detail.status.setCurrentIndex(window.detail.status.findData("read"))
    settle(window)
    assert gui_library.get(doc_id).status == "read"
    # And it is in the file, seen by another connection
    with Library(gui_library.path) as other:
        doc = other.get(doc_id)
        assert (doc.title, set(doc.tags), doc.status) == ("A corrected title 修正", {"Curve", "必读"}, "read")


def test_notes_are_saved_and_searchable(qtbot, window: MainWindow, gui_library: Library) -> None:
    window.table.selectRow(2)
    doc_id = window.table.current_id()
    window.detail.notes.insertPlainText("第二章值得重读")
    window.detail.flush()
    settle(window)
    assert gui_library.get(doc_id).notes == "第二章值得重读"
    window.search.insert("重读")  # as an input method commits it
    qtbot.waitUntil(lambda: list(window.model.ids()) == [doc_id], timeout=3000)


def test_excerpt_is_plain_text_never_html(window: MainWindow, gui_library: Library) -> None:
    gui_library.set_title(1, "<b>bold</b> <script>alert(1)</script>")
    window.changed()
    window.table.selectRow(window.model.row_of(1))
    assert window.detail.title.text() == "<b>bold</b> <script>alert(1)</script>"
    assert all(label.textFormat() == Qt.TextFormat.PlainText for label in window.detail.fields.values())


def test_bulk_tag_and_undo_redo(qtbot, window: MainWindow, gui_library: Library) -> None:
    select_rows(window, [0, 1, 2, 3])
    ids = window.table.selected_ids()
    assert len(ids) == 4
    window.tag_documents(ids, ["批量", "Curve"])
    settle(window)
    assert all("批量" in gui_library.get(i).tags for i in ids)
    before_curve = {i for i in ids if "Curve" in gui_library.get(i).tags}
    assert before_curve == set(ids)
    assert window.table.selected_ids() == ids  # the selection survives the refresh
    assert window.acts.undo.shortcut() == QKeySequence(QKeySequence.StandardKey.Undo)
    window.acts.undo.trigger()
    settle(window)
    assert all("批量" not in gui_library.get(i).tags for i in ids)
    # Undo removed only the links it added: documents that had Curve before keep it.
    had_curve = {1, 2, 4}
    assert {i for i in ids if "Curve" in gui_library.get(i).tags} == had_curve & set(ids)
    window.undo_stack.redo()
    settle(window)
    assert all({"批量", "Curve"} <= set(gui_library.get(i).tags) for i in ids)


def test_delete_and_undo_restores_everything(qtbot, window: MainWindow, gui_library: Library) -> None:
    window.sidebar.select_tags(["Raft"])
    select_rows(window, [0])
    doc = gui_library.get(window.table.current_id())
    window.table.setFocus()
    window.acts.delete.trigger()
    settle(window)
    assert gui_library.count() == 9
    window.sidebar.select_tags([])
    assert window.model.rowCount() == 9
    window.acts.undo.trigger()
    settle(window)
    assert gui_library.count() == 10
    assert gui_library.get(doc.id) == doc  # same id, tags, queue position, everything


def test_keyboard_moves_through_table_and_toggles_read_later(qtbot, window: MainWindow, gui_library: Library) -> None:
    window.table.setFocus()
    window.table.selectRow(0)
    first = window.detail.doc_id
    qtbot.keyClick(window.table, Qt.Key.Key_Down)
    second = window.detail.doc_id
    assert second != first and second == window.table.current_id()
    was_queued = gui_library.get(second).read_later
    qtbot.keyClick(window.table, Qt.Key.Key_L)
    settle(window)
    assert gui_library.get(second).read_later is not was_queued


def test_read_later_queue_reorders(qtbot, window: MainWindow, gui_library: Library) -> None:
    window.sidebar.select_view(View.LATER)
    assert window.model.query.sort is Sort.LATER
    assert list(window.model.ids()) == [3, 5, 9]
    select_rows(window, [2])
    window.acts.later_up.trigger()
    settle(window)
    assert list(window.model.ids()) == [3, 9, 5]
    assert gui_library.later_queue() == [3, 9, 5]
    assert "Read later: 3 documents, ~" in window.matches.text()


def _wait_import(qtbot, win: MainWindow) -> list:  # type: ignore[no-untyped-def]
    with qtbot.waitSignal(win.import_finished, timeout=20_000) as blocker:
        pass
    return blocker.args[0]  # type: ignore[no-any-return]


def test_import_runs_with_progress_and_shows_summary(qtbot, window: MainWindow, tmp_path: Path) -> None:
    listing = tmp_path / "new page.txt"
    text = (Path(__file__).parents[2] / "resources" / "listing-page.txt").read_text(encoding="utf-8")
    listing.write_text(
        text.replace(" 页 |", " 页 |", 9).replace("27 页", "271 页") + "bad line 码力 | x 页\n", encoding="utf-8"
    )
    with qtbot.waitSignal(window.import_finished, timeout=20_000) as blocker:
        window.import_paths([listing])
    (result,) = blocker.args[0]
    # the other nine are known documents (seen at another capture time: updated ages)
    assert (result.new, result.updated + result.unchanged, len(result.rejections)) == (1, 9, 1)
    assert window.model.rowCount() == 11
    summary = ImportSummary(blocker.args[0], "", window)
    qtbot.addWidget(summary)
    assert "1 new" in summary.headline.text() and "1 lines rejected" in summary.headline.text()
    item = summary.tree.topLevelItem(0)
    assert item.childCount() == 1 and "line" in item.child(0).text(0)
    assert "result fields are incomplete" in item.child(0).text(4)


def test_cancelled_import_leaves_the_library_unchanged(
    qtbot, window: MainWindow, gui_library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A listing big enough to have several chunks, so that Cancel arrives in the middle of it.
    sample = (Path(__file__).parents[2] / "resources" / "listing-page.txt").read_text(encoding="utf-8")
    lines = [ln for ln in sample.splitlines() if "码力" in ln]
    big = tmp_path / "big.txt"
    big.write_text(
        "\n".join(ln.replace(" 页 |", f"{n} 页 |", 1) for n in range(6000) for ln in lines[:1]), encoding="utf-8"
    )
    before = (gui_library.count(), gui_library.imports())
    progress_seen: list[int] = []

    def cancel_on_progress(self: QProgressDialog, value: int, maximum: int, name: str) -> None:
        progress_seen.append(value)
        self.canceled.emit()  # what pressing Cancel does

    monkeypatch.setattr(importing.ImportProgress, "update_progress", cancel_on_progress)
    with qtbot.waitSignal(window.import_finished, timeout=30_000) as blocker:
        window.import_paths([big])
    assert progress_seen, "progress was reported"
    assert blocker.args[0] == []  # nothing finished
    assert "cancelled" in window.last_error
    assert (gui_library.count(), gui_library.imports()) == before


def test_drag_and_drop_of_a_listing_file_imports_it(
    qtbot, tmp_path: Path, settings: QSettings, sample_copy: Path
) -> None:
    library = Library(tmp_path / "empty.sqlite")
    win = MainWindow(library, settings)
    win.setProperty("quiet_imports", True)
    qtbot.addWidget(win)
    win.show()
    assert win.center.currentWidget() is win.welcome
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(sample_copy))])
    enter = QDragEnterEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    QApplication.sendEvent(win, enter)
    assert enter.isAccepted()
    drop = QDropEvent(
        QPointF(50, 50), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    with qtbot.waitSignal(win.import_finished, timeout=20_000):
        QApplication.sendEvent(win, drop)
    assert library.count() == 10
    assert win.center.currentWidget() is win.table
    assert library.get(1).source_file == str(sample_copy)
    win.close()
    library.close()


def test_welcome_offers_the_bundled_sample(qtbot, tmp_path: Path, settings: QSettings) -> None:
    library = Library(tmp_path / "first-start.sqlite")
    win = MainWindow(library, settings)
    win.setProperty("quiet_imports", True)
    qtbot.addWidget(win)
    win.show()
    with qtbot.waitSignal(win.import_finished, timeout=20_000):
        qtbot.mouseClick(win.welcome.sample_button, Qt.MouseButton.LeftButton)
    assert library.count() == 10
    win.close()
    library.close()


def test_settings_are_restored_in_a_second_window(qtbot, gui_library: Library, settings: QSettings) -> None:
    first = MainWindow(gui_library, settings)
    qtbot.addWidget(first)
    first.resize(first.width(), 466)
    first.show()
    header = first.table.horizontalHeader()
    pages = [c.key for c in first.model.columns].index("pages")
    header.setSortIndicator(pages, Qt.SortOrder.DescendingOrder)
    tags = [c.key for c in first.model.columns].index("tags")
    header.resizeSection(tags, 222)  # the title stretches to the spare width; the others keep theirs
    header.setSectionHidden([c.key for c in first.model.columns].index("price"), True)
    header.moveSection(pages, 0)
    first.splitter.setSizes([150, 300, 261])
    sizes = first.splitter.sizes()
    first.close()

    second = MainWindow(gui_library, settings)
    qtbot.addWidget(second)
    second.show()
    h2 = second.table.horizontalHeader()
    assert (h2.sortIndicatorSection(), h2.sortIndicatorOrder()) == (pages, Qt.SortOrder.DescendingOrder)
    assert second.model.query.sort is Sort.PAGES and second.model.query.descending
    assert list(second.model.ids()) == list(gui_library.query_ids(second.model.query))
    assert h2.sectionSize(tags) == 222
    assert h2.isSectionHidden([c.key for c in second.model.columns].index("price"))
    assert h2.visualIndex(pages) == 0
    assert second.height() == 466  # (the offscreen screen is 800 px wide: widths are clamped to it)
    assert second.splitter.sizes()[0] == sizes[0]  # the others stretch with the clamped width
    second.close()


def test_ctrl_q_closes_and_ctrl_f_focuses_search(qtbot, window: MainWindow) -> None:
    window.acts.find.trigger()
    assert window.search.hasFocus() or QApplication.focusWidget() is window.search
    QTimer.singleShot(0, lambda: None)
    window.acts.quit.trigger()
    assert not window.isVisible()


def test_window_shows_documents_imported_by_another_program(qtbot, tmp_path: Path, settings: QSettings) -> None:
    """A `docmanager import` in a terminal while the window is open: the window picks it up."""
    from docmanager.cli import main

    library = Library(tmp_path / "shared.sqlite")
    win = MainWindow(library, settings)
    qtbot.addWidget(win)
    win.show()
    assert win.model.rowCount() == 0
    sample = Path(__file__).resolve().parents[2] / "resources" / "listing-page.txt"
    assert main(["import", "--library", str(library.path), str(sample)]) == 0  # its own connection
    qtbot.waitUntil(lambda: win.model.rowCount() == 10, timeout=5000)  # the 2-second poll
    assert "10 of 10 documents" in win.matches.text()
    win.close()
    library.close()


def test_a_file_opened_with_the_app_on_macos_is_imported(
    qtbot, tmp_path: Path, settings: QSettings, sample_copy: Path
) -> None:
    """Finder sends a FileOpen event to the running application instead of an argument."""
    from PySide6.QtGui import QFileOpenEvent

    from docmanager.gui.app import FileOpenFilter

    library = Library(tmp_path / "mac.sqlite")
    win = MainWindow(library, settings)
    win.setProperty("quiet_imports", True)
    qtbot.addWidget(win)
    app = QApplication.instance()
    event_filter = FileOpenFilter(win)
    app.installEventFilter(event_filter)
    try:
        with qtbot.waitSignal(win.import_finished, timeout=20_000):
            QApplication.sendEvent(app, QFileOpenEvent(str(sample_copy)))
        assert library.count() == 10
    finally:
        app.removeEventFilter(event_filter)
        win.close()
        library.close()


def test_removing_a_tag_everywhere_reaches_documents_outside_the_view(
    qtbot, window: MainWindow, gui_library: Library
) -> None:
    window.sidebar.select_view(View.READING)  # only document 6; "Curve" is on 1, 2 and 4
    window.remove_tag_everywhere("Curve")
    settle(window)
    assert all("Curve" not in gui_library.get(i).tags for i in (1, 2, 4))
    window.acts.undo.trigger()
    settle(window)
    assert all("Curve" in gui_library.get(i).tags for i in (1, 2, 4))


def test_the_status_bar_follows_an_excerpt_scan(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    from docmanager.library.plan import Tuning

    window.model.sync_limit = 0  # the sample as a big library, scanned one id at a time
    window.model.tuning = Tuning(first_step=2, first_rows_seconds=0.0, scan_range=1)
    texts: list[str] = []
    window.model.progressed.connect(lambda: texts.append(window.matches.text()))
    window.search.setText("复制")  # applied when the typing pauses, as for the user
    qtbot.waitUntil(lambda: bool(texts) and not window.model.busy, timeout=5000)
    assert texts and all("found so far; searching the excerpts" in t for t in texts)
    assert texts[-1].endswith("100%")
    expected = len(window.library.query_ids(window.model.query))
    assert window.matches.text().startswith(f"{expected} of 10 documents")


# --- issue 13's bugs: each test failed before its fix ----------------------------------------------


def test_each_view_keeps_its_own_sort(qtbot, window: MainWindow, settings: QSettings, gui_library: Library) -> None:  # type: ignore[no-untyped-def]
    pages = [c.sort for c in window.model.columns].index(Sort.PAGES)
    window.table.sortByColumn(pages, Qt.SortOrder.DescendingOrder)
    window.sidebar.select_view(View.LATER)
    assert window.model.query.sort is Sort.LATER  # the queue in queue order
    window.sidebar.select_view(View.ALL)
    assert (window.model.query.sort, window.model.query.descending) == (Sort.PAGES, True)
    window.sidebar.select_view(View.LATER)
    window.close()  # closed while showing the queue: the next window still opens All by pages
    second = MainWindow(gui_library, settings)
    qtbot.addWidget(second)
    assert (second.model.query.sort, second.model.query.descending) == (Sort.PAGES, True)
    second.close()


def test_renaming_and_merging_a_tag_is_undone_and_keeps_the_history(  # type: ignore[no-untyped-def]
    qtbot, window: MainWindow, gui_library: Library, monkeypatch
) -> None:
    window.tag_documents([5], ["Raft"])
    settle(window)
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("curve", True))
    window.rename_tag("Raft")  # onto an existing tag: merged into Curve
    settle(window)
    assert gui_library.get(3).tags == ("Curve", "分布式") and gui_library.get(5).tags == ("Curve",)
    assert "Raft" not in dict(gui_library.tag_counts())
    assert window.undo_stack.count() == 2  # the tagging before it is still undoable
    window.acts.undo.trigger()
    settle(window)
    assert set(gui_library.get(3).tags) == {"Raft", "分布式"} and gui_library.get(5).tags == ("Raft",)
    assert [gui_library.get(i).tags for i in (1, 2, 4)] == [("Curve",)] * 3
    window.acts.undo.trigger()
    settle(window)
    assert gui_library.get(5).tags == ()
    window.undo_stack.redo()
    window.undo_stack.redo()
    settle(window)
    assert gui_library.get(5).tags == ("Curve",)
    monkeypatch.setattr(QInputDialog, "getText", lambda *args, **kwargs: ("共识", True))
    window.rename_tag("分布式")  # a plain rename, undone too
    settle(window)
    assert gui_library.get(3).tags == ("Curve", "共识")
    window.acts.undo.trigger()
    settle(window)
    assert gui_library.get(3).tags == ("Curve", "分布式")


def test_redo_of_read_later_puts_the_document_back_in_its_place(
    qtbot, window: MainWindow, gui_library: Library
) -> None:  # type: ignore[no-untyped-def]
    assert gui_library.later_queue() == [3, 5, 9]
    window.table.selectRow(window.model.row_of(1))
    window.toggle_later()
    settle(window)
    assert gui_library.later_queue() == [3, 5, 9, 1]
    window.acts.undo.trigger()
    settle(window)
    with Library(gui_library.path) as terminal:  # meanwhile another program queues one more
        terminal.add_to_later([7])
    window.acts.redo.trigger()
    settle(window)
    assert gui_library.later_queue() == [3, 5, 9, 1, 7]


def test_the_delete_message_goes_when_the_delete_is_undone(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    select_rows(window, [0])
    window.table.setFocus()
    window.acts.delete.trigger()
    settle(window)
    assert window.statusBar().currentMessage().startswith("Deleted 1 document(s)")
    window.acts.undo.trigger()
    settle(window)
    assert window.statusBar().currentMessage() == ""


def test_the_import_dialog_is_labelled_by_our_translation_and_imports_the_files_chosen(  # type: ignore[no-untyped-def]
    qtbot, tmp_path: Path, settings: QSettings, sample_copy: Path, monkeypatch
) -> None:
    from PySide6.QtWidgets import QFileDialog

    library = Library(tmp_path / "dialog.sqlite")
    win = MainWindow(library, settings)
    win.setProperty("quiet_imports", True)
    qtbot.addWidget(win)
    labels: list[str] = []

    def choose(dialog: QFileDialog) -> int:
        labels.extend(dialog.labelText(k) for k in (QFileDialog.DialogLabel.LookIn, QFileDialog.DialogLabel.FileType))
        dialog.selectFile(str(sample_copy))
        return 1

    monkeypatch.setattr(QFileDialog, "exec", choose)
    with qtbot.waitSignal(win.import_finished, timeout=20_000):
        win.choose_files()
    assert labels == ["Look in:", "Files of type:"]  # ours (tr), which the Chinese window translates
    assert library.count() == 10
    win.close()
    library.close()


def test_every_column_fits_the_default_window(qtbot, gui_library: Library, settings: QSettings) -> None:  # type: ignore[no-untyped-def]
    win = MainWindow(gui_library, settings)  # nothing saved yet: the default size
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    table, header = win.table, win.table.horizontalHeader()
    count = header.count()
    assert all(not header.isSectionHidden(n) for n in range(count))
    right = max(header.sectionViewportPosition(n) + header.sectionSize(n) for n in range(count))
    assert right <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()
    assert header.sectionSize(0) >= 200  # the title takes the spare width
    win.model.ensure_rows(0, win.model.rowCount() - 1)
    dates = [win.model.index(r, 3).data() for r in range(win.model.rowCount())]
    assert all(len(d) == 10 for d in dates)  # the estimated date alone; its age is the tooltip
    win.close()


def test_a_tag_chosen_from_the_completion_list_is_saved(qtbot, window: MainWindow, gui_library: Library) -> None:  # type: ignore[no-untyped-def]
    window.table.selectRow(window.model.row_of(5))
    tags = window.detail.tags
    tags.setFocus()
    tags.clear()
    tags.insert("分")  # as an input method commits it
    completer = tags.completer()
    completer.setCompletionPrefix("分")
    assert completer.currentCompletion() == "分布式"
    tags.setText(completer.pathFromIndex(completer.currentIndex()))  # what choosing it in the popup does
    qtbot.keyClick(tags, Qt.Key.Key_Return)
    settle(window)
    assert gui_library.get(5).tags == ("分布式",)
    assert dict(gui_library.tag_counts())["分布式"] == 2
