"""The library: the one package that owns the SQLite file, its schema and every SQL statement.

``Library`` is assembled from one part per concern, each a module of this package:

- ``connection``: the connection, the write lock and transactions, error translation (the base);
- ``records``: the document records and the row upkeep every write shares;
- ``queries``: reading, views, sorts and search; ``edits``: tags, queue, status, titles, delete;
- ``changes``: what an edit changed (``Changes``, every edit's result), and what it means for a view;
- ``saved``: saved searches (smart lists), kept in the library;
- ``imports``: import batches; ``schema``: tables and migrations; ``exchange``: export and load;
- ``files``: header and integrity checks of a library file, and copies of it;
- ``backup`` and ``transfer``: backups, and export and load files, built on ``Library``.
"""

from __future__ import annotations

import logging
import os
import sqlite3
from collections.abc import Callable
from pathlib import Path

import filelock

from docmanager.errors import LibraryError
from docmanager.library import backup as backups
from docmanager.library import schema
from docmanager.library.changes import Changes
from docmanager.library.connection import (
    BUSY_TIMEOUT_MS,
    CLOSE_LOCK_TIMEOUT,
    WAL_CHECKPOINT_BYTES,
    WRITE_LOCK_TIMEOUT,
    _connect,
    _disconnect,
    _library_error,
    _os_kind,
    is_open_here,
    refuse_if_open_here,
)
from docmanager.library.edits import BulkPreview, DeletedDocuments, TagChange, TagRename, TitleState
from docmanager.library.exchange import Exchange, LoadResult, SavedDocument, SavedImport, SavedListing
from docmanager.library.files import (
    QUICK_CHECK_MAX_BYTES,
    _backup_into,
    _header_problem,
    _verify,
    check_file,
    verify_library_file,
)
from docmanager.library.imports import ImportBatch
from docmanager.library.queries import ExcerptSearch, Sort, TagMode, View, ViewQuery
from docmanager.library.records import Document, ImportRecord, NewDocument, RejectedLine, identity_key, utc_now
from docmanager.library.saved import SavedSearch, SavedSearches
from docmanager.library.schema import Schema

__all__ = [
    "BulkPreview",
    "Changes",
    "DeletedDocuments",
    "Document",
    "ExcerptSearch",
    "ImportBatch",
    "ImportRecord",
    "Library",
    "LoadResult",
    "NewDocument",
    "RejectedLine",
    "SavedDocument",
    "SavedImport",
    "SavedListing",
    "SavedSearch",
    "Sort",
    "TagChange",
    "TagMode",
    "TagRename",
    "TitleState",
    "View",
    "ViewQuery",
    "check_file",
    "identity_key",
    "is_open_here",
    "refuse_if_open_here",
    "utc_now",
    "verify_library_file",
]

log = logging.getLogger(__name__)


