"""The library's connection: the cursor that translates errors, the registry of open files, the
write lock and transactions (the base of ``Library``), and SQLite errors in words the user can act on."""

from __future__ import annotations

import errno
import functools
import logging
import os
import sqlite3
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import TYPE_CHECKING, Any

import filelock

from docmanager.errors import Cancelled, DocManagerError, LibraryError

if TYPE_CHECKING:
    import sqlite_utils

log = logging.getLogger(__name__)

BUSY_TIMEOUT_MS = 10_000

# The write lock (see Library._write): how long a write waits for another program's, and how long
# close() waits for it before closing without its final checkpoint. SQLite before 3.51.3 can corrupt a
# WAL database when two connections write or checkpoint at the same moment; the lock is kept whatever
# the version: it costs one flock() per transaction, and the fixed SQLite is not what Python ships on
# most machines yet.
WRITE_LOCK_TIMEOUT = 10.0
LOCK_WAIT_TICK = 0.25  # while waiting for the write lock, on_lock_wait is called this often (seconds)
CLOSE_LOCK_TIMEOUT = 0.25
# With SQLite's automatic checkpoint off, a writer checkpoints itself once the WAL grows past this.
WAL_CHECKPOINT_BYTES = 4 * 1024 * 1024

_DAMAGE_CODES = {sqlite3.SQLITE_CORRUPT, sqlite3.SQLITE_NOTADB}


def _damage(exc: sqlite3.Error) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in _DAMAGE_CODES


class _Cursor(sqlite3.Cursor):
    """Turns "database disk image is malformed" met while stepping through rows into a LibraryError,
    and an interrupted statement into Cancelled.

    A big library is only checked cheaply on open, so damage can first show in the middle of a
    query; it must reach the user as a damaged library, not as a crash.
    """

    library_path: Path

    def _translated(self, exc: sqlite3.Error) -> DocManagerError | None:
        """Damage becomes a damaged-library error; an interrupt (from another thread) a Cancelled."""
        if _damage(exc):
            message = f"{self.library_path}: the library file is damaged ({exc}); restore a backup"
            return LibraryError(message, "damaged")
        if isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc):
            return Cancelled("query cancelled")
        return None

    def execute(self, sql: str, parameters: Any = (), /) -> _Cursor:
        try:
            super().execute(sql, parameters)
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise
        return self

    def executemany(self, sql: str, seq_of_parameters: Iterable[Any], /) -> _Cursor:
        try:
            super().executemany(sql, seq_of_parameters)
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise
        return self

    def __next__(self) -> Any:
        try:
            return super().__next__()
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise

    def fetchone(self) -> Any:
        try:
            return super().fetchone()
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise

    def fetchmany(self, size: int | None = None) -> list[Any]:
        try:
            return super().fetchmany(self.arraysize if size is None else size)
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise

    def fetchall(self) -> list[Any]:
        try:
            return super().fetchall()
        except sqlite3.DatabaseError as exc:
            if (translated := self._translated(exc)) is not None:
                raise translated from None
            raise


class _Connection(sqlite3.Connection):
    """The library's connection: every statement runs on a _Cursor (sqlite_utils uses these too)."""

    library_path = Path()
    file_key: tuple[int, int] | None = None
    registered = True

    def cursor(self, factory: Any = None) -> Any:
        cur = super().cursor(factory or _Cursor)
        cur.library_path = self.library_path
        return cur

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.cursor().execute(sql, parameters)

    def executemany(self, sql: str, parameters: Iterable[Any], /) -> Any:
        return self.cursor().executemany(sql, parameters)


# --- the library's files: touched only through SQLite while this process has them open ---------
#
# On POSIX, closing *any* descriptor of a file drops every fcntl lock this process holds on it,
# SQLite's included. Another program then takes itself for the last user of the library, deletes
# the WAL and the shared memory under our connections, and from then on the two write to different
# journals ("How To Corrupt An SQLite Database File", section 2.2). So every connection this module
# makes is registered here, and nothing opens a registered file with a descriptor of its own: the
# header is read with open() only while no connection of this process has the file, under the
# same lock that connecting takes, so that no connection can appear half-way through the read.
_files_lock = threading.RLock()
_open_files: Counter[tuple[int, int]] = Counter()


