"""Split the glued TITLE+EXCERPT body of a saved listing line into title and excerpt."""

from __future__ import annotations

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
# Past this length a candidate title pays a growing penalty: long titles are rare.
TITLE_SOFT_MAX = 60
# With no candidate at all, this much of the body becomes the title.
FALLBACK_LEN = 60
# Only cuts this early can feed the cross-line "shared suffix" evidence: titles end early.
SHARED_SUFFIX_REACH = 60

# --- Weights (positive: evidence for a cut; P_*: penalties) -------------------------------
W_SEPARATOR_RUN = 4.0  # excerpt opens with a run of leader dots/bullets ("· · ·", "……")
W_BULLET = 2.5  # excerpt opens with a single bullet ("•")
W_ENUMERATION = 3.0  # excerpt opens with "1. 2." / "01 ... 02": an outline page
W_HEADING = 1.5  # excerpt opens with a section word ("目录", "Contents", "Q&A")
W_LABEL = 1.5  # excerpt opens with "Word:" (slide/definition text)
W_FRAGMENT = 2.0  # excerpt opens with 1-3 lowercase letters glued to CJK: a cut word
W_REPEAT = 2.0  # excerpt opens with a Latin word already in the title
W_SITE_SUFFIX = 2.5  # title ends with " - SiteName" or "…-作者"
W_VERSION_SUFFIX = 1.5  # title ends with a year / version / edition
W_SHARED_SUFFIX = 1.5  # per other line whose title ends with the same CJK run (max 2)
W_LEXICON = 0.5  # per letter of a title word confirmed by the body's own vocabulary
W_CAMEL = 1.5  # "wordsThe": a lower->Upper seam in a token that never recurs
W_WHOLE = 0.5  # a short body with nothing after it is most likely a bare title
W_CROSS = 1.0  # per unit of excerpt-start evidence already passed by an earlier cut
CROSS_CAP = 4.0
LEXICON_CAP = 8
P_TINY = 4.0  # title under 2 chars
P_SHORT = 2.0  # title under 4 chars
P_LONG_PER_CHAR = 0.05  # per char past TITLE_SOFT_MAX
P_BAD_END = 2.0  # title ends with punctuation that needs a continuation
P_PARTICLE_END = 1.5  # title ends with a CJK function character ("之", "的", "在")
P_UNBALANCED = 3.0  # title has an unclosed bracket
P_BAD_START = 1.0  # excerpt opens with closing/continuing punctuation
P_TITLE_REPEAT = 2.0  # the title itself repeats a Latin word: it ran into the excerpt
P_SENTENCE = 2.0  # the title contains sentence punctuation: it ran into prose
P_TEMPLATE = 2.0  # cut inside a prefix this line shares with another line
P_SPLIT_WORD = 2.5  # cutting inside a Latin run needs evidence to be worth it
P_CAMEL = 1.0
P_LETTER_DIGIT = 0.5  # "v|8": a token cut between its letters and its digits

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
_CJK_CHAR_RE = re.compile(rf"[{_CJK}]")

_OPENERS = "([{（【《「『〈“‘"
_CLOSERS = ")]}）】》」』〉”’"
_DASHES = "-–—|｜_"
_DASH_CLASS = r"\-–—|｜_"  # _DASHES escaped for use inside [...]
_SEP_MARKS = "·•・●○◆◇■□▪▫►▶◦…"
_BULLETS = "•●○◆◇■□▪▫►▶◦"
# A title cannot end with these: each announces more text (a clause, a list, a pair).
_BAD_END = frozenset("、，,:：;；/&+·" + _OPENERS + _DASHES)
# CJK function characters that bind to a following word, so a title does not end on them.
_PARTICLES = frozenset("之的和与及或在对从把被向于以")
# An excerpt does not start with what only continues or closes a preceding phrase.
_BAD_START = frozenset(",，、。.;；:：!！?？" + _CLOSERS + "-–—")
_FULLWIDTH_SENTENCE = frozenset("，。；！？")

