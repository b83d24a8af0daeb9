"""Search: the query syntax and the terms that index Chinese and English text for FTS5.

FTS5's default tokenizer makes a run of Chinese characters one token, so ``复制`` would never match
inside ``写时复制原理``; the trigram tokenizer needs three characters and is large. We index our own
terms instead (see ``index_terms``): every English word, every pair of adjacent Chinese characters
(bigrams), and every single Chinese character in a second column. A query is turned into the same
terms: one character asks the single-character column, two or more ask for the phrase of their
bigrams, so a substring of any length matches and the index stays a few times the text's size.
"""

from __future__ import annotations

import re
import shlex
import unicodedata
from dataclasses import dataclass, field

STATUSES = ("unread", "reading", "read")
# Separates runs so that a phrase cannot match across punctuation: a private-use character, which
# FTS5's unicode61 tokenizer keeps as a token of its own.
RUN_BREAK = "\ue000"

_CJK = (
    r"\u2e80-\u2fdf\u3005\u3007\u3021-\u3029\u3040-\u30ff\u3100-\u312f\u31a0-\u31bf\u31f0-\u31ff"
    r"\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
)
# Words as FTS5's unicode61 tokenizer sees them: letters and digits, not "_" (which \w includes).
_RUNS = re.compile(rf"(?P<cjk>[{_CJK}]+)|(?P<word>[^\W_{_CJK}]+)")
_COMPARISON = re.compile(r"^(?P<op><=|>=|<|>|=)?(?P<value>\d+(?:\.\d+)?)\s*(?P<unit>[KMGT]?B)?$", re.I)
_BOOL = {
    "yes": True, "true": True, "1": True, "on": True, "no": False, "false": False, "0": False, "off": False,
    "是": True, "否": False,
}  # fmt: skip
_FIELDS = {"pages": "pages", "price": "price", "size": "size_bytes"}
# The keywords in Chinese, for a Chinese user's typing (and its full-width colon): 标签:分布式 稍后:是
# 状态:已读 页数:>100 价格:0 大小:>10MB. Each means exactly what its English keyword does.
_KEYWORDS = {
    "标签": "tag", "稍后": "later", "稍后读": "later", "状态": "status", "页数": "pages", "价格": "price",
    "大小": "size",
}  # fmt: skip
_STATUS_WORDS = {"未读": "unread", "在读": "reading", "阅读中": "reading", "已读": "read"}
_SIZE_UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3, "TB": 1024**4}


# NFKC maps the full-width forms of ASCII (U+FF01–U+FF5E: ，：（）Ａ…) to ASCII; nine in ten listing
# lines contain one, and normalising such a line took ~40 µs. Mapping them first leaves most lines
# already normalised, which is_normalized() confirms in ~1 µs. The result is NFKC's, exactly.
# (str.translate with a table is a Python-level lookup per character: slower than NFKC itself.)
_FULLWIDTH = re.compile("[\uff01-\uff5e]")


def _halfwidth(match: re.Match[str]) -> str:
    return chr(ord(match[0]) - 0xFEE0)


def fold(text: str) -> str:
    """NFKC: compatibility forms as the characters they stand for (``ＲＡＦＴ`` is ``RAFT``, the Kangxi
    radical in ``并⾏`` is ``行``); how titles and excerpts are stored and shown."""
    text = _FULLWIDTH.sub(_halfwidth, text)
    if not unicodedata.is_normalized("NFKC", text):
        text = unicodedata.normalize("NFKC", text)
    return text


def fold_parts(text: str, head: int, tail: int) -> tuple[str, str, str]:
    """``(fold(text), fold(text[:head]), fold(text[len(text) - tail:]))``: a body, and the title and the
    excerpt cut from it, folded with one full-width scan (~5 µs a listing line). The full-width mapping
    goes character by character, so the parts of the mapped body are the mapped parts; each is then
    NFKC-checked on its own."""
    mapped = _FULLWIDTH.sub(_halfwidth, text)
    first, last = mapped[:head], mapped[len(mapped) - tail :] if tail else ""
    if not unicodedata.is_normalized("NFKC", mapped):
        mapped = unicodedata.normalize("NFKC", mapped)
    if not unicodedata.is_normalized("NFKC", first):
        first = unicodedata.normalize("NFKC", first)
    if not unicodedata.is_normalized("NFKC", last):
        last = unicodedata.normalize("NFKC", last)
    return mapped, first, last


def normalize(text: str) -> str:
    """Fold width and case so that ``ＲＡＦＴ``, ``Raft`` and ``raft`` are the same."""
    return fold(text).casefold()


def _runs(text: str) -> list[tuple[str, str]]:
    # Group 1 is "cjk", group 2 "word": lastindex names the one that matched without a lookup by name.
    return [("cjk", m[1]) if m.lastindex == 1 else ("word", m[2]) for m in _RUNS.finditer(normalize(text))]


