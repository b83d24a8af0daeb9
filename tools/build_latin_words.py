"""Build docmanager/_latin_words.py: Latin words of 5+ letters, to tell a title's word glued to an excerpt's.

    apt-get download wamerican && dpkg-deb -x wamerican_*.deb wamerican
    apt-cache pkgnames > pkgnames.txt
    python tools/build_latin_words.py pkgnames.txt wamerican/usr/share/dict/american-english \
        wamerican/usr/share/doc/wamerican/copyright

Kept, lower-cased: the alphabetic tokens of 5+ letters of Debian's package names (the names of software:
kubernetes, busybox, wordpress, mongodb …, split at digits and punctuation) and the English words of
5+ letters of SCOWL's American English list as Debian's wamerican ships it (no proper nouns). Both come
from the package registry; the list is compressed (lzma) so the module stays small, and loaded only
when a line's head holds a long Latin run (docmanager/splitter/fragments.py).
"""

from __future__ import annotations

import argparse
import base64
import lzma
import re
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
_OUT = _ROOT / "docmanager" / "_latin_words.py"
_TOKEN = re.compile(r"[a-z]+")
MIN_LENGTH = 5


def words_of(names: str, english: str, min_length: int = MIN_LENGTH) -> list[str]:
    """The sorted, distinct words kept from the package names and the English list."""
    kept = {t for line in names.lower().splitlines() for t in _TOKEN.findall(line) if len(t) >= min_length}
    for line in english.splitlines():
        w = line.strip()
        # Proper nouns (capitalised) and possessives or accented forms (not all ASCII letters) are left out.
        if len(w) >= min_length and w.isascii() and w.isalpha() and w.islower():
            kept.add(w)
    return sorted(kept)


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("pkgnames", type=Path, help="the output of `apt-cache pkgnames`")
    ap.add_argument("english", type=Path, help="wamerican's /usr/share/dict/american-english")
    ap.add_argument("copyright", type=Path, help="wamerican's copyright file (SCOWL's notice)")
    ap.add_argument("--out", type=Path, default=_OUT)
    args = ap.parse_args()
    words = words_of(
        args.pkgnames.read_text(encoding="utf-8"), args.english.read_text(encoding="utf-8", errors="replace")
    )
    blob = base64.b85encode(lzma.compress("\n".join(words).encode("ascii"), preset=9)).decode("ascii")
    notice = "\n".join(line.rstrip() for line in args.copyright.read_text(encoding="utf-8").splitlines()) + "\n"
    notice = notice.replace("\\", "\\\\").replace('"""', '\\"\\"\\"')
    text = [
        '"""Latin words of 5+ letters for docmanager/splitter/fragments.py (written by tools/build_latin_words.py).',
        "",
        "The alphabetic tokens of Debian 12's package names and the English words of SCOWL's American",
        "English list (Debian's wamerican package), lower-cased, lzma-compressed. SCOWL's copyright and",
        "permission notice, as wamerican ships it, is NOTICE below.",
        '"""',
        "",
        f"COUNT = {len(words)}",
        "WORDS = (",
        *(f'    "{blob[i : i + 100]}"' for i in range(0, len(blob), 100)),
        ")",
        "",
        f'NOTICE = """\\\n{notice}"""',
        "",
    ]
    args.out.write_text("\n".join(text), encoding="utf-8")
    print(f"{len(words)} words -> {args.out} ({args.out.stat().st_size} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
