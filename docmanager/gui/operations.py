"""The window's edits, run in the order they were made on a thread of their own, with its own connection.

The window never writes on its own thread: a write may wait for another program (a ``docmanager
import`` in a terminal holds the write lock for as long as its file takes), and the window must stay
responsive meanwhile. Each edit is one job; jobs run one at a time, first in first out, each in its
own transaction, so an edit made while another waits is applied after it, never before and never
lost. When a job is done its ``done`` callback runs on the window's thread with the job's result; a
job whose result is the core's ``Changes`` (every edit's is) has it emitted as ``changed`` first, and
the window refreshes exactly what it names.

The same thread notices other programs' changes: PRAGMA data_version on this thread's connection
changes exactly when another connection committed (a terminal, or the window's importer). It is read
between jobs, every POLL_SECONDS when idle, and while a job waits for the write lock, so that a
change made elsewhere shows within POLL_SECONDS however long an edit waits.

The window's importer writes on a connection of its own, and its commits change data_version too;
but an import reports its Changes, which the window applies. So the importer holds the write lock for
its whole run inside ``own_commits``, which reads data_version on this connection before and after:
what changed in between is the import's alone (nothing else commits while the lock is held), and the
watcher takes it as seen. A change by another program before the import is still reported.
"""

from __future__ import annotations

import atexit
import functools
import queue
import threading
import weakref
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import QCoreApplication, QObject, Signal

from docmanager import buglog
from docmanager.errors import DocManagerError, LibraryError
from docmanager.gui.crash import report_bug
from docmanager.gui.i18n import tr
from docmanager.library import Changes, Library

POLL_SECONDS = 1.0


@dataclass(eq=False)
class Job:
    """One edit: ``run(library)`` on the worker thread, then ``done(result)`` on the window's."""

    run: Callable[[Library], Any]
    done: Callable[[Any], None] | None = None
    what: str = ""
    result: Any = field(default=None, init=False)


_STOP = object()
# Every edit thread still running: stopped before the interpreter exits. A daemon thread that woke up
# to poll while Qt's objects were being torn down would emit a signal into freed memory (a segfault
# seen at the end of a test session whose windows were never closed).
_LIVE: weakref.WeakSet[Operations] = weakref.WeakSet()


def _stop_thread(jobs: queue.Queue[Job | object], abandon: threading.Event, *_: object) -> None:
    abandon.set()
    jobs.put(_STOP)


@atexit.register
def _stop_all() -> None:
    for operations in list(_LIVE):
        operations.close(timeout=2)


