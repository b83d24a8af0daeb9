"""Evidence that an excerpt starts inside a word: a passage from inside a document (a keyword
search's hit) opens at an arbitrary character, so the line often reads TITLE + the tail of a word
("9.4 容器互联" + "器之间的网络通信", "1.2 什么是 Docker" + "ontainers libcontainer").

Chinese cuts are found with a compact word list (docmanager/_cjk_lexicon.py, derived from jieba's
dictionary), Latin ones with the body's own words and a list of Latin words (docmanager/_latin_words.py,
Debian's package names and SCOWL's English words); both lists are loaded on first use, so importing the
splitter stays cheap.
"""

from __future__ import annotations

import functools
import re

__all__ = [
    "cjk_fragment_cuts",
    "cjk_opener_cuts",
    "doubled_cuts",
    "latin_doubled",
    "latin_glued_cuts",
    "latin_tail_cuts",
    "latin_word_cuts",
    "title_noun_cuts",
    "title_shape",
]

# A title of only these is a (section) number: "12.2" of "12.2 命名空间", cut where the excerpt starts.
_NUMBER_CHARS = "0123456789.．"


@functools.cache
def _load() -> tuple[frozenset[str], frozenset[str], re.Pattern[str]]:
    """The words, the 2-char openings of words, and a scan for bound chars (once per process)."""
    from docmanager import _cjk_lexicon

    words = frozenset(_cjk_lexicon.WORDS.split())
    openings = frozenset(w[:2] for w in words)
    # Each Chinese char followed by a bound char, as a pair (overlapping: a lookahead's group).
    pairs = re.compile(f"(?=([\u4e00-\u9fff][{_cjk_lexicon.BOUND}]))")
    return words, openings, pairs


def cjk_fragment_cuts(text: str, start: int, stop: int) -> list[int]:
    """Cuts p in [start, stop) inside a run of Chinese where text[p:] opens with the tail of a word.

    At p: text[p] is a bound character (mostly the last character of a word, "器" of 容器), no
    dictionary word starts at p or spans the cut, a word ends right before it (the title ends on
    a whole word), and the body does not use the pair after the cut, or the pair across it, again.
    Most bound chars end the word they are in (容器): those pairs are dropped by one set
    difference (C speed) before any per-cut test.
    """
    words, openings, pairs = _load()
    lo = max(start, 2)
    out = []
    for across in set(pairs.findall(text, lo - 1, stop)).difference(words):
        p = text.find(across, lo - 1, stop) + 1
        while p > 0:
            pair = text[p : p + 2]
            if (
                not (pair in openings and (pair in words or text[p : p + 3] in words or text[p : p + 4] in words))
                and text.find(pair, p + 2) < 0
                and text.find(across, p + 1) < 0
                and (text[p - 2 : p] in words or text[p - 3 : p] in words or text[p - 4 : p] in words)
                and not any(text[a:b] in words for a in range(p - 3, p) for b in range(max(p + 1, a + 3), a + 5))
            ):
                # No word starts at p (the test that fails most: first), the body uses neither the
                # pair after the cut nor the pair across it again, a word ends before it, and no 3-4
                # char word spans it.
                out.append(p)
            p = text.find(across, p, stop) + 1
    out.sort()
    return out


def title_shape(title: str) -> list[tuple[float, str]]:
    """Penalties for what is not a whole title, as (value, feature name) parts (the splitter asks
    only about titles that start with a digit)."""
    if not title.strip(_NUMBER_CHARS):
        return [(1.0, "number-only")]
    return []


def _lowered(text: str) -> str:
    """The text lower-cased, position for position; as written where lower() grows a char ("İ")."""
    lower = text.lower()
    return lower if len(lower) == len(text) else text


# A Latin word long enough to hide a title word glued to an excerpt word.
# "[x][x]{4,}", not "[x]{5,}": a pattern that opens with a class lets the engine skip ahead.
_LATIN_RUN_RE = re.compile(r"[A-Za-z][A-Za-z]{4,}")
_LETTERS_RE = re.compile(r"[a-z]+")


