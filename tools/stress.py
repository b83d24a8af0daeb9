"""Crash loop and big-file check: nothing is lost or half-written when the process is killed.

    python tools/stress.py [--iterations 200] [--lines 2000] [--seed 1] [--keep DIR]
    python tools/stress.py bigfile [--size-mb 1024] [--keep DIR]
    python tools/stress.py mixed [--rounds 200] [--seed 1] [--keep DIR]

The crash loop starts a child that imports a new generated listing (every line a new document) or
makes a bulk edit (tag a whole import, delete and restore it, queue or unqueue it), kills it with
SIGKILL at a random moment spread over how long such a child takes, then opens the library and checks:
``PRAGMA integrity_check`` is "ok"; every import record has exactly the documents it claims and every
file whose import never committed has none; every bulk edit is on all of its documents or on none.
It prints one summary line and exits non-zero on any failure.

``bigfile`` writes a listing of the given size (repeated sample lines, each its own document), imports
it in a child and reports the time and the child's peak RSS.

``mixed`` runs the real window and terminal commands on one library at once, killing either now and
then, and checks that every committed edit is there (see tools/stress_mixed.py).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import signal
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
SAMPLE = ROOT / "resources" / "listing-page.txt"
_PAGES = re.compile(r"\| (\d+) 页 \|")


def sample_lines() -> list[str]:
    return [line for line in SAMPLE.read_text(encoding="utf-8").splitlines() if "码力" in line]


def write_listing(path: Path, batch: int, lines: int) -> int:
    """``lines`` result lines, all new documents: the batch number opens each body."""
    base = sample_lines()
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        for i in range(lines):
            line = _PAGES.sub(f"| {1 + i} 页 |", base[i % len(base)], count=1)
            fh.write(f"第{batch}批{i}号{line}\n")
        fh.write(f"共 {lines} 条\n- 1\n- 3\n")
    return lines


# --- the child -----------------------------------------------------------------------------------


def child(args: argparse.Namespace) -> int:
    from docmanager.importer import import_file
    from docmanager.library import Library

    original = Library.import_batch

    @contextmanager
    def import_batch(self: Library, **kwargs: Any) -> Iterator[Any]:
        print("tx", flush=True)  # the transaction starts here: the second pass and the splitting are in it
        with original(self, **kwargs) as batch:
            yield batch

    Library.import_batch = import_batch  # type: ignore[method-assign]
    lib = Library(Path(args.library))
    print("ready", flush=True)
    op = json.loads(args.op)
    if op["kind"] == "import":
        result = import_file(lib, Path(op["file"]))
        assert result.ok, result.summary()
    else:
        ids = op["ids"]
        print("tx", flush=True)
        if op["kind"] == "tag":
            lib.add_tags(ids, [op["tag"]])
        elif op["kind"] == "delete":
            lib.restore(lib.delete(ids).undo)
        elif op["kind"] == "later":
            lib.add_to_later(ids)
        elif op["kind"] == "unlater":
            lib.remove_from_later(ids)
    lib.close()
    print("done", flush=True)
    return 0


# --- the parent ----------------------------------------------------------------------------------


class Checker:
    """What the library must hold, whatever moment the child was killed at."""

    def __init__(self, library: Path) -> None:
        self.library = library
        self.files: dict[str, int] = {}  # listing file → documents its import adds
        self.tags: dict[str, int] = {}  # tag → documents of the batch it was put on
        # Imports whose documents a "delete, then restore" child deleted and was killed before restoring:
        # two transactions, each whole, so from then on that import's documents are rightly gone.
        self.deleted: set[int] = set()
        self.queued: set[int] = set()
        self.failures: list[str] = []

    def check(self, it: int, op: dict[str, object]) -> tuple[int, int]:
        """(integrity failures, partially imported files) after iteration ``it``."""
        conn = sqlite3.connect(self.library)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
            bad_integrity = int(integrity != "ok")
            if bad_integrity:
                self.failures.append(f"iteration {it}: integrity_check: {integrity}")
            partial = 0
            records = {path: (iid, new) for iid, path, new in conn.execute("SELECT id, path, new FROM imports")}
            for path, lines in self.files.items():
                docs = conn.execute("SELECT count(*) FROM documents WHERE source_file = ?", (path,)).fetchone()[0]
                if path in records:
                    iid, new = records[path]
                    by_import = conn.execute("SELECT count(*) FROM documents WHERE import_id = ?", (iid,)).fetchone()[0]
                    if op["kind"] == "delete" and op["import_id"] == iid and by_import == 0:
                        self.deleted.add(iid)
                    want = 0 if iid in self.deleted else lines
                    ok = new == lines and by_import == want and docs == want
                else:
                    ok = docs == 0
                if not ok:
                    partial += 1
                    self.failures.append(f"iteration {it}: {path}: record {records.get(path)}, {docs} documents")
            for tag, n in self.tags.items():
                have = conn.execute(
                    "SELECT count(*) FROM document_tags dt JOIN tags t ON t.id = dt.tag_id WHERE t.name = ?", (tag,)
                ).fetchone()[0]
                if have not in (0, n):
                    self.failures.append(f"iteration {it}: tag {tag} on {have} of {n} documents")
            if op["kind"] in ("later", "unlater"):
                ids = op["ids"]
                assert isinstance(ids, list)
                marks = ",".join("?" * len(ids))
                queued = conn.execute(
                    f"SELECT count(*) FROM documents WHERE id IN ({marks}) AND later_position IS NOT NULL", ids
                ).fetchone()[0]
                if queued not in (0, len(ids)):
                    self.failures.append(f"iteration {it}: {queued} of {len(ids)} documents queued")
            return bad_integrity, partial
        finally:
            conn.close()

    def import_ids(self) -> list[tuple[int, list[int]]]:
        """Each import's id and the ids of its documents (imports whose documents are gone left out)."""
        conn = sqlite3.connect(self.library)
        try:
            groups = [
                (iid, [r[0] for r in conn.execute("SELECT id FROM documents WHERE import_id = ?", (iid,))])
                for (iid,) in conn.execute("SELECT id FROM imports").fetchall()
            ]
            self.queued = {r[0] for r in conn.execute("SELECT id FROM documents WHERE later_position IS NOT NULL")}
        finally:
            conn.close()
        return [(iid, ids) for iid, ids in groups if ids]


