"""Big files through the worker processes: the same library as one process gives, one reading of the file,
cancel and failures that leave the library unchanged and no process behind."""

from __future__ import annotations

import errno
import multiprocessing
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from concurrent.futures.process import BrokenProcessPool
from dataclasses import replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest
from helpers import CAPTURED_AT, SAMPLE, dump, file_hashes

from docmanager import importer, listing
from docmanager.errors import Cancelled, DocManagerError
from docmanager.importer import Fields, ImportPool, ImportTuning, Work, import_file, import_files
from docmanager.library import Library

_PAGES = re.compile(r"\| (\d+) 页 \|")
SAMPLE_LINES = [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if "码力" in line]
# Words put before the sample titles so that the chunks differ from each other (the splitter looks at the
# lines of a chunk together: a chunk's documents written with another chunk's fields would show).
_WORDS = ["Raft", "分布式", "Kafka 实战", "数据库", "HTTP/3", "编译原理", "Go 语言", "操作系统", "云原生", "机器学习"]


def varied_listing(path: Path, n: int, *, start: int = 0, rejected_every: int = 0) -> Path:
    """``n`` result lines, each its own document (numbered from ``start``), and a footer."""
    lines = []
    for i in range(start, start + n):
        line = SAMPLE_LINES[i % len(SAMPLE_LINES)]
        line = _PAGES.sub(lambda m, i=i: f"| {int(m[1]) + 10_000 + i} 页 |", line, count=1)
        lines.append(_WORDS[(i * 7 // 10) % len(_WORDS)] + line)
        if rejected_every and i % rejected_every == 0:
            # Long enough to be a broken result (a short line of text among results is page chrome).
            lines.append(f"第 {i} 行说明文字," + "这一行不是结果,而是一段与结果一样长的文字" * 3)
    path.write_text("\n".join([*lines, f"共 {n} 条", "- 1", "- 3", ""]), encoding="utf-8")
    return path


def contents(lib: Library) -> dict[str, Any]:
    """Everything an import writes, but the times it was written at."""
    conn = lib.conn

    def rows(table: str, skip: str = "") -> list[tuple[Any, ...]]:
        cols = [c[1] for c in conn.execute(f"PRAGMA table_info({table})") if c[1] != skip]
        return conn.execute(f"SELECT {', '.join(cols)} FROM {table} ORDER BY 1").fetchall()

    shadow = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE name LIKE 'doc_fts_%' ORDER BY 1")]
    return {
        "documents": rows("documents", "added_at"),
        "imports": rows("imports", "imported_at"),
        "rejected_lines": rows("rejected_lines"),
        "search index": {name: rows(name) for name in shadow},
    }


CHUNKED = ImportTuning(chunk_entries=293)  # a file of 2100 lines is eight chunks, none alike
POOLED = replace(CHUNKED, use_pool=True)  # every file through the workers, also on a one-core machine


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """Receives the size of each chunk sent to the workers."""
    sent: list[int] = []
    real = ImportPool.submit

    def submit(self: ImportPool, work: list[Work], captured_at: datetime) -> Any:
        sent.append(len(work))
        return real(self, work, captured_at)

    monkeypatch.setattr(ImportPool, "submit", submit)
    return sent


@pytest.fixture
def big(tmp_path: Path) -> Path:
    return varied_listing(tmp_path / "big.txt", 2100, rejected_every=97)


def _import_into(
    path: Path, listing_path: Path, tuning: ImportTuning
) -> tuple[dict[str, Any], importer.FileResult]:
    with Library(path) as lib:
        result = import_file(lib, listing_path, captured_at=CAPTURED_AT, tuning=tuning)
        return contents(lib), result


def test_the_workers_write_what_one_process_writes(tmp_path: Path, big: Path, pooled: list[int]) -> None:
    with_pool, result = _import_into(tmp_path / "pool.sqlite", big, POOLED)
    assert pooled == [293] * 7 + [49]
    assert result.ok and (result.new, result.rejected) == (2100, 22)
    pooled_summary = result.summary()

    alone, result = _import_into(tmp_path / "alone.sqlite", big, replace(CHUNKED, use_pool=False))
    assert len(pooled) == 8  # no chunk went to the workers this time
    assert with_pool == alone
    assert result.summary() == pooled_summary
    (record,) = alone["imports"]
    assert record[2] == file_hashes(big)[str(big)]


def test_the_workers_are_started_once_for_several_files(
    tmp_path: Path, big: Path, pooled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[int] = []
    real = importer.ProcessPoolExecutor

    def executor(*args: Any, **kwargs: Any) -> importer.ProcessPoolExecutor:
        started.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(importer, "ProcessPoolExecutor", executor)
    other = varied_listing(tmp_path / "other.txt", 700, start=5000)
    with Library(tmp_path / "lib.sqlite") as lib:
        results = import_files(lib, [big, SAMPLE, other], captured_at=CAPTURED_AT, tuning=POOLED)
        assert [r.new for r in results] == [2100, 10, 700]
    assert started == [1]
    assert not multiprocessing.active_children()


def test_a_small_file_starts_no_process(library: Library, monkeypatch: pytest.MonkeyPatch) -> None:
    def no_executor(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("a worker process was started for a small file")

    monkeypatch.setattr(importer, "ProcessPoolExecutor", no_executor)
    (result,) = import_files(library, [SAMPLE], captured_at=CAPTURED_AT)
    assert result.new == 10


def test_a_file_over_the_threshold_uses_the_workers(
    tmp_path: Path, big: Path, pooled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    """The decision is by the file's size: the same file just under the threshold stays in this process."""
    monkeypatch.setattr(os, "process_cpu_count", lambda: 2, raising=False)
    for threshold, sent in ((big.stat().st_size + 1, []), (big.stat().st_size, [293] * 7 + [49])):
        tuning = replace(CHUNKED, pool_min_bytes=threshold)
        with Library(tmp_path / f"lib{threshold}.sqlite") as lib:
            assert import_file(lib, big, captured_at=CAPTURED_AT, tuning=tuning).new == 2100
        assert pooled == sent


def test_cancel_with_the_workers_changes_nothing_and_stops_them(
    imported: Library, big: Path, pooled: list[int]
) -> None:
    before = contents(imported)
    workers: list[int] = []
    writes = 0

    def file_progress(n: int, files: int, done: int, total: int) -> None:
        nonlocal writes
        writes += 1
        workers.extend(p.pid for p in multiprocessing.active_children() if p.pid is not None)

    def cancelled() -> bool:
        return writes >= 3  # after the second chunk was written

    with pytest.raises(Cancelled):
        import_files(
            imported, [big], captured_at=CAPTURED_AT, cancelled=cancelled, file_progress=file_progress, tuning=POOLED
        )
    assert workers, "the workers were running"
    assert 3 <= len(pooled) < 8
    assert contents(imported) == before
    assert not imported.conn.in_transaction
    assert not multiprocessing.active_children()
    for pid in set(workers):
        with pytest.raises(ProcessLookupError):
            os.kill(pid, 0)


def _failing_task(work: list[Work], captured_at: datetime) -> Fields:
    raise RuntimeError(f"splitter bug in a chunk of {len(work)}")


def _dying_task(work: list[Work], captured_at: datetime) -> Fields:
    os._exit(3)


def test_a_worker_exception_is_raised_as_it_was(imported: Library, big: Path, pooled: list[int]) -> None:
    before = dump(imported.conn)
    with (
        ImportPool(task=_failing_task) as pool,
        pytest.raises(RuntimeError, match=r"^splitter bug in a chunk of 293$") as caught,
    ):
        import_file(imported, big, captured_at=CAPTURED_AT, pool=pool, tuning=POOLED)
    assert "_failing_task" in str(caught.value.__cause__)  # the worker's traceback
    assert dump(imported.conn) == before
    assert not multiprocessing.active_children()


def test_a_worker_that_dies_is_a_clear_error(imported: Library, big: Path, pooled: list[int]) -> None:
    before = dump(imported.conn)
    with (
        ImportPool(task=_dying_task) as pool,
        pytest.raises(DocManagerError, match="worker process of the import stopped unexpectedly"),
    ):
        import_file(imported, big, captured_at=CAPTURED_AT, pool=pool, tuning=POOLED)
    assert dump(imported.conn) == before
    assert not multiprocessing.active_children()
    # and the next import works
    assert import_file(imported, big, captured_at=CAPTURED_AT, tuning=POOLED).new == 2100


def test_a_worker_that_died_is_reported_when_the_next_chunk_is_sent() -> None:
    """The pool may learn of the death while this process is still reading: the next submit says so, and
    the pool starts new workers for what comes after."""
    with ImportPool(task=_dying_task) as pool:
        first = pool.submit([], CAPTURED_AT)
        assert isinstance(first.exception(timeout=30), BrokenProcessPool)
        with pytest.raises(DocManagerError, match="worker process of the import stopped unexpectedly"):
            pool.submit([], CAPTURED_AT)
        pool.task = importer.compute_fields
        assert pool.submit([], CAPTURED_AT).result(timeout=30) == ([], [])
    assert not multiprocessing.active_children()


# An import with its workers that stops at its first progress report, after printing the workers' ids.
_HELD_IMPORT = """
import multiprocessing, sys, time
from pathlib import Path
from docmanager import importer
from docmanager.library import Library

def hold(*args):
    print(*[p.pid for p in multiprocessing.active_children()], flush=True)
    time.sleep(60)

if __name__ == "__main__":
    tuning = importer.ImportTuning(chunk_entries=293, use_pool=True)
    with Library(Path(sys.argv[1])) as library:
        importer.import_files(library, [Path(sys.argv[2])], file_progress=hold, tuning=tuning)
"""


def _ended(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except FileNotFoundError:
        return True


@pytest.mark.skipif(sys.platform != "linux", reason="reads the processes' states in /proc")
def test_the_workers_end_when_the_importing_process_is_killed(tmp_path: Path, big: Path) -> None:
    """Killed (or crashed), the importing process cannot stop its workers: they must see it and end,
    not wait forever for chunks (which would also keep the fork server alive)."""
    library = tmp_path / "lib.sqlite"
    held = subprocess.Popen(
        [sys.executable, "-c", _HELD_IMPORT, str(library), str(big)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert held.stdout is not None
        workers = [int(pid) for pid in held.stdout.readline().split()]
    finally:
        held.kill()
        held.wait()
    assert len(workers) == 2
    deadline = time.monotonic() + 10
    while not all(_ended(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert all(_ended(pid) for pid in workers)
    with Library(library) as lib:
        assert lib.count() == 0


@pytest.fixture
def reads(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[int]]:
    """How many times a file is read through (each call of read_lines is one reading)."""
    count: list[int] = []
    real = listing.read_lines

    def counted(*args: Any) -> Iterator[tuple[str, int]]:
        count.append(1)
        return real(*args)

    monkeypatch.setattr(listing, "read_lines", counted)
    yield count


@pytest.mark.parametrize("workers", [False, True])
def test_a_file_without_results_is_refused_in_one_reading(
    imported: Library, tmp_path: Path, reads: list[int], monkeypatch: pytest.MonkeyPatch, workers: bool
) -> None:
    """Rejected lines only, several chunks of them written before the end tells: refused, rolled back."""
    tuning = ImportTuning(chunk_chars=2000, use_pool=workers)
    written: list[int] = []
    real = importer.ImportBatch.add_rejections

    def add_rejections(self: importer.ImportBatch, rejections: Any) -> None:
        rows = list(rejections)
        written.append(len(rows))
        real(self, rows)

    monkeypatch.setattr(importer.ImportBatch, "add_rejections", add_rejections)
    path = tmp_path / "notes.txt"
    # Broken results (text alone before any result would be the page's header: chrome, not rejected lines).
    path.write_text("\n".join(f"第 {i} 行坏结果0 码力 | abc 页 | 1 MB | 6 月前" for i in range(300)), encoding="utf-8")
    imported.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = contents(imported), dump(imported.conn)
    result = import_file(imported, path, captured_at=CAPTURED_AT, tuning=tuning)
    assert result.refused == (
        "line 1: no result lines found (300 lines rejected, the first at line 1: pages 'abc' is not a whole "
        "number); is this a saved listing page?"
    )
    assert (result.import_id, result.rejections) == (None, [])
    assert len(written) >= 3 and sum(written) == 300  # written inside the transaction, then rolled back
    assert reads == [1]
    assert (contents(imported), dump(imported.conn)) == before


def test_a_file_is_read_once(library: Library, big: Path, reads: list[int]) -> None:
    result = import_file(library, big, captured_at=CAPTURED_AT)
    assert (result.new, result.total_claimed, result.page_number) == (2100, 2100, 2)
    assert reads == [1]


def test_progress_counts_the_bytes_of_the_file(library: Library, big: Path) -> None:
    seen: list[tuple[int, int]] = []
    import_files(
        library,
        [big],
        captured_at=CAPTURED_AT,
        file_progress=lambda n, files, done, total: seen.append((done, total)),
        tuning=CHUNKED,
    )
    size = big.stat().st_size
    assert {total for _, total in seen} == {size}
    done = [d for d, _ in seen]
    assert done == sorted(done) and done[0] == 0 and size * 0.8 < done[-1] <= size
    assert len(seen) >= 8  # at least once a chunk


def test_an_unreadable_file_with_the_workers_changes_nothing(
    imported: Library, big: Path, pooled: list[int], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = listing.read_lines

    def failing(*args: Any) -> Iterator[tuple[str, int]]:
        for n, item in enumerate(real(*args)):
            if n == 1500:
                raise OSError(errno.EIO, "Input/output error")
            yield item

    monkeypatch.setattr(listing, "read_lines", failing)
    before = contents(imported)
    result = import_file(imported, big, captured_at=CAPTURED_AT, tuning=POOLED)
    assert (result.refused or "").startswith("line 1501: the file could not be read any further")
    assert contents(imported) == before
    assert not multiprocessing.active_children()


def _niceness_task(work: list[Work], captured_at: datetime) -> Any:
    return [os.nice(0)]


@pytest.mark.skipif(not hasattr(os, "nice"), reason="POSIX priorities")
def test_the_workers_run_at_a_lower_priority_than_the_importer() -> None:
    """The importing process reads and writes every row in order: the workers, which compute ahead of
    it, yield the CPU to it."""
    own = os.nice(0)
    with ImportPool(niceness=5, task=_niceness_task) as pool:
        assert pool.submit([], CAPTURED_AT).result(timeout=30) == [min(own + 5, 19)]
    with ImportPool(niceness=0, task=_niceness_task) as pool:
        assert pool.submit([], CAPTURED_AT).result(timeout=30) == [own]
