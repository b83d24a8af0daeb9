"""Render the README's screenshots offscreen: `python docs/screenshots.py` (writes docs/*.png;
`python docs/screenshots.py saved-searches` writes docs/saved-searches.png alone).

It runs itself once more in Chinese (LANG=zh_CN.UTF-8, as a Chinese desktop starts the app), for the
Chinese window and import summary.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
CHINESE = os.environ.get("DOCMANAGER_SHOTS") == "zh"
if CHINESE:
    os.environ["LANG"] = os.environ["LC_ALL"] = "zh_CN.UTF-8"

from PySide6.QtCore import QMimeData, QSettings, Qt  # noqa: E402
from PySide6.QtGui import QColor, QGuiApplication, QPainter, QPalette  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from docmanager.gui.app import create_application  # noqa: E402
from docmanager.gui.importing import ImportSummary  # noqa: E402
from docmanager.gui.mainwindow import MainWindow  # noqa: E402
from docmanager.importer import FileResult, import_files  # noqa: E402
from docmanager.library import Library, Sort, View  # noqa: E402

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "resources" / "listing-page.txt"
DARK = {
    QPalette.ColorRole.Window: "#2b2b2b", QPalette.ColorRole.WindowText: "#e6e6e6",
    QPalette.ColorRole.Base: "#1e1e1e", QPalette.ColorRole.AlternateBase: "#262626",
    QPalette.ColorRole.Text: "#e6e6e6", QPalette.ColorRole.Button: "#353535",
    QPalette.ColorRole.ButtonText: "#e6e6e6", QPalette.ColorRole.Highlight: "#2f65ca",
    QPalette.ColorRole.HighlightedText: "#ffffff", QPalette.ColorRole.PlaceholderText: "#8a8a8a",
    QPalette.ColorRole.ToolTipBase: "#353535", QPalette.ColorRole.ToolTipText: "#e6e6e6",
}  # fmt: skip


def settle(app: QApplication) -> None:
    for _ in range(30):
        app.processEvents()


def library_with_pages(work: Path) -> tuple[Library, list[FileResult]]:
    damaged = work / "第2页 listing.txt"
    damaged.write_text(
        SAMPLE.read_text(encoding="utf-8").replace("23 页 | 1.32 MB", "23 页 | 1.32 XB")
        + "\n这一行不是搜索结果\nTitle 0 码力 | many 页 | 1 MB | 3 天前\n",
        encoding="utf-8",
    )
    library = Library(work / "library.sqlite")
    results = import_files(library, [SAMPLE, damaged], captured_at=datetime(2026, 11, 25, tzinfo=UTC))
    library.add_tags([1, 2, 4], ["Curve"])
    library.add_tags([1, 3, 5], ["分布式存储"])
    library.add_tags([6, 7, 8], ["TiDB", "手册"])
    library.add_to_later([3, 1, 9])
    library.set_status([6], "reading")
    library.set_notes(1, "先读 IO 流程一节。")
    return library, results


def summary_shot(app: QApplication, window: MainWindow, results: list[FileResult], name: str) -> Path:
    """The import summary of ``results``, its rejected lines shown, saved as docs/NAME."""
    summary = ImportSummary(results, "", window)
    summary.resize(900, 360)
    summary.tree.expandAll()
    summary.show()
    settle(app)
    path = HERE / name
    summary.grab().save(str(path))
    summary.close()
    return path


def window_on(library: Library, work: Path, name: str) -> MainWindow:
    window = MainWindow(library, QSettings(str(work / f"{name}.ini"), QSettings.Format.IniFormat))
    window.show()  # the default size: every column fits
    return window


def english(app: QApplication, work: Path) -> list[Path]:
    library, results = library_with_pages(work)
    written = []
    window = window_on(library, work, "main")
    window.sidebar.select_tags(["分布式存储"])
    window.table.selectRow(0)
    settle(app)
    written.append(HERE / "main-window.png")
    window.grab().save(str(written[-1]))
    window.sidebar.select_tags([])
    window.search.setText("kubernetes 调度")
    window._apply_filters()
    settle(app)
    written.append(HERE / "no-matches.png")
    window.grab().save(str(written[-1]))
    written.append(summary_shot(app, window, results, "import-summary.png"))
    window.close()
    written.append(paste(app, work))
    written.append(saved_searches(app, work / "saved"))
    (work / "budget").mkdir()
    written += budget_shots(app, work / "budget")
    # The same window in a dark palette (the system's, as a dark desktop gives it).
    QGuiApplication.styleHints().setColorScheme(Qt.ColorScheme.Dark)
    app.setStyle("Fusion")
    palette = QPalette()
    for role, colour in DARK.items():
        palette.setColor(role, QColor(colour))
    app.setPalette(palette)
    dark = window_on(library, work, "dark")
    dark.table.selectRow(2)
    settle(app)
    written.append(HERE / "dark.png")
    dark.grab().save(str(written[-1]))
    dark.close()
    library.close()
    return written


def paste(app: QApplication, work: Path) -> Path:
    """A saved MoreDoc results page (the tests' fixture) pasted as the browser copies it: HTML."""
    library = Library(work / "pasted.sqlite")
    window = window_on(library, work, "paste")
    window.setProperty("quiet_imports", True)
    mime = QMimeData()
    mime.setHtml((HERE.parent / "tests" / "data" / "moredoc-search.html").read_text(encoding="utf-8"))
    QApplication.clipboard().setMimeData(mime)
    window.table.setFocus()
    window.paste_listing()
    while window._import_worker is not None:
        settle(app)
    window.table.selectRow(1)
    window.show_last_summary()
    settle(app)
    summary = window._summary
    assert summary is not None
    summary.resize(740, 200)
    settle(app)
    shot = window.grab()
    painter = QPainter(shot)
    painter.drawPixmap(215, 480, summary.grab())
    painter.end()
    path = HERE / "paste.png"
    shot.save(str(path))
    QApplication.clipboard().clear()  # Qt's offscreen clipboard crashes at exit if it still holds data
    summary.close()
    window.close()
    library.close()
    return path


def saved_searches(app: QApplication, work: Path) -> Path:
    """Two saved searches in the sidebar, one of them shown, above the tag tree: nested tags, one
    branch open."""
    work.mkdir(parents=True, exist_ok=True)
    library, _ = library_with_pages(work)
    library.rename_tag("分布式存储", "存储/分布式")
    library.add_tags([2, 9], ["存储/对象存储"])
    library.add_tags([4, 10], ["存储/分布式/Raft"])
    library.add_tags([5], ["网络/RDMA"])
    window = window_on(library, work, "saved")
    window.resize(1200, 820)
    window.search.setText("存储")
    window._apply_filters()
    window.save_current_search("Storage, in Chinese")
    window.clear_filters()
    window.sidebar.select_tags(["Curve"])
    pages = [c.sort for c in window.model.columns].index(Sort.PAGES)
    window.table.sortByColumn(pages, Qt.SortOrder.DescendingOrder)
    window.save_current_search("Curve, longest first")
    window.operations.drain(10)
    settle(app)
    window.show_saved("Storage, in Chinese")
    window.table.selectRow(0)
    window.sidebar.tags.select_tags(["存储/分布式/Raft"], notify=False)  # opens its branch
    window.sidebar.tags.clear_selection()
    deadline = time.monotonic() + 5  # the counts come after a short delay (a burst of edits is counted once)
    while "…" in "".join(window.sidebar.saved.item(n).text() for n in range(2)) and time.monotonic() < deadline:
        settle(app)
        time.sleep(0.02)
    settle(app)
    path = HERE / "saved-searches.png"
    window.grab().save(str(path))
    window.close()
    library.close()
    return path


def budget_shots(app: QApplication, work: Path) -> list[Path]:
    """The Read later view with what fits in 90 minutes marked, and the preview of tagging 30 documents."""
    library, _results = library_with_pages(work)
    lines = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if "码力" in line]
    for batch in (2, 3):  # more documents, for an edit of more than 20 of them
        more = work / f"第{batch}批.txt"
        more.write_text("".join(f"第{batch}批 {line}\n" for line in lines), encoding="utf-8")
        import_files(library, [more], captured_at=datetime(2026, 11, 25, tzinfo=UTC))
    library.remove_from_later(library.later_queue())
    library.add_to_later([3, 1, 4, 5, 2, 9, 7, 8, 11])
    library.set_reading_minutes([5], 15)
    window = window_on(library, work, "budget")
    window.budget_bar.budget.setValue(180)
    window.sidebar.select_view(View.LATER)
    window.table.selectRow(5)
    settle(app)
    written = [HERE / "reading-budget.png"]
    window.grab().save(str(written[-1]))
    window.sidebar.select_view(View.ALL)
    window.table.selectAll()
    settle(app)
    window.tag_documents(window.table.selected_ids(), ["分布式存储", "待读"])
    dialog = window.bulk_preview
    assert dialog is not None
    settle(app)
    written.append(HERE / "bulk-preview.png")
    dialog.grab().save(str(written[-1]))
    dialog.reject()
    window.close()
    library.close()
    return written


