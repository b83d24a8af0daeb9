"""Fuzzing the import and the search: random listing files and random search strings never do anything but
the documented outcomes. ``make fuzz`` runs these with HYPOTHESIS_PROFILE=fuzz (many more examples)."""

from __future__ import annotations

import os
import re
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from helpers import CAPTURED_AT, SAMPLE
from hypothesis import HealthCheck, event, settings
from hypothesis import given as hypothesis_given
from hypothesis import strategies as st

from docmanager.importer import FileResult, import_file
from docmanager.library import Library, Sort, View, ViewQuery
from docmanager.listing import AGE_UNITS, MAX_LINE_CHARS, NOT_A_RESULT, Rejection, parse_footer, parse_line
from docmanager.search import parse_query

settings.register_profile("fuzz", max_examples=30_000, deadline=None)
# Per test, not loaded globally: the other modules keep Hypothesis's defaults whatever this one runs with.
_PROFILE = settings(
    settings.get_profile(os.environ.get("HYPOTHESIS_PROFILE", "default")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)

# --- random listing files ------------------------------------------------------------------------

_CJK = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FA5)
_WORDY = st.one_of(_CJK, st.sampled_from(list("abcXYZ0123456789 .,:-()•·…|｜码力页")))
_TITLE = st.text(_WORDY, min_size=1, max_size=40)
_EXCERPT = st.text(_WORDY, max_size=120)
_PRICE = st.one_of(st.integers(0, 9).map(str), st.sampled_from(["", "12", "-1"]))
_PAGES = st.one_of(st.integers(1, 3000).map(str), st.sampled_from(["0", "-5", "1" + "0" * 30, "abc", ""]))
# Each field is valid three times in four, so that about a third of the result lines read as results.
_GOOD_SIZE = st.builds(lambda n, u: f"{n} {u}", st.floats(0, 5000, allow_nan=False).map(lambda f: f"{f:.2f}"),
                       st.sampled_from(["B", "KB", "MB", "GB"]))
_SIZE = st.one_of(
    _GOOD_SIZE, _GOOD_SIZE, _GOOD_SIZE,
    st.sampled_from(["-3 MB", "1e400 MB", "9" * 400 + " TB", "1.2.3 MB", "MB", "12 XB"]),
)
_GOOD_AGE = st.builds(lambda n, u, t: f"{n} {u}前{t}", st.integers(0, 120), st.sampled_from(list(AGE_UNITS)),
                     st.sampled_from(["", "3", "1"]))
_AGE = st.one_of(
    _GOOD_AGE, _GOOD_AGE, _GOOD_AGE,
    st.sampled_from(["刚刚", "昨天3", "99999 年前3", "很久以前", "6 月前" + "9" * 30]),
)
_RESULT = st.builds(
    lambda title, excerpt, price, pages, size, age, sep: (
        f"{title}{excerpt}{price} 码力{sep}{pages} 页{sep}{size}{sep}{age}"
    ),
    _TITLE, _EXCERPT, _PRICE, _PAGES, _SIZE, _AGE, st.sampled_from([" | ", "|", " ｜ "]),
)
_FOOTER = st.sampled_from(["共 74 条", "- 1", "- 3", "上一页", "下一页", "…", "共 9999999999999999999999 条"])
_GARBAGE = st.one_of(st.text(max_size=60), st.sampled_from(["<!DOCTYPE html>", "<html>", "\x00\x00", "\ufeff"]))
_LINE = st.one_of(_RESULT, _RESULT, _RESULT, _FOOTER, _GARBAGE, st.just(""))
_ENCODING = st.sampled_from(["utf-8", "utf-16", "gb18030"])
_TEXT_PIECE = st.tuples(
    st.just("lines"), st.lists(_LINE, max_size=8), _ENCODING, st.sampled_from(["\n", "\r\n", "\r"])
)
# Random bytes make most files binary: one piece in four, so that most files are read line by line.
_PIECE = st.one_of(_TEXT_PIECE, _TEXT_PIECE, _TEXT_PIECE, st.tuples(st.just("bytes"), st.binary(max_size=40)))
_FILE = st.lists(_PIECE, min_size=1, max_size=5)

_LINE_END = re.compile(r"\r\n|\r|\n")


