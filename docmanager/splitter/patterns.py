"""The title splitter's limits, character classes and regexes, and where a seam lies between two chars."""

from __future__ import annotations

import re

# --- Limits -------------------------------------------------------------------------------
# Titles are short (typically 4-60 chars), so only the head of a body can hold the cut;
# never looking past it is also what keeps 100k bodies of ~600 chars fast.
WINDOW = 120
# Site names, versions and shared endings are title *ends*: only looked for this early.
TITLE_REACH = 90
# A word cut by the excerpt's start is looked for this early (nearly all titles are shorter).
FRAGMENT_REACH = 40
# Word fragments (weak evidence, fitted ~0.2-0.4) are only looked for when no cut has evidence this
# strong: the fitted weights have a gap here (repeat ~1.4 below; camel-case, byline, heading, section,
# lower-glued, fragment ~1.55-1.8 above), so a refit does not move kinds across it. On the training
# part as accurate as a gate of 2.0, with the scans run for ~20% of lines instead of ~30%.
FRAGMENT_GATE = 1.5
# Past this length a candidate title pays a growing penalty: long titles are rare.
TITLE_SOFT_MAX = 60
# With no candidate at all, this much of the body becomes the title.
FALLBACK_LEN = 60
# The other limits of the evidence (how far it is looked for, how much it may count).
CROSS_CAP = 4.0  # the most excerpt-start evidence a later cut is charged for passing
LEXICON_CAP = 8
REPEAT_MIN = 3  # a partial repeat of the title must cover this many (normalised) chars
REPEAT_GAP = 16  # the most text between a title and its repeat after a running header
REPEAT_PROBES = 4  # occurrences of the title's opening that are followed up, per probe
SHARED_MIN = 4  # a start two bodies share must be this long to say where a title ends

# --- Character classes --------------------------------------------------------------------
_CJK = (
    "\u2e80-\u2fdf\u3005-\u3007\u3021-\u3029\u3040-\u309f\u30a1-\u30fa\u30fc-\u30ff"
    "\u3100-\u312f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\U00020000-\U0003134f"
)
_LATIN = "A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u024f\u0370-\u03ff\u0400-\u04ff"
_DIGIT = "0-9\uff10-\uff19"
_C_CJK, _C_LATIN, _C_DIGIT, _C_SPACE, _C_PUNCT = 1, 2, 3, 4, 5
# One run per script; every punctuation char is its own run so each one can be a seam.
_RUN_RE = re.compile(rf"([{_CJK}]+)|([{_LATIN}]+)|([{_DIGIT}]+)|(\s+)|(.)", re.S)

_COLONS = (":", "：")
_OPENERS = "([{（【《「『〈“‘"
_CLOSERS = ")]}）】》」』〉”’"
_DASHES = "-–—|｜_"
_DASH_CLASS = r"\-–—|｜_"  # _DASHES escaped for use inside [...]
_SEP_MARKS = "·•・●○◆◇■□▪▫►▶◦…"
_APOSTROPHES = "'’"
# Chinese units and measure words: a number glued to one belongs to the text after it.
_UNITS = frozenset("年月日号时分秒天周个位名条种项次章节页篇期届版元岁倍")
_BULLETS = "•●○◆◇■□▪▫►▶◦"
# A title does not end with these: each announces more text (a clause, a list, a pair).
_BAD_END = frozenset("、，,:：;；。/&+·" + _OPENERS + _DASHES)
# CJK function characters bind to the word after them, so a title does not end on one.
_PARTICLES = frozenset("之的和与及或在对从把被向于以")
# An excerpt does not start with what only continues or closes a preceding phrase.
_BAD_START = frozenset(",，、。.;；:：!！?？" + _CLOSERS + "-–—")

