"""Build tests/data/splitter/devset.jsonl: glued TITLE+EXCERPT bodies with their true titles.

Sources (recorded per item in `source`):
- the real saved wenku.it page of this repository (resources/listing-page.txt), kind `real-site`;
- real documents: the Markdown chapters of two public Chinese technical books (their title and
  their first page or a passage from inside, as text), kinds `real-doc-first` and `real-doc-inner`;
- real book titles (the list of free-programming-books-zh_CN) glued to made descriptions that cover
  one kind of evidence each, kinds `made-*`.

The public repositories are read from snapshots under /work/.mirror (see `_REPOS`); the output is
committed, so the script is only needed to rebuild it. A fixed seed makes the output reproducible.
Each item has a `group` (the file it would have been saved in: its lines are each other's context)
and the held-out part is the groups whose crc32 puts them in the last 30% (see `held_out`).
"""

from __future__ import annotations

import json
import random
import re
import subprocess
import sys
import unicodedata
import zlib
from pathlib import Path

_ROOT = Path(__file__).resolve().parent.parent
_OUT = _ROOT / "tests" / "data" / "splitter" / "devset.jsonl"
_MIRROR = Path("/work/.mirror")
# The repositories read: their snapshots are /work/.mirror/OWNER+NAME/repo (as fetch lays them out).
_REPOS = (
    "yeasy/docker_practice",
    "doocs/advanced-java",
    "justjavac/free-programming-books-zh_CN",
)
_PRICE_RE = re.compile(r"\d 码力\s*\|")
GROUPS = 160  # files; each gets the items of several documents


def held_out(group: str) -> bool:
    """The fixed held-out part: ~30% of the files, chosen by a hash of the file id."""
    return zlib.crc32(group.encode()) % 10 < 3


def _git(repo: str, *args: str) -> str:
    path = _MIRROR / repo.replace("/", "+") / "repo"
    return subprocess.run(["git", "-C", str(path), *args], capture_output=True, text=True, check=True).stdout


def _commit(repo: str) -> str:
    return _git(repo, "rev-parse", "--short", "HEAD").strip()


_MD_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)")
_HTML = re.compile(r"<[^>]+>")
_MD_MARK = re.compile(r"^\s*(?:#{1,6}\s*|[*+-]\s+|>\s*|\d+\.\s+)|[*`_]{1,3}|\|")


def _page_text(md: str, mark: re.Pattern[str] = _MD_MARK) -> str:
    """A Markdown page as a PDF's text layer gives it: markup (``mark``) gone, code fences dropped and
    the code kept as text, lines joined with spaces (MoreDoc replaces line breaks by spaces)."""
    out = []
    for raw in md.splitlines():
        if raw.strip().startswith("```"):
            continue
        line = mark.sub("", _HTML.sub("", _MD_LINK.sub(r"\1", raw))).strip()
        if line and not set(line) <= set("-:= "):
            out.append(line)
    return " ".join(out)


def write_items(path: Path, items: list[dict[str, object]]) -> None:
    """Write a set's items as JSON lines and say how many of each kind (on stderr)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as f:
        for it in items:
            f.write(json.dumps(it, ensure_ascii=False) + "\n")
    kinds: dict[str, int] = {}
    for it in items:
        kinds[str(it["kind"])] = kinds.get(str(it["kind"]), 0) + 1
    print(len(items), "items", sorted(kinds.items()), file=sys.stderr)


def _docs(repo: str) -> list[tuple[str, str, str]]:
    """(title, page text, path) of each Markdown chapter that opens with a heading."""
    out = []
    commit = _commit(repo)
    for path in _git(repo, "ls-tree", "-r", "--name-only", "HEAD").split("\n"):
        if not path.endswith(".md") or path.startswith(".github") or "/" not in path:
            continue
        md = _git(repo, "show", f"HEAD:{path}")
        m = re.match(r"\s*#{1,3}\s+(.+)", md)
        if m is None:
            continue
        title = _page_text(m.group(1)).strip()
        text = _page_text(md)
        if 2 <= len(title) <= 60 and len(text) > 200:
            out.append((title, text, f"github:{repo}@{commit}:{path}"))
    return out


def _book_titles() -> list[tuple[str, str]]:
    repo = "justjavac/free-programming-books-zh_CN"
    src = f"github:{repo}@{_commit(repo)}:README.md"
    titles = []
    for m in re.finditer(r"^\s*\* \[([^\]]{4,50})\]\(", _git(repo, "show", "HEAD:README.md"), re.M):
        t = m.group(1).strip()
        if not t.startswith(("[", "#")) and "](" not in t:
            titles.append((t, src))
    return titles


def _kangxi_table() -> dict[str, str]:
    """Common CJK char -> the look-alike a PDF's text layer may give (folds back under NFKC)."""
    table: dict[str, str] = {}
    for cp in [*range(0x2F00, 0x2FD6), *range(0xF900, 0xFADA)]:
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) == 1 and folded != ch:
            table.setdefault(folded, ch)
    return table