class Library(Exchange, SavedSearches, Schema):
    """A DocManager library file. One instance per thread; each opens its own connection.

    Writes are serialised across threads and processes by a lock file beside the library (see
    _write); reads never wait for it.
    """

    def __init__(
        self,
        path: Path | str,
        *,
        create: bool = True,
        readonly: bool = False,
        auto_backup: bool = False,
        lock_timeout: float | None = WRITE_LOCK_TIMEOUT,
        on_lock_wait: Callable[[float], None] | None = None,
        close_lock_timeout: float = CLOSE_LOCK_TIMEOUT,
        checkpoint_bytes: int = WAL_CHECKPOINT_BYTES,
        quick_check_max_bytes: int = QUICK_CHECK_MAX_BYTES,
    ) -> None:
        """``lock_timeout``: how long a write waits for another program's (None: as long as it takes);
        ``on_lock_wait(seconds waited)`` is called every LOCK_WAIT_TICK meanwhile, on the waiting
        thread, and may raise (Cancelled, say) to give up. ``close_lock_timeout``: how long closing
        waits for the lock to fold the WAL back; ``checkpoint_bytes``: the WAL size past which a writer
        checkpoints; ``quick_check_max_bytes``: libraries up to this size get a full quick_check on
        open (the defaults are the measured constants; tests make them small)."""
        self.path = Path(path)
        self.readonly = readonly
        self.lock_timeout = lock_timeout
        self.close_lock_timeout = close_lock_timeout
        self.checkpoint_bytes = checkpoint_bytes
        self.quick_check_max_bytes = quick_check_max_bytes
        self._on_lock_wait = on_lock_wait
        memory = str(path) == ":memory:"
        # thread_local=False: the GUI may open a Library on one thread and use it on another.
        self._lock = None if memory or readonly else filelock.FileLock(f"{self.path}.lock", thread_local=False)
        self._lock_depth = 0
        self._closed = False
        if not memory:
            self._check_file(create=create, readonly=readonly)
        try:
            self.conn: sqlite3.Connection = _connect(
                self.path,
                readonly=readonly,
                isolation_level=None,  # we issue BEGIN/COMMIT ourselves
                check_same_thread=False,  # the GUI interrupts a worker's query from its thread
                timeout=BUSY_TIMEOUT_MS / 1000,
            )
        except sqlite3.Error as exc:
            raise _library_error(self.path, exc) from None
        try:
            self._configure(readonly)
            if not readonly:
                self._migrate()
            elif self._user_version() != self.newest_version():
                raise LibraryError(
                    f"{self.path}: library schema version {self._user_version()} needs migrating, which a "
                    "read-only open cannot do"
                )
            if auto_backup and not readonly and not memory:
                try:
                    backups.daily_backup(self)
                except (OSError, LibraryError) as exc:  # a missed backup must not keep the library shut
                    log.warning("%s: the daily backup failed: %s", self.path, exc)
        except BaseException:
            _disconnect(self.conn)
            raise

    def _check_file(self, *, create: bool, readonly: bool) -> None:
        """Refuse, before SQLite touches it, a library that is missing, a folder, damaged or read-only."""
        path, folder = self.path, self.path.parent
        if not path.exists():
            if not create or readonly:
                raise LibraryError(f"no library at {path}", "missing")
            try:
                folder.mkdir(parents=True, exist_ok=True)
            except OSError as exc:
                raise LibraryError(f"{folder}: cannot create the folder: {exc.strerror}", _os_kind(exc)) from None
            if not os.access(folder, os.W_OK | os.X_OK):
                raise LibraryError(f"{folder}: cannot create a library here: the folder is read-only", "readonly")
            return
        if path.is_dir():
            raise LibraryError(f"{path}: is a folder, not a library file", "not_library")
        if problem := _header_problem(path):
            raise LibraryError(problem[1], problem[0])
        # SQLite needs to write the file, and its folder for the -wal, -shm and lock files beside it.
        if not readonly and not (os.access(path, os.W_OK) and os.access(folder, os.W_OK | os.X_OK)):
            what = "file" if not os.access(path, os.W_OK) else "folder it is in"
            raise LibraryError(
                f"{path}: the library is read-only (the {what} cannot be written); copy it to a folder you "
                "can write to and open the copy",
                "readonly",
            )

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _configure(self, readonly: bool) -> None:
        try:
            self.conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
            # Only a holder of the write lock checkpoints (see _write), never a commit on its own.
            self.conn.execute("PRAGMA wal_autocheckpoint = 0")
            # Checked before switching to WAL, which would rewrite the file's header.
            _verify(
                self.conn,
                self.path,
                require_library=False,
                newest=self.newest_version(),
                quick_check_max_bytes=self.quick_check_max_bytes,
            )
            if not readonly and self._user_version() == 0 and not self._has_tables():
                # 16 KB pages: a document row is ~2.5 KB, so 4 KB pages held one row and left a third
                # of the file empty. Only a new file can take it (before WAL is switched on).
                self.conn.execute(f"PRAGMA page_size = {schema.PAGE_SIZE}")
            if not readonly and self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                with self._locked():
                    self.conn.execute("PRAGMA journal_mode = WAL")
            self.conn.execute("PRAGMA synchronous = FULL")
            self.conn.execute("PRAGMA foreign_keys = ON")
        except sqlite3.DatabaseError as exc:
            raise _library_error(self.path, exc) from None

    def _backup_before_migration(self) -> None:
        backups.take_backup(self, reason="before-migration")

    # --- maintenance ----------------------------------------------------------------------------

    def integrity_check(self) -> str:
        return str(self.conn.execute("PRAGMA integrity_check").fetchone()[0])

    def check(self) -> list[str]:
        """The full PRAGMA integrity_check (minutes on a huge library): the problems, or [] when sound."""
        try:
            problems = [str(r[0]) for r in self.conn.execute("PRAGMA integrity_check")]
        except LibraryError as exc:
            return [str(exc)]
        return [] if problems == ["ok"] else problems

    def backup_to(self, target: Path) -> None:
        """Copy the library as it is now into a new file ``target`` with SQLite's online backup API.

        All pages are copied in one step, that is inside one read transaction: the copy is one
        consistent state even while another program writes. The copy is a single self-contained
        file (rollback journal, not WAL), so it can be moved or mailed as it is.
        """
        _backup_into(self.conn, target)

    def restore_from(self, source: Path) -> int:
        """Replace this library's whole content with a DocManager library file (a backup), in place.

        The source is checked first (a DocManager library of a schema this version reads, sound), and
        the replacement runs inside the write lock with SQLite's backup API, so other programs with
        the library open see the old content or the new, never a mixture. Returns the number of
        documents now in the library. Taking a backup of the current content is the caller's job.
        """
        source = Path(source)
        version = verify_library_file(source, self.newest_version())
        with self._locked():
            try:
                src = _connect(source, readonly=True)
            except sqlite3.Error as exc:
                raise _library_error(source, exc) from None
            try:
                src.backup(self.conn)
            except sqlite3.Error as exc:
                raise _library_error(self.path, exc) from None
            finally:
                _disconnect(src)
            if self.conn.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                self.conn.execute("PRAGMA journal_mode = WAL")
            if version < self.newest_version():
                self._migrate()
            self._checkpoint()
        return self.count()
