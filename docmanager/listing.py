"""Reading listing files: encodings, result lines, footers and the reasons a line is rejected.

A result line is TITLE+EXCERPT glued together, then ``PRICE CREDIT | PAGES 页 | SIZE UNIT | AGE`` and
the star rating, e.g. ``…连续分配0 码力 | 27 页 | 1.57 MB | 6 月前3``; a page saved from a narrow window
has no ``| AGE``. docs/listing-format.md says what MoreDoc's templates print and quotes them. This
module finds those fields; splitting TITLE from EXCERPT is ``splitter``'s job, because it needs the
file's other lines as context.

A browser's own text of the page keeps the parts apart instead, a block a line (title, description,
fields, rating): those blocks give exact titles (see block_entry and ListingReader), and a saved HTML
page is read by ``webpage``. The three shapes mix freely in one file.

Files are streamed: ``open_listing`` yields one Entry or Rejection at a time and reads each line with a
bounded ``readline``, so neither a 1 GB file nor a 100 MB line is ever held in memory whole; a line
longer than MAX_LINE_CHARS is skipped to its end and rejected. ``read_listing`` collects a whole file
for callers that want it.

The price rule: the site prints the price (any whole number) right after the excerpt with no separator,
and an excerpt can end in digits (``… N N N N 20 码力`` is excerpt ``… N N N N 2`` and price ``0``). So
the digits before the credit name are read as: ``0`` when the last one is 0 (a free document: every
price seen), the whole run when it has at most three digits and no leading 0 (``12 魔豆``), else the
last digit alone (``…2026 码力`` is excerpt ``…202`` and price ``6``: a 4-digit price is implausible,
a year at the end of an excerpt is not). A misread price costs less than a cut excerpt (the raw line
keeps the truth); see docs/listing-format.md for what this gets wrong.
"""

from __future__ import annotations

import codecs
import hashlib
import io
import math
import os
import re
import stat
import unicodedata
from collections.abc import Buffer, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import TracebackType
from typing import TextIO

from docmanager.errors import ListingError

# How much of the file is sniffed to choose the encoding and to tell text from binary.
SNIFF_BYTES = 64 * 1024
# A single line longer than this is rejected without being parsed (a result line is ~2 KB).
MAX_LINE_CHARS = 64 * 1024
MAX_PAGES = 1_000_000
MAX_SIZE_BYTES = (1 << 63) - 1  # what SQLite's INTEGER holds: 8 EiB; MoreDoc prints up to YB
# A credit name (码力 on wenku.it, MoreDoc's default 魔豆) is a site setting: a short word, no spaces.
MAX_CREDIT_CHARS = 8
MAX_RATING = 5.0  # MoreDoc's el-rate has five stars

# MoreDoc's formatBytes: 1024-based, "0 Bytes" for nothing, then B … YB.
SIZE_UNITS = {
    "B": 1,
    "BYTES": 1,
    "KB": 1024,
    "MB": 1024**2,
    "GB": 1024**3,
    "TB": 1024**4,
    "PB": 1024**5,
    "EB": 1024**6,
    "ZB": 1024**7,
    "YB": 1024**8,
}
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
    # MoreDoc's formatRelativeTime: "const month = day * 30", then "N 年前" is parseInt(months / 12).
    "个月": 30 * _DAY,
    "月": 30 * _DAY,
    "年": 12 * 30 * _DAY,
}
AGE_WORDS = {"刚刚": 0, "今天": 0, "昨天": _DAY, "前天": 2 * _DAY}