# Each scan starts with a plain character class so the regex engine can skip ahead fast;
# one alternation of all of them scanned several times slower. "[x][x]*" and "\d\d?", not "[x]+"
# and "\d{1,2}": the engine skips ahead only when the pattern opens with a class or literal, not
# with a repeat (the same matches, scanned 1.3-1.6 times faster).
# A row of bullets or leader dots opens table-of-contents pages and slide decks.
_SEP_TAIL = rf"(?:\s*[{_SEP_MARKS}])*"
_SEP_RE = re.compile(rf"[{_SEP_MARKS}]{_SEP_TAIL}")
# Words that open a document's first page after its title, by kind (the group that matched):
# (every alternative opens with a literal char, not a class or an optional group: _MARKS_RE below
# then scans at C speed to one of the first chars; one class-led alternative made it ten times slower)
# section words, chapter openings, bylines, and words that may also end a title ("Docker 简介").
# One scan of all kinds without capture groups (groups in the alternation made it seven times
# slower; a scan per kind, three times); the few matches are then told apart by kind.
_HEADING_RES = (
    (
        re.compile(
            r"目\s?录|前\s?言|摘\s?要|序\s?言|附\s?录|参考文献|后\s?记|致\s?谢"
            r"|Table of Contents|Contents|CONTENTS|Abstract|ABSTRACT|Preface|PREFACE|Foreword|FOREWORD"
            r"|Summary|SUMMARY|Q&A"
        ),
        "heading",
    ),
    (
        re.compile(
            r"第\s?[一二三四五六七八九十\d]{1,3}\s?(?:章|节|部分|篇|讲|课|单元)|Chapter\s?\d|CHAPTER\s?\d"
            r"|Part\s(?:[IVX\d]|One|ONE)|PART\s(?:[IVX\d]|ONE)|Lecture\s?\d|Lesson\s?\d|Section\s?\d|Unit\s?\d|§\s?\d"
            # A Chinese enumeration ("一、背景"), matched from its mark (a lookbehind for the numeral):
            # led by the numeral, the scan stopped at every "一" of the text. The match is the mark.
            r"|、(?<=[一二三四五六七八九十]、)"
        ),
        "section",
    ),
    # Bylines: a role word; those that are also common verbs ("整理", "编辑") only before a colon.
    (
        re.compile(
            r"报告人|汇报人|作\s?者|主讲|讲师|演讲人|编著|译者|编者|指导教师|撰\s?稿|撰\s?文|主\s?编|执\s?笔"
            r"|整理(?=\s?[：:])|编辑(?=\s?[：:])|审校(?=\s?[：:])|校对(?=\s?[：:])|口述(?=\s?[：:])"
            r"|著(?= )|编(?= )|译(?= )"
        ),
        "byline",
    ),
    (
        re.compile(
            r"内容简介|简\s?介|概\s?述|引\s?言|导\s?读|绪\s?论|导\s?论|提\s?要|概\s?要|版权"
            r"|Introduction|INTRODUCTION|Overview|Copyright"
        ),
        "intro",
    ),
    # An uploader's own description opens by naming what the document is ("本书…", "这是一份…",
    # "内容包括…", "共 30 页"): the title ends before it.
    (
        re.compile(r"本(?<![一二三四五六七八九十两几\d]本)(?:文档?|书|资料|课件|教程|讲义|报告|手册|课程|套)|这是一[份篇本套部个]|主要内容|内容包括|内容涵盖|共\s?\d{1,4}\s?页"),
        "description",
    ),
)
_HEADING_RE = re.compile("|".join(r.pattern for r, _ in _HEADING_RES))
# Separators (_SEP_RE), dashes and section words in one scan of the head: every alternative opens
# with a literal char, so the engine still skips ahead (to any of their first chars). The three sets
# of first chars are disjoint and no match holds another kind's first char, so a match's first char
# tells its kind and the matches are those of the three scans.
_MARKS_RE = re.compile(
    "|".join([*(re.escape(c) + _SEP_TAIL for c in _SEP_MARKS), *map(re.escape, _DASHES), _HEADING_RE.pattern])
)


_KIND_CACHE: dict[str, str] = {}


def _heading_kind(word: str) -> str:
    """The kind of a matched section word (cached: the same few words recur)."""
    kind = _KIND_CACHE.get(word)
    if kind is None:
        # Matched with a colon, then a space after it: a byline's lookahead holds with one of them.
        probes = (word + "：", word + " ")
        kind = next(
            (k for r, k in _HEADING_RES for probe in probes if (m := r.match(probe)) and m.end() == len(word)),
            "heading",
        )
        if len(_KIND_CACHE) < 4096:
            _KIND_CACHE[word] = kind
    return kind


# A byline after the name, as title pages set it ("张三 著", "李四 主编"): the role word follows a
# space (the one-char roles also precede one; they are among the byline words of the head scan). The
# name before it opens the excerpt; where it starts is told by its surname.
_ONE_CHAR_ROLES = frozenset("著编译")
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭"
    "陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_COMPOUND_SURNAMES = frozenset(("欧阳", "司马", "上官", "诸葛", "东方", "皇甫", "令狐", "慕容", "尉迟", "公孙"))
