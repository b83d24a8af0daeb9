"""Build tests/data/splitter/fresh.jsonl: a second, independent evaluation set the fit never reads.

The dev set (tools/build_devset.py) draws its held-out part from the same sources and the same
template lists as its training part, so its made-* kinds measure the templates as much as the
splitter. This set shares neither with it:
- other real documents: the chapters of three other public Chinese technical books (ES6 入门,
  Python 进阶, 算法通关手册) and the issues of a weekly (科技爱好者周刊), each as a PDF's text layer
  gives it (the title, then the page): kinds `doc-first` (the first 255 characters, as MoreDoc stores
  a description) and `doc-inner` (a passage from anywhere inside);
- other real titles (the articles the weekly links to, the chapter titles of the books) glued to
  descriptions written for this set, one kind of evidence each, with their own section words,
  bylines, dates, file-name styles, site names, versions and look-alike characters (kinds `fresh-*`).

Each item has a `group` (the file it would have been saved in). Nothing here is fitted on: the set
only measures. A fixed seed and fixed snapshot commits make the output reproducible; the snapshots
are read from /work/.mirror (see `_REPOS`).

    python tools/build_fresh.py [--seed N --out PATH]
"""

from __future__ import annotations

import argparse
import random
import re
import subprocess
import unicodedata
from pathlib import Path

from build_devset import _commit, _git, _page_text, write_items

_ROOT = Path(__file__).resolve().parent.parent
_OUT = _ROOT / "tests" / "data" / "splitter" / "fresh.jsonl"
# The repositories read (their snapshots under /work/.mirror, through build_devset._git).
_REPOS = (
    "ruanyf/es6tutorial",
    "eastlakeside/interpy-zh",
    "itcharge/LeetCode-Py",
    "ruanyf/weekly",
)
GROUP_SIZE = 6  # lines per saved file
_FRONT_MATTER = re.compile(r"\A---\n.*?\n---\n", re.S)  # a site generator's header, not the page
_MD_MARK = re.compile(r"^\s*(?:#{1,6}\s*|[*+-]\s+|>\s*)|[*`_]{1,3}|\|")  # list numbers kept, unlike the dev set's


def _pdf_text(md: str) -> str:
    """Markdown as a PDF's extracted text gives it (build_devset._page_text, list numbers kept)."""
    return _page_text(md, _MD_MARK)


def _files(repo: str, pattern: str) -> list[str]:
    return sorted(p for p in _git(repo, "ls-tree", "-r", "--name-only", "HEAD").split("\n") if re.fullmatch(pattern, p))


def _heading_docs(repo: str, pattern: str) -> list[tuple[str, str, str]]:
    """(title, text, source) of each file whose first line is a level-1 heading (the title)."""
    out = []
    commit = _commit(repo)
    for path in _files(repo, pattern):
        md = _FRONT_MATTER.sub("", _git(repo, "show", f"HEAD:{path}"), count=1)
        m = re.match(r"\s*#\s+(.+)", md)
        if m is None:
            continue
        title = _pdf_text(m.group(1)).strip()
        text = _pdf_text(md)
        if 2 <= len(title) <= 60 and len(text) > 300:
            out.append((title, text, f"github:{repo}@{commit}:{path}"))
    return out


def _leetcode_docs() -> list[tuple[str, str, str]]:
    """算法通关手册: the README's table of contents names each chapter file; the file opens with its
    first section, so the PDF text is the title followed by the file's text."""
    repo = "itcharge/LeetCode-Py"
    commit = _commit(repo)
    out = []
    readme = _git(repo, "show", "HEAD:README.md")
    for m in re.finditer(r"^\s*- \[([^\]]{2,40})\]\(\./(Contents/[^)]+\.md)\)", readme, re.M):
        title, path = m.group(1).strip(), m.group(2)
        try:
            text = _pdf_text(_git(repo, "show", f"HEAD:{path}"))
        except subprocess.CalledProcessError:
            continue
        if len(text) > 300 and "题目" not in title and "题解" not in title:
            out.append((title, f"{title} {text}", f"github:{repo}@{commit}:{path}"))
    return out


