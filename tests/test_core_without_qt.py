"""The core (parser, library, importer, CLI) must work where Qt is not installed: it never imports PySide6."""

from __future__ import annotations

import subprocess
import sys
import textwrap
from pathlib import Path

CORE_MODULES = [
    "docmanager",
    "docmanager.cli",
    "docmanager.library",
    "docmanager.library.transfer",
    "docmanager.listing",
    "docmanager.search",
    "docmanager.importer",
    "docmanager.splitter",
    "docmanager.paths",
    "docmanager.errors",
]


def test_core_and_cli_import_without_qt(tmp_path: Path, sample_path: Path) -> None:
    library = tmp_path / "lib" / "library.sqlite"
    code = textwrap.dedent(
        f"""
        import importlib, json, sys
        for name in {CORE_MODULES!r}:
            importlib.import_module(name)
        from docmanager.cli import main
        rc = main(["--library", {str(library)!r}, "import", {str(sample_path)!r}, "--captured-at", "2026-11-01"])
        assert rc == 0, rc
        rc = main(["--library", {str(library)!r}, "list", "--format", "json"])
        assert rc == 0, rc
        qt = sorted(m for m in sys.modules if m.split(".")[0] in ("PySide6", "shiboken6", "PyQt5", "PyQt6"))
        assert not qt, qt
        assert "docmanager.gui" not in sys.modules
        print("NO-QT-OK")
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "10 new, 0 updated, 0 unchanged, 0 rejected" in proc.stdout
    assert proc.stdout.rstrip().endswith("NO-QT-OK")
    assert library.is_file()


def test_window_starts_without_the_import_machinery(tmp_path: Path, sample_path: Path) -> None:
    """Opening the window on a library never needs the splitter, the importer or sqlite-utils
    (together ~180 ms of a 0.78 s start at a million documents); the first import loads them.
    A new library's tables are made through sqlite-utils: the library exists before this start."""
    from docmanager.library import Library

    library = tmp_path / "library.sqlite"
    Library(library).close()
    code = textwrap.dedent(
        f"""
        import os, sys
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
        from pathlib import Path
        from PySide6.QtCore import QSettings
        from docmanager.gui.app import create_application
        from docmanager.gui.mainwindow import MainWindow
        from docmanager.library import Library

        app = create_application([sys.argv[0]])
        lib = Library(Path({str(library)!r}))
        window = MainWindow(lib, QSettings({str(tmp_path / "s.ini")!r}, QSettings.Format.IniFormat))
        window.show()
        app.processEvents()
        heavy = ("docmanager.splitter", "docmanager.importer", "sqlite_utils")
        print("AT-START", sorted(m for m in heavy if m in sys.modules))
        window.setProperty("quiet_imports", True)  # no summary dialog
        done = []
        window.import_finished.connect(done.append)
        window.import_paths([Path({str(sample_path)!r})])
        while not done:
            app.processEvents()
        print("AFTER-IMPORT", sorted(m for m in heavy if m in sys.modules), lib.count())
        window.close()
        lib.close()
        """
    )
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, check=False)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "AT-START []" in proc.stdout
    assert "AFTER-IMPORT ['docmanager.importer', 'docmanager.splitter', 'sqlite_utils'] 10" in proc.stdout
