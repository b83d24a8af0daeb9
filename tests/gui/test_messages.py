"""The core's messages in a Chinese window: every rejection and refusal the core makes has a pattern."""

from __future__ import annotations

from pathlib import Path

import pytest

from docmanager.gui.messages import localized
from docmanager.importer import import_file
from docmanager.library import Library
from docmanager.listing import parse_line

TAIL = "0 码力 | 27 页 | 1.57 MB | 6 月前3"
BAD_LINES = [
    "x" * 70_000,
    "标题\x00摘要" + TAIL,
    "没有字段的一行文字",
    "标题摘要 码力 | 27 页",
    "标题摘要0 码力 | 很多 页 | 1.57 MB | 6 月前3",
    "标题摘要0 码力 | 99999999999 页 | 1.57 MB | 6 月前3",
    "标题摘要0 码力 | 27 页 | -3 MB | 6 月前3",
    "标题摘要0 码力 | 27 页 | 1e400 MB | 6 月前3",
    "标题摘要0 码力 | 27 页 | 1.57 QB | 6 月前3",
    "标题摘要0 码力 | 27 页 | 1.57 MB | 很久以前3",
    "标题摘要0 码力 | 27 页 | 1.57 MB | 99999 年前3",
]


@pytest.mark.parametrize("line", BAD_LINES, ids=range(len(BAD_LINES)))
def test_every_reason_a_line_is_rejected_reads_in_chinese(line: str) -> None:
    rejection = parse_line(7, line)
    reason = getattr(rejection, "reason", None)
    assert reason is not None, rejection
    shown = localized(f"line 7: {reason}", chinese=True)
    assert shown.startswith("第 7 行：") and shown != f"第 7 行：{reason}", reason
    assert localized(reason, chinese=False) == reason


@pytest.mark.parametrize(
    ("content", "expected"),
    [(b"", "文件是空的"), (b"%PDF-1.7\n\x00\x01\x02binary", "二进制文件"), (None, "这是文件夹")],
)
def test_refused_files_read_in_chinese(tmp_path: Path, content: bytes | None, expected: str) -> None:
    path = tmp_path / "page.txt"
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    with Library(tmp_path / "lib.sqlite") as lib:
        refused = import_file(lib, path).refused
    assert refused is not None and expected in localized(refused, chinese=True), refused


def test_library_errors_keep_their_file_and_detail() -> None:
    message = "/home/a/library.sqlite: the library file is damaged (database disk image is malformed); restore a backup"
    shown = localized(message, chinese=True)
    assert shown == "/home/a/library.sqlite：文库文件已损坏（database disk image is malformed）；请恢复备份"
    assert localized("no such thing happened", chinese=True) == "no such thing happened"  # no pattern: as it is
