"""The mixed mode of tools/stress.py: the real window and terminal commands edit one library at once.

    python tools/stress.py mixed [--rounds 200] [--seed 1] [--keep DIR] [--kill-rate 0.2]

The parent starts the window in a process of its own (``stress.py window LIBRARY JOURNAL``, offscreen),
which edits continuously through ``window.operations``: tags random documents with a new tag name,
untags one of its own tags, toggles read later (on even ids only), sets the status, deletes and undoes.
It appends a line to the journal before submitting each edit and another once the edit committed
(the operations' ``finished`` signal), each flushed and fsynced: a journalled commit is never lost to
kill -9, and an edit without its line is at most a suffix of the window's FIFO queue. Beside it, each
round runs a few ``python -m docmanager`` commands, two at a time: imports of new generated listings,
``tag`` with new names, ``untag``, ``later`` (odd ids only, so the window's toggles never undo them)
and reads. In a fraction of the rounds the window (restarted next round) or one terminal command is
killed with SIGKILL. Each round ends with the window paused and drained (it checks its
/proc/self/fd for deleted files of the library), ``PRAGMA integrity_check`` on a read-only connection,
and a comparison of the whole library with what the committed edits say it must hold: every
document, tag link, queue mark and status. After a kill, the window's unjournalled edits must be a
whole prefix of what it submitted, and a killed command all or nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import queue
import random
import select
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stress import write_listing

from docmanager.library.connection import deleted_handles

ROOT = Path(__file__).resolve().parent.parent
STRESS = Path(__file__).resolve().parent / "stress.py"
STATUSES = ("unread", "reading", "read")
PARALLEL = 2  # terminal commands running at once
PENDING = 2  # the window's edits submitted and not finished before it makes another
TICK_MS = 15
SETTLE_SECONDS = 120  # a window that cannot drain its edits in this long is stuck (a deadlock)


# --- the window process ---------------------------------------------------------------------------


class Journal:
    """Append-only JSON lines, each on disk before write() returns."""

    def __init__(self, path: Path) -> None:
        self.fh = open(path, "a", encoding="utf-8")  # noqa: SIM115  # open for the process's life

    def write(self, entry: dict[str, Any]) -> None:
        self.fh.write(json.dumps(entry) + "\n")
        self.fh.flush()
        os.fsync(self.fh.fileno())


class _Boxes:
    """Stands in for QMessageBox in the window's module: a modal box would stop the loop, and any
    message the window shows here is a failure to report."""

    def __init__(self, journal: Journal) -> None:
        self.journal = journal

    def _say(self, _parent: object, _title: str, text: str, *_args: object) -> None:
        self.journal.write({"phase": "error", "text": f"the window said: {text}"})

    warning = critical = information = about = _say


class WindowDriver:
    """Makes edits on a timer through the window's own methods and journals each one that committed."""

    def __init__(self, window: Any, journal: Journal, rng: random.Random, gen: int) -> None:
        self.window, self.journal, self.rng, self.gen = window, journal, rng, gen
        self.seq = 0
        self.ticks = 0
        self.current: dict[str, Any] | None = None  # the edit being made: given to the next submit
        self.jobs: dict[Any, dict[str, Any]] = {}  # submitted Job → its edit, until it finished
        self.own_tags: dict[str, list[int]] = {}  # tags this window added (committed) → their documents
        self.deleted: set[int] = set()  # documents deleted and not restored yet: left alone
        self.last_deleted: list[int] = []
        self.undo_in = -1  # ticks until the delete is undone
        self.paused = self.pausing = False
        self.commands: queue.Queue[str] = queue.Queue()
        ops = window.operations
        submit = ops.submit

        def journalled_submit(run: Any, done: Any = None, what: str = "") -> Any:
            edit, self.current = self.current, None
            if edit is not None:
                self.journal.write({k: v for k, v in edit.items() if k != "command"} | {"phase": "sub"})
            job = submit(run, done, what)
            if edit is not None:  # finished is delivered on this thread, after this returns
                self.jobs[job] = edit
            return job

        ops.submit = journalled_submit
        ops.finished.connect(self._committed)
        ops.failed.connect(self._failed)
        ops.crashed.connect(lambda text: self.journal.write({"phase": "error", "text": f"edit crashed: {text}"}))
        threading.Thread(target=self._read_commands, daemon=True).start()

    def _read_commands(self) -> None:
        for line in sys.stdin:
            self.commands.put(line.strip())
        self.commands.put("quit")

    def _edit(self, kind: str, ids: list[int], **extra: Any) -> dict[str, Any]:
        self.seq += 1
        self.current = {"gen": self.gen, "seq": self.seq, "kind": kind, "ids": ids, **extra}
        return self.current

    def _committed(self, job: Any) -> None:
        edit = self.jobs.pop(job, None)
        if edit is None:
            return
        line: dict[str, Any] = {"gen": self.gen, "seq": edit["seq"], "phase": "ok"}
        if edit["kind"] == "later":
            line["add"] = bool(edit["command"].add)  # decided when the edit ran
        self.journal.write(line)
        if edit["kind"] == "tag":
            self.own_tags[edit["tag"]] = edit["ids"]
        elif edit["kind"] == "restore":
            self.deleted -= set(edit["ids"])

    def _failed(self, job: Any, exc: Exception) -> None:
        edit = self.jobs.pop(job, None)
        seq = None if edit is None else edit["seq"]
        self.journal.write({"gen": self.gen, "seq": seq, "phase": "fail", "error": str(exc)})

    def check_handles(self, when: str) -> None:
        if bad := deleted_handles(self.window.library.path):
            self.journal.write({"phase": "handles", "when": when, "bad": bad})

    def tick(self) -> None:
        self.ticks += 1
        while not self.commands.empty():
            command = self.commands.get()
            if command == "pause":
                self.pausing = True
            elif command == "resume":
                self.paused = False
            elif command == "quit":
                self.window.close()
                self.check_handles("exit")
                self.window.library.close()
                from PySide6.QtWidgets import QApplication

                QApplication.quit()
                return
        if self.ticks % 20 == 0:
            self.check_handles("tick")
        if self.undo_in == 0:
            self._edit("restore", self.last_deleted)
            self.window.undo_stack.undo()
            self.undo_in = -1
        elif self.undo_in > 0:
            self.undo_in -= 1  # nothing else is pushed before the undo: it must undo the delete
            return
        if self.pausing:
            if not self.jobs and self.window.operations.pending == 0:
                self.check_handles("pause")
                self.pausing, self.paused = False, True
                print("paused", flush=True)
            return
        if not self.paused and self.window.operations.pending < PENDING:
            self.make_edit()

    def make_edit(self) -> None:
        window, rng = self.window, self.rng
        rows = window.model.rowCount()
        if rows == 0:
            return
        picked = [window.model.doc_id(r) for r in rng.sample(range(rows), min(rows, rng.choice((1, 1, 2, 3))))]
        ids = [i for i in picked if i >= 0 and i not in self.deleted]
        roll = rng.random()
        if roll < 0.45:
            kind = "tag"
        elif roll < 0.55 and (names := [n for n, tagged in self.own_tags.items() if not self.deleted & set(tagged)]):
            name = rng.choice(sorted(names))
            edit = self._edit("untag", self.own_tags.pop(name), tag=name)
            window.tag_documents(edit["ids"], [name], add=False)
            return
        elif roll < 0.75:
            kind, ids = "later", [i for i in ids if i % 2 == 0]  # odd ids are the terminal's queue
        elif roll < 0.93:
            kind = "status"
        else:
            kind = "delete"
        if not ids:
            return
        window.table.select_ids(ids, ids[0])
        ids = window.table.selected_ids()
        if kind == "tag":
            name = f"w{self.gen}-{self.seq + 1}"  # a new name each time: its links are this edit's alone
            self._edit("tag", ids, tag=name)
            window.tag_documents(ids, [name])
        elif kind == "later":
            edit = self._edit("later", ids)
            stack = window.undo_stack
            window.toggle_later()
            edit["command"] = stack.command(stack.count() - 1)
        elif kind == "status":
            status = rng.choice(STATUSES)
            self._edit("status", ids, status=status)
            window.set_status(status)
        else:
            sources = {d.id: d.source_file for d in window.library.documents(ids, texts=False)}
            self._edit("delete", ids, sources=sources)
            window.delete_selected()
            self.deleted |= set(ids)
            self.last_deleted = ids
            self.undo_in = rng.choice((0, 1, 3))
        if self.current is not None:
            raise AssertionError(f"the window submitted nothing for {self.current}")