def _run_terms(kind: str, run: str) -> list[str]:
    if kind == "word" or len(run) == 1:
        return [run]
    # Each character joined to the next: the bigrams, without a slice per pair.
    return list(map(str.__add__, run[:-1], run[1:]))


def index_terms(*texts: str) -> tuple[str, str]:
    """The two FTS columns for a document's searchable texts: (words and bigrams, single characters)."""
    terms: list[str] = []
    cjk_runs: list[str] = []
    # _runs and _run_terms inlined: this runs for every imported line. An empty text has no runs.
    # findall hands the runs over as (cjk, word) strings, one of them empty: no match object per run.
    for text in texts:
        if not text:
            continue
        for run, word in _RUNS.findall(normalize(text)):
            if terms:
                terms.append(RUN_BREAK)
            if run:
                if len(run) == 1:
                    terms.append(run)
                else:
                    terms.extend(map(str.__add__, run[:-1], run[1:]))
                cjk_runs.append(run)
            else:
                terms.append(word)
    # The single characters: one set of the joined runs, not a set update per run.
    return " ".join(terms), " ".join(sorted(set("".join(cjk_runs))))


def _quote(token: str) -> str:
    return '"' + token.replace('"', '""') + '"'


def fts_match(term: str) -> str | None:
    """The FTS5 MATCH expression for one search term, or None if it has nothing to search for."""
    runs = _runs(term)
    if not runs:
        return None
    if len(runs) == 1 and runs[0][0] == "cjk" and len(runs[0][1]) == 1:
        return f"uni : {_quote(runs[0][1])}"
    tokens: list[str] = []
    for kind, run in runs:
        if tokens:
            tokens.append(RUN_BREAK)
        tokens.extend(_run_terms(kind, run))
    # The last token is a prefix so that a word matches while it is being typed (and a lone final
    # Chinese character matches the bigrams it starts).
    return "terms : " + _quote(" ".join(tokens)) + " *"


# The characters a term may consist of for the index to answer it exactly (see ``exact_fts_match``).
_CJK_ONLY = re.compile(rf"[{_CJK}]+")
_LETTER_CATEGORIES = frozenset(("Lo", "Lm", "Nl"))


def exact_fts_match(term: str) -> str | None:
    """``fts_match(term)`` when the index answers the search rule exactly, else None.

    The rule is a substring test (see ``plain_folded``). For a term of Chinese (or Japanese, Korean)
    letters only, the phrase of its bigrams (or its single character) is that test: a run of such
    letters in a text is one run of the index, so the term occurs in the text exactly when its bigrams
    follow each other there. An English word is indexed whole, so the index could only find words
    that start with the term: such a term is tested with LIKE."""
    folded = normalize(term)
    if (
        not folded
        or folded != plain_folded(term)
        or not _CJK_ONLY.fullmatch(folded)
        or not all(unicodedata.category(c) in _LETTER_CATEGORIES for c in folded)
    ):
        return None
    return fts_match(term)


def plain_folded(term: str) -> str:
    """A term as SQLite's ``lower()`` folds text (ASCII only), for the excerpt scan."""
    return "".join(c.lower() if c.isascii() else c for c in unicodedata.normalize("NFKC", term))


@dataclass(frozen=True, slots=True)
class Comparison:
    column: str  # a documents column: pages, price, size_bytes
    op: str  # one of < <= > >= =
    value: int


@dataclass(frozen=True, slots=True)
class Query:
    """A parsed search: free-text terms (all must match) and field filters."""

    terms: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    later: bool | None = None
    status: str | None = None
    comparisons: tuple[Comparison, ...] = field(default=())
    exact_tags: tuple[str, ...] = ()  # tag:=名字, the tag without the tags nested under it

    @property
    def is_empty(self) -> bool:
        return not (
            self.terms or self.tags or self.exact_tags or self.later is not None or self.status or self.comparisons
        )


def parse_query(text: str) -> Query:
    """Parse ``raft tag:分布式 later:yes status:unread pages:>100 "exact phrase"`` (or the Chinese
    keywords: ``标签:分布式 稍后:是 状态:未读 页数:>100``). ``tag:存储`` takes in the tags nested under
    it (``存储/分布式``); ``tag:=存储`` the tag alone.

    Anything that is not a well-formed filter is searched for as text, so no input is an error.
    """
    # Lone surrogates (from a broken paste) cannot reach SQLite as UTF-8: drop them.
    text = text.encode("utf-8", "ignore").decode("utf-8")
    try:
        words = shlex.split(text, posix=True)
    except ValueError:  # an unclosed quote: search for the words as they are
        words = text.replace('"', " ").replace("'", " ").split()
    terms: list[str] = []
    tags: list[str] = []
    exact_tags: list[str] = []
    comparisons: list[Comparison] = []
    later: bool | None = None
    status: str | None = None
    for word in words:
        key, sep, value = word.replace("：", ":", 1).partition(":")
        key = _KEYWORDS.get(key, key.lower())
        value = _STATUS_WORDS.get(value, value) if key == "status" else value
        if sep and value:
            if key == "tag":
                if value.startswith("=") and len(value) > 1:
                    exact_tags.append(value[1:])
                else:
                    tags.append(value)
                continue
            if key == "later" and value.lower() in _BOOL:
                later = _BOOL[value.lower()]
                continue
            if key == "status" and value.lower() in STATUSES:
                status = value.lower()
                continue
            if key in _FIELDS and (cmp := _comparison(_FIELDS[key], value)):
                comparisons.append(cmp)
                continue
        if word.strip():
            terms.append(word)
    return Query(tuple(terms), tuple(tags), later, status, tuple(comparisons), tuple(exact_tags))


