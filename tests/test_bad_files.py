"""Broken listing files: each gets a message naming the file (and the line), memory stays bounded, and a
refused file leaves the library exactly as it was."""

from __future__ import annotations

import errno
import os
import random
import re
import sys
import tracemalloc
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import pytest
from helpers import CAPTURED_AT, SAMPLE, dump

from docmanager import importer, listing
from docmanager.importer import FileResult, import_file
from docmanager.library import ImportBatch, Library
from docmanager.listing import open_listing

_PAGES = re.compile(r"\| (\d+) 页 \|")
SAMPLE_LINES = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if "码力" in line]
GOOD_GBK = "国标编码的文档标题国标编码的摘要内容0 码力 | 33 页 | 2.00 MB | 3 月前1"


def result_line(i: int) -> str:
    """A valid result line of its own identity: a sample line with page count 20,000 + i."""
    line = SAMPLE_LINES[i % len(SAMPLE_LINES)]
    return _PAGES.sub(f"| {20_000 + i} 页 |", line, count=1)


def write_lines(path: Path, count: int, *, start: int = 0) -> Path:
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for i in range(start, start + count):
            fh.write(result_line(i) + "\n")
    return path


# --- the case table ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Case:
    """A broken input and what the user sees: a refusal (with its line) or the counts of the import."""

    make: Callable[[Path], Path]
    refused: str | None = None
    line: int | None = None  # the line a refusal names
    new: int = 0
    unchanged: int = 0
    repeated: int = 0  # lines that repeat an earlier line of the same file
    rejected: dict[int, str] = field(default_factory=dict)  # line → part of the reason
    other_encoding_lines: int = 0
    encoding: str | None = None


def _bytes(name: str, data: bytes) -> Callable[[Path], Path]:
    def make(tmp: Path) -> Path:
        path = tmp / name
        path.write_bytes(data)
        return path

    return make


def _mixed(utf8_lines: int, pad: int = 0) -> bytes:
    """UTF-8 result lines (after ``pad`` blank lines), then GBK lines: two results and one plain text."""
    head = "\n" * pad + "".join(result_line(i) + "\n" for i in range(utf8_lines))
    tail = GOOD_GBK + "\n" + GOOD_GBK.replace("33 页", "34 页") + "\n" + "这一行是国标编码的说明文字\n"
    return head.encode("utf-8") + tail.encode("gbk")


def _gbk_then_utf8() -> bytes:
    """Twenty GBK result lines (the file reads as GB18030), then one UTF-8 line."""
    gbk = "".join(GOOD_GBK.replace("33 页", f"{100 + i} 页") + "\n" for i in range(20))
    return gbk.encode("gbk") + (result_line(0) + "\n").encode("utf-8")


def _cut_mid_character() -> bytes:
    cut = result_line(1).encode("utf-8")[:40]  # 40 bytes end inside a three-byte character
    assert cut[-1] >= 0x80
    return (result_line(0) + "\n").encode() + cut + b"\n" + (result_line(2) + "\n").encode()


def _html(with_results: bool) -> bytes:
    body = "\n".join(f"<p>{result_line(i)}</p>" for i in range(3)) if with_results else "<p>结果</p>"
    page = f"<!DOCTYPE html>\n<html lang=\"zh\">\n<head><title>搜索</title></head>\n<body>\n{body}\n</body>\n</html>\n"
    return page.encode()


def _absurd() -> bytes:
    lines = [
        result_line(0),
        f"巨页数的文档正文0 码力 | {10**30} 页 | 1.00 MB | 6 月前3",
        "负大小的文档正文0 码力 | 5 页 | -3 MB | 6 月前3",
        "巨大小的文档正文0 码力 | 5 页 | 1e400 MB | 6 月前3",
        "古老文档的正文0 码力 | 5 页 | 1.00 MB | 99999 年前3",
        "尾数过长的正文0 码力 | 5 页 | 1.00 MB | 6 月前" + "9" * 25,
        "共 " + "9" * 5000 + " 条",
        "- " + "9" * 30,
        result_line(1),
    ]
    return "\n".join(lines).encode()


def _identical() -> bytes:
    return ((result_line(0) + "\n") * 10_000).encode()


def _fifo(tmp: Path) -> Path:
    path = tmp / "pipe.txt"
    os.mkfifo(path)
    return path


def _folder(tmp: Path) -> Path:
    path = tmp / "folder.txt"
    path.mkdir()
    return path