def window_main(args: argparse.Namespace) -> int:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from PySide6.QtCore import QSettings, QTimer
    from PySide6.QtWidgets import QApplication

    from docmanager.gui import mainwindow
    from docmanager.gui.mainwindow import MainWindow
    from docmanager.library import Library

    app = QApplication([sys.argv[0]])
    library = Path(args.library)
    journal = Journal(Path(args.journal))
    mainwindow.QMessageBox = _Boxes(journal)  # type: ignore[assignment,misc]
    settings = QSettings(str(Path(args.journal).with_suffix(f".{args.gen}.ini")), QSettings.Format.IniFormat)
    window = MainWindow(Library(library), settings)

    def damaged(exc: object) -> None:  # instead of the recovery dialog, which would wait for a click
        journal.write({"phase": "error", "text": f"damage reported: {exc}"})

    window.report_damage = damaged
    window.show()
    driver = WindowDriver(window, journal, random.Random(args.seed * 1000 + args.gen), args.gen)
    timer = QTimer(interval=TICK_MS)
    timer.timeout.connect(driver.tick)
    timer.start()
    print("ready", flush=True)
    return app.exec()


# --- the parent -----------------------------------------------------------------------------------


@dataclass
class Expected:
    """What the committed edits say the library holds (documents in ``gone`` are rightly absent)."""

    imports: dict[str, int] = field(default_factory=dict)  # listing file → documents its import added
    links: set[tuple[int, str]] = field(default_factory=set)
    queued: set[int] = field(default_factory=set)
    status: dict[int, str] = field(default_factory=dict)  # not there: "unread"
    gone: set[int] = field(default_factory=set)
    sources: dict[int, str] = field(default_factory=dict)  # listing file of each document the window deleted

    def copy(self) -> Expected:
        return Expected(
            dict(self.imports), set(self.links), set(self.queued), dict(self.status), set(self.gone), dict(self.sources)
        )

    def apply(self, edit: dict[str, Any], add: bool | None = None) -> None:
        """One window edit, as it commits (``add``: what a later toggle decided, if journalled)."""
        ids = edit["ids"]
        kind = edit["kind"]
        if kind == "tag":
            self.links |= {(i, edit["tag"]) for i in ids}
        elif kind == "untag":
            self.links -= {(i, edit["tag"]) for i in ids}
        elif kind == "later":
            if add is None:  # as LaterCommand decides: by the first document's state
                add = ids[0] not in self.queued
            self.queued = self.queued | set(ids) if add else self.queued - set(ids)
        elif kind == "status":
            self.status.update(dict.fromkeys(ids, edit["status"]))
        elif kind == "delete":
            self.sources.update({int(i): s for i, s in edit["sources"].items()})
            self.gone |= set(ids)
        elif kind == "restore":
            self.gone -= set(ids)