# Sign and exponent are matched only to say what is wrong with them: sizes are plain positive numbers.
_SIZE = re.compile(r"^(?P<num>[-+]?\d+(?:\.\d+)?)(?P<exp>[eE][-+]?\d+)?\s*(?P<unit>[A-Za-z]+)$")
_RATING = r"(?P<rating>\d+(?:\.\d+)?)?"
_AGE = re.compile(
    r"^(?:(?P<word>刚刚|今天|昨天|前天)|(?P<n>\d+)\s*(?P<unit>秒|分钟|分|小时|天|日|周|星期|个月|月|年)前)\s*"
    + _RATING
    + "$"
)
# A narrow window's last field: the size and the rating (the age's span is hidden), e.g. ``1.57 MB3``.
_SIZE_RATING = re.compile(r"(?<=[A-Za-z])\s*" + _RATING + r"\s*$")
_DIGITS = frozenset("0123456789")
# Bounded digit counts: a 5,000-digit "total" would make int() raise and SQLite's INTEGER overflow.
_TOTAL = re.compile(r"^共\s*(\d{1,12})\s*条")
_PAGER = re.compile(r"^-\s*(\d{1,12})$")
# The rest of MoreDoc's pager (element-ui's el-pagination, layout "total, prev, pager, next, jumper"):
# prev/next as words or arrows, the "…" buttons (text only from an icon, so "- " may be all that is left),
# and the jumper "前往 [input] 页", which a save may split over lines; a number on its own line is the
# jumper's only right after "前往" (ListingReader keeps that one line of context).
_PAGER_WORDS = re.compile(
    r"^(?:-\s*)?(?:…|\.\.\.|上一页|下一页|首页|尾页|末页|[<>‹›«»←→]|前往(?:\s*\d{1,12}\s*页)?|页)?$"
)
# U+FFFD and the lone surrogates that stand for bytes the file's encoding could not decode.
_UNDECODED = re.compile("[\ufffd\udc80-\udcff]")
_BARS = ("|", "｜")
_LOOKS_LIKE_RESULT = re.compile(r"码力|魔豆|(?:\d|-)\s*页\s*[|｜]|[|｜]\s*[\d.]+\s*(?:[KMGTPEZY]?B|Bytes)\s*[|｜]")


@dataclass(frozen=True, slots=True)
class Entry:
    """One result line's fields, before the title is split from the excerpt."""

    line_no: int
    raw: str
    body: str  # TITLE+EXCERPT as found: always the start of raw.strip() (the importer relies on it)
    price: int
    credit: str  # the site's name for its points: 码力, 魔豆…
    pages: int | None  # None: the site printed "-" (unknown)
    size_bytes: int
    size_text: str
    age_text: str | None  # None: saved from a narrow window, which hides the age
    age_seconds: int | None
    rating: float | None  # the stars, 3 when unrated
    # Only from a page whose blocks are kept apart (browser text, HTML): the exact title, which the body
    # starts with (the rest of the body is the description), and the document's page on the site.
    title: str | None = None
    url: str | None = None


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
    other_encoding_lines: int = 0  # lines read as GB18030 in a UTF-8 file, or the other way round
    is_html: bool = False

    @property
    def page_number(self) -> int | None:
        """Which pager page this file was: the one number the pager does not link to."""
        return page_number(self.pager_pages, self.total_claimed, len(self.entries))


def page_number(pager_pages: list[int], total_claimed: int | None, entries: int) -> int | None:
    """Which pager page a file was: the one number its pager does not link to."""
    shown = {n for n in pager_pages if n >= 1}
    if not shown:
        return None
    top = max(shown)
    # Counted, not listed: a pager line "- 999999999999" must not build a list of a trillion numbers.
    gaps = top - len(shown)
    if gaps == 1:
        return next(n for n in range(1, top + 1) if n not in shown)
    # No gap: this is the page after the last link if the claimed total needs one more page.
    if gaps == 0 and total_claimed and total_claimed > top * entries:
        return top + 1
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
    if m["exp"]:
        raise ValueError(f"size {text.strip()!r} is out of range (an exponent, not a plain number)")
    value = float(m["num"]) * SIZE_UNITS[unit]
    if value < 0:
        raise ValueError(f"size {text.strip()!r} is not a number and a unit (it is negative)")
    if not math.isfinite(value) or value > MAX_SIZE_BYTES:
        raise ValueError(f"size {text.strip()!r} is out of range")
    return round(value)


def _rating(text: str) -> float:
    """The star rating after the age (or the size): MoreDoc prints score / 100, 3 when unrated."""
    value = float(text) if len(text) <= 12 else math.inf
    if value > MAX_RATING:
        raise ValueError(f"rating {text if len(text) <= 12 else text[:12] + '…'} is out of range (0 to 5)")
    return value


