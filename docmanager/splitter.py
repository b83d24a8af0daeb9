"""Split the glued TITLE+EXCERPT body of a saved listing line into title and excerpt."""

from __future__ import annotations

import bisect
import itertools
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from docmanager.fragments import cjk_fragment_cuts, latin_glued_cuts, title_shape
from docmanager.splitter_weights import LENGTH_PRIOR, WEIGHTS

__all__ = ["Split", "split_bodies", "split_body", "split_with_evidence"]


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
# A word cut by the excerpt's start is looked for this early (nearly all titles are shorter).
FRAGMENT_REACH = 40
# Word fragments (weak evidence, fitted ~0.2-0.4) are only looked for when no cut has evidence this
# strong: the fitted weights have a gap here (repeat ~1.4 below; camel-case, byline, heading, section,
# lower-glued, fragment ~1.55-1.8 above), so a refit does not move kinds across it. On the training
# part as accurate as a gate of 2.0, with the scans run for ~20% of lines instead of ~30%.
FRAGMENT_GATE = 1.5
# Past this length a candidate title pays a growing penalty: long titles are rare.
TITLE_SOFT_MAX = 60
# With no candidate at all, this much of the body becomes the title.
FALLBACK_LEN = 60

# --- Weights ------------------------------------------------------------------------------
# Every piece of evidence is a named feature with a value (1, or a count); a cut's score is the
# weighted sum. The weights are fitted on a development set by tools/fit_splitter.py (evidence
# for a cut stays positive, penalties negative: the pruning in _candidates relies on that).
_W: dict[str, float] = dict(WEIGHTS)
# A title the caller knows for this document outweighs every guess (not fitted: the
# development set has no such evidence to fit it on).
_W.setdefault("known-title", 12.0)
CROSS_CAP = 4.0  # the most excerpt-start evidence a later cut is charged for passing
LEXICON_CAP = 8
REPEAT_MIN = 3  # a partial repeat of the title must cover this many (normalised) chars
REPEAT_GAP = 16  # the most text between a title and its repeat after a running header
REPEAT_PROBES = 4  # occurrences of the title's opening that are followed up, per probe
SHARED_MIN = 4  # a start two bodies share must be this long to say where a title ends
# Feature names shown as a Split's rule where they differ.
_RULE_NAMES = {"bullet": "separator", "site-name": "site-suffix"}
# Features a Split's rule names only when no other evidence backs the cut.
_UNNAMED = frozenset({"lower-glued"})

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

_COLONS = (":", "：")
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
# one alternation of all of them scanned several times slower. "[x][x]*" and "\d\d?", not "[x]+"
# and "\d{1,2}": the engine skips ahead only when the pattern opens with a class or literal, not
# with a repeat (the same matches, scanned 1.3-1.6 times faster).
# A row of bullets or leader dots opens table-of-contents pages and slide decks.
_SEP_TAIL = rf"(?:\s*[{_SEP_MARKS}])*"
_SEP_RE = re.compile(rf"[{_SEP_MARKS}]{_SEP_TAIL}")
# Words that open a document's first page after its title, by kind (the group that matched):
# section words, chapter openings, bylines, and words that may also end a title ("Docker 简介").
# One scan of all kinds without capture groups (groups in the alternation made it seven times
# slower; a scan per kind, three times); the few matches are then told apart by kind.
_HEADING_RES = (
    (
        re.compile(
            r"目\s?录|前\s?言|摘\s?要|序\s?言|Table of Contents|Contents|CONTENTS"
            r"|Abstract|ABSTRACT|Preface|PREFACE|Q&A"
        ),
        "heading",
    ),
    (
        re.compile(
            r"第\s?[一二三四五六七八九十\d]{1,3}\s?(?:章|节|部分|篇|讲|课)|Chapter\s?\d|CHAPTER\s?\d|Part\s[IVX\d]"
        ),
        "section",
    ),
    (re.compile(r"报告人|汇报人|作\s?者|主讲|讲师|演讲人|编著|译者|指导教师"), "byline"),
    (
        re.compile(r"内容简介|简\s?介|概\s?述|引\s?言|导\s?读|版权|Introduction|INTRODUCTION|Overview|Copyright"),
        "intro",
    ),
)
_HEADING_RE = re.compile("|".join(r.pattern for r, _ in _HEADING_RES))
# Separators (_SEP_RE), dashes and section words in one scan of the head: every alternative opens
# with a literal char, so the engine still skips ahead (to any of their first chars). The three sets
# of first chars are disjoint and no match holds another kind's first char, so a match's first char
# tells its kind and the matches are those of the three scans.
_MARKS_RE = re.compile(
    "|".join([*(re.escape(c) + _SEP_TAIL for c in _SEP_MARKS), *map(re.escape, _DASHES), _HEADING_RE.pattern])
)