@dataclass
class Actual:
    docs: dict[int, tuple[str, bool, str]]  # id → (source file, queued, status)
    links: set[tuple[int, str]]

    @classmethod
    def read(cls, library: Path, *, check: bool = True) -> tuple[Actual, str]:
        """What the library holds, and its integrity_check ("ok", or unchecked without ``check``)."""
        conn = sqlite3.connect(f"file:{library}?mode=ro", uri=True)
        try:
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0] if check else "ok"
            docs = {
                i: (src, later is not None, status)
                for i, src, later, status in conn.execute(
                    "SELECT id, source_file, later_position, status FROM documents"
                )
            }
            links = set(
                conn.execute("SELECT dt.doc_id, t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id")
            )
        finally:
            conn.close()
        return cls(docs, links), integrity


def compare(exp: Expected, act: Actual) -> list[str]:
    """Every difference between what must be and what is."""
    problems = []
    by_source = Counter(src for src, _, _ in act.docs.values())
    gone = Counter(exp.sources[i] for i in exp.gone)
    for path, n in exp.imports.items():
        if by_source[path] != n - gone[path]:
            problems.append(f"{Path(path).name}: {by_source[path]} documents, expected {n - gone[path]}")
    for path in by_source.keys() - exp.imports.keys():
        problems.append(f"{Path(path).name}: {by_source[path]} documents from an import that never committed")
    if back := exp.gone & act.docs.keys():
        problems.append(f"documents {sorted(back)[:10]} deleted and never restored, yet present")
    links = {(i, t) for i, t in exp.links if i not in exp.gone}
    if missing := links - act.links:
        problems.append(f"tag links lost: {sorted(missing)[:10]} ({len(missing)})")
    if extra := act.links - links:
        problems.append(f"tag links no committed edit made (or one undid): {sorted(extra)[:10]} ({len(extra)})")
    queued = {i for i, (_, q, _) in act.docs.items() if q}
    if missing := (exp.queued - exp.gone) - queued:
        problems.append(f"read-later marks lost: {sorted(missing)[:10]} ({len(missing)})")
    if extra := queued - exp.queued:
        problems.append(f"read-later marks no committed edit made: {sorted(extra)[:10]} ({len(extra)})")
    statuses = ((i, s, exp.status.get(i, "unread")) for i, (_, _, s) in act.docs.items())
    if wrong := [(i, s, want) for i, s, want in statuses if s != want]:
        problems.append(f"status (id, is, expected): {wrong[:10]} ({len(wrong)})")
    return problems


