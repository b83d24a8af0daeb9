"""The detail pane: every field of the current document; edits are saved at once."""

from __future__ import annotations

from typing import cast

from PySide6.QtCore import QStringListModel, Qt, QTimer, Signal
from PySide6.QtGui import QTextCharFormat, QTextCursor
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QCompleter,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from docmanager.budget import DEFAULT_MINUTES_PER_PAGE, estimate_minutes
from docmanager.gui.cut import CutView, ResplitBar, current_cut
from docmanager.gui.i18n import shown_age, tr
from docmanager.gui.reading_budget import duration
from docmanager.library import Document
from docmanager.search import STATUSES


class TagCompleter(QCompleter):
    """Completes the tag being typed after the last comma."""

    def pathFromIndex(self, index) -> str:  # type: ignore[no-untyped-def]
        text = cast(QLineEdit, self.widget()).text()
        done = text.rsplit(",", 1)[0] if "," in text else ""
        prefix = (done + ", ") if done else ""
        return prefix + str(index.data())

    def splitPath(self, path: str) -> list[str]:
        return [path.rsplit(",", 1)[-1].strip()]


def _plain_label() -> QLabel:
    label = QLabel()
    label.setTextFormat(Qt.TextFormat.PlainText)  # titles and lines from the web are never HTML
    label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
    label.setWordWrap(True)
    return label


def _muted(label: QLabel) -> None:
    """A note rather than a field: drawn in the placeholder colour (not disabled: tooltips still show)."""
    palette = label.palette()
    palette.setColor(label.foregroundRole(), palette.color(palette.ColorRole.PlaceholderText))
    label.setPalette(palette)


EXCERPT_RULE = "─" * 24  # between two excerpts: a line of box drawing, plain text like the excerpts


