"""Importing: idempotence, user edits survive, updates, refusals and the all-or-nothing transaction."""

from __future__ import annotations

import hashlib
import os
import random
import re
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import CAPTURED_AT, dump, file_hashes, library_files

from docmanager.errors import Cancelled
from docmanager.importer import import_file, import_files
from docmanager.library import ImportBatch, Library, Sort, ViewQuery
from docmanager.listing import published_estimate
from docmanager.search import parse_query

_PAGES = re.compile(r"\| (\d+) 页 \|")


def _sample_lines(sample_text: str) -> list[str]:
    return [line for line in sample_text.splitlines() if "码力" in line]


def big_listing(path: Path, sample_text: str, n: int = 2100) -> Path:
    """``n`` result lines made from the sample's ten, each with its own page count (so its own identity)."""
    lines = _sample_lines(sample_text)
    out = []
    for i in range(n):
        line = lines[i % len(lines)]
        out.append(_PAGES.sub(lambda m, i=i: f"| {int(m[1]) + 10_000 + i} 页 |", line, count=1))
    path.write_text("\n".join([*out, "共 2100 条", "- 2", ""]), encoding="utf-8")
    return path


def _state(lib: Library) -> tuple[int, list[str]]:
    return lib.count(), dump(lib.conn)


def test_first_import(library: Library, sample_path: Path, expected: dict[str, Any]) -> None:
    result = import_file(library, sample_path, captured_at=CAPTURED_AT)
    assert result.ok
    assert (result.new, result.updated, result.unchanged, result.rejections) == (10, 0, 0, [])
    assert result.encoding == "utf-8"
    assert (result.total_claimed, result.page_number) == (74, 7)
    assert len(result.new_ids) == 10
    docs = library.query(ViewQuery(sort=Sort.ID))
    assert [d.id for d in docs] == result.new_ids
    for doc, want in zip(docs, expected["documents"], strict=True):
        assert doc.title == want["title"]
        assert doc.excerpt.startswith(want["excerpt_starts"])
        assert doc.excerpt.endswith(want["excerpt_ends"])
        assert (doc.price, doc.pages, doc.size_text, doc.age_text) == (
            want["price"], want["pages"], want["size"], want["age"]
        )
        assert doc.source_line == want["line"]
        assert doc.source_file == str(sample_path.resolve())
        assert doc.captured_at == "2026-11-01T00:00:00Z"
        assert doc.status == "unread" and doc.notes == "" and doc.tags == () and not doc.read_later
    assert {d.published_estimate for d in docs} == {"2026-05-05", "2026-01-05", "2025-12-06"}
    assert result.summary().endswith("10 new, 0 updated, 0 unchanged, 0 rejected")


def test_import_record(imported: Library, sample_path: Path) -> None:
    (record,) = imported.imports()
    assert record.path == str(sample_path.resolve())
    assert record.sha256 == hashlib.sha256(sample_path.read_bytes()).hexdigest()
    assert record.encoding == "utf-8"
    assert (record.new, record.updated, record.unchanged, record.rejected) == (10, 0, 0, 0)
    assert (record.total_claimed, record.page_number, record.pager_pages) == (74, 7, (1, 2, 3, 4, 5, 6, 8))
    assert imported.rejected_lines(record.id) == []


def test_reimport_is_idempotent(imported: Library, sample_path: Path) -> None:
    ids = [d.id for d in imported.query(ViewQuery(sort=Sort.ID))]
    docs = imported.query(ViewQuery(sort=Sort.ID))
    for _ in range(2):
        result = import_file(imported, sample_path, captured_at=CAPTURED_AT)
        assert (result.new, result.updated, result.unchanged) == (0, 0, 10)
        assert result.new_ids == []
    assert imported.count() == 10
    assert imported.query(ViewQuery(sort=Sort.ID)) == docs
    assert [d.id for d in imported.query(ViewQuery(sort=Sort.ID))] == ids
    assert [(r.new, r.unchanged) for r in imported.imports()] == [(10, 0), (0, 10), (0, 10)]