@dataclass
class Command:
    kind: str  # import, tag, untag, later, read
    argv: list[str]
    info: dict[str, Any]
    proc: subprocess.Popen[str] | None = None
    started: float = 0.0
    kill_after: float | None = None
    killed: bool = False
    code: int | None = None
    err: str = ""


class Mixed:
    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.folder = Path(args.keep or tempfile.mkdtemp(prefix="docmanager-mixed-")).resolve()
        self.folder.mkdir(parents=True, exist_ok=True)
        self.library = self.folder / "library.sqlite"
        self.journal = self.folder / "journal.jsonl"
        self.env = dict(os.environ, QT_QPA_PLATFORM="offscreen", PYTHONPATH=str(ROOT))
        self.exp = Expected()
        self.window: subprocess.Popen[bytes] | None = None
        self.window_out = b""
        self.gen = 0
        self.edits: dict[tuple[int, int], dict[str, Any]] = {}  # (gen, seq) → edit submitted, not committed
        self.journal_offset = 0
        self.batch = 0
        self.durations: dict[str, float] = {}
        self.kills = {"window": 0, "terminal": 0}
        self.kill_rounds = 0
        self.committed = {"window": 0, "terminal": 0}
        self.counts: Counter[str] = Counter()  # failures by kind: integrity, lost, handles, other
        self.failures: list[str] = []
        self.terminal_links: list[tuple[int, str]] = []

    def fail(self, kind: str, text: str, n: int = 1) -> None:
        self.counts[kind] += n
        self.failures.append(text)

    # --- processes ---

    def start_window(self) -> None:
        self.gen += 1
        log = open(self.folder / f"window-{self.gen}.log", "w")  # noqa: SIM115  # the child keeps it
        self.window = subprocess.Popen(
            [sys.executable, str(STRESS), "window", str(self.library), str(self.journal),
             "--gen", str(self.gen), "--seed", str(self.args.seed)],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=log, env=self.env, cwd=ROOT,
        )  # fmt: skip
        log.close()
        self.window_out = b""
        if self.window_line(60) != "ready":
            raise SystemExit(f"the window did not start: see {self.folder}/window-{self.gen}.log")

    def window_line(self, timeout: float) -> str | None:
        """The window's next line on stdout, or None (timeout, or it died)."""
        assert self.window is not None and self.window.stdout is not None
        end = time.monotonic() + timeout
        while b"\n" not in self.window_out:
            left = end - time.monotonic()
            if left <= 0 or not select.select([self.window.stdout], [], [], left)[0]:
                return None
            chunk = os.read(self.window.stdout.fileno(), 4096)
            if not chunk:
                return None
            self.window_out += chunk
        line, _, self.window_out = self.window_out.partition(b"\n")
        return line.decode().strip()

    def tell_window(self, command: str) -> bool:
        assert self.window is not None and self.window.stdin is not None
        try:
            self.window.stdin.write(command.encode() + b"\n")
            self.window.stdin.flush()
        except BrokenPipeError:
            return False
        return True

    def kill_window(self) -> None:
        assert self.window is not None
        self.window.send_signal(signal.SIGKILL)
        self.window.wait()
        self.window = None
        self.kills["window"] += 1

    def docmanager(self, *argv: str) -> list[str]:
        return [sys.executable, "-m", "docmanager", *argv, "--library", str(self.library)]

    # --- a round ---

    def plan(self, r: int, ids: list[int]) -> list[Command]:
        rng = self.rng
        plan: list[Command] = []
        if rng.random() < 0.5 or not ids:
            self.batch += 1
            path = self.folder / f"listing-{self.batch:04}.txt"
            lines = write_listing(path, self.batch, rng.randint(20, 100))
            plan.append(Command("import", self.docmanager("import", str(path)), {"path": str(path), "lines": lines}))
        if ids:
            for k in range(rng.choice((1, 2))):
                doc, tag = rng.choice(ids), f"t{r}-{k}"
                plan.append(Command("tag", self.docmanager("tag", str(doc), tag), {"link": (doc, tag)}))
            odd = [i for i in ids if i % 2 and i not in self.exp.queued]
            if odd and rng.random() < 0.6:
                chosen = rng.sample(odd, min(len(odd), rng.randint(1, 3)))
                plan.append(Command("later", self.docmanager("later", *map(str, chosen)), {"ids": chosen}))
            present = set(ids)
            links = [link for link in self.terminal_links if link[0] in present]
            if links and rng.random() < 0.3:
                doc, tag = rng.choice(links)
                self.terminal_links.remove((doc, tag))
                plan.append(Command("untag", self.docmanager("untag", str(doc), tag), {"link": (doc, tag)}))
            reads = [
                ["list", "--limit", "30", "--format", "json"],
                ["list", "--later", "--limit", "20"],
                ["show", str(rng.choice(ids)), "--format", "json"],
                ["tags"],
                ["list", "--search", "码力", "--limit", "5"],
            ]
            for argv in rng.sample(reads, rng.choice((1, 2))):
                plan.append(Command("read", self.docmanager(*argv), {}))
        rng.shuffle(plan)
        return plan

    def run_round(self, r: int) -> None:
        rng = self.rng
        if self.window is None:
            self.start_window()
        else:
            self.tell_window("resume")
        ids = sorted(Actual.read(self.library, check=False)[0].docs)
        plan = self.plan(r, ids)
        kill = None
        if rng.random() < self.args.kill_rate:
            kill = ("terminal", "window")[self.kill_rounds % 2]  # alternately
            self.kill_rounds += 1
            if kill == "terminal":
                writes = [c for c in plan if c.kind != "read"]
                victim = rng.choice(writes)
                victim.kill_after = rng.uniform(0, self.durations.get(victim.kind, 0.5) * 1.1)
        window_kill_at = rng.uniform(0.05, 1.5) if kill == "window" else None
        t0 = time.monotonic()
        waiting, running = list(plan), []
        while waiting or running:
            while waiting and len(running) < PARALLEL:
                c = waiting.pop(0)
                c.proc = subprocess.Popen(c.argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                          env=self.env, cwd=self.folder)  # fmt: skip
                c.started = time.monotonic()
                running.append(c)
            for c in list(running):
                assert c.proc is not None
                if c.kill_after is not None and time.monotonic() - c.started >= c.kill_after:
                    c.proc.send_signal(signal.SIGKILL)
                    c.kill_after = None
                try:
                    _, c.err = c.proc.communicate(timeout=0.01 if running[0] is c else 0)
                except subprocess.TimeoutExpired:
                    if time.monotonic() - c.started > SETTLE_SECONDS:
                        self.fail("other", f"round {r}: {' '.join(c.argv[3:-2])} hung (deadlock?)")
                        c.proc.kill()
                    continue
                c.code = c.proc.returncode
                c.killed = c.code == -signal.SIGKILL
                if c.code == 0:
                    self.durations[c.kind] = time.monotonic() - c.started
                running.remove(c)
            if window_kill_at is not None and time.monotonic() - t0 >= window_kill_at:
                self.kill_window()
                window_kill_at = None
        if window_kill_at is not None:
            self.kill_window()
        self.kills["terminal"] += sum(c.killed for c in plan)
        if self.window is not None:
            if self.window.poll() is not None:
                self.fail("other", f"round {r}: the window died ({self.window.returncode}); see window-{self.gen}.log")
                self.window = None
            elif not self.tell_window("pause") or self.window_line(SETTLE_SECONDS) != "paused":
                self.fail("other", f"round {r}: the window did not finish its edits in {SETTLE_SECONDS} s")
                self.kill_window()
                self.kills["window"] -= 1
        self.check(r, plan, killed_window=kill == "window")
        if self.args.verbose:
            print(f"{r:4} kill={kill} " + " ".join(f"{c.kind}:{c.code}" for c in plan), flush=True)

    # --- the check ---

    def read_journal(self, r: int) -> list[tuple[dict[str, Any], bool | None]]:
        """The window's edits committed since the last call, in order, with a later toggle's decision."""
        with open(self.journal, "rb") as fh:
            fh.seek(self.journal_offset)
            data = fh.read()
        end = data.rfind(b"\n") + 1  # a line cut by kill -9 was never complete, so never committed
        self.journal_offset += end
        committed = []
        for raw in data[:end].splitlines():
            line = json.loads(raw)
            key = (line.get("gen"), line.get("seq"))
            if line["phase"] == "sub":
                self.edits[key] = line
            elif line["phase"] == "ok":
                edit = self.edits.pop(key)
                if self.edits and min(self.edits) < key:
                    self.fail("other", f"round {r}: window edit {key} committed before {min(self.edits)}")
                committed.append((edit, line.get("add")))
            elif line["phase"] == "handles":
                bad = line["bad"]
                self.fail("handles", f"round {r}: window ({line['when']}) holds deleted files: {bad}", len(bad))
            else:
                self.edits.pop(key, None)
                self.fail("other", f"round {r}: window: {line.get('error') or line.get('text')}")
        return committed

    def check(self, r: int, plan: list[Command], *, killed_window: bool) -> None:
        act, integrity = Actual.read(self.library)
        if integrity != "ok":
            self.fail("integrity", f"round {r}: integrity_check: {integrity}")
        exp = self.exp
        for c in plan:
            if c.code not in (0, -signal.SIGKILL) and not (c.code == 1 and "no document with id" in c.err):
                self.fail("other", f"round {r}: {' '.join(c.argv[3:-2])} exited {c.code}: {c.err.strip()}")
            if c.kind == "read" or not (c.code == 0 or c.killed):
                continue
            # A command that exited 0 committed; a killed one may have: whole, or not at all.
            if c.kind == "import":
                path, lines = c.info["path"], c.info["lines"]
                have = sum(1 for src, _, _ in act.docs.values() if src == path)
                gone = sum(1 for i in exp.gone if exp.sources[i] == path)
                done = c.code == 0 or have > 0
                if c.killed and have not in (0, lines - gone):
                    self.fail("lost", f"round {r}: killed import of {path}: {have} of {lines} documents")
                if done:
                    exp.imports[path] = lines
            elif c.kind in ("tag", "untag"):
                link = (c.info["link"][0], c.info["link"][1])
                done = c.code == 0 or (link in act.links) == (c.kind == "tag")
                if done and c.kind == "tag":
                    exp.links.add(link)
                    self.terminal_links.append(link)
                elif done:
                    exp.links.discard(link)
            else:  # later
                ids = set(c.info["ids"])
                queued = {i for i in ids if act.docs.get(i, ("", False, ""))[1]}
                if c.killed and queued not in (set(), ids):
                    self.fail("lost", f"round {r}: killed `later {sorted(ids)}`: only {sorted(queued)} queued")
                done = c.code == 0 or bool(queued)
                if done:
                    exp.queued |= ids
            self.committed["terminal"] += done
        for edit, add in self.read_journal(r):
            exp.apply(edit, add)
            self.committed["window"] += 1
        pending = sorted(self.edits)
        if pending and not killed_window:
            self.fail("other", f"round {r}: window edits neither committed nor failed: {pending}")
        # Killed: the window's edits run one at a time in order, so what committed of those submitted
        # without a journalled commit is a prefix of them, each edit whole.
        best: tuple[list[str], int] | None = None
        for k in range(len(pending) + 1):
            trial = exp.copy()
            for key in pending[:k]:
                trial.apply(self.edits[key])
            problems = compare(trial, act)
            if best is None or len(problems) < len(best[0]):
                best = (problems, k)
            if not problems:
                break
        assert best is not None
        problems, k = best
        for key in pending[:k]:
            exp.apply(self.edits[key])
            self.committed["window"] += 1
        self.edits.clear()
        if pending and self.args.verbose:
            print(f"     window killed with {len(pending)} edit(s) not journalled as committed: {k} had", flush=True)
        if problems:
            for problem in problems:
                self.fail("lost", f"round {r}: {problem}")
            self.rebase(act)

    def rebase(self, act: Actual) -> None:
        """After a reported difference: go on from what the library holds, so it is reported once."""
        exp = self.exp
        exp.links = set(act.links)
        exp.queued = {i for i, (_, q, _) in act.docs.items() if q}
        exp.status = {i: s for i, (_, _, s) in act.docs.items()}
        by_source = Counter(src for src, _, _ in act.docs.values())
        gone = Counter(exp.sources[i] for i in exp.gone)
        exp.imports = {path: n + gone[path] for path, n in by_source.items()}

    # --- the whole run ---

    def run(self) -> int:
        t0 = time.perf_counter()
        self.batch += 1
        first = self.folder / f"listing-{self.batch:04}.txt"
        self.exp.imports[str(first)] = write_listing(first, self.batch, 100)
        subprocess.run(self.docmanager("import", str(first)), check=True, env=self.env, cwd=self.folder,
                       stdout=subprocess.DEVNULL)  # fmt: skip
        try:
            for r in range(self.args.rounds):
                self.run_round(r)
        finally:
            if self.window is not None:
                self.tell_window("quit")
                try:
                    self.window.wait(60)
                except subprocess.TimeoutExpired:
                    self.fail("other", "the window did not quit in 60 s")
                    self.window.kill()
        self.read_journal(self.args.rounds)  # what it found at exit
        print(
            f"stress mixed: {self.args.rounds} rounds in {time.perf_counter() - t0:.0f} s, "
            f"{self.kills['window']} window kills, {self.kills['terminal']} terminal kills; edits committed: "
            f"{self.committed['window']} by the window, {self.committed['terminal']} by the terminal; "
            f"integrity failures: {self.counts['integrity']}, lost edits: {self.counts['lost']}, "
            f"deleted-journal handles: {self.counts['handles']}, other failures: {self.counts['other']}; "
            f"library {self.library}"
        )
        for failure in self.failures[:20]:
            print("  FAIL", failure)
        return 1 if self.failures else 0


def mixed(args: argparse.Namespace) -> int:
    return Mixed(args).run()