_LATIN1 = "Café résumé, naïve façade — prix 3 €, 27 pages\n".encode("cp1252") * 20
_SHIFT_JIS = "技術マニュアル 東京 設計 27 ページ 1.57 MB 6 か月前\n".encode("shift_jis") * 20
_RANDOM = random.Random(11).randbytes(20_000)

CASES: dict[str, Case] = {
    "latin-1 text": Case(
        _bytes("latin1.txt", _LATIN1), refused="if it is in another encoding (Latin-1, Shift-JIS…), save it as UTF-8"
    ),
    "shift-jis text": Case(
        _bytes("sjis.txt", _SHIFT_JIS), refused="It was read as GB18030; if it is in another encoding", line=1
    ),
    "utf-8 then gbk, inside the sniffed head": Case(
        _bytes("mixed.txt", _mixed(3)),
        new=5, rejected={6: "not valid in the file's encoding"}, other_encoding_lines=2, encoding="utf-8",
    ),
    "mostly gbk, then utf-8": Case(
        _bytes("mixed-gbk.txt", _gbk_then_utf8()), new=21, other_encoding_lines=1, encoding="gb18030"
    ),
    "utf-8 then gbk, past the sniffed head": Case(
        _bytes("mixed-late.txt", _mixed(3, pad=70_000)),
        new=5, rejected={70_006: "not valid in the file's encoding"}, other_encoding_lines=2, encoding="utf-8",
    ),
    "pdf renamed .txt": Case(_bytes("paper.txt", b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + _RANDOM), refused="a PDF document"),
    "random bytes renamed .txt": Case(_bytes("noise.txt", _RANDOM), refused="binary file"),
    "empty": Case(_bytes("empty.txt", b""), refused="the file is empty"),
    "a 200,000-character line": Case(
        _bytes("long.txt", "\n".join([result_line(0), "长" * 200_000, result_line(1)]).encode()),
        new=2, rejected={2: "line is 200,000 characters long"},
    ),
    "nul bytes in a line": Case(
        _bytes("nul.txt", "\n".join([result_line(0), "含\x00零\x00字节" + result_line(1), result_line(2)]).encode()),
        new=2, rejected={2: "NUL"},
    ),
    "line cut mid-character": Case(
        _bytes("cut.txt", _cut_mid_character()), new=2, rejected={2: "not valid in the file's encoding"}
    ),
    "html page without results": Case(_bytes("page.txt", _html(False)), refused="no results found in this HTML page"),
    # Another layout than MoreDoc's: its visible text is read (the <head> never is), a block a line.
    "html page with result lines": Case(_bytes("page-with-results.txt", _html(True)), new=3),
    "absurd field values": Case(
        _bytes("absurd.txt", _absurd()),
        new=2,
        rejected={
            2: f"pages {10**30} is out of range",
            3: "size '-3 MB' is not a number and a unit (it is negative)",
            4: "size '1e400 MB' is out of range",
            5: "age '99999 年前3' is out of range",
            6: "is out of range",
            7: "not a result line",  # 5,000 digits: too long for chrome; "- " and 30 nines (line 8) is chrome
        },
    ),
    "only footer lines": Case(
        _bytes("footer.txt", "共 74 条\n- 1\n- 2\n上一页\n下一页\n".encode()), refused="only the page's footer"
    ),
    "10,000 identical lines": Case(_bytes("same.txt", _identical()), new=1, repeated=9_999),
    "a directory": Case(_folder, refused="this is a folder, not a file"),
    "a missing file": Case(lambda tmp: tmp / "gone.txt", refused="no such file"),
    "a fifo": Case(_fifo, refused="not a regular file (a pipe, socket or device)"),
}


@pytest.fixture
def lib(tmp_path: Path) -> Iterator[Library]:
    """A library that already holds the sample, so that "unchanged" means something."""
    library = Library(tmp_path / "lib.sqlite")
    try:
        assert import_file(library, SAMPLE, captured_at=CAPTURED_AT).new == 10
        yield library
    finally:
        library.close()


