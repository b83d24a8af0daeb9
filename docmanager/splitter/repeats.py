"""Repeats of the title in the excerpt, as a document's first page has them, and the text they are
compared as (look-alikes folded, lower case, no whitespace) with its positions mapped back."""

from __future__ import annotations

import bisect
import itertools
import re
import unicodedata
from collections.abc import Callable, Mapping

from docmanager.splitter.patterns import (
    _LEAD_NUM_RE,
    _SPACE_RE,
    REPEAT_GAP,
    REPEAT_MIN,
    REPEAT_PROBES,
    _seam,
    _skip_space,
)

# What PDF text layers substitute for common chars, folded as NFKC folds them: Kangxi and CJK
# radicals ("⾏" -> "行"), compatibility ideographs, full-width letters and digits. Each folds to
# one char, so positions are kept; other NFKC differences (full-width punctuation) are left.
_FOLD = {
    ch: folded
    for cp in [
        *range(0x2E80, 0x2FE0),
        *range(0xF900, 0xFB00),
        *range(0xFF10, 0xFF1A),
        *range(0xFF21, 0xFF3B),
        *range(0xFF41, 0xFF5B),
    ]
    if len(folded := unicodedata.normalize("NFKC", ch := chr(cp))) == 1 and folded != ch
}
_FOLD_RE = re.compile("[" + "".join(sorted(_FOLD)) + "]")


def _fold(m: re.Match[str]) -> str:
    return _FOLD[m.group()]


# Whitespace other than a plain space (what str.isspace() finds, listed: a class of listed chars
# scans twice as fast as [^\S ]). Where there is none, dropping spaces is one str.replace.
_ODD_SPACE = "\t\n\r\x0b\x0c\x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"
_ODD_SPACE_RE = re.compile(f"[{_ODD_SPACE}]")
# Either a look-alike or odd whitespace: most text has neither, and one scan says so.
_FOLD_OR_SPACE_RE = re.compile("[" + "".join(sorted(_FOLD)) + _ODD_SPACE + "]")


def _normal(text: str) -> tuple[str, list[int] | None, bool]:
    """Text as compared for repeats (look-alikes folded, lower case, no whitespace), each char's
    index in `text` when it cannot be had for free (None: the i-th non-space char), and whether
    " " is the only whitespace in `text`.

    The fold is a regex scan that finds nothing in most text; it costs only where look-alikes are.
    """
    plain = True
    if _FOLD_OR_SPACE_RE.search(text) is not None:
        if _FOLD_RE.search(text) is not None:
            text = _FOLD_RE.sub(_fold, text)
        plain = _ODD_SPACE_RE.search(text) is None
    # str.split drops exactly what isspace() finds, at C speed; with spaces only, replace is faster.
    norm = text.replace(" ", "") if plain else "".join(text.split())
    low = norm.lower()
    if len(low) == len(norm):
        return low, None, plain
    chars: list[str] = []
    idx = []
    for i, c in enumerate(text):  # lower() grew a char ("İ"): list the positions
        if not c.isspace():
            for d in c.lower():
                chars.append(d)
                idx.append(i)
    return "".join(chars), idx, plain


class _Positions:
    """Maps an index of the normalised text back to `text`, and `text` positions to it.

    Without a per-char list (the common case), counting before a position drops the whitespace at C
    speed, and the whitespace runs (few) are listed only when an index is mapped back, on a hit.
    """

    __slots__ = ("idx", "limit", "plain", "shifts", "starts", "text")

    def __init__(self, text: str, idx: list[int] | None, plain: bool, limit: int | None = None) -> None:
        self.text = text
        self.idx = idx
        self.plain = plain  # the only whitespace is " "
        self.limit = len(text) if limit is None else limit  # at() maps only chars before it
        self.starts: list[int] | None = None  # normalised index of the char after each whitespace run
        self.shifts: list[int] = []  # whitespace before that char

    def at(self, k: int) -> int:
        if self.idx is not None:
            return self.idx[k]
        if self.plain:
            # The (k+1)-th non-space char: each step jumps by how many are still missing, which
            # never passes it; a few C-speed counts instead of listing the spaces.
            text, p = self.text, k
            while (missing := k + 1 - (p + 1 - text.count(" ", 0, p + 1))) > 0:
                p += missing
            return p
        if self.starts is None:
            spans = [m.span() for m in _SPACE_RE.finditer(self.text, 0, self.limit)]
            self.shifts = list(itertools.accumulate([e - s for s, e in spans], initial=0))
            self.starts = [s for (s, _), shift in zip(spans, self.shifts, strict=False) for s in (s - shift,)]
        return k + self.shifts[bisect.bisect_right(self.starts, k)]

    def count_before(self, pos: int) -> int:
        if self.idx is not None:
            return bisect.bisect_left(self.idx, pos)
        if self.plain:
            return pos - self.text.count(" ", 0, pos)
        return len("".join(self.text[:pos].split()))