def _file_key(path: Path) -> tuple[int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return st.st_dev, st.st_ino


def is_open_here(path: Path) -> bool:
    """Whether a connection of this process has the file open, or the file is the -wal or -shm of
    one that has (then only SQLite may touch it)."""
    path = Path(path)
    paths = [path]
    if path.name.endswith(("-wal", "-shm")):
        paths.append(path.with_name(path.name[:-4]))
    with _files_lock:
        return any((key := _file_key(p)) is not None and _open_files[key] > 0 for p in paths)


def deleted_handles(library: Path) -> list[str]:
    """This process's descriptors that point at a deleted file of the library (its -wal or -shm): what
    another program leaves behind when it deletes the journal under us, silently dropping SQLite's
    locks. Read from /proc (Linux); elsewhere the list is empty. For tests and the stress tool."""
    fds = Path("/proc/self/fd")
    if not fds.is_dir():
        return []
    base = str(Path(library).resolve())
    found = []
    for fd in os.listdir(fds):
        try:
            target = os.readlink(fds / fd)
        except OSError:
            continue
        if target.startswith(base) and target.endswith(" (deleted)"):
            found.append(target)
    return found


def refuse_if_open_here(path: Path, what: str) -> None:
    """Raise, naming ``what`` was asked, when ``path`` is a library this process has open."""
    if is_open_here(path):
        raise DocManagerError(f"{path}: is the library itself; {what}")


def _connect(path: Path, *, readonly: bool = False, **kwargs: Any) -> _Connection:
    """sqlite3.connect, registered as a holder of the file until ``_disconnect``."""
    with _files_lock:
        conn = sqlite3.connect(_uri(path, "ro") if readonly else str(path), uri=readonly, factory=_Connection, **kwargs)
        conn.library_path = path
        try:
            # SQLite creates a new file on its first read, not on connect: make it exist now so it has
            # an identity to register (an empty file is what SQLite itself starts from).
            conn.execute("PRAGMA schema_version").fetchone()
        except (sqlite3.Error, DocManagerError):
            conn.close()
            raise
        conn.file_key = _file_key(path)
        if conn.file_key is not None:
            _open_files[conn.file_key] += 1
        return conn


def _disconnect(conn: sqlite3.Connection) -> None:
    with _files_lock:
        key = getattr(conn, "file_key", None)
        conn.close()
        if key is not None and getattr(conn, "registered", True):
            conn.registered = False  # type: ignore[attr-defined]
            _open_files[key] -= 1
            if _open_files[key] <= 0:
                del _open_files[key]


@contextmanager
def _connection(path: Path, *, readonly: bool = False, **kwargs: Any) -> Iterator[_Connection]:
    conn = _connect(path, readonly=readonly, **kwargs)
    try:
        yield conn
    finally:
        _disconnect(conn)


def _os_kind(exc: OSError) -> str:
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        return "readonly"
    if exc.errno == errno.ENOSPC:
        return "full"
    return "other"


def _uri(path: Path, mode: str) -> str:
    return f"{path.absolute().as_uri()}?mode={mode}"


# SQLite's primary result codes that come from the file, the disk or another program: the user can
# act on them (wait, free space, restore a backup), so they become a LibraryError or Cancelled. Every
# other code (SQLITE_ERROR for "no such column" or a syntax error, CONSTRAINT, MISMATCH, RANGE,
# MISUSE, TOOBIG…) and the errors Python raises itself (ProgrammingError, InterfaceError…) are bugs
# in this program: they are raised as they are, to be logged with their traceback (docmanager.buglog).
_KNOWN_CODES = frozenset(
    {
        sqlite3.SQLITE_BUSY,
        sqlite3.SQLITE_LOCKED,
        sqlite3.SQLITE_PROTOCOL,
        sqlite3.SQLITE_READONLY,
        sqlite3.SQLITE_PERM,
        sqlite3.SQLITE_FULL,
        sqlite3.SQLITE_NOLFS,
        sqlite3.SQLITE_IOERR,
        sqlite3.SQLITE_NOMEM,
        sqlite3.SQLITE_NOTADB,
        sqlite3.SQLITE_CORRUPT,
        sqlite3.SQLITE_CANTOPEN,
        sqlite3.SQLITE_INTERRUPT,
    }
)
_TOO_NEW_TEXT = "unsupported file format"  # SQLITE_ERROR, but from a file written by a newer SQLite


def is_known(exc: sqlite3.Error) -> bool:
    """Whether an SQLite error is a condition of the library file, the disk or another program (the
    user can act on it) rather than a bug in this program (a bad statement, a wrong type)."""
    if type(exc) not in (sqlite3.DatabaseError, sqlite3.OperationalError):
        return False  # ProgrammingError, InterfaceError, IntegrityError, DataError…: our statements
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    return code in _KNOWN_CODES or (code == sqlite3.SQLITE_ERROR and str(exc).startswith(_TOO_NEW_TEXT))


def _library_error(path: Path, exc: sqlite3.Error) -> DocManagerError:
    """Translate SQLite's errors at the boundary into what the user can act on.

    A known condition (see ``is_known``) becomes a LibraryError with its kind, an interrupt Cancelled.
    Anything else is a bug and is raised here as it is, with its traceback: callers write
    ``raise _library_error(path, exc)`` and a bug never reaches the user as a LibraryError.
    """
    if not is_known(exc):
        raise exc
    text = str(exc)
    code = (getattr(exc, "sqlite_errorcode", None) or 0) & 0xFF
    if code == sqlite3.SQLITE_INTERRUPT:
        return Cancelled("cancelled; nothing was changed")
    if code in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED, sqlite3.SQLITE_PROTOCOL):
        return LibraryError(
            f"{path}: the library is busy in another program: waited {BUSY_TIMEOUT_MS // 1000} s; "
            "try again when it has finished",
            "locked",
        )
    if code in (sqlite3.SQLITE_READONLY, sqlite3.SQLITE_PERM):
        return LibraryError(
            f"{path}: the library is read-only; copy it to a folder you can write to and open the copy", "readonly"
        )
    if code in (sqlite3.SQLITE_FULL, sqlite3.SQLITE_NOLFS):
        return LibraryError(f"{path}: the disk is full; nothing was changed", "full")
    if code == sqlite3.SQLITE_NOTADB:
        return LibraryError(f"{path}: the library file is damaged or not a library ({text})", "damaged")
    if code == sqlite3.SQLITE_CORRUPT:
        return LibraryError(f"{path}: the library file is damaged ({text}); restore a backup", "damaged")
    if code == sqlite3.SQLITE_CANTOPEN:
        if not path.parent.is_dir():
            return LibraryError(f"{path}: cannot open the library file: its folder does not exist", "missing")
        if not os.access(path.parent, os.W_OK | os.X_OK):
            return LibraryError(f"{path}: cannot open the library file: its folder is read-only", "readonly")
        return LibraryError(f"{path}: cannot open the library file")
    if code == sqlite3.SQLITE_ERROR:  # _TOO_NEW_TEXT
        return LibraryError(
            f"{path}: the library was written by a newer version of SQLite ({text}); update DocManager", "too_new"
        )
    if code == sqlite3.SQLITE_NOMEM:
        return LibraryError(f"{path}: out of memory ({text}); close other programs and try again")
    return LibraryError(f"{path}: the disk could not read or write the library file ({text}); nothing was changed")