# A file name from another document site: the title ends right after its extension.
_FILE_EXT_RE = re.compile(r"\.(?:pdf|pptx?|docx?|txt|xlsx?|epub|mobi|caj|wps)", re.IGNORECASE)
# A section number opening the excerpt ("1.1 概述"), not a version ("v8.5") or a decimal.
_SECTION_NUM_RE = re.compile(r"\d\d?\.\d{1,2}(?=\s|[\u4e00-\u9fff])")
# A title's leading number ("4. ", "13 ", "2.3 ", "第3讲 ", "(3) ", "Lesson 6 ", "一、"): the page may
# repeat the title without it. The forms are those a numbered part of a series takes: a number with
# or without a mark, in brackets, a Chinese ordinal or numeral, or a part word with its number.
_LEAD_NUM_RE = re.compile(
    r"\s*(?:\d{1,3}(?:\.\d{1,3})*\s*[.、．:：)）]?|[(（]\s?[\d一二三四五六七八九十]{1,3}\s?[)）]"
    r"|第\s?[一二三四五六七八九十百\d]{1,3}\s?(?:章|节|讲|课|篇|部分|期|单元|周|天)|[一二三四五六七八九十]{1,3}[、．.]"
    r"|(?:Lesson|Lecture|Chapter|Part|Unit|Section|Step|Day|Week|Episode|Ep\.?|No\.|#)\s?\d{1,3}\s*[.:：]?)\s*",
    re.IGNORECASE,
)
_SPACE_RE = re.compile(r"\s\s*")
_NUM_RE = re.compile(r"[0-9][0-9]*(?:\.[0-9]+)*")
_ENUM_MARK_RE = re.compile(r"\s*[.、．)）]")
_ENUM_NEXT_RE = re.compile(r"(?<![\d.])(\d{1,2})\s*[.、．)）]|(?<!\d)(0\d)\s")
_EDITION_RE = re.compile(r"(?:st|nd|rd|th) [Ee]dition")
_ORDINALS = ("st", "nd", "rd", "th")  # how _EDITION_RE starts: a cheap test before the match
_DASH_RE = re.compile(rf"[{_DASH_CLASS}]")
_WORD_RE = re.compile(rf"[{_LATIN}][{_LATIN}]*")
_CJK_RUN_RE = re.compile(rf"[{_CJK}][{_CJK}]+")  # runs of one char end no shared title ending: not matched
_CAMEL_RE = re.compile(r"(?<=[a-z]{3})(?=[A-Z][a-z])")
_SITE_RE = re.compile(
    rf"(?:\S\s+[{_DASH_CLASS}]+\s*[^\s{_DASH_CLASS}](?:[^{_DASH_CLASS}]{{0,22}}[^\s{_DASH_CLASS}])?"
    rf"|[{_CJK}][-–—][{_CJK}]{{2,4}})$"
)
# An edition note or a serial's number ends a title: in brackets ("（修订版）", "(2024版)", "（2023年版）") or as an
# ordinal ("第二版", "第 12 期"); the title ends after it even when the excerpt's Chinese is glued to it.
_ORDINAL = r"第\s?[一二三四五六七八九十百\d]{1,4}\s?"
_BRACKET_NOTE = r"[(（][^()（）\s]{1,8}版"
_VERSION_RE = re.compile(
    r"(?:(?<![0-9.])(?:19|20)\d{2}(?:[01]\d(?:[0-3]\d)?)?"
    r"|(?<![0-9.])[vV]?\d+(?:\.\d+)+|(?<![A-Za-z])[vVrR]\d+"
    rf"|\d+(?:st|nd|rd|th) [Ee]dition|第[一二三四五六七八九十\d]+版|{_BRACKET_NOTE}"
    rf"|{_ORDINAL}[期集季卷辑])$"
)
_ORDINAL_NOTE_RE = re.compile(rf"{_ORDINAL}[版期集季卷辑]")
_BRACKET_NOTE_RE = re.compile(rf"{_BRACKET_NOTE}[)）]$")
# The last char of a title that may end in a version or edition, or a serial's number ("第 12 期"):
# what a title must end with for the version-suffix evidence to be looked for.
_VERSION_LAST = "版n期集季卷辑"
# Shell and code syntax does not occur in titles: a prompt or variable ("$"), an assignment, a path
# escape, braces, angle brackets and arrows, ASCII double quotes, a command-line option ("--port",
# " -p"), a comment mark not after a language name ("C#"). Each alternative opens with a char (the
# lookbehinds come after it), so the engine skips ahead to one of them.
_CODE_RE = re.compile(r'[$=\\{}<>"`]|-(?:-|(?<!\S-)[a-z])|#(?<![A-Za-z+#]#)')
# A command-line option ("--name db", "-p 80:80"): an excerpt may open with one, though not with a dash.
_OPTION_RE = re.compile(r"--?[a-z]")
# A comma after CJK is Chinese prose even when the page saved it half-width.
_SENTENCE_RE = re.compile(rf"[，。；！？]|[{_CJK}]\s*[,;]")
_SENTENCE_MARK_RE = re.compile(r"[，。；！？,;]")  # each match of _SENTENCE_RE holds one of these
# A site's name closes a title ("… – 博客园", "…_CSDN博客", "… | InfoQ") even with text glued to it.
_SITE_NAMES = (
    *("CSDN博客", "CSDN", "博客园", "cnblogs", "网易数帆", "网易云", "开源中国", "OSCHINA", "InfoQ中文站", "InfoQ"),
    *("知乎专栏", "知乎", "简书", "稀土掘金", "掘金", "SegmentFault", "思否", "腾讯云开发者社区", "腾讯云"),
    *("阿里云开发者社区", "阿里云", "华为云社区", "华为云", "51CTO博客", "51CTO", "ITeye", "豆瓣", "少数派", "V2EX"),
    *("菜鸟教程", "w3cschool", "Gitee", "码云", "GitHub", "微信公众平台", "百度文库", "道客巴巴", "豆丁网", "O'Reilly"),
    # Other document-sharing sites and video and news portals whose page titles end in their name.
    *("原创力文档", "人人文库", "360文库", "爱问共享资料", "新浪爱问", "淘豆网", "金锄头文库", "文库吧", "docin", "doc88"),  # noqa: E501
    *("哔哩哔哩", "bilibili", "今日头条", "搜狐", "新浪博客", "网易号", "百家号", "微信公众号", "人人都是产品经理"),
)
# A personal page's name: "… - 张三的专栏", "… —— 阮一峰的网络日志".
_OWN_PAGE = r"[^\s的]{1,12}的(?:专栏|博客|网络日志|个人空间|个人主页|主页|笔记本?)"
_SITE_NAME_RE = re.compile(
    rf"(?:\s[{_DASH_CLASS}]+\s*|[_|｜])(?:{'|'.join(re.escape(n) for n in sorted(_SITE_NAMES, key=len, reverse=True))}"
    rf"|{_OWN_PAGE})"
)


