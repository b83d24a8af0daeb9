"""One writer at a time, across threads and processes: the write lock beside the library."""

from __future__ import annotations

import multiprocessing
import os
import signal
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from helpers import CAPTURED_AT, SAMPLE, dump

from docmanager.cli import main
from docmanager.errors import LibraryError
from docmanager.importer import import_file
from docmanager.library import Library, ViewQuery

WRITES = 200  # transactions per writer: enough to interleave hundreds of times


@pytest.fixture
def lib_path(tmp_path: Path) -> Path:
    path = tmp_path / "lib.sqlite"
    with Library(path, auto_backup=False) as lib:
        assert import_file(lib, SAMPLE, captured_at=CAPTURED_AT).new == 10
    return path


def _write_tags(path: str, writer: int, count: int) -> None:
    """Many small write transactions; a small WAL limit so that checkpoints run between them too."""
    with Library(path, auto_backup=False, checkpoint_bytes=512 * 1024) as lib:
        lib.conn.execute("PRAGMA synchronous = NORMAL")  # no fsync per commit: this tests the lock, not the disk
        ids = [d.id for d in lib.query(ViewQuery())]
        for n in range(count):
            lib.add_tags([ids[n % len(ids)]], [f"w{writer}-{n}"])


def _links(path: Path) -> tuple[int, int, str]:
    conn = sqlite3.connect(path)
    try:
        tags = conn.execute("SELECT count(*) FROM tags").fetchone()[0]
        links = conn.execute("SELECT count(*) FROM document_tags").fetchone()[0]
        return tags, links, conn.execute("PRAGMA integrity_check").fetchone()[0]
    finally:
        conn.close()


def test_two_processes_write_at_once(lib_path: Path) -> None:
    ctx = multiprocessing.get_context("spawn")
    procs = [ctx.Process(target=_write_tags, args=(str(lib_path), w, WRITES)) for w in range(2)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(60)
    assert [p.exitcode for p in procs] == [0, 0]
    assert _links(lib_path) == (2 * WRITES, 2 * WRITES, "ok")


def test_two_threads_write_at_once(lib_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    errors: list[BaseException] = []

    def run(writer: int) -> None:
        try:
            _write_tags(str(lib_path), writer, WRITES)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w,)) for w in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert errors == []
    assert _links(lib_path) == (2 * WRITES, 2 * WRITES, "ok")


def test_a_held_lock_makes_a_second_writer_fail_cleanly(lib_path: Path) -> None:
    holder = Library(lib_path, auto_backup=False)
    with holder, Library(lib_path, auto_backup=False, lock_timeout=0.3) as other:
        ids = [d.id for d in other.query(ViewQuery())]
        before = dump(lib_path)
        with holder.write_lock():
            holder.conn.execute("BEGIN IMMEDIATE")
            holder.conn.execute("UPDATE documents SET notes = 'uncommitted' WHERE id = ?", (ids[0],))
            started = time.monotonic()
            with pytest.raises(LibraryError) as caught:
                other.add_tags(ids[:2], ["blocked"])
            assert time.monotonic() - started >= 0.3
            assert caught.value.kind == "locked"
            assert "busy in another program: waited 0.3 s" in str(caught.value)
            # readers never wait for the lock, and see the last committed state
            assert other.count() == 10 and other.get(ids[0]).notes == ""
            with Library(lib_path, readonly=True) as reader:
                assert len(reader.query(ViewQuery())) == 10
            holder.conn.execute("ROLLBACK")
        assert dump(lib_path) == before  # the refused write left nothing behind
        other.add_tags(ids[:2], ["free"])  # and once the lock is free, it goes through
        assert other.get(ids[0]).tags == ("free",)


def test_cli_reports_a_busy_library_in_one_line(
    lib_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    with Library(lib_path, auto_backup=False) as holder, holder.write_lock():
        started = time.monotonic()
        code = main(["tag", "1", "x", "--library", str(lib_path), "--wait", "0.2"])
        assert time.monotonic() - started < 5  # it waited --wait, not the default 10 s
        out, err = capsys.readouterr()
        assert code == 1 and out == ""
        assert err.startswith("docmanager: ") and "busy" in err and len(err.splitlines()) == 1
        assert main(["list", "--library", str(lib_path), "--format", "tsv"]) == 0  # reading still works
        assert capsys.readouterr().err == ""
    assert main(["tags", "--library", str(lib_path)]) == 0
    assert capsys.readouterr().out == ""  # the refused tag is nowhere


def _hold_lock(path: str, ready: multiprocessing.synchronize.Event) -> None:  # type: ignore[name-defined]
    lib = Library(path, auto_backup=False)
    with lib.write_lock():
        lib.conn.execute("BEGIN IMMEDIATE")
        lib.conn.execute("UPDATE documents SET notes = 'never committed'")
        ready.set()
        time.sleep(60)


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_killed_writer_leaves_neither_lock_nor_changes(lib_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    ctx = multiprocessing.get_context("spawn")
    ready = ctx.Event()
    proc = ctx.Process(target=_hold_lock, args=(str(lib_path), ready))
    proc.start()
    try:
        assert ready.wait(30)
        os.kill(proc.pid or 0, signal.SIGKILL)
    finally:
        proc.join(30)
    with Library(lib_path, auto_backup=False) as lib:
        started = time.monotonic()
        lib.set_notes(1, "after the crash")
        assert time.monotonic() - started < 2
        assert [d.notes for d in lib.query(ViewQuery())].count("never committed") == 0
        assert lib.integrity_check() == "ok"


def test_nested_writes_share_the_lock(lib_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    with Library(lib_path, auto_backup=False, lock_timeout=0.2) as lib:
        with lib.write_lock(), lib.write_lock():
            lib.set_notes(1, "nested")  # a write inside the held lock takes it again
            lib.merge_tags([], "none")
        assert lib.get(1).notes == "nested"


def test_checkpoints_only_inside_the_lock(lib_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    wal = Path(f"{lib_path}-wal")
    # Far above what the notes below write (each note is in the table and in the notes index).
    with Library(lib_path, auto_backup=False, checkpoint_bytes=64 * 1024 * 1024) as lib:
        assert lib.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] == 0
        for n in range(20):
            lib.set_notes(1, "x" * 1000 * n)
        grown = wal.stat().st_size
        assert grown > 32 * 1024
        # The threshold sits just under the WAL's size: the next commit crosses it, one more does not.
        lib.checkpoint_bytes = grown
        lib.set_notes(1, "small")
        assert wal.stat().st_size == 0  # checkpointed and truncated by the writer, after its commit
        lib.set_notes(1, "again")
        assert wal.stat().st_size > 0
    assert not wal.exists() or wal.stat().st_size == 0  # close folds the WAL back