# Leader dots or a row of bullets: table-of-contents pages and slide decks open like this.
_SEP_RUN_RE = re.compile(rf"(?:[{_SEP_MARKS}]\s*){{2,}}|\.{{3,}}|…")
_ENUM_RE = re.compile(r"(\d{1,2})\s*[.、．)）]|(0\d)\s")
_ENUM_NEXT_RE = re.compile(r"(?<![\d.])(\d{1,2})\s*[.、．)）]|(?<!\d)(0\d)\s")
# Generic section words that open the first page of a document, never a title's end.
_HEADING_RE = re.compile(
    r"(?:目\s?录|前\s?言|摘\s?要|序\s?言|Table of Contents|Contents|Abstract|Preface|Q&A)",
    re.I,
)
_LABEL_RE = re.compile(r"[A-Za-z][A-Za-z0-9_.\-]{0,30}\s?[:：]")
_FRAGMENT_RE = re.compile(rf"[a-z]{{1,3}}[{_CJK}]")
_WORD_RE = re.compile(rf"[{_LATIN}]+")
_SITE_RE = re.compile(
    rf"(?:\S\s+[{_DASH_CLASS}]+\s*(?P<name>[^\s{_DASH_CLASS}](?:[^{_DASH_CLASS}]{{0,22}}[^\s{_DASH_CLASS}])?)"
    rf"|[{_CJK}][-–—](?P<cjk>[{_CJK}]{{2,4}}))$"
)
_VERSION_RE = re.compile(
    r"(?:(?<![0-9.])(?:19|20)\d{2}(?:[01]\d(?:[0-3]\d)?)?"
    r"|(?<![0-9.])[vV]?\d+(?:\.\d+)+|(?<![A-Za-z])[vV]\d+"
    r"|\d+(?:st|nd|rd|th) [Ee]dition|第[一二三四五六七八九十\d]+版)$"
)
_CAMEL_RE = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z])")


@dataclass(slots=True)
class _Cand:
    """A cut point with the state of the title in front of it."""

    tend: int  # title is body[:tend] (stripped)
    estart: int  # excerpt is body[estart:] (stripped)
    kind: str  # "script", "word-split", "camel-case" or "whole"
    key: str  # CJK run ending the title, for cross-line shared-suffix evidence
    base: tuple[tuple[float, str], ...]  # evidence that comes with the kind of cut
    balance: int  # unclosed brackets in the title
    title_has_repeat: bool
    title_has_sentence: bool
    title_has_dash: bool
    title_cls: int  # script of the title's last char
    next_cls: int  # script of the excerpt's first char


@dataclass(slots=True)
class _Body:
    text: str
    start: int  # first non-space index
    cands: list[_Cand]
    first_end: dict[str, int]  # lowercase Latin word -> end of its first occurrence


def _classify(ch: str) -> int:
    m = _RUN_RE.match(ch)
    return m.lastindex if m is not None and m.lastindex is not None else _C_PUNCT


def _is_seam(prev_cls: int, prev_ch: str, cls: int, ch: str) -> bool:
    """A change of script is where a glued title can end."""
    if prev_cls != cls:
        return True
    # Two punctuation marks: "》·" is a seam, the inside of "· · ·" or "))" is not.
    return cls == _C_PUNCT and prev_ch != ch and not (prev_ch in _SEP_MARKS and ch in _SEP_MARKS)


