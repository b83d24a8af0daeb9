"""Reading listing files: encodings, result lines, footers and the reasons a line is rejected.

A result line is TITLE+EXCERPT glued together, then ``PRICE 码力 | PAGES 页 | SIZE UNIT | AGE`` and a
trailing number, e.g. ``…连续分配0 码力 | 27 页 | 1.57 MB | 6 月前3``. This module finds those fields;
splitting TITLE from EXCERPT is ``splitter``'s job, because it needs the whole file as context.

The price rule: the site prints the price right after the excerpt with no separator, and an excerpt
can end in digits (``… N N N N 20 码力`` is excerpt ``… N N N N 2`` and price ``0``). Every price we
have seen is one digit (0 = free), and a wrong split costs less in the price (the raw line keeps
the truth) than in the excerpt, so the price is the single digit before ``码力`` and every digit
before it belongs to the excerpt.
"""

from __future__ import annotations

import codecs
import math
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

from docmanager.errors import ListingError

# How much of the file is sniffed to choose the encoding and to tell text from binary.
SNIFF_BYTES = 64 * 1024
# A single line longer than this is rejected without being parsed (a result line is ~2 KB).
MAX_LINE_CHARS = 64 * 1024
MAX_PAGES = 1_000_000
MAX_SIZE_BYTES = 1 << 50  # 1 PiB: anything larger is a parsing accident, not a document

SIZE_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}
_DAY = 86400
AGE_UNITS = {
    "秒": 1,
    "分钟": 60,
    "分": 60,
    "小时": 3600,
    "天": _DAY,
    "日": _DAY,
    "周": 7 * _DAY,
    "星期": 7 * _DAY,
    "个月": round(30.436875 * _DAY),
    "月": round(30.436875 * _DAY),
    "年": round(365.2425 * _DAY),
}
AGE_WORDS = {"刚刚": 0, "今天": 0, "昨天": _DAY, "前天": 2 * _DAY}