def _heading_kind(word: str) -> str:
    return next((kind for r, kind in _HEADING_RES if r.fullmatch(word)), "heading")


# A file name from another document site: the title ends right after its extension.
_FILE_EXT_RE = re.compile(r"\.(?:pdf|pptx?|docx?|txt|xlsx?|epub|mobi|caj|wps)", re.IGNORECASE)
# A section number opening the excerpt ("1.1 概述"), not a version ("v8.5") or a decimal.
_SECTION_NUM_RE = re.compile(r"\d\d?\.\d{1,2}(?=\s|[\u4e00-\u9fff])")
# A title's leading number ("4. ", "13 ", "2.3 ", "第3讲 "): the page may repeat the title without it.
_LEAD_NUM_RE = re.compile(
    r"\s*(?:\d{1,3}(?:\.\d{1,3})*\s*[.、．:：)）]?|第\s?[一二三四五六七八九十百\d]{1,3}\s?(?:章|节|讲|课|篇|部分))\s*"
)
_SPACE_RE = re.compile(r"\s\s*")
_NUM_RE = re.compile(r"[0-9][0-9]*(?:\.[0-9]+)*")
_ENUM_MARK_RE = re.compile(r"\s*[.、．)）]")
_ENUM_NEXT_RE = re.compile(r"(?<![\d.])(\d{1,2})\s*[.、．)）]|(?<!\d)(0\d)\s")
_EDITION_RE = re.compile(r"(?:st|nd|rd|th) [Ee]dition")
_ORDINALS = ("st", "nd", "rd", "th")  # how _EDITION_RE starts: a cheap test before the match
_DASH_RE = re.compile(rf"[{_DASH_CLASS}]")
_WORD_RE = re.compile(rf"[{_LATIN}][{_LATIN}]*")
_CJK_RUN_RE = re.compile(rf"[{_CJK}][{_CJK}]+")  # runs of one char end no shared title ending: not matched
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
# A site's name closes a title ("… – 博客园", "…_CSDN博客", "… | InfoQ") even with text glued to it.
_SITE_NAMES = (
    *("CSDN博客", "CSDN", "博客园", "cnblogs", "网易数帆", "网易云", "开源中国", "OSCHINA", "InfoQ中文站", "InfoQ"),
    *("知乎专栏", "知乎", "简书", "稀土掘金", "掘金", "SegmentFault", "思否", "腾讯云开发者社区", "腾讯云"),
    *("阿里云开发者社区", "阿里云", "华为云社区", "华为云", "51CTO博客", "51CTO", "ITeye", "豆瓣", "少数派", "V2EX"),
    *("菜鸟教程", "w3cschool", "Gitee", "码云", "GitHub", "微信公众平台", "百度文库", "道客巴巴", "豆丁网", "O'Reilly"),
)
_SITE_NAME_RE = re.compile(
    rf"(?:\s[{_DASH_CLASS}]+\s*|[_|｜])(?:{'|'.join(re.escape(n) for n in sorted(_SITE_NAMES, key=len, reverse=True))})"
)


def _length_costs(mu: float, sigma: float, most: int = WINDOW + 101) -> list[float]:
    """Negative log-likelihood of each title length under a log-normal fitted on titles, relative to
    its mode, on the short side only.

    A title cut too early is the common mistake (a glued excerpt starts where the script changes:
    "Redis| 数据类型和使用场景…"); long titles already pay "long", and English titles run longer
    in characters than the Chinese ones the prior is mostly fitted on.
    """
    return [((math.log(max(n, 1)) - mu) / sigma) ** 2 / 2 if n < math.exp(mu) else 0.0 for n in range(most)]


_LENGTH_COST = _length_costs(*LENGTH_PRIOR)

_Part = tuple[float, str]  # (value, feature name): it adds value * _W[name] to a cut's score
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


def _score(parts: Sequence[_Part]) -> float:
    w = _W
    return sum([w[n] * v for v, n in parts])


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
    classes = _CLASS_CACHE  # looked up in place: _seam runs for every cut noted
    ca = classes.get(a) or _cls(a)
    if ca != (classes.get(b) or _cls(b)):
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


_Evidence = tuple[int, int, _Part]  # (excerpt start, title end, evidence) from outside the body