def _check(lib: Library, path: Path, case: Case, result: FileResult) -> None:
    summary = result.summary()
    assert summary.startswith(f"{path}: "), summary
    if case.refused is not None:
        assert not result.ok, summary
        assert case.refused in (result.refused or ""), summary
        if case.line is not None:
            assert (result.refused or "").startswith(f"line {case.line}: "), summary
        return
    assert result.ok, summary
    assert (result.new, result.unchanged, result.updated, result.repeated) == (
        case.new,
        case.unchanged,
        0,
        case.repeated,
    ), summary
    assert result.rejected == len(case.rejected), summary
    stored = {r.line_no: r.reason for r in lib.rejected_lines(result.import_id or -1)}
    assert sorted(stored) == sorted(case.rejected), stored
    for line_no, reason in case.rejected.items():
        assert reason in stored[line_no], (line_no, stored[line_no])
    assert result.other_encoding_lines == case.other_encoding_lines
    if case.encoding is not None:
        assert result.encoding == case.encoding
    assert lib.import_record(result.import_id or -1).new == case.new


@pytest.mark.parametrize("name", list(CASES))
def test_bad_file(lib: Library, tmp_path: Path, name: str) -> None:
    case = CASES[name]
    if case.make is _fifo and not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this platform")
    path = case.make(tmp_path)
    before = dump(lib.conn)
    result = import_file(lib, path, captured_at=CAPTURED_AT)
    _check(lib, path, case, result)
    if case.refused is not None:
        assert dump(lib.conn) == before  # a refused file changes nothing at all
    assert lib.integrity_check() == "ok"


def test_gbk_lines_in_a_utf8_file_keep_their_text(lib: Library, tmp_path: Path) -> None:
    path = CASES["utf-8 then gbk, past the sniffed head"].make(tmp_path)
    result = import_file(lib, path, captured_at=CAPTURED_AT)
    assert "(2 lines read as GB18030)" in result.summary()
    raws = {d.raw_line for d in lib.documents(result.new_ids)}
    assert GOOD_GBK in raws


# --- memory --------------------------------------------------------------------------------------


def _peak(action: Callable[[], object]) -> int:
    tracemalloc.start()
    try:
        action()
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_a_100_mb_line_is_rejected_in_bounded_memory(lib: Library, tmp_path: Path) -> None:
    path = tmp_path / "huge-line.txt"
    block = b"x" * (1 << 20)
    with open(path, "wb") as fh:
        fh.write((result_line(0) + "\n").encode())
        for _ in range(100):
            fh.write(block)
        fh.write(("\n" + result_line(1) + "\n").encode())
    result: list[FileResult] = []
    peak = _peak(lambda: result.append(import_file(lib, path, captured_at=CAPTURED_AT)))
    (done,) = result
    assert (done.new, done.rejected) == (2, 1), done.summary()
    (rejection,) = done.rejections
    assert rejection.line_no == 2
    assert rejection.reason == f"line is {100 << 20:,} characters long, not a result line"
    assert len(rejection.raw) <= 200
    assert peak < 20 << 20, f"peak {peak / 2**20:.1f} MB"


def test_reading_memory_does_not_grow_with_the_file(tmp_path: Path) -> None:
    small = write_lines(tmp_path / "small.txt", 300)
    large = write_lines(tmp_path / "large.txt", 3000)

    def read(path: Path) -> None:
        with open_listing(path) as reader:
            for _ in reader:
                pass

    peaks = [_peak(lambda p=p: read(p)) for p in (small, large)]
    assert peaks[1] < peaks[0] * 1.2 + 64 * 1024, peaks


