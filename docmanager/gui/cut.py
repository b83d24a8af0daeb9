"""Where a title ends: the listing body with the title part marked, and the offer to re-split its page."""

from __future__ import annotations

import re
from collections.abc import Sequence

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QColor, QMouseEvent, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QVBoxLayout, QWidget

from docmanager.gui.i18n import tr
from docmanager.library import TitleState

# A word: a run of letters and digits of an alphabetic script, or any one other visible character
# (each Chinese or Japanese character, each punctuation mark). Its end is a place a title may end.
_WORD = re.compile(r"[^\W_\u2e80-\u9fff\uf900-\ufaff\u3040-\u30ff\uac00-\ud7af]+|\S")
# How many re-split titles the offer lists before "and N more".
OFFER_SHOWN = 3


def word_cuts(body: str) -> list[int]:
    """Every place in ``body`` a title may end (after a word), left to right."""
    return [m.end() for m in _WORD.finditer(body)]


def nearest_cut(body: str, position: int) -> int | None:
    """The cut nearest a click at ``position``: a word's end, or its start (the previous word's end,
    as far as the title is concerned), never one that leaves the title empty."""
    places = {c for m in _WORD.finditer(body) for c in (m.start(), m.end())}
    places = {c for c in places if body[:c].strip()}
    return min(places, key=lambda c: (abs(c - position), c)) if places else None


def current_cut(body: str, title: str) -> int | None:
    """Where ``title`` ends in ``body``, or None when the title is not the body's start (typed)."""
    start = len(body) - len(body.lstrip())
    if title and body.startswith(title, start):
        return start + len(title)
    return None


def _utf16(text: str, index: int) -> int:
    """A Python index as a QTextDocument position (UTF-16 code units)."""
    return len(text[:index].encode("utf-16-le")) // 2


def _from_utf16(text: str, position: int) -> int:
    units = 0
    for index, char in enumerate(text):
        if units >= position:
            return index
        units += 2 if ord(char) > 0xFFFF else 1
    return len(text)


class CutView(QPlainTextEdit):
    """The body as read, title part marked. A click sets the cut there; the pane's actions move it
    by words. The body comes from a web page: it is only ever set as plain text and formatted by
    cursor, never parsed as HTML."""

    cut_chosen = Signal(int)  # the new cut, in characters into the body

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse | Qt.TextInteractionFlag.TextSelectableByKeyboard
        )
        self.viewport().setCursor(Qt.CursorShape.IBeamCursor)
        self.body = ""
        self.cut_at: int | None = None  # not "cut": that is QPlainTextEdit.cut()
        self._press_at: int | None = None

    def show_body(self, body: str, cut: int | None) -> None:
        self.body = body
        self.setPlainText(body)
        self.mark(cut)

    def mark(self, cut: int | None) -> None:
        """Mark the title part (the body up to ``cut``) with a background and the rest as plain."""
        self.cut_at = cut
        cursor = QTextCursor(self.document())
        cursor.select(QTextCursor.SelectionType.Document)
        cursor.setCharFormat(QTextCharFormat())
        if cut:
            title = QTextCharFormat()
            # The highlight blended into the base, opaque, with the palette's own text colour on it: it
            # reads in a light and in a dark palette alike (a translucent highlight did not in dark).
            palette = self.palette()
            base, mark = palette.base().color(), palette.highlight().color()
            blend = QColor(
                round(base.red() * 0.65 + mark.red() * 0.35),
                round(base.green() * 0.65 + mark.green() * 0.35),
                round(base.blue() * 0.65 + mark.blue() * 0.35),
            )
            title.setBackground(blend)
            title.setForeground(palette.text())
            title.setFontWeight(700)
            cursor.setPosition(0)
            cursor.setPosition(_utf16(self.body, cut), QTextCursor.MoveMode.KeepAnchor)
            cursor.mergeCharFormat(title)
            # The text cursor stands at the cut too: with focus, its caret marks where the title ends.
            cursor.clearSelection()
            self.setTextCursor(cursor)
            self.ensureCursorVisible()

    def choose(self, cut: int | None) -> None:
        if cut is not None and cut != self.cut_at and self.body[:cut].strip():
            self.mark(cut)  # at once, so that a second key press moves on from here
            self.cut_chosen.emit(cut)

    def move_cut(self, words: int) -> None:
        """Move the cut ``words`` words right (negative: left), to where the title changes."""
        ends = [c for c in word_cuts(self.body) if self.body[:c].strip()]
        if not ends:
            return
        here = self.cut_at if self.cut_at is not None else 0
        if words > 0:
            later = [c for c in ends if c > here]
            self.choose(later[min(words, len(later)) - 1] if later else None)
        elif words < 0:
            earlier = [c for c in ends if c < here]
            self.choose(earlier[max(words, -len(earlier))] if earlier else None)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        self._press_at = self.cursorForPosition(event.position().toPoint()).position()
        super().mousePressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        # A click sets the cut; a drag selects text to copy, as in any text view.
        if event.button() == Qt.MouseButton.LeftButton and not self.textCursor().hasSelection():
            at = self.cursorForPosition(event.position().toPoint()).position()
            if at == self._press_at:
                self.choose(nearest_cut(self.body, _from_utf16(self.body, at)))
        self._press_at = None


class ResplitBar(QFrame):
    """Offers to apply a title correction to the other titles of its page; non-modal, so the user can
    look at those documents first."""

    accepted = Signal(list)  # the TitleStates to apply

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        palette = self.palette()
        palette.setColor(self.backgroundRole(), palette.color(palette.ColorRole.AlternateBase))
        self.setPalette(palette)
        layout = QVBoxLayout(self)
        self.question = QLabel()
        self.question.setTextFormat(Qt.TextFormat.PlainText)
        self.question.setWordWrap(True)
        font = self.question.font()
        font.setBold(True)
        self.question.setFont(font)
        self.examples = QLabel()
        self.examples.setTextFormat(Qt.TextFormat.PlainText)  # titles from the web are never HTML
        self.examples.setWordWrap(True)
        buttons = QHBoxLayout()
        self.apply_button = QPushButton(tr("Apply"))
        self.dismiss_button = QPushButton(tr("Dismiss"))
        buttons.addStretch(1)
        buttons.addWidget(self.dismiss_button)
        buttons.addWidget(self.apply_button)
        layout.addWidget(self.question)
        layout.addWidget(self.examples)
        layout.addLayout(buttons)
        self.proposals: list[TitleState] = []
        self.apply_button.clicked.connect(self._apply)
        self.dismiss_button.clicked.connect(self.dismiss)
        self.hide()

    def offer(self, proposals: Sequence[TitleState], before: dict[int, str]) -> None:
        self.proposals = list(proposals)
        count = len(self.proposals)
        self.question.setText(
            tr("Apply the same correction to %1 other document(s) of this page?").replace("%1", str(count))
        )
        lines = [f"{before.get(p.doc_id, '?')}\n    → {p.title}" for p in self.proposals[:OFFER_SHOWN]]
        if count > OFFER_SHOWN:
            lines.append(tr("…and %1 more").replace("%1", str(count - OFFER_SHOWN)))
        self.examples.setText("\n".join(lines))
        self.show()

    def dismiss(self) -> None:
        self.proposals = []
        self.hide()

    def _apply(self) -> None:
        proposals, self.proposals = self.proposals, []
        self.hide()
        if proposals:
            self.accepted.emit(proposals)