def run_child(library: Path, op: dict[str, object], kill_after: float | None) -> tuple[list[str], float]:
    """Run one child; kill it ``kill_after`` seconds after it said "ready". Returns its markers and the
    time from "ready" to exit."""
    proc = subprocess.Popen(
        [sys.executable, __file__, "child", str(library), json.dumps(op)],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    assert proc.stdout is not None
    first = proc.stdout.readline().strip()
    start = time.perf_counter()
    if first != "ready":
        proc.kill()
        raise SystemExit(f"child did not start: {first!r} {proc.communicate()[1]}")
    if kill_after is not None:
        time.sleep(kill_after)
        proc.send_signal(signal.SIGKILL)
    # Not communicate(): it reads the raw pipe and would miss what readline() has already buffered.
    proc.wait()
    elapsed = time.perf_counter() - start
    out, err = proc.stdout.read(), proc.stderr.read() if proc.stderr else ""
    if proc.returncode not in (0, -signal.SIGKILL):
        raise SystemExit(f"child failed ({proc.returncode}): {err}")
    return [first, *out.split()], elapsed


def crash_loop(args: argparse.Namespace) -> int:
    rng = random.Random(args.seed)
    folder = Path(args.keep or tempfile.mkdtemp(prefix="docmanager-stress-"))
    folder.mkdir(parents=True, exist_ok=True)
    library = folder / "library.sqlite"
    checker = Checker(library)
    durations: dict[str, float] = {}
    kills = mid = completed = integrity_failures = partial_files = 0
    batch = 0
    t0 = time.perf_counter()
    for it in range(args.iterations):
        groups = checker.import_ids() if library.exists() else []
        kind = "import" if len(groups) < 2 or rng.random() < 0.5 else rng.choice(["tag", "delete", "later"])
        op: dict[str, object]
        if kind == "import":
            batch += 1
            path = folder / f"listing-{batch:04}.txt"
            checker.files[str(path.resolve())] = write_listing(path, batch, args.lines)
            op = {"kind": "import", "file": str(path)}
        else:
            import_id, ids = rng.choice(groups)
            op = {"kind": kind, "ids": ids, "import_id": import_id}
            if kind == "tag":
                op["tag"] = f"stress-{it}"
                checker.tags[f"stress-{it}"] = len(ids)
            elif kind == "later" and set(ids) & checker.queued:
                op["kind"] = "unlater"
        # The first child of each kind runs to the end: it measures how long that kind takes.
        measured = durations.get(str(op["kind"]))
        kill_after = None if measured is None else rng.uniform(0, measured * 1.1)
        markers, elapsed = run_child(library, op, kill_after)
        if measured is None:
            durations[str(op["kind"])] = elapsed
        if "done" in markers:
            completed += 1
        else:
            kills += 1
            mid += "tx" in markers
        bad, partial = checker.check(it, op)
        integrity_failures += bad
        partial_files += partial
        if args.verbose:
            print(f"{it:4} {op['kind']:8} kill_after={kill_after} markers={markers}", flush=True)
    other = len(checker.failures) - integrity_failures - partial_files
    print(
        f"stress: {args.iterations} iterations in {time.perf_counter() - t0:.0f} s, {kills} killed "
        f"({mid} mid-transaction, est.), {completed} completed; integrity failures: {integrity_failures}, "
        f"partially imported files: {partial_files}, half-applied bulk edits: {other}; "
        f"{len(checker.files)} files ({len(checker.deleted)} deleted by a delete killed before its restore), "
        f"library {folder}"
    )
    for failure in checker.failures[:20]:
        print("  FAIL", failure)
    return 1 if checker.failures else 0


def bigfile(args: argparse.Namespace) -> int:
    folder = Path(args.keep or tempfile.mkdtemp(prefix="docmanager-bigfile-"))
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"listing-{args.size_mb}mb.txt"
    base = sample_lines()
    target = args.size_mb << 20
    if not path.exists() or path.stat().st_size < target:
        with open(path, "w", encoding="utf-8", newline="\n") as fh:
            i = 0
            while fh.tell() < target:
                buf = []
                for _ in range(1000):
                    line = _PAGES.sub(f"| {1 + i % 999_999} 页 |", base[i % len(base)], count=1)
                    buf.append(f"{i // 999_999}号{line}\n")
                    i += 1
                fh.write("".join(buf))
    library = folder / "library.sqlite"
    for p in folder.glob("library.sqlite*"):
        p.unlink()
    code = (
        "import sys, resource, time; from pathlib import Path; from docmanager.importer import import_file; "
        "from docmanager.library import Library; t = time.perf_counter(); "
        f"r = import_file(Library(Path({str(library)!r})), Path({str(path)!r})); "
        "print(r.summary()); print(f'{time.perf_counter() - t:.0f} s')"
    )
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"bigfile: {path.stat().st_size / 2**20:.0f} MB listing imported; child peak RSS {peak:.0f} MB")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command")
    big = sub.add_parser("bigfile", help="import a generated listing of --size-mb and report peak RSS")
    big.add_argument("--size-mb", type=int, default=1024)
    big.add_argument("--keep", help="folder for the listing and library (default: a new temporary one)")
    kid = sub.add_parser("child")
    kid.add_argument("library")
    kid.add_argument("op")
    mix = sub.add_parser("mixed", help="the window and terminal commands on one library, killed now and then")
    mix.add_argument("--rounds", type=int, default=200)
    mix.add_argument("--seed", type=int, default=1)
    mix.add_argument("--keep", help="folder for the library, listings and journal (default: a new temporary one)")
    mix.add_argument("--kill-rate", type=float, default=0.2, help="rounds that kill a process")
    mix.add_argument("--verbose", action="store_true")
    win = sub.add_parser("window")  # mixed mode's window process
    win.add_argument("library")
    win.add_argument("journal")
    win.add_argument("--gen", type=int, default=1)
    win.add_argument("--seed", type=int, default=1)
    parser.add_argument("--iterations", type=int, default=200)
    parser.add_argument("--lines", type=int, default=2000, help="result lines in each generated listing")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--keep", help="folder for the library and listings (default: a new temporary one)")
    parser.add_argument("--verbose", action="store_true")
    args = parser.parse_args()
    if args.command == "child":
        return child(args)
    if args.command == "bigfile":
        return bigfile(args)
    if args.command in ("mixed", "window"):
        import stress_mixed  # beside this file, which is on sys.path as the script's folder

        return stress_mixed.mixed(args) if args.command == "mixed" else stress_mixed.window_main(args)
    return crash_loop(args)


if __name__ == "__main__":
    sys.exit(main())