def age_precision(age_text: str) -> int:
    """How precise an age as shown is, in seconds: its unit (``6 月前`` is within a 30-day month)."""
    for unit in ("分钟", "小时", "星期", "个月", "秒", "分", "天", "日", "周", "月", "年"):
        if age_text.endswith(f"{unit}前"):
            return AGE_UNITS[unit]
    return _DAY  # 刚刚, 今天, 昨天, 前天


def parse_age(text: str) -> tuple[str, int, float | None]:
    """``6 月前4.5`` → (``6 月前``, seconds, rating 4.5). Raises ValueError."""
    m = _AGE.match(text.strip())
    if not m:
        raise ValueError(f"age {text.strip()!r} is not understood")
    if len(m["n"] or "") > 9:
        raise ValueError(f"age {text.strip()!r} is out of range")
    rating = _rating(m["rating"]) if m["rating"] else None
    if m["word"]:
        return m["word"], AGE_WORDS[m["word"]], rating
    n = int(m["n"])
    if n > 10_000:
        raise ValueError(f"age {text.strip()!r} is out of range")
    return f"{n} {m['unit']}前", n * AGE_UNITS[m["unit"]], rating


def published_estimate(captured_at: datetime, age_seconds: int | None) -> str | None:
    """The estimated publication date (ISO) from the capture time and the age shown; None without an age."""
    if age_seconds is None:
        return None
    try:
        return (captured_at - timedelta(seconds=age_seconds)).date().isoformat()
    except OverflowError:
        return "0001-01-01"


def _undecoded(text: str) -> bool:
    """``_UNDECODED.search(text)``, cheaply: the regex tests every character (4 µs a line), while
    ``in`` finds U+FFFD at C speed and a strict encode fails only on a text that holds a surrogate."""
    if "\ufffd" in text:
        return True
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return _UNDECODED.search(text) is not None
    return False


def _bar_before(text: str, end: int) -> int:
    return max(text.rfind(_BARS[0], 0, end), text.rfind(_BARS[1], 0, end))


def _split_fields(text: str) -> tuple[int, str, str, str | None] | None:
    """Where the fields start (the bar after the credit name) and the pages, size and age fields, found
    from the end: no field holds a bar, while an excerpt may. Without an age (a narrow window) the
    field before the last bar is the pages' (``27 页``); with one it is the size's. None: not a result."""
    last = _bar_before(text, len(text))
    if last < 0:
        return None
    second = _bar_before(text, last)
    if second < 0:
        return None
    middle = text[second + 1 : last].strip()
    if middle.endswith("页"):
        return second, middle, text[last + 1 :], None
    first = _bar_before(text, second)
    if first < 0:
        return None
    pages = text[first + 1 : second].strip()
    if not pages.endswith("页"):
        return None
    return first, pages, middle, text[last + 1 :]


