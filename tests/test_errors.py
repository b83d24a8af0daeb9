"""Known conditions against bugs: what the user can act on stays a LibraryError with its kind; a bug
(a bad statement, a wrong type) is raised as it is, reaches the log with its traceback, and the
command line names the log and exits with its own status."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from helpers import CAPTURED_AT, SAMPLE

from docmanager import buglog
from docmanager.cli import main
from docmanager.errors import InvalidInput, LibraryError, NotFoundError
from docmanager.importer import import_file
from docmanager.library import Library
from docmanager.library.connection import is_known
from docmanager.library.schema import SCHEMA_VERSION
from docmanager.paths import bug_log_path


@pytest.fixture
def lib_path(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library(path) as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
    return path


@pytest.fixture
def lib(lib_path: Path) -> Iterator[Library]:
    with Library(lib_path) as library:
        yield library


@pytest.fixture
def without_notes(lib_path: Path) -> Path:
    """A library whose documents lost their notes column (another program's doing, or a migration
    that was never written): every statement that names the column is a bad statement."""
    conn = sqlite3.connect(lib_path)
    conn.execute("DROP INDEX documents_notes")
    conn.execute("ALTER TABLE documents DROP COLUMN notes")
    conn.commit()
    conn.close()
    return lib_path


# --- bugs: raised as they are --------------------------------------------------------------------


def test_a_statement_against_a_missing_column_is_a_bug_not_a_library_error(without_notes: Path) -> None:
    with Library(without_notes) as lib:
        with pytest.raises(sqlite3.OperationalError, match="no such column: notes") as read:
            lib.get(1)
        # A write goes through the transaction and its error translation: still the bug itself.
        with pytest.raises(sqlite3.OperationalError, match="no such column: notes") as written:
            lib.set_notes(1, "a note")
        assert lib.count() == 10  # the connection is still usable: the write was rolled back
    for raised in (read, written):
        assert not isinstance(raised.value, LibraryError)
        assert not is_known(raised.value)


def test_a_wrong_type_is_a_bug(lib: Library) -> None:
    with pytest.raises(sqlite3.ProgrammingError) as raised:
        lib.set_notes(1, object())  # type: ignore[arg-type]
    assert not isinstance(raised.value, LibraryError)
    assert lib.get(1).notes == ""  # nothing was written


def test_python_s_own_sqlite_errors_are_bugs(lib_path: Path) -> None:
    closed = Library(lib_path)
    closed.close()
    with pytest.raises(sqlite3.ProgrammingError, match="closed") as raised:
        closed.count()
    assert not is_known(raised.value)


# --- known conditions: a LibraryError with its kind, made by real SQLite errors ----------------


def _full(lib: Library, _path: Path) -> None:
    pages = lib.conn.execute("PRAGMA page_count").fetchone()[0]
    lib.conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "database or disk is full"
    lib.set_notes(1, "a long note " * 20_000)


def _readonly(lib: Library, _path: Path) -> None:
    lib.conn.execute("PRAGMA query_only = ON")  # SQLite's own "attempt to write a readonly database"
    lib.set_notes(1, "a note")


def _busy(lib: Library, path: Path) -> None:
    with Library(path) as other:
        other.conn.execute("BEGIN IMMEDIATE")  # another program's transaction, outside our write lock
        try:
            lib.conn.execute("PRAGMA busy_timeout = 0")
            lib.set_notes(1, "a note")
        finally:
            other.conn.execute("ROLLBACK")


def _too_new(lib: Library, path: Path) -> None:
    lib.conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    Library(path)


def _missing_folder(_lib: Library, path: Path) -> None:
    Library(path.parent / "gone" / "lib.sqlite", create=False)


def _damaged(lib: Library, path: Path) -> None:
    lib.close()
    data = bytearray(path.read_bytes())
    data[100:4096] = bytes(3996)  # the schema's page, zeroed
    path.write_bytes(bytes(data))
    Library(path)


@pytest.mark.parametrize(
    ("make", "kind", "says"),
    [
        (_full, "full", "the disk is full"),
        (_readonly, "readonly", "read-only"),
        (_busy, "locked", "busy in another program"),
        (_too_new, "too_new", "newer"),
        (_missing_folder, "missing", "no library"),
        (_damaged, "damaged", "damaged"),
    ],
    ids=["full", "readonly", "busy", "too-new", "missing-folder", "damaged"],
)
def test_each_known_condition_keeps_its_kind_and_message(
    lib: Library, lib_path: Path, make: Callable[[Library, Path], None], kind: str, says: str
) -> None:
    with pytest.raises(LibraryError) as raised:
        make(lib, lib_path)
    assert raised.value.kind == kind, raised.value
    assert says in str(raised.value)
    cause = raised.value.__cause__ or raised.value.__context__
    if isinstance(cause, sqlite3.Error):
        assert is_known(cause)


def test_known_sqlite_codes_and_bugs() -> None:
    def error(cls: type[sqlite3.Error], code: int, text: str) -> sqlite3.Error:
        exc = cls(text)
        exc.sqlite_errorcode = code  # type: ignore[attr-defined]
        return exc

    known = [
        error(sqlite3.OperationalError, sqlite3.SQLITE_BUSY, "database is locked"),
        error(sqlite3.OperationalError, sqlite3.SQLITE_FULL, "database or disk is full"),
        error(sqlite3.OperationalError, sqlite3.SQLITE_IOERR_SHORT_READ, "disk I/O error"),
        error(sqlite3.DatabaseError, sqlite3.SQLITE_CORRUPT, "database disk image is malformed"),
        error(sqlite3.DatabaseError, sqlite3.SQLITE_NOTADB, "file is not a database"),
        error(sqlite3.OperationalError, sqlite3.SQLITE_CANTOPEN, "unable to open database file"),
        error(sqlite3.OperationalError, sqlite3.SQLITE_READONLY, "attempt to write a readonly database"),
        error(sqlite3.OperationalError, sqlite3.SQLITE_ERROR, "unsupported file format"),
    ]
    bugs = [
        error(sqlite3.OperationalError, sqlite3.SQLITE_ERROR, "no such column: notes"),
        error(sqlite3.OperationalError, sqlite3.SQLITE_ERROR, 'near "SELEC": syntax error'),
        error(sqlite3.IntegrityError, sqlite3.SQLITE_CONSTRAINT_UNIQUE, "UNIQUE constraint failed"),
        sqlite3.ProgrammingError("Incorrect number of bindings supplied"),
        sqlite3.InterfaceError("bad parameter or other API misuse"),
        sqlite3.OperationalError("database is locked"),  # no code: not from SQLite, whatever it says
    ]
    assert all(is_known(e) for e in known)
    assert not any(is_known(e) for e in bugs)


def test_errors_the_user_can_act_on_are_not_bugs(lib: Library) -> None:
    with pytest.raises(NotFoundError) as raised:
        lib.get(12345)
    assert not buglog.is_bug(raised.value)
    assert buglog.is_bug(sqlite3.OperationalError("no such column: notes"))
    assert not buglog.is_bug(KeyboardInterrupt())


# --- the log and the command line ------------------------------------------------------------------


def test_a_bug_inside_the_library_reaches_the_log_with_its_traceback(
    without_notes: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    log = bug_log_path()
    assert not log.exists()
    status = main(["notes", "--library", str(without_notes), "1", "a note"])
    err = capsys.readouterr().err
    assert status == buglog.EXIT_BUG == 70
    assert err.splitlines() == [
        "docmanager: an unexpected error (a bug): OperationalError: no such column: notes",
        f"docmanager: the details were written to {log}; please report it with that file",
    ]
    text = log.read_text(encoding="utf-8")
    assert "ERROR" in text and "a bug while running `docmanager notes`" in text
    assert "Traceback (most recent call last):" in text
    assert "docmanager/library/edits.py" in text  # where it happened, not only where it was caught
    assert text.rstrip().endswith("sqlite3.OperationalError: no such column: notes")
    assert "LibraryError" not in text


def test_the_log_keeps_every_bug_and_stays_bounded(tmp_path: Path) -> None:
    log = tmp_path / "log" / "bugs.log"
    for n in range(3 * buglog.MAX_BYTES // 8_000 + 40):
        try:
            raise ValueError(f"bug {n} " + "x" * 8_000)
        except ValueError as exc:
            buglog.record(exc, "testing the log", path=log)
    kept = sorted(p.name for p in log.parent.iterdir())
    assert kept == ["bugs.log", "bugs.log.1", "bugs.log.2"]
    assert all(p.stat().st_size <= buglog.MAX_BYTES for p in log.parent.iterdir())
    assert f"bug {n} " in log.read_text(encoding="utf-8")


def test_a_known_condition_is_one_line_and_status_1(lib_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status = main(["list", "--library", str(lib_path.parent / "gone" / "lib.sqlite")])
    assert status == 1
    assert capsys.readouterr().err.startswith("docmanager: no library at ")
    assert not bug_log_path().exists()


def test_an_argument_the_library_refuses_is_status_2_and_not_a_bug(
    lib_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An empty title is the user's input to correct (InvalidInput, a DocManagerError): status 2, one line."""
    status = main(["title", "--library", str(lib_path), "1", " "])
    assert status == 2
    assert capsys.readouterr().err == "docmanager: a title cannot be empty\n"
    assert not bug_log_path().exists()
    with Library(lib_path) as lib, pytest.raises(InvalidInput):
        lib.add_tags([1], ["a,b"])


def test_a_value_error_from_a_bug_is_a_bug_not_a_usage_error(
    lib_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: Library, doc_id: int, title: str) -> None:
        raise ValueError("invalid literal for int() with base 10: 'x'")

    monkeypatch.setattr(Library, "set_title", broken)
    assert main(["title", "--library", str(lib_path), "1", "A title"]) == buglog.EXIT_BUG
    assert "a bug" in capsys.readouterr().err
    assert "invalid literal" in bug_log_path().read_text(encoding="utf-8")
