"""Search: the query syntax, the index terms, and what a real library finds."""

from __future__ import annotations

import hashlib

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docmanager.library import Library, ViewQuery, identity_key
from docmanager.search import (
    _RUNS,
    RUN_BREAK,
    Comparison,
    Query,
    exact_fts_match,
    fold,
    fold_parts,
    fts_match,
    index_terms,
    normalize,
    parse_query,
)

# --- parse_query ---------------------------------------------------------------------------------

MB = 1024**2


@pytest.mark.parametrize(
    ("text", "query"),
    [
        ("", Query()),
        ("raft", Query(terms=("raft",))),
        ("tag:分布式", Query(tags=("分布式",))),
        ("tag:a TAG:b", Query(tags=("a", "b"))),
        ("later:yes", Query(later=True)),
        ("later:no", Query(later=False)),
        ("later:TRUE", Query(later=True)),
        ("later:0", Query(later=False)),
        ("status:unread", Query(status="unread")),
        ("status:Reading", Query(status="reading")),
        ("status:read", Query(status="read")),
        ("pages:>100", Query(comparisons=(Comparison("pages", ">", 100),))),
        ("pages:<=5", Query(comparisons=(Comparison("pages", "<=", 5),))),
        ("pages:42", Query(comparisons=(Comparison("pages", "=", 42),))),
        ("price:=0", Query(comparisons=(Comparison("price", "=", 0),))),
        ("size:>10MB", Query(comparisons=(Comparison("size_bytes", ">", 10 * MB),))),
        ("size:<1.5kb", Query(comparisons=(Comparison("size_bytes", "<", 1536),))),
        ("size:>=2GB", Query(comparisons=(Comparison("size_bytes", ">=", 2 * 1024**3),))),
        ('"exact phrase"', Query(terms=("exact phrase",))),
        ('raft "写时 复制" tag:x', Query(terms=("raft", "写时 复制"), tags=("x",))),
        ("'single quoted'", Query(terms=("single quoted",))),
        ('"unclosed quote', Query(terms=("unclosed", "quote"))),
        ("it's raft", Query(terms=("it", "s", "raft"))),  # an unclosed ' is dropped, not an error
        ('tag:"分布式 系统"', Query(tags=("分布式 系统",))),
        (
            'raft tag:分布式 later:yes status:unread pages:>100 "exact phrase"',
            Query(("raft", "exact phrase"), ("分布式",), True, "unread", (Comparison("pages", ">", 100),)),
        ),
    ],
)
def test_parse_query(text: str, query: Query) -> None:
    assert parse_query(text) == query


@pytest.mark.parametrize(
    "text",
    ["tag:", "later:maybe", "status:done", "pages:lots", "pages:>10MB", "price:>1KB", "size:big", "foo:bar",
     "pages:>", "size:>>1", "pages:1e999", "pages:" + "9" * 40, ":", "later:"],
)
def test_junk_filters_are_kept_as_text(text: str) -> None:
    q = parse_query(text)
    assert q.terms == (text,)
    assert (q.tags, q.later, q.status, q.comparisons) == ((), None, None, ())


@pytest.mark.parametrize(("text", "empty"), [("", True), ("   ", True), ('"', True), ('""', True), ("a", False)])
def test_is_empty(text: str, empty: bool) -> None:
    assert parse_query(text).is_empty is empty


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=60))
def test_parse_query_never_raises(text: str) -> None:
    q = parse_query(text)
    assert all(t.strip() for t in q.terms)
    for term in q.terms:
        fts_match(term)


# --- index terms ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("texts", "terms", "singles"),
    [
        (("写时复制",), "写时 时复 复制", "写 复 时 制"),
        (("Raft在Curve",), f"raft {RUN_BREAK} 在 {RUN_BREAK} curve", "在"),
        (("ＲＡＦＴ",), "raft", ""),
        (("a", "b"), f"a {RUN_BREAK} b", ""),
        (("",), "", ""),
        (("— · —",), "", ""),
    ],
)
def test_index_terms(texts: tuple[str, ...], terms: str, singles: str) -> None:
    got_terms, got_singles = index_terms(*texts)
    assert got_terms == terms
    assert sorted(got_singles.split()) == sorted(singles.split())


