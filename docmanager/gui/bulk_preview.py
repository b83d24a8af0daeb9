"""The preview of an edit of many documents: what it will change, to confirm or cancel before it runs."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QVBoxLayout, QWidget

from docmanager.gui.i18n import tr
from docmanager.gui.model import STATUS_TEXT
from docmanager.library import BulkPreview

PREVIEW_ABOVE = 20  # an edit of more documents than this is previewed first
TITLE_WIDTH = 460  # pixels: longer titles are elided
SHOWN_COUNTS = 8  # tag or status rows shown; the rest are counted in one line


def _plain(text: str) -> QLabel:
    label = QLabel(text)
    label.setTextFormat(Qt.TextFormat.PlainText)  # titles and tags come from the web and the user
    return label


def _muted(label: QLabel) -> QLabel:
    palette = label.palette()
    palette.setColor(label.foregroundRole(), palette.color(palette.ColorRole.PlaceholderText))
    label.setPalette(palette)
    return label


class BulkPreviewDialog(QDialog):
    """How many documents, the first few titles, and each count that moves (before → after). Accepted:
    the edit runs; rejected: nothing changes."""

    def __init__(self, preview: BulkPreview, question: str, confirm: str, parent: QWidget | None = None) -> None:
        """``question``: what is about to happen ("Add tags to 1,234 documents?"); ``confirm``: the
        button that does it."""
        super().__init__(parent)
        self.preview = preview
        self.setWindowTitle(tr("Change %1 documents").replace("%1", f"{preview.count:,}"))
        layout = QVBoxLayout(self)
        heading = _plain(question)
        font = QFont(heading.font())
        font.setBold(True)
        heading.setFont(font)
        layout.addWidget(heading)
        self.titles: list[QLabel] = []
        metrics = self.fontMetrics()
        for title in preview.titles:
            label = _plain("• " + metrics.elidedText(title, Qt.TextElideMode.ElideRight, TITLE_WIDTH))
            label.setToolTip(title)
            self.titles.append(label)
            layout.addWidget(label)
        if (more := preview.count - len(preview.titles)) > 0:
            layout.addWidget(_muted(_plain(tr("…and %1 more").replace("%1", f"{more:,}"))))
        self.counts = QGridLayout()
        self.counts.setHorizontalSpacing(14)
        rows = [(name, before, after) for name, before, after in preview.tags]
        heading_text = tr("Tag")
        if not rows:
            rows = [(tr(STATUS_TEXT.get(s, s)), before, after) for s, before, after in preview.statuses]
            heading_text = tr("Status")
        if rows:
            layout.addSpacing(6)
            for column, text in enumerate((heading_text, tr("Documents now"), "", tr("After"))):
                align = Qt.AlignmentFlag.AlignRight if column else Qt.AlignmentFlag.AlignLeft
                self.counts.addWidget(_muted(_plain(text)), 0, column, align)
            for row, (name, before, after) in enumerate(rows[:SHOWN_COUNTS], start=1):
                self.counts.addWidget(_plain(name), row, 0)
                self.counts.addWidget(_plain(f"{before:,}"), row, 1, Qt.AlignmentFlag.AlignRight)
                self.counts.addWidget(_plain("→"), row, 2, Qt.AlignmentFlag.AlignCenter)
                self.counts.addWidget(_plain(f"{after:,}"), row, 3, Qt.AlignmentFlag.AlignRight)
            self.counts.setColumnStretch(0, 1)
            layout.addLayout(self.counts)
            if len(rows) > SHOWN_COUNTS:
                hidden = len(rows) - SHOWN_COUNTS
                layout.addWidget(_muted(_plain(tr("…and %1 more tags").replace("%1", f"{hidden:,}"))))
        layout.addSpacing(6)
        layout.addWidget(_muted(_plain(tr("You can undo this with Ctrl+Z."))))
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel)
        self.confirm_button = self.buttons.addButton(confirm, QDialogButtonBox.ButtonRole.AcceptRole)
        self.confirm_button.setDefault(True)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)

    def count_rows(self) -> list[tuple[str, str, str]]:
        """The counts as shown: (name, before, after), for tests and screenshots."""
        rows = []
        for row in range(1, self.counts.rowCount()):
            cells = [self.counts.itemAtPosition(row, c) for c in (0, 1, 3)]
            if all(cells):
                rows.append(tuple(cell.widget().text() for cell in cells))  # type: ignore[union-attr]
        return rows  # type: ignore[return-value]
