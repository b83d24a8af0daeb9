"""Split the glued TITLE+EXCERPT body of a saved listing line into title and excerpt."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

__all__ = ["Split", "split_bodies", "split_body"]


@dataclass(frozen=True, slots=True)
class Split:
    """One body cut in two; `rule` names the evidence that decided the cut."""

    title: str
    excerpt: str
    rule: str


# --- Limits -------------------------------------------------------------------------------
# Titles are short (typically 4-60 chars), so only the head of a body can hold the cut;
# never looking past it is also what keeps 100k bodies of ~600 chars fast.
WINDOW = 120
# Site names, versions and shared endings are title *ends*: only looked for this early.
TITLE_REACH = 90
# Past this length a candidate title pays a growing penalty: long titles are rare.
TITLE_SOFT_MAX = 60
# With no candidate at all, this much of the body becomes the title.
FALLBACK_LEN = 60

# --- Weights (W_*: evidence for a cut; P_*: penalties) ------------------------------------
W_SEPARATOR_RUN = 4.0  # excerpt opens with a run of leader dots/bullets ("· · ·", "……")
W_BULLET = 2.5  # excerpt opens with a single bullet ("•")
W_ENUMERATION = 3.0  # excerpt opens with "1. 2." / "01 … 02": an outline page
W_HEADING = 1.5  # excerpt opens with a section word ("目录", "Contents", "Q&A")
W_LABEL = 1.5  # excerpt opens with "Word:" (slide or definition text)
W_FRAGMENT = 2.0  # excerpt opens with 1-3 lowercase letters glued to CJK: a cut word
W_REPEAT = 2.0  # excerpt opens with a Latin word the title already has
W_SITE_SUFFIX = 2.5  # title ends with " - SiteName" or "…-作者"
W_VERSION_SUFFIX = 1.5  # title ends with a year, version or edition
W_SHARED_SUFFIX = 1.5  # per other line whose title ends with the same CJK run (max 2)
W_LEXICON = 0.5  # per letter of a title word that the body's own vocabulary confirms
W_CAMEL = 1.5  # "…ApplicationsThe": a lower->Upper seam in a token that never recurs
W_WHOLE = 0.5  # a short body with nothing after it is most likely a bare title
W_CROSS = 1.0  # per unit of excerpt-start evidence an earlier cut already had
CROSS_CAP = 4.0
LEXICON_CAP = 8
P_TINY = 4.0  # title under 2 chars
P_SHORT = 2.0  # title under 4 chars
P_LONG_PER_CHAR = 0.05  # per char past TITLE_SOFT_MAX
P_BAD_END = 2.0  # title ends with punctuation that needs a continuation
P_PARTICLE_END = 1.5  # title ends with a CJK function character ("之", "的", "在")
P_UNBALANCED = 3.0  # title has an unclosed bracket
P_BAD_START = 1.0  # excerpt opens with closing or continuing punctuation
P_TITLE_REPEAT = 2.0  # the title repeats a Latin word: it has run into the excerpt
P_SENTENCE = 2.0  # the title contains sentence punctuation: it has run into prose
P_TEMPLATE = 2.0  # cut inside a prefix this line shares with another line
P_SPLIT_WORD = 2.5  # cutting inside a Latin run needs evidence to be worth it
P_CAMEL = 1.0
P_LETTER_DIGIT = 0.5  # "v|8": a token cut between its letters and its digits
P_NUMBER_UNIT = 2.0  # "2023|年", "3|个": a number glued to a unit counts what follows it

# --- Character classes --------------------------------------------------------------------
_CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
_DIGIT = "0-9\uff10-\uff19"
_C_CJK, _C_LATIN, _C_DIGIT, _C_SPACE, _C_PUNCT = 1, 2, 3, 4, 5
# One run per script; every punctuation char is its own run so each one can be a seam.
_RUN_RE = re.compile(rf"([{_CJK}]+)|([{_LATIN}]+)|([{_DIGIT}]+)|(\s+)|(.)", re.S)

_OPENERS = "([{（【《「『〈“‘"
_CLOSERS = ")]}）】》」』〉”’"
_DASHES = "-–—|｜_"
_DASH_CLASS = r"\-–—|｜_"  # _DASHES escaped for use inside [...]
_SEP_MARKS = "·•・●○◆◇■□▪▫►▶◦…"
_APOSTROPHES = "'’"
# Chinese units and measure words: a number glued to one belongs to the text after it.
_UNITS = frozenset("年月日号时分秒天周个位名条种项次章节页篇期届版元岁倍")
_BULLETS = "•●○◆◇■□▪▫►▶◦"
# A title does not end with these: each announces more text (a clause, a list, a pair).
_BAD_END = frozenset("、，,:：;；/&+·" + _OPENERS + _DASHES)
# CJK function characters bind to the word after them, so a title does not end on one.
_PARTICLES = frozenset("之的和与及或在对从把被向于以")
# An excerpt does not start with what only continues or closes a preceding phrase.
_BAD_START = frozenset(",，、。.;；:：!！?？" + _CLOSERS + "-–—")

# Each scan starts with a plain character class so the regex engine can skip ahead fast;
# one alternation of all of them scanned several times slower.
# A row of bullets or leader dots opens table-of-contents pages and slide decks.
_SEP_RE = re.compile(rf"[{_SEP_MARKS}](?:\s*[{_SEP_MARKS}])*")
# Generic section words of a document's first page; they never end a title.
_HEADING_RE = re.compile(
    r"目\s?录|前\s?言|摘\s?要|序\s?言|Table of Contents|Contents|CONTENTS"
    r"|Abstract|ABSTRACT|Preface|PREFACE|Q&A"
)
_NUM_RE = re.compile(r"[0-9]+(?:\.[0-9]+)*")
_ENUM_MARK_RE = re.compile(r"\s*[.、．)）]")
_ENUM_NEXT_RE = re.compile(r"(?<![\d.])(\d{1,2})\s*[.、．)）]|(?<!\d)(0\d)\s")
_EDITION_RE = re.compile(r"(?:st|nd|rd|th) [Ee]dition")
_DASH_RE = re.compile(rf"[{_DASH_CLASS}]")
_WORD_RE = re.compile(rf"[{_LATIN}]+")
_CJK_RUN_RE = re.compile(rf"[{_CJK}]+")
_CAMEL_RE = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z])")
_SITE_RE = re.compile(
    rf"(?:\S\s+[{_DASH_CLASS}]+\s*[^\s{_DASH_CLASS}](?:[^{_DASH_CLASS}]{{0,22}}[^\s{_DASH_CLASS}])?"
    rf"|[{_CJK}][-–—][{_CJK}]{{2,4}})$"
)
_VERSION_RE = re.compile(
    r"(?:(?<![0-9.])(?:19|20)\d{2}(?:[01]\d(?:[0-3]\d)?)?"
    r"|(?<![0-9.])[vV]?\d+(?:\.\d+)+|(?<![A-Za-z])[vV]\d+"
    r"|\d+(?:st|nd|rd|th) [Ee]dition|第[一二三四五六七八九十\d]+版)$"
)
_OPENER_RE = re.compile(rf"[{re.escape(_OPENERS)}]")
# A comma after CJK is Chinese prose even when the page saved it half-width.
_SENTENCE_RE = re.compile(rf"[，。；！？]|[{_CJK}]\s*[,;]")
_SENTENCE_MARK_RE = re.compile(r"[，。；！？,;]")  # each match of _SENTENCE_RE holds one of these

_Part = tuple[float, str]  # (weight, feature name)
_NEVER = 1 << 62
_CLASS_CACHE: dict[str, int] = {}


def _cls(ch: str) -> int:
    """Script class of one char (cached: the same few thousand chars recur)."""
    c = _CLASS_CACHE.get(ch)
    if c is None:
        m = _RUN_RE.match(ch)
        c = m.lastindex if m is not None and m.lastindex is not None else _C_PUNCT
        _CLASS_CACHE[ch] = c
    return c


def _seam(text: str, p: int, anywhere: bool = False) -> int:
    """Title end for a cut before text[p], or -1 when text[p] continues what precedes it.

    A glued title can only end where the script changes (CJK, Latin, digits, punctuation);
    whitespace between two runs of the same script does not make a seam.
    """
    q = p - 1
    while q >= 0 and text[q].isspace():
        q -= 1
    if q < 0:
        return -1
    if anywhere:
        return q + 1
    a, b = text[q], text[p]
    ca = _cls(a)
    if ca != _cls(b):
        # An apostrophe between letters belongs to the word ("O'Reilly", "don't").
        if (b in _APOSTROPHES and _cls(text[p + 1 : p + 2] or " ") == _C_LATIN) or (
            a in _APOSTROPHES and q > 0 and _cls(text[q - 1]) == _C_LATIN
        ):
            return -1
        return q + 1
    # Two punctuation marks: "》·" is a seam, the inside of "· · ·" or "))" is not.
    if ca == _C_PUNCT and a != b and not (a in _SEP_MARKS and b in _SEP_MARKS):
        return q + 1
    return -1


def _skip_space(text: str, p: int) -> int:
    while p < len(text) and text[p].isspace():
        p += 1
    return p


@dataclass(slots=True)
class _Body:
    """One stripped body with the candidate cuts found in its head.

    A cut is keyed by where the excerpt starts; the title ends at `tend` (which differs
    from the excerpt start only by the whitespace between them).
    """

    text: str
    cands: dict[int, tuple[int, tuple[_Part, ...]]]  # estart -> (tend, evidence of its kind)
    starts: dict[int, list[_Part]]  # estart -> evidence from how the excerpt opens
    keys: dict[int, tuple[int, str]]  # estart -> (tend, CJK run ending the title there)
    dup_at: int  # a title reaching this index repeats one of its Latin words
    dashes: list[int]  # dash-like chars in the head (site names follow them)


def _analyse(text: str) -> _Body:
    """List the cuts in the head of one stripped body that carry some evidence.

    Evidence-free seams are not listed: _candidates walks them only when no listed cut
    scores above zero. That keeps the work per body to a few regex scans.
    """
    head = text[: WINDOW + 100]
    limit = min(len(head), WINDOW)
    cands: dict[int, tuple[int, tuple[_Part, ...]]] = {}
    starts: dict[int, list[_Part]] = {}

    def note(p: int, part: _Part, anywhere: bool = False) -> None:
        tend = _seam(head, p, anywhere)
        if tend >= 0:
            cands.setdefault(p, (tend, ()))
            starts.setdefault(p, []).append(part)

    def seam_after(end: int) -> None:
        p = _skip_space(head, end)
        if p < len(head) and (tend := _seam(head, p)) >= 0:
            cands.setdefault(p, (tend, ()))

    for m in _SEP_RE.finditer(head, 1, limit):
        p, e = m.span()
        if e - p >= 2 or head[p] == "…":
            note(p, (W_SEPARATOR_RUN, "separator"))
        elif head[p] in _BULLETS:
            note(p, (W_BULLET, "separator"))
    p = head.find("...", 1, limit)
    if p > 0:
        note(p, (W_SEPARATOR_RUN, "separator"))
    for m in _HEADING_RE.finditer(head, 1, limit):
        # A section word is a boundary of its own, even inside a run of CJK.
        note(m.start(), (W_HEADING, "heading"), anywhere=True)
    for m in _NUM_RE.finditer(head, 0, limit):
        if m.end() - m.start() <= 2 and _is_enumeration(head, m):
            note(m.start(), (W_ENUMERATION, "enumeration"))
        if m.end() <= TITLE_REACH:
            after = _version_end(head, m)
            if after >= 0:
                seam_after(after)  # a version or year may end the title

    dashes: list[int] = []
    for m in _DASH_RE.finditer(head, 1, min(limit, TITLE_REACH)):
        d = m.start()
        dashes.append(d)
        if head[d - 1].isspace() or (_cls(head[d - 1]) == _C_CJK and _cls(head[d + 1 : d + 2] or " ") == _C_CJK):
            _seams_after_name(head, d + 1, cands)  # a site or author name may end the title

    dup_at = _NEVER
    seen: set[str] = set()
    lower: str | None = None
    size = len(head)
    classes = _CLASS_CACHE
    # The per-word tests below run for every Latin word of every body: characters are compared and
    # classes looked up in place, not through slices and calls.
    for m in _WORD_RE.finditer(head, 0, limit):
        s, e = m.span()
        word = m.group()
        length = e - s
        glued_cjk = False
        if e < size:
            follow = head[e]
            if follow in ":：" or (follow == " " and head[e + 1 : e + 2] in (":", "：")):
                note(s, (W_LABEL, "label"))
            glued_cjk = (classes.get(follow) or _cls(follow)) == _C_CJK
        if length <= 3 and glued_cjk and word.islower():
            note(s, (W_FRAGMENT, "fragment"))
        if length >= 3:
            lw = word.lower()
            if lw in seen:
                note(s, (W_REPEAT, "repeat"))
                dup_at = min(dup_at, e)
            else:
                seen.add(lw)
            if length >= 5 and s > 0:
                if glued_cjk:
                    lower = lower or text.lower()
                    for cut, base in _word_split_cuts(lower, s, e):
                        cands.setdefault(cut, (cut, base))
                if length >= 7:
                    for cm in _CAMEL_RE.finditer(head, s + 3, e):
                        lower = lower or text.lower()
                        cands.setdefault(cm.start(), (cm.start(), _camel_evidence(lower, word)))

    keys: dict[int, tuple[int, str]] = {}
    for m in _CJK_RUN_RE.finditer(head, 1, min(limit, TITLE_SOFT_MAX)):
        s, e = m.span()
        if e - s >= 2:
            p = e
            while p < size and head[p].isspace():
                p += 1
            if p < size and (classes.get(head[p]) or _cls(head[p])) != _C_CJK:
                keys[p] = (e, m.group())

    if len(text) <= TITLE_SOFT_MAX:
        # A title-sized body may be a bare title; "no excerpt" competes like any other cut.
        cands[len(text)] = (len(text), ((W_WHOLE, "whole"),))
    return _Body(text, cands, starts, keys, dup_at, dashes)


def _is_enumeration(head: str, m: re.Match[str]) -> bool:
    """A list number ("1. 2.", "01 … 02") whose next number in the text is the next item."""
    digits = m.group()
    mark = _ENUM_MARK_RE.match(head, m.end())
    if mark is not None:
        end = mark.end()
    elif digits[0] == "0" and len(digits) == 2 and head[m.end() : m.end() + 1].isspace():
        end = m.end()
    else:
        return False
    for nxt in _ENUM_NEXT_RE.finditer(head, end, end + 100):
        return int(nxt.group(1) or nxt.group(2)) == int(digits) + 1
    return False


def _version_end(head: str, m: re.Match[str]) -> int:
    """End of the version, year or edition this number starts, or -1."""
    digits, s, e = m.group(), m.start(), m.end()
    if head.startswith("版", e) and s > 0 and head[s - 1] == "第":
        return e + 1
    edition = _EDITION_RE.match(head, e)
    if edition is not None:
        return edition.end()
    if "." in digits or (s > 0 and head[s - 1] in "vV"):
        return e
    if len(digits) in (4, 6, 8) and digits[:2] in ("19", "20"):
        return e
    return -1


def _seams_after_name(head: str, d: int, cands: dict[int, tuple[int, tuple[_Part, ...]]]) -> None:
    """List the first seams after a dash: one of them may end a site or author name."""
    found = 0
    for r in _RUN_RE.finditer(head, _skip_space(head, d) + 1, min(d + 28, len(head))):
        if r.lastindex != _C_SPACE and (tend := _seam(head, r.start())) >= 0:
            cands.setdefault(r.start(), (tend, ()))
            found += 1
            if found == 3:
                return


def _camel_evidence(lower: str, word: str) -> tuple[_Part, ...]:
    # "ApplicationsThe": an English title glued to a capitalised sentence. A real
    # identifier ("CopySet") recurs in its own excerpt; a glued seam does not.
    unseen = lower.count(word.lower()) == 1
    return ((W_CAMEL if unseen else 0.0, "camel-case"), (-P_CAMEL, "split-word"))


def _word_split_cuts(lower: str, s: int, e: int) -> list[tuple[int, tuple[_Part, ...]]]:
    """Cuts inside a Latin run glued to CJK ("…clonete技术"), backed by the body's words.

    The excerpt starts mid-text, so it can open with the 1-3 letter tail of a word. With
    no dictionary, the body's own text is the vocabulary: a title word that ends exactly
    at the cut and also starts a word elsewhere in the body is evidence for the cut.
    """
    run = lower[s:e]
    if not run.isascii() or _word_starts_elsewhere(lower, run, s):
        return []  # the whole run is a known word: do not cut it
    out: list[tuple[int, tuple[_Part, ...]]] = []
    for tail in (1, 2, 3):
        cut = e - tail
        if cut - s < 2 or not run[cut - s :].islower():
            continue
        head = run[: cut - s]
        for size in range(min(len(head), LEXICON_CAP), 2, -1):
            if _word_starts_elsewhere(lower, head[-size:], s):
                base = (
                    (W_LEXICON * size, "word-split"),
                    (-P_SPLIT_WORD, "split-word"),
                    (W_FRAGMENT, "fragment"),
                )
                out.append((cut, base))
                break
    return out


def _word_starts_elsewhere(lower: str, word: str, run_start: int) -> bool:
    """Whether `word` opens a Latin word somewhere in the body other than at run_start."""
    i = lower.find(word)
    while i != -1:
        if i != run_start and (i == 0 or not lower[i - 1].isalpha()):
            return True
        i = lower.find(word, i + 1)
    return False


# --- Scoring ------------------------------------------------------------------------------


@dataclass(slots=True)
class _Context:
    """What the other lines of the file say about one body."""

    template_end: int  # cuts at or before this index fall inside a shared prefix
    shared: Counter[str]  # CJK title-ending run -> number of distinct lines ending with it


def _title_end(title: str) -> list[_Part]:
    """Evidence from how the title before the cut ends."""
    out: list[_Part] = []
    last = title[-1]
    if last in _BAD_END:
        out.append((-P_BAD_END, "bad-end"))
    elif last in _PARTICLES:
        out.append((-P_PARTICLE_END, "particle-end"))
    # Both forms of a site suffix hold a dash: the plain scan for one skips the costly search.
    tail = max(0, len(title) - 32)
    if _DASH_RE.search(title, tail) and _SITE_RE.search(title, tail):
        out.append((W_SITE_SUFFIX, "site-suffix"))
    if (last.isdigit() or last in "版n") and _VERSION_RE.search(title, max(0, len(title) - 24)):
        out.append((W_VERSION_SUFFIX, "version-suffix"))
    return out


def _length(n: int) -> float:
    if n < 2:
        return -P_TINY
    if n < 4:
        return -P_SHORT
    if n > TITLE_SOFT_MAX:
        return -P_LONG_PER_CHAR * (n - TITLE_SOFT_MAX)
    return 0.0


def _shared_bonus(bd: _Body, ctx: _Context, tend: int, estart: int) -> float:
    key = bd.keys.get(estart)
    # A run shared inside a template prefix says where titles *start*, not where they end.
    if key is None or key[0] != tend or tend <= ctx.template_end:
        return 0.0
    return W_SHARED_SUFFIX * max(0, min(ctx.shared.get(key[1], 0) - 1, 2))


def _evaluate(
    bd: _Body, ctx: _Context, tend: int, estart: int, *, base: tuple[_Part, ...], crossed: float
) -> tuple[float, list[_Part]]:
    """Score one cut; the parts say which features made the score."""
    text = bd.text
    title = text[:tend]
    starts = bd.starts.get(estart, [])
    parts = [*base, *starts, *_title_end(title), (_length(len(title)), "length")]
    if crossed:
        parts.append((-W_CROSS * crossed, "crossed"))
    if _OPENER_RE.search(title) and _unbalanced(title):
        parts.append((-P_UNBALANCED, "unbalanced"))
    if tend >= bd.dup_at:
        parts.append((-P_TITLE_REPEAT, "title-repeat"))
    if _SENTENCE_MARK_RE.search(title) and _SENTENCE_RE.search(title):
        parts.append((-P_SENTENCE, "sentence"))
    first = text[estart] if estart < len(text) else ""
    if first in _BAD_START and not starts:
        parts.append((-P_BAD_START, "bad-start"))
    if tend <= ctx.template_end:
        parts.append((-P_TEMPLATE, "template"))
    if tend == estart and first:
        before, after = _cls(title[-1]), _cls(first)
        if before == _C_LATIN and after == _C_DIGIT:
            parts.append((-P_LETTER_DIGIT, "letter-digit"))
        elif before == _C_DIGIT and first in _UNITS:
            parts.append((-P_NUMBER_UNIT, "number-unit"))
    shared = _shared_bonus(bd, ctx, tend, estart)
    if shared:
        parts.append((shared, "shared-suffix"))
    return sum([w for w, _ in parts]), parts


_CLOSER_OF = dict(zip(_OPENERS, _CLOSERS, strict=True))


def _unbalanced(title: str) -> bool:
    """Whether some bracket opens more often than it closes (only the opening ones present are counted)."""
    return any(title.count(o) > title.count(_CLOSER_OF[o]) for o in set(_OPENER_RE.findall(title)))


_Scored = tuple[float, int, int, int, list[_Part]]  # score, -estart, tend, estart, parts


def _candidates(bd: _Body, ctx: _Context) -> list[_Scored]:
    """Score the listed cuts, best bound first, then evidence-free seams only if needed.

    Penalties only lower a score, so a cut whose bound (its evidence, less what earlier
    cuts already had) cannot beat the best score so far is never scored in full.
    """
    text = bd.text
    cands = bd.cands
    for p, (tend, key) in bd.keys.items():
        if ctx.shared.get(key, 0) > 1 and p not in cands:  # .get: a Counter's [] calls __missing__
            cands[p] = (tend, ())
    # A later cut passes the excerpt-start evidence of every earlier one: the first strong
    # signal wins unless a later cut has more evidence of its own.
    weight = {p: sum([w for w, _ in parts]) for p, parts in bd.starts.items()}
    passed = sorted((p, w) for p, w in weight.items() if cands[p][0] >= 2)

    def crossed_before(p: int) -> float:
        crossed = 0.0
        for q, w in passed:
            if q >= p:
                break
            crossed += w
        return min(crossed, CROSS_CAP)

    bounded: list[tuple[float, int, int, tuple[_Part, ...], float]] = []
    dashes, keys = bd.dashes, bd.keys
    for p, (tend, base) in cands.items():
        crossed = crossed_before(p) if passed else 0.0
        ub = weight.get(p, 0.0) - W_CROSS * crossed
        if base:
            ub += sum([w for w, _ in base if w > 0])
        for d in dashes:
            if tend - 32 <= d < tend:
                ub += W_SITE_SUFFIX
                break
        last = text[tend - 1]
        if last.isdigit() or last in "版n":
            ub += W_VERSION_SUFFIX
        if p in keys:
            ub += _shared_bonus(bd, ctx, tend, p)
        bounded.append((ub, -p, tend, base, crossed))
    bounded.sort(reverse=True)
    out: list[_Scored] = []
    best = (float("-inf"), 0)
    for ub, neg_p, tend, base, crossed in bounded:
        if (ub, neg_p) <= best:
            break
        score, parts = _evaluate(bd, ctx, tend, -neg_p, base=base, crossed=crossed)
        out.append((score, neg_p, tend, -neg_p, parts))
        best = max(best, (score, neg_p))
    if best[0] > 0:
        return out
    # Evidence-free seams score at most 0, so the first one that reaches 0 beats all later.
    prev = False
    for m in _RUN_RE.finditer(text, 0, min(len(text), WINDOW)):
        if m.lastindex == _C_SPACE:
            continue
        p = m.start()
        if prev and p not in cands and (tend := _seam(text, p)) >= 0:
            score, parts = _evaluate(bd, ctx, tend, p, base=(), crossed=crossed_before(p))
            out.append((score, -p, tend, p, parts))
            if score >= 0:
                break
        prev = True
    return out


def _choose(bd: _Body, ctx: _Context) -> Split:
    scored = _candidates(bd, ctx)
    if not scored:
        return _fallback(bd.text)
    _, _, tend, estart, parts = max(scored)  # ties: the earlier cut
    top = max(parts)
    rule = top[1] if top[0] > 0 else "script-change"
    return Split(bd.text[:tend].rstrip(), bd.text[estart:].lstrip(), rule)


def _fallback(text: str) -> Split:
    """No seam at all: take a title-sized head, ending at a space if there is one."""
    if len(text) <= FALLBACK_LEN:
        return Split(text, "", "fallback")
    cut = text.rfind(" ", 0, FALLBACK_LEN + 1)
    if cut < 4:
        cut = FALLBACK_LEN
    return Split(text[:cut].rstrip(), text[cut:].lstrip(), "fallback")


def _template_ends(texts: Sequence[str]) -> list[int]:
    """Per body, the end of the longest prefix it shares with another body, if a template.

    Several titles opening alike ("Series Name之…", "Product v8.x …") go on past the
    shared part with text of the same script, so no title ends inside that prefix.
    """
    heads = [t[:TITLE_SOFT_MAX] for t in texts]
    order = sorted(range(len(heads)), key=heads.__getitem__)
    ends = [-1] * len(heads)
    for a, b in itertools.pairwise(order):
        x, y = heads[a], heads[b]
        if len(x) < 3 or len(y) < 3 or x[:3] != y[:3]:
            continue
        # Binary search on slice equality: C-speed compares instead of a per-char loop.
        lo, hi = 3, min(len(x), len(y))
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if x[:mid] == y[:mid]:
                lo = mid
            else:
                hi = mid - 1
        n, limit = lo, min(len(x), len(y))
        if n == limit:
            continue  # one head contains the other: a duplicate, not a template
        # Continuations of another script mean the shared part may be a whole title.
        if _cls(x[n]) != _cls(y[n]):
            n -= 1
        ends[a] = max(ends[a], n)
        ends[b] = max(ends[b], n)
    return ends


def split_bodies(bodies: Sequence[str]) -> list[Split]:
    """Split every body of one listing file; the file's other lines are context."""
    texts = [b.strip() for b in bodies]
    analysed = [_analyse(t) for t in texts]
    # A shared *ending* follows different text on each line; an excerpt phrase that many
    # lines share (boilerplate) usually comes with its context, so count distinct contexts.
    lines: Counter[str] = Counter()
    contexts: dict[str, set[str]] = {}
    for bd in analysed:
        here: dict[str, str] = {}
        for tend, key in bd.keys.values():
            begin = tend - len(key)
            here.setdefault(key, bd.text[max(0, begin - 3) : begin])
        lines.update(here.keys())
        for key, context in here.items():
            contexts.setdefault(key, set()).add(context)
    shared = Counter({key: n for key, n in lines.items() if n > 1 and len(contexts[key]) > 1})
    template = _template_ends(texts)
    out: list[Split] = []
    for bd, t_end in zip(analysed, template, strict=True):
        if not bd.text:
            out.append(Split("", "", "empty"))
        else:
            out.append(_choose(bd, _Context(t_end, shared)))
    return out


def split_body(body: str) -> Split:
    """A single body with no file context (== split_bodies([body])[0])."""
    return split_bodies([body])[0]