@pytest.mark.parametrize(
    ("term", "match"),
    [
        ("网", 'uni : "网"'),
        ("复制", 'terms : "复制" *'),
        ("写时复制", 'terms : "写时 时复 复制" *'),
        ("RAFT", 'terms : "raft" *'),
        ('a"b', f'terms : "a {RUN_BREAK} b" *'),
        ("%", None),
        ("*", None),
        ("", None),
    ],
)
def test_fts_match(term: str, match: str | None) -> None:
    assert fts_match(term) == match


@pytest.mark.parametrize(
    ("term", "exact"),
    [
        ("网", True), ("复制", True), ("写时复制", True), ("ひらがな", True), ("한국어", True),
        ("raft", False),  # the index holds whole words: "aft" in "raft" is for LIKE
        ("复制raft", False), ("写时 复制", False), ("复制。", False), ("ハリー・ポッター", False),
        ("%", False), ("", False),
    ],
)  # fmt: skip
def test_the_index_answers_only_terms_of_chinese_letters(term: str, exact: bool) -> None:
    assert (exact_fts_match(term) is not None) is exact
    if exact:
        assert exact_fts_match(term) == fts_match(term)


# The plain forms that index_terms and identity_key were written as; the fast versions must agree.
def _reference_index_terms(*texts: str) -> tuple[str, str]:
    terms: list[str] = []
    singles: set[str] = set()
    for text in texts:
        for m in _RUNS.finditer(normalize(text)):
            kind, run = ("cjk", m["cjk"]) if m["cjk"] else ("word", m["word"])
            if terms:
                terms.append(RUN_BREAK)
            terms.extend([run] if kind == "word" or len(run) == 1 else [run[i : i + 2] for i in range(len(run) - 1)])
            if kind == "cjk":
                singles.update(run)
    return " ".join(terms), " ".join(sorted(singles))


def _reference_identity_key(body: str, pages: int, size_bytes: int) -> str:
    text = " ".join(normalize(body).split())
    return hashlib.sha1(f"{text}\x1f{pages}\x1f{size_bytes}".encode()).hexdigest()


# Scripts, full-width forms, and every kind of whitespace (tabs, no-break, ideographic, line separators).
_MIXED = st.text(
    alphabet=st.one_of(
        st.sampled_from(
            "写时复制在之的 ＲＡＦＴ，：（）Ａa1_-·\t\n\r\x0b\x0c\x1c\x85\xa0\u1680\u2007\u2028\u3000\ue000"
        ),
        st.characters(exclude_categories=("Cs",)),  # a lone surrogate cannot be encoded to hash
    ),
    max_size=40,
)


@settings(max_examples=500, deadline=None)
@given(st.lists(_MIXED, max_size=3))
def test_index_terms_matches_reference(texts: list[str]) -> None:
    assert index_terms(*texts) == _reference_index_terms(*texts)


@settings(max_examples=500, deadline=None)
@given(_MIXED, st.integers(0, 9), st.integers(0, 9))
def test_identity_key_matches_reference(body: str, pages: int, size_bytes: int) -> None:
    assert identity_key(body, pages, size_bytes) == _reference_identity_key(body, pages, size_bytes)


@settings(max_examples=500, deadline=None)
@given(_MIXED, st.integers(0, 60), st.integers(0, 60))
def test_fold_parts_folds_the_body_and_each_part_as_fold_does(body: str, head: int, tail: int) -> None:
    # The importer's workers fold a body, and the title and the excerpt cut from it, in one pass.
    tail_text = body[len(body) - tail :] if tail else ""
    assert fold_parts(body, head, tail) == (fold(body), fold(body[:head]), fold(tail_text))


def test_fold_parts_maps_full_width_forms_and_kangxi_radicals() -> None:
    assert fold_parts("ＲＡＦＴ并⾏，设计", 6, 3) == ("RAFT并行,设计", "RAFT并行", ",设计")


@settings(max_examples=300, deadline=None)
@given(_MIXED, st.integers(0, 9), st.integers(0, 9))
def test_identity_key_of_a_folded_body_is_the_bodys(body: str, pages: int, size_bytes: int) -> None:
    assert identity_key(body, pages, size_bytes, folded=fold(body)) == identity_key(body, pages, size_bytes)


def test_normalize_folds_width_and_case() -> None:
    assert normalize("ＲＡＦＴ") == normalize("Raft") == "raft"


