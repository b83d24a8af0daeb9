"""A library that cannot be opened: the window explains, offers the latest backup, never overwrites."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from helpers import CAPTURED_AT as CAPTURED
from helpers import SAMPLE
from PySide6.QtWidgets import QMessageBox

from docmanager.errors import LibraryError
from docmanager.gui import app as app_module
from docmanager.gui import recovery
from docmanager.gui.recovery import LibraryProblem
from docmanager.library import Library


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def backup(tmp_path: Path) -> Path:
    from docmanager.importer import import_file

    path = tmp_path / "backups" / "library-20261124-080000.sqlite"
    path.parent.mkdir()
    with Library(path) as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED)
    return path


@pytest.fixture
def damaged(tmp_path: Path) -> Path:
    path = tmp_path / "library.sqlite"
    path.write_bytes(b"SQLite format 3\x00" + bytes(range(256)) * 64)
    return path


def _error(path: Path) -> LibraryError:
    with pytest.raises(LibraryError) as caught:
        Library(path)
    return caught.value


def test_restore_keeps_the_damaged_file_and_opens_the_backup(
    qtbot, damaged: Path, backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recovery, "latest_backup_of", lambda _library: backup)
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    original = _sha(damaged)
    problem = LibraryProblem(damaged, _error(damaged))
    qtbot.addWidget(problem)
    assert problem.restore_button is not None
    assert backup.name in problem.informativeText()
    problem.show()
    problem.restore_button.click()
    assert problem.resolve() == damaged
    kept = [p for p in damaged.parent.iterdir() if ".damaged-" in p.name]
    assert len(kept) == 1 and _sha(kept[0]) == original  # set aside, byte for byte
    with Library(damaged) as lib:
        assert lib.count() == 10


def test_without_a_backup_the_choices_are_another_library_or_quit(
    qtbot, damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(recovery, "latest_backup_of", lambda _library: None)
    original = _sha(damaged)
    problem = LibraryProblem(damaged, _error(damaged))
    qtbot.addWidget(problem)
    assert problem.restore_button is None
    problem.show()
    problem.quit_button.click()
    assert problem.resolve() is None
    assert _sha(damaged) == original


def test_open_library_loops_until_a_usable_library_is_chosen(
    qtbot, tmp_path: Path, damaged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    other = tmp_path / "another.sqlite"
    monkeypatch.setattr(recovery, "latest_backup_of", lambda _library: None)

    def choose_other(self: LibraryProblem) -> int:
        self.other_button.click()
        return 0

    monkeypatch.setattr(LibraryProblem, "exec", choose_other)
    monkeypatch.setattr(recovery.QFileDialog, "getSaveFileName", lambda *a, **k: (str(other), ""))
    library = app_module.open_library(damaged)
    assert library is not None and library.path == other
    library.close()


def test_a_library_from_a_newer_version_offers_the_backup_too(
    qtbot, tmp_path: Path, backup: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    newer = tmp_path / "newer.sqlite"
    shutil.copy(backup, newer)
    import sqlite3

    with sqlite3.connect(newer) as conn:
        conn.execute("PRAGMA user_version = 999")
    monkeypatch.setattr(recovery, "latest_backup_of", lambda _library: backup)
    error = _error(newer)
    assert error.kind == "too_new"
    problem = LibraryProblem(newer, error)
    qtbot.addWidget(problem)
    assert problem.restore_button is not None
    assert "newer" in problem.informativeText()


def test_the_window_takes_the_daily_backup_after_it_opens(tmp_path: Path, backup: Path) -> None:
    from docmanager.library.backup import list_backups

    library = tmp_path / "daily.sqlite"
    shutil.copy(backup, library)
    assert list_backups(library) == []
    opened = app_module.open_library(library)  # opening itself copies nothing
    assert opened is not None and list_backups(library) == []
    app_module.start_daily_backup(library).join(timeout=30)
    assert len(list_backups(library)) == 1
    opened.close()