_BAR = r"\s*[|｜]\s*"
# The tail of a result line, anchored at the end; each field is captured loosely so that a bad value
# can be reported by name instead of as "does not match".
_TAIL = re.compile(
    r"(?P<price>\d?)\s*码力"
    + _BAR
    + r"(?P<pages>[^|｜]*?)\s*页"
    + _BAR
    + r"(?P<size>[^|｜]*?)"
    + _BAR
    + r"(?P<age>[^|｜]*?)\s*$"
)
_SIZE = re.compile(r"^(?P<num>\d+(?:\.\d+)?)\s*(?P<unit>[A-Za-z]+)$")
_AGE = re.compile(
    r"^(?:(?P<word>刚刚|今天|昨天|前天)|(?P<n>\d+)\s*(?P<unit>秒|分钟|分|小时|天|日|周|星期|个月|月|年)前)\s*(?P<trail>\d*)$"
)
_TOTAL = re.compile(r"^共\s*(\d+)\s*条")
_PAGER = re.compile(r"^-\s*(\d+)$")
_PAGER_WORDS = re.compile(r"^(?:-\s*)?(?:…|\.\.\.|上一页|下一页|首页|尾页|末页)$")
_LOOKS_LIKE_RESULT = re.compile(r"码力|\d\s*页\s*[|｜]|[|｜]\s*[\d.]+\s*[KMGT]?B\s*[|｜]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One result line's fields, before the title is split from the excerpt."""

    line_no: int
    raw: str
    body: str  # TITLE+EXCERPT as found
    price: int
    pages: int
    size_bytes: int
    size_text: str
    age_text: str
    age_seconds: int
    trailing: int | None


@dataclass(frozen=True, slots=True)
class Rejection:
    """A line that looked like content but could not be read."""

    line_no: int
    reason: str
    raw: str

    def describe(self, width: int = 60) -> str:
        start = self.raw if len(self.raw) <= width else self.raw[:width] + "…"
        return f"line {self.line_no}: {self.reason}: {start!r}"


@dataclass(slots=True)
class Listing:
    """A whole listing file as read."""

    path: str
    encoding: str
    entries: list[Entry] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    total_claimed: int | None = None
    pager_pages: list[int] = field(default_factory=list)
    line_count: int = 0

    @property
    def page_number(self) -> int | None:
        """Which pager page this file was: the one number the pager does not link to."""
        if not self.pager_pages:
            return None
        shown = set(self.pager_pages)
        missing = [n for n in range(1, max(shown) + 1) if n not in shown]
        if len(missing) == 1:
            return missing[0]
        # No gap: this is the page after the last link if the claimed total needs one more page.
        if not missing and self.total_claimed and self.total_claimed > max(shown) * len(self.entries):
            return max(shown) + 1
        return None


# --- field parsers -------------------------------------------------------------------------------


def parse_size(text: str) -> int:
    """``1.57 MB`` → bytes (binary units, as these sites compute them). Raises ValueError."""
    m = _SIZE.match(text.strip())
    if not m:
        raise ValueError(f"size {text.strip()!r} is not a number and a unit")
    unit = m["unit"].upper()
    if unit not in SIZE_UNITS:
        raise ValueError(f"unknown size unit {m['unit']!r}")
    value = float(m["num"]) * SIZE_UNITS[unit]
    if not math.isfinite(value) or value > MAX_SIZE_BYTES:
        raise ValueError(f"size {text.strip()!r} is out of range")
    return round(value)


def parse_age(text: str) -> tuple[str, int, int | None]:
    """``6 月前3`` → (``6 月前``, seconds, trailing 3). Raises ValueError."""
    m = _AGE.match(text.strip())
    if not m:
        raise ValueError(f"age {text.strip()!r} is not understood")
    trailing = int(m["trail"]) if m["trail"] else None
    if m["word"]:
        return m["word"], AGE_WORDS[m["word"]], trailing
    n = int(m["n"])
    if n > 10_000:
        raise ValueError(f"age {text.strip()!r} is out of range")
    return f"{n} {m['unit']}前", n * AGE_UNITS[m["unit"]], trailing


def published_estimate(captured_at: datetime, age_seconds: int) -> str:
    """The estimated publication date (ISO) from the capture time and the age shown."""
    try:
        return (captured_at - timedelta(seconds=age_seconds)).date().isoformat()
    except OverflowError:
        return "0001-01-01"


def parse_line(line_no: int, raw: str) -> Entry | Rejection | None:
    """One line → an Entry, a Rejection, or None for blank and footer lines (see parse_footer)."""
    text = raw.strip()
    if not text:
        return None
    if len(text) > MAX_LINE_CHARS:
        return Rejection(line_no, f"line is {len(text):,} characters long, not a result line", raw[:200])
    if "\x00" in text:
        return Rejection(line_no, "line contains NUL bytes", raw)
    if "\ufffd" in text or any(0xDC80 <= ord(c) <= 0xDCFF for c in text):
        return Rejection(line_no, "line has bytes that are not valid in the file's encoding", _printable(raw))
    m = _TAIL.search(text)
    if not m:
        if _LOOKS_LIKE_RESULT.search(text):
            return Rejection(line_no, "result fields are incomplete (need 码力 | 页 | size | age)", raw)
        return Rejection(line_no, "not a result line (no 码力 | 页 | size | age fields)", raw)
    if not m["price"]:
        return Rejection(line_no, "no price before 码力", raw)
    pages_text = m["pages"].strip()
    if not pages_text.isascii() or not pages_text.isdigit():
        return Rejection(line_no, f"pages {pages_text!r} is not a whole number", raw)
    # Compare lengths first: int() of a 5,000-digit string raises instead of returning.
    if len(pages_text) > len(str(MAX_PAGES)) or int(pages_text) > MAX_PAGES:
        shown = pages_text if len(pages_text) <= 40 else pages_text[:40] + "…"
        return Rejection(line_no, f"pages {shown} is out of range", raw)
    pages = int(pages_text)
    try:
        size_bytes = parse_size(m["size"])
        age_text, age_seconds, trailing = parse_age(m["age"])
    except ValueError as exc:
        return Rejection(line_no, str(exc), raw)
    body = text[: m.start()].rstrip()
    if not body:
        return Rejection(line_no, "no title before the price", raw)
    return Entry(
        line_no=line_no,
        raw=raw,
        body=body,
        price=int(m["price"]),
        pages=pages,
        size_bytes=size_bytes,
        size_text=" ".join(m["size"].split()),
        age_text=age_text,
        age_seconds=age_seconds,
        trailing=trailing,
    )


def parse_footer(text: str) -> tuple[str, int] | None:
    """``共 74 条`` → ("total", 74); ``- 3`` → ("page", 3); pager words → ("pager", 0)."""
    text = text.strip()
    if m := _TOTAL.match(text):
        return "total", int(m[1])
    if m := _PAGER.match(text):
        return "page", int(m[1])
    if _PAGER_WORDS.match(text):
        return "pager", 0
    return None


def _printable(raw: str) -> str:
    """A line with undecodable bytes shown as escapes so it can be stored and displayed."""
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


# --- files ---------------------------------------------------------------------------------------


def sniff_encoding(head: bytes, path: str = "") -> str:
    """Choose the codec for a file from its first bytes, or refuse it as not text."""
    if not head:
        raise ListingError(path, "the file is empty")
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if b"\x00" in head:
        # UTF-16 without a BOM has a NUL in every other byte of its ASCII; anything else is binary.
        even, odd = head[0::2], head[1::2]
        if len(head) >= 4 and odd.count(0) > 0.3 * len(odd) and even.count(0) == 0:
            return "utf-16-le"
        if len(head) >= 4 and even.count(0) > 0.3 * len(even) and odd.count(0) == 0:
            return "utf-16-be"
        raise ListingError(path, "this is a binary file, not a text listing")
    for encoding in ("utf-8", "gb18030"):
        decoder = codecs.getincrementaldecoder(encoding)()
        try:
            text = decoder.decode(head, final=False)
        except UnicodeDecodeError:
            continue
        controls = sum(1 for c in text if unicodedata.category(c) == "Cc" and c not in "\r\n\t\f")
        if controls > max(8, len(text) // 100):
            raise ListingError(path, "this is a binary file, not a text listing")
        return encoding
    raise ListingError(path, "the file is not text in UTF-8, UTF-16 or GB18030")


def iter_lines(path: Path) -> tuple[str, Iterator[str]]:
    """The file's encoding and its lines (without line ends), streamed."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    encoding = sniff_encoding(head, str(path))

    def lines() -> Iterator[str]:
        # surrogateescape: a line cut mid-character is kept (and rejected) instead of ending the read.
        with open(path, encoding=encoding, errors="surrogateescape", newline=None) as fh:
            for line in fh:
                yield line.rstrip("\r\n")

    return encoding, lines()


def read_listing(path: Path) -> Listing:
    """Read a listing file into entries, rejections and footer claims; refuse it if it has no results."""
    try:
        encoding, lines = iter_lines(path)
        listing = Listing(path=str(path), encoding=encoding)
        for line_no, raw in enumerate(lines, start=1):
            listing.line_count = line_no
            footer = parse_footer(raw)
            if footer is not None:
                kind, value = footer
                if kind == "total":
                    listing.total_claimed = value
                elif kind == "page":
                    listing.pager_pages.append(value)
                continue
            item = parse_line(line_no, raw)
            if isinstance(item, Entry):
                listing.entries.append(item)
            elif isinstance(item, Rejection):
                listing.rejections.append(item)
    except FileNotFoundError:
        raise ListingError(str(path), "no such file") from None
    except IsADirectoryError:
        raise ListingError(str(path), "this is a folder, not a file") from None
    except PermissionError:
        raise ListingError(str(path), "permission denied") from None
    except UnicodeError as exc:
        raise ListingError(str(path), f"cannot be decoded as {exc}") from None
    except OSError as exc:
        raise ListingError(str(path), f"cannot be read: {exc.strerror or exc}") from None
    if not listing.entries:
        detail = f" ({len(listing.rejections)} lines rejected)" if listing.rejections else ""
        raise ListingError(str(path), f"no result lines found{detail}; is this a saved listing page?")
    return listing


def capture_time(path: Path) -> datetime:
    """When the listing was saved: the file's modification time."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
