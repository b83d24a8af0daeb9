"""Fixtures for the widget tests: a small library and a window on it, with settings in tmp_path."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings

from docmanager.gui.mainwindow import MainWindow
from docmanager.importer import import_file
from docmanager.library import Library

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "resources" / "listing-page.txt"
CAPTURED = datetime(2026, 11, 1, tzinfo=UTC)


@pytest.fixture
def sample_copy(tmp_path: Path) -> Path:
    """The sample under a path with a space and Chinese characters, as users' files often are."""
    target = tmp_path / "下载 listings" / "listing page.txt"
    target.parent.mkdir()
    shutil.copy(SAMPLE, target)
    return target


@pytest.fixture
def gui_library(tmp_path: Path) -> Iterator[Library]:
    lib = Library(tmp_path / "gui.sqlite")
    import_file(lib, SAMPLE, captured_at=CAPTURED)
    lib.add_tags([1, 2, 4], ["Curve"])
    lib.add_tags([3], ["Raft", "分布式"])
    lib.add_to_later([3, 5, 9])
    lib.set_status([6], "reading")
    yield lib
    lib.close()


@pytest.fixture
def settings(tmp_path: Path) -> QSettings:
    return QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)


@pytest.fixture
def window(qtbot, gui_library: Library, settings: QSettings) -> Iterator[MainWindow]:  # type: ignore[no-untyped-def]
    win = MainWindow(gui_library, settings)
    win.setProperty("quiet_imports", True)  # no modal summary inside tests unless a test asks
    qtbot.addWidget(win)
    win.resize(1200, 700)
    win.show()
    qtbot.waitExposed(win)
    yield win
    win.close()


@pytest.fixture(autouse=True)
def _application(qapp):  # type: ignore[no-untyped-def]
    """Every widget and model test runs inside the one QApplication."""
    return qapp
