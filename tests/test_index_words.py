"""A term of ASCII letters and digits is answered from the index's words (``Library.index_hits``): the
documents found must be exactly those whose title, tags or notes contain the term by the search rule,
whatever the folding of the index does to other letters (``ß`` indexed as ``ss``, ``café`` as
``cafe``, full-width letters, decomposed accents), through every way a text reaches the index."""

from __future__ import annotations

import random
import re
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import matches_search
from hypothesis import given, settings
from hypothesis import strategies as st

from docmanager.library import Library, NewDocument, ViewQuery
from docmanager.library.schema import TOKENIZER
from docmanager.search import ascii_skeleton, index_terms, index_words, parse_query, title_words

# Pieces of text whose folding in the index differs from the rule's (ASCII case only), and the plain
# words they look like.
PIECES = [
    "Straße", "strasse", "STRASSE", "café", "cafe", "Cafe\u0301", "ＫＵＢＥ", "kube", "Kubernetes", "K8s",
    "İstanbul", "istanbul", "naïve", "naive", "ǰob", "job", "ﬁle", "file", "复制", "分布式", " ", "-", "1",
    "ǡ", "a", "가", "ᦰ", "ø", "o",
]  # fmt: skip
TERMS = ["kube", "kubernetes", "k8s", "ss", "strasse", "stras", "cafe", "caf", "afe", "e", "stanbul", "i",
         "naive", "nai", "ve", "job", "j", "ob", "file", "fi", "le", "1", "8s", "zzz"]  # fmt: skip


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(PIECES) for _ in range(n))


def _document(n: int, title: str) -> NewDocument:
    return NewDocument(
        identity=f"id{n}",
        title=title,
        excerpt="",
        price=0,
        pages=n,
        size_bytes=n,
        size_text="1 KB",
        age_text=None,
        published_estimate=None,
        captured_at="2026-01-02T00:00:00Z",
        rating=None,
        source_file="x.txt",
        source_line=n,
        raw_line=f"line {n}",
    )


def _fill(lib: Library, rng: random.Random, count: int) -> None:
    with lib.import_batch(
        path="x.txt", sha256="", encoding="utf-8", captured_at="", total_claimed=None, page_number=None, pager_pages=()
    ) as batch:
        batch.add_documents([_document(n, _text(rng, 3) or "x") for n in range(count)])
    ids = list(lib.query_ids(ViewQuery()))
    for doc_id in ids[::4]:
        lib.set_notes(doc_id, _text(rng, 3))
    for doc_id in ids[1::5]:
        lib.add_tags([doc_id], [_text(rng, 2).strip(" -") or "t"])
    for doc_id in ids[2::7]:
        lib.set_title(doc_id, _text(rng, 2).strip() or "y")


def _expected(lib: Library, term: str) -> set[int]:
    return {d.id for d in lib.query(ViewQuery()) if matches_search(d, [term], excerpts=False)}


class AllWords(Library):
    WORD_HITS_MAX_WORDS = 100_000  # every term through the words, however many hold it


@pytest.fixture(scope="module")
def words_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    lib = AllWords(tmp_path_factory.mktemp("words") / "lib.sqlite")
    _fill(lib, random.Random(11), 300)
    yield lib
    lib.close()


@pytest.mark.parametrize("term", TERMS)
def test_the_words_answer_exactly_the_search_rule(words_library: Library, term: str) -> None:
    hits = words_library.index_hits(term)
    assert hits is not None, "an ASCII term is answered by the index"
    assert set(hits.tolist()) == _expected(words_library, term)
    assert words_library.matching_ids(ViewQuery(search=parse_query(term), search_excerpts=False)) == set(hits.tolist())


def test_a_term_in_too_many_words_is_left_to_like(tmp_path: Path) -> None:
    class FewWords(Library):
        WORD_HITS_MAX_WORDS = 2

    with FewWords(tmp_path / "lib.sqlite") as lib:
        _fill(lib, random.Random(3), 60)
        assert lib.index_hits("zzz") is not None  # in no word: nothing, from the index
        assert lib.index_hits("e") is None  # in more than two words
        ids = lib.matching_ids(ViewQuery(search=parse_query("e"), search_excerpts=False))
        assert ids == _expected(lib, "e")


def test_a_library_of_version_7_gets_its_words(tmp_path: Path) -> None:
    class Version7(Library):
        MIGRATIONS = Library.MIGRATIONS[:7]

    path = tmp_path / "lib.sqlite"
    with Version7(path, auto_backup=False) as old:
        _fill(old, random.Random(5), 120)
        assert not old.conn.execute("SELECT count(*) FROM sqlite_master WHERE name = 'index_words'").fetchone()[0]
    with AllWords(path) as lib:
        for term in TERMS:
            hits = lib.index_hits(term)
            assert hits is not None
            assert set(hits.tolist()) == _expected(lib, term), term


_TITLE = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_TITLE, min_size=1, max_size=6))
def test_title_words_reads_the_terms_as_index_words_reads_the_titles(titles: list[str]) -> None:
    expected: dict[str, bool] = {}
    for title in titles:
        for word, plain in index_words(title).items():
            expected[word] = expected.get(word, True) and plain
    assert title_words(titles, [index_terms(t, "", "")[0] for t in titles]) == expected


def test_the_skeleton_holds_whatever_ascii_the_tokenizer_folds_a_letter_into() -> None:
    """Every letter or digit of the Basic Multilingual Plane, between two ASCII letters, indexed by the
    library's tokenizer: each run of ASCII in the tokens it makes is in the skeleton."""
    conn = sqlite3.connect(":memory:")
    conn.execute(f"CREATE VIRTUAL TABLE f USING fts5(terms, content='', tokenize='{TOKENIZER}')")
    conn.execute("CREATE VIRTUAL TABLE v USING fts5vocab(f, instance)")
    words = {}
    for code in range(0x80, 0x10000):
        word = f"q{chr(code).casefold()}z"
        if 0xD800 <= code < 0xE000 or not word.isalnum():
            continue
        words[code] = word
    conn.executemany("INSERT INTO f(rowid, terms) VALUES (?, ?)", words.items())
    tokens: dict[int, list[str]] = {}
    for term, code in conn.execute("SELECT term, doc FROM v ORDER BY doc, offset"):
        tokens.setdefault(code, []).append(term)
    assert len(tokens) == len(words)
    for code, word in words.items():
        skeleton = ascii_skeleton(word) or word  # an ASCII word is its own
        for token in tokens[code]:
            for run in re.findall(r"[\x00-\x7f]+", token):  # what a term of ASCII can be found in
                assert run in skeleton, (hex(code), token, skeleton)