class DetailPane(QScrollArea):
    title_edited = Signal(int, str)
    cut_chosen = Signal(int, int)  # the document, where its title ends in its body
    tags_edited = Signal(int, list)
    later_toggled = Signal(int, bool)
    status_changed = Signal(int, str)
    notes_edited = Signal(int, str)
    reading_minutes_edited = Signal(int, object)  # the document, the user's minutes (None: from the pages)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.doc_id = -1
        self._shown_tags: list[str] = []
        self._shown_minutes: int | None = None  # the user's reading time as shown
        self._pages: int | None = None
        self._minutes_per_page = DEFAULT_MINUTES_PER_PAGE
        self._loading = False
        body = QWidget()
        layout = QVBoxLayout(body)
        self.title = QLineEdit()
        self.title.setPlaceholderText(tr("Title"))
        font = self.title.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        font.setBold(True)
        self.title.setFont(font)
        self.title.editingFinished.connect(self._title_done)
        layout.addWidget(self.title)
        # The title keeps the pane's whole width (Chinese titles are long); the notes go under it.
        notes_row = QHBoxLayout()
        self.cut_hint = QLabel(tr("Click where the title ends, or move it a word with Alt+← Alt+→"))
        self.cut_hint.setWordWrap(True)
        _muted(self.cut_hint)
        notes_row.addWidget(self.cut_hint, 1)
        self.edited = QLabel(tr("✎ yours"))
        self.edited.setToolTip(tr("You set this title: imports and corrections of other titles leave it as it is"))
        notes_row.addWidget(self.edited, 0, Qt.AlignmentFlag.AlignTop)
        layout.addLayout(notes_row)
        self.cut = CutView()
        self.cut.setMaximumHeight(self.cut.fontMetrics().lineSpacing() * 4 + 12)
        self.cut.cut_chosen.connect(self._cut_done)
        layout.addWidget(self.cut)
        self.resplit = ResplitBar()
        layout.addWidget(self.resplit)

        form = QFormLayout()
        form.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        self.tags = QLineEdit()
        self.tags.setPlaceholderText(tr("tag, another tag"))
        self._tag_names = QStringListModel(self)
        completer = TagCompleter(self._tag_names, self.tags)
        completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.tags.setCompleter(completer)
        self.tags.editingFinished.connect(self._tags_done)
        form.addRow(tr("Tags"), self.tags)
        self.later = QCheckBox(tr("In the read-later queue"))
        self.later.toggled.connect(self._later_done)
        form.addRow(tr("Read later"), self.later)
        self.status = QComboBox()
        for status in STATUSES:
            self.status.addItem(tr(status.capitalize()), status)
        self.status.currentIndexChanged.connect(self._status_done)
        form.addRow(tr("Status"), self.status)
        # The reading budget's estimate of this document: the user's own minutes, or (0, shown as
        # "from pages") its pages times the reading speed; the note beside it says which and how much.
        reading_row = QVBoxLayout()
        self.reading = QSpinBox()
        self.reading.setRange(0, 100_000)
        self.reading.setSingleStep(5)
        self.reading.setSuffix(tr(" min"))
        self.reading.setSpecialValueText(tr("from pages"))
        self.reading.setToolTip(
            tr("Your own estimate of the reading time; at 0 it is the pages times the reading speed")
        )
        self.reading.editingFinished.connect(self._reading_done)
        reading_row.addWidget(self.reading, 0, Qt.AlignmentFlag.AlignLeft)
        self.reading_note = QLabel()
        self.reading_note.setWordWrap(True)
        _muted(self.reading_note)
        reading_row.addWidget(self.reading_note)
        form.addRow(tr("Reading time"), reading_row)
        self.fields: dict[str, QLabel] = {}
        for key, label in (
            ("pages", tr("Pages")),
            ("size", tr("Size")),
            ("price", tr("Price")),
            ("age", tr("Age")),
            ("published", tr("Published (est.)")),
            ("added", tr("Added")),
            ("source", tr("Source")),
            ("url", tr("Page")),
        ):
            self.fields[key] = _plain_label()
            form.addRow(label, self.fields[key])
        layout.addLayout(form)

        self.excerpts_heading = QLabel()
        layout.addWidget(self.excerpts_heading)
        self.excerpt = QPlainTextEdit()
        self.excerpt.setReadOnly(True)
        self.excerpt.setMinimumHeight(140)
        layout.addWidget(self.excerpt, 3)
        layout.addWidget(QLabel(tr("Notes")))
        self.notes = QPlainTextEdit()
        self.notes.setPlaceholderText(tr("Your notes (saved as you type)"))
        self.notes.setMinimumHeight(80)
        self._notes_timer = QTimer(self, singleShot=True, interval=600)
        self._notes_timer.timeout.connect(self._notes_done)
        self.notes.textChanged.connect(self._notes_changed)
        layout.addWidget(self.notes, 2)
        layout.addWidget(QLabel(tr("Raw line as read")))
        self.raw = QPlainTextEdit()
        self.raw.setReadOnly(True)
        self.raw.setMaximumHeight(90)
        layout.addWidget(self.raw, 1)
        self.setWidget(body)
        self.show_document(None)

    def set_tag_names(self, names: list[str]) -> None:
        self._tag_names.setStringList(names)

    def show_document(self, doc: Document | None, body: str = "") -> None:
        """Show ``doc``; ``body`` is its first listing as read (Library.body), where the cut is marked."""
        self.flush()
        self._loading = True
        try:
            self.doc_id = doc.id if doc else -1
            cast(QWidget, self.widget()).setEnabled(doc is not None)
            self.title.setText(doc.title if doc else "")
            self.title.setCursorPosition(0)
            self.edited.setVisible(bool(doc and doc.title_edited))
            self.cut.show_body(body, current_cut(body, doc.title) if doc else None)
            self.tags.setText(", ".join(doc.tags) if doc else "")
            self._shown_tags = list(doc.tags) if doc else []
            self.later.setChecked(bool(doc and doc.read_later))
            self.status.setCurrentIndex(STATUSES.index(doc.status) if doc else 0)
            self._shown_minutes = doc.reading_minutes if doc else None
            self._pages = doc.pages if doc else None
            self.reading.setValue(self._shown_minutes or 0)
            self._show_reading_note()
            if doc:
                self.fields["pages"].setText("—" if doc.pages is None else f"{doc.pages:,}")
                self.fields["size"].setText(f"{doc.size_text} ({doc.size_bytes:,} bytes)")
                self.fields["price"].setText(str(doc.price))
                self.fields["age"].setText(shown_age(doc.age_text))
                self.fields["published"].setText(doc.published_estimate or "—")
                self.fields["added"].setText(doc.added_at.replace("T", " ").rstrip("Z") + " UTC")
                self.fields["source"].setText(f"{doc.source_file}:{doc.source_line}")
                self.fields["url"].setText(doc.url or "—")  # plain text: opened only by "Open on the site"
            else:
                for label in self.fields.values():
                    label.setText("")
            self._show_excerpts(doc.excerpts if doc else [])
            self.notes.setPlainText(doc.notes if doc else "")
            self.raw.setPlainText(doc.raw_line if doc else "")
        finally:
            self._loading = False

    def set_minutes_per_page(self, speed: float) -> None:
        """The reading speed the estimates use (the window's setting)."""
        self._minutes_per_page = speed
        self._show_reading_note()

    def _show_reading_note(self) -> None:
        if self.doc_id < 0:
            self.reading_note.setText("")
            return
        from_pages = estimate_minutes(self._pages, None, self._minutes_per_page)
        if from_pages is None:
            note = tr("pages unknown: no estimate") if self._shown_minutes is None else tr("yours (pages unknown)")
        elif self._shown_minutes is None:
            note = (
                tr("≈ %1 (%2 pages × %3 min/page)")
                .replace("%1", duration(from_pages))
                .replace("%2", f"{self._pages:,}")
                .replace("%3", f"{self._minutes_per_page:g}")
            )
        else:
            note = tr("yours; from its pages: ≈ %1").replace("%1", duration(from_pages))
        self.reading_note.setText(note)

    def _show_excerpts(self, excerpts: list[str]) -> None:
        """Every excerpt the document was listed with, a rule between two; plain text from the page."""
        self.excerpts_heading.setText(tr("Excerpts (%1)").replace("%1", str(len(excerpts))))
        self.excerpt.clear()
        cursor = QTextCursor(self.excerpt.document())
        rule = QTextCharFormat()
        rule.setForeground(self.palette().placeholderText())
        for i, text in enumerate(excerpts):
            if i:
                cursor.insertBlock()
                cursor.insertText(EXCERPT_RULE, rule)
                cursor.insertBlock()
            cursor.insertText(text, QTextCharFormat())
        self.excerpt.moveCursor(QTextCursor.MoveOperation.Start)

    def move_cut(self, words: int) -> None:
        if self.doc_id >= 0:
            self.cut.move_cut(words)

    def _cut_done(self, cut: int) -> None:
        if not self._loading and self.doc_id >= 0:
            self.cut_chosen.emit(self.doc_id, cut)

    def flush(self) -> None:
        """Save notes still waiting for their debounce (before the pane shows another document)."""
        if self._notes_timer.isActive():
            self._notes_timer.stop()
            self._notes_done()
        self._reading_done()

    def _title_done(self) -> None:
        if not self._loading and self.doc_id >= 0 and self.title.isModified():
            self.title.setModified(False)
            self.title_edited.emit(self.doc_id, self.title.text())

    def _tags_done(self) -> None:
        # Compared with what was shown, not by isModified(): a tag chosen from the completion list is
        # put in by setText, which does not set the modified flag, and was never saved.
        if self._loading or self.doc_id < 0:
            return
        names = [t.strip() for t in self.tags.text().split(",") if t.strip()]
        if names != self._shown_tags:
            self._shown_tags = names
            self.tags.setModified(False)
            self.tags_edited.emit(self.doc_id, names)

    def _reading_done(self) -> None:
        if self._loading or self.doc_id < 0:
            return
        minutes = self.reading.value() or None
        if minutes != self._shown_minutes:
            self._shown_minutes = minutes
            self._show_reading_note()
            self.reading_minutes_edited.emit(self.doc_id, minutes)

    def _later_done(self, on: bool) -> None:
        if not self._loading and self.doc_id >= 0:
            self.later_toggled.emit(self.doc_id, on)

    def _status_done(self) -> None:
        if not self._loading and self.doc_id >= 0:
            self.status_changed.emit(self.doc_id, self.status.currentData())

    def _notes_changed(self) -> None:
        if not self._loading and self.doc_id >= 0:
            self._notes_timer.start()

    def _notes_done(self) -> None:
        if self.doc_id >= 0:
            self.notes_edited.emit(self.doc_id, self.notes.toPlainText())
