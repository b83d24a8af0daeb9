"""When two listing lines are one document, and what its title and excerpts are then.

The same document turns up in many searches, each time with another excerpt: the site shows a
passage of the document's text that fits the search. So identity cannot rest on the excerpt. Two
lines are one document when their pages and size agree and their bodies (title and excerpt glued)
start with the same title: the common start of the two bodies covers the title found for at least
one of them, so that one wrong split does not hide the match.

Bodies are compared by a key that ignores what differs between two listings of one text: spacing,
compatibility forms (NFKC: the Kangxi radical ⾏ is 行, a full-width Ａ is A) and letter case.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from docmanager.listing_fields import parse_line
from docmanager.search import fold, normalize

# The one separator between the distinct excerpts a document was listed with, in the excerpt column:
# a blank line, which a result line (one line of text) never holds, reads well wherever the excerpt
# is shown as text, and is a word boundary for searches.
EXCERPT_SEPARATOR = "\n\n"
# A title shorter than this (in key characters) is too little to say that two bodies are one document.
MIN_TITLE_KEY = 3


def match_key(text: str) -> str:
    """The search's folding (NFKC and case) without whitespace: two listings of one text have the same key."""
    return "".join(normalize(text).split())


def common_start(a: str, b: str) -> int:
    """The length of the common prefix of two strings."""
    n = min(len(a), len(b))
    if a[:n] == b[:n]:
        return n
    lo, hi = 0, n  # a[:lo] == b[:lo] and a[:hi] != b[:hi]: binary search on C-speed slice compares
    while hi - lo > 1:
        mid = (lo + hi) // 2
        if a[:mid] == b[:mid]:
            lo = mid
        else:
            hi = mid
    return lo


def same_document(body_a: str, title_a: str | None, body_b: str, title_b: str | None) -> bool:
    """Whether two bodies (with the titles found for them) are listings of one document; the caller
    has already checked that their pages and sizes agree. A title that is not where its body starts
    (one the user typed) is no evidence and is passed as None."""
    return same_keys(*keyed(body_a, title_a), *keyed(body_b, title_b))


def keyed(body: str, title: str | None) -> tuple[str, int]:
    """A body's match key and its title's length in key characters (0: no title to go by)."""
    return match_key(body), len(match_key(title)) if title else 0


def same_keys(a: str, title_a: int, b: str, title_b: int) -> bool:
    """same_document on keyed() bodies (computed once per body when one is compared with many)."""
    shared = common_start(a, b)
    return any(MIN_TITLE_KEY <= n <= shared for n in (title_a, title_b))


def same_by_titles(a: str, b: str) -> bool | None:
    """``same_keys`` of two bodies that each start with their title, from the titles' match keys alone:
    when both are MIN_TITLE_KEY long or more, the bodies' common start covers one of them exactly
    when the titles agree as far as the shorter goes. None when a title is shorter: then the bodies
    decide."""
    if len(a) < MIN_TITLE_KEY or len(b) < MIN_TITLE_KEY:
        return None
    n = min(len(a), len(b))
    return a[:n] == b[:n]


def body_of(raw_line: str) -> str:
    """The TITLE+EXCERPT body of a stored result line, NFKC-folded as titles and excerpts are stored."""
    entry = parse_line(0, raw_line)
    text = getattr(entry, "body", None) or raw_line.strip()
    return fold(text)


def title_from(bodies: Sequence[str]) -> str:
    """The title of a document listed with these bodies: the first body split with the others as
    evidence (the title ends where two listings of it part). A body that only repeats another, or
    runs on where the other was cut short, says nothing of where the title ends and is left out."""
    from docmanager.splitter import split_bodies  # here: the window starts without the splitter (50 ms)

    first, *others = bodies
    key = match_key(first)
    evidence = [b for b in others if not (k := match_key(b)).startswith(key) and not key.startswith(k)]
    if not evidence:
        return split_bodies([first])[0].title
    return split_bodies([first], known={0: evidence})[0].title


def excerpt_after(body: str, title: str) -> str:
    """What follows ``title`` at the start of ``body`` (compared by match_key, so spacing and forms
    may differ); the body's own split when it does not start with the title."""
    if title and body.startswith(title):
        return body[len(title) :].strip()
    want = match_key(title)
    if want and match_key(body).startswith(want):
        for end in range(len(want), len(body) + 1):
            if len(match_key(body[:end])) >= len(want):
                return body[end:].strip()
    from docmanager.splitter import split_bodies

    return split_bodies([body])[0].excerpt


def join_excerpts(excerpts: Sequence[str]) -> str:
    """The distinct, non-empty excerpts, in the order first seen, as stored."""
    seen: list[str] = []
    for text in excerpts:
        for part in text.split(EXCERPT_SEPARATOR):
            if (kept := part.strip()) and kept not in seen:
                seen.append(kept)
    return EXCERPT_SEPARATOR.join(seen)


def split_excerpts(stored: str) -> list[str]:
    return [part for part in stored.split(EXCERPT_SEPARATOR) if part.strip()]


# --- what a user's correction says of the other titles of its page ------------------------------

# A site or author after a separator closes a title: " - 网易数帆", " – 博客园", "_CSDN博客", " | InfoQ".
_SEPARATED_END = re.compile(r"(?:\s[-–—|｜]\s?|_)\s*([^\s\-–—|｜_][^-–—|｜_]{1,23})$")
# Otherwise the title's last word: a run of one script (CJK, or Latin letters and digits).
_LAST_WORD = re.compile(r"([\u2e80-\u9fff\uf900-\ufaff]{2,}|[A-Za-z0-9][A-Za-z0-9.+#]{1,})$")
# How far into a body another title's ending is looked for (titles are short).
ENDING_REACH = 90


def title_ending(title: str) -> str:
    """The part of a corrected title that says where titles of its page end: the site or author
    after a separator (with the separator), else its last word."""
    title = title.strip()
    if m := _SEPARATED_END.search(title):
        return title[m.start() :].strip()
    if m := _LAST_WORD.search(title):
        return m[1]
    return ""


def cut_after(body: str, ending: str) -> str:
    """The title of ``body`` if it ends at the first ``ending`` within reach; "" if it has none."""
    at = body.find(ending, 1, ENDING_REACH + len(ending))
    if at < 0:
        return ""
    end = at + len(ending)
    if end >= len(body.rstrip()):
        return ""  # the ending closes the whole body: nothing would be left for an excerpt
    return body[:end].strip()
