"""The command line, run in-process through ``docmanager.cli.main`` (and once as ``python -m docmanager``)."""

from __future__ import annotations

import csv
import io
import json
import os
import random
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from helpers import DOCUMENTED_KEYS, SAMPLE, file_hashes, library_files, write_encoded

from docmanager.cli import SUBCOMMANDS, display_width, main

UNITS = {"B": 1, "KB": 1024, "MB": 1024**2, "GB": 1024**3}
ESTIMATES = {"6 月前": "2026-05-05", "10 月前": "2026-01-05", "11 月前": "2025-12-06"}  # captured 2026-11-01
WHEN = ["--captured-at", "2026-11-01T00:00:00+00:00"]


def size_bytes(text: str) -> int:
    number, unit = text.split()
    return round(float(number) * UNITS[unit])


@pytest.fixture
def lib_path(tmp_path: Path) -> Path:
    return tmp_path / "cli" / "library.sqlite"


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def usage_error(capsys: pytest.CaptureFixture[str], *args: str | Path) -> str:
    with pytest.raises(SystemExit) as info:
        main([str(a) for a in args])
    assert info.value.code == 2
    return capsys.readouterr().err


def listed(capsys: pytest.CaptureFixture[str], lib: Path, *args: str) -> list[dict[str, Any]]:
    code, out, err = run(capsys, "list", "--library", lib, "--format", "json", *args)
    assert (code, err) == (0, "")
    data = json.loads(out)
    assert isinstance(data, list)
    return data


@pytest.fixture
def filled(capsys: pytest.CaptureFixture[str], lib_path: Path, sample_path: Path) -> Path:
    code, out, err = run(capsys, "--library", lib_path, "import", sample_path, *WHEN)
    assert (code, err) == (0, ""), err
    assert out == f"{sample_path}: 10 new, 0 updated, 0 unchanged, 0 rejected\n"
    return lib_path


def check_documents(docs: list[dict[str, Any]], expected: dict[str, Any], *, excerpts: bool = True) -> None:
    assert len(docs) == 10
    for doc, want in zip(docs, expected["documents"], strict=True):
        assert set(DOCUMENTED_KEYS) <= set(doc), set(DOCUMENTED_KEYS) - set(doc)
        assert doc["title"] == want["title"]
        if excerpts:
            assert doc["excerpt"].startswith(want["excerpt_starts"])
        assert (doc["price"], doc["pages"], doc["size_text"], doc["age_text"]) == (
            want["price"],
            want["pages"],
            want["size"],
            want["age"],
        )
        assert doc["size_bytes"] == size_bytes(want["size"])
        assert doc["published_estimate"] == ESTIMATES[want["age"]]
        assert doc["source_line"] == want["line"]


# --- import --------------------------------------------------------------------------------------


def test_import_then_reimport(capsys: pytest.CaptureFixture[str], filled: Path, sample_path: Path) -> None:
    code, out, _ = run(capsys, "import", sample_path, "--library", filled, *WHEN)
    assert code == 0
    assert out.strip().endswith("0 new, 0 updated, 10 unchanged, 0 rejected")
    assert len(listed(capsys, filled)) == 10


def test_list_json(capsys: pytest.CaptureFixture[str], filled: Path, expected: dict[str, Any]) -> None:
    docs = listed(capsys, filled)
    check_documents(docs, expected)
    assert [d["id"] for d in docs] == list(range(1, 11))
    first = docs[0]
    assert (first["read_later"], first["later_position"], first["status"], first["notes"], first["tags"]) == (
        False,
        None,
        "unread",
        "",
        [],
    )
    assert list(first)[: len(DOCUMENTED_KEYS)] == DOCUMENTED_KEYS
    assert first["raw_line"].endswith("0 码力 | 27 页 | 1.57 MB | 6 月前3")


@pytest.mark.parametrize(
    ("encoding", "bom", "newline"),
    [
        ("gbk", False, "\r\n"),
        ("gb18030", False, "\n"),
        ("utf-16-le", True, "\r\n"),
        ("utf-16-be", True, "\n"),
        ("utf-8", True, "\r\n"),
    ],
)
def test_other_encodings_import_the_same(  # noqa: PLR0917
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    sample_text: str,
    expected: dict[str, Any],
    encoding: str,
    bom: bool,
    newline: str,
) -> None:
    copy = write_encoded(
        tmp_path / f"page-{encoding}.txt", sample_text, encoding, newline=newline, bom=bom, errors="replace"
    )
    lib = tmp_path / f"{encoding}.sqlite"
    code, out, _ = run(capsys, "import", copy, "--library", lib, *WHEN)
    assert code == 0
    assert out == f"{copy}: 10 new, 0 updated, 0 unchanged, 0 rejected\n"
    # GBK has no "•" (and a few more characters of the excerpts): those were written as "?".
    check_documents(listed(capsys, lib), expected, excerpts=encoding != "gbk")


