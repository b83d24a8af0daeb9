"""Starting the window: the application object, translations, one instance per library, errors."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QLibraryInfo, QLocale, QObject, QSettings, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox

from docmanager import APP_ID, APP_NAME, __version__, buglog
from docmanager.errors import Cancelled, DocManagerError, LibraryError
from docmanager.gui.crash import report_bug, reporter
from docmanager.library import Library
from docmanager.library import backup as backups
from docmanager.paths import resources_dir

if TYPE_CHECKING:
    from docmanager.gui.mainwindow import MainWindow

log = logging.getLogger(__name__)


def create_application(argv: list[str] | None = None) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    # X11 takes the window class from RESOURCE_NAME; it must match the .desktop StartupWMClass.
    os.environ.setdefault("RESOURCE_NAME", APP_ID)
    app = QApplication(argv if argv is not None else [sys.argv[0]])
    app.setApplicationName(APP_NAME)
    app.setOrganizationName(APP_NAME)
    app.setApplicationVersion(__version__)
    app.setDesktopFileName(APP_ID)  # Wayland takes the taskbar icon from this
    app.setWindowIcon(app_icon())
    install_translations(app)
    return app


def app_icon() -> QIcon:
    icon = QIcon()
    base = resources_dir() / "icons" / "hicolor"
    for size in (16, 24, 32, 48, 64, 128, 256, 512):
        png = base / f"{size}x{size}" / "apps" / f"{APP_ID}.png"
        if png.exists():
            icon.addFile(str(png))
    return icon


def install_translations(app: QApplication) -> None:
    """Our strings and Qt's own, for the system locale (Simplified Chinese is shipped)."""
    locale = QLocale.system()
    ours = QTranslator(app)
    if ours.load(locale, "docmanager", "_", str(resources_dir() / "translations")):
        app.installTranslator(ours)
    qt = QTranslator(app)
    if qt.load(locale, "qtbase", "_", QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)):
        app.installTranslator(qt)


def server_name(library: Path) -> str:
    """One local socket per library file, so a second start hands its files to the first."""
    digest = hashlib.sha1(str(library.resolve()).encode()).hexdigest()[:16]
    return f"docmanager-{digest}"


def hand_over(library: Path, files: list[Path]) -> bool:
    """If a window already has this library open, send it our files and return True."""
    socket = QLocalSocket()
    socket.connectToServer(server_name(library))
    if not socket.waitForConnected(500):
        return False
    payload = "\n".join(str(f.resolve()) for f in files) + "\n\x04"
    socket.write(QByteArray(payload.encode()))
    socket.waitForBytesWritten(2000)
    socket.waitForReadyRead(2000)  # the running window answers once it has the files
    socket.disconnectFromServer()
    return True


def _excepthook(kind: type[BaseException], exc: BaseException, tb: TracebackType | None) -> None:
    """What reaches the top of the window's thread (a slot, a paint) uncaught. An error the user can
    act on is not a bug: the window reports it (damage met while painting or reading, with the ways
    out). A bug goes to the log and the crash dialog (report_bug); Ctrl+C to Python's own hook."""
    if not isinstance(exc, Exception):
        sys.__excepthook__(kind, exc, tb)
        return
    if isinstance(exc, DocManagerError):
        _known_error(exc)
        return
    report_bug(exc, "in the window")


def _known_error(exc: DocManagerError) -> None:
    """An error the user can act on that no one caught: the window says it (in its status bar, or
    as damage with the ways out); without a window, the log of this run says it."""
    if _current_window:
        _current_window[0].library_failed.emit(exc)
    else:
        log.warning("%s", exc)


def _thread_excepthook(args: threading.ExceptHookArgs) -> None:
    """The same for a thread of ours that ended on an exception (SystemExit ends one quietly)."""
    exc = args.exc_value
    if exc is None or not isinstance(exc, Exception):
        if args.exc_type is not SystemExit:
            threading.__excepthook__(args)
        return
    if isinstance(exc, DocManagerError):
        _known_error(exc)
        return
    name = args.thread.name if args.thread is not None else "a thread"
    report_bug(exc, f"on the thread {name}")


def install_excepthooks() -> None:
    """Send what no one caught, on any thread, to ``_excepthook`` (see there)."""
    sys.excepthook = _excepthook
    threading.excepthook = _thread_excepthook


def open_library(path: Path) -> Library | None:
    """Open the library, or explain why not and let the user restore a backup or choose another."""
    from docmanager.gui.recovery import LibraryProblem

    while True:
        try:
            return Library(path)  # the daily backup runs after the window shows (start_daily_backup)
        except LibraryError as exc:
            problem = LibraryProblem(path, exc)
            problem.exec()
            chosen = problem.resolve()
            if chosen is None:
                return None
            path = chosen
        except DocManagerError as exc:
            QMessageBox.critical(None, APP_NAME, f"The library cannot be opened:\n\n{exc}")
            return None


