"""A result as browser text (Save as Text, Select All + Copy) or HTML: its parts kept apart, a block a line.

A browser keeps MoreDoc's blocks apart: the title (h3), the description (div), the fields (div) and
the rating (el-rate, a div) each make a line of their own:

    Curve核心组件之Client - 网易数帆
    IOTracker:跟踪一个上层IO请求 …
    0 码力 | 27 页 | 1.57 MB | 6 月前
    3

A fields line is recognised on its own: it starts with the price (nothing is glued before it). The
text lines just before it are its title and, when there are two, its description; the number alone
on the next line is its rating. See ListingReader for what the other lines are.
"""

from __future__ import annotations

import re
from dataclasses import replace

from docmanager.listing_fields import NOT_A_RESULT, Entry, Rejection, parse_line

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