def _file_bytes(pieces: list[tuple[object, ...]]) -> bytes:
    out = b""
    for piece in pieces:
        if piece[0] == "bytes":
            out += piece[1]  # type: ignore[operator]
        else:
            _, lines, encoding, newline = piece
            text = newline.join(lines) + newline  # type: ignore[attr-defined]
            out += text.encode(str(encoding), "replace")
    return out


def _content_lines(data: bytes, encoding: str) -> tuple[int, int]:
    """Non-blank, non-footer lines as the reader sees them (decoded in the encoding it chose): those that
    are always a document or a rejected line, and lines of plain text, which may be chrome or a block's
    title, description or rating instead (see ListingReader)."""
    text = data.decode(encoding, "docmanager.listing.escape")
    always = plain = 0
    for n, line in enumerate(_LINE_END.split(text), start=1):
        if len(line) > MAX_LINE_CHARS:
            always += 1
        elif line.strip() and parse_footer(line) is None:
            item = parse_line(n, line)
            if isinstance(item, Rejection) and item.reason == NOT_A_RESULT:
                plain += 1
            else:
                always += 1
    return always, plain


def _check_counts(result: FileResult, data: bytes) -> None:
    # A line that repeats an earlier one of the file is counted as repeated, not again as new.
    total = result.new + result.updated + result.unchanged + result.rejected + result.repeated
    always, plain = _content_lines(data, result.encoding)
    if result.other_encoding_lines:
        assert total <= always + plain  # a line read in the other encoding may have turned out to be a footer
    else:
        assert always <= total <= always + plain, (total, always, plain, result.summary())


@pytest.fixture(scope="module")
def folder() -> Iterator[Path]:
    with tempfile.TemporaryDirectory() as name:
        yield Path(name)


@_PROFILE
@hypothesis_given(pieces=_FILE)
def test_random_listing_files(folder: Path, pieces: list[tuple[object, ...]]) -> None:
    data = _file_bytes(pieces)
    path = folder / "fuzz.txt"
    path.write_bytes(data)
    with Library(":memory:") as lib:
        result = import_file(lib, path, captured_at=CAPTURED_AT)
        outcome = "imported with rejections" if result.rejected else "imported"
        event(f"refused: {(result.refused or '')[:24]}…" if not result.ok else outcome)
        if not result.ok:
            assert result.refused and result.summary() == f"{path}: refused: {result.refused}"
            assert lib.count() == 0 and lib.imports() == []
        else:
            _check_counts(result, data)
            assert lib.count() == result.new
            assert lib.import_record(result.import_id or -1).new == result.new
            again = import_file(lib, path, captured_at=CAPTURED_AT)
            assert again.ok and again.new == 0, again.summary()
            _check_counts(again, data)
            assert lib.count() == result.new
        assert lib.integrity_check() == "ok"


# --- random search strings -----------------------------------------------------------------------

_SEARCH_PIECES = st.one_of(
    st.text(max_size=12),
    st.sampled_from(['"', "'", "%", "_", "*", "^", "(", ")", ":", "-", "+", "NEAR(a b)", "AND", "OR", "NOT",
                     "title:", "tag:", "later:yes", "status:read", "pages:>100", "pages:<=-1", "size:>1e400",
                     "'; DROP TABLE documents; --", "\x00", "\ud800", "\udcff", "\\", "分布式", "存储", "a*b",
                     "{title}", "col:term", "pages:>99999999999999999999999"]),
    st.characters(),
)
_SEARCH = st.lists(_SEARCH_PIECES, max_size=8).map(" ".join)


@pytest.fixture(scope="module")
def sample_library() -> Iterator[Library]:
    with Library(":memory:") as lib:
        assert import_file(lib, SAMPLE, captured_at=CAPTURED_AT).new == 10
        lib.add_tags([1, 2], ["分布式"])
        yield lib


@_PROFILE
@hypothesis_given(text=_SEARCH, excerpts=st.booleans(), view=st.sampled_from(list(View)),
                  sort=st.sampled_from(list(Sort)), descending=st.booleans())
def test_random_searches(  # noqa: PLR0917
    sample_library: Library, text: str, excerpts: bool, view: View, sort: Sort, descending: bool
) -> None:
    query = ViewQuery(view=view, search=parse_query(text), sort=sort, descending=descending,
                      search_excerpts=excerpts)
    ids = sample_library.query_ids(query)
    assert len(ids) == len(set(ids)) <= 10