def chinese(app: QApplication, work: Path) -> list[Path]:
    library, results = library_with_pages(work)
    window = window_on(library, work, "zh")
    window.table.selectRow(2)
    settle(app)
    written = [HERE / "main-window-zh.png"]
    window.grab().save(str(written[-1]))
    written.append(summary_shot(app, window, results, "import-summary-zh.png"))
    window.close()
    library.close()
    return written


def main() -> int:
    """Every screenshot; ``saved-searches`` or ``budget`` as the only argument: those alone."""
    app = create_application()
    if sys.argv[1:] == ["saved-searches"]:  # this one alone
        with tempfile.TemporaryDirectory() as tmp:
            print("wrote", saved_searches(app, Path(tmp)))
        return 0
    only_budget = sys.argv[1:] == ["budget"]
    with tempfile.TemporaryDirectory() as tmp:
        if only_budget:
            written = budget_shots(app, Path(tmp))
        else:
            written = chinese(app, Path(tmp)) if CHINESE else english(app, Path(tmp))
    print("wrote", *written)
    if not CHINESE and not only_budget:
        env = {**os.environ, "DOCMANAGER_SHOTS": "zh"}
        return subprocess.run([sys.executable, __file__], env=env, check=False).returncode
    return 0


if __name__ == "__main__":
    sys.exit(main())
