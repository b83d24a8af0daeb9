"""Per-body analysis for the splitter: the candidate cuts in a body's head and the evidence for each
(separators, headings, numbers, versions, site names, Latin words, repeats, word fragments)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from docmanager.splitter.fragments import (
    _LATIN_RUN_RE,
    cjk_fragment_cuts,
    cjk_opener_cuts,
    doubled_cuts,
    latin_doubled,
    latin_glued_cuts,
    latin_tail_cuts,
    latin_word_cuts,
    title_noun_cuts,
)
from docmanager.splitter.model import _W, _Part
from docmanager.splitter.patterns import (
    _BRACKET_NOTE_RE,
    _BULLETS,
    _C_CJK,
    _C_SPACE,
    _CAMEL_RE,
    _CJK_RUN_RE,
    _CLASS_CACHE,
    _CODE_RE,
    _COLONS,
    _COMPOUND_SURNAMES,
    _DASHES,
    _EDITION_RE,
    _ENUM_MARK_RE,
    _ENUM_NEXT_RE,
    _FILE_EXT_RE,
    _MARKS_RE,
    _NEVER,
    _NUM_RE,
    _ONE_CHAR_ROLES,
    _ORDINAL_NOTE_RE,
    _ORDINALS,
    _RUN_RE,
    _SECTION_NUM_RE,
    _SEP_MARKS,
    _SITE_NAME_RE,
    _SURNAMES,
    _WORD_RE,
    FRAGMENT_GATE,
    FRAGMENT_REACH,
    LEXICON_CAP,
    TITLE_REACH,
    TITLE_SOFT_MAX,
    WINDOW,
    _cls,
    _heading_kind,
    _seam,
    _skip_space,
)
from docmanager.splitter.repeats import _repeats


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
    code_at: int  # a title reaching this index holds shell or code syntax


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
    # Separators and section words say where a title ends, so, like site names and versions, they are
    # looked for only as far as TITLE_REACH (the scan costs in proportion to its length).
    for m in _MARKS_RE.finditer(head, 1, reach):  # one scan instead of three, each kind to its loop
        first = head[m.start()]
        if first in _SEP_MARKS:
            seps.append(m)
        elif first in _DASHES:
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
    if p > 0 and not (head[p - 1].isalnum() and head[p + 3 : p + 4].isalnum()) and head[p - 1] not in "/\\":
        note(p, (1.0, "separator"))  # leader dots; not dots inside a token ("for...of") or path ("./...")
    for m in headings:
        # A section word is a boundary of its own, even inside a run of CJK.
        s = m.start()
        if head[s] == "、":  # the mark of a Chinese enumeration: it opens at the numeral
            note(s - 1, (1.0, "section"), anywhere=True)
            continue
        word = m.group()
        kind = _heading_kind(word)
        if kind == "byline" and head[s - 1] == " " and (p := _name_start(head, s - 1)) > 0:
            note(p, (1.0, "byline"), anywhere=True)  # "张三 著": the name opens the excerpt
        if word not in _ONE_CHAR_ROLES:
            note(s, (1.0, kind), anywhere=True)
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
                if head[after - 1] in "版n" and after < len(head):
                    # "第3版包含", "2nd Editiony…": a whole edition word, glued text after it, no seam
                    cands.setdefault(_skip_space(head, after), (after, ()))
                if head[after : after + 1] in (")", "）"):
                    seam_after(after + 1)  # "（第2版）"

    # Edition notes and serial numbers ("（修订版）", "第二版", "第 12 期") end a title even with the
    # excerpt's Chinese glued on: listed as cuts. Found from their "第" or "版" (str.find: most heads
    # have neither, and a scan for the bracket that opens a note stopped at every "(" of code).
    i = head.find("第", 1, TITLE_REACH)
    while i >= 0:
        note_m = _ORDINAL_NOTE_RE.match(head, i)
        if note_m is not None and (e := note_m.end()) < size:
            cands.setdefault(_skip_space(head, e), (e, ()))  # "第二版" + glued text: no seam
        i = head.find("第", i + 1, TITLE_REACH)
    i = head.find("版", 2, TITLE_REACH)
    while i >= 0:
        if head[i + 1 : i + 2] in (")", "）") and _BRACKET_NOTE_RE.search(head, max(0, i - 9), i + 2) and i + 2 < size:
            cands.setdefault(_skip_space(head, i + 2), (i + 2, ()))  # "（2023年版）" + glued text
        i = head.find("版", i + 1, TITLE_REACH)
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
        # A short lower-case word glued to Chinese is the tail of a cut word ("ueue 的"), unless a hyphen
        # or underscore ties it to the word before ("animal-island-ui", "theme_bmw"): a name's part.
        if (
            length <= 3
            and glued_cjk
            and word.islower()
            and not (s > 1 and head[s - 1] in "-_" and head[s - 2].isalnum())
        ):
            note(s, (1.0, "fragment"))
        if s > 0 and "a" <= word[0] <= "z" and (classes.get(head[s - 1]) or _cls(head[s - 1])) == _C_CJK:
            # "…网络隔离--name": Chinese titles space or capitalise terms. note(s, …) without the
            # _seam call: a letter after a CJK char is always a seam, ending the title at s.
            cands.setdefault(s, (s, ()))
            starts.setdefault(s, []).append((1.0, "lower-glued"))
        elif (
            not glued_cjk
            and s > 0
            and "A" <= word[0] <= "Z"
            and (classes.get(head[s - 1]) or _cls(head[s - 1])) == _C_CJK
        ):
            # "…指南Hystrix 的设计": a capitalised term glued to the Chinese before it but not to the Chinese
            # after it opens the excerpt; glued on both sides ("深入理解Linux内核") it is a title's term.
            cands.setdefault(s, (s, ()))
            starts.setdefault(s, []).append((1.0, "upper-glued"))
        if length >= 6 and s < FRAGMENT_REACH and (half := latin_doubled(word)):
            note(s + half, (1.0, "doubled"), anywhere=True)  # "Drone Demo" + "Demo 21.4.1"
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
    # Where the excerpt opens inside a word (the tail of a word, a bound char, the title's last word
    # again) is looked for in every body: strong evidence further on does not rule such a cut out,
    # as it may stand inside the excerpt ("本章小结" + "句话说明 PID 进程 … 1. …"). Not past strong
    # evidence that an excerpt opens (the title repeated, a separator): it has begun by then.
    # A head noun ends the title only before the first cut with other evidence (a section number,
    # a separator).
    noun_stop = min(limit, FRAGMENT_REACH, min(starts, default=limit) + 1)
    strong_start = _first_strong_start(starts)
    weak = strong_start == _NEVER and not _strong_title_end(cands)
    fragment_stop = min(limit, FRAGMENT_REACH, strong_start + 1)
    for p in cjk_fragment_cuts(text, 1, fragment_stop):
        note(p, (1.0, "cjk-fragment"), anywhere=True)  # the excerpt opens with the tail of a word
    for p in cjk_opener_cuts(head, 1, fragment_stop):
        note(p, (1.0, "cjk-opener"), anywhere=True)  # the excerpt opens with a char bound to the one before
    for p in doubled_cuts(head, fragment_stop):
        note(p, (1.0, "doubled"), anywhere=True)  # the excerpt opens with what the title ends with
    # The three Latin scans look only at runs of 5+ letters: one scan says whether there is any, and
    # where the first starts.
    latin_stop = min(limit, TITLE_SOFT_MAX)
    run = _LATIN_RUN_RE.search(head, 0, latin_stop)
    # A Latin run past the first cut that opens an excerpt is the excerpt's ("…内置的 dockershim").
    word_stop = min(latin_stop, min(starts, default=limit))
    if run is not None and run.start() + 5 <= word_stop:  # a run of 5+ letters before word_stop
        for p in latin_word_cuts(head, word_stop):
            note(p, (1.0, "latin-word"), anywhere=True)  # a title word glued to the excerpt's letters
    if weak:  # beside strong evidence, head-noun cuts cost accuracy on the dev set, and the Latin scans gain none
        if run is not None:
            for p in latin_glued_cuts(head, latin_stop):
                note(p, (1.0, "latin-glued"), anywhere=True)  # a title word glued to the excerpt's letters
            for p in latin_tail_cuts(head, latin_stop):
                note(p, (1.0, "latin-tail"), anywhere=True)  # the excerpt's first word glued to the title
        for p in title_noun_cuts(head, 2, noun_stop):
            note(p, (1.0, "title-noun"), anywhere=True)  # the title ends on a head noun, the excerpt glued on
    # One scan per body, not one per cut scored: a title holds code syntax iff it reaches the first.
    code = _CODE_RE.search(head, 0, limit)
    return _Body(text, cands, starts, keys, dup_at, dashes, code.end() if code is not None else _NEVER)


def _first_strong_start(starts: dict[int, list[_Part]]) -> int:
    """The first cut with evidence that an excerpt opens there that word fragments could not outweigh,
    or _NEVER. (Loops, not generators: this runs for every body.)"""
    w = _W
    first = _NEVER
    for p, parts in starts.items():
        if p < first:
            for v, n in parts:
                if w[n] * v >= FRAGMENT_GATE:
                    first = p
                    break
    return first


def _strong_title_end(cands: dict[int, tuple[int, tuple[_Part, ...]]]) -> bool:
    """Whether some cut has evidence of where the title ends that word fragments could not outweigh."""
    w = _W
    for _, base in cands.values():
        for v, n in base:
            if w[n] * v >= FRAGMENT_GATE:
                return True
    return False


def _name_start(head: str, end: int) -> int:
    """Where a Chinese personal name ending at `end` starts (a compound or common surname, then one
    or two chars), or -1."""
    for size in (4, 3):
        if end > size and head[end - size : end - size + 2] in _COMPOUND_SURNAMES:
            return end - size
    for size in (3, 2):
        k = end - size
        if k > 0 and head[k] in _SURNAMES and all("\u4e00" <= c <= "\u9fff" for c in head[k:end]):
            return k
    return -1


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
    # "v2", "V1.0", and a release number after a space ("2012 R2"); one test for most numbers.
    if "." in digits or (s > 0 and head[s - 1] in "vVrR" and (head[s - 1] in "vV" or head[s - 2 : s - 1] == " ")):
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