def _bad(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_bytes(
        {
            "image.png": b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)),
            "noise.bin": random.Random(42).randbytes(10_000),
            "empty.txt": b"",
        }[name]
    )
    return path


@pytest.mark.parametrize(("name", "reason"), [("image.png", "binary"), ("noise.bin", "binary"), ("empty.txt", "empty")])
def test_bad_file_is_refused_in_one_line(
    capsys: pytest.CaptureFixture[str], filled: Path, tmp_path: Path, name: str, reason: str
) -> None:
    bad = _bad(tmp_path, name)
    files = [*library_files(filled), filled.with_name(filled.name + "-shm")]
    before = file_hashes(*files)
    assert before[str(filled)] is not None
    code, out, err = run(capsys, "--library", filled, "import", bad)
    assert code == 1
    assert len(out.splitlines()) == 1, out
    assert out.startswith(f"{bad}: refused: ") and reason in out
    assert err == ""
    assert file_hashes(*files) == before


def test_rejected_lines_are_printed(capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_text: str) -> None:
    page = tmp_path / "page.txt"
    # A broken result is rejected; a line of text before the first result is the page's header (chrome).
    page.write_text("一行说明\n坏行0 码力 | abc 页 | 1 MB | 6 月前3\n" + sample_text, encoding="utf-8")
    code, out, _ = run(capsys, "import", page, "--library", tmp_path / "l.sqlite", *WHEN)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].endswith("10 new, 0 updated, 0 unchanged, 1 rejected")
    assert lines[1].startswith("  line 2: pages 'abc' is not a whole number") and "坏行" in lines[1]


def test_one_bad_file_among_good_ones(
    capsys: pytest.CaptureFixture[str], lib_path: Path, tmp_path: Path, sample_path: Path
) -> None:
    bad = _bad(tmp_path, "empty.txt")
    code, out, _ = run(capsys, "import", bad, sample_path, "--library", lib_path, *WHEN)
    assert code == 1
    assert out.splitlines()[1].endswith("10 new, 0 updated, 0 unchanged, 0 rejected")


def test_bad_captured_at_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], lib_path: Path, sample_path: Path
) -> None:
    assert "ISO" in usage_error(capsys, "import", sample_path, "--library", lib_path, "--captured-at", "yesterday")
    assert not lib_path.exists()


def test_captured_at_without_zone_is_utc(capsys: pytest.CaptureFixture[str], lib_path: Path, sample_path: Path) -> None:
    assert run(capsys, "import", sample_path, "--library", lib_path, "--captured-at", "2026-11-01")[0] == 0
    assert {d["published_estimate"] for d in listed(capsys, lib_path)} == set(ESTIMATES.values())


# --- list ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("args", "pages"),
    [
        (["--sort", "pages:desc"], [5095, 5072, 4987, 359, 32, 29, 27, 23, 23, 14]),
        (["--sort", "pages"], [14, 23, 23, 27, 29, 32, 359, 4987, 5072, 5095]),
        (["--sort", "size:desc", "--limit", "3"], [5095, 5072, 4987]),
        (["--sort", "size_bytes:asc", "--limit", "2"], [14, 23]),
        (["--sort", "age"], [359, 5095, 5072, 4987, 27, 23, 29, 23, 14, 32]),
        (["--limit", "0"], []),
        (["--search", "网易"], [27, 23]),
        (["--search", "pages:>1000 tidb", "--sort", "pages"], [4987, 5072, 5095]),
        (["--search", "RAFT"], [27, 29, 14, 5095, 5072, 4987]),
    ],
)
def test_list_filters_and_sorts(
    capsys: pytest.CaptureFixture[str], filled: Path, args: list[str], pages: list[int]
) -> None:
    assert [d["pages"] for d in listed(capsys, filled, *args)] == pages


@pytest.mark.parametrize(
    "args",
    [
        ["list", "--sort", "bogus"],
        ["list", "--sort", "pages:sideways"],
        ["list", "--bogus"],
        ["list", "--format", "xml"],
        ["list", "--limit", "many"],
        ["list", "--limit", "-1"],  # would silently drop the last document (ids[:-1])
        ["import"],
        ["show"],
        ["show", "one"],
        ["tag", "1"],
        ["later"],
        ["rename-tag", "a"],
        ["tags", "--nope"],
    ],
    ids=" ".join,
)
def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str], lib_path: Path, args: list[str]) -> None:
    err = usage_error(capsys, *args, "--library", lib_path)
    assert "usage:" in err
    assert not lib_path.exists()