def _analyse(body: str) -> _Body:
    """Find every candidate cut in the head of one body, in order."""
    cands: list[_Cand] = []
    first_end: dict[str, int] = {}
    balance = 0
    repeat_seen = sentence_seen = dash_seen = False
    prev: tuple[int, int, int] | None = None
    start = len(body) - len(body.lstrip())
    lower: str | None = None
    for m in _RUN_RE.finditer(body, 0, WINDOW):
        cls = m.lastindex or _C_PUNCT
        if cls == _C_SPACE:
            continue
        s, e = m.span()
        if prev is not None:
            ps, pe, pcls = prev
            if _is_seam(pcls, body[pe - 1], cls, body[s]):
                # Only a CJK run that does not open the body can be a shared title ending;
                # a shared opening is a title *prefix* (handled by the template penalty).
                key = body[ps:pe] if pcls == _C_CJK and pe - ps >= 2 and ps > start else ""
                cands.append(
                    _Cand(pe, s, "script", key, (), balance, repeat_seen,
                          sentence_seen, dash_seen, pcls, cls)
                )
        if cls == _C_LATIN:
            word = body[s:e]
            if len(word) >= 3:
                lw = word.lower()
                if lw in first_end:
                    repeat_seen = True
                else:
                    first_end[lw] = e
            state = (balance, repeat_seen, sentence_seen, dash_seen)
            if e - s >= 7 and prev is not None:
                for cm in _CAMEL_RE.finditer(body, s + 3, e - 2):
                    cands.append(_camel_cand(body, s, e, cm.start(), state))
            if e - s >= 5 and e < len(body) and _CJK_CHAR_RE.match(body, e):
                if lower is None:
                    lower = body.lower()
                cands.extend(_word_split_cands(lower, s, e, state))
        elif cls == _C_PUNCT:
            ch = body[s]
            if ch in _OPENERS:
                balance += 1
            elif ch in _CLOSERS:
                balance = max(0, balance - 1)
            elif ch in _DASHES:
                dash_seen = True
            # A comma after CJK is Chinese prose even when the page saved it half-width.
            if ch in _FULLWIDTH_SENTENCE or (ch in ",;" and prev is not None and prev[2] == _C_CJK):
                sentence_seen = True
        prev = (s, e, cls)
    rest = len(body.rstrip())
    if prev is not None and rest <= WINDOW:
        # A short body may be a bare title; let "no excerpt" compete like any other cut.
        cands.append(
            _Cand(rest, rest, "whole", "", ((W_WHOLE, "whole"),), balance, repeat_seen,
                  sentence_seen, dash_seen, prev[2], _C_SPACE)
        )
    return _Body(body, start, cands, first_end)


def _camel_cand(
    body: str, s: int, e: int, cut: int, state: tuple[int, bool, bool, bool]
) -> _Cand:
    # "ApplicationsThe": English title glued to a capitalised sentence. A real identifier
    # ("CopySet") recurs in its own excerpt, a glued seam does not.
    token = body[s:e].lower()
    unseen = body.lower().count(token) == 1
    base = ((W_CAMEL if unseen else 0.0, "camel-case"), (-P_CAMEL, "split-word"))
    return _Cand(cut, cut, "camel-case", "", base, *state, _C_LATIN, _C_LATIN)


def _word_split_cands(
    lower: str, s: int, e: int, state: tuple[int, bool, bool, bool]
) -> list[_Cand]:
    """Cuts inside a Latin run glued to CJK ("snapshotclonete技术"), backed by vocabulary.

    The excerpt starts mid-text, so it can open with the 1-3 letter tail of a word. With
    no dictionary, the body's own text is the vocabulary: a title word that ends exactly
    at the cut and also starts a word elsewhere in the body is evidence for the cut.
    """
    run = lower[s:e]
    if not run[-3:].isascii() or _word_starts_elsewhere(lower, run, s):
        return []  # the whole run is a known word: do not cut it
    out: list[_Cand] = []
    for tail in (1, 2, 3):
        cut = e - tail
        if cut - s < 2 or not lower[cut:e].isalpha():
            continue
        head = run[: cut - s]
        best = 0
        for size in range(min(len(head), LEXICON_CAP), 2, -1):
            if _word_starts_elsewhere(lower, head[-size:], s):
                best = size
                break
        if best:
            base = ((W_LEXICON * best, "word-split"), (-P_SPLIT_WORD, "split-word"))
            out.append(_Cand(cut, cut, "word-split", "", base, *state, _C_LATIN, _C_LATIN))
    return out