def test_reimport_keeps_user_edits(imported: Library, sample_path: Path, tmp_path: Path, sample_text: str) -> None:
    lib = imported
    ids = [d.id for d in lib.query(ViewQuery(sort=Sort.ID))]
    lib.set_title(ids[0], "我的标题")
    lib.add_tags([ids[0], ids[1]], ["mine"])
    lib.set_notes(ids[1], "notes")
    lib.set_status([ids[2]], "read")
    lib.add_to_later([ids[3], ids[0]])
    edited = [lib.get(i) for i in ids]

    # The same file, and the same documents a month later (older ages, another capture time).
    later = tmp_path / "later.txt"
    later.write_text(sample_text.replace("6 月前3", "7 月前3"), encoding="utf-8")
    assert import_file(lib, sample_path, captured_at=CAPTURED_AT).unchanged == 10
    result = import_file(lib, later, captured_at=datetime(2026, 12, 1, tzinfo=UTC))
    assert (result.new, result.updated, result.unchanged) == (0, 10, 0)
    assert lib.count() == 10
    for before in edited:
        now = lib.get(before.id)
        assert (now.title, now.tags, now.notes, now.status, now.later_position) == (
            before.title, before.tags, before.notes, before.status, before.later_position
        )
    assert lib.later_queue() == [ids[3], ids[0]]
    found = lib.query(ViewQuery(search=parse_query("我的标题"), search_excerpts=False))
    assert [d.id for d in found] == [ids[0]]


@pytest.mark.parametrize(
    ("replace", "captured_at", "updated"),
    [
        (("6 月前3", "7 月前3"), datetime(2026, 12, 1, tzinfo=UTC), 10),  # ages changed, captured later: all dates move
        (("6 月前3", "7 月前3"), CAPTURED_AT, 6),  # only the six "6 月前" lines changed
        (("10 月前3", "10 月前4"), CAPTURED_AT, 3),  # the rating changed
        (("", ""), datetime(2026, 11, 1, 1, tzinfo=UTC), 0),  # an hour later: same dates, unchanged
        (("", ""), datetime(2026, 11, 9, tzinfo=UTC), 0),  # saved again a week later: within 6 月前's month
        (("", ""), datetime(2027, 1, 1, tzinfo=UTC), 10),  # same page saved much later: the dates move
    ],
)
def test_another_capture_updates_not_duplicates(  # noqa: PLR0917
    imported: Library, tmp_path: Path, sample_text: str,
    replace: tuple[str, str], captured_at: datetime, updated: int,
) -> None:
    before = {d.id: d for d in imported.query(ViewQuery())}
    page = tmp_path / "again.txt"
    page.write_text(sample_text.replace(*replace) if replace[0] else sample_text, encoding="utf-8")
    result = import_file(imported, page, captured_at=captured_at)
    assert (result.new, result.updated, result.unchanged) == (0, updated, 10 - updated)
    assert imported.count() == 10
    after = {d.id: d for d in imported.query(ViewQuery())}
    assert set(after) == set(before)
    changed = [i for i in after if after[i].published_estimate != before[i].published_estimate
               or after[i].age_text != before[i].age_text or after[i].rating != before[i].rating]
    assert len(changed) == updated
    for i in changed:
        doc = after[i]
        seconds = {"6 月前": 6, "7 月前": 7, "10 月前": 10, "11 月前": 11}[doc.age_text] * 30 * 86400
        assert doc.published_estimate == published_estimate(captured_at, seconds)
        assert doc.captured_at == captured_at.strftime("%Y-%m-%dT%H:%M:%SZ")
        old = before[i]
        assert (doc.title, doc.added_at, doc.source_line) == (old.title, old.added_at, old.source_line)


def test_rejected_lines_are_stored(library: Library, tmp_path: Path, sample_text: str) -> None:
    lines = sample_text.splitlines()
    lines.insert(3, "坏行0 码力 | abc 页 | 1 MB | 6 月前3")
    lines.insert(2, "夹在结果之间的文字" * 8)
    lines.insert(0, "开头的说明文字")  # the page's header: neither a document nor a rejected line
    path = tmp_path / "with-bad.txt"
    path.write_text("\n".join(lines), encoding="utf-8")
    result = import_file(library, path, captured_at=CAPTURED_AT)
    assert (result.new, len(result.rejections)) == (10, 2)
    stored = library.rejected_lines(result.import_id or -1)
    assert [(r.line_no, r.raw) for r in stored] == [
        (4, "夹在结果之间的文字" * 8),  # long enough to be a broken result (a short one is chrome)
        (6, "坏行0 码力 | abc 页 | 1 MB | 6 月前3"),
    ]
    assert [r.reason for r in stored] == [r.reason for r in result.rejections]
    record = library.import_record(result.import_id or -1)
    assert (record.new, record.rejected, record.total_claimed, record.page_number) == (10, 2, 74, 7)
    assert record.pager_pages == (1, 2, 3, 4, 5, 6, 8)
    assert "2 rejected" in result.summary()