def _common(a: str, i: int, b: str, j: int, most: int) -> int:
    """Length of the common prefix of a[i:] and b[j:], at most `most` (binary search on slices)."""
    lo, hi = 0, min(most, len(a) - i, len(b) - j)
    while lo < hi:
        mid = (lo + hi + 1) // 2
        if b.startswith(a[i : i + mid], j):  # == b[j : j + mid] (mid <= len(b) - j), one slice fewer
            lo = mid
        else:
            hi = mid - 1
    return lo


_Note = Callable[..., None]


def _repeats(head: str, limit: int, note: _Note, add: _Note, opened: Mapping[int, object]) -> None:
    """Cuts where the excerpt repeats the title, as a document's first page does.

    The title's opening (with or without its leading number) is looked for again in the head;
    at each occurrence, the common run of the two says where the title ends:
    - the run covers everything before the occurrence: the excerpt starts with the whole title
      ("repeat-full", the strongest evidence, at the occurrence);
    - it covers only part of it: either the page repeats part of the title ("repeat-part", at the
      occurrence), or a running header sits between the title and its repeat ("repeat-end", at
      the end of the run).
    Comparison is after NFKC, lower-casing and without whitespace, so look-alike chars and other
    spacing do not hide a repeat. Costs a few str.find calls unless the opening recurs.
    `opened` holds the cuts already known to open an excerpt ("第1章"): a gap holding one is the
    end of the title and the start of the excerpt, not a running header.
    """
    norm, known_idx, plain = _normal(head)
    key = norm[:2]
    lead = _LEAD_NUM_RE.match(head)
    numbered = lead is not None and 0 < lead.end() < len(head)
    # The cheap test first: can the opening recur as a repeat at all? Every repeat covers 3 chars
    # ("repeat-part", REPEAT_MIN) or is a whole 2-char title right after itself.
    if not numbered and norm.find(norm[:REPEAT_MIN], 2) < 0 and not norm.startswith(key, 2):
        return
    pos = _Positions(head, known_idx, plain, limit)
    nlimit = pos.count_before(limit)
    probes = [0, lead.end()] if numbered and lead is not None else [0]
    done: set[int] = set()
    full = -1
    for t_raw in probes:
        t = pos.count_before(t_raw) if t_raw else 0
        key = norm[t : t + 2]
        if len(key) < 2:
            continue
        j = norm.find(key, t + 2, nlimit)
        tries = 0
        while j >= 0 and tries < REPEAT_PROBES:
            tries += 1
            # Most hits of a 2-char key are chance: neither a whole repeat nor REPEAT_MIN long.
            if norm.startswith(norm[t:j], j):
                run = j - t
            elif norm.startswith(norm[t : t + REPEAT_MIN], j):
                run = _common(norm, t, norm, j, j - t)
            else:
                j = norm.find(key, j + 1, nlimit)
                continue
            if j not in done:
                if run == j - t:
                    # "Vibe Vibe：…指南Vibe Vibe：…": the longest whole repeat is the title.
                    done.add(j)
                    full = max(full, j)
                if run >= REPEAT_MIN:
                    done.add(j)
                    at = pos.at(j)
                    note(at, (1.0, "repeat-part"), anywhere=True)
                    # A running header between a title and its repeat ("第 1 页", a site name) is
                    # short next to the title; a repeated first word is not a title repeated.
                    gap = j - (t + run)
                    end = pos.at(t + run - 1) + 1
                    estart = _skip_space(head, end)
                    short = run >= gap or (2 * run >= gap and _seam(head, estart) == end)
                    if gap <= REPEAT_GAP and short and t + run not in done and not any(estart < q < at for q in opened):
                        done.add(t + run)
                        add(estart, end, (1.0, "repeat-end"))
            j = norm.find(key, j + 1, nlimit)
        if full >= 0:
            break  # the title as listed repeats: the probe without its number is not needed
    if full >= 0:
        note(pos.at(full), (1.0, "repeat-full"), anywhere=True)