def parse_line(line_no: int, raw: str) -> Entry | Rejection | None:
    """One line → an Entry, a Rejection, or None for blank and footer lines (see parse_footer)."""
    text = raw.strip()
    if not text:
        return None
    if len(text) > MAX_LINE_CHARS:
        return Rejection(line_no, f"line is {len(text):,} characters long, not a result line", raw[:200])
    if "\x00" in text:
        return Rejection(line_no, "line contains NUL bytes", raw)
    if _undecoded(text):
        return Rejection(line_no, "line has bytes that are not valid in the file's encoding", _printable(raw))
    found = _split_fields(text)
    if found is None:
        if _LOOKS_LIKE_RESULT.search(text):
            return Rejection(line_no, "result fields are incomplete (need 码力 | 页 | size | age)", raw)
        return Rejection(line_no, NOT_A_RESULT, raw)
    bar, pages_field, size_field, age_field = found
    # The credit name: the word just before the first bar, after the price and one space (or none).
    end = bar
    while end > 0 and text[end - 1].isspace():
        end -= 1
    start = end
    while (
        start > 0
        and end - start <= MAX_CREDIT_CHARS
        and not text[start - 1].isspace()
        and text[start - 1] not in _DIGITS
    ):
        start -= 1
    credit = text[start:end]
    if not credit or _BARS[0] in credit or _BARS[1] in credit:
        return Rejection(line_no, "no credit name (such as 码力) between the price and the first bar", raw)
    if end - start > MAX_CREDIT_CHARS:
        return Rejection(line_no, "no price and credit name (such as '0 码力') before the first bar", raw)
    digits_end = start
    while digits_end > 0 and text[digits_end - 1].isspace():
        digits_end -= 1
    digits = digits_end
    while digits > 0 and text[digits - 1] in _DIGITS:
        digits -= 1
    if digits == digits_end:
        return Rejection(line_no, f"no price before {credit}", raw)
    run = text[digits:digits_end]
    if run[-1] == "0" or run[0] == "0" or len(run) > 3:
        digits = digits_end - 1  # see the price rule above: the other digits end the excerpt
    pages_text = pages_field[:-1].strip()
    if pages_text == "-":
        pages = None
    elif not pages_text.isascii() or not pages_text.isdigit():
        return Rejection(line_no, f"pages {pages_text!r} is not a whole number", raw)
    # Compare lengths first: int() of a 5,000-digit string raises instead of returning.
    elif len(pages_text) > len(str(MAX_PAGES)) or int(pages_text) > MAX_PAGES:
        shown = pages_text if len(pages_text) <= 40 else pages_text[:40] + "…"
        return Rejection(line_no, f"pages {shown} is out of range", raw)
    else:
        pages = int(pages_text)
    try:
        if age_field is None:
            age_text = age_seconds = None
            if m := _SIZE_RATING.search(size_field):
                size_field, rating = size_field[: m.start()], _rating(m["rating"]) if m["rating"] else None
            else:
                rating = None
        else:
            age_text, age_seconds, rating = parse_age(age_field)
        size_bytes = parse_size(size_field)
    except ValueError as exc:
        return Rejection(line_no, str(exc), raw)
    body = text[:digits].rstrip()
    if not body:
        return Rejection(line_no, "no title before the price", raw)
    return Entry(
        line_no=line_no,
        raw=raw,
        body=body,
        price=int(text[digits:digits_end]),
        credit=credit,
        pages=pages,
        size_bytes=size_bytes,
        size_text=" ".join(size_field.split()),
        age_text=age_text,
        age_seconds=age_seconds,
        rating=rating,
    )


# --- blocks: a result as browser text (Save as Text, Select All + Copy) or HTML -------------------
#
# A browser keeps MoreDoc's blocks apart: the title (h3), the description (div), the fields (div) and
# the rating (el-rate, a div) each make a line of their own:
#
#     Curve核心组件之Client - 网易数帆
#     IOTracker:跟踪一个上层IO请求 …
#     0 码力 | 27 页 | 1.57 MB | 6 月前
#     3
#
# A fields line is recognised on its own: it starts with the price (nothing is glued before it). The
# text lines just before it are its title and, when there are two, its description; the number alone
# on the next line is its rating. See ListingReader for what the other lines are.

NOT_A_RESULT = "not a result line (no 码力 | 页 | size | age fields)"
_FIELDS_LINE = re.compile(r"^(\d{1,12})\s*[^\s\d|｜]{1,8}\s*[|｜]\s*(?:\d+|-)\s*页\s*[|｜]")
_RATING_LINE = re.compile(r"^(?:[0-4](?:\.\d{1,2})?|5(?:\.0{1,2})?)$")  # 0 to 5, as el-rate shows it
_PLACEHOLDER = "题 "  # stands for the title while the fields are parsed alone (see block_entry)


def is_fields_line(text: str) -> bool:
    """Whether a line is a result's fields on their own (``0 码力 | 27 页 | 1.57 MB | 6 月前``)."""
    return _FIELDS_LINE.match(text.strip()) is not None


def flat(text: str) -> str:
    """Whitespace runs (a page's line breaks and indents) as single spaces, as a browser shows them."""
    return " ".join(text.split())