class Operations(QObject):
    """A queue of edits and a watcher of other programs' changes over one library."""

    finished = Signal(object)  # the Job, after it committed
    changed = Signal(object)  # the Changes an edit returned, on the window's thread, after it committed
    failed = Signal(object, object)  # the Job, the DocManagerError that stopped it (nothing was changed)
    crashed = Signal(str)  # a bug in a job: its traceback (logged and shown by report_bug already)
    waiting = Signal(bool)  # True while an edit waits for another program to finish writing
    external_change = Signal()  # another connection committed
    pending_changed = Signal(int)  # edits submitted and not finished yet

    def __init__(
        self, library_path: Path, parent: QObject | None = None, *, poll_seconds: float = POLL_SECONDS
    ) -> None:
        super().__init__(parent)
        self.library_path = library_path
        self.poll_seconds = poll_seconds
        self._jobs: queue.Queue[Job | object] = queue.Queue()
        self._pending = 0
        self._pending_lock = threading.Lock()
        self._idle = threading.Condition(self._pending_lock)
        self._waiting = False
        self._seen: int | None = None
        self._watch_lock = threading.Lock()  # _seen is read and set by _poll and by own_commits' thread
        self._broken = False  # the library failed under the watcher: said once, not every second
        self._poll_busy = False  # the last poll found the library busy (said once, then polled again)
        self._library: Library | None = None
        self._abandon = threading.Event()
        self.finished.connect(self._deliver)
        # Opened now, before the window reads anything: every commit by others after this is seen.
        self._open()
        # A daemon thread, not a QThread: an edit still waiting when the user quits anyway must not
        # keep the process alive or abort it; it never began its transaction, so nothing is half-written.
        self._thread = threading.Thread(target=self._loop, name="library-edits", daemon=True)
        self._thread.start()
        _LIVE.add(self)
        # A window deleted without closing (a test's, or a crash's) takes this object with it: the
        # thread must stop before it emits into the freed object. A plain function, not a bound method:
        # the Python side of self may be gone by then.
        self.destroyed.connect(functools.partial(_stop_thread, self._jobs, self._abandon))

    # --- the window's side ------------------------------------------------------------------------

    def submit(self, run: Callable[[Library], Any], done: Callable[[Any], None] | None = None, what: str = "") -> Job:
        job = Job(run, done, what)
        with self._pending_lock:
            self._pending += 1
            pending = self._pending
        self.pending_changed.emit(pending)
        self._jobs.put(job)
        return job

    @property
    def pending(self) -> int:
        with self._pending_lock:
            return self._pending

    @property
    def is_waiting(self) -> bool:
        return self._waiting

    def drain(self, timeout: float | None = None) -> bool:
        """Wait until every submitted edit has finished and its ``done`` ran; False on timeout."""
        with self._idle:
            if not self._idle.wait_for(lambda: self._pending == 0, timeout):
                return False
        # The finished signals are queued to this thread: deliver them now.
        QCoreApplication.sendPostedEvents()
        QCoreApplication.processEvents()
        return True

    def close(self, timeout: float | None = None) -> bool:
        """Finish the edits already submitted, then stop; False if they did not finish in ``timeout``
        (they are abandoned: an edit that never got the write lock changed nothing)."""
        _LIVE.discard(self)
        self._jobs.put(_STOP)
        self._thread.join(timeout)
        if self._thread.is_alive():
            self._abandon.set()
            return False
        return True

    @contextmanager
    def own_commits(self) -> Iterator[None]:
        """Around the window's own writes on another connection (the importer's), made while that
        connection holds the library's write lock for the whole block: what they commit is not another
        program's change. Reads data_version on this thread's connection from the caller's thread (it
        is opened for use across threads); if another program committed before the block and the
        watcher has not seen it yet, that change is left for the watcher to report."""
        before = self._version_if_seen()
        try:
            yield
        finally:
            with self._watch_lock:
                if before is not None and self._seen == before and self._library is not None:
                    with suppress(DocManagerError):  # the watcher meets the error itself at its next poll
                        self._seen = self._library.data_version()

    def _version_if_seen(self) -> int | None:
        """The data_version now, if the watcher has seen it (no change of others is pending)."""
        with self._watch_lock:
            if self._library is None or self._broken:
                return None
            try:
                version = self._library.data_version()
            except DocManagerError:
                return None
            return version if version == self._seen else None

    def _deliver(self, job: Job) -> None:
        if isinstance(job.result, Changes) and not job.result.empty:
            self.changed.emit(job.result)
        if job.done is not None:
            job.done(job.result)

    # --- the worker's side ------------------------------------------------------------------------

    def _loop(self) -> None:
        try:
            while True:
                try:
                    item = self._jobs.get(timeout=self.poll_seconds)
                except queue.Empty:
                    self._poll()
                    continue
                if item is _STOP:
                    return
                assert isinstance(item, Job)
                self._run(item)
        finally:
            if self._library is not None:
                try:
                    self._library.close()
                except Exception as exc:  # a bug; the log only: the window may be gone by now
                    buglog.record(exc, "closing the edit thread's connection")

    def _open(self) -> Library:
        if self._library is None:
            self._library = Library(self.library_path, create=False, lock_timeout=None, on_lock_wait=self._lock_wait)
            self._seen = self._library.data_version()
        return self._library

    def _run(self, job: Job) -> None:
        try:
            self._poll()  # what others committed before this edit
            job.result = job.run(self._open())
        except DocManagerError as exc:
            self.failed.emit(job, exc)
        except Exception as exc:  # a bug: to the log and the crash dialog
            text = report_bug(
                exc, f"the edit {job.what!r}", tr("An unexpected error occurred (a bug); the change was not saved.")
            )
            self.crashed.emit(text)
        else:
            self.finished.emit(job)
        finally:
            self._set_waiting(False)
            with self._pending_lock:
                self._pending -= 1
                pending = self._pending
                self._idle.notify_all()
            self.pending_changed.emit(pending)
            self._poll()  # our own commit does not change it: only others' do

    def _lock_wait(self, _waited: float) -> None:
        if self._abandon.is_set():
            raise SystemExit  # the window has quit without this edit; end the thread quietly
        self._set_waiting(True)
        self._poll()

    def _set_waiting(self, waiting: bool) -> None:
        if waiting != self._waiting:
            self._waiting = waiting
            self.waiting.emit(waiting)

    def _poll(self) -> None:
        """Whether another program committed. A busy library is said once and read again at the next
        poll; any other error stops the watching, said once (every second would flood the window and
        the log): a known one as a failure, a bug through the crash dialog. Never raises."""
        if self._broken:
            return
        with self._watch_lock:
            self._poll_locked()

    def _poll_locked(self) -> None:
        try:
            version = self._open().data_version()
        except DocManagerError as exc:
            busy = isinstance(exc, LibraryError) and exc.kind == "locked"
            if not (busy and self._poll_busy):
                self.failed.emit(None, exc)
            self._poll_busy = busy
            self._broken = not busy
            return
        except Exception as exc:  # a bug
            self._broken = True
            report_bug(exc, "watching the library for other programs' changes")
            return
        self._poll_busy = False
        if self._seen is not None and version != self._seen:
            self.external_change.emit()
        self._seen = version