def _analyse(text: str, extra: Sequence[_Evidence] = ()) -> _Body:
    """List the cuts in the head of one stripped body that carry some evidence.

    Evidence-free seams are not listed: _candidates walks them only when no listed cut
    scores above zero. That keeps the work per body to a few regex scans.
    """
    head = text[: WINDOW + 100]
    limit = min(len(head), WINDOW)
    size = len(head)
    cands: dict[int, tuple[int, tuple[_Part, ...]]] = {}
    starts: dict[int, list[_Part]] = {}

    def note(p: int, part: _Part, anywhere: bool = False) -> None:
        tend = _seam(head, p, anywhere)
        if tend >= 0:
            cands.setdefault(p, (tend, ()))
            starts.setdefault(p, []).append(part)

    def add(p: int, tend: int, part: _Part) -> None:
        """Evidence of where the title ends (not of how the excerpt opens) for the cut at p."""
        old = cands.get(p)
        cands[p] = (tend, (part,)) if old is None else (old[0], (*old[1], part))

    def seam_after(end: int) -> None:
        p = _skip_space(head, end)
        if p < len(head) and (tend := _seam(head, p)) >= 0:
            cands.setdefault(p, (tend, ()))

    seps: list[re.Match[str]] = []
    headings: list[re.Match[str]] = []
    dashes: list[int] = []  # dash-like chars in the head (site names follow them)
    reach = min(limit, TITLE_REACH)
    for m in _MARKS_RE.finditer(head, 1, limit):  # one scan instead of three, each kind to its loop
        first = head[m.start()]
        if first in _SEP_MARKS:
            seps.append(m)
        elif first in _DASHES:
            if m.start() < reach:
                dashes.append(m.start())
        else:
            headings.append(m)

    for m in seps:
        p, e = m.span()
        if e - p >= 2 or head[p] == "…":
            note(p, (1.0, "separator"))
        elif head[p] in _BULLETS:
            note(p, (1.0, "bullet"))
    p = head.find("...", 1, limit)
    if p > 0:
        note(p, (1.0, "separator"))
    for m in headings:
        # A section word is a boundary of its own, even inside a run of CJK.
        note(m.start(), (1.0, _heading_kind(m.group())), anywhere=True)
    dotted = "." in head[:limit]  # file extensions and section numbers both hold one
    for m in _FILE_EXT_RE.finditer(head, 2, min(limit, TITLE_REACH)) if dotted else ():
        e = m.end()
        if e < len(head):
            add(_skip_space(head, e), e, (1.0, "file-ext"))
    if dotted:
        for m in _SECTION_NUM_RE.finditer(head, 2, limit):
            p = m.start()
            if not (head[p - 1].isdigit() or head[p - 1] in ".vV" or (head[p - 1].isalpha() and head[p - 1].isascii())):
                note(p, (1.0, "section-number"))
    _repeats(head, limit, note, add, starts)
    for m in _NUM_RE.finditer(head, 0, limit):
        if m.end() - m.start() <= 2 and _is_enumeration(head, m):
            note(m.start(), (1.0, "enumeration"))
        if m.end() <= TITLE_REACH:
            after = _version_end(head, m)
            if after >= 0:
                seam_after(after)  # a version or year may end the title
                if head[after - 1] == "版" and after < len(head):
                    cands.setdefault(_skip_space(head, after), (after, ()))  # "第3版包含": no seam
                if head[after : after + 1] in (")", "）"):
                    seam_after(after + 1)  # "（第2版）"

    for d in dashes:
        if head[d - 1].isspace() or (_cls(head[d - 1]) == _C_CJK and _cls(head[d + 1 : d + 2] or " ") == _C_CJK):
            _seams_after_name(head, d + 1, cands)  # a site or author name may end the title
    if dashes:
        for m in _SITE_NAME_RE.finditer(head, 1, TITLE_REACH + 16):
            e = m.end()
            if e < size:
                add(_skip_space(head, e), e, (1.0, "site-name"))

    dup_at = _NEVER
    seen: set[str] = set()
    lower: str | None = None
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
            if follow in ":：" or (follow == " " and head.startswith(_COLONS, e + 1)):
                note(s, (1.0, "label"))
            glued_cjk = (classes.get(follow) or _cls(follow)) == _C_CJK
        if length <= 3 and glued_cjk and word.islower():
            note(s, (1.0, "fragment"))
        if s > 0 and "a" <= word[0] <= "z" and (classes.get(head[s - 1]) or _cls(head[s - 1])) == _C_CJK:
            # "…网络隔离--name": Chinese titles space or capitalise terms. note(s, …) without the
            # _seam call: a letter after a CJK char is always a seam, ending the title at s.
            cands.setdefault(s, (s, ()))
            starts.setdefault(s, []).append((1.0, "lower-glued"))
        if length >= 3:
            lw = word.lower()
            if lw in seen:
                note(s, (1.0, "repeat"))
                dup_at = min(dup_at, e)
            else:
                seen.add(lw)
            if length >= 5 and s > 0:
                if glued_cjk:
                    lower = lower or text.lower()
                    for cut, base in _word_split_cuts(lower, s, e):
                        cands.setdefault(cut, (cut, base))
                if length >= 7 and not word[1:].islower():  # no capital after the first letter: no camel seam
                    for cm in _CAMEL_RE.finditer(head, s + 3, e):
                        lower = lower or text.lower()
                        cands.setdefault(cm.start(), (cm.start(), _camel_evidence(lower, word)))

    keys: dict[int, tuple[int, str]] = {}
    for m in _CJK_RUN_RE.finditer(head, 1, min(limit, TITLE_SOFT_MAX)):
        e = m.end()
        p = e
        while p < size and head[p].isspace():
            p += 1
        if p < size and (classes.get(head[p]) or _cls(head[p])) != _C_CJK:
            keys[p] = (e, m.group())

    if len(text) <= TITLE_SOFT_MAX:
        # A title-sized body may be a bare title; "no excerpt" competes like any other cut.
        cands[len(text)] = (len(text), ((1.0, "whole"),))
    for p, tend, part in extra:
        add(p, tend, part)
    if not _strong_evidence(cands, starts):  # weak evidence: word fragments could decide
        for p in cjk_fragment_cuts(text, 1, min(limit, FRAGMENT_REACH)):
            note(p, (1.0, "cjk-fragment"), anywhere=True)  # the excerpt opens with the tail of a word
        for p in latin_glued_cuts(head, min(limit, TITLE_SOFT_MAX)):
            note(p, (1.0, "latin-glued"), anywhere=True)  # a title word glued to the excerpt's letters
    return _Body(text, cands, starts, keys, dup_at, dashes)