def block_entry(
    line_no: int, title: str, description: str, fields: str, *, rating: str = "", url: str | None = None
) -> Entry | Rejection:
    """A result whose parts were kept apart, with its exact title. Its raw line is the result as the
    glued text gives it (title, description, fields and rating run together), so that it is stored,
    identified and shown like a line of a glued file: the same document read either way has the same
    body and identity."""
    title, description, fields, rating = flat(title), flat(description), flat(fields), flat(rating)
    raw = f"{title}{description}{fields}{rating}"
    m = _FIELDS_LINE.match(fields)
    if m is None:
        return Rejection(line_no, "result fields are incomplete (need 码力 | 页 | size | age)", raw)
    if not title:
        return Rejection(line_no, "a result with no title", raw)
    # The fields are parsed behind a placeholder title: with the real one, a title ending in digits would
    # run into the price (the price rule of glued lines); here the price is known to be all the digits.
    parsed = parse_line(line_no, _PLACEHOLDER + fields + rating)
    if not isinstance(parsed, Entry):
        return Rejection(line_no, parsed.reason if parsed else NOT_A_RESULT, raw)
    return replace(parsed, raw=raw, body=title + description, price=int(m[1]), title=title, url=url)


def parse_footer(text: str) -> tuple[str, int] | None:
    """``共 74 条`` → ("total", 74); ``- 3`` → ("page", 3); the pager's other parts → ("pager", 0)."""
    text = text.strip()
    if m := _TOTAL.match(text):
        return "total", int(m[1])
    if m := _PAGER.match(text):
        return "page", int(m[1])
    if text and _PAGER_WORDS.match(text):
        return "pager", 0
    return None


def _printable(raw: str) -> str:
    """A line with undecodable bytes shown as escapes so it can be stored and displayed."""
    try:
        return raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte (not U+DC80…U+DCFF): as an escape
        return raw.encode("utf-8", "backslashreplace").decode("utf-8")