class FileOpenFilter(QObject):
    """macOS hands files opened with the app (Finder, Dock) to it as events, not as arguments."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.window = window

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.FileOpen:
            path = event.file()  # type: ignore[attr-defined]
            if path:
                self.window.import_paths([Path(path)])
            return True
        return False


class BackgroundCheck(threading.Thread):
    """Once the window shows, on a connection and thread of its own: the full integrity check, then
    the daily backup.

    Opening checks a library cheaply (a big one only in part), and damage such as an index that lost
    rows passes that; the full check finds it. It runs at every start for libraries up to
    FULL_CHECK_BYTES, and for bigger ones (minutes of reading) when the daily backup is due, before
    it: a damaged library must never be backed up over good backups. ``damaged(error)`` is called on
    this thread when the check fails. A daemon: quitting mid-copy only leaves a hidden temporary file,
    never a half backup, and ``stop`` interrupts the check.
    """

    FULL_CHECK_BYTES = 512 * 1024 * 1024

    def __init__(self, path: Path, damaged: Callable[[LibraryError], None] | None = None) -> None:
        super().__init__(name="library-check", daemon=True)
        self.path = path
        self.damaged = damaged
        self.problems: list[str] | None = None
        self._library: Library | None = None
        self._stopped = threading.Event()

    def run(self) -> None:
        try:
            with Library(self.path, create=False) as library:
                self._library = library
                due = backups.daily_backup_due(library)
                if due or self._size() <= self.FULL_CHECK_BYTES:
                    self.problems = library.check()
                    if self.problems:
                        if not self._stopped.is_set() and self.damaged is not None:
                            first = self.problems[0]
                            self.damaged(
                                LibraryError(
                                    f"{self.path}: the library file is damaged ({first}); restore a backup", "damaged"
                                )
                            )
                        return
                if due and not self._stopped.is_set():
                    backups.daily_backup(library)
        except Cancelled:
            pass
        except LibraryError as exc:
            if exc.kind == "damaged" and self.damaged is not None and not self._stopped.is_set():
                self.damaged(exc)
            else:
                log.warning("%s: the background check or daily backup failed: %s", self.path, exc)
        except (DocManagerError, OSError) as exc:  # a missed backup is logged, never fatal
            log.warning("%s: the daily backup failed: %s", self.path, exc)
        finally:
            self._library = None

    def _size(self) -> int:
        try:
            return self.path.stat().st_size
        except OSError:
            return 0

    def stop(self, timeout: float = 5.0) -> None:
        """Interrupt the check and wait (a backup copy in progress is left to finish or be abandoned)."""
        self._stopped.set()
        if (library := self._library) is not None:
            library.interrupt()
        self.join(timeout)


def start_daily_backup(path: Path, damaged: Callable[[LibraryError], None] | None = None) -> BackgroundCheck:
    """Start the background check and daily backup (see BackgroundCheck)."""
    thread = BackgroundCheck(path, damaged)
    thread.start()
    return thread


_current_window: list[MainWindow] = []  # the window open now, which reports damage found on its thread


def run_gui(library_path: Path, files: list[Path]) -> int:
    """The window on the library; again on the one chosen if the library is found damaged meanwhile."""
    from docmanager.gui.platform_check import ensure_platform

    if not ensure_platform():  # before Qt loads its platform plugin, which aborts if a library is missing
        return 1
    app = create_application()
    if hand_over(library_path, files):
        return 0
    install_excepthooks()
    path: Path | None = library_path
    status = 1
    try:
        while path is not None:
            library = open_library(path)
            if library is None:
                return 1
            status, path = _run_window(app, library, files)
            files = []
    except Exception as exc:  # a bug outside the event loop (opening, closing): said before quitting
        report_bug(exc, "starting or closing the window")
        if (dialog := reporter().dialog) is not None:
            dialog.exec()
        return buglog.EXIT_BUG
    return status


def _run_window(app: QApplication, library: Library, files: list[Path]) -> tuple[int, Path | None]:
    """One window until it closes: the exit status, and the library to open next (after damage)."""
    from docmanager.gui.mainwindow import MainWindow
    from docmanager.gui.recovery import LibraryProblem

    library_path = library.path
    window = MainWindow(library, QSettings())
    _current_window[:] = [window]
    server = QLocalServer(window)
    QLocalServer.removeServer(server_name(library_path))  # a stale socket from a crashed run
    server.listen(server_name(library_path))

    def receive() -> None:
        while (socket := server.nextPendingConnection()) is not None:
            if socket.waitForReadyRead(2000):
                data = bytes(socket.readAll().data())
                while not data.endswith(b"\x04") and socket.waitForReadyRead(1000):
                    data += bytes(socket.readAll().data())
                paths = [Path(p) for p in data.decode().rstrip("\x04").splitlines() if p.strip()]
                socket.write(b"ok")
                socket.flush()
                if paths:
                    window.import_paths(paths)
            window.showNormal()
            window.raise_()
            window.activateWindow()

    server.newConnection.connect(receive)
    app.installEventFilter(FileOpenFilter(window))
    window.show()
    check = start_daily_backup(library_path, window.library_failed.emit)
    if files:
        window.import_paths(files)
    status = app.exec()
    check.stop()
    server.close()
    library.close()
    _current_window.clear()
    problem = window.recovery
    next_path: Path | None = None
    if isinstance(problem, LibraryProblem) and problem.clickedButton() is not problem.quit_button:
        # Every connection of this program to the damaged file is closed now: it can be set aside.
        next_path = problem.resolve()
        status = 0 if next_path is not None else status
    window.deleteLater()
    return status, next_path