def _strong_evidence(cands: dict[int, tuple[int, tuple[_Part, ...]]], starts: dict[int, list[_Part]]) -> bool:
    """Whether some cut has evidence that weak word-fragment evidence could not outweigh."""
    w = _W
    for parts in starts.values():
        for v, n in parts:
            if w[n] * v >= FRAGMENT_GATE:
                return True
    for _, base in cands.values():
        for v, n in base:
            if w[n] * v >= FRAGMENT_GATE:
                return True
    return False


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
    edition = _EDITION_RE.match(head, e) if head.startswith(_ORDINALS, e) else None
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
    return ((1.0 if unseen else 0.0, "camel-case"), (1.0, "camel-split"))


def _word_split_cuts(lower: str, s: int, e: int) -> list[tuple[int, tuple[_Part, ...]]]:
    """Cuts inside a Latin run glued to CJK ("…clonete技术"), backed by the body's words.

    The excerpt starts mid-text, so it can open with the 1-3 letter tail of a word. With
    no dictionary, the body's own text is the vocabulary: a title word that ends exactly
    at the cut and also starts a word elsewhere in the body is evidence for the cut.
    """
    run = lower[s:e]
    if not run.isascii():
        return []
    # All letters (lower() kept the positions): no occurrence starting inside the run can count.
    end = e if run.isalpha() else -1
    # Every word tried from run[j] opens with run[j : j + 3]: where those three letters start no
    # word elsewhere, no longer one does (asked once per j, not once per size and tail). The whole
    # run is such a word too.
    opens = {0: _word_starts_elsewhere(lower, run[:3], s, end)}
    if opens[0] and _word_starts_elsewhere(lower, run, s, end):
        return []  # the whole run is a known word: do not cut it
    out: list[tuple[int, tuple[_Part, ...]]] = []
    for tail in (1, 2, 3):
        cut = e - tail
        if cut - s < 2 or not run[cut - s :].islower():
            continue
        head = run[: cut - s]
        for size in range(min(len(head), LEXICON_CAP), 2, -1):
            j = len(head) - size
            if (ok := opens.get(j)) is None:
                ok = opens[j] = _word_starts_elsewhere(lower, run[j : j + 3], s, end)
            if ok and (size == 3 or _word_starts_elsewhere(lower, head[-size:], s, end)):
                base = (
                    (float(size), "word-split"),
                    (1.0, "split-word"),
                    (1.0, "fragment"),
                )
                out.append((cut, base))
                break
    return out


