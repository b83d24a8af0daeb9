"""Split the glued TITLE+EXCERPT body of a saved listing line into title and excerpt.

The splitter scores candidate cuts with named, fitted features. Its parts:
- patterns: limits, character classes, regexes, seams;
- model: Split, the weights in use (fitted into weights.py), the length prior;
- analysis: one body's candidate cuts and their evidence (repeats: the title repeated; fragments: an
  excerpt opening inside a word);
- context: what a file's other bodies, and known strings, say about each body;
- scoring: each cut scored and the best chosen.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from docmanager.splitter.context import _prepare
from docmanager.splitter.model import Split, _Part
from docmanager.splitter.model import _set_length_prior as _set_length_prior
from docmanager.splitter.model import _set_weights as _set_weights
from docmanager.splitter.scoring import _all_cuts, _choose

__all__ = ["Split", "cut_evidence", "split_bodies", "split_body", "split_with_evidence"]


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


def cut_evidence(
    bodies: Sequence[str], known: Mapping[int, Sequence[str]] | None = None
) -> list[list[tuple[str, list[tuple[float, str]]]]]:
    """Per body of one file (as for split_bodies), every candidate cut's title and its evidence as
    (value, feature name) pairs: what tools/fit_splitter.py fits the weights on."""
    analysed, contexts = _prepare(bodies, known)
    rows: list[list[tuple[str, list[_Part]]]] = []
    for bd, ctx in zip(analysed, contexts, strict=True):
        cuts = _all_cuts(bd, ctx) if bd.text else []
        rows.append([(bd.text[:tend].rstrip(), parts) for _, _, tend, _, parts in cuts])
    return rows
