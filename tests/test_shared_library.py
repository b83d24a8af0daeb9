"""The window and the command line on one library: one long-lived process holding several Library
objects (as the window does, one per thread) while command-line processes import, tag, queue and read.

On POSIX, closing any descriptor of a file drops every lock the process holds on it, SQLite's
included; the other process then takes itself for the last user and deletes the WAL under the first.
These tests would see that as a deleted journal still held open, a failed integrity check, or an
edit of one side missing on the other.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from pathlib import Path

import pytest
from helpers import SAMPLE, deleted_handles, new_listing, run_cli

from docmanager.errors import DocManagerError
from docmanager.library import Library, ViewQuery, check_file, is_open_here, verify_library_file

pytestmark = pytest.mark.skipif(not Path("/proc/self/fd").is_dir(), reason="needs /proc to list open files")




def _integrity(library: Path) -> str:
    conn = sqlite3.connect(f"{library.as_uri()}?mode=ro", uri=True)
    try:
        return str(conn.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        conn.close()



def test_terminal_beside_a_process_with_several_libraries(tmp_path: Path) -> None:
    path = tmp_path / "library.sqlite"
    assert run_cli(path, "import", str(SAMPLE), "--captured-at", "2026-11-25").returncode == 0
    window = Library(path)  # the window's own connection
    worker = Library(path)  # a worker thread's, opened while the first is in use
    try:
        assert window.count() == 10
        seen = window.data_version()
        for batch in range(1, 4):
            # Another Library opened and closed meanwhile, on another thread (the daily backup does).
            opener = threading.Thread(target=lambda: Library(path, create=False).close())
            opener.start()
            opener.join()
            result = run_cli(path, "import", str(new_listing(tmp_path / f"page{batch}.txt", batch)))
            assert result.returncode == 0, result.stderr
            assert deleted_handles(path) == []
            # The window sees every import, not only the first.
            assert window.data_version() != seen
            seen = window.data_version()
            assert window.count() == 10 * (batch + 1)
        assert run_cli(path, "tag", "2", "clitag").returncode == 0
        assert run_cli(path, "later", "5").returncode == 0
        # An edit of the window's, made on its worker's connection, while the terminal reads.
        worker.add_tags([3], ["windowtag"])
        listed = run_cli(path, "list", "--tag", "windowtag", "--format", "tsv")
        assert listed.returncode == 0 and "\n3\t" in listed.stdout, listed.stdout  # committed, not held
        assert deleted_handles(path) == []
        assert window.get(2).tags == ("clitag",) and window.get(5).read_later
    finally:
        worker.close()
        window.close()
    assert _integrity(path) == "ok"
    with Library(path) as after:
        assert after.get(2).tags == ("clitag",)
        assert after.get(3).tags == ("windowtag",)
        assert after.later_queue() == [5]
        assert after.tag_counts() == [("clitag", 1), ("windowtag", 1)]
        assert after.check() == []


def test_only_sqlite_reads_a_library_this_process_has_open(tmp_path: Path) -> None:
    """The file check of a second Library, a backup's verification and a check of the library itself
    never open the file with a descriptor of their own while a connection holds SQLite's locks."""
    path = tmp_path / "library.sqlite"
    with Library(path) as lib:
        assert is_open_here(path)
        opened: list[str] = []
        real_open = os.open

        def spying_open(file: object, *args: object, **kwargs: object) -> int:
            opened.append(str(file))
            return real_open(file, *args, **kwargs)  # type: ignore[arg-type]

        os.open = spying_open  # type: ignore[assignment]
        try:
            Library(path).close()
            verify_library_file(path)
            assert check_file(path) == []
        finally:
            os.open = real_open
        assert lib.count() == 0
    assert not any(Path(p).resolve() == path.resolve() for p in opened if not p.endswith((".lock",))), opened
    assert not is_open_here(path)


def test_the_library_is_not_read_as_a_listing_or_an_export(tmp_path: Path) -> None:
    """Importing or loading the library file itself would open and close it beside the connection."""
    from docmanager.importer import import_file
    from docmanager.library.transfer import export_to_file, load_export

    path = tmp_path / "library.sqlite"
    with Library(path) as lib:
        assert "is the library itself" in import_file(lib, path).refused
        with pytest.raises(DocManagerError, match="is the library itself"):
            load_export(lib, path)
        with pytest.raises(DocManagerError, match="is the library itself"):
            export_to_file(lib, path, "json", overwrite=True)
        assert lib.integrity_check() == "ok"


def test_a_library_in_use_is_not_set_aside(tmp_path: Path) -> None:
    from docmanager.library.backup import set_aside

    path = tmp_path / "library.sqlite"
    with Library(path) as lib:
        lib.add_tags([], ["x"])
        with pytest.raises(DocManagerError, match="still open"):
            set_aside(path)
    assert set_aside(path).exists()


def test_read_commands_never_create_a_library(tmp_path: Path) -> None:
    missing = tmp_path / "typo" / "library.sqlite"
    for command in (["list"], ["show", "1"], ["tags"], ["check"], ["export"], ["tag", "1", "x"], ["later", "1"]):
        result = run_cli(missing, *command)
        assert result.returncode == 1, (command, result)
        assert result.stderr.strip() == f"docmanager: no library at {missing}" or f"no library at {missing}" in (
            result.stdout + result.stderr
        ), (command, result.stderr)
    assert not (tmp_path / "typo").exists()


def test_import_creates_the_library(tmp_path: Path) -> None:
    path = tmp_path / "new" / "library.sqlite"
    assert run_cli(path, "import", str(SAMPLE)).returncode == 0
    assert path.is_file()
    with Library(path, create=False) as lib:
        assert len(lib.query(ViewQuery())) == 10


def test_a_file_cut_short_under_an_open_library_is_found_through_sqlite(tmp_path: Path) -> None:
    """While this process has the library open its header is not read with a descriptor of our own;
    the length check then goes through SQLite (page_count against the size on disk)."""
    import shutil

    from docmanager.errors import LibraryError

    path = tmp_path / "library.sqlite"
    assert run_cli(path, "import", str(SAMPLE)).returncode == 0
    spare = tmp_path / "spare.sqlite"
    shutil.copy(path, spare)  # no connection here yet: a plain copy is safe
    with Library(spare) as holder:
        assert holder.count() == 10
        size = spare.stat().st_size
        os.truncate(spare, size // 2)  # by path: no descriptor of this process is opened or closed
        with pytest.raises(LibraryError) as caught:
            Library(spare).close()
        assert caught.value.kind == "damaged"
        problems = check_file(spare)
        assert problems and "damaged" in problems[0]