_NEVER = 1 << 62
_CLASS_CACHE: dict[str, int] = {}


def _cls(ch: str) -> int:
    """Script class of one char (cached: the same few thousand chars recur)."""
    c = _CLASS_CACHE.get(ch)
    if c is None:
        m = _RUN_RE.match(ch)
        c = m.lastindex if m is not None and m.lastindex is not None else _C_PUNCT
        _CLASS_CACHE[ch] = c
    return c


def _seam(text: str, p: int, anywhere: bool = False) -> int:
    """Title end for a cut before text[p], or -1 when text[p] continues what precedes it.

    A glued title can only end where the script changes (CJK, Latin, digits, punctuation);
    whitespace between two runs of the same script does not make a seam.
    """
    q = p - 1
    while q >= 0 and text[q].isspace():
        q -= 1
    if q < 0:
        return -1
    if anywhere:
        return q + 1
    a, b = text[q], text[p]
    classes = _CLASS_CACHE  # looked up in place: _seam runs for every cut noted
    ca = classes.get(a) or _cls(a)
    if ca != (classes.get(b) or _cls(b)):
        # An apostrophe between letters belongs to the word ("O'Reilly", "don't").
        if (b in _APOSTROPHES and _cls(text[p + 1 : p + 2] or " ") == _C_LATIN) or (
            a in _APOSTROPHES and q > 0 and _cls(text[q - 1]) == _C_LATIN
        ):
            return -1
        return q + 1
    # Two punctuation marks: "》·" is a seam, the inside of "· · ·" or "))" is not.
    if ca == _C_PUNCT and a != b and not (a in _SEP_MARKS and b in _SEP_MARKS):
        return q + 1
    return -1


def _skip_space(text: str, p: int) -> int:
    while p < len(text) and text[p].isspace():
        p += 1
    return p
