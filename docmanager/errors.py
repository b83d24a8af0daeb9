"""Errors by who is to blame: the environment or the input (shown to the user) versus bugs (logged)."""

from __future__ import annotations


class DocManagerError(Exception):
    """Something the user can act on; the message is meant to be shown as it is."""


class LibraryError(DocManagerError):
    """The library file cannot be used: locked, read-only, full, damaged or too new.

    ``kind`` lets the window offer the right way out (a backup for a damaged file, another library
    for a read-only one): one of KINDS.
    """

    KINDS = ("locked", "readonly", "full", "damaged", "too_new", "not_library", "missing", "other")

    def __init__(self, message: str, kind: str = "other") -> None:
        if kind not in self.KINDS:
            raise ValueError(f"unknown LibraryError kind {kind!r}")
        self.kind = kind
        super().__init__(message)


class ListingError(DocManagerError):
    """A listing file was refused as a whole (not a single bad line: those are Rejections)."""

    def __init__(self, path: str, reason: str, line: int | None = None) -> None:
        self.path = path
        self.reason = reason
        self.line = line
        where = f"{path}:{line}" if line is not None else path
        super().__init__(f"{where}: {reason}")


class InvalidInput(DocManagerError, ValueError):
    """A value the user gave that cannot be used (an empty title, an unknown status, a tag with a
    comma); the message says why. A ValueError too, for callers that validate with one."""


class NotFoundError(DocManagerError):
    """A document id that is not in the library."""


class Cancelled(DocManagerError):
    """A long operation was cancelled by the user; nothing was changed."""
