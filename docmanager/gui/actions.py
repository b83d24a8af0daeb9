"""Every QAction of the window, declared once with its shortcut and translated text."""

from __future__ import annotations

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction, QKeySequence

from docmanager.gui.i18n import tr

Key = QKeySequence.StandardKey


class Actions(QObject):
    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)

        def make(
            text: str, shortcut: QKeySequence | QKeySequence.StandardKey | str | None = None, tip: str = ""
        ) -> QAction:
            action = QAction(text, parent)
            if shortcut is not None:
                action.setShortcut(QKeySequence(shortcut))
            if tip:
                action.setStatusTip(tip)
            return action

        self.import_files = make(tr("&Import listing files…"), Key.Open, tr("Import saved listing pages"))
        self.import_sample = make(tr("Import the &sample listing"))
        self.export = make(tr("&Export…"), None, tr("Save the whole library as JSON or CSV"))
        self.backup = make(tr("&Back up…"), None, tr("Save a copy of the library to a file of your choosing"))
        self.restore = make(tr("&Restore from a backup…"), None, tr("Replace the library's content with a backup"))
        self.clear_filters = make(tr("&Clear search and filters"), None, tr("Show all documents"))
        self.quit = make(tr("&Quit"), Key.Quit)
        self.undo = make(tr("&Undo"), Key.Undo)
        self.redo = make(tr("&Redo"), Key.Redo)
        self.find = make(tr("&Find"), Key.Find, tr("Search titles, excerpts, tags and notes"))
        # Nothing else is saved by hand (every edit is saved as made): Save keeps the current search.
        self.save_search = make(
            tr("&Save search…"), Key.Save, tr("Keep the current view, tags, search and sort as a list in the sidebar")
        )
        self.select_all = make(tr("Select &all"), Key.SelectAll)
        self.delete = make(tr("&Delete"), Key.Delete, tr("Delete the selected documents (undo with Ctrl+Z)"))
        self.add_tags = make(tr("Add &tags…"), "Ctrl+T")
        self.remove_tags = make(tr("&Remove tags…"), "Ctrl+Shift+T")
        self.toggle_later = make(tr("Toggle read &later"), "L", tr("Add to or remove from the read-later queue"))
        self.later_up = make(tr("Move &up in queue"), "Ctrl+Up")
        self.later_down = make(tr("Move &down in queue"), "Ctrl+Down")
        self.later_top = make(tr("Move to &top of queue"), "Ctrl+Shift+Up", tr("Read the selected documents next"))
        self.later_bottom = make(
            tr("Move to &bottom of queue"), "Ctrl+Shift+Down", tr("Read the selected documents last")
        )
        self.what_fits = make(
            tr("What &fits in…"), "Ctrl+B", tr("Mark the read-later documents that fit in a time you choose")
        )
        self.status_unread = make(tr("Mark &unread"), "Ctrl+1")
        self.status_reading = make(tr("Mark &reading"), "Ctrl+2")
        self.status_read = make(tr("Mark r&ead"), "Ctrl+3")
        # No standard key moves a title's end; Alt+arrow is the usual "by a word" step, and [ ] work
        # with one hand. Active only in the body view (set by the window), where they mean nothing else.
        self.cut_left = make(
            tr("Title ends a word &earlier"), "Alt+Left", tr("Move where the title ends one word left (Alt+← or [)")
        )
        self.cut_left.setShortcuts([QKeySequence("Alt+Left"), QKeySequence("[")])
        self.cut_left.setToolTip(self.cut_left.statusTip())
        self.cut_right = make(
            tr("Title ends a word &later"), "Alt+Right", tr("Move where the title ends one word right (Alt+→ or ])")
        )
        self.cut_right.setShortcuts([QKeySequence("Alt+Right"), QKeySequence("]")])
        self.cut_right.setToolTip(self.cut_right.statusTip())
        self.paste_listing = make(
            tr("&Paste listing"), Key.Paste, tr("Import a results page copied in the browser (its HTML, or its text)")
        )
        self.open_site = make(
            tr("&Open on the site"), "Ctrl+Return", tr("Open the document's page (or a search for it) in the browser")
        )
        self.rejected = make(tr("Last import's &summary…"))
        self.about = make(tr("&About DocManager"))