def _word_starts_elsewhere(lower: str, word: str, run_start: int, run_end: int = -1) -> bool:
    """Whether `word` opens a Latin word somewhere in the body other than at run_start.

    With `run_end` (lower[run_start:run_end] is all letters), an occurrence starting inside the run
    follows a letter and never counts: only the text before and after the run is searched.
    """
    if run_end < 0:
        i = lower.find(word)
        while i != -1:
            if i != run_start and (i == 0 or not lower[i - 1].isalpha()):
                return True
            i = lower.find(word, i + 1)
        return False
    stop = run_start + len(word) - 1  # occurrences starting before run_start
    i = lower.find(word, 0, stop)
    while i != -1:
        if i == 0 or not lower[i - 1].isalpha():
            return True
        i = lower.find(word, i + 1, stop)
    i = lower.find(word, run_end)
    while i != -1:
        if not lower[i - 1].isalpha():
            return True
        i = lower.find(word, i + 1)
    return False


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
        out.append((1.0, "bad-end"))
    elif last in _PARTICLES:
        out.append((1.0, "particle-end"))
    # Both forms of a site suffix hold a dash: the plain scan for one skips the costly search.
    tail = max(0, len(title) - 32)
    if _DASH_RE.search(title, tail) and _SITE_RE.search(title, tail):
        out.append((1.0, "site-suffix"))
    if last in ")）" and len(title) > 1:
        title, last = title[:-1], title[-2]
    if (last.isdigit() or last in "版n") and _VERSION_RE.search(title, max(0, len(title) - 24)):
        out.append((1.0, "version-suffix"))
    if last.isdigit() and last.isascii():
        # A number glued to Chinese text ends no title ("…开发指南7.8.9"): a version follows a space
        # or a Latin name ("指南 v2", "Vue3"); glued there, it is the excerpt's section or list number.
        q = len(title) - 1
        while q > 0 and (title[q].isdigit() or title[q] == "."):
            q -= 1
        if _cls(title[q]) == _C_CJK:
            out.append((1.0, "cjk-number"))
    return out


def _length(n: int) -> _Part | None:
    if n < 2:
        return (1.0, "tiny")
    if n < 4:
        return (1.0, "short")
    if n > TITLE_SOFT_MAX:
        return (float(n - TITLE_SOFT_MAX), "long")
    return None


def _length_scores() -> list[float]:
    """What a title of each length scores from its length alone (_length and the length prior):
    known before a cut is scored, so it tightens the bounds that spare full scoring."""
    out = []
    for n, cost in enumerate(_LENGTH_COST):
        part = _length(n)
        out.append((_W[part[1]] * part[0] if part else 0.0) + (_W["length-prior"] * cost if cost > 0 else 0.0))
    return out


# Recomputed whenever the weights or the length prior change (fitting).
_LENGTH_SCORE = _length_scores()
# Bounds add up parts in another order than _score: this much rounding is never a difference.
_EPS = 1e-9


def _shared_bonus(bd: _Body, ctx: _Context, tend: int, estart: int) -> float:
    key = bd.keys.get(estart)
    # A run shared inside a template prefix says where titles *start*, not where they end.
    if key is None or key[0] != tend or tend <= ctx.template_end:
        return 0.0
    return float(max(0, min(ctx.shared.get(key[1], 0) - 1, 2)))


def _evaluate(
    bd: _Body, ctx: _Context, tend: int, estart: int, *, base: tuple[_Part, ...], crossed: float
) -> tuple[float, list[_Part]]:
    """Score one cut; the parts say which features made the score."""
    text = bd.text
    title = text[:tend]
    n = len(title)
    starts = bd.starts.get(estart, ())
    parts = [*base, *starts, *_title_end(title)]
    if title[0].isdigit():
        parts += title_shape(title)
    if (length := _length(n)) is not None:
        parts.append(length)
    if (cost := _LENGTH_COST[min(n, len(_LENGTH_COST) - 1)]) > 0:
        parts.append((cost, "length-prior"))
    if crossed:
        parts.append((crossed, "crossed"))
    if _OPENER_RE.search(title) and _unbalanced(title):
        parts.append((1.0, "unbalanced"))
    if tend >= bd.dup_at:
        parts.append((1.0, "title-repeat"))
    # A question or exclamation mark may end a title ("如何…？"); inside one, it is prose.
    # (Searched up to an end position: the same as searching title[:-1], without the slice.)
    end = n - 1 if title[-1] in "？！?!" else n
    if _SENTENCE_MARK_RE.search(title, 0, end) and _SENTENCE_RE.search(title, 0, end):
        parts.append((1.0, "sentence"))
    first = text[estart] if estart < len(text) else ""
    if first in _BAD_START and not starts:
        parts.append((1.0, "bad-start"))
    if tend <= ctx.template_end:
        parts.append((1.0, "template"))
    if tend == estart and first:
        before, after = _cls(title[-1]), _cls(first)
        if before == _C_LATIN and after == _C_DIGIT:
            parts.append((1.0, "letter-digit"))
        elif before == _C_DIGIT and first in _UNITS:
            parts.append((1.0, "number-unit"))
        elif title[-1] == "." and first.isascii() and first.isalnum():
            parts.append((1.0, "dot-glued"))  # "impress.|js", "特性.|0.0/24": the dot is inside a token
    if estart in bd.keys and (shared := _shared_bonus(bd, ctx, tend, estart)):
        parts.append((shared, "shared-suffix"))
    return _score(parts), parts


