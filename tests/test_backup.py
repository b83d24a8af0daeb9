"""Backups: rolling copies beside the library, the daily rule, before migrations, and restoring."""

from __future__ import annotations

import sqlite3
import threading
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from helpers import CAPTURED_AT, SAMPLE

from docmanager.cli import main
from docmanager.errors import DocManagerError, LibraryError
from docmanager.importer import import_file
from docmanager.library import Library, Sort, ViewQuery, check_file, schema
from docmanager.library import backup as backups

T0 = datetime(2026, 11, 20, 9, 0, 0)


@pytest.fixture
def lib(tmp_path: Path) -> Library:
    library = Library(tmp_path / "lib.sqlite", auto_backup=False)
    import_file(library, SAMPLE, captured_at=CAPTURED_AT)
    library.add_tags([1, 2], ["存储"])
    library.add_to_later([3, 1])
    yield library  # type: ignore[misc]
    library.close()


def _state(lib: Library) -> list[object]:
    return [d.as_json() for d in lib.query(ViewQuery(sort=Sort.ID))] + [lib.later_queue(), lib.tag_counts()]


def _count(path: Path) -> int:
    conn = sqlite3.connect(path)
    try:
        return int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
    finally:
        conn.close()


def test_rolling_backups_keep_the_last_seven(lib: Library) -> None:
    made = [backups.take_backup(lib, now=T0 + timedelta(hours=n)) for n in range(9)]
    kept = backups.list_backups(lib.path)
    assert kept == made[::-1][: backups.KEEP]
    assert backups.latest_backup(lib.path) == made[-1]
    assert made[-1].name == "lib-20261120-170000.sqlite"
    assert made[-1].parent == lib.path.parent / "lib.backups"
    assert all(check_file(p) == [] and _count(p) == 10 for p in kept)
    (made[-1].parent / "notes.txt").write_text("mine")  # never touched by the rotation
    backups.take_backup(lib, now=T0 + timedelta(days=1))
    assert len(backups.list_backups(lib.path)) == backups.KEEP and (made[-1].parent / "notes.txt").exists()


def test_two_backups_in_one_second_both_kept(lib: Library) -> None:
    first, second = backups.take_backup(lib, now=T0), backups.take_backup(lib, now=T0)
    assert first != second and backups.list_backups(lib.path) == [second, first]


def test_daily_rule(lib: Library, tmp_path: Path) -> None:
    with Library(tmp_path / "empty.sqlite") as empty:
        assert backups.daily_backup(empty, now=T0) is None  # nothing to lose
    first = backups.daily_backup(lib, now=T0)
    assert first is not None
    assert backups.daily_backup(lib, now=T0 + timedelta(hours=23)) is None
    second = backups.daily_backup(lib, now=T0 + timedelta(hours=25))
    assert second is not None and backups.list_backups(lib.path) == [second, first]


def test_opening_takes_the_daily_backup(lib: Library) -> None:
    with Library(lib.path, auto_backup=False):
        assert backups.list_backups(lib.path) == []
    with Library(lib.path, auto_backup=True):
        assert len(backups.list_backups(lib.path)) == 1
    with Library(lib.path, auto_backup=True):
        assert len(backups.list_backups(lib.path)) == 1  # not twice a day


