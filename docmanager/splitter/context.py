"""What the other lines of a file (and strings known to belong to the same document) say about each
body: shared template prefixes, shared starts, known titles, and title endings several lines share."""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docmanager.splitter.analysis import _analyse, _Body, _Evidence
from docmanager.splitter.patterns import _CLASS_CACHE, SHARED_MIN, TITLE_SOFT_MAX, WINDOW, _cls, _skip_space
from docmanager.splitter.repeats import _common, _normal, _Positions


@dataclass(slots=True)
class _Context:
    """What the other lines of the file say about one body."""

    template_end: int  # cuts at or before this index fall inside a shared prefix
    shared: Counter[str]  # CJK title-ending run -> number of distinct lines ending with it


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