def test_bad_sort_lists_the_choices(capsys: pytest.CaptureFixture[str], lib_path: Path) -> None:
    err = usage_error(capsys, "list", "--sort", "bogus", "--library", lib_path)
    assert "unknown sort field 'bogus'" in err and "pages" in err


def test_list_tsv(capsys: pytest.CaptureFixture[str], filled: Path, expected: dict[str, Any]) -> None:
    code, out, _ = run(capsys, "list", "--library", filled, "--format", "tsv")
    assert code == 0
    rows = list(csv.reader(io.StringIO(out), delimiter="\t"))
    header, body = rows[0], rows[1:]
    assert set(DOCUMENTED_KEYS) <= set(header)
    assert len(body) == 10
    assert all(len(r) == len(header) for r in body)
    col = {name: header.index(name) for name in header}
    assert [r[col["title"]] for r in body] == [d["title"] for d in expected["documents"]]
    assert [int(r[col["pages"]]) for r in body] == [d["pages"] for d in expected["documents"]]
    assert all("\t" not in r[col["excerpt"]] for r in body)


def test_list_table_aligns_chinese(capsys: pytest.CaptureFixture[str], filled: Path, expected: dict[str, Any]) -> None:
    code, out, _ = run(capsys, "list", "--library", filled)
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 11
    assert lines[0].split()[:3] == ["id", "title", "pages"]
    pages_column = 6 + 2 + 40 + 2  # id and title cells and their gaps, in display columns
    for line, want in zip(lines, [None, *expected["documents"]], strict=True):
        cut = next((i for i in range(len(line)) if display_width(line[:i]) == pages_column), None)
        assert cut is not None, f"the pages column does not start at display column {pages_column}: {line!r}"
        assert line[cut:].split()[0] == ("pages" if want is None else str(want["pages"]))
        if want is not None:
            title_cell = line[8:cut].rstrip()
            assert display_width(title_cell) <= 40
            assert want["title"].startswith(title_cell.rstrip("…")) or title_cell == want["title"]


@pytest.mark.parametrize(("text", "width"), [("abc", 3), ("网易", 4), ("Curve核心", 9), ("ＲＡＦＴ", 8), ("", 0)])
def test_display_width(text: str, width: int) -> None:
    assert display_width(text) == width


# --- editing commands ----------------------------------------------------------------------------


def test_tag_untag_tags_rename(capsys: pytest.CaptureFixture[str], filled: Path) -> None:
    code, out, _ = run(capsys, "tag", "3", "分布式", "Raft", "--library", filled)
    assert code == 0
    assert out == "3: 2 tag(s) added; tags now: Raft, 分布式\n"
    assert run(capsys, "tag", "4", "raft", "--library", filled)[1] == "4: 1 tag(s) added; tags now: Raft\n"
    assert run(capsys, "tag", "4", "RAFT", "--library", filled)[1] == "4: 0 tag(s) added; tags now: Raft\n"
    assert [d["id"] for d in listed(capsys, filled, "--tag", "raft")] == [3, 4]
    assert [d["id"] for d in listed(capsys, filled, "--tag", "raft", "--tag", "分布式")] == [3]
    assert [d["id"] for d in listed(capsys, filled, "--tag", "raft", "--tag", "分布式", "--any-tag")] == [3, 4]
    assert run(capsys, "tags", "--library", filled)[1] == "2\tRaft\n1\t分布式\n"

    assert run(capsys, "untag", "3", "raft", "--library", filled)[1] == "3: 1 tag(s) removed; tags now: 分布式\n"
    assert run(capsys, "rename-tag", "分布式", "distributed", "--library", filled)[1] == (
        "renamed '分布式' to 'distributed'\n"
    )
    run(capsys, "rename-tag", "Raft", "DISTRIBUTED", "--library", filled)
    assert run(capsys, "tags", "--library", filled)[1] == "2\tdistributed\n"
    assert [d["tags"] for d in listed(capsys, filled, "--tag", "Distributed")] == [["distributed"]] * 2


