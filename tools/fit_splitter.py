"""Fit the splitter's feature weights on the training part of the dev set; write docmanager/splitter/weights.py.

    python tools/fit_splitter.py [--dry-run] [--only NEW_FEATURE]

The model is the splitter's own linear scorer: each candidate cut of a body has named features
(docmanager/splitter/); a cut's score is their weighted sum and the best cut wins. Fitting
minimises a softmax ranking loss (the true title's cuts against all cuts of the body) with L2
toward the hand-set prior weights (features the dev set rarely shows keep their prior),
by projected gradient descent that keeps every weight's sign (evidence >= 0, penalties <= 0),
which the splitter's pruning relies on. The "crossed" feature depends on the weights, so the
features are extracted again after each round. The held-out part (tools/eval_splitter.held_out)
is never read here. ``--only`` fits a newly added feature alone, the committed weights of the
others kept (a full refit moves every weight by noise, ±0.3% of the train accuracy).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

_ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(_ROOT))
sys.path.insert(0, str(_ROOT / "tools"))

from eval_splitter import accuracy, by_group, held_out, load  # noqa: E402

from docmanager import splitter  # noqa: E402

_OUT = _ROOT / "docmanager" / "splitter" / "weights.py"
# The hand-set weights the splitter had before fitting: the prior the fit is pulled toward.
PRIOR = {
    "separator": 4.0,
    "bullet": 2.5,
    "enumeration": 3.0,
    "heading": 1.5,
    "section": 1.5,
    "byline": 1.5,
    "intro": 0.5,
    "section-number": 0.5,
    "label": 1.5,
    "fragment": 2.0,
    "repeat": 2.0,
    "repeat-full": 4.0,
    "repeat-part": 1.0,
    "repeat-end": 2.0,
    "file-ext": 4.0,
    "shared-start": 3.0,
    "shared-start-many": 0.0,
    "site-suffix": 2.5,
    "version-suffix": 1.5,
    "shared-suffix": 1.5,
    "word-split": 0.5,
    "camel-case": 1.5,
    "whole": 0.5,
    "crossed": -1.0,
    "split-word": -2.5,
    "camel-split": -1.0,
    "tiny": -4.0,
    "short": -2.0,
    "long": -0.05,
    "bad-end": -2.0,
    "particle-end": -1.5,
    "unbalanced": -3.0,
    "bad-start": -1.0,
    "title-repeat": -2.0,
    "sentence": -2.0,
    "template": -2.0,
    "letter-digit": -0.5,
    "number-unit": -2.0,
    "lower-glued": 1.0,
    "site-name": 3.0,
    "length-prior": -0.5,
    "cjk-number": -1.0,
    "cjk-fragment": 0.0,
    "number-only": -0.5,
    "latin-glued": 0.0,
    "dot-glued": -1.0,
    "cjk-opener": 1.0,
    "doubled": 1.5,
    "latin-tail": 0.5,
    "upper-glued": 0.5,
    "code": -1.0,
    "description": 1.5,
    "title-noun": 0.5,
    "space-cut": -0.5,
    "colon-start": -1.0,
    "latin-word": 0.5,
}
NAMES = list(PRIOR)
# Features whose weight is a penalty (kept <= 0); every other one is evidence (kept >= 0).
PENALTIES = {n for n, w in PRIOR.items() if w < 0}
L2 = 0.01
ROUNDS = 3
STEPS = 600
RATE = 0.05


def _rows(items: list[dict]) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Per reachable body: its cuts' feature matrix and which of them give the true title."""
    col = {n: i for i, n in enumerate(NAMES)}
    mats, golds = [], []
    for members in by_group(items).values():
        rows = splitter.cut_evidence([m["body"] for m in members])
        for it, cuts in zip(members, rows, strict=True):
            gold = np.array([title == it["title"] for title, _ in cuts], dtype=bool)
            if not gold.any() or gold.all():
                continue  # unreachable (no cut gives the title) or nothing to learn
            x = np.zeros((len(cuts), len(NAMES)))
            for r, (_, parts) in enumerate(cuts):
                for v, n in parts:
                    if n in col:
                        x[r, col[n]] += v
            mats.append(x)
            golds.append(gold)
    return mats, golds


