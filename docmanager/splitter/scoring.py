"""Scoring and choosing the cut: each cut's features weighed (with what the title before it looks
like), the cuts pruned by their bounds, the best one made a Split."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

from docmanager.splitter.analysis import _Body
from docmanager.splitter.context import _Context
from docmanager.splitter.fragments import title_shape
from docmanager.splitter.model import _EPS, _LENGTH_COST, _LENGTH_SCORE, _W, Split, _Part, _score
from docmanager.splitter.patterns import (
    _BAD_END,
    _BAD_START,
    _C_CJK,
    _C_DIGIT,
    _C_LATIN,
    _C_SPACE,
    _CLOSERS,
    _DASH_RE,
    _OPENERS,
    _OPTION_RE,
    _PARTICLES,
    _RUN_RE,
    _SENTENCE_MARK_RE,
    _SENTENCE_RE,
    _SITE_RE,
    _UNITS,
    _VERSION_LAST,
    _VERSION_RE,
    CROSS_CAP,
    FALLBACK_LEN,
    TITLE_SOFT_MAX,
    WINDOW,
    _cls,
    _seam,
)

# Feature names shown as a Split's rule where they differ.
_RULE_NAMES = {"bullet": "separator", "site-name": "site-suffix"}
# Features a Split's rule names only when no other evidence backs the cut.
_UNNAMED = frozenset({"lower-glued", "upper-glued"})


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
    if (last.isdigit() or last in _VERSION_LAST) and _VERSION_RE.search(title, max(0, len(title) - 24)):
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
    # _length and _score inlined (the same parts, summed in the same order): _evaluate runs for every
    # cut scored in full, and each call costs as much as what it computes.
    if n < 4:
        parts.append((1.0, "tiny") if n < 2 else (1.0, "short"))
    elif n > TITLE_SOFT_MAX:
        parts.append((float(n - TITLE_SOFT_MAX), "long"))
    if (cost := _LENGTH_COST[n if n < _LAST_LENGTH else _LAST_LENGTH]) > 0:
        parts.append((cost, "length-prior"))
    if crossed:
        parts.append((crossed, "crossed"))
    if _unbalanced(title):
        # An opening bracket left open, or a closing one the title never opened ("…木工] = temp": the
        # excerpt's code or text closed it, wherever in the title it stands).
        parts.append((1.0, "unbalanced"))
    if tend >= bd.dup_at:
        parts.append((1.0, "title-repeat"))
    # A question or exclamation mark may end a title ("如何…？"); inside one, it is prose.
    # (Searched up to an end position: the same as searching title[:-1], without the slice.)
    end = n - 1 if title[-1] in "？！?!" else n
    if _SENTENCE_MARK_RE.search(title, 0, end) and _SENTENCE_RE.search(title, 0, end):
        parts.append((1.0, "sentence"))
    if tend >= bd.code_at:
        parts.append((1.0, "code"))
    first = text[estart] if estart < len(text) else ""
    if first in _BAD_START and not starts and not (first == "-" and _OPTION_RE.match(text, estart)):
        parts.append((1.0, "bad-start"))
        if first == "：" and estart == tend:
            # A full-width colon glued on joins a title to its subtitle ("…（第 12 期）：如何…") or a label
            # to its text: it opens no excerpt. (An ASCII one opens code's ports and keys, ":80".)
            parts.append((1.0, "colon-start"))
    if tend <= ctx.template_end:
        parts.append((1.0, "template"))
    if estart > tend:
        # A saved page glues a title to its description with nothing between them: MoreDoc trims the
        # description, and the sample's ten lines have no space there. So a cut at a space is charged:
        # the space is far more often inside the title ("Redis 数据类型", "Lua 5.1 参考手册") or inside the
        # excerpt ("…架构，进而…；同时 Hystrix") than at the seam.
        parts.append((1.0, "space-cut"))
    if tend == estart and first:
        before, after = _cls(title[-1]), _cls(first)
        if before == _C_LATIN and after == _C_DIGIT:
            parts.append((1.0, "letter-digit"))
        elif before == _C_DIGIT and first in _UNITS:
            parts.append((1.0, "number-unit"))
        elif title[-1] == "." and first.isascii() and first.isalnum():
            parts.append((1.0, "dot-glued"))  # "impress.|js", "特性.|0.0/24": the dot is inside a token
        elif first == "/" and before in (_C_LATIN, _C_DIGIT):
            nxt = text[estart + 1 : estart + 2]
            if nxt.isascii() and nxt.isalnum():
                parts.append((1.0, "dot-glued"))  # "10|/11", "TCP|/IP": so is a slash between letters or digits
    if estart in bd.keys and (shared := _shared_bonus(bd, ctx, tend, estart)):
        parts.append((shared, "shared-suffix"))
    w = _W
    return sum([w[name] * v for v, name in parts]), parts


# Each bracket's partner, both ways (every opener differs from its closer: “ ” and ‘ ’ are pairs).
_PARTNER = {**dict(zip(_OPENERS, _CLOSERS, strict=True)), **dict(zip(_CLOSERS, _OPENERS, strict=True))}
_BRACKET_RE = re.compile(f"[{re.escape(_OPENERS + _CLOSERS)}]")
# The longest title the length prior prices on its own (longer ones cost what this one does).
_LAST_LENGTH = len(_LENGTH_COST) - 1


def _unbalanced(title: str) -> bool:
    """Whether some bracket outnumbers its partner in the title: an opener left open, or a closer the
    title never opened (only the brackets present are counted; most titles hold none)."""
    return any(title.count(b) > title.count(_PARTNER[b]) for b in set(_BRACKET_RE.findall(title)))


_Scored = tuple[float, int, int, int, list[_Part]]  # score, -estart, tend, estart, parts


def _names_a_file(text: str, tend: int, base: Sequence[_Part]) -> bool:
    """Whether the title ending here is a file name ("….pdf"): it runs whole from the line's start, so
    what looked like an excerpt opening inside it ("100个" + "gdb小技巧.pdf") is not charged as passed.
    Only where the extension ends a token: one followed by letters may be part of a host name
    ("docs.docker.com")."""
    for _, name in base:  # most cuts have no evidence of their own: no slice, no generator
        if name == "file-ext":
            nxt = text[tend : tend + 1]
            return not (nxt.isascii() and nxt.isalnum())
    return False


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
        crossed = 0.0 if base and _names_a_file(text, tend, base) else crossed_before(p)
        score, parts = _evaluate(bd, ctx, tend, p, base=base, crossed=crossed)
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
    if last.isdigit() or last in _VERSION_LAST:
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
    w_space = _W["space-cut"]
    dashes, keys = bd.dashes, bd.keys
    length_score, most = _LENGTH_SCORE, len(_LENGTH_SCORE) - 1
    w = _W
    for p, (tend, base) in cands.items():
        crossed = crossed_before(p) if passed and not (base and _names_a_file(text, tend, base)) else 0.0
        ub = weight.get(p, 0.0) + w_cross * crossed
        if base:
            ub += sum([x for v, n in base if (x := w[n] * v) > 0])
        # _suffix_bound inlined (the same sums in the same order): it ran as a call for every listed cut.
        bound = 0.0
        for d in dashes:
            if tend - 32 <= d < tend:
                bound += w_site
                break
        last = text[tend - 1]
        if last in ")）" and tend > 1:
            last = text[tend - 2]
        if last.isdigit() or last in _VERSION_LAST:
            bound += w_version
        ub += bound
        if p in keys:
            ub += w_shared * _shared_bonus(bd, ctx, tend, p)
        ub += length_score[tend if tend < most else most]
        if p > tend:
            ub += w_space  # a penalty every cut at a space pays: known before scoring, it tightens the bound
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
            ub = w_cross * crossed + length_score[min(tend, most)] + (w_space if p > tend else 0.0)
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
