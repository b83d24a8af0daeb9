"""A listing file as text: its encoding (or its refusal as binary) and its lines, each read bounded."""

from __future__ import annotations

import codecs
import unicodedata
from collections.abc import Iterator
from typing import TextIO

from docmanager.errors import ListingError
from docmanager.listing_fields import _UNDECODED, MAX_LINE_CHARS

# How much of the file is sniffed to choose the encoding and to tell text from binary.
SNIFF_BYTES = 64 * 1024

# Files that are not text, named by their first bytes so the refusal says what the file is.
_MAGIC = (
    (b"%PDF-", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"),
    (b"PK\x03\x04", "a ZIP archive (or a .docx, .xlsx or .epub)"),
    (b"\x1f\x8b\x08", "a gzip archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"\x7fELF", "a program"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Office document"),
)


def _escape_undecodable(exc: UnicodeError) -> tuple[str, int]:
    """Like surrogateescape (a byte ≥ 0x80 becomes U+DC80…U+DCFF, so it can be re-encoded exactly), but
    total: the low bytes of a broken UTF-16 pair become U+FFFD instead of ending the read with an error."""
    if not isinstance(exc, UnicodeDecodeError):
        raise exc
    bad = exc.object[exc.start : exc.end]
    return "".join(chr(0xDC00 + b) if b >= 0x80 else "\ufffd" for b in bad), exc.end


_ERRORS = "docmanager.listing.escape"
codecs.register_error(_ERRORS, _escape_undecodable)


def sniff_encoding(head: bytes, path: str = "") -> str:
    """Choose the codec for a file from its first bytes, or refuse it as not text."""
    if not head:
        raise ListingError(path, "the file is empty")
    for magic, kind in _MAGIC:
        if head.startswith(magic):
            raise ListingError(path, f"this is a binary file ({kind}), not a text listing")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.count(0) > 8:
        # UTF-16 without a BOM has a NUL in every other byte of its ASCII; anything else is binary. A few
        # NULs in text are left to the line reader, which rejects just their lines.
        even, odd = head[0::2], head[1::2]
        if len(head) >= 4 and odd.count(0) > 0.3 * len(odd) and even.count(0) == 0:
            return "utf-16-le"
        if len(head) >= 4 and even.count(0) > 0.3 * len(even) and odd.count(0) == 0:
            return "utf-16-be"
        raise ListingError(path, "this is a binary file, not a text listing")
    # Not a strict decode: one line cut mid-character, or GBK lines pasted after UTF-8 ones, must not refuse
    # the whole file. The encoding that leaves fewer bytes undecoded wins (UTF-8 on a tie); the lines it
    # cannot decode are rejected one by one, or read in the other encoding (see ListingReader).
    best = ("", "", len(head) + 1)
    for encoding in ("utf-8", "gb18030"):
        text = codecs.getincrementaldecoder(encoding)(_ERRORS).decode(head, final=False)
        errors = len(_UNDECODED.findall(text))
        if errors < best[2]:
            best = (encoding, text, errors)
    encoding, text, _ = best
    controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\r\n\t\f")
    if controls > max(8, len(text) // 100):
        raise ListingError(path, "this is a binary file, not a text listing")
    return encoding


def read_lines(stream: TextIO, limit: int = MAX_LINE_CHARS) -> Iterator[tuple[str, int]]:
    """Each line of a text stream without its end, with its length in characters.

    A line longer than ``limit`` is cut to its first ``limit + 1`` characters and the rest is read and
    dropped a bounded piece at a time: a 100 MB line costs ``limit`` characters of memory, not 100 MB.
    """
    while line := stream.readline(limit + 1):
        if line.endswith("\n"):
            yield line[:-1], len(line) - 1
        elif len(line) <= limit:
            yield line, len(line)  # the last line, with no line end
        else:
            length = len(line)
            while rest := stream.readline(limit + 1):
                if rest.endswith("\n"):
                    length += len(rest) - 1
                    break
                length += len(rest)
            yield line, length
