"""Exact-title accuracy of the splitter on tests/data/splitter/devset.jsonl, per part and kind.

    python tools/eval_splitter.py [--misses N] [--part train|held-out|all] [--set dev|fresh]

Each file (`group`) is split as one listing, so its lines are each other's context, as on import.
The held-out part is fixed by a hash of the group id (tools/build_devset.held_out); fitting never
sees it. `--set fresh` measures tests/data/splitter/fresh.jsonl instead (tools/build_fresh.py): other
sources and other phrasings than the dev set's, never read by the fit; reported per kind as one part.
"""

from __future__ import annotations

import argparse
import json
import sys
import zlib
from collections import defaultdict
from pathlib import Path
from typing import Any

_ROOT = Path(__file__).resolve().parent.parent
DEVSET = _ROOT / "tests" / "data" / "splitter" / "devset.jsonl"
FRESH = _ROOT / "tests" / "data" / "splitter" / "fresh.jsonl"


def held_out(group: str) -> bool:
    """The fixed held-out part: ~30% of the files, chosen by a hash of the file id."""
    return zlib.crc32(group.encode()) % 10 < 3


def load(path: Path = DEVSET) -> list[dict[str, Any]]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def by_group(items: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for it in items:
        groups[it["group"]].append(it)
    return groups


def predict(items: list[dict[str, Any]]) -> list[str]:
    """Predicted titles, in the order of `items`, each file split as one listing."""
    from docmanager.splitter import split_bodies

    titles: dict[int, str] = {}
    for members in by_group(items).values():
        for it, split in zip(members, split_bodies([m["body"] for m in members]), strict=True):
            titles[id(it)] = split.title
    return [titles[id(it)] for it in items]


def accuracy(items: list[dict[str, Any]]) -> float:
    if not items:
        return 0.0
    return sum(p == it["title"] for it, p in zip(items, predict(items), strict=True)) / len(items)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--misses", type=int, default=40, help="list at most this many misses per part")
    ap.add_argument("--part", choices=["train", "held-out", "all"], default="all")
    ap.add_argument("--set", choices=["dev", "fresh"], default="dev", help="the dev set, or the fresh set")
    ap.add_argument("--file", type=Path, help="with --set fresh: another file of the fresh set's form")
    args = ap.parse_args()
    fresh = args.set == "fresh"
    items = load((args.file or FRESH) if fresh else DEVSET)
    predicted = predict(items)
    for part in ("fresh",) if fresh else ("train", "held-out"):
        if not fresh and args.part not in (part, "all"):
            continue
        want = part == "held-out"
        rows = [(it, p) for it, p in zip(items, predicted, strict=True) if fresh or held_out(it["group"]) == want]
        hits = sum(p == it["title"] for it, p in rows)
        print(f"{part}: {hits}/{len(rows)} = {100 * hits / max(1, len(rows)):.1f}% exact titles")
        kinds: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        for it, p in rows:
            kinds[it["kind"]][0] += p == it["title"]
            kinds[it["kind"]][1] += 1
        for kind, (h, n) in sorted(kinds.items()):
            print(f"  {kind:16} {h:4}/{n:<4} {100 * h / n:5.1f}%")
        misses = [(it, p) for it, p in rows if p != it["title"]]
        for it, p in misses[: args.misses]:
            print(f"  MISS [{it['kind']}] want {it['title']!r} got {p!r}  | {it['body'][:70]!r}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(_ROOT))
    raise SystemExit(main())