def _weekly() -> tuple[list[tuple[str, str, str]], list[tuple[str, str]]]:
    """The weekly's issues as documents, and the titles of the articles its issues link to."""
    repo = "ruanyf/weekly"
    commit = _commit(repo)
    docs, titles = [], []
    for path in _files(repo, r"docs/issue-\d+\.md"):
        md = _git(repo, "show", f"HEAD:{path}")
        m = re.match(r"\s*#\s+(.+)", md)
        if m is None:
            continue
        src = f"github:{repo}@{commit}:{path}"
        title = _pdf_text(m.group(1)).strip()
        if 6 <= len(title) <= 60:
            docs.append((title, _pdf_text(md), src))
        for a in re.finditer(r"^\d{1,2}、\[([^\]]{4,48})\]\(", md, re.M):
            t = a.group(1).strip()
            if "[" not in t and "](" not in t:
                titles.append((t, src))
    return docs, titles


# Look-alikes as a PDF's text layer gives them: CJK radicals and compatibility ideographs (each
# folds back under NFKC), applied to some characters only, and full-width Latin letters and digits.
def _lookalike_table() -> dict[str, list[str]]:
    table: dict[str, list[str]] = {}
    for cp in [*range(0x2E80, 0x2FE0), *range(0xF900, 0xFB00)]:
        ch = chr(cp)
        folded = unicodedata.normalize("NFKC", ch)
        if len(folded) == 1 and folded != ch:
            table.setdefault(folded, []).append(ch)
    return table


_LOOKALIKE = _lookalike_table()


def _lookalike(text: str, rng: random.Random, share: float) -> str:
    out = []
    for c in text:
        if c in _LOOKALIKE and rng.random() < share:
            out.append(rng.choice(_LOOKALIKE[c]))
        elif c.isascii() and c.isalnum() and rng.random() < share / 2:
            out.append(chr(ord(c) + 0xFEE0))
        else:
            out.append(c)
    return "".join(out)


def _passage(text: str, rng: random.Random, size: int, lo: int = 40) -> str:
    """A passage from inside a text, starting anywhere past its opening."""
    if len(text) <= lo + size:
        return text[lo:]
    start = rng.randrange(lo, min(len(text) - size, 3000) + 1)
    return text[start : start + size]