def _bad_files(tmp_path: Path) -> dict[str, Path]:
    files = {
        "empty.txt": b"",
        "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200),
        "random.bin": random.Random(7).randbytes(5000),
        "footer.txt": "共 74 条\n- 1\n".encode(),
    }
    out = {}
    for name, data in files.items():
        out[name] = tmp_path / name
        out[name].write_bytes(data)
    out["missing.txt"] = tmp_path / "missing.txt"
    out["folder"] = tmp_path / "folder"
    out["folder"].mkdir()
    return out


@pytest.mark.parametrize("name", ["empty.txt", "image.png", "random.bin", "footer.txt", "missing.txt", "folder"])
def test_refused_file_changes_nothing(imported: Library, tmp_path: Path, name: str) -> None:
    bad = _bad_files(tmp_path)[name]
    imported.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    files = library_files(imported.path)
    hashes, state = file_hashes(*files), _state(imported)
    result = import_file(imported, bad, captured_at=CAPTURED_AT)
    assert not result.ok and result.refused
    assert result.summary() == f"{bad}: refused: {result.refused}"
    assert (result.new, result.import_id) == (0, None)
    assert _state(imported) == state
    assert file_hashes(*files) == hashes
    assert len(imported.imports()) == 1


@pytest.fixture
def big(tmp_path: Path, sample_text: str) -> Path:
    return big_listing(tmp_path / "big.txt", sample_text)


def test_big_listing_imports(library: Library, big: Path) -> None:
    result = import_file(library, big, captured_at=CAPTURED_AT)
    assert (result.new, result.updated, result.unchanged) == (2100, 0, 0)
    assert library.count() == 2100
    assert library.import_record(result.import_id or -1).new == 2100


def test_failure_after_the_first_chunk_rolls_everything_back(imported: Library, big: Path) -> None:
    before = _state(imported)
    calls = 0

    def check() -> None:
        nonlocal calls
        calls += 1
        if calls == 2:  # before the second chunk of 2000: the first is already written
            raise RuntimeError("disk on fire")

    with pytest.raises(RuntimeError, match="disk on fire"):
        import_file(imported, big, captured_at=CAPTURED_AT, check=check)
    assert calls == 2
    assert not imported.conn.in_transaction
    assert _state(imported) == before
    # and the library still works
    assert import_file(imported, big, captured_at=CAPTURED_AT).new == 2100