class LibraryConnection:
    """A library's connection and its write lock: the transactions every part of ``Library`` writes in.

    ``Library.__init__`` sets these attributes; the methods below are the ones that take the lock,
    begin, commit and roll back.
    """

    path: Path
    readonly: bool
    lock_timeout: float | None
    close_lock_timeout: float
    checkpoint_bytes: int
    conn: sqlite3.Connection

    @functools.cached_property
    def db(self) -> sqlite_utils.Database:
        """sqlite-utils over the library's connection, made when first used: importing sqlite-utils
        took 130 ms of the window's start, which reads the library without it."""
        import sqlite_utils

        return sqlite_utils.Database(self.conn)

    _on_lock_wait: Callable[[float], None] | None
    _lock: filelock.FileLock | None
    _lock_depth: int
    _closed: bool

    def close(self) -> None:
        """Close, first folding the WAL back into the library (inside the write lock) when it is free."""
        if self._closed:
            return
        self._closed = True
        try:
            if self._lock is not None and not self.conn.in_transaction:
                with self._locked(self.close_lock_timeout):
                    self._checkpoint()
                    _disconnect(self.conn)
        except LibraryError as exc:  # another program is writing: it will checkpoint; closing must not wait
            log.info("%s: closed without the final checkpoint: %s", self.path, exc)
        finally:
            _disconnect(self.conn)

    @contextmanager
    def _locked(self, timeout: float | None = None) -> Iterator[None]:
        """Hold the library's write lock (reentrant within this Library).

        Only the holder of this lock writes or checkpoints: SQLite before 3.51.3 can corrupt a WAL
        database when two connections write or checkpoint at the same moment, and SQLite's own locks
        do not prevent that race. flock() locks are dropped by the kernel when a process dies, so a
        killed program never leaves the library locked.
        """
        if self._lock is None or self._lock_depth:
            self._lock_depth += 1
            try:
                yield
            finally:
                self._lock_depth -= 1
            return
        wait = self.lock_timeout if timeout is None else timeout
        start = time.monotonic()
        try:
            while True:
                waited = time.monotonic() - start
                tick = LOCK_WAIT_TICK if self._on_lock_wait is not None or wait is None else wait
                if wait is not None:
                    tick = min(tick, max(0.0, wait - waited))
                try:
                    self._lock.acquire(timeout=tick, poll_interval=0.005)
                    break
                except filelock.Timeout:
                    waited = time.monotonic() - start
                    if wait is not None and waited >= wait:
                        raise LibraryError(
                            f"{self.path}: the library is busy in another program: waited {wait:g} s; "
                            "try again when it has finished",
                            "locked",
                        ) from None
                    if self._on_lock_wait is not None:
                        self._on_lock_wait(waited)
        except OSError as exc:
            raise LibraryError(
                f"{self.path}: cannot take the write lock {self._lock.lock_file}: {exc.strerror}", _os_kind(exc)
            ) from None
        self._lock_depth = 1
        try:
            yield
        finally:
            self._lock_depth = 0
            self._lock.release()

    @contextmanager
    def write_lock(self) -> Iterator[None]:
        """Hold the library's write lock for a while (reentrant): other writers wait, readers do not."""
        with self._locked():
            yield

    def _checkpoint(self) -> None:
        """Fold the WAL back into the library without waiting: TRUNCATE when no reader is in the
        way, otherwise (busy_timeout 0) SQLite copies what it can, as PASSIVE would. Call with the
        write lock held."""
        try:
            self.conn.execute("PRAGMA busy_timeout = 0")
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
            finally:
                self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        except (sqlite3.Error, LibraryError) as exc:  # the commit is done; the next one will try again
            log.warning("%s: checkpoint failed: %s", self.path, exc)

    @contextmanager
    def _write(self) -> Iterator[None]:
        """One write transaction, inside the write lock; BEGIN IMMEDIATE so it never deadlocks.

        Nested calls join the outer transaction.
        """
        if self.conn.in_transaction:
            yield
            return
        if self.readonly:
            raise LibraryError(f"{self.path}: the library was opened read-only", "readonly")
        with self._locked():
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as exc:
                raise _library_error(self.path, exc) from None
            try:
                yield
            except sqlite3.Error as exc:
                self._rollback()
                if isinstance(exc, sqlite3.OperationalError) and "interrupted" in str(exc):
                    raise Cancelled("cancelled; nothing was changed") from None
                raise _library_error(self.path, exc) from exc
            except BaseException:
                self._rollback()
                raise
            else:
                try:
                    self.conn.execute("COMMIT")
                except sqlite3.Error as exc:
                    self._rollback()
                    raise _library_error(self.path, exc) from exc
                except LibraryError:
                    self._rollback()
                    raise
            wal = Path(f"{self.path}-wal")
            with suppress(OSError):
                if wal.stat().st_size > self.checkpoint_bytes:
                    self._checkpoint()

    def _rollback(self) -> None:
        if self.conn.in_transaction:
            with suppress(sqlite3.Error, LibraryError):  # a damaged file may refuse even this
                self.conn.execute("ROLLBACK")

    def interrupt(self) -> None:
        """Abort the statement running on this connection (from another thread)."""
        self.conn.interrupt()

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """One read transaction: everything read inside sees the same state, whatever others write."""
        if self.conn.in_transaction:
            yield
            return
        self.conn.execute("BEGIN")
        try:
            yield
        finally:
            self._rollback()
