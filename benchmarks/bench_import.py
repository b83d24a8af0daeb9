"""Import benchmark: a 100,000-line listing into an empty library and into a copy of the 1M library.

Reports docs/s and MB/s (median of 3 with min and max); the time of reading the file and of computing
the documents' fields (which the import's worker processes share), and the workers' start; and the
baseline: the same already-parsed rows inserted with plain ``sqlite3`` ``executemany`` into the same
schema, plus the same search index (``docmanager.search.index_terms``; excerpts have no index since
schema 3). ``ratio`` is our import time / the baseline's.

    python benchmarks/bench_import.py [--runs 3] [--skip-1m] [--profile]
"""

from __future__ import annotations

import argparse
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LIB_1M, OUT, save, stats
from generate import CAPTURED_AT, write_listing

from docmanager.importer import chunks, compute_fields, documents_from, import_file, work_of
from docmanager.library import Document, Library, NewDocument, utc_now
from docmanager.library.imports import new_document_insert
from docmanager.listing import open_listing, read_listing
from docmanager.search import index_terms

LINES = 100_000
SEED = 7  # not the libraries' seed: these documents are all new to the 1M library
LISTING = OUT / f"import-{LINES // 1000}k.txt"


def ensure_listing() -> Path:
    if not LISTING.exists():
        write_listing(LISTING, LINES, SEED)
    return LISTING


def fresh_library(tmp: Path, name: str) -> Path:
    path = tmp / name
    for p in tmp.glob(name + "*"):
        p.unlink()
    Library(path).close()  # the real schema, empty
    return path


def import_once(lib_path: Path, listing: Path) -> dict[str, float]:
    lib = Library(lib_path)
    try:
        t0 = time.perf_counter()
        result = import_file(lib, listing, captured_at=CAPTURED_AT)
        elapsed = time.perf_counter() - t0
    finally:
        lib.close()
    assert result.ok and result.new > 0.99 * LINES * 0.99, result.summary()
    return {"seconds": elapsed, "new": result.new}


def phases(listing: Path) -> dict[str, float]:
    """Where an import's time goes outside SQLite, each part on its own in this process.

    The import reads the file once, in this process, while worker processes compute the chunks' fields
    (splitting titles, identities, packed raw lines, title search terms): so the fields' time is shared
    by the workers and overlaps the reading and the writing; it is not added to the import's time.
    """
    reading = fields = 0.0
    with open_listing(listing) as reader:
        parts = chunks(reader)
        while True:
            t0 = time.perf_counter()
            chunk = next(parts, None)
            t1 = time.perf_counter()
            reading += t1 - t0
            if chunk is None:
                break
            compute_fields(work_of(chunk.entries), CAPTURED_AT)
            fields += time.perf_counter() - t1
    return {"reading_and_parsing": reading, "split_and_fields_cpu_in_workers": fields}


_WORKER_START = """
import time
from concurrent.futures import wait
from datetime import UTC, datetime

from docmanager.importer import ImportPool

if __name__ == "__main__":
    t0 = time.perf_counter()
    with ImportPool() as pool:
        wait([pool.submit([], datetime.now(UTC)) for _ in range(pool.workers)])
        print(time.perf_counter() - t0)
"""


def worker_start() -> float:
    """Seconds from asking for the workers to all of them answering, in a new process (so with the start
    of the fork server, which later imports in the same process reuse)."""
    out = subprocess.run([sys.executable, "-c", _WORKER_START], capture_output=True, text=True, check=True)
    return float(out.stdout)