_CLOSER_OF = dict(zip(_OPENERS, _CLOSERS, strict=True))


def _unbalanced(title: str) -> bool:
    """Whether some bracket opens more often than it closes (only the opening ones present are counted)."""
    return any(title.count(o) > title.count(_CLOSER_OF[o]) for o in set(_OPENER_RE.findall(title)))


_Scored = tuple[float, int, int, int, list[_Part]]  # score, -estart, tend, estart, parts


def _no_crossing(p: int) -> float:
    return 0.0  # what crossed_before charges with no excerpt-start evidence: min(0.0, CROSS_CAP)


def _crossing(bd: _Body) -> tuple[dict[int, float], Callable[[int], float]]:
    """Excerpt-start evidence per cut, and what a cut at p is charged for passing earlier ones.

    A later cut passes the excerpt-start evidence of every earlier one: the first strong
    signal wins unless a later cut has more evidence of its own.
    """
    if not bd.starts:
        return {}, _no_crossing
    weight = {p: _score(parts) for p, parts in bd.starts.items()}
    passed = sorted((p, w) for p, w in weight.items() if bd.cands[p][0] >= 2)

    def crossed_before(p: int) -> float:
        crossed = 0.0
        for q, w in passed:
            if q >= p:
                break
            crossed += w
        return min(crossed, CROSS_CAP)

    return weight, crossed_before


def _all_cuts(bd: _Body, ctx: _Context) -> list[_Scored]:
    """Every cut the splitter could choose, each scored in full (for fitting and checks; slow)."""
    text = bd.text
    _, crossed_before = _crossing(bd)
    seen: set[int] = set()
    out: list[_Scored] = []
    for p, (tend, key) in bd.keys.items():
        if ctx.shared.get(key, 0) > 1 and p not in bd.cands:
            bd.cands[p] = (tend, ())
    for p, (tend, base) in bd.cands.items():
        seen.add(p)
        score, parts = _evaluate(bd, ctx, tend, p, base=base, crossed=crossed_before(p))
        out.append((score, -p, tend, p, parts))
    for m in _RUN_RE.finditer(text, 1, min(len(text), WINDOW)):
        p = m.start()
        if m.lastindex != _C_SPACE and p not in seen and (tend := _seam(text, p)) >= 0:
            score, parts = _evaluate(bd, ctx, tend, p, base=(), crossed=crossed_before(p))
            out.append((score, -p, tend, p, parts))
    return out


def _suffix_bound(text: str, tend: int, dashes: Sequence[int], w_site: float, w_version: float) -> float:
    """The most a title ending at ``tend`` can gain from its end: a site suffix after a dash within 32
    characters, a version or year (also inside closing brackets)."""
    bound = 0.0
    for d in dashes:
        if tend - 32 <= d < tend:
            bound += w_site
            break
    last = text[tend - 1]
    if last in ")）" and tend > 1:
        last = text[tend - 2]
    if last.isdigit() or last in "版n":
        bound += w_version
    return bound


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
    weight, crossed_before = _crossing(bd)
    passed = bool(weight)

    bounded: list[tuple[float, int, int, tuple[_Part, ...], float]] = []
    w_cross, w_site, w_version, w_shared = _W["crossed"], _W["site-suffix"], _W["version-suffix"], _W["shared-suffix"]
    dashes, keys = bd.dashes, bd.keys
    length_score, most = _LENGTH_SCORE, len(_LENGTH_SCORE) - 1
    for p, (tend, base) in cands.items():
        crossed = crossed_before(p) if passed else 0.0
        ub = weight.get(p, 0.0) + w_cross * crossed
        if base:
            ub += sum([w for v, n in base if (w := _W[n] * v) > 0])
        ub += _suffix_bound(text, tend, dashes, w_site, w_version)
        if p in keys:
            ub += w_shared * _shared_bonus(bd, ctx, tend, p)
        ub += length_score[min(tend, most)]
        bounded.append((ub, -p, tend, base, crossed))
    bounded.sort(reverse=True)
    out: list[_Scored] = []
    best = (float("-inf"), 0)
    for ub, neg_p, tend, base, crossed in bounded:
        if (ub + _EPS, neg_p) <= best:
            break
        score, parts = _evaluate(bd, ctx, tend, -neg_p, base=base, crossed=crossed)
        out.append((score, neg_p, tend, -neg_p, parts))
        best = max(best, (score, neg_p))
    if best[0] > 0:
        return out
    # Evidence-free seams score at most 0, so the first one that reaches 0 beats all later.
    # A seam is scored in full only if its bound (length, crossing, a site or version suffix:
    # penalties aside, all it can score) could beat the best so far; one that cannot scores
    # below 0 too, so it would not have ended the walk either.
    top = best[0] - _EPS
    prev = False
    for m in _RUN_RE.finditer(text, 0, min(len(text), WINDOW)):
        if m.lastindex == _C_SPACE:
            continue
        p = m.start()
        if prev and p not in cands and (tend := _seam(text, p)) >= 0:
            crossed = crossed_before(p)
            ub = w_cross * crossed + length_score[min(tend, most)]
            if ub < top:
                ub += _suffix_bound(text, tend, dashes, w_site, w_version)
            if ub >= top:
                score, parts = _evaluate(bd, ctx, tend, p, base=(), crossed=crossed)
                out.append((score, -p, tend, p, parts))
                if score >= 0:
                    break
                top = max(top, score - _EPS)
        prev = True
    return out


