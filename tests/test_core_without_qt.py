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