# Descriptions written for this set (not copied from the dev set's lists).
_OPENINGS = [
    "第一讲 {w} ",
    "第一节 {w} ",
    "一、{w} ",
    "（一）{w} ",
    "引言 ",
    "引 言 ",
    "概要 ",
    "序言 ",
    "序 ",
    "前言 ",
    "背景 ",
    "Part I {w} ",
    "PART ONE ",
    "§1 {w} ",
    "§ 1.1 ",
    "1.1 {w} ",
    "1 {w} 1.1 ",
    "目录 1 {w} ...... 1 ",
    "目 录 第一章 {w} ",
    "第二章 {w} ",
    "第1课 {w} ",
    "Lecture 1 ",
    "Introduction ",
    "Summary ",
    "执行摘要 ",
    "摘要 本文",
    "导论 ",
    "绪论 ",
    "提要 ",
    "正文 ",
]
_SECTION_WORDS = ["概述", "基本概念", "总体思路", "研究背景", "问题的提出", "环境准备", "设计目标", "历史回顾"]
_BYLINES = [
    "编者：周{n} ",
    "译者：{n} ",
    "撰稿：{n} ",
    "整理：{n} ",
    "主编 {n} ",
    "{n} 编 ",
    "{n} 译 ",
    "{n} 著 ",
    "文 / {n} ",
    "作者 {n} ",
    "主讲：{n}老师 ",
    "汇报人：{n} ",
    "By {e} ",
    "{e} ",
]
_NAMES = ["孙晓", "钱文", "黄海涛", "吴敏", "欧阳雪", "郑一鸣", "何佳"]
_ENAMES = ["Alice Chen", "J. Smith", "Wei Zhang", "Tom Li"]
_DATES = ["2020年12月", "2018/07/03", "二〇二三年四月", "2022 年 9 月", "Sept. 2021", "2017.11", "2024年春"]
_ORGS = ["某某大学计算机学院", "技术研究院", "产品部", "信息中心", "软件工程系", "基础架构组"]
_FILE_STYLES = [
    "{t}.pdf",
    "{t}_final.pdf",
    "【精品】{t}.docx",
    "{t}(1).pptx",
    "{t} v2.doc",
    "{t}.PPTX",
    "{t}.txt",
    "{t}.ppt",
    "{t}-课件.ppt",
    "{t}（完整版）.doc",
]
_SITES = [
    " - 百度文库",
    "_豆丁网",
    " | 人人都是产品经理",
    " - 掘金",
    " - SegmentFault 思否",
    "_哔哩哔哩",
    " - 简书",
    " —— 阮一峰的网络日志",
    " - 原创力文档",
    " | 少数派",
    "_技术博客",
    " - 李四的专栏",
]
_VERSIONS = [" v3", "(2024版)", "第二版", " R2", " V2.1", "（修订版）", " 2022", "（2023年版）", " 3rd Edition", " V1.0"]  # noqa: E501
_UPLOADER = [
    "本文档介绍了",
    "这是一份关于",
    "内容包括：",
    "适合初学者阅读，",
    "资料来源于网络，",
    "共 {k} 页，",
    "整理了",
    "本课件",
]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", type=int, default=2024, help="another seed draws another set (for a second look)")
    ap.add_argument("--out", type=Path, default=_OUT)
    args = ap.parse_args()
    out = args.out
    rng = random.Random(args.seed)
    items: list[dict[str, object]] = []

    es6 = _heading_docs("ruanyf/es6tutorial", r"docs/[a-z0-9-]+\.md")
    interpy = _heading_docs("eastlakeside/interpy-zh", r"book/.+\.md")
    leet = _leetcode_docs()
    weekly_docs, article_titles = _weekly()
    rng.shuffle(weekly_docs)
    weekly_docs = weekly_docs[:90]
    docs = es6 + interpy + leet + weekly_docs
    texts = [t for _, t, _ in docs]

    def filler(size: int) -> str:
        return _passage(rng.choice(texts), rng, size)

    pending: list[dict[str, object]] = []

    def add(title: str, excerpt: str, kind: str, source: str, doc: str) -> None:
        excerpt = excerpt.strip()
        if title and excerpt:
            pending.append({"body": title + excerpt, "title": title, "kind": kind, "doc": doc, "source": source})

    # 1. Real documents: the first 255 characters (the title opens the text), or a passage.
    for title, text, src in docs:
        add(title, text[:255], "doc-first", src, src)
        if rng.random() < 0.5:
            add(title, _passage(text, rng, rng.randrange(120, 255)), "doc-inner", src, src + "|inner")

    # 2. Real titles (articles the weekly links to, chapter titles) glued to written descriptions.
    titles = sorted(set(article_titles))
    rng.shuffle(titles)
    chapter_titles = [(t, s) for t, _, s in es6 + interpy + leet]
    rng.shuffle(chapter_titles)
    pool = titles[:260] + chapter_titles[:60]
    rng.shuffle(pool)
    for n, (title, src) in enumerate(pool):
        doc = f"{src}#{n}"
        size = rng.randrange(80, 220)
        r = n % 16
        name = rng.choice(_NAMES)
        if r == 0:  # exact repeat with a byline, organisation or date
            extra = rng.choice(
                [rng.choice(_BYLINES).format(n=name, e=rng.choice(_ENAMES)), rng.choice(_ORGS), rng.choice(_DATES)]
            )
            add(title, f"{title} {extra} {filler(size)}", "fresh-repeat", src, doc)
        elif r == 1:  # repeat with look-alike characters (radicals, compatibility ideographs, full width)
            add(title, _lookalike(f"{title} {filler(size)}", rng, 0.7), "fresh-lookalike", src, doc)
        elif r == 2:  # a numbered title, the page without the number
            num = rng.choice(["5. ", "12 ", "3.2 ", "第4讲 ", "08 ", "2、", "(3) ", "Lesson 6 "])
            add(num + title, f"{title} {filler(size)}", "fresh-numbered", src, doc)
        elif r == 3:  # respaced repeat
            spaced = re.sub(r"(?<=[\u4e00-\u9fff])(?=[A-Za-z0-9])|(?<=[A-Za-z0-9])(?=[\u4e00-\u9fff])", " ", title)
            if spaced == title:
                spaced = title.replace(" ", "") if " " in title else " ".join(title)
            add(title, f"{spaced} {filler(size)}", "fresh-respaced", src, doc)
        elif r == 4:  # a section opening
            opening = rng.choice(_OPENINGS).format(w=rng.choice(_SECTION_WORDS))
            add(title, opening + filler(size), "fresh-section", src, doc)
        elif r == 5:  # a byline opening
            by = rng.choice(_BYLINES).format(n=name, e=rng.choice(_ENAMES))
            add(title, by + filler(size), "fresh-byline", src, doc)
        elif r == 6:  # a file name from another site
            style = rng.choice(_FILE_STYLES)
            name = style.format(t=title.replace(" ", rng.choice(["_", " ", ""])))
            add(name, filler(size), "fresh-filename", src, doc)
        elif r == 7:  # a site or author suffix
            add(title + rng.choice(_SITES), filler(size), "fresh-site", src, doc)
        elif r == 8:  # a version or edition
            add(title + rng.choice(_VERSIONS), filler(size), "fresh-version", src, doc)
        elif r == 9:  # the same document listed twice in one file
            add(title, filler(size), "fresh-duplicate", src, doc)
            add(title, filler(size), "fresh-duplicate", src, doc)
        elif r == 10:  # a title page: title, organisation, date
            add(
                title,
                f"{title} {rng.choice(_ORGS)} {rng.choice(_DATES)} {filler(size)}",
                "fresh-titlepage",
                src,
                doc,
            )
        elif r == 11:  # brackets around the title on the page
            mark = rng.choice(["《{t}》", "【{t}】", "“{t}”", "「{t}」"]).format(t=title)
            after = rng.choice(["读书笔记 ", "学习笔记 ", " ", "简介 "])
            add(title, f"{mark}{after}{filler(size)}", "fresh-brackets", src, doc)
        elif r == 12:  # an uploader's own description
            lead = rng.choice(_UPLOADER).format(k=rng.randrange(8, 60))
            add(title, lead + filler(size), "fresh-uploader", src, doc)
        else:  # a passage from inside, starting anywhere
            add(title, filler(size), "fresh-inner", src, doc)

    # Files: the lines in a fixed shuffled order, GROUP_SIZE to a file; the two listings of one
    # duplicate document go to the same file.
    rng.shuffle(pending)
    pending.sort(key=lambda it: it["kind"] == "fresh-duplicate")
    dup = [it for it in pending if it["kind"] == "fresh-duplicate"]
    rest = [it for it in pending if it["kind"] != "fresh-duplicate"]
    pairs: dict[str, list[dict[str, object]]] = {}
    for it in dup:
        pairs.setdefault(str(it["doc"]), []).append(it)
    chunks = [rest[i : i + GROUP_SIZE] for i in range(0, len(rest), GROUP_SIZE)]
    for k, pair in enumerate(pairs.values()):
        chunks[k * 3 % len(chunks)].extend(pair)
    for g, chunk in enumerate(chunks):
        for it in chunk:
            items.append({**it, "group": f"fresh-{g:03d}"})
    write_items(out, items)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