def latin_glued_cuts(text: str, stop: int) -> list[int]:
    """Cuts inside a Latin run of text[:stop] where a title word is glued to the excerpt's text.

    An inner passage opens with any letters, so the run can read "Docker" + "ontainers" or
    "MongoDB" + "ongoDB": the run as a whole does not recur in the body, while its longest head
    of 3+ letters (leaving 1+ letters) is a word the body uses on its own elsewhere ("Docker 0.9").
    Only the words elsewhere that open like the run are looked at: most runs have none.
    """
    out = []
    lower = ""
    for m in _LATIN_RUN_RE.finditer(text, 0, stop):
        s = m.start()
        if not lower:
            lower = _lowered(text)  # "Busybox" + "pattern" and "busybox" elsewhere
        run = lower[s : m.end()]
        if lower.count(run) > 1:
            continue  # the run recurs: a word of the body
        best = 0
        i = lower.find(run[:3])
        while i >= 0:
            if i != s and not (i and lower[i - 1].isascii() and lower[i - 1].isalpha()):
                w = _LETTERS_RE.match(lower, i)
                size = w.end() - i if w is not None else 0
                if best < size < len(run) and run.startswith(lower[i : i + size]):
                    best = size
            i = lower.find(run[:3], i + 1)
        if best:
            out.append(s + best)
    return out


@functools.cache
def _latin_words() -> frozenset[str]:
    """Latin words of 5+ letters (docmanager/_latin_words.py), decompressed once per process."""
    import base64
    import lzma

    from docmanager import _latin_words

    return frozenset(lzma.decompress(base64.b85decode("".join(_latin_words.WORDS))).decode("ascii").split("\n"))


# What a word goes on with and stays a word ("container" + "s", "deploy" + "ment"): no cut before these.
_SUFFIXES = frozenset(("s", "es", "ed", "d", "ing", "er", "ers", "ly", "ion", "ions", "al", "ment", "ness", "y"))


def latin_word_cuts(text: str, stop: int) -> list[int]:
    """Cuts inside a Latin run of text[:stop] that is no word, where its longest head of 5+ letters is one
    ("Kubernetes" + "sh 执行", "Busybox" + "pattern from", "MongoDB" + "ongoDB 基本信息"): a title's word
    glued to the excerpt's letters, told by a word list (Debian's package names and English words) where
    the body alone says nothing (latin_glued_cuts, latin_tail_cuts).

    Not where the run recurs in the body (a word of it), the rest is a suffix ("Dockerfile" + "s"), or the
    rest is a capitalised word ("Segment" + "Fault"): two words in CamelCase make one name.
    """
    out = []
    lower = ""
    words = _latin_words()
    for m in _LATIN_RUN_RE.finditer(text, 0, stop):
        s, e = m.span()
        if e - s < 6:
            continue  # a 5-letter head and at least one letter after it
        run = m.group().lower()
        if run in words:
            continue  # the common case, told before the body is lowered
        if not lower:
            lower = _lowered(text)
        run = lower[s:e]
        if lower.count(run) > 1:
            continue
        for k in range(len(run) - 1, 4, -1):
            if run[:k] in words:
                rest = run[k:]
                if rest not in _SUFFIXES and not (text[s + k].isupper() and rest in words):
                    out.append(s + k)
                break
    return out


# Chinese characters that attach to what precedes them (aspect markers, a complement marker, the plural
# suffix, a bound preposition, question particles): a sentence or a title does not open with one, so text
# opening with one after a whole word is a passage cut from inside a sentence. (的, 之 and 地 are left
# out: titles join their words with them, "Dubbo 的序列化协议"; so are the suffixes 性 and 化, which make
# words the word list lacks, "可观测性".)
_ATTACHED = "了着们得于么吗呢"
_ATTACHED_RE = re.compile(f"[{_ATTACHED}]")  # a plain class: the engine skips ahead to one


