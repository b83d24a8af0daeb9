"""Render the README's screenshots offscreen: `python docs/screenshots.py` (writes docs/*.png)."""

from __future__ import annotations

import os
import sys
import tempfile
from datetime import UTC, datetime
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QSettings

from docmanager.gui.app import create_application
from docmanager.gui.importing import ImportSummary
from docmanager.gui.mainwindow import MainWindow
from docmanager.importer import import_files
from docmanager.store import Library

HERE = Path(__file__).resolve().parent
SAMPLE = HERE.parent / "resources" / "listing-page.txt"


def main() -> int:
    app = create_application()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
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
        window = MainWindow(library, QSettings(str(work / "settings.ini"), QSettings.Format.IniFormat))
        window.resize(1400, 760)
        window.show()
        window.sidebar.select_tags(["分布式存储"])
        window.table.selectRow(0)
        app.processEvents()
        window.grab().save(str(HERE / "main-window.png"))
        summary = ImportSummary(results, "", window)
        summary.resize(900, 360)
        summary.show()
        app.processEvents()
        summary.grab().save(str(HERE / "import-summary.png"))
        window.close()
        library.close()
    print("wrote", HERE / "main-window.png", HERE / "import-summary.png")
    return 0


if __name__ == "__main__":
    sys.exit(main())
