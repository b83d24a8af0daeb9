"""The excerpt scan: what a window shows first (excerpt_matches over the start of its order) and
what the ranges of a full scan (scan_excerpts) add up to must both equal a plain substring test."""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from helpers import matches_search
from hypothesis import given, settings
from hypothesis import strategies as st

from docmanager.library import Library, NewDocument, Sort, ViewQuery
from docmanager.library.plan import SearchPlan, Tuning
from docmanager.search import parse_query

ALPHABET = "复制组件之中文 RaftKUBE·1%_"


def _text(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(ALPHABET) for _ in range(n))


@pytest.fixture(scope="module")
def scan_library(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Library]:
    rng = random.Random(5)
    path: Path = tmp_path_factory.mktemp("scan") / "lib.sqlite"
    lib = Library(path)
    docs = [
        NewDocument(
            identity=f"id{n}",
            title=_text(rng, 8),
            excerpt=_text(rng, 40),
            price=0,
            pages=n % 50,
            size_bytes=n,
            size_text="1 KB",
            age_text="1 天前",
            published_estimate="2026-01-01",
            captured_at="2026-01-02T00:00:00Z",
            rating=None,
            source_file="x.txt",
            source_line=n,
            raw_line=f"line {n}",
        )
        for n in range(400)
    ]
    with lib.import_batch(
        path="x.txt", sha256="", encoding="utf-8", captured_at="", total_claimed=None, page_number=None, pager_pages=()
    ) as batch:
        batch.add_documents(docs)
    lib.add_tags(list(range(1, 401, 3)), ["t"])
    for k in range(6):  # tags and notes of the same letters: found as titles and excerpts are
        lib.add_tags(list(range(k + 2, 401, 9)), [_text(rng, 4)])
    for n in range(5, 401, 23):
        lib.set_notes(n, _text(rng, 12))
    yield lib
    lib.close()


def _expected(lib: Library, q: ViewQuery) -> list[int]:
    """Every document in the view's order in which each term occurs (title, tags, notes or excerpt)."""
    in_view = set(
        lib.query_ids(
            ViewQuery(tags=q.tags, sort=q.sort, search=parse_query(" ".join(f"tag:{t}" for t in q.search.tags)))
        )
    )
    found = []
    for doc in lib.query(ViewQuery(sort=q.sort, descending=q.descending)):
        if doc.id in in_view and matches_search(doc, q.search.terms):
            found.append(doc.id)
    return found


@settings(max_examples=60, deadline=None)
@given(
    terms=st.lists(st.text(alphabet="复制组件之中文Raftkube1%_", min_size=1, max_size=3), min_size=1, max_size=2),
    tagged=st.booleans(),
    prefix=st.integers(0, 400),
)
def test_the_scan_equals_a_substring_test(scan_library: Library, terms: list[str], tagged: bool, prefix: int) -> None:
    lib = scan_library
    text = " ".join(terms) + (" tag:t" if tagged else "")
    q = ViewQuery(search=parse_query(text), sort=Sort.TITLE)
    expected = _expected(lib, q)
    search = lib.excerpt_search(q)
    order = list(lib.query_ids(ViewQuery(sort=Sort.TITLE)))
    # the first rows: the matches among the first `prefix` documents of the order, in that order
    assert lib.excerpt_matches(search, order[:prefix]) == [i for i in expected if i in set(order[:prefix])]
    # the whole: the indexed matches and the scans of id ranges, in any split
    top = lib.max_doc_id()
    middle = top // 3
    scanned = search.known | set(lib.scan_excerpts(search, 0, middle).tolist())
    scanned |= set(lib.scan_excerpts(search, middle + 1, top).tolist())
    assert scanned == set(expected)
    assert lib.matching_ids(q) == set(expected)
    assert list(lib.query_ids(q)) == expected
    # the plan, with and without a preview (the walk), in steps of a few ids
    previews: list[list[int]] = []
    tuning = Tuning(first_step=3, first_rows_seconds=0.0, scan_range=37, preview_rows=5)
    plan = SearchPlan(lib, q, tuning=tuning)
    assert list(plan.run() or ()) == expected
    assert list(plan.run(preview=lambda ids, _rows: previews.append(list(ids))) or ()) == expected
    assert all(p == expected[: len(p)] for p in previews)
    # titles, tags and notes alone: the index for Chinese terms, LIKE for the others
    titles_only = replace(q, search_excerpts=False)
    docs = lib.query(ViewQuery(sort=Sort.TITLE))
    in_view = {d.id for d in docs if not q.search.tags or "t" in d.tags}
    assert [d.id for d in lib.query(titles_only)] == [
        d.id for d in docs if d.id in in_view and matches_search(d, q.search.terms, excerpts=False)
    ]
