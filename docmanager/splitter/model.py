"""The splitter's linear model: what a split is, the weights of the named features in use, and the
prior on title length (tools/fit_splitter.py fits both and sets them here while fitting)."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from docmanager.splitter.patterns import TITLE_SOFT_MAX, WINDOW
from docmanager.splitter.weights import LENGTH_PRIOR, WEIGHTS


@dataclass(frozen=True, slots=True)
class Split:
    """One body cut in two; `rule` names the evidence that decided the cut."""

    title: str
    excerpt: str
    rule: str


# --- Weights ------------------------------------------------------------------------------
# Every piece of evidence is a named feature with a value (1, or a count); a cut's score is the
# weighted sum. The weights are fitted on a development set by tools/fit_splitter.py (evidence
# for a cut stays positive, penalties negative: the pruning in _candidates relies on that).
_W: dict[str, float] = dict(WEIGHTS)
# A title the caller knows for this document outweighs every guess (not fitted: the
# development set has no such evidence to fit it on).
_W.setdefault("known-title", 12.0)
_Part = tuple[float, str]  # (value, feature name): it adds value * _W[name] to a cut's score


def _length_costs(mu: float, sigma: float, most: int = WINDOW + 101) -> list[float]:
    """Negative log-likelihood of each title length under a log-normal fitted on titles, relative to
    its mode, on the short side only.

    A title cut too early is the common mistake (a glued excerpt starts where the script changes:
    "Redis| 数据类型和使用场景…"); long titles already pay "long", and English titles run longer
    in characters than the Chinese ones the prior is mostly fitted on.
    """
    return [((math.log(max(n, 1)) - mu) / sigma) ** 2 / 2 if n < math.exp(mu) else 0.0 for n in range(most)]


_LENGTH_COST = _length_costs(*LENGTH_PRIOR)


def _score(parts: Sequence[_Part]) -> float:
    w = _W
    return sum([w[n] * v for v, n in parts])


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


def _set_weights(weights: Mapping[str, float]) -> None:
    """Replace the weights in use (for fitting; the module loads the committed ones)."""
    _W.update(weights)
    _LENGTH_SCORE[:] = _length_scores()


def _set_length_prior(mu: float, sigma: float) -> None:
    """Replace the length prior (for fitting; the module loads the committed one)."""
    _LENGTH_COST[:] = _length_costs(mu, sigma)
    _LENGTH_SCORE[:] = _length_scores()
