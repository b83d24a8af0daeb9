"""Per-line cost of split_bodies on ~20,000 bodies: the dev set repeated, in files of 50 lines.

python tools/bench_splitter.py [--lines 20000]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--lines", type=int, default=20000)
    args = ap.parse_args()
    sys.path.insert(0, str(_ROOT))
    from docmanager.splitter import split_bodies

    path = _ROOT / "tests" / "data" / "splitter" / "devset.jsonl"
    base = [json.loads(line)["body"] for line in path.read_text(encoding="utf-8").splitlines()]
    # Vary each copy a little (a suffix on the excerpt) so no two files are identical.
    bodies = [b + f" {n // len(base)}" for n, b in enumerate(base * (args.lines // len(base) + 1))][: args.lines]
    files = [bodies[i : i + 50] for i in range(0, len(bodies), 50)]
    best = float("inf")
    for _ in range(3):
        t = time.perf_counter()
        for f in files:
            split_bodies(f)
        best = min(best, time.perf_counter() - t)
    print(f"{len(bodies)} bodies: {1e6 * best / len(bodies):.1f} µs per line (best of 3)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
