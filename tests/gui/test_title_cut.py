"""Correcting a title in one move: the body with its cut marked, clicks and keys that move the cut,
undo, and the offer to re-split the rest of the page."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QTextCursor

from docmanager.gui.cut import CutView, current_cut, nearest_cut, word_cuts
from docmanager.gui.mainwindow import MainWindow
from docmanager.importer import import_file
from docmanager.library import Library, Sort, ViewQuery

CAPTURED = datetime(2026, 11, 1, tzinfo=UTC)
META = "0 码力 | {pages} 页 | 1.{pages}0 MB | 3 月前3"
# A page whose titles all end in the same site name, which the splitter does not see: the titles
# run into their excerpts.
PAGE = [
    "Kubernetes调度器原理 - 云原生社区调度器负责把 Pod 分配到节点" + META.format(pages=31),
    "Etcd一致性实现 - 云原生社区日志复制与快照" + META.format(pages=18),
    "容器网络入门 - 云原生社区插件把容器接入网络" + META.format(pages=22),
]
K8S = "Kubernetes调度器原理 - 云原生社区"


def settle(win: MainWindow) -> None:
    assert win.operations.drain(timeout=20)


def write_page(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def page_library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "page.sqlite")
    import_file(lib, write_page(tmp_path / "page.txt", PAGE), captured_at=CAPTURED)
    yield lib
    lib.close()


def open_window(qtbot, lib: Library, settings: QSettings) -> MainWindow:  # type: ignore[no-untyped-def]
    win = MainWindow(lib, settings)
    win.setProperty("quiet_imports", True)
    qtbot.addWidget(win)
    win.resize(1200, 700)
    win.show()
    qtbot.waitExposed(win)
    return win


@pytest.fixture
def page_window(qtbot, page_library: Library, settings: QSettings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = open_window(qtbot, page_library, settings)
    yield win
    win.close()


def show(win: MainWindow, doc_id: int) -> None:
    win.table.select_ids([doc_id], doc_id)
    assert win.detail.doc_id == doc_id


def first_id(lib: Library) -> int:
    return lib.query(ViewQuery(sort=Sort.ID))[0].id


def click_at(qtbot, win: MainWindow, index: int) -> None:  # type: ignore[no-untyped-def]
    """Click in the body view just left of character ``index``."""
    view = win.detail.cut
    cursor = QTextCursor(view.document())
    cursor.setPosition(len(view.body[:index].encode("utf-16-le")) // 2)  # a QTextDocument counts UTF-16 units
    rect = view.cursorRect(cursor)
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())


def test_where_titles_may_end() -> None:
    body = "TiDB v8.5 中文手册 - PingCAP正文"
    assert [body[:c] for c in word_cuts(body)][:4] == ["TiDB", "TiDB v8", "TiDB v8.", "TiDB v8.5"]
    assert body[: nearest_cut(body, len("TiDB v8.5 中文手册 - Ping"))] == "TiDB v8.5 中文手册 - PingCAP"
    assert nearest_cut(body, 0) == len("TiDB")  # never an empty title
    assert current_cut(body, "TiDB v8.5 中文手册") == len("TiDB v8.5 中文手册")
    assert current_cut(body, "typed by hand") is None


def test_a_title_after_a_character_outside_the_bmp_is_marked_whole(qtbot) -> None:  # type: ignore[no-untyped-def]
    view = CutView()
    qtbot.addWidget(view)
    view.show_body("𝐀b 正文", 2)  # 𝐀 is one character, but two positions in a QTextDocument
    assert view.textCursor().position() == 3  # the caret stands at the cut
    cursor = QTextCursor(view.document())
    cursor.setPosition(3)
    assert cursor.charFormat().fontWeight() == 700  # "b" is marked as title
    cursor.setPosition(5)
    assert cursor.charFormat().fontWeight() != 700  # "正" is not


def test_the_body_is_shown_with_the_title_marked(page_window: MainWindow, page_library: Library) -> None:
    doc_id = first_id(page_library)
    page_library.set_split(doc_id, len(K8S))
    page_window.changed()
    show(page_window, doc_id)
    view = page_window.detail.cut
    assert view.toPlainText() == page_library.body(doc_id)
    assert view.cut_at == len(K8S)
    cursor = QTextCursor(view.document())
    cursor.setPosition(3)
    assert cursor.charFormat().background().style() != Qt.BrushStyle.NoBrush  # in the title
    cursor.setPosition(len(K8S) + 3)
    assert cursor.charFormat().background().style() == Qt.BrushStyle.NoBrush  # in the excerpt
    assert not page_window.detail.edited.isHidden()  # the user's title says so


def test_a_click_sets_the_cut_and_undo_restores(qtbot, page_window: MainWindow, page_library: Library) -> None:
    doc_id = first_id(page_library)
    show(page_window, doc_id)
    before = page_library.get(doc_id)
    assert page_window.detail.edited.isHidden()
    click_at(qtbot, page_window, len(K8S))
    settle(page_window)
    after = page_library.get(doc_id)
    assert (after.title, after.excerpt, after.title_edited) == (K8S, "调度器负责把 Pod 分配到节点", True)
    assert page_window.detail.title.text() == K8S
    assert page_window.detail.excerpt.toPlainText() == "调度器负责把 Pod 分配到节点"  # the excerpt followed
    assert not page_window.detail.edited.isHidden()
    page_window.acts.undo.trigger()
    settle(page_window)
    undone = page_library.get(doc_id)
    assert (undone.title, undone.excerpt, undone.title_edited) == (before.title, before.excerpt, False)
    assert page_window.detail.edited.isHidden()


def test_keys_move_the_cut_by_a_word(qtbot, page_window: MainWindow, page_library: Library) -> None:
    doc_id = first_id(page_library)
    page_library.set_split(doc_id, len(K8S))
    page_window.changed()
    show(page_window, doc_id)
    view = page_window.detail.cut
    view.setFocus()
    qtbot.waitUntil(view.hasFocus)
    qtbot.keyClick(view, Qt.Key.Key_Right, Qt.KeyboardModifier.AltModifier)  # one character of 调度器
    settle(page_window)
    assert page_library.get(doc_id).title == K8S + "调"
    assert page_library.get(doc_id).excerpt == "度器负责把 Pod 分配到节点"
    qtbot.keyClicks(view, "[[")  # back over 调, then over 区
    settle(page_window)
    assert page_library.get(doc_id).title == K8S[:-1]
    for _ in range(3):  # Ctrl+Z undoes from the body view too (it is read-only: no undo of its own)
        qtbot.keyClick(view, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
        settle(page_window)
    assert page_library.get(doc_id).title == K8S


def test_the_keys_do_nothing_outside_the_body(qtbot, page_window: MainWindow, page_library: Library) -> None:
    doc_id = first_id(page_library)
    show(page_window, doc_id)
    page_window.detail.title.setFocus()
    qtbot.waitUntil(page_window.detail.title.hasFocus)
    qtbot.keyClick(page_window.detail.title, Qt.Key.Key_Left, Qt.KeyboardModifier.AltModifier)
    settle(page_window)
    assert page_window.undo_stack.count() == 0


def test_a_correction_offers_to_resplit_its_page(qtbot, page_window: MainWindow, page_library: Library) -> None:
    doc_id = first_id(page_library)
    split_title = page_library.get(doc_id).title  # the splitter's, which the correction replaces
    assert split_title != K8S
    show(page_window, doc_id)
    others = {d.id: d.title for d in page_library.query(ViewQuery(sort=Sort.ID))[1:]}
    click_at(qtbot, page_window, len(K8S))
    settle(page_window)
    bar = page_window.detail.resplit
    qtbot.waitUntil(bar.isVisible)
    assert "2 other document(s)" in bar.question.text()
    assert "Etcd一致性实现 - 云原生社区日志复制与快照\n    → Etcd一致性实现 - 云原生社区" in bar.examples.text()
    qtbot.mouseClick(bar.apply_button, Qt.MouseButton.LeftButton)
    settle(page_window)
    assert not bar.isVisible()
    titles = {i: page_library.get(i).title for i in others}
    assert set(titles.values()) == {"Etcd一致性实现 - 云原生社区", "容器网络入门 - 云原生社区"}
    assert page_library.get(min(others)).excerpt == "日志复制与快照"
    assert not any(page_library.get(i).title_edited for i in others)  # evidence, not the user's word
    page_window.acts.undo.trigger()  # the re-split
    settle(page_window)
    assert {i: page_library.get(i).title for i in others} == others
    assert page_library.get(doc_id).title == K8S  # the correction itself stands
    page_window.acts.undo.trigger()
    settle(page_window)
    assert page_library.get(doc_id).title == split_title


def test_undo_withdraws_the_offer(qtbot, page_window: MainWindow, page_library: Library) -> None:
    doc_id = first_id(page_library)
    show(page_window, doc_id)
    click_at(qtbot, page_window, len(K8S))
    settle(page_window)
    qtbot.waitUntil(page_window.detail.resplit.isVisible)
    page_window.acts.undo.trigger()
    settle(page_window)
    assert not page_window.detail.resplit.isVisible()


def test_nothing_is_offered_when_the_correction_teaches_nothing(qtbot, tmp_path: Path, settings: QSettings) -> None:  # type: ignore[no-untyped-def]
    """A page of one document, whose title and body are markup from the page: shown literally."""
    body = "<b>粗体</b>标题 - 云原生社区正文里的 <i>斜体</i>"
    with Library(tmp_path / "one.sqlite") as lib:
        import_file(lib, write_page(tmp_path / "one.txt", [body + META.format(pages=12)]), captured_at=CAPTURED)
        win = open_window(qtbot, lib, settings)
        try:
            doc_id = first_id(lib)
            show(win, doc_id)
            assert win.detail.cut.toPlainText() == body  # the tags are text, not formatting
            title = "<b>粗体</b>标题 - 云原生社区"
            click_at(qtbot, win, len(title))
            settle(win)
            assert lib.get(doc_id).title == title
            assert win.detail.title.text() == title
            assert win.detail.excerpt.toPlainText() == "正文里的 <i>斜体</i>"
            assert win.detail.cut.toPlainText() == body
            assert not win.detail.resplit.isVisible()
        finally:
            win.close()


def test_every_excerpt_is_shown_apart(window: MainWindow, gui_library: Library, tmp_path: Path) -> None:
    """The Raft talk listed by another search, with another passage: both excerpts, a rule between."""
    raft = "Raft在Curve存储中的工程实践"
    again = raft + "Leader选举 在 Raft 中,节点有三种状态。0 码力 | 29 页 | 2.20 MB | 5 月前4.5"
    import_file(gui_library, write_page(tmp_path / "another search.txt", [again]), captured_at=CAPTURED)
    (doc,) = [d for d in gui_library.query(ViewQuery()) if d.title == raft]
    assert len(doc.excerpts) == 2
    window.changed()
    show(window, doc.id)
    assert window.detail.excerpts_heading.text() == "Excerpts (2)"
    lines = window.detail.excerpt.toPlainText().splitlines()
    assert lines == [doc.excerpts[0], "─" * 24, doc.excerpts[1]]


def test_a_typed_title_is_marked_as_the_users(qtbot, page_window: MainWindow, page_library: Library) -> None:
    doc_id = first_id(page_library)
    show(page_window, doc_id)
    page_window.detail.title.clear()
    page_window.detail.title.insert("调度器原理")  # not the start of the body: no cut to mark
    qtbot.keyClick(page_window.detail.title, Qt.Key.Key_Return)
    settle(page_window)
    assert page_library.get(doc_id).title_edited
    assert not page_window.detail.edited.isHidden()
    assert page_window.detail.cut.cut_at is None
    page_window.detail.cut.setFocus()
    qtbot.waitUntil(page_window.detail.cut.hasFocus)
    qtbot.keyClick(page_window.detail.cut, Qt.Key.Key_BracketRight)  # from the start: the first word
    settle(page_window)
    assert page_library.get(doc_id).title == "Kubernetes"
