"""Keeping a results page by copying it: paste (HTML first, else text), drop, and the document's page."""

from __future__ import annotations

from pathlib import Path

import pytest
from moredoc_page import RESULTS, SITE, render_html, render_text
from PySide6.QtCore import QMimeData, QPointF, QSettings, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtWidgets import QApplication

from docmanager.gui.mainwindow import MainWindow
from docmanager.library import Library, Sort, ViewQuery


@pytest.fixture(autouse=True)
def _clipboard_cleared():  # type: ignore[no-untyped-def]
    """Qt's offscreen clipboard crashes the process at exit if it still holds mime data (seen: a segfault
    after every test had passed), so each test leaves it empty."""
    yield
    QApplication.clipboard().clear()


@pytest.fixture
def empty_window(qtbot, tmp_path: Path):  # type: ignore[no-untyped-def]
    library = Library(tmp_path / "paste.sqlite")
    win = MainWindow(library, QSettings(str(tmp_path / "s.ini"), QSettings.Format.IniFormat))
    win.setProperty("quiet_imports", True)
    qtbot.addWidget(win)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()
    library.close()


def _paste(qtbot, win: MainWindow, mime: QMimeData) -> list:  # type: ignore[no-untyped-def]
    QApplication.clipboard().setMimeData(mime)
    win.table.setFocus()
    with qtbot.waitSignal(win.import_finished, timeout=20_000) as blocker:
        win.acts.paste_listing.trigger()
    return blocker.args[0]  # type: ignore[no-any-return]


def _titles(win: MainWindow) -> list[str]:
    return [d.title for d in win.library.query(ViewQuery(sort=Sort.ID))]


def test_pasting_a_page_prefers_its_html_then_its_text(qtbot, empty_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    win = empty_window
    mime = QMimeData()
    mime.setHtml(render_html(RESULTS))
    mime.setText(render_text(RESULTS))
    (result,) = _paste(qtbot, win, mime)
    assert result.ok and result.new == len(RESULTS)
    assert result.path.startswith("clipboard ")  # recorded as the clipboard and the time, not a file
    assert win.library.imports()[0].path == result.path
    assert _titles(win) == [r.title for r in RESULTS]  # exact titles: from the HTML
    assert all(d.url and d.url.startswith(SITE) for d in win.library.query(ViewQuery()))
    assert win.paste_folder.is_dir() and not any(win.paste_folder.iterdir())  # the carrier file is gone
    # The same page's text, pasted after: the same documents, no new row.
    text_only = QMimeData()
    text_only.setText(render_text(RESULTS))
    (again,) = _paste(qtbot, win, text_only)
    assert again.ok and again.new == 0
    assert win.library.count() == len(RESULTS)


def test_pasting_text_alone_imports_the_same_documents(qtbot, empty_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setText(render_text(RESULTS))
    (result,) = _paste(qtbot, empty_window, mime)
    assert result.ok and result.new == len(RESULTS)
    assert _titles(empty_window) == [r.title for r in RESULTS]


def test_an_empty_clipboard_says_so(qtbot, empty_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    QApplication.clipboard().setMimeData(QMimeData())
    empty_window.acts.paste_listing.trigger()
    assert "no text to import" in empty_window.statusBar().currentMessage()
    assert empty_window.library.count() == 0


def test_html_dragged_from_a_browser_imports_like_a_paste(qtbot, empty_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    win = empty_window
    mime = QMimeData()
    mime.setHtml(render_html(RESULTS[:3]))
    point = QPointF(win.width() / 2, win.height() / 2)
    enter = QDragEnterEvent(
        point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    )
    win.dragEnterEvent(enter)
    assert enter.isAccepted()
    drop = QDropEvent(point, Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier)
    with qtbot.waitSignal(win.import_finished, timeout=20_000):
        win.dropEvent(drop)
    assert _titles(win) == [r.title for r in RESULTS[:3]]


def test_open_on_the_site_opens_the_page_or_a_search(qtbot, empty_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    win = empty_window
    mime = QMimeData()
    mime.setHtml(render_html(RESULTS[:2]))
    _paste(qtbot, win, mime)
    opened: list[str] = []
    win.url_opener = lambda url: opened.append(url.toString())
    win.table.selectRow(0)
    win.table.setFocus()
    win.acts.open_site.trigger()
    first = win.library.get(win.table.current_id())
    assert opened == [first.url]
    win.detail.show_document(first)
    assert win.detail.fields["url"].text() == first.url
    # A document known only from text: a search of the site learned from the page, for its title.
    win.library.conn.execute("UPDATE documents SET url = NULL WHERE id = ?", (first.id,))
    win.acts.open_site.trigger()
    assert QUrl(opened[-1]).host() == QUrl(SITE).host() and "wd=" in opened[-1]


def test_ctrl_v_on_the_welcome_page_pastes_a_listing(qtbot, empty_window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    mime = QMimeData()
    mime.setText(render_text(RESULTS[:2]))
    QApplication.clipboard().setMimeData(mime)
    assert empty_window.center.currentWidget() is empty_window.welcome
    empty_window.welcome.sample_button.setFocus()
    with qtbot.waitSignal(empty_window.import_finished, timeout=20_000):
        qtbot.keyClick(empty_window.welcome.sample_button, Qt.Key.Key_V, Qt.KeyboardModifier.ControlModifier)
    assert _titles(empty_window) == [r.title for r in RESULTS[:2]]