def test_import_memory_does_not_grow_with_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Chunks of 50 entries: a 10x larger file peaks at about the same memory (only new_ids grows)."""
    monkeypatch.setattr(importer, "CHUNK_ENTRIES", 50)
    small = write_lines(tmp_path / "small.txt", 100)
    large = write_lines(tmp_path / "large.txt", 1000, start=100)
    peaks = []
    for n, path in enumerate((small, large)):
        with Library(tmp_path / f"lib{n}.sqlite") as library:
            counts: list[int] = []
            peaks.append(_peak(lambda lb=library, p=path, c=counts: c.append(import_file(lb, p).new)))
            assert counts == [100 if n == 0 else 1000]
    assert peaks[1] < peaks[0] * 1.5, [f"{p / 2**20:.2f} MB" for p in peaks]


# --- a file that fails while it is read ----------------------------------------------------------


@pytest.mark.parametrize("after", [5, 1500])
def test_file_unreadable_during_import_changes_nothing(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, after: int
) -> None:
    """The file is read once, inside the transaction, which must roll back: also when a chunk is written."""
    monkeypatch.setattr(importer, "CHUNK_ENTRIES", 1000)  # so a failure at line 1501 follows a written chunk
    path = write_lines(tmp_path / "vanishing.txt", 2000)
    real = listing.read_lines
    passes = 0

    def failing(stream: TextIO, limit: int = listing.MAX_LINE_CHARS) -> Iterator[tuple[str, int]]:
        nonlocal passes
        passes += 1
        for n, item in enumerate(real(stream, limit)):
            if n == after:
                raise OSError(errno.EIO, "Input/output error")
            yield item

    monkeypatch.setattr(listing, "read_lines", failing)
    written: list[int] = []
    monkeypatch.setattr(ImportBatch, "add_documents", _counting(ImportBatch.add_documents, written))
    before = dump(lib.conn)
    result = import_file(lib, path, captured_at=CAPTURED_AT)
    assert not result.ok
    assert result.refused == (
        f"line {after + 1}: the file could not be read any further (Input/output error); was it removed or "
        "changed?; nothing was imported"
    )
    assert written == ([1000] if after > 1000 else [])
    assert dump(lib.conn) == before
    assert not lib.conn.in_transaction
    assert passes == 1


def _counting(add: Callable[..., None], written: list[int]) -> Callable[..., None]:
    def counted(self: ImportBatch, docs: Sequence[Any], *args: Any, **kwargs: Any) -> None:
        add(self, docs, *args, **kwargs)
        written.append(len(docs))

    return counted


def _editing_while_read(monkeypatch: pytest.MonkeyPatch, after: int, edit: Callable[[], object]) -> None:
    """Make the reader call ``edit`` once it has yielded ``after`` lines."""
    real = listing.read_lines

    def reading(stream: TextIO, limit: int = listing.MAX_LINE_CHARS) -> Iterator[tuple[str, int]]:
        for n, item in enumerate(real(stream, limit)):
            if n == after:
                edit()
            yield item

    monkeypatch.setattr(listing, "read_lines", reading)


def _append(path: Path) -> None:
    with open(path, "a", encoding="utf-8") as fh:
        fh.write(result_line(999) + "\n")


def _rewrite_same_size(path: Path) -> None:
    """Another line in place of the first, the size unchanged, saved a second later."""
    data = path.read_bytes()
    path.write_bytes(data.replace("页".encode(), "頁".encode(), 1))
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def _replace(path: Path) -> None:
    """Saved by an editor: a new file renamed over the old one, with the same bytes."""
    new = path.with_name("new.txt")
    new.write_bytes(path.read_bytes())
    stat = path.stat()
    os.utime(new, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    new.replace(path)


@pytest.mark.parametrize("edit", [_append, _rewrite_same_size, _replace, Path.unlink])
@pytest.mark.parametrize("after", [5, 1500])
def test_file_changed_while_it_is_read_is_refused(
    lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, edit: Callable[[Path], object], after: int
) -> None:
    """Edited while it is read (before the first chunk is written, or after it): refused, nothing kept.
    The reader sees the bytes of the file it opened; the edit shows in the file's size, time or inode."""
    monkeypatch.setattr(importer, "CHUNK_ENTRIES", 1000)
    path = write_lines(tmp_path / "changing.txt", 2000)
    _editing_while_read(monkeypatch, after, lambda: edit(path))
    before = dump(lib.conn)
    result = import_file(lib, path, captured_at=CAPTURED_AT)
    assert result.refused == "the file changed while it was being imported; import it again; nothing was imported"
    assert dump(lib.conn) == before


def test_file_read_while_untouched_is_imported(lib: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The same reading with an edit that changes nothing: the check does not refuse every file."""
    monkeypatch.setattr(importer, "CHUNK_ENTRIES", 1000)
    path = write_lines(tmp_path / "still.txt", 2000)
    _editing_while_read(monkeypatch, 1500, path.read_bytes)
    result = import_file(lib, path, captured_at=CAPTURED_AT)
    assert (result.refused, result.new) == (None, 2000)


@pytest.mark.skipif(sys.platform == "win32" or os.geteuid() == 0, reason="root reads files without permission")
def test_unreadable_file(lib: Library, tmp_path: Path) -> None:
    path = write_lines(tmp_path / "secret.txt", 3)
    path.chmod(0)
    result = import_file(lib, path, captured_at=CAPTURED_AT)
    assert result.refused == "permission denied"