def test_later(capsys: pytest.CaptureFixture[str], filled: Path) -> None:
    assert run(capsys, "later", "7", "2", "5", "--library", filled) == (0, "3 added to read later\n", "")
    assert run(capsys, "later", "2", "9", "--library", filled)[1] == "1 added to read later\n"
    assert [d["id"] for d in listed(capsys, filled, "--later")] == [7, 2, 5, 9]
    assert [d["later_position"] is not None for d in listed(capsys, filled, "--later")] == [True] * 4
    assert run(capsys, "later", "--remove", "2", "--library", filled)[1] == "1 removed from read later\n"
    assert [d["id"] for d in listed(capsys, filled, "--later")] == [7, 5, 9]
    assert [d["id"] for d in listed(capsys, filled, "--later", "--sort", "id:desc")] == [9, 7, 5]
    assert [d["id"] for d in listed(capsys, filled, "--search", "later:yes", "--sort", "id")] == [5, 7, 9]


def test_list_what_fits(capsys: pytest.CaptureFixture[str], filled: Path) -> None:
    run(capsys, "later", "7", "2", "5", "--library", filled)
    pages = {d["id"]: d["pages"] for d in listed(capsys, filled, "--later")}
    budget = (pages[7] + pages[2]) * 2
    assert [d["id"] for d in listed(capsys, filled, "--fits", str(budget))] == [7, 2]
    assert [d["id"] for d in listed(capsys, filled, "--fits", str(budget - 1))] == [7]
    slower = [7] if pages[7] * 3 <= budget else []  # 3 min a page: both no longer fit
    assert [d["id"] for d in listed(capsys, filled, "--fits", str(budget), "--minutes-per-page", "3")] == slower
    code, out, _ = run(capsys, "list", "--fits", str(budget), "--library", filled)
    total = sum(pages.values()) * 2
    assert code == 0
    assert out.splitlines()[-1].startswith(f"2 documents fit in {budget} min (read later: 3, ~")
    assert total > budget
    with pytest.raises(SystemExit):
        run(capsys, "list", "--fits", "10", "--minutes-per-page", "0", "--library", filled)
    assert "--minutes-per-page" in capsys.readouterr().err


def test_show(capsys: pytest.CaptureFixture[str], filled: Path, expected: dict[str, Any]) -> None:
    code, out, _ = run(capsys, "show", "1", "--library", filled)
    assert code == 0
    lines = out.splitlines()
    assert f"title: {expected['documents'][0]['title']}" in lines
    assert "pages: 27" in lines
    assert lines[lines.index("excerpt:") + 1].startswith(expected["documents"][0]["excerpt_starts"])
    code, out, _ = run(capsys, "show", "10", "--format", "json", "--library", filled)
    doc = json.loads(out)
    assert set(DOCUMENTED_KEYS) <= set(doc)
    assert (doc["id"], doc["title"]) == (10, expected["documents"][9]["title"])


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["show", "99"], 1, "no document with id 99"),
        (["tag", "99", "x"], 1, "no document with id 99"),
        (["later", "1", "99"], 1, "no document with id 99"),
        (["rename-tag", "nope", "x"], 1, "no tag named 'nope'"),
        (["tag", "1", "a,b"], 2, "comma"),
    ],
)
def test_errors_are_one_line_on_stderr(
    capsys: pytest.CaptureFixture[str], filled: Path, args: list[str], code: int, message: str
) -> None:
    got, out, err = run(capsys, *args, "--library", filled)
    assert got == code
    assert out == ""
    assert err.startswith("docmanager: ") and message in err and len(err.splitlines()) == 1
    assert run(capsys, "tags", "--library", filled)[1] == ""  # nothing was half done


# --- where the library is ------------------------------------------------------------------------


@pytest.mark.parametrize("where", ["before", "after"])
def test_library_option_before_or_after_the_subcommand(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_path: Path, where: str
) -> None:
    lib = tmp_path / "a" / "b" / "c" / "mine.sqlite"
    args = ["import", str(sample_path), *WHEN]
    args = ["--library", str(lib), *args] if where == "before" else [*args, "--library", str(lib)]
    assert run(capsys, *args)[0] == 0
    assert lib.is_file()  # created with its parent folders
    assert not Path(os.environ["DOCMANAGER_LIBRARY"]).exists()
    assert len(listed(capsys, lib)) == 10