def baseline_once(lib_path: Path, docs: list[Any]) -> float:
    """Plain sqlite3: executemany the same rows into the same schema, plus the same FTS terms."""
    conn = sqlite3.connect(lib_path, isolation_level=None)
    try:
        t0 = time.perf_counter()
        conn.execute("BEGIN")
        cur = conn.execute(
            "INSERT INTO imports(path, sha256, imported_at, encoding, new, updated, unchanged, rejected) "
            "VALUES (?, '', ?, 'utf-8', 0, 0, 0, 0)",
            (str(LISTING), utc_now()),
        )
        import_id = cur.lastrowid
        now = utc_now()
        # The import's own INSERT (from the declaration in docmanager.library.records), raw lines as read.
        sql, values = new_document_insert(NewDocument, Document)
        rows = [(n + 1,) + values(d) + (d.raw_line, now, import_id) for n, d in enumerate(docs)]  # noqa: RUF005
        conn.executemany(sql, rows)
        conn.executemany(
            "INSERT INTO doc_fts(rowid, terms, uni) VALUES (?, ?, ?)",
            ((r[0], *index_terms(d.title, "", "")) for r, d in zip(rows, docs, strict=True)),
        )
        conn.execute("COMMIT")
        return time.perf_counter() - t0
    finally:
        conn.close()


def profile_import(lib_path: Path, listing: Path) -> None:
    """A pyinstrument profile of one import (if pyinstrument is importable) into out/."""
    try:
        from pyinstrument import Profiler
    except ImportError:
        print("pyinstrument not installed: no profile", file=sys.stderr)
        return
    lib = Library(lib_path)
    profiler = Profiler(interval=0.002)
    profiler.start()
    import_file(lib, listing, captured_at=CAPTURED_AT)
    profiler.stop()
    lib.close()
    (OUT / "profile-import.txt").write_text(profiler.output_text(unicode=True, color=False, show_all=False))
    print(f"profile written to {OUT / 'profile-import.txt'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--skip-1m", action="store_true", help="only the empty-library import")
    parser.add_argument("--profile", action="store_true", help="also write a pyinstrument profile")
    args = parser.parse_args(argv)

    listing = ensure_listing()
    mb = listing.stat().st_size / 1e6
    out: dict[str, Any] = {"lines": LINES, "listing_mb": round(mb, 2)}
    with tempfile.TemporaryDirectory(prefix="dm-bench-import-", dir=OUT) as tmpdir:
        tmp = Path(tmpdir)

        # 1. into an empty library
        samples, new = [], 0
        for _ in range(args.runs):
            path = fresh_library(tmp, "empty.sqlite")
            r = import_once(path, listing)
            samples.append(r["seconds"])
            new = int(r["new"])
        out["empty"] = stats(samples)
        out["empty"]["docs"] = new
        out["empty"]["docs_per_s"] = new / out["empty"]["median"]
        out["empty"]["mb_per_s"] = mb / out["empty"]["median"]
        print(f"empty library: {out['empty']['median']:.2f}s median ({new / out['empty']['median']:,.0f} docs/s)")

        # 2. where the time goes outside SQLite
        ph = [{**phases(listing), "worker_start": worker_start()} for _ in range(args.runs)]
        out["phases"] = {k: stats([p[k] for p in ph]) for k in ph[0]}

        # 3. the baseline: the same parsed rows, plain executemany + FTS terms
        docs = documents_from(read_listing(listing), CAPTURED_AT)
        base = []
        for _ in range(args.runs):
            path = fresh_library(tmp, "baseline.sqlite")
            base.append(baseline_once(path, docs))
        out["baseline"] = stats(base)
        out["ratio_to_baseline"] = out["empty"]["median"] / out["baseline"]["median"]
        print(f"baseline: {out['baseline']['median']:.2f}s; ratio {out['ratio_to_baseline']:.1f}x")

        if args.profile:
            profile_import(fresh_library(tmp, "profile.sqlite"), listing)

        # 4. into a copy of the 1M library
        if not args.skip_1m and LIB_1M.exists():
            samples = []
            for _ in range(args.runs):
                copy = tmp / "copy-1m.sqlite"
                for p in tmp.glob("copy-1m.sqlite*"):
                    p.unlink()
                shutil.copyfile(LIB_1M, copy)
                r = import_once(copy, listing)
                samples.append(r["seconds"])
                new = int(r["new"])
            out["into_1m"] = stats(samples)
            out["into_1m"]["docs"] = new
            out["into_1m"]["docs_per_s"] = new / out["into_1m"]["median"]
            out["into_1m"]["mb_per_s"] = mb / out["into_1m"]["median"]
            print(f"into 1M library: {out['into_1m']['median']:.2f}s median")
    save("import", out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