_KANGXI = _kangxi_table()
_FULLWIDTH = {chr(c): chr(c + 0xFEE0) for c in range(0x21, 0x7F)}


def _lookalike(text: str, rng: random.Random) -> str:
    out = "".join(_KANGXI.get(c, c) for c in text)
    if out == text or rng.random() < 0.3:
        out = "".join(_FULLWIDTH.get(c, c) if c.isalnum() and c.isascii() else c for c in out)
    return out


def _respace(title: str, rng: random.Random) -> str:
    """The same title with other spacing: spaces dropped, or added between scripts."""
    if " " in title and rng.random() < 0.6:
        return title.replace(" ", "")
    return re.sub(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])", " ", title)


def _inner(text: str, rng: random.Random, size: int) -> str:
    """A passage from inside a text, starting anywhere (mid-word, mid-number)."""
    if len(text) <= size:
        return text
    start = rng.randrange(min(len(text) - size, 2000) + 1)
    return text[start : start + size]


_SECTIONS = [
    "目录 第1章 概述 1.1 背景 1.2 目标 第2章 ",
    "目 录 一、总体介绍 二、系统架构 三、",
    "第一章 简介 本章介绍",
    "第1章 基础知识 1.1 ",
    "第一部分 基础篇 ",
    "Chapter 1 Introduction ",
    "CHAPTER 1 Getting Started ",
    "1.1 概述 ",
    "1 引言 ",
    "摘要：",
    "摘 要 ",
    "前言 ",
    "内容简介 ",
    "报告人：王磊 ",
    "作者：李明 ",
    "主讲人：张伟 ",
    "Abstract ",
    "Contents 1 Introduction ",
    "Preface ",
    "版权声明 ",
    "Table of Contents ",
    "简介 ",
]
_FILE_EXTS = [".pdf", ".pdf", ".pptx", ".ppt", ".docx", ".doc", ".txt", ".PDF"]
_AUTHORS = ["李明", "王磊", "张伟 刘洋", "陈静", "赵强 编著", "Martin Fowler", "O'Reilly Media"]
_DATES = ["2021年10月", "2023年3月", "2019.06", "2024-01-15", "二〇二二年五月", ""]


