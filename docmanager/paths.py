"""Where things live: the only user of platformdirs; applies --library and DOCMANAGER_LIBRARY."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import platformdirs

from docmanager import APP_NAME

LIBRARY_ENV = "DOCMANAGER_LIBRARY"
LIBRARY_FILENAME = "library.sqlite"
BUG_LOG_FILENAME = "bugs.log"


def default_library_path() -> Path:
    """The library in the user's data folder (not created here)."""
    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / LIBRARY_FILENAME


def bug_log_path() -> Path:
    """The log of bugs (see docmanager.buglog) in the user's log folder: under the state folder on
    Linux ($XDG_STATE_HOME/DocManager/log), ~/Library/Logs/DocManager on macOS, and
    %LOCALAPPDATA%\\DocManager\\Logs on Windows. Not created here."""
    return Path(platformdirs.user_log_dir(APP_NAME, appauthor=False)) / BUG_LOG_FILENAME


def library_path(explicit: str | os.PathLike[str] | None = None) -> Path:
    """The library to use: an explicit path wins, then $DOCMANAGER_LIBRARY, then the default."""
    if explicit:
        return Path(explicit).expanduser()
    env = os.environ.get(LIBRARY_ENV)
    if env:
        return Path(env).expanduser()
    return default_library_path()


def resources_dir() -> Path:
    """The bundled resources: beside the package in a checkout, under _MEIPASS in a PyInstaller build."""
    frozen = getattr(sys, "_MEIPASS", None)
    if frozen:
        return Path(frozen) / "resources"
    return Path(__file__).resolve().parent.parent / "resources"


def sample_listing() -> Path:
    """The sample listing page offered on first start."""
    return resources_dir() / "listing-page.txt"