def _word_starts_elsewhere(lower: str, word: str, run_start: int) -> bool:
    """Whether `word` opens a Latin word somewhere in the body other than at run_start."""
    i = lower.find(word)
    while i != -1:
        if i != run_start and (i == 0 or not lower[i - 1].isalpha()):
            return True
        i = lower.find(word, i + 1)
    return False


# --- Features -----------------------------------------------------------------------------
# Each returns (weight, rule) so the winning cut can report the evidence that mattered most.


def _excerpt_start(bd: _Body, c: _Cand) -> list[tuple[float, str]]:
    """Evidence from how the text after the cut begins."""
    body, i = bd.text, c.estart
    if i >= len(body):
        return []
    ch = body[i]
    out: list[tuple[float, str]] = []
    if ch in _SEP_MARKS or ch == ".":
        if _SEP_RUN_RE.match(body, i):
            out.append((W_SEPARATOR_RUN, "separator"))
        elif ch in _BULLETS:
            out.append((W_BULLET, "separator"))
    elif "0" <= ch <= "9":
        if _is_enumeration(body, i):
            out.append((W_ENUMERATION, "enumeration"))
    elif ch.isascii() and ch.isalpha():
        if _LABEL_RE.match(body, i):
            out.append((W_LABEL, "label"))
        if c.title_cls != _C_LATIN and _FRAGMENT_RE.match(body, i):
            out.append((W_FRAGMENT, "fragment"))
        elif c.kind == "word-split":
            out.append((W_FRAGMENT, "fragment"))
        w = _WORD_RE.match(body, i)
        if w is not None and w.end() - i >= 3:
            end = bd.first_end.get(w.group().lower())
            if end is not None and end <= c.tend:
                out.append((W_REPEAT, "repeat"))
    if _HEADING_RE.match(body, i):
        out.append((W_HEADING, "heading"))
    return out


def _is_enumeration(body: str, i: int) -> bool:
    """"1. 2." or "01 … 02": the next number of the list follows shortly."""
    m = _ENUM_RE.match(body, i)
    if m is None:
        return False
    n = int(m.group(1) or m.group(2))
    for nxt in _ENUM_NEXT_RE.finditer(body, m.end(), m.end() + 40):
        return int(nxt.group(1) or nxt.group(2)) == n + 1
    return False


def _title_end(title: str) -> list[tuple[float, str]]:
    """Evidence from how the title before the cut ends."""
    out: list[tuple[float, str]] = []
    last = title[-1]
    if last in _BAD_END:
        out.append((-P_BAD_END, "bad-end"))
    elif last in _PARTICLES:
        out.append((-P_PARTICLE_END, "particle-end"))
    if _SITE_RE.search(title, max(0, len(title) - 32)):
        out.append((W_SITE_SUFFIX, "site-suffix"))
    if ("0" <= last <= "9" or last in "版n") and _VERSION_RE.search(title, max(0, len(title) - 16)):
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


@dataclass(slots=True)
class _Context:
    """What the other lines of the file say about one body."""

    template_end: int  # cuts at or before this index fall inside a shared prefix
    shared: Counter[str]  # CJK title-ending run -> number of lines ending a title with it