def _fit(
    mats: list[np.ndarray], golds: list[np.ndarray], w: np.ndarray, without: set[str], only: set[str] | None = None
) -> np.ndarray:
    prior = np.array([PRIOR[n] for n in NAMES])
    lower = np.array([0.0 if n in without else -np.inf if n in PENALTIES else 0.0 for n in NAMES])
    upper = np.array([0.0 if n in without or n in PENALTIES else np.inf for n in NAMES])
    if only is not None:  # the other weights stay as they are
        fixed = np.array([n not in only for n in NAMES])
        lower = np.where(fixed, w, lower)
        upper = np.where(fixed, w, upper)
    x = np.vstack(mats)
    sizes = np.array([len(m) for m in mats])
    seg = np.repeat(np.arange(len(mats)), sizes)
    gold = np.concatenate(golds)
    m1, m2 = np.zeros_like(w), np.zeros_like(w)
    for step in range(1, STEPS + 1):
        s = x @ w
        top = np.full(len(mats), -np.inf)
        np.maximum.at(top, seg, s)
        e = np.exp(s - top[seg])
        z_all = np.bincount(seg, e, len(mats))
        z_gold = np.bincount(seg, e * gold, len(mats))
        p_all = e / z_all[seg]
        p_gold = np.where(gold, e / np.maximum(z_gold[seg], 1e-300), 0.0)
        grad = x.T @ (p_all - p_gold) / len(mats) + 2 * L2 * (w - prior)
        # Adam steps, then projection onto the sign constraints.
        m1 = 0.9 * m1 + 0.1 * grad
        m2 = 0.999 * m2 + 0.001 * grad * grad
        w = w - RATE * (m1 / (1 - 0.9**step)) / (np.sqrt(m2 / (1 - 0.999**step)) + 1e-8)
        w = np.clip(w, lower, upper)
    return w


def _length_prior(items: list[dict]) -> tuple[float, float]:
    """Mean and standard deviation of log(title length) over the distinct training titles."""
    logs = np.log([len(t) for t in sorted({it["title"].strip() for it in items}) if t])
    return round(float(logs.mean()), 3), round(float(logs.std()), 3)


def _write(weights: dict[str, float], length_prior: tuple[float, float]) -> None:
    lines = [
        '"""Fitted weights of the splitter\'s features (written by tools/fit_splitter.py; do not edit by hand)."""',
        "",
        "# Evidence for a cut is positive, penalties negative; tools/fit_splitter.py keeps those signs.",
        "WEIGHTS: dict[str, float] = {",
        *(f'    "{n}": {weights[n]:.3f},' for n in NAMES),
        "}",
        "# Mean and standard deviation of log(title length): a smooth length prior.",
        f"LENGTH_PRIOR: tuple[float, float] = {length_prior!r}",
        "",
    ]
    _OUT.write_text("\n".join(lines), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--dry-run", action="store_true", help="report, do not write the weights")
    ap.add_argument(
        "--without", action="append", default=[], metavar="FEATURE", help="fit with this feature's weight at 0"
    )
    ap.add_argument(
        "--only",
        action="append",
        metavar="FEATURE",
        help="fit only this feature (a new one), from the committed weights, the others kept as they are",
    )
    args = ap.parse_args()
    without = set(args.without)
    only = set(args.only) if args.only else None
    train = [it for it in load() if not held_out(it["group"])]
    if only is None:
        w = np.array([0.0 if n in without else PRIOR[n] for n in NAMES], dtype=float)
    else:
        from docmanager.splitter.weights import WEIGHTS

        w = np.array([WEIGHTS.get(n, PRIOR[n]) if n not in only else PRIOR[n] for n in NAMES], dtype=float)
    splitter._set_weights(dict(zip(NAMES, w.tolist(), strict=True)))
    if only is None:
        length_prior = _length_prior(train)
    else:
        from docmanager.splitter.weights import LENGTH_PRIOR as length_prior
    splitter._set_length_prior(*length_prior)
    print(f"length prior (mean, sd of log length): {length_prior}")
    print(f"train: {len(train)} bodies; start accuracy {100 * accuracy(train):.1f}%")
    best = (accuracy(train), w.copy())
    for r in range(ROUNDS):
        mats, golds = _rows(train)
        w = _fit(mats, golds, w, without, only)
        splitter._set_weights(dict(zip(NAMES, w.tolist(), strict=True)))
        acc = accuracy(train)
        print(f"round {r + 1}: {len(mats)} reachable bodies, train accuracy {100 * acc:.1f}%")
        if acc > best[0]:
            best = (acc, w.copy())
    weights = dict(zip(NAMES, best[1].tolist(), strict=True))
    for n in NAMES:
        print(f"  {n:18} {PRIOR[n]:7.3f} -> {weights[n]:7.3f}")
    if not args.dry_run:
        _write(weights, length_prior)
        print(f"wrote {_OUT.relative_to(_ROOT)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