def cjk_opener_cuts(text: str, start: int, stop: int) -> list[int]:
    """Cuts p in [start, stop) inside a run of Chinese where text[p:] opens with a character that
    attaches to what precedes it ("缓存" + "了一份数据"), a word ends right before p, and neither a word
    starting at p ("的确", "之后") nor the pair across the cut ("为了", "目的") is a word."""
    out = []
    words = _load()[0]
    for m in _ATTACHED_RE.finditer(text, max(start, 2), stop):
        p = m.start()
        if not ("\u4e00" <= text[p - 1] <= "\u9fff"):
            continue
        if (
            text[p - 1 : p + 1] not in words
            and text[p : p + 2] not in words
            and text[p : p + 3] not in words
            and (text[p - 2 : p] in words or text[p - 3 : p] in words or text[p - 4 : p] in words)
            and not any(text[a:b] in words for a in range(p - 3, p) for b in range(max(p + 1, a + 3), a + 5))
        ):
            out.append(p)  # no 3-4 char word spans the cut ("可靠性")
    return out


# One or two Chinese chars written twice in a row (a class first: the engine skips other text).
_DOUBLED_RE = re.compile(r"([\u4e00-\u9fff])(?:\1|([\u4e00-\u9fff])\1\2)")


def doubled_cuts(text: str, stop: int) -> list[int]:
    """Cuts p < stop where the excerpt opens with the Chinese the title ends with ("5.4 进入容器" +
    "容器名", "开启实验特性" + "性已经"); a Latin word written twice ("Demo" + "Demo 21.4.1") is told
    by latin_doubled.

    Running text rarely says a word twice in a row; a title glued to a passage that happens to open
    with the same word (or with the rest of a word whose last char ends the title) does. A doubled
    single char counts only where the pair is no word (人人, 常常 are), a word ends at the cut and no
    word starts there ("中文" + "文档").
    """
    out = []
    words = _load()[0]
    for m in _DOUBLED_RE.finditer(text, 1, stop + 4):
        s = m.start()
        p = s + (2 if m.group(2) else 1)
        if p >= stop:
            break
        if p == s + 1 and (
            text[s : s + 2] in words
            or text[p : p + 2] in words
            or not (text[p - 2 : p] in words or text[p - 3 : p] in words)
        ):
            continue
        out.append(p)
    return out


def latin_doubled(word: str) -> int:
    """Where a Latin run splits into one word written twice ("DemoDemo": 4), or 0. The word is
    capitalised or 4+ letters long: "bulbul", "murmur" are words."""
    half = len(word) // 2
    if len(word) % 2 or half < 3 or (half < 4 and not word[0].isupper()) or word[:half] != word[half:]:
        return 0
    return half


def latin_tail_cuts(text: str, stop: int) -> list[int]:
    """Cuts inside a Latin run of text[:stop] where the excerpt's first word is glued to the title's
    last one ("Elixir" + "containerd 有助于 … containerd"): the run as a whole does not recur in the body,
    while a tail of 4+ letters (leaving 2+) is a whole word the body uses on its own elsewhere. The
    longest such tail is taken; the mirror of latin_glued_cuts (a title word the body uses elsewhere).
    """
    out = []
    lower = ""
    for m in _LATIN_RUN_RE.finditer(text, 0, stop):
        s, e = m.span()
        if e - s < 6:
            continue
        if not lower:
            lower = _lowered(text)
        run = lower[s:e]
        if lower.count(run) > 1:
            continue  # the run recurs: a word of the body
        for cut in range(s + 2, e - 3):
            tail = lower[cut:e]
            i = lower.find(tail)
            found = False
            while i >= 0:
                j = i + len(tail)
                if (
                    i != cut
                    and not (i and lower[i - 1].isascii() and lower[i - 1].isalpha())
                    and not (j < len(lower) and lower[j].isascii() and lower[j].isalpha())
                ):
                    found = True
                    break
                i = lower.find(tail, i + 1)
            if found:
                out.append(cut)
                break
    return out