def main() -> int:
    rng = random.Random(11)
    items: list[dict[str, object]] = []

    # 1. The real saved page: its lines are one file.
    page = (_ROOT / "resources" / "listing-page.txt").read_text(encoding="utf-8")
    truth = json.loads((_ROOT / "tests" / "data" / "listing-page.expected.json").read_text(encoding="utf-8"))
    bodies = [line[: m.start()] for line in page.splitlines() if (m := _PRICE_RE.search(line))]
    for n, (body, doc) in enumerate(zip(bodies, truth["documents"], strict=True)):
        items.append(
            {
                "body": body,
                "title": doc["title"],
                "kind": "real-site",
                "group": "wenku-sample",
                "doc": f"wenku-sample-{n}",
                "source": "resources/listing-page.txt",
            }
        )

    docs = _docs("yeasy/docker_practice") + _docs("doocs/advanced-java")
    texts = [t for _, t, _ in docs]
    titles = _book_titles()
    rng.shuffle(titles)

    # Files: the documents of one part go to files of that same part, so no document is in both.
    groups = [f"page-{n:03d}" for n in range(GROUPS)]
    by_part = {True: [g for g in groups if held_out(g)], False: [g for g in groups if not held_out(g)]}

    def group_for(doc: str) -> str:
        part = by_part[held_out(doc.removesuffix("|inner"))]
        return part[zlib.crc32(doc.encode() + b"#") % len(part)]

    def add(doc: str, title: str, excerpt: str, kind: str, source: str, *, group: str | None = None) -> None:
        excerpt = excerpt.strip()
        if not excerpt or not title:
            return
        items.append(
            {
                "body": title + excerpt,
                "title": title,
                "kind": kind,
                "group": group or group_for(doc),
                "doc": doc,
                "source": source,
            }
        )

    # 2. Real documents: the title glued to the first page (which opens with the title) or a passage.
    for title, text, src in docs:
        size = rng.randrange(120, 300)
        add(src, title, text[:size], "real-doc-first", src)
        if rng.random() < 0.6:
            # In another file than its first page: one file listing both is the duplicate case.
            add(src, title, _inner(text, rng, size), "real-doc-inner", src, group=group_for(src + "|inner"))

    # 3. Real titles glued to made descriptions, one kind of evidence each.
    def filler(size: int) -> str:
        return _inner(rng.choice(texts), rng, size)

    for n, (title, src) in enumerate(titles):
        doc = f"{src}#{n}"
        size = rng.randrange(100, 260)
        r = n % 13
        if r == 0:  # the first page repeats the title, exactly or with author and date
            rest = " ".join(x for x in (rng.choice(_AUTHORS), rng.choice(_DATES)) if x)
            add(doc, title, f"{title} {rest} {filler(size)}", "made-repeat", src)
        elif r == 1:  # a look-alike repeat (Kangxi radicals, full-width letters), as PDF text layers give
            add(doc, title, _lookalike(f"{title} {filler(size)}", rng), "made-lookalike", src)
        elif r == 2:  # a numbered title whose page repeats it without the number, or respaced
            num = rng.choice(["4. ", "13 ", "2.3 ", "第3讲 ", "07 ", "1、"])
            if rng.random() < 0.5:
                add(doc, num + title, f"{title} {filler(size)}", "made-numbered", src)
            else:
                add(doc, title, f"{_respace(title, rng)} {filler(size)}", "made-respaced", src)
        elif r == 3:  # a section opening right after the title
            add(doc, title, rng.choice(_SECTIONS) + filler(size), "made-section", src)
        elif r == 4:  # a file name from another document site: the cut is right after the extension
            name = title.replace(" ", rng.choice([" ", "_", ""])) + rng.choice(_FILE_EXTS)
            add(doc, name, filler(size), "made-filename", src)
        elif r == 5:  # a passage from inside, starting anywhere
            add(doc, title, filler(size), "made-inner", src)
        elif r == 6:  # the same document listed twice in one file, with different excerpts
            group = group_for(doc)
            add(doc, title, filler(size), "made-duplicate", src, group=group)
            add(doc, title, f"{title} {filler(size)}", "made-duplicate", src, group=group)
        elif r == 7:  # a title page: title, subtitle line, organisation, then the text
            add(
                doc,
                title,
                f"{title} {rng.choice(['技术白皮书', '培训讲义', '内部资料', 'V1.0'])} "
                f"{rng.choice(_DATES)} {filler(size)}",
                "made-titlepage",
                src,
            )
        elif r == 8:  # a contents page: leader dots, bullets or an enumeration after the title
            lead = rng.choice(
                ["· · · · · · 1 ", "......1 ", "…… 3 ", " • ", "● ", "1. 概述 2. 架构 3. 实践 ", "01 背景 02 方案 03 "]
            )
            add(doc, title, lead + filler(size), "made-contents", src)
        elif r == 9:  # a site or author suffix ends the title
            suffix = rng.choice(
                [" - 网易数帆", " - 开源中国", " – 博客园", " | InfoQ", "-张三", " - O'Reilly", " - 知乎"]
            )
            add(doc, title + suffix, filler(size), "made-site", src)
        elif r == 10:  # a version, year or edition ends the title
            version = rng.choice([" v2.3", " 2023", " V1.0.2", "（第2版）", " 第3版", " 2nd Edition", " 202412"])
            add(doc, title + version, filler(size), "made-version", src)
        elif r == 11:  # the page repeats the title after a running header or page number
            head = rng.choice(["1 ", "第 1 页 ", "www.example.com ", "Page 1 ", ""])
            add(doc, title, f"{head}{title}{filler(size)}", "made-repeat", src)
        else:  # a passage from inside that opens with Latin text or a number
            passage = filler(size)
            m = re.search(r"[A-Za-z0-9$]", passage)
            add(doc, title, passage[m.start() :] if m else passage, "made-inner", src)

    items.sort(key=lambda it: (str(it["group"]), str(it["doc"])))
    write_items(_OUT, items)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