def test_failure_inside_add_documents_rolls_back(
    imported: Library, big: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = _state(imported)
    original = ImportBatch.add_documents

    def failing(self: ImportBatch, docs: Any, *args: Any, **kwargs: Any) -> None:
        original(self, docs[:2000], *args, **kwargs)
        assert self.new == 2000  # the first chunk was written inside the transaction
        raise OSError("write failed")

    monkeypatch.setattr(ImportBatch, "add_documents", failing)
    with pytest.raises(OSError, match="write failed"):
        import_file(imported, big, captured_at=CAPTURED_AT)
    assert _state(imported) == before


def test_cancel_mid_file_changes_nothing(imported: Library, big: Path) -> None:
    before = _state(imported)
    asked = 0

    def cancelled() -> bool:
        nonlocal asked
        asked += 1
        return asked >= 3  # before the file, before chunk 1: go on; before chunk 2: cancel

    with pytest.raises(Cancelled):
        import_files(imported, [big], captured_at=CAPTURED_AT, cancelled=cancelled)
    assert asked == 3
    assert _state(imported) == before


def test_cancel_before_starting_changes_nothing(imported: Library, sample_path: Path, big: Path) -> None:
    before = _state(imported)
    progress: list[tuple[int, int]] = []
    with pytest.raises(Cancelled):
        import_files(imported, [big, sample_path], captured_at=CAPTURED_AT, cancelled=lambda: True,
                     progress=lambda done, total: progress.append((done, total)))
    assert _state(imported) == before
    assert progress == [(0, 2)]


def test_import_files_reports_each_file(library: Library, sample_path: Path, tmp_path: Path) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    progress: list[tuple[int, int]] = []
    results = import_files(library, [sample_path, empty, sample_path], captured_at=CAPTURED_AT,
                           progress=lambda done, total: progress.append((done, total)))
    assert [(r.ok, r.new, r.unchanged) for r in results] == [(True, 10, 0), (False, 0, 0), (True, 0, 10)]
    assert progress == [(0, 3), (1, 3), (2, 3), (3, 3)]
    assert library.count() == 10


def test_capture_time_defaults_to_the_file_time(library: Library, tmp_path: Path, sample_text: str) -> None:
    path = tmp_path / "page.txt"
    path.write_text(sample_text, encoding="utf-8")
    when = datetime(2026, 3, 15, 12, tzinfo=UTC).timestamp()
    os.utime(path, (when, when))
    import_file(library, path)
    docs = library.query(ViewQuery(sort=Sort.ID))
    assert {d.captured_at for d in docs} == {"2026-03-15T12:00:00Z"}
    assert docs[0].published_estimate == published_estimate(datetime(2026, 3, 15, 12, tzinfo=UTC), 6 * 30 * 86400)


def test_duplicate_lines_in_one_file_count_once(library: Library, tmp_path: Path, sample_text: str) -> None:
    lines = _sample_lines(sample_text)
    path = tmp_path / "dup.txt"
    path.write_text("\n".join([*lines, lines[0], lines[3]]), encoding="utf-8")
    result = import_file(library, path, captured_at=CAPTURED_AT)
    assert (result.new, result.unchanged, result.repeated) == (10, 0, 2)
    assert "10 new, 0 updated, 0 unchanged, 0 rejected, 2 repeated in the file" in result.summary()
    assert library.import_record(result.import_id or 0).repeated == 2
    assert library.count() == 10


# MoreDoc's variants (docs/listing-format.md), each with what it imports as:
# (price, pages, size_bytes, size_text, age_text, published_estimate, rating).
VARIANT_LINES = [
    ("甲文档标题。这是甲的摘要0 码力 | 27 页 | 1.57 MB | 6 月前3",
     (0, 27, 1646264, "1.57 MB", "6 月前", "2026-05-05", 3.0)),
    ("乙文档标题。这是乙的摘要12 魔豆 | 5 页 | 10.00 KB | 3 天前4.5",
     (12, 5, 10240, "10.00 KB", "3 天前", "2026-10-29", 4.5)),
    ("丙文档标题。这是丙的摘要0 魔豆 | - 页 | 0 Bytes | 刚刚3",
     (0, None, 0, "0 Bytes", "刚刚", "2026-11-01", 3.0)),
    ("丁文档标题。这是丁的摘要0 码力 | 27 页 | 1.57 MB3.8",
     (0, 27, 1646264, "1.57 MB", None, None, 3.8)),
    ("戊文档标题。这是戊的摘要7 金币 | - 页 | 2.00 GB",
     (7, None, 2 * 1024**3, "2.00 GB", None, None, None)),
]  # fmt: skip
# Page 7 of 20, as el-pagination shows it: 1 … 5 6 [7] 8 9 … 20, the "…" buttons with no text.
FULL_PAGER = ["共 200 条", "上一页", "- 1", "- ", "- 5", "- 6", "- 8", "- 9", "- ", "- 20", "下一页", "前往", "7", "页"]


def test_each_variant_imports_with_its_fields(library: Library, tmp_path: Path) -> None:
    path = tmp_path / "variants.txt"
    path.write_text("\n".join([line for line, _ in VARIANT_LINES] + [""] + FULL_PAGER + [""]), encoding="utf-8")
    result = import_file(library, path, captured_at=CAPTURED_AT)
    assert result.ok and result.rejections == []  # the whole pager, jumper included, is neither
    assert (result.new, result.total_claimed, result.page_number) == (5, 200, None)  # two gaps: ambiguous
    docs = library.query(ViewQuery(sort=Sort.ID))
    for doc, (line, want) in zip(docs, VARIANT_LINES, strict=True):
        got = (doc.price, doc.pages, doc.size_bytes, doc.size_text, doc.age_text, doc.published_estimate, doc.rating)
        assert got == want, line
        assert doc.raw_line == line  # the credit name (码力, 魔豆, 金币) is kept in the raw line
        assert doc.title.startswith(line[0] + "文档标题") and doc.excerpt.endswith("的摘要")  # digits not in it
    # Unknown pages and dates sort last, both ways.
    for sort in (Sort.PAGES, Sort.DATE):
        for descending in (False, True):
            order = [d.id for d in library.query(ViewQuery(sort=sort, descending=descending))]
            unknown = [d.id for d in docs if (d.pages if sort is Sort.PAGES else d.published_estimate) is None]
            assert order[-len(unknown) :] == sorted(unknown, reverse=descending), (sort, descending)
    # Imported again: unchanged, the NULLs compare equal to themselves.
    again = import_file(library, path, captured_at=CAPTURED_AT)
    assert (again.new, again.updated, again.unchanged) == (0, 0, 5)