# Head nouns that end the titles of documents and chapters: what kind of text it is (指南, 手册, 笔记),
# or what it explains (原理, 架构, 机制, 算法). A general list of such nouns, not titles' own words.
_TITLE_NOUNS = (
    *("指南", "手册", "教程", "入门", "实践", "实战", "原理", "架构", "设计", "文档", "笔记", "讲义", "课件", "简介"),
    *("介绍", "概述", "综述", "总结", "小结", "详解", "解析", "分析", "方案", "规范", "标准", "报告", "知识", "基础"),
    *("概念", "机制", "模型", "算法", "框架", "系统", "技术", "方法", "策略", "流程", "语法", "对象", "接口", "协议"),
    *("配置", "部署", "优化", "实现", "应用", "开发", "编程", "攻略", "大全", "速查", "心得", "问题", "研究", "探讨"),
    *("白皮书", "说明书", "参考", "导论", "教材", "习题", "案例", "专题", "演进", "体系", "原则", "模式", "工具", "指引"),  # noqa: E501
    *("翻译", "译本", "读本", "汇总", "合集", "全集", "集锦", "精选", "要点", "清单", "宝典", "秘籍", "备忘"),
    *("模板", "范文", "教案", "试卷", "试题", "答案", "课程", "讲座", "论文", "作业", "表格", "计划", "规划", "纲要"),
    *("文章", "系列", "中文版", "中译本", "精粹", "进阶", "之道", "之路", "实录", "漫谈", "浅析", "初探", "手记", "札记"),  # noqa: E501
    *("随笔", "源码", "示例", "文集", "专栏", "周刊", "电子书", "讲稿", "幻灯片", "培训", "分享", "复盘", "面试题"),
)
_TITLE_NOUN_RE = re.compile("|".join(sorted(_TITLE_NOUNS, key=len, reverse=True)))
_NOUN_SET = frozenset(_TITLE_NOUNS)
# What joins a noun to more of the same noun phrase ("架构的描述", "原理与实践"): the title goes on.
_NOUN_LINKS = frozenset("的之与和及或中")
_CLAUSE_MARK_RE = re.compile("[，。；]")
_EDITION_AFTER_RE = re.compile("第[一二三四五六七八九十\\d]{1,3}版")
# Adverbs, modals and the like: the word after one is a verb ("之后再配置告警规则"), not a title's noun.
_ADVERBS = frozenset("再已将会可能来去就都也需应并又先才还被把请")
_CJK_GAP_RE = re.compile("[\u4e00-\u9fff] +[\u4e00-\u9fff]")


def title_noun_cuts(text: str, start: int, stop: int) -> list[int]:
    """Cuts p in [start, stop) right after a head noun that ends titles, with Chinese, a letter or a
    digit glued on ("优先队列知识" + "出队。", "Promise 对象" + "数，", "Redis设计手册" + "2019 年"): a
    passage from inside a document glued to a title that ends the way titles do. Not where the noun
    goes on into a longer word ("知识点", "设计模式": a 3-4 char word spans the cut), the pair across
    the cut is a word, a link char continues the phrase ("架构的描述") or another head noun follows
    ("入门实战")."""
    words = _load()[0]
    nouns = _NOUN_SET
    out: list[int] = []
    gap = -1  # not looked for yet
    # The tests run cheapest first (most matches fail one of the first), set look-ups before regexes.
    for m in _TITLE_NOUN_RE.finditer(text, max(start - 2, 0), stop):
        p = m.end()
        if p < start or p >= stop:
            continue
        after = text[p]
        if after in _NOUN_LINKS or not ("\u4e00" <= after <= "\u9fff" or (after.isascii() and after.isalnum())):
            continue  # a link goes on with the phrase; a space or a mark is a seam of its own
        b = m.start()
        if (b > 0 and text[b - 1] in _ADVERBS) or text[p - 1 : p + 1] in words:
            continue  # "再配置", "可实现": after an adverb or modal the noun is a verb inside a clause
        if text[p : p + 2] in nouns or text[p : p + 3] in nouns or (after == "第" and _EDITION_AFTER_RE.match(text, p)):
            continue  # nouns in a row ("入门实战", "基础知识") or an edition ("大全第二版"): the title goes on
        q = text.find("？", p, p + 30)
        if q > 0 and not _CLAUSE_MARK_RE.search(text, p, q):
            continue  # a question follows ("如何实现" + "读写分离？"): the title ends at its mark
        if any(text[a:c] in words for a in range(p - 3, p) for c in range(max(p + 1, a + 3), a + 5)):
            continue
        if gap < 0:
            # Chinese, a space, Chinese: a line break of the page (a title rarely holds one), so the
            # title ended before it (looked for once a cut is found: most heads have none).
            g = _CJK_GAP_RE.search(text, start, stop)
            gap = g.start() + 1 if g is not None else stop
        if p >= gap:
            break
        out.append(p)
    return out