def test_environment_variable_names_the_library(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lib = tmp_path / "from-env" / "deeper" / "env.sqlite"
    monkeypatch.setenv("DOCMANAGER_LIBRARY", str(lib))
    assert run(capsys, "import", str(sample_path), *WHEN)[0] == 0
    assert lib.is_file()
    code, out, _ = run(capsys, "list", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 10
    other = tmp_path / "explicit.sqlite"
    code, _, err = run(capsys, "list", "--format", "json", "--library", str(other))
    assert (code, err.strip()) == (1, f"docmanager: no library at {other}")  # the option wins
    assert not other.exists()  # and a read never creates a library


def test_default_library_is_in_the_data_folder(
    capsys: pytest.CaptureFixture[str], sample_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("DOCMANAGER_LIBRARY")
    assert run(capsys, "import", str(sample_path), *WHEN)[0] == 0
    from docmanager.paths import default_library_path

    path = default_library_path()
    assert path.is_file()
    assert str(path).startswith(os.environ["HOME"])  # the test's home, never the real one


def test_python_m_docmanager_help() -> None:
    proc = subprocess.run(
        [sys.executable, "-m", "docmanager", "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.startswith("usage: docmanager")
    for name in SUBCOMMANDS:
        assert name in proc.stdout


def test_daily_backup_before_changing_commands_only(tmp_path: Path) -> None:
    from docmanager.cli import main
    from docmanager.library.backup import list_backups

    lib = tmp_path / "cli-daily.sqlite"
    assert main(["import", "--library", str(lib), str(SAMPLE)]) == 0  # new and empty before: nothing to keep
    assert list_backups(lib) == []
    assert main(["list", "--library", str(lib)]) == 0
    assert list_backups(lib) == []  # reading never waits for a copy
    assert main(["tag", "--library", str(lib), "1", "x"]) == 0
    assert len(list_backups(lib)) == 1


def test_ctrl_c_during_an_import_rolls_back_and_says_so(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from docmanager.library import ImportBatch, Library

    lib_path = tmp_path / "lib.sqlite"
    assert main(["--library", str(lib_path), "import", str(SAMPLE)]) == 0
    before = file_hashes(*library_files(lib_path))
    listing = tmp_path / "more.txt"
    listing.write_text(SAMPLE.read_text(encoding="utf-8").replace("TiDB", "TiKV"), encoding="utf-8")

    def interrupted(*_args: object, **_kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ImportBatch, "add_documents", interrupted)
    capsys.readouterr()
    assert main(["--library", str(lib_path), "import", str(listing)]) == 130
    assert "interrupted; what was being written was rolled back" in capsys.readouterr().err
    with Library(lib_path) as lib:
        assert lib.count() == 10
    assert file_hashes(*library_files(lib_path))[str(lib_path)] == before[str(lib_path)]


def test_status_title_notes_and_delete_from_the_command_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, sample_path: Path
) -> None:
    """What the window can do to a document, the command line can too, with the same exit codes."""
    lib = tmp_path / "parity.sqlite"
    assert run(capsys, "import", str(sample_path), *WHEN, "--library", str(lib))[0] == 0
    assert run(capsys, "status", "read", "1", "2", "--library", str(lib))[:2] == (0, "2 marked read\n")
    assert run(capsys, "title", "3", "我的标题", "--library", str(lib))[0] == 0
    assert run(capsys, "notes", "3", "第一条", "--library", str(lib))[0] == 0
    assert run(capsys, "notes", "3", "第二条", "--append", "--library", str(lib))[0] == 0
    code, out, _ = run(capsys, "show", "3", "--format", "json", "--library", str(lib))
    shown = json.loads(out)
    assert (shown["title"], shown["title_edited"], shown["notes"]) == ("我的标题", True, "第一条\n第二条")
    code, _, err = run(capsys, "delete", "4", "99", "--library", str(lib))
    assert (code, err.strip()) == (1, "docmanager: no document with id 99")
    assert len(json.loads(run(capsys, "list", "--format", "json", "--library", str(lib))[1])) == 10
    code, out, _ = run(capsys, "delete", "4", "5", "--library", str(lib))
    assert code == 0 and out.startswith("2 deleted; the library before is in ")
    backup = Path(out.strip().rsplit(" ", 1)[-1])
    assert backup.is_file()
    listed = json.loads(run(capsys, "list", "--format", "json", "--library", str(lib))[1])
    assert sorted(d["id"] for d in listed) == [1, 2, 3, 6, 7, 8, 9, 10]
    assert [d["status"] for d in listed if d["id"] in (1, 2)] == ["read", "read"]
    assert "invalid choice: 'done'" in usage_error(capsys, "status", "done", "1", "--library", str(lib))


@pytest.mark.parametrize(("text", "width"), [("复制", 4), ("Raft", 4), ("a\u200bb", 2), ("e\u0301", 1), ("Ｒ", 2)])
def test_display_width_counts_terminal_columns(text: str, width: int) -> None:
    """Chinese and full-width characters take two columns; a zero-width space and a combining accent none."""
    assert display_width(text) == width
