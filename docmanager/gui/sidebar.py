"""The sidebar: the library's views with counts, and the tags (Ctrl-click combines them).

Tags filter within the view. "All documents" is not highlighted while tags filter the table (it does
not show all documents then), and clicking it clears the tags; another view stays highlighted with
the tags, since the table shows exactly both.

Saved searches have a section of their own, each with the number of documents it shows. Choosing one
puts its view, tags, search and sort in place; it stays highlighted while the table shows exactly its
query (the view is then not highlighted: the saved search is what is shown).
"""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMenu,
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
    saved_chosen = Signal(str)  # a saved search's name
    rename_saved_requested = Signal(str)
    replace_saved_requested = Signal(str)
    delete_saved_requested = Signal(str)

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
        layout.addWidget(QLabel(tr("Saved searches")))
        self.saved = QListWidget()
        self.saved.setObjectName("saved-searches")
        self.saved.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.saved.itemClicked.connect(self._saved_clicked)
        self.saved.itemActivated.connect(self._saved_clicked)
        self.saved.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.saved.customContextMenuRequested.connect(self._saved_menu)
        self.saved.hide()
        self.saved_hint = QLabel(tr("None yet: Ctrl+S saves the current search"))
        self.saved_hint.setWordWrap(True)
        self.saved_hint.setEnabled(False)  # greyed: a hint, not a control
        layout.addWidget(self.saved)
        layout.addWidget(self.saved_hint)
        self._saved_counts: dict[str, int] = {}
        self._marked_saved: str | None = None
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

    def update_counts(self, views: dict[View, int] | None, tags: list[tuple[str, int]]) -> None:
        """Show these counts; ``views`` None keeps the views' counts shown (only tags changed)."""
        self._updating = True
        try:
            if views is not None:
                for row, (view, name) in enumerate(view_names().items()):
                    self.views.item(row).setText(f"{name}  ({views.get(view, 0):,})")
            selected = {t.casefold() for t in self.selected_tags()}
            self.tags.set_tags(tags)
        finally:
            self._updating = False
        if {t.casefold() for t in self.selected_tags()} != selected:
            self._tags_changed()  # a selected tag disappeared

    # --- saved searches ----------------------------------------------------------------------------

    def set_saved(self, names: list[str]) -> None:
        """The saved searches, in this order; their counts stay until new ones come."""
        self._updating = True
        try:
            self.saved.clear()
            for name in names:
                item = QListWidgetItem()
                item.setData(Qt.ItemDataRole.UserRole, name)
                self.saved.addItem(item)
        finally:
            self._updating = False
        self._saved_counts = {n: c for n, c in self._saved_counts.items() if n in set(names)}
        self._show_saved_texts()
        self.saved.setVisible(bool(names))
        self.saved_hint.setVisible(not names)
        rows = max(1, min(len(names), 6))
        self.saved.setFixedHeight(self.saved.sizeHintForRow(0) * rows + 2 * self.saved.frameWidth() + 2)
        self.mark_saved(self._marked_saved)

    def saved_names(self) -> list[str]:
        return [self.saved.item(row).data(Qt.ItemDataRole.UserRole) for row in range(self.saved.count())]

    def set_saved_counts(self, counts: dict[str, int]) -> None:
        self._saved_counts.update(counts)
        self._show_saved_texts()

    def _show_saved_texts(self) -> None:
        for row in range(self.saved.count()):
            item = self.saved.item(row)
            name = item.data(Qt.ItemDataRole.UserRole)
            count = self._saved_counts.get(name)
            item.setText(f"{name}  ({'…' if count is None else f'{count:,}'})")
            item.setToolTip(name)

    def mark_saved(self, name: str | None) -> None:
        """Highlight the saved search the table shows (None: none of them)."""
        self._marked_saved = name
        self._updating = True
        try:
            self.saved.clearSelection()
            for row in range(self.saved.count()):
                item = self.saved.item(row)
                if item.data(Qt.ItemDataRole.UserRole) == name:
                    self.saved.setCurrentItem(item)
                    item.setSelected(True)
        finally:
            self._updating = False
        self._show_view_highlight()

    def marked_saved(self) -> str | None:
        return self._marked_saved

    def show_filters(self, view: View, tags: tuple[str, ...], mode: str) -> None:
        """Put a view, tags and tag mode in place without announcing it (a saved search being shown)."""
        self._updating = True
        try:
            self.select_view(view)
            self.set_tag_mode(mode)
            self.select_tags(list(tags))
        finally:
            self._updating = False
        self._show_view_highlight()

    def _saved_clicked(self, item: QListWidgetItem) -> None:
        if not self._updating:
            self.saved_chosen.emit(item.data(Qt.ItemDataRole.UserRole))

    def _saved_menu(self, pos: QPoint) -> None:
        item = self.saved.itemAt(pos)
        if item is None:
            return
        name = item.data(Qt.ItemDataRole.UserRole)
        menu = QMenu(self)
        menu.addAction(tr("Rename “%1”…").replace("%1", name), lambda: self.rename_saved_requested.emit(name))
        menu.addAction(
            tr("Replace “%1” with the current search").replace("%1", name),
            lambda: self.replace_saved_requested.emit(name),
        )
        menu.addAction(tr("Delete “%1”").replace("%1", name), lambda: self.delete_saved_requested.emit(name))
        menu.exec(self.saved.mapToGlobal(pos))

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
            item.setSelected(not filtered and self._marked_saved is None)

    def _tags_changed(self) -> None:
        self._show_view_highlight()
        if not self._updating:
            self.tags_changed.emit(self.selected_tags())
