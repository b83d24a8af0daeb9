"""A damaged or unusable library is detected on open with a clear kind, and never written to."""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from helpers import CAPTURED_AT, SAMPLE

from docmanager.cli import main
from docmanager.errors import LibraryError
from docmanager.importer import import_file
from docmanager.library import Library, Sort, ViewQuery, check_file, schema
from docmanager.library.schema import APPLICATION_ID, SCHEMA_VERSION
from docmanager.search import parse_query

PAGE = 4096
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(200)


@pytest.fixture(scope="module")
def good(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A sound library with the sample, tags and notes: some 40 pages."""
    path = tmp_path_factory.mktemp("good") / "lib.sqlite"
    with Library(path, auto_backup=False) as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        lib.add_tags([1, 2, 3], ["存储", "curve"])
        lib.set_notes(4, "读书笔记 " * 50)
    return path


def _copy(good: Path, folder: Path) -> Path:
    path = folder / "lib.sqlite"
    shutil.copy(good, path)
    return path


def _truncated(good: Path, folder: Path) -> Path:
    path = _copy(good, folder)
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    return path


def _overwritten(good: Path, folder: Path) -> Path:
    path = _copy(good, folder)
    data = bytearray(path.read_bytes())
    noise = random.Random(7).randbytes(3 * PAGE)
    # Inside the title index's page (where searches read), wherever the schema's tables put it.
    conn = sqlite3.connect(good)
    first = conn.execute("SELECT min(pageno) FROM dbstat WHERE name = 'doc_fts_idx'").fetchone()[0]
    conn.close()
    start = (first - 1) * schema.PAGE_SIZE + PAGE
    data[start : start + len(noise)] = noise
    path.write_bytes(bytes(data))
    return path


def _text(_good: Path, folder: Path) -> Path:
    path = folder / "lib.sqlite"
    path.write_text("these are my notes, not a library\n" * 40, encoding="utf-8")
    return path


def _png(_good: Path, folder: Path) -> Path:
    path = folder / "lib.sqlite"
    path.write_bytes(PNG)
    return path


def _other_app(_good: Path, folder: Path) -> Path:
    path = folder / "lib.sqlite"
    conn = sqlite3.connect(path)
    conn.execute("CREATE TABLE contacts(id INTEGER PRIMARY KEY, name TEXT)")
    conn.execute("INSERT INTO contacts(name) VALUES ('someone')")
    conn.commit()
    conn.close()
    return path


def _newer(_good: Path, folder: Path) -> Path:
    """From a newer DocManager that left it in rollback-journal mode: the mode must stay."""
    path = folder / "lib.sqlite"
    conn = sqlite3.connect(path)
    conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")
    conn.execute("CREATE TABLE documents(id INTEGER PRIMARY KEY, future TEXT)")
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.commit()
    conn.close()
    return path


CASES: dict[str, tuple[Callable[[Path, Path], Path], str, str]] = {
    "truncated": (_truncated, "damaged", "cut short"),
    "overwritten": (_overwritten, "damaged", "damaged"),
    "text": (_text, "not_library", "not a library"),
    "png": (_png, "not_library", "not a library"),
    "other-app": (_other_app, "not_library", "not a DocManager library"),
    "newer": (_newer, "too_new", "newer DocManager"),
}


def _hashes(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.mark.parametrize("readonly", [False, True], ids=["rw", "ro"])
@pytest.mark.parametrize("case", list(CASES))
def test_refused_on_open_with_its_kind_and_untouched(good: Path, tmp_path: Path, case: str, readonly: bool) -> None:
    make, kind, words = CASES[case]
    path = make(good, tmp_path)
    before = _hashes(tmp_path)
    with pytest.raises(LibraryError) as caught:
        Library(path, readonly=readonly)
    assert caught.value.kind == kind
    assert str(path) in str(caught.value) and words in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1
    after = {name: digest for name, digest in _hashes(tmp_path).items() if name in before}
    assert after == before
    assert not (tmp_path / "lib.backups").exists()
    if case == "newer":
        conn = sqlite3.connect(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "delete"
        conn.close()


@pytest.mark.parametrize("case", list(CASES))
def test_cli_says_so_in_one_line(good: Path, tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = CASES[case][0](good, tmp_path)
    before = _hashes(tmp_path)
    assert main(["list", "--library", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and err.startswith(f"docmanager: {path}") and len(err.splitlines()) == 1
    assert {k: v for k, v in _hashes(tmp_path).items() if k in before} == before


def test_damage_missed_on_open_surfaces_as_a_library_error(
    good: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A big library only gets the cheap check on open: damage elsewhere must still come out as a
    LibraryError (kind damaged) on the query that meets it, never as sqlite3.DatabaseError."""
    path = _overwritten(good, tmp_path)
    before = _hashes(tmp_path)
    reads: list[Callable[[Library], object]] = [
        lambda lib: lib.query(ViewQuery()),
        lambda lib: lib.query(ViewQuery(search=parse_query("存储"))),
        lambda lib: lib.query(ViewQuery(search=parse_query("curve"), search_excerpts=True)),
        lambda lib: lib.tag_counts(),
        lambda lib: lib.view_counts(),
        lambda lib: [lib.get(i) for i in range(1, 11)],
        *[lambda lib, s=sort: lib.query(ViewQuery(sort=s)) for sort in Sort],
        *[lambda lib, s=sort: lib.query(ViewQuery(sort=s, descending=True)) for sort in Sort],  # own indexes
    ]
    met = 0
    try:
        lib = Library(path, readonly=True, quick_check_max_bytes=0)  # as big libraries are opened
    except LibraryError as exc:
        assert exc.kind == "damaged"
        met += 1
    else:
        with lib:
            for read in reads:
                try:
                    read(lib)
                except LibraryError as exc:
                    assert exc.kind == "damaged" and str(path) in str(exc)
                    met += 1
            assert lib.check() != []
    assert met >= 1
    assert {k: v for k, v in _hashes(tmp_path).items() if k in before} == before


def test_an_empty_file_is_a_new_library(tmp_path: Path) -> None:
    path = tmp_path / "lib.sqlite"
    path.touch()
    with Library(path) as lib:
        assert lib.count() == 0
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION


@pytest.mark.parametrize(
    ("make", "kind"),
    [
        (lambda p: None, "missing"),
        (lambda p: p.mkdir(), "not_library"),
    ],
    ids=["missing", "folder"],
)
def test_missing_and_folder(tmp_path: Path, make: Callable[[Path], None], kind: str) -> None:
    path = tmp_path / "lib.sqlite"
    make(path)
    with pytest.raises(LibraryError) as caught:
        Library(path, create=False)
    assert caught.value.kind == kind and str(path) in str(caught.value)


# --- read-only files and folders -----------------------------------------------------------------


@contextmanager
def _read_only(path: Path) -> Iterator[None]:
    """Make a file or folder unwritable, for root too: root ignores chmod, not the immutable flag."""
    if os.geteuid() != 0:
        mode = path.stat().st_mode
        path.chmod(0o555 if path.is_dir() else 0o444)
        try:
            yield
        finally:
            path.chmod(mode)
        return
    if shutil.which("chattr") is None:
        pytest.skip("running as root without chattr: nothing makes a file read-only for root")
    done = subprocess.run(["chattr", "+i", str(path)], capture_output=True, check=False)
    if done.returncode != 0:
        pytest.skip(f"chattr +i is not allowed here: {done.stderr.decode().strip()}")
    try:
        yield
    finally:
        subprocess.run(["chattr", "-i", str(path)], check=True)


@pytest.mark.parametrize("what", ["file", "folder"])
def test_read_only_library_is_refused_with_advice(good: Path, tmp_path: Path, what: str) -> None:
    folder = tmp_path / "shelf"
    folder.mkdir()
    path = _copy(good, folder)
    before = _hashes(folder)
    with _read_only(path if what == "file" else folder):
        with pytest.raises(LibraryError) as caught:
            Library(path)
        assert caught.value.kind == "readonly"
        assert str(path) in str(caught.value) and "copy it" in str(caught.value)
        if what == "file":
            with Library(path, readonly=True) as lib:  # reading it is fine
                assert lib.count() == 10
    assert {k: v for k, v in _hashes(folder).items() if k in before} == before


def test_writing_through_a_read_only_open_is_refused(good: Path, tmp_path: Path) -> None:
    path = _copy(good, tmp_path)
    with Library(path, readonly=True) as lib:
        with pytest.raises(LibraryError) as caught:
            lib.set_notes(1, "no")
        assert caught.value.kind == "readonly"
    assert not Path(f"{path}.lock").exists()


# --- docmanager check ----------------------------------------------------------------------------


def test_check_a_sound_library(good: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = _copy(good, tmp_path)
    assert main(["check", "--library", str(path)]) == 0
    assert capsys.readouterr().out == f"{path}: ok\n"
    with Library(path) as lib:
        assert lib.check() == []


@pytest.mark.parametrize("case", ["truncated", "overwritten"])
def test_check_lists_the_problems(good: Path, tmp_path: Path, case: str, capsys: pytest.CaptureFixture[str]) -> None:
    path = CASES[case][0](good, tmp_path)
    before = _hashes(tmp_path)
    assert check_file(path) != []
    assert main(["check", "--library", str(path)]) == 1
    out, err = capsys.readouterr()
    assert out.startswith(f"{path}: damaged") and len(out.splitlines()) >= 2 and err == ""
    assert {k: v for k, v in _hashes(tmp_path).items() if k in before} == before


def test_check_a_missing_library(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check", "--library", str(tmp_path / "none.sqlite")]) == 1
    assert "no library at" in capsys.readouterr().err
    assert not (tmp_path / "none.sqlite").exists()
