"""The library file itself: its header, its integrity, and copies of it made through SQLite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

from docmanager.errors import LibraryError
from docmanager.library import schema
from docmanager.library.connection import (
    _connect,
    _connection,
    _disconnect,
    _file_key,
    _files_lock,
    _library_error,
    _open_files,
    _os_kind,
    is_known,
    refuse_if_open_here,
)

# Libraries up to this size get PRAGMA quick_check on open (about 50 ms); bigger ones a cheap check.
QUICK_CHECK_MAX_BYTES = 50 * 1024 * 1024

_SQLITE_MAGIC = b"SQLite format 3\x00"


def _header_problem(path: Path) -> tuple[str, str] | None:
    """What the first 100 bytes say is wrong with a library file: (kind, message), or None.

    Cheap enough for any size, and catches the common damage (a file cut short by a full disk or an
    interrupted copy) before SQLite reads a page: SQLite itself reads past the end as zeros. Read only
    while no connection of this process has the file (see ``_files_lock``); otherwise the file was
    checked when that connection opened, and ``_verify`` checks its length through SQLite.
    """
    with _files_lock:
        key = _file_key(path)
        if key is not None and _open_files[key] > 0:
            return None
        try:
            size = path.stat().st_size
            if size == 0:
                return None  # what SQLite itself creates: a new library
            with open(path, "rb") as fh:
                head = fh.read(100)
        except OSError as exc:
            return _os_kind(exc), f"{path}: cannot read the library file: {exc.strerror}"
    if not head.startswith(_SQLITE_MAGIC[: len(head)]) or len(head) < len(_SQLITE_MAGIC):
        return "not_library", f"{path}: is not a library (not an SQLite file); it was left untouched"
    if len(head) < 100:
        return "damaged", f"{path}: the library file is damaged (cut short at {size} bytes); restore a backup"
    page_size = int.from_bytes(head[16:18], "big")
    page_size = 65536 if page_size == 1 else page_size
    if page_size < 512 or page_size & (page_size - 1):
        return "damaged", f"{path}: the library file is damaged (its header is invalid); restore a backup"
    pages = int.from_bytes(head[28:32], "big")
    header_size_valid = pages > 0 and head[24:28] == head[92:96]
    wal = Path(f"{path}-wal")
    # With a non-empty WAL the file may legitimately lag behind its header until the next checkpoint.
    wal_empty = not wal.exists() or wal.stat().st_size == 0
    if header_size_valid and wal_empty and size < pages * page_size:
        return "damaged", _cut_short(path, size, pages * page_size)
    return None


def _cut_short(path: Path, size: int, needed: int) -> str:
    return f"{path}: the library file is damaged (cut short: {size} bytes of {needed}); restore a backup"


def _length_problem(conn: sqlite3.Connection, path: Path) -> str | None:
    """The header's check of the file's length, through SQLite: the pages the database has against
    the bytes on disk. Read in this order, a checkpoint in between can only make the file longer."""
    pages = int(conn.execute("PRAGMA page_count").fetchone()[0])
    page_size = int(conn.execute("PRAGMA page_size").fetchone()[0])
    try:
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return None  # the file may lag behind the WAL until the next checkpoint
        size = path.stat().st_size
    except OSError:
        return None
    return _cut_short(path, size, pages * page_size) if size < pages * page_size else None


def _verify(
    conn: sqlite3.Connection,
    path: Path,
    *,
    require_library: bool,
    newest: int = schema.SCHEMA_VERSION,
    quick_check_max_bytes: int = QUICK_CHECK_MAX_BYTES,
) -> int:
    """Check that an open file is a DocManager library this version can use (a schema version up to
    ``newest``); returns its schema version.

    Small files get PRAGMA quick_check (every page); big ones the schema and the first and last
    page of documents, so that opening a large library stays instant.
    """
    app_id = conn.execute("PRAGMA application_id").fetchone()[0]
    tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    if app_id not in (0, schema.APPLICATION_ID) or (app_id == 0 and tables) or (require_library and not tables):
        raise LibraryError(f"{path}: is an SQLite file but not a DocManager library", "not_library")
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > newest:
        raise LibraryError(
            f"{path}: was written by a newer DocManager (schema version {version}; this one knows "
            f"{newest}); it was left untouched",
            "too_new",
        )
    if not tables:
        return version
    try:
        size = path.stat().st_size + (Path(f"{path}-wal").stat().st_size if Path(f"{path}-wal").exists() else 0)
    except OSError:
        size = 0
    if size <= quick_check_max_bytes:
        problems = [str(r[0]) for r in conn.execute("PRAGMA quick_check(5)")]
        if problems != ["ok"]:
            lines = [x for p in problems for x in p.splitlines() if x.strip() and not x.startswith("***")]
            first = lines[0] if lines else problems[0].strip()
            raise LibraryError(f"{path}: the library file is damaged ({first}); restore a backup", "damaged")
    else:
        conn.execute("SELECT sql FROM sqlite_master").fetchall()
        if conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'documents'").fetchone():
            conn.execute("SELECT * FROM documents ORDER BY id LIMIT 1").fetchall()
            conn.execute("SELECT * FROM documents ORDER BY id DESC LIMIT 1").fetchall()
    if short := _length_problem(conn, path):
        raise LibraryError(short, "damaged")
    return version


def verify_library_file(path: Path, newest: int = schema.SCHEMA_VERSION) -> int:
    """Check, read-only, that a file is a DocManager library this version can read (a backup to
    restore, for instance; of a schema up to ``newest``); returns its schema version or raises
    LibraryError naming the file."""
    path = Path(path)
    if not path.is_file():
        raise LibraryError(f"{path}: no such file", "missing")
    if problem := _header_problem(path):
        raise LibraryError(problem[1], problem[0])
    if path.stat().st_size == 0:
        raise LibraryError(f"{path}: is an empty file, not a DocManager library", "not_library")
    try:
        with _connection(path, readonly=True) as conn:
            return _verify(conn, path, require_library=True, newest=newest)
    except sqlite3.DatabaseError as exc:
        raise _library_error(path, exc) from None


def check_file(path: Path) -> list[str]:
    """PRAGMA integrity_check of a library file, read-only: the problems found, or [] when it is sound.

    Works on files that cannot be opened as a library (damaged, too new), which is when it is needed.
    """
    path = Path(path)
    if not path.is_file():
        raise LibraryError(f"no library at {path}", "missing")
    if problem := _header_problem(path):
        return [problem[1]]
    if path.stat().st_size == 0:
        return []
    conn: sqlite3.Connection | None = None
    try:
        conn = _connect(path, readonly=True)
        app_id = conn.execute("PRAGMA application_id").fetchone()[0]
        tables = conn.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
        if app_id != schema.APPLICATION_ID and tables:
            raise LibraryError(f"{path}: is an SQLite file but not a DocManager library", "not_library")
        problems = [str(r[0]) for r in conn.execute("PRAGMA integrity_check")]
        if problems == ["ok"] and (short := _length_problem(conn, path)):
            problems = [short]
    except LibraryError as exc:
        if conn is not None and exc.kind != "damaged":  # opening it: any reason is the file's problem
            raise
        return [str(exc)]
    except sqlite3.DatabaseError as exc:
        if not is_known(exc):
            raise  # a bug, not a problem of the file
        return [f"{path}: {exc}"]
    finally:
        if conn is not None:
            _disconnect(conn)
    return [] if problems == ["ok"] else problems


def copy_library_file(source: Path, target: Path) -> None:
    """Copy a library file that no Library has open (a backup) into a new file, with SQLite's backup
    API: the copy is one consistent state, in one self-contained file (rollback journal, not WAL)."""
    try:
        with _connection(source, readonly=True) as src:
            _backup_into(src, target)
    except sqlite3.Error as exc:
        raise _library_error(source, exc) from None


def _backup_into(conn: sqlite3.Connection, target: Path) -> None:
    """Copy what ``conn`` sees into the new file ``target`` with SQLite's backup API: all pages in one
    step (one consistent state), into one self-contained file (rollback journal, not WAL)."""
    refuse_if_open_here(target, "a copy cannot be written over it")
    try:
        with _connection(target, isolation_level=None) as dest:
            conn.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
    except sqlite3.Error as exc:
        raise _library_error(target, exc) from None