def _scored(bd: _Body, ctx: _Context) -> list[tuple[float, _Cand, list[tuple[float, str]]]]:
    """Every candidate of one body with its score and the features that made it."""
    body = bd.text
    out: list[tuple[float, _Cand, list[tuple[float, str]]]] = []
    crossed = 0.0
    for c in bd.cands:
        title = body[bd.start : c.tend].rstrip()
        if not title:
            continue
        starts = _excerpt_start(bd, c)
        parts = list(c.base) + starts + _title_end(title)
        parts.append((_length(len(title)), "length"))
        parts.append((-W_CROSS * min(crossed, CROSS_CAP), "crossed"))
        if c.balance > 0:
            parts.append((-P_UNBALANCED, "unbalanced"))
        if c.title_has_repeat:
            parts.append((-P_TITLE_REPEAT, "title-repeat"))
        if c.title_has_sentence:
            parts.append((-P_SENTENCE, "sentence"))
        if c.estart < len(body) and body[c.estart] in _BAD_START and not starts:
            parts.append((-P_BAD_START, "bad-start"))
        if c.tend <= ctx.template_end:
            parts.append((-P_TEMPLATE, "template"))
        if c.title_cls == _C_LATIN and c.next_cls == _C_DIGIT and c.tend == c.estart:
            parts.append((-P_LETTER_DIGIT, "letter-digit"))
        # A run shared inside a template prefix says where titles *start*, not end.
        if c.key and ctx.template_end < c.tend <= SHARED_SUFFIX_REACH:
            others = min(ctx.shared[c.key] - 1, 2)
            if others > 0:
                parts.append((W_SHARED_SUFFIX * others, "shared-suffix"))
        out.append((sum(w for w, _ in parts), c, parts))
        # Later cuts pass this cut's excerpt-start evidence: the first strong signal wins.
        if len(title) >= 2:
            crossed += sum(w for w, _ in starts)
    return out


def _choose(bd: _Body, ctx: _Context) -> Split:
    best: tuple[float, _Cand, list[tuple[float, str]]] | None = None
    for scored in _scored(bd, ctx):
        if best is None or scored[0] > best[0]:  # ties keep the earlier cut
            best = scored
    if best is None:
        return _fallback(bd.text)
    _, c, parts = best
    top = max(parts)
    rule = top[1] if top[0] > 0 else "script-change"
    title = bd.text[bd.start : c.tend].strip()
    return Split(title, bd.text[c.estart :].strip(), rule)


def _fallback(body: str) -> Split:
    """No seam at all: take a title-sized head, ending at a space if there is one."""
    text = body.strip()
    if len(text) <= FALLBACK_LEN:
        return Split(text, "", "fallback")
    cut = text.rfind(" ", 0, FALLBACK_LEN + 1)
    if cut < 4:
        cut = FALLBACK_LEN
    return Split(text[:cut].strip(), text[cut:].strip(), "fallback")


def _template_ends(bodies: Sequence[_Body]) -> list[int]:
    """Per body, the end of the longest prefix it shares with another body, if a template.

    Several titles opening alike ("Series Name之…", "Product v8.x …") continue past the
    shared part with text of the same script, so no title ends inside that prefix.
    """
    heads = [b.text[b.start : b.start + TITLE_SOFT_MAX] for b in bodies]
    order = sorted(range(len(heads)), key=heads.__getitem__)
    ends = [-1] * len(heads)
    for a, b in zip(order, order[1:]):
        x, y = heads[a], heads[b]
        n = 0
        limit = min(len(x), len(y))
        while n < limit and x[n] == y[n]:
            n += 1
        if n < 3 or n == limit:
            continue  # no real shared prefix, or one head contains the other
        # Only a prefix whose continuations share a script is a template, not a duplicate.
        if _classify(x[n]) != _classify(y[n]):
            n -= 1
        for k in (a, b):
            ends[k] = max(ends[k], bodies[k].start + n)
    return ends


def split_bodies(bodies: Sequence[str]) -> list[Split]:
    """Split every body of one listing file; the file's other lines are context."""
    analysed = [_analyse(b) for b in bodies]
    shared: Counter[str] = Counter()
    for bd in analysed:
        shared.update({c.key for c in bd.cands if c.key and c.tend <= SHARED_SUFFIX_REACH})
    template = _template_ends(analysed)
    out: list[Split] = []
    for bd, t_end in zip(analysed, template):
        if not bd.text.strip():
            out.append(Split("", "", "empty"))
        else:
            out.append(_choose(bd, _Context(t_end, shared)))
    return out


def split_body(body: str) -> Split:
    """A single body with no file context (== split_bodies([body])[0])."""
    return split_bodies([body])[0]
