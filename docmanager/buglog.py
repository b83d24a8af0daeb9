"""Bugs: the errors no user can act on, written with their traceback to a log file the user can send.

The rule (see docmanager.errors): a ``DocManagerError`` is a condition of the input, the library file,
the disk or another program, and its message is shown to the user as it is. Every other exception is
a bug in this program (SQLite's "no such column", a syntax error, a wrong type, a ProgrammingError…):
it is never turned into a ``DocManagerError``; whoever catches it at the top (the command line, the
window's threads and its ``sys.excepthook``) calls ``record``, which appends it here with its
traceback, and then names this file to the user.

The file is ``paths.bug_log_path()`` (the platform's log folder, under the state folder on Linux),
rotated at MAX_BYTES with BACKUPS older files kept, so it never grows past about
(BACKUPS + 1) × MAX_BYTES. One entry per bug: a header line (time, process, thread, what was being
done, versions), then the traceback as Python prints it.
"""

from __future__ import annotations

import logging
import platform
import sqlite3
import sys
import threading
import traceback
from logging.handlers import RotatingFileHandler
from pathlib import Path

from docmanager import __version__
from docmanager.errors import DocManagerError
from docmanager.paths import bug_log_path

MAX_BYTES = 512 * 1024
BACKUPS = 2
# The command line's exit status after a bug: EX_SOFTWARE of sysexits.h ("internal software error"),
# apart from 1 (an error the user can act on), 2 (a usage error) and 130 (interrupted).
EXIT_BUG = 70

_FORMAT = "%(asctime)s %(levelname)s pid %(process)d thread %(threadName)s: %(message)s"

_logger = logging.getLogger("docmanager.bugs")
_logger.propagate = False  # written here only: the command line and the window say it themselves
_lock = threading.Lock()


def is_bug(exc: BaseException) -> bool:
    """Whether ``exc`` is a bug: any Exception that is not a DocManagerError (not KeyboardInterrupt or
    SystemExit either, which are the user's and the program's own ways out)."""
    return isinstance(exc, Exception) and not isinstance(exc, DocManagerError)


def _handler_for(path: Path) -> logging.Handler:
    """The rotating handler on ``path``, made once per path (tests give each test its own)."""
    with _lock:
        for handler in list(_logger.handlers):
            if isinstance(handler, RotatingFileHandler) and Path(handler.baseFilename) == path.absolute():
                return handler
            _logger.removeHandler(handler)
            handler.close()
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8", delay=True)
        handler.setFormatter(logging.Formatter(_FORMAT))
        _logger.addHandler(handler)
        return handler


def record(exc: BaseException, doing: str = "", path: Path | None = None) -> str:
    """Append the bug ``exc`` with its traceback to the log (``path``, by default bug_log_path()),
    ``doing`` saying what the program was doing. Returns the traceback as text.

    Never raises: when the log cannot be written the entry goes to stderr instead, and the caller
    still names the file (the user is shown the traceback too)."""
    text = "".join(traceback.format_exception(exc))
    header = (
        f"a bug{f' while {doing}' if doing else ''}: DocManager {__version__}, Python {platform.python_version()}, "
        f"SQLite {sqlite3.sqlite_version}, {platform.platform()}"
    )
    target = bug_log_path() if path is None else path
    try:
        _handler_for(target)
    except OSError as err:
        sys.stderr.write(f"docmanager: cannot write the log {target}: {err.strerror}\n{header}\n{text}")
        return text
    _logger.error("%s\n%s", header, text.rstrip("\n"))
    return text
