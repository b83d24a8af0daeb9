"""The widgets around the document table: the welcome page, the search box and the "no matches" overlay."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QKeyEvent, QPalette
from PySide6.QtWidgets import QLabel, QLineEdit, QPushButton, QVBoxLayout, QWidget

from docmanager.gui.actions import Actions
from docmanager.gui.i18n import tr
from docmanager.gui.sidebar import view_names
from docmanager.library import View


class Welcome(QWidget):
    """Shown while the library is empty: what a listing file is, and the bundled sample."""

    def __init__(self, actions: Actions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.addStretch(1)
        title = QLabel(tr("Welcome to DocManager"))
        font = title.font()
        font.setPointSizeF(font.pointSizeF() * 1.6)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title, 0, Qt.AlignmentFlag.AlignHCenter)
        # One literal per tr() call: pyside6-lupdate does not join implicitly concatenated strings.
        what = tr("DocManager keeps the documents you find on document-sharing sites in a library on this computer.")
        how = tr(
            "Save a page of search results from your browser (as a web page or as text), or copy it, and import it here: from the File menu, by dropping it on this window, or with Paste listing (Ctrl+V). You can then tag, search and queue the documents for reading, offline."  # noqa: E501
        )
        text = QLabel(f"{what}\n\n{how}")
        text.setTextFormat(Qt.TextFormat.PlainText)
        text.setWordWrap(True)
        # A word-wrapped label needs a fixed width to report its real height inside a centred layout.
        text.setFixedWidth(560)
        text.setMinimumHeight(text.heightForWidth(560))
        layout.addWidget(text, 0, Qt.AlignmentFlag.AlignHCenter)
        self.sample_button = QPushButton(tr("Import the sample listing"))
        self.sample_button.clicked.connect(actions.import_sample.trigger)
        self.import_button = QPushButton(tr("Import listing files…"))
        self.import_button.clicked.connect(actions.import_files.trigger)
        layout.addWidget(self.sample_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.import_button, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addStretch(2)


class SearchField(QLineEdit):
    """The search box: Esc clears it (and, once empty, hands the keyboard back to the table)."""

    escaped = Signal()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape and not event.modifiers():
            if self.text():
                self.clear()
            else:
                self.escaped.emit()
            event.accept()
            return
        super().keyPressEvent(event)


class NoMatches(QWidget):
    """Over the table when a filter leaves no row (while the library has some): what filters it and
    the way out. Drawn in the table's own palette roles, so that it reads on light and dark themes."""

    def __init__(self, actions: Actions, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        self.title = QLabel(tr("No documents match"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.3)
        font.setBold(True)
        self.title.setFont(font)
        self.title.setForegroundRole(QPalette.ColorRole.Text)  # over the table's Base, not the Window
        self.filters = QLabel()
        self.filters.setTextFormat(Qt.TextFormat.PlainText)  # a search or tag name is never HTML
        self.filters.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.filters.setAlignment(Qt.AlignmentFlag.AlignHCenter)
        self.clear_button = QPushButton(actions.clear_filters.text().replace("&", ""))
        self.clear_button.clicked.connect(actions.clear_filters.trigger)
        hint = QLabel(tr("or press Esc in the search box to clear only the search"))
        hint.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.hint = hint
        for widget in (self.title, self.filters, self.clear_button, hint):
            layout.addWidget(widget, 0, Qt.AlignmentFlag.AlignHCenter)

    def describe(self, search: str, tags: list[str], any_tag: bool, view: View) -> None:
        lines = []
        if search.strip():
            lines.append(tr("Search: %1").replace("%1", search.strip()))
        if tags:
            label = tr("Tags: %1")
            if len(tags) > 1:
                label = tr("Tags (any of): %1") if any_tag else tr("Tags (all of): %1")
            lines.append(label.replace("%1", ", ".join(tags)))
        if view is not View.ALL:
            lines.append(tr("View: %1").replace("%1", view_names()[view]))
        self.filters.setText("\n".join(lines))
        self.filters.setVisible(bool(lines))
        self.hint.setVisible(bool(search.strip()))
