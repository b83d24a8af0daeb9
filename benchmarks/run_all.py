"""Everything `make bench` does: build the libraries if missing (or of an older schema), run both
benchmarks, print the report.

    python benchmarks/run_all.py [--rebuild] [--quick]

--quick: 100k library for the GUI benchmark, fewer runs (a smoke test, not figures to publish).
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from common import LIB_1M, LIB_100K, library_meta, save

HERE = Path(__file__).resolve().parent


def stale(path: Path) -> bool:
    """A library built by an older schema: its size and speed would not be this code's."""
    import sqlite3

    from docmanager.library.schema import SCHEMA_VERSION

    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        return int(conn.execute("PRAGMA user_version").fetchone()[0]) != SCHEMA_VERSION
    finally:
        conn.close()


def run(*args: str) -> None:
    print("$ python " + " ".join(args), flush=True)
    subprocess.run([sys.executable, *args], check=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rebuild", action="store_true", help="rebuild the libraries even if present")
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args(argv)
    for path, docs in ((LIB_100K, 100_000), (LIB_1M, 1_000_000)):
        if args.quick and path == LIB_1M:
            continue
        if args.rebuild or not path.exists() or stale(path):
            run(str(HERE / "generate.py"), "library", "--docs", str(docs), str(path))
    save("build", {p.stem: library_meta(p) for p in (LIB_100K, LIB_1M) if p.exists()})
    if args.quick:
        run(str(HERE / "bench_import.py"), "--runs", "1", "--skip-1m")
        run(str(HERE / "bench_gui.py"), "--library", str(LIB_100K), "--runs", "2", "--startup-runs", "2")
    else:
        run(str(HERE / "bench_import.py"))
        run(str(HERE / "bench_gui.py"))
    run(str(HERE / "report.py"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
