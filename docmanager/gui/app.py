"""Starting the window: the application object, translations, one instance per library, errors."""

from __future__ import annotations

import hashlib
import logging
import os
import sys
import threading
import traceback
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from PySide6.QtCore import QByteArray, QEvent, QLibraryInfo, QLocale, QObject, QSettings, QTranslator
from PySide6.QtGui import QIcon
from PySide6.QtNetwork import QLocalServer, QLocalSocket
from PySide6.QtWidgets import QApplication, QMessageBox

from docmanager import APP_ID, APP_NAME, __version__
from docmanager import backup as backups
from docmanager.errors import DocManagerError, LibraryError
from docmanager.paths import resources_dir
from docmanager.store import Library

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
    """A bug: log it with its traceback and tell the user, instead of dying silently."""
    text = "".join(traceback.format_exception(kind, exc, tb))
    log.error("unexpected error\n%s", text)
    sys.stderr.write(text)
    if QApplication.instance() is not None:
        QMessageBox.critical(None, APP_NAME, f"An unexpected error occurred (a bug):\n\n{exc}\n\nDetails were logged.")


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


def start_daily_backup(path: Path) -> threading.Thread:
    """The daily backup copies the whole library (gigabytes at a million documents): on its own
    connection and thread once the window shows, never before the first rows."""

    def run() -> None:
        try:
            with Library(path, create=False) as library:
                backups.daily_backup(library)
        except (DocManagerError, OSError) as exc:  # a missed backup is logged, never fatal
            log.warning("%s: the daily backup failed: %s", path, exc)

    # A daemon: quitting mid-copy only leaves a hidden temporary file, never a half backup.
    thread = threading.Thread(target=run, name="daily-backup", daemon=True)
    thread.start()
    return thread


def run_gui(library_path: Path, files: list[Path]) -> int:
    from docmanager.gui.mainwindow import MainWindow

    app = create_application()
    if hand_over(library_path, files):
        return 0
    library = open_library(library_path)
    if library is None:
        return 1
    library_path = library.path
    sys.excepthook = _excepthook
    window = MainWindow(library, QSettings())
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
    start_daily_backup(library_path)
    if files:
        window.import_paths(files)
    status = app.exec()
    library.close()
    return status
