"""The sidebar: the library's views with counts, and the tags (Ctrl-click combines them).

Tags filter within the view. "All documents" is not highlighted while tags filter the table (it does
not show all documents then), and clicking it clears the tags; another view stays highlighted with
the tags, since the table shows exactly both.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from docmanager.gui.i18n import tr
from docmanager.gui.tag_tree import TagTree
from docmanager.library import TagMode, View


def view_names() -> dict[View, str]:
    return {
        View.ALL: tr("All documents"),
        View.LATER: tr("Read later"),
        View.UNREAD: tr("Unread"),
        View.READING: tr("Reading"),
        View.READ: tr("Read"),
        View.RECENT: tr("Recently added"),
    }


class Sidebar(QWidget):
    view_changed = Signal(object)  # View
    tags_changed = Signal(list)  # the selected tag names
    rename_tag_requested = Signal(str)
    delete_tag_requested = Signal(str)
    nest_tag_requested = Signal(str, str)  # a tag, the tag to put it under ("": the top)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(tr("Library")))
        self.views = QListWidget()
        self.views.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        for view, name in view_names().items():
            item = QListWidgetItem(name)
            item.setData(Qt.ItemDataRole.UserRole, view)
            self.views.addItem(item)
        self.views.setCurrentRow(0)
        self.views.setMaximumHeight(self.views.sizeHintForRow(0) * (len(View) + 1) + 4)
        self.views.currentItemChanged.connect(self._view_changed)
        self.views.itemClicked.connect(self._view_clicked)
        layout.addWidget(self.views)
        layout.addWidget(QLabel(tr("Tags (Ctrl-click to combine)")))
        # Combined tags narrow (all required) or widen (any one of them).
        match = QHBoxLayout()
        match.addWidget(QLabel(tr("Match:")))
        self.match_all = QRadioButton(tr("all tags"))
        self.match_any = QRadioButton(tr("any tag"))
        self.match_all.setToolTip(tr("Show the documents that have every selected tag"))
        self.match_any.setToolTip(tr("Show the documents that have at least one of the selected tags"))
        self.match_all.setChecked(True)
        self._match = QButtonGroup(self)
        for button in (self.match_all, self.match_any):
            self._match.addButton(button)
            match.addWidget(button)
        match.addStretch(1)
        self.match_any.toggled.connect(self._tags_changed)
        layout.addLayout(match)
        self.tags = TagTree()
        self.tags.selection_changed.connect(self._tags_changed)
        self.tags.rename_requested.connect(self.rename_tag_requested)
        self.tags.delete_requested.connect(self.delete_tag_requested)
        self.tags.nest_requested.connect(self.nest_tag_requested)
        layout.addWidget(self.tags, 1)
        self._updating = False

    def current_view(self) -> View:
        item = self.views.currentItem()
        # QVariant hands a StrEnum back as a plain str: convert it back.
        return View(item.data(Qt.ItemDataRole.UserRole)) if item else View.ALL

    def selected_tags(self) -> list[str]:
        return self.tags.selected_tags()

    def select_view(self, view: View) -> None:
        self.views.setCurrentRow(list(View).index(view))

    def tag_mode(self) -> TagMode:
        return "any" if self.match_any.isChecked() else "all"

    def set_tag_mode(self, mode: str) -> None:
        (self.match_any if mode == "any" else self.match_all).setChecked(True)

    def clear_filters(self) -> None:
        """All documents, no tag."""
        self._updating = True
        try:
            self.tags.clear_selection()
        finally:
            self._updating = False
        self._show_view_highlight()
        self.select_view(View.ALL)

    def select_tags(self, names: list[str]) -> None:
        self.tags.select_tags(names)

    def update_counts(self, views: dict[View, int], tags: list[tuple[str, int]]) -> None:
        self._updating = True
        try:
            for row, (view, name) in enumerate(view_names().items()):
                self.views.item(row).setText(f"{name}  ({views.get(view, 0):,})")
            selected = {t.casefold() for t in self.selected_tags()}
            self.tags.set_tags(tags)
        finally:
            self._updating = False
        if {t.casefold() for t in self.selected_tags()} != selected:
            self._tags_changed()  # a selected tag disappeared

    def _view_changed(self) -> None:
        self._show_view_highlight()
        if not self._updating:
            self.view_changed.emit(self.current_view())

    def _view_clicked(self, item: QListWidgetItem) -> None:
        if View(item.data(Qt.ItemDataRole.UserRole)) is View.ALL and self.tags.has_selection():
            self.tags.clear_selection()  # "All documents" means all of them
        self._show_view_highlight()

    def _show_view_highlight(self) -> None:
        """Highlight the view unless it is All documents narrowed by tags (see the module's docstring)."""
        if (item := self.views.currentItem()) is not None:
            filtered = self.current_view() is View.ALL and self.tags.has_selection()
            item.setSelected(not filtered)

    def _tags_changed(self) -> None:
        self._show_view_highlight()
        if not self._updating:
            self.tags_changed.emit(self.selected_tags())