# --- files ---------------------------------------------------------------------------------------

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
# A text file is an HTML page when it starts as one (after comments such as a browser's "saved from
# url"): an excerpt of a document about HTML can hold "<html>" anywhere in a listing.
_HTML = re.compile(r"\A\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL)
# An HTML page bigger than this is refused unread: a saved results page is a few hundred KB (1,000
# MoreDoc results are about 1.6 MB), and the page is parsed whole in memory (about 10 times its size).
MAX_PAGE_BYTES = 20 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_NO_RESULTS = "this MoreDoc search page has no results (its result list is empty)"
HTML_OTHER = "is it a saved search results page?"
# A file of pager lines only would otherwise grow this list without bound.
MAX_PAGER_NUMBERS = 100_000


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


class _HashingReader(io.RawIOBase):
    """A raw file that feeds every byte it reads to a digest: the file's sha256 costs no second read."""

    def __init__(self, raw: io.FileIO, digest: hashlib._Hash) -> None:
        super().__init__()
        self._raw = raw
        self._digest = digest
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Buffer, /) -> int:
        n = self._raw.readinto(buffer) or 0
        if n:
            self._digest.update(memoryview(buffer)[:n])
            self.bytes_read += n
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def _file_state(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _open_regular(path: Path) -> io.FileIO:
    """Open a file for reading, refusing folders, pipes and devices before anything blocks on them."""
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; on a regular file it does nothing.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ListingError(str(path), "no such file") from None
    except IsADirectoryError:
        raise ListingError(str(path), "this is a folder, not a file") from None
    except PermissionError:
        raise ListingError(str(path), "permission denied") from None
    except OSError as exc:
        raise ListingError(str(path), f"cannot be opened: {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise ListingError(str(path), "this is a folder, not a file")
        raise ListingError(
            str(path), "this is not a regular file (a pipe, socket or device); save the listing to a file"
        )
    return io.FileIO(fd, "rb")


class ListingReader:
    """One streaming pass over a listing file: iterating yields its Entries and Rejections in order,
    while the footer claims and the counts accumulate on the reader.

    Opening sniffs the encoding (and refuses folders, pipes, empty and binary files); reading errors
    become a ListingError naming the line. A line that is not valid in the file's encoding but reads
    as a complete result line in the other Chinese encoding (UTF-8 ↔ GB18030) is taken in that encoding:
    pages saved by different programs get concatenated, and 码力/页/月前 cannot come out of the wrong
    decoding by accident, so such a line is never misread. Any other undecodable line is rejected.

    Glued lines and blocks (see block_entry) are read in one pass, in any mix. A line of other text is
    held back as a possible title or description (the last two such lines are kept): a fields line
    makes them its block; a result of either kind, or the pager, leaves the earlier ones unused. An
    unused text line is chrome (neither a document nor a rejected line) when it comes before the first
    result (the page's header: navigation, the search box, the search statistics) or is shorter than
    MIN_BROKEN_CHARS (a link, a heading, a pager word, the footer); after a result, a longer one is
    rejected as not a result line: it is what a result cut short or a stray description looks like.
    The pager (parse_footer) is chrome wherever it is.

    An HTML page (``webpage``) is read whole instead: MoreDoc's result list gives exact titles and the
    documents' addresses; a page of another layout gives its visible text, a block a line, read as above.
    """

    # Chrome is short: MoreDoc's links, headings and pager words, the footer's lines. A result holds an
    # excerpt (MoreDoc cuts descriptions at 255 characters), so what is left of a broken one is longer.
    MIN_BROKEN_CHARS = 60

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.total_claimed: int | None = None
        self.pager_pages: list[int] = []
        self.line_count = 0
        self.entries = 0
        self.rejections = 0
        self.footers = 0
        self._after_goto = False  # the last non-blank line was the jumper's "前往"
        self.other_encoding_lines = 0
        self.first_rejection: Rejection | None = None
        self.text_lines = 0  # lines of other text: the page's header and footer, or not a listing at all
        self.first_text: Rejection | None = None
        self.page_number_shown: int | None = None  # an HTML pager marks the current page
        self.page_kind = "text"  # or "moredoc" (an HTML page of MoreDoc's results) or "html" (another page)
        self._pending: list[tuple[int, str]] = []  # the last text lines: a coming block's title and description
        self._held: Entry | None = None  # a block waiting for its rating line
        self._after_result = False  # a result has been read: an unused text line is no longer the header
        self._digest = hashlib.sha256()
        raw = _open_regular(Path(path))
        try:
            self._opened = _file_state(os.fstat(raw.fileno()))
            self._hashing = _HashingReader(raw, self._digest)
            buffered = io.BufferedReader(self._hashing, SNIFF_BYTES)
            head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
            self.encoding = sniff_encoding(head, self.path)
            self._stream = io.TextIOWrapper(buffered, encoding=self.encoding, errors=_ERRORS, newline=None)
        except OSError as exc:
            raw.close()
            raise ListingError(self.path, f"cannot be read: {exc.strerror or exc}") from None
        except BaseException:
            raw.close()
            raise
        head_text = head[:8192].decode(self.encoding, "replace")
        # A saved page (.html, .htm) is HTML even without a doctype (a fragment); a text file is when it sniffs so.
        self.is_html = Path(path).suffix.lower() in HTML_SUFFIXES or bool(_HTML.match(head_text.lstrip("\ufeff")))
        if self.is_html and self.size > MAX_PAGE_BYTES:
            self._stream.close()
            raise ListingError(
                self.path,
                f"this HTML page is {self.size / 2**20:,.1f} MB; a saved results page is well under "
                f"{MAX_PAGE_BYTES // 2**20} MB, so it is not read (is it the right file?)",
            )
        self._bytes_codec, self._other = {
            "utf-8": ("utf-8", "gb18030"),
            "utf-8-sig": ("utf-8", "gb18030"),
            "gb18030": ("gb18030", "utf-8"),
        }.get(self.encoding, ("", ""))

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> ListingReader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def sha256(self) -> str:
        """The digest of the bytes read so far: the whole file's once the iteration has ended."""
        return self._digest.hexdigest()

    @property
    def page_number(self) -> int | None:
        if self.page_number_shown is not None:
            return self.page_number_shown
        return page_number(self.pager_pages, self.total_claimed, self.entries)

    @property
    def size(self) -> int:
        """The file's size in bytes when it was opened."""
        return self._opened[2]

    @property
    def bytes_read(self) -> int:
        """How many of its bytes have been read (a little ahead of the lines yielded): for progress."""
        return self._hashing.bytes_read

    def changed(self) -> bool:
        """Whether the file at the path is no longer the one opened as it was: written to, grown, cut,
        replaced or removed since (its device, inode, size and modification time)."""
        try:
            return _file_state(os.stat(self.path)) != self._opened
        except OSError:
            return True

    def __iter__(self) -> Iterator[Entry | Rejection]:
        for read in self._page() if self.is_html else self._lines():
            item = read
            if isinstance(item, Entry):
                self.entries += 1
            else:
                if _UNDECODED.search(item.raw):  # lone surrogates cannot be stored or shown: escape them
                    item = Rejection(item.line_no, item.reason, _printable(item.raw))
                self.rejections += 1
                if self.first_rejection is None:
                    self.first_rejection = item
            yield item

    def _lines(self) -> Iterator[Entry | Rejection]:
        line_no = self.line_count
        try:
            for raw, length in read_lines(self._stream):
                line_no += 1
                self.line_count = line_no
                yield from self._feed(line_no, raw, length)
        except OSError as exc:
            raise ListingError(
                self.path,
                f"the file could not be read any further ({exc.strerror or exc}); was it removed or changed?",
                line=line_no + 1,
            ) from None
        yield from self._end()

    def _page(self) -> Iterator[Entry | Rejection]:
        """An HTML page, read whole (it is at most MAX_PAGE_BYTES): its results, or its text's."""
        from docmanager import webpage  # selectolax is loaded only for HTML

        try:
            data = self._stream.buffer.read()
        except OSError as exc:
            raise ListingError(self.path, f"the file could not be read ({exc.strerror or exc})") from None
        text, self.encoding = webpage.decode_page(data, self.path)
        page = webpage.read_page(text, self.path)
        self.total_claimed = page.total_claimed
        self.pager_pages = page.pager_pages[:MAX_PAGER_NUMBERS]
        self.page_number_shown = page.page_number
        self.page_kind = "moredoc" if page.results is not None else "html"
        if page.results is not None:
            self.line_count = len(page.results)
            yield from page.results
            return
        self._other = ""  # the text is decoded already: no line is read in another encoding
        for line_no, line in enumerate(page.text_lines, start=1):
            self.line_count = line_no
            yield from self._feed(line_no, line, len(line))
        yield from self._end()

    def _feed(self, line_no: int, raw: str, length: int) -> list[Entry | Rejection]:
        """One line through the rules of glued lines and blocks (see the class): what it completes."""
        out: list[Entry | Rejection] = []
        text = raw.strip() if length <= MAX_LINE_CHARS else "?"
        if self._held is not None and text:
            held, self._held = self._held, None
            if _RATING_LINE.match(text):
                out.append(replace(held, rating=float(text), raw=held.raw + text))
                return out
            out.append(held)
        if not text:
            return out
        if length <= MAX_LINE_CHARS and self._footer(raw):
            self._drop_pending(out)
            return out
        if length <= MAX_LINE_CHARS and _FIELDS_LINE.match(text):
            block, self._pending = self._pending, []
            self._after_result = True
            if not block:
                out.append(Rejection(line_no, "a result's price, pages and size with no title before them", raw))
                return out
            (title_no, title), *description = block
            item = block_entry(title_no, title, description[0][1] if description else "", text)
            if isinstance(item, Entry) and item.rating is None:
                self._held = item  # its rating is on the next line
            else:
                out.append(item)
            return out
        line = self._read(line_no, raw, length)
        if isinstance(line, Rejection) and line.reason == NOT_A_RESULT:
            self._pending.append((line_no, raw))
            if len(self._pending) > 2:
                self._unused(*self._pending.pop(0), out)
            return out
        if line is not None:
            self._drop_pending(out)
            self._after_result = True
            out.append(line)
        return out

    def _end(self) -> list[Entry | Rejection]:
        """The end of the text: the block waiting for a rating is complete; the text lines left are the
        page's footer, or not."""
        out: list[Entry | Rejection] = [] if self._held is None else [self._held]
        self._held = None
        self._drop_pending(out)
        return out

    def _drop_pending(self, out: list[Entry | Rejection]) -> None:
        for line_no, raw in self._pending:
            self._unused(line_no, raw, out)
        self._pending = []

    def _unused(self, line_no: int, raw: str, out: list[Entry | Rejection]) -> None:
        """A text line no block took: chrome, or rejected (see the class)."""
        rejection = Rejection(line_no, NOT_A_RESULT, raw)
        if self._after_result and len(raw.strip()) >= self.MIN_BROKEN_CHARS:
            out.append(rejection)
        else:
            self._chrome(rejection)

    def _chrome(self, line: Rejection) -> None:
        self.text_lines += 1
        if self.first_text is None:
            self.first_text = line

    def _read(self, line_no: int, raw: str, length: int) -> Entry | Rejection | None:
        if length > MAX_LINE_CHARS:
            return Rejection(line_no, f"line is {length:,} characters long, not a result line", _printable(raw[:200]))
        item = parse_line(line_no, raw)  # the footer is not: _feed has seen to it
        if isinstance(item, Rejection) and self._other and not raw.isascii():
            try:
                other = raw.encode(self._bytes_codec, "surrogateescape").decode(self._other)
            except UnicodeError:
                return item
            if self._footer(other):
                self.other_encoding_lines += 1
                return None
            if isinstance(alt := parse_line(line_no, other), Entry):
                self.other_encoding_lines += 1
                return alt
        return item

    def _footer(self, text: str) -> bool:
        footer = parse_footer(text)
        stripped = text.strip()
        if footer is None and self._after_goto and stripped.isascii() and stripped.isdigit() and len(stripped) <= 12:
            footer = "pager", 0
        if stripped:
            self._after_goto = stripped == "前往"
        if footer is None:
            return False
        kind, value = footer
        self.footers += 1
        if kind == "total":
            self.total_claimed = value
        elif kind == "page" and len(self.pager_pages) < MAX_PAGER_NUMBERS:
            self.pager_pages.append(value)
        return True

    def refusal(self) -> ListingError | None:
        """Why the file read so far cannot be imported (it has no result line), or None."""
        if self.entries:
            return None
        if self.page_kind == "moredoc" and not self.rejections:
            return ListingError(self.path, HTML_NO_RESULTS)
        first = self.first_rejection or self.first_text
        if first is None:
            what = "only the page's footer (共 … 条 and the pager)" if self.footers else "only blank lines"
            if self.page_kind == "html":
                what = "no text" if not self.footers else what
                return ListingError(self.path, f"no results found in this HTML page ({what}); {HTML_OTHER}")
            return ListingError(self.path, f"no result lines found, {what}; is this a saved listing page?")
        if self.first_rejection is None:
            counted = f"{self.text_lines:,} lines of other text, the first at line {first.line_no}"
        else:
            counted = f"{self.rejections:,} lines rejected, the first at line {first.line_no}: {first.reason}"
        reason = f"no result lines found ({counted}); is this a saved listing page?"
        if self.page_kind == "html":
            reason = f"no results found in this HTML page's text ({counted}); {HTML_OTHER}"
        if self.encoding == "gb18030" or "encoding" in first.reason:
            name = {"gb18030": "GB18030", "utf-8": "UTF-8", "utf-8-sig": "UTF-8"}.get(self.encoding, "UTF-16")
            reason += f" It was read as {name}; if it is in another encoding (Latin-1, Shift-JIS…), save it as UTF-8."
        return ListingError(self.path, reason, line=first.line_no)


def open_listing(path: Path) -> ListingReader:
    """Open a listing file for one streaming pass (a context manager); refuses what is not a text file."""
    return ListingReader(path)


def read_listing(path: Path) -> Listing:
    """Read a whole listing file into entries, rejections and footer claims; refuse it if it has no results."""
    with open_listing(path) as reader:
        listing = Listing(path=str(path), encoding=reader.encoding)
        for item in reader:
            if isinstance(item, Entry):
                listing.entries.append(item)
            else:
                listing.rejections.append(item)
        listing.total_claimed = reader.total_claimed
        listing.pager_pages = reader.pager_pages
        listing.line_count = reader.line_count
        listing.other_encoding_lines = reader.other_encoding_lines
        listing.is_html = reader.is_html
        if (error := reader.refusal()) is not None:
            raise error
    return listing


def capture_time(path: Path) -> datetime:
    """When the listing was saved: the file's modification time."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
