"""Every split of the dev set as JSON lines, to check that a change moves no split.

    PYTHONPATH=<tree> python tools/dump_splits.py OUT.jsonl
    (then: cmp or diff two dumps; zero differences means no title, excerpt or rule changed)

Each file (`group`) is split as one listing (as on import and in tools/eval_splitter.py), each
body alone (split_body), each body with the bench's suffix, and each body with its true title
and its group's first other body as known strings (the known-evidence path).
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent


def main() -> int:
    from docmanager.splitter import split_bodies, split_body, split_with_evidence

    items = [json.loads(x) for x in (_ROOT / "tests/data/splitter/devset.jsonl").read_text("utf-8").splitlines() if x]
    groups: dict[str, list[str]] = {}
    for it in items:
        groups.setdefault(it["group"], []).append(it["body"])
    out = []
    for g, bodies in groups.items():
        for b, s in zip(bodies, split_bodies(bodies), strict=True):
            out.append(["file", g, b, s.title, s.excerpt, s.rule])
        suffixed = [b + " 7" for b in bodies]
        for b, s in zip(suffixed, split_bodies(suffixed), strict=True):
            out.append(["bench", g, b, s.title, s.excerpt, s.rule])
    for it in items:
        b = it["body"]
        s = split_body(b)
        out.append(["alone", it["group"], b, s.title, s.excerpt, s.rule])
        others = [x for x in groups[it["group"]] if x != b][:1]
        s = split_with_evidence(b, [it["title"], *others], others)
        out.append(["known", it["group"], b, s.title, s.excerpt, s.rule])
    with open(sys.argv[1], "w", encoding="utf-8") as f:
        for row in out:
            f.write(json.dumps(row, ensure_ascii=False) + "\n")
    print(f"{len(out)} splits written")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
