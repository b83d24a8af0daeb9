"""A result line's fields: price, credit, pages, size, age and rating, read from a glued line.

A result line is TITLE+EXCERPT glued together, then ``PRICE CREDIT | PAGES 页 | SIZE UNIT | AGE`` and
the star rating, e.g. ``…连续分配0 码力 | 27 页 | 1.57 MB | 6 月前3``; a page saved from a narrow window
has no ``| AGE``. docs/listing-format.md says what MoreDoc's templates print and quotes them. This
module finds those fields; splitting TITLE from EXCERPT is ``splitter``'s job, because it needs the
file's other lines as context.

The price rule: the site prints the price (any whole number) right after the excerpt with no separator,
and an excerpt can end in digits (``… N N N N 20 码力`` is excerpt ``… N N N N 2`` and price ``0``). So
the digits before the credit name are read as: ``0`` when the last one is 0 (a free document: every
price seen), the whole run when it has at most three digits and no leading 0 (``12 魔豆``), else the
last digit alone (``…2026 码力`` is excerpt ``…202`` and price ``6``: a 4-digit price is implausible,
a year at the end of an excerpt is not). A misread price costs less than a cut excerpt (the raw line
keeps the truth); see docs/listing-format.md for what this gets wrong.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import datetime, timedelta

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
# U+FFFD and the lone surrogates that stand for bytes the file's encoding could not decode.
_UNDECODED = re.compile("[\ufffd\udc80-\udcff]")
_BARS = ("|", "｜")
_LOOKS_LIKE_RESULT = re.compile(r"码力|魔豆|(?:\d|-)\s*页\s*[|｜]|[|｜]\s*[\d.]+\s*(?:[KMGTPEZY]?B|Bytes)\s*[|｜]")
NOT_A_RESULT = "not a result line (no 码力 | 页 | size | age fields)"


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


def _printable(raw: str) -> str:
    """A line with undecodable bytes shown as escapes so it can be stored and displayed."""
    try:
        return raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    except UnicodeEncodeError:  # a lone surrogate that stands for no byte (not U+DC80…U+DCFF): as an escape
        return raw.encode("utf-8", "backslashreplace").decode("utf-8")