def _choose(bd: _Body, ctx: _Context) -> Split:
    scored = _candidates(bd, ctx)
    if not scored:
        return _fallback(bd.text)
    _, _, tend, estart, parts = max(scored)  # ties: the earlier cut
    w = _W
    # "lower-glued" comes with the more telling fragment or repeat of the same cut: name those.
    weighted = [(w[n] * v, n) for v, n in parts]
    named = [(x, n) for x, n in weighted if x > 0 and n not in _UNNAMED] or weighted
    top = max(named) if named else (0.0, "")
    rule = _RULE_NAMES.get(top[1], top[1]) if top[0] > 0 else "script-change"
    return Split(bd.text[:tend].rstrip(), bd.text[estart:].lstrip(), rule)


def _fallback(text: str) -> Split:
    """No seam at all: take a title-sized head, ending at a space if there is one."""
    if len(text) <= FALLBACK_LEN:
        return Split(text, "", "fallback")
    cut = text.rfind(" ", 0, FALLBACK_LEN + 1)
    if cut < 4:
        cut = FALLBACK_LEN
    return Split(text[:cut].rstrip(), text[cut:].lstrip(), "fallback")


def _shared_prefixes(texts: Sequence[str]) -> tuple[list[int], list[list[_Evidence]]]:
    """Per body, the end of a template prefix it shares with others, and cuts where a start it
    shares with another body ends.

    Several titles opening alike ("Series Name之…", "Product v8.x …") go on past the
    shared part with text of the same script, so no title ends inside that prefix: that is a
    template. Two bodies that share a long start and then differ are most often the same
    document listed twice with other excerpts: the shared start is the title. Which of the two
    a shared prefix is, the weights decide ("template", "shared-start", "shared-start-many").
    """
    heads = [t[:TITLE_SOFT_MAX] for t in texts]
    order = sorted(range(len(heads)), key=heads.__getitem__)
    ordered = [heads[i] for i in order]
    ends = [-1] * len(heads)
    starts: list[list[_Evidence]] = [[] for _ in heads]
    for k, (a, b) in enumerate(itertools.pairwise(order)):
        x, y = heads[a], heads[b]
        if len(x) < 3 or len(y) < 3 or x[:3] != y[:3]:
            continue
        # Binary search on slice equality: C-speed compares instead of a per-char loop (the first
        # three chars are known equal).
        n = 3 + _common(x, 3, y, 3, TITLE_SOFT_MAX - 3)
        if n == min(len(x), len(y)):
            continue  # one head contains the other: the same line, or a bare title
        shared = n
        # Continuations of another script mean the shared part may be a whole title.
        if (_CLASS_CACHE.get(x[n]) or _cls(x[n])) != (_CLASS_CACHE.get(y[n]) or _cls(y[n])):
            n -= 1
        ends[a] = max(ends[a], n)
        ends[b] = max(ends[b], n)
        tend = len(x[:shared].rstrip())
        if tend >= SHARED_MIN:
            prefix = x[:shared]
            # More than two heads in [prefix, prefix + U+10FFFF]: one run of the sorted heads, holding
            # x (at k); counted outward from x and y, not by two binary searches.
            top = prefix + "\U0010ffff"
            count = 2 if y <= top else 1
            i = k - 1
            while count <= 2 and i >= 0 and prefix <= ordered[i] <= top:
                count += 1
                i -= 1
            i = k + 2
            while count <= 2 and i < len(ordered) and prefix <= ordered[i] <= top:
                count += 1
                i += 1
            many = count > 2
            part = (1.0, "shared-start-many" if many else "shared-start")
            for i in (a, b):
                starts[i].append((_skip_space(texts[i], shared), tend, part))
    return ends, starts