# --- searching a real library --------------------------------------------------------------------


def _lines(lib: Library, text: str, *, excerpts: bool = True) -> list[int]:
    return sorted(d.source_line for d in lib.query(ViewQuery(search=parse_query(text), search_excerpts=excerpts)))


@pytest.mark.parametrize(
    ("text", "titles_only", "with_excerpts"),
    [
        ("网易", [1, 4], None),  # two characters
        ("数帆", [1, 4], None),
        ("网", [1, 4], None),  # one character
        ("云原生", [10], None),  # three
        ("核心组件", [1, 2, 4], None),  # four
        ("中文手册", [6, 7, 8], None),
        ("复制", [], None),  # in excerpts only
        ("RAFT", [3], [1, 3, 5, 6, 7, 8]),
        ("raft", [3], [1, 3, 5, 6, 7, 8]),
        ("Ｒａｆｔ", [3], [1, 3, 5, 6, 7, 8]),
        ("Curv", [1, 2, 3, 4, 5], None),  # a word while it is being typed
        ("tidb", [6, 7, 8], None),
        ("harbor", [10], None),
        ("网易 curve", [1, 4], None),  # all terms must match
        ("网易 tidb", [], None),
        ('"中文 手册"', [], None),  # a run break is not crossed
        ("v8.5", [6], None),
        ("-", [1, 10], None),  # punctuation only: found literally in titles
    ],
)
def test_search_titles_and_excerpts(
    shared_imported: Library, text: str, titles_only: list[int], with_excerpts: list[int] | None
) -> None:
    assert _lines(shared_imported, text, excerpts=False) == titles_only
    got = _lines(shared_imported, text)
    if with_excerpts is not None:
        assert got == with_excerpts
    # Oracle: a Chinese term is a substring search of the title or the excerpt.
    if all("\u4e00" <= c <= "\u9fff" for c in text):
        docs = shared_imported.query(ViewQuery())
        assert _lines(shared_imported, text, excerpts=False) == sorted(d.source_line for d in docs if text in d.title)
        assert got == sorted(d.source_line for d in docs if text in d.title or text in d.excerpt)


@pytest.mark.parametrize(
    "text",
    ['"', '""', "%", "_", "%%", "AND", "OR", "NOT", "NEAR(", "NEAR(a b)", "*", "raft*", "^raft", "terms:", "uni : 网",
     "'; DROP TABLE documents; --", '" OR 1=1 --', "a) OR (b", "{terms}: x", "col:", ":", "(", ")", "\\", "'",
     "' OR ''='", "\x00", "\ue000", "raft AND curve", "raft NOT curve", "-raft", "+raft", "%网易%", "网_"],
)
def test_query_syntax_characters_never_raise_or_match_everything(shared_imported: Library, text: str) -> None:
    q = parse_query(text)
    for excerpts in (False, True):
        found = shared_imported.query(ViewQuery(search=q, search_excerpts=excerpts))
        if q.is_empty:
            assert len(found) == 10  # nothing to search for: the view is unfiltered
        else:
            assert len(found) < 10, (text, excerpts)
    assert shared_imported.count() == 10


_SEARCH_CHARS = st.sampled_from(list('"*%_:()^-+ 网易复制raftANDORNEAR\ue000'))


@settings(max_examples=200, deadline=None)
@given(st.text(st.one_of(_SEARCH_CHARS, st.characters()), max_size=30))
def test_any_search_text_runs(shared_imported: Library, text: str) -> None:
    q = parse_query(text)
    for excerpts in (False, True):
        found = shared_imported.query(ViewQuery(search=q, search_excerpts=excerpts))
        assert len(found) == shared_imported.count_matching(ViewQuery(search=q, search_excerpts=excerpts))


@pytest.mark.parametrize(
    ("text", "lines"), [("%", []), ("_", []), ("*", []), ("NEAR(", []), ("网_易", []), ("网%易", [])]
)
def test_like_wildcards_are_literal(shared_imported: Library, text: str, lines: list[int]) -> None:
    assert _lines(shared_imported, text, excerpts=False) == lines


