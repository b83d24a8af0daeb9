"""Build docmanager/_cjk_lexicon.py from jieba's word list (dict.txt of jieba 0.42.1, MIT licence).

    pip download jieba==0.42.1 --no-deps && tar xzf jieba-0.42.1.tar.gz
    python tools/build_lexicon.py jieba-0.42.1/jieba/dict.txt [--min-freq 50]

Kept: the Chinese words of 2-4 characters at least --min-freq frequent, and the "bound" characters:
those seen far more often as the last character of a word than standalone ("器" of 容器, 机器),
so an excerpt that opens with one most likely starts inside a word (docmanager/splitter/fragments.py).
"""

from __future__ import annotations

import argparse
import re
from collections import Counter
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
_OUT = _ROOT / "docmanager" / "_cjk_lexicon.py"
_HAN = re.compile(r"[\u4e00-\u9fff]+")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("dict_txt", type=Path)
    ap.add_argument("--min-freq", type=int, default=50)
    ap.add_argument("--bound-ratio", type=float, default=2.0, help="word-final use / standalone use of a bound char")
    ap.add_argument("--out", type=Path, default=_OUT)
    ap.add_argument("--compounds", action="store_true", help="add every 3-char word: a kept word + a bound char")
    args = ap.parse_args()
    freq: dict[str, int] = {}
    for line in args.dict_txt.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and _HAN.fullmatch(parts[0]):
            freq[parts[0]] = int(parts[1])
    words = sorted(w for w, f in freq.items() if 2 <= len(w) <= 4 and f >= args.min_freq)
    final: Counter[str] = Counter()
    for w in words:
        final[w[-1]] += freq[w]
    bound = sorted(c for c, n in final.items() if n >= args.bound_ratio * freq.get(c, 0) and n >= 20 * args.min_freq)
    if args.compounds:
        # A frequent word plus a bound char (数据 + 源) is a compound even when rare in jieba's corpus:
        # without these, "…数据" + "源接入…" would read as a title ending before a word's tail.
        kept, bound_set = set(words), set(bound)
        words = sorted(
            kept | {w for w in freq if len(w) == 3 and w[:2] in kept and w[2] in bound_set and len(w[:2]) == 2}
        )
    rows = [" ".join(words[i : i + 12]) for i in range(0, len(words), 12)]
    text = [
        '"""Chinese words and bound characters for docmanager/splitter/fragments.py'
        " (written by tools/build_lexicon.py).",
        "",
        "Derived from the word list of jieba 0.42.1 (dict.txt, https://github.com/fxsjy/jieba,",
        f"MIT licence): its words of 2-4 characters with frequency >= {args.min_freq}, and the characters",
        f"used as a word's last character at least {args.bound_ratio:g} times as often as standalone.",
        '"""',
        "",
        f'BOUND = "{"".join(bound)}"  # noqa: E501',
        "",
        'WORDS = """',
        *rows,
        '"""',
        "",
    ]
    args.out.write_text("\n".join(text), encoding="utf-8")
    print(f"{len(words)} words, {len(bound)} bound chars -> {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