def _known_evidence(text: str, known: Sequence[str]) -> list[_Evidence]:
    """Cuts backed by titles or bodies the caller knows to be of the same document.

    A known string the body starts with (after NFKC, case and whitespace folding) is the title;
    a known body that shares a start with this one and then differs says the title ends there.
    """
    out: list[_Evidence] = []
    head = text[: WINDOW + 100]
    norm, known_idx, plain = _normal(head)
    pos = _Positions(head, known_idx, plain)
    for k in known:
        other, _, _ = _normal(k.strip()[: WINDOW + 100])
        run = _common(norm, 0, other, 0, len(other))
        if run < 2 or run >= len(norm):
            continue
        end = pos.at(run - 1) + 1
        if run == len(other):
            out.append((_skip_space(text, end), end, (1.0, "known-title")))
        elif run >= SHARED_MIN:
            out.append((_skip_space(text, end), end, (1.0, "shared-start")))
    return out


def _prepare(bodies: Sequence[str], known: Mapping[int, Sequence[str]] | None) -> tuple[list[_Body], list[_Context]]:
    """Analyse the bodies of one file, each with what the others (and `known`) say about it."""
    texts = [b.strip() for b in bodies]
    template, starts = _shared_prefixes(texts)
    if known:
        for i, strings in known.items():
            if texts[i]:
                starts[i] = [*starts[i], *_known_evidence(texts[i], strings)]
    analysed = [_analyse(t, extra) for t, extra in zip(texts, starts, strict=True)]
    # A shared *ending* follows different text on each line; an excerpt phrase that many
    # lines share (boilerplate) usually comes with its context, so count distinct contexts.
    lines: Counter[str] = Counter()
    contexts: dict[str, set[str]] = {}
    for bd in analysed:
        if not bd.keys:
            continue
        text = bd.text
        here: dict[str, str] = {}
        for tend, key in bd.keys.values():
            if key not in here:  # the first context of a key counts
                begin = tend - len(key)
                here[key] = text[max(0, begin - 3) : begin]
        # Counted in place: Counter.update is a Python-level call per line.
        for key, context in here.items():
            lines[key] = lines.get(key, 0) + 1
            if (seen := contexts.get(key)) is None:
                contexts[key] = {context}
            else:
                seen.add(context)
    shared = Counter({key: n for key, n in lines.items() if n > 1 and len(contexts[key]) > 1})
    return analysed, [_Context(t_end, shared) for t_end in template]


def split_bodies(bodies: Sequence[str], known: Mapping[int, Sequence[str]] | None = None) -> list[Split]:
    """Split every body of one listing file; the file's other lines are context.

    `known` maps a body's index to strings known to belong to the same document: its title
    (from the library, or from another listing of it) or another body of it (the same document
    found by another search, with another excerpt). A known title the body starts with decides
    the cut; a known body says the title ends where the two bodies part. Within the file, two
    bodies that share a start and then differ are used the same way without being told.
    """
    analysed, contexts = _prepare(bodies, known)
    out: list[Split] = []
    for bd, ctx in zip(analysed, contexts, strict=True):
        if not bd.text:
            out.append(Split("", "", "empty"))
        else:
            out.append(_choose(bd, ctx))
    return out


def split_body(body: str) -> Split:
    """A single body with no file context (== split_bodies([body])[0])."""
    return split_bodies([body])[0]


def split_with_evidence(body: str, known: Sequence[str], context: Sequence[str] = ()) -> Split:
    """One body split with strings known to belong to the same document (titles or bodies).

    The importer's use: when a listed document is already in the library (same identity), or
    the same document occurs elsewhere in the file, pass its stored title or the other body as
    `known`; `context` are other bodies of the same listing file (as for split_bodies).
    == split_bodies([body, *context], known={0: known})[0].
    """
    return split_bodies([body, *context], known={0: known})[0]


def _fit_rows(
    bodies: Sequence[str], known: Mapping[int, Sequence[str]] | None = None
) -> list[list[tuple[str, list[_Part]]]]:
    """Per body of one file, every cut's title and its evidence (for tools/fit_splitter.py)."""
    analysed, contexts = _prepare(bodies, known)
    rows: list[list[tuple[str, list[_Part]]]] = []
    for bd, ctx in zip(analysed, contexts, strict=True):
        cuts = _all_cuts(bd, ctx) if bd.text else []
        rows.append([(bd.text[:tend].rstrip(), parts) for _, _, tend, _, parts in cuts])
    return rows


def _set_weights(weights: Mapping[str, float]) -> None:
    """Replace the weights in use (for fitting; the module loads the committed ones)."""
    _W.update(weights)
    _LENGTH_SCORE[:] = _length_scores()


def _set_length_prior(mu: float, sigma: float) -> None:
    """Replace the length prior (for fitting; the module loads the committed one)."""
    _LENGTH_COST[:] = _length_costs(mu, sigma)
    _LENGTH_SCORE[:] = _length_scores()