def _comparison(column: str, text: str) -> Comparison | None:
    m = _COMPARISON.match(text.strip())
    if not m:
        return None
    number = float(m["value"])
    if m["unit"]:
        if column != "size_bytes":
            return None
        number *= _SIZE_UNITS[m["unit"].upper()]
    if number > 2**62:
        return None
    return Comparison(column, m["op"] or "=", round(number))


# --- the index's words, for a term of Latin letters and digits found inside a word ------------------
# The index holds English words whole, so a term like ``urve`` (which the rule finds in Curve) is not
# one of its tokens. The library keeps the words it has indexed in table index_words; a term of ASCII
# letters and digits is answered from it: the words that contain the term, then the documents that
# hold those words (see ``Library.index_hits``). A word is *plain* when every text it was indexed
# from contains it as the search rule reads text (``ascii_lower``): then every document the index
# finds through it contains the term. The folding of the index (Unicode case folding, NFKC for notes
# and tags, the tokenizer's removal of diacritics) can also give a text a word it does not contain
# (``ß`` is indexed as ``ss``, ``café`` as ``cafe``): documents found through such words are
# confirmed in their rows.

_ASCII_UPPER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")
ASCII_TERM = re.compile(r"[a-z0-9]+")  # a term the words answer (after ``plain_folded``)
# The characters that an NFKC text holds and Unicode case folding turns (partly) into ASCII letters,
# so that a text holding one may be indexed with a word it does not contain (all of Unicode 15).
_FOLDS_TO_ASCII = re.compile("[\u00df\u0130\u01f0\u1e96-\u1e99\u1e9e]")
_NOT_A_WORD = re.compile(rf"[{_CJK}{RUN_BREAK}]")
_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


def ascii_lower(text: str) -> str:
    """``text`` with its ASCII letters in lower case: how LIKE (the search rule) compares letters."""
    return text.translate(_ASCII_UPPER)


def ascii_skeleton(word: str) -> str | None:
    """For a word holding other letters than ASCII, the ASCII letters and digits left of it once
    accents are removed and the other letters dropped (``café`` → ``cafe``, ``naïve`` → ``naive``,
    ``q가z`` → ``qz``); None for an ASCII word. Whatever ASCII the index's tokenizer folds the word
    into is a part of this (tests/test_index_words.py checks every character), so a word whose
    skeleton does not contain a term is never indexed as a word that does."""
    if word.isascii():
        return None
    stripped = "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))
    return _NON_ASCII.sub("", stripped)


def index_words(*texts: str) -> dict[str, bool]:
    """The words (not Chinese) ``index_terms`` indexes for these texts, each with whether it is plain
    in them (see above)."""
    words: dict[str, bool] = {}
    for text in texts:
        if not text:
            continue
        lowered = ascii_lower(text)
        for m in _RUNS.finditer(normalize(text)):
            if m.lastindex == 2:
                word = m[2]
                words[word] = words.get(word, True) and word.isascii() and word in lowered
    return words


def terms_words(terms: str, *texts: str) -> dict[str, bool]:
    """``index_words(*texts)``, given their index terms (``index_terms(*texts)[0]``): read from the
    terms when the texts are in NFKC and hold no letter that case folding turns into ASCII (then
    each ASCII word of the terms is in its text, as ``title_words`` explains)."""
    joined = "\x00".join(texts)
    if _FOLDS_TO_ASCII.search(joined) or not unicodedata.is_normalized("NFKC", joined):
        return index_words(*texts)
    # A chunk's titles share most of their words: each distinct one is tested once (dict.fromkeys keeps
    # the first-seen order, so the words come out as before).
    distinct = dict.fromkeys(terms.split(" "))
    return {word: word.isascii() for word in distinct if word and not _NOT_A_WORD.match(word)}


def title_words(titles: list[str], terms: list[str]) -> dict[str, bool]:
    """``index_words`` of an import's titles, whose index terms (``index_terms(title)[0]``) are at
    hand: ``terms_words`` over the whole chunk at once (the importer stores titles in NFKC)."""
    return terms_words(" ".join(terms), *titles)