def test_backup_before_migration(lib: Library, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    lib.close()

    def add_column(library: Library) -> None:
        library.conn.execute("ALTER TABLE documents ADD COLUMN extra INTEGER")

    current = schema.SCHEMA_VERSION
    monkeypatch.setattr(schema, "SCHEMA_VERSION", current + 1)
    monkeypatch.setattr(Library, "MIGRATIONS", (*Library.MIGRATIONS, add_column))
    with Library(lib.path, auto_backup=False) as migrated:
        assert migrated.conn.execute("PRAGMA user_version").fetchone()[0] == current + 1
    [saved] = backups.list_backups(lib.path)
    conn = sqlite3.connect(saved)
    assert conn.execute("PRAGMA user_version").fetchone()[0] == current
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"  # one self-contained file
    conn.close()
    assert _count(saved) == 10
    with Library(tmp_path / "new.sqlite", auto_backup=False):  # 0 → latest for a new library: nothing to keep
        assert not (tmp_path / "new.backups").exists()


def test_backup_while_another_connection_writes(lib: Library) -> None:
    stop = threading.Event()
    errors: list[BaseException] = []

    def write() -> None:
        try:
            with Library(lib.path, auto_backup=False) as writer:
                n = 0
                while not stop.is_set():
                    writer.add_tags([1 + n % 10], [f"t{n}"])
                    n += 1
        except BaseException as exc:
            errors.append(exc)

    thread = threading.Thread(target=write)
    thread.start()
    try:
        made = [backups.take_backup(lib, now=T0 + timedelta(minutes=n)) for n in range(5)]
    finally:
        stop.set()
        thread.join(30)
    assert errors == []
    for path in made:
        assert check_file(path) == []
        conn = sqlite3.connect(path)
        links = conn.execute("SELECT count(*) FROM document_tags").fetchone()[0]
        shown = conn.execute("SELECT group_concat(tags_text, ', ') FROM documents WHERE tags_text != ''").fetchone()[0]
        conn.close()
        assert links == len(shown.split(", "))  # a committed state: links and the shown tags agree


def test_restore_round_trip(lib: Library, tmp_path: Path) -> None:
    wanted = _state(lib)
    copy = backups.write_backup(lib, tmp_path / "copy.sqlite")
    lib.delete([4, 5])
    lib.set_title(1, "changed")
    changed = _state(lib)
    with Library(lib.path, readonly=True) as reader:
        done = backups.restore(lib, copy)
        assert (done.before, done.after) == (8, 10)
        assert _state(lib) == wanted
        assert reader.count() == 10  # other connections see the restored content
    assert lib.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert lib.integrity_check() == "ok"
    with Library(done.saved, auto_backup=False) as saved:
        assert _state(saved) == changed  # what was replaced is kept


@pytest.mark.parametrize("bad", ["text", "other-app", "newer", "missing"])
def test_restore_refuses_a_non_library(lib: Library, tmp_path: Path, bad: str) -> None:
    source = tmp_path / "source.sqlite"
    if bad == "text":
        source.write_text("not a library")
    elif bad in ("other-app", "newer"):
        conn = sqlite3.connect(source)
        conn.execute("CREATE TABLE documents(id INTEGER PRIMARY KEY)")
        if bad == "newer":
            conn.execute(f"PRAGMA application_id = {schema.APPLICATION_ID}")
            conn.execute(f"PRAGMA user_version = {schema.SCHEMA_VERSION + 1}")
        conn.commit()
        conn.close()
    before = _state(lib)
    with pytest.raises(LibraryError) as caught:
        backups.restore(lib, source)
    assert str(source) in str(caught.value)
    assert caught.value.kind == {"text": "not_library", "other-app": "not_library", "newer": "too_new"}.get(
        bad, "missing"
    )
    assert _state(lib) == before
    assert backups.list_backups(lib.path) == []  # refused before anything was done


def test_write_backup_refuses_to_overwrite(lib: Library, tmp_path: Path) -> None:
    target = tmp_path / "mine.sqlite"
    target.write_text("precious")
    with pytest.raises(DocManagerError, match="already exists"):
        backups.write_backup(lib, target)
    assert target.read_text() == "precious"
    with pytest.raises(DocManagerError, match="the library itself"):
        backups.write_backup(lib, lib.path, overwrite=True)
    backups.write_backup(lib, target, overwrite=True)
    assert _count(target) == 10


def test_cli_backup_and_restore(lib: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(lib.path)
    target = tmp_path / "out.sqlite"
    assert main(["backup", str(target), "--library", path]) == 0
    assert main(["backup", str(target), "--library", path]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["backup", str(target), "--force", "--library", path]) == 0
    assert main(["backup", "--library", path]) == 0
    assert main(["backup", "--list", "--library", path]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[-len(backups.list_backups(lib.path)) :] == [str(p) for p in backups.list_backups(lib.path)]
    lib.delete([1])
    assert main(["restore", str(target), "--library", path]) == 0
    assert "10 documents (there were 9)" in capsys.readouterr().out
    assert lib.count() == 10
    assert main(["restore", str(tmp_path / "nothing.sqlite"), "--library", path]) == 1
    err = capsys.readouterr().err
    assert err.startswith("docmanager: ") and len(err.splitlines()) == 1


def test_cli_restore_over_a_damaged_library_keeps_it(
    lib: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy = backups.write_backup(lib, tmp_path / "copy.sqlite")
    lib.close()
    data = lib.path.read_bytes()
    lib.path.write_bytes(data[: len(data) // 2])
    assert main(["restore", str(copy), "--library", str(lib.path)]) == 0
    assert "kept as" in capsys.readouterr().out
    [kept] = list(tmp_path.glob("lib.damaged-*.sqlite"))
    assert kept.read_bytes() == data[: len(data) // 2]
    with Library(lib.path) as restored:
        assert restored.count() == 10
