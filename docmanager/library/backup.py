"""Backups: rolling copies beside the library (daily and before migrations), and restoring one."""

from __future__ import annotations

import logging
import os
import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Protocol

from docmanager.errors import DocManagerError, LibraryError
from docmanager.library.connection import is_open_here
from docmanager.library.files import copy_library_file, verify_library_file


class Library(Protocol):
    """What backups use of ``docmanager.library.Library``, which imports this module (for its daily
    backup and the one before a migration): named here rather than imported back."""

    @property
    def path(self) -> Path: ...

    def has_documents(self) -> bool: ...

    def count(self) -> int: ...

    def backup_to(self, target: Path) -> None: ...

    def restore_from(self, source: Path) -> int: ...


log = logging.getLogger(__name__)

KEEP = 7  # automatic backups kept per library; the oldest go first
DAILY = timedelta(hours=24)
_STAMP = "%Y%m%d-%H%M%S"


def backup_folder(library_path: Path) -> Path:
    """``library.sqlite`` → ``library.backups/`` beside it."""
    return library_path.with_name(f"{library_path.stem}.backups")


def _pattern(library_path: Path) -> re.Pattern[str]:
    return re.compile(rf"{re.escape(library_path.stem)}-(\d{{8}}-\d{{6}})(?:-(\d+))?\.sqlite")


def _dated(library_path: Path) -> list[tuple[datetime, int, Path]]:
    folder = backup_folder(Path(library_path))
    pattern = _pattern(Path(library_path))
    found: list[tuple[datetime, int, Path]] = []
    try:
        entries = list(folder.iterdir())
    except OSError:
        return []
    for path in entries:
        m = pattern.fullmatch(path.name)
        if m is None or not path.is_file():
            continue
        try:
            when = datetime.strptime(m[1], _STAMP)
        except ValueError:
            continue
        found.append((when, int(m[2] or 0), path))
    found.sort(reverse=True)
    return found


def list_backups(library_path: Path) -> list[Path]:
    """The automatic backups of a library, newest first (by the time in their names)."""
    return [path for _, _, path in _dated(library_path)]


def latest_backup(library_path: Path) -> Path | None:
    backups = list_backups(library_path)
    return backups[0] if backups else None


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_copy(library: Library, target: Path) -> None:
    """Copy through a hidden temporary file renamed into place, so a half-written copy never has the
    name of a backup (the window offers the newest one after a crash)."""
    partial = target.with_name(f".{target.name}.partial")
    try:
        partial.unlink(missing_ok=True)
        library.backup_to(partial)
        _fsync(partial)
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


def take_backup(library: Library, *, reason: str = "", now: datetime | None = None, keep: Path | None = None) -> Path:
    """Write a rolling backup of the library now and drop the oldest beyond KEEP (never ``keep``)."""
    now = now or datetime.now()
    folder = backup_folder(library.path)
    try:
        folder.mkdir(exist_ok=True)
    except OSError as exc:
        raise LibraryError(f"{folder}: cannot create the backup folder: {exc.strerror}", "readonly") from None
    stem = f"{library.path.stem}-{now.strftime(_STAMP)}"
    target = folder / f"{stem}.sqlite"
    n = 0
    while target.exists():  # two backups in one second (two windows opening at once)
        n += 1
        target = folder / f"{stem}-{n}.sqlite"
    try:
        _write_copy(library, target)
    except OSError as exc:
        raise LibraryError(f"{target}: cannot write the backup: {exc.strerror}", "other") from None
    log.info("%s: backed up to %s %s", library.path, target, reason)
    for _, _, old in _dated(library.path)[KEEP:]:
        if keep is None or old != keep:
            old.unlink(missing_ok=True)
    return target


def daily_backup_due(library: Library, *, now: datetime | None = None) -> bool:
    """Whether the newest backup is older than a day (or there is none) and the library has documents."""
    now = now or datetime.now()
    dated = _dated(library.path)
    if dated and timedelta(0) <= now - dated[0][0] < DAILY:
        return False
    return library.has_documents()


def daily_backup(library: Library, *, now: datetime | None = None) -> Path | None:
    """A backup when the newest is older than a day and the library has documents; else None."""
    now = now or datetime.now()
    if not daily_backup_due(library, now=now):
        return None
    return take_backup(library, reason="daily", now=now)


def write_backup(library: Library, target: Path, *, overwrite: bool = False) -> Path:
    """A backup to a file of the user's choosing; an existing file is only replaced with ``overwrite``."""
    target = Path(target)
    if target.exists():
        if target.is_dir():
            raise DocManagerError(f"{target}: is a folder; name the backup file")
        if target.resolve() == library.path.resolve():
            raise DocManagerError(f"{target}: is the library itself")
        if not overwrite:
            raise DocManagerError(f"{target}: already exists; nothing was written")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _write_copy(library, target)
    except OSError as exc:
        raise DocManagerError(f"{target}: cannot write the backup: {exc.strerror}") from None
    return target


def set_aside(library_path: Path) -> Path:
    """Rename a library that cannot be opened (and its WAL files) out of the way; it is kept, never
    overwritten: ``library.damaged-YYYYmmdd-HHMMSS.sqlite``."""
    if is_open_here(library_path):  # its WAL would be renamed under live connections
        raise DocManagerError(f"{library_path}: is still open in this program; close it before setting it aside")
    stamp = datetime.now().strftime(_STAMP)
    target = library_path.with_name(f"{library_path.stem}.damaged-{stamp}{library_path.suffix}")
    for suffix in ("", "-wal", "-shm"):
        part = Path(f"{library_path}{suffix}")
        if part.exists():
            part.rename(Path(f"{target}{suffix}"))
    return target


def copy_into_place(source: Path, library_path: Path) -> None:
    """Make ``library_path`` (set aside first, so absent) a copy of the backup ``source``: through
    SQLite's backup API into a hidden file renamed into place, so that a copy cut short by a crash
    never has the library's name and no descriptor of this process ever closes on a live library."""
    if library_path.exists():
        raise DocManagerError(f"{library_path}: already exists; set it aside first")
    partial = library_path.with_name(f".{library_path.name}.partial")
    try:
        partial.unlink(missing_ok=True)
        copy_library_file(source, partial)
        _fsync(partial)
        os.replace(partial, library_path)
    except OSError as exc:
        raise LibraryError(f"{library_path}: cannot write the restored library: {exc.strerror}", "other") from None
    finally:
        partial.unlink(missing_ok=True)


@dataclass(frozen=True, slots=True)
class Restored:
    """What a restore did: from where, the backup of what was replaced, documents before and after."""

    source: Path
    saved: Path
    before: int
    after: int


def restore(library: Library, source: Path) -> Restored:
    """Replace the library's content with a backup (or any DocManager library file).

    The source is checked first; then the current content is backed up; then the content is
    replaced inside the write lock. A source that is not a usable library changes nothing.
    """
    source = Path(source)
    if source.resolve() == library.path.resolve():
        raise DocManagerError(f"{source}: is the library itself")
    verify_library_file(source)
    before = library.count()
    saved = take_backup(library, reason="before restore", keep=source)
    after = library.restore_from(source)
    return Restored(source, saved, before, after)