def test_filters_from_the_query(shared_imported: Library) -> None:
    assert _lines(shared_imported, "pages:>100") == [6, 7, 8, 9]
    assert _lines(shared_imported, "pages:<=23") == [2, 4, 5]
    assert _lines(shared_imported, "size:>10MB") == [6, 7, 8, 10]
    assert _lines(shared_imported, "size:<1MB") == [5]
    assert _lines(shared_imported, "price:0") == list(range(1, 11))
    assert _lines(shared_imported, "price:>0") == []
    assert _lines(shared_imported, "tidb pages:>5000") == [6, 7]
    assert _lines(shared_imported, "later:yes") == []
    assert _lines(shared_imported, "later:no") == list(range(1, 11))
    assert _lines(shared_imported, "status:read") == []
    assert _lines(shared_imported, "status:unread") == list(range(1, 11))


def test_notes_are_searchable_after_editing(imported: Library) -> None:
    doc = imported.query(ViewQuery())[8]
    assert _lines(imported, "zebra", excerpts=False) == []
    imported.set_notes(doc.id, "关于写时复制的笔记 Zebra-stripes")
    assert _lines(imported, "zebra", excerpts=False) == [doc.source_line]
    assert _lines(imported, "写时复制", excerpts=False) == [doc.source_line]
    assert _lines(imported, "复制", excerpts=False) == [doc.source_line]
    assert _lines(imported, "笔", excerpts=False) == [doc.source_line]
    imported.set_notes(doc.id, "换了")
    assert _lines(imported, "zebra", excerpts=False) == []
    assert _lines(imported, "复制", excerpts=False) == []
    assert _lines(imported, "换了", excerpts=False) == [doc.source_line]


def test_tags_are_searchable_after_editing(imported: Library) -> None:
    a, b = (d.id for d in imported.query(ViewQuery())[:2])
    imported.add_tags([a, b], ["分布式系统"])
    imported.add_tags([b], ["Storage"])
    assert _lines(imported, "分布式", excerpts=False) == [1, 2]
    assert _lines(imported, "布", excerpts=False) == [1, 2]
    assert _lines(imported, "stor", excerpts=False) == [2]
    assert _lines(imported, "tag:分布式系统") == [1, 2]
    assert _lines(imported, "tag:storage") == [2]
    assert _lines(imported, "tag:分布式") == []  # a tag filter is the whole name
    imported.remove_tags([a], ["分布式系统"])
    assert _lines(imported, "分布式", excerpts=False) == [2]
    imported.rename_tag("Storage", "存储引擎")
    assert _lines(imported, "stor", excerpts=False) == []
    assert _lines(imported, "引擎", excerpts=False) == [2]


def test_titles_are_searchable_after_editing(imported: Library) -> None:
    doc = imported.query(ViewQuery())[5]
    imported.set_title(doc.id, "分布式数据库手册 Handbook")
    assert _lines(imported, "handbook", excerpts=False) == [doc.source_line]
    assert _lines(imported, "数据库手", excerpts=False) == [doc.source_line]
    assert _lines(imported, "v8.5", excerpts=False) == []


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=60))
def test_normalize_fast_path_is_exactly_nfkc(text: str) -> None:
    import unicodedata

    from docmanager.search import normalize

    assert normalize(text) == unicodedata.normalize("NFKC", text).casefold()
    fullwidth = "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)
    assert normalize(fullwidth) == unicodedata.normalize("NFKC", fullwidth).casefold()


@pytest.mark.parametrize(
    ("chinese", "english"),
    [
        ("标签:分布式", "tag:分布式"),
        ("标签：分布式", "tag:分布式"),  # the full-width colon a Chinese input method types
        ("稍后:是", "later:yes"),
        ("稍后读:否", "later:no"),
        ("状态:已读", "status:read"),
        ("状态:在读", "status:reading"),
        ("状态:未读", "status:unread"),
        ("页数:>100", "pages:>100"),
        ("价格:0", "price:0"),
        ("大小:>10MB", "size:>10MB"),
        ("复制 标签:Curve 状态:已读", "复制 tag:Curve status:read"),
    ],
)
def test_chinese_keywords_mean_what_the_english_ones_do(chinese: str, english: str) -> None:
    assert parse_query(chinese) == parse_query(english)


def test_a_chinese_keyword_without_a_value_is_searched_as_text() -> None:
    assert parse_query("标签 状态:完成").terms == ("标签", "状态:完成")
