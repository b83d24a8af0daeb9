"""The sidebar's tags as a tree: a tag name with ``/`` is a path (``存储/分布式`` is 分布式 under 存储),
with a filter box above it that finds a tag by typing (Chinese or English, anywhere in its path;
the tags above a match are shown with it).

Built for 10,000 tags: the model is a tree of plain Python nodes read from ``Library.tag_counts``
(whose counts SQLite keeps, see schema 8), and the view asks only for the rows it shows. A tag is
dragged onto another to nest it under it, or onto the empty space below the tags to take it out of
its parent: the widget only says so (``nest_requested``); the window renames the tag, undoably.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QByteArray,
    QItemSelection,
    QItemSelectionModel,
    QMimeData,
    QModelIndex,
    QPersistentModelIndex,
    QPoint,
    Qt,
    Signal,
)
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import QAbstractItemView, QLineEdit, QMenu, QTreeView, QVBoxLayout, QWidget

from docmanager.gui.i18n import tr

PATH_ROLE = Qt.ItemDataRole.UserRole  # a node's whole tag name
_MIME = "application/x-docmanager-tags"

Index = QModelIndex | QPersistentModelIndex


@dataclass(eq=False, slots=True)
class TagNode:
    name: str  # this level's part of the path
    path: str  # the whole tag name
    count: int | None  # documents carrying exactly this tag; None: only a parent of tags
    parent: TagNode | None
    row: int = 0
    children: list[TagNode] = field(default_factory=list)


def build_tree(tags: list[tuple[str, int]]) -> TagNode:
    """The tags (name, count; sorted by name as ``tag_counts`` gives them) as a tree under a root.
    A parent that is not a tag itself (only ``存储/分布式`` exists) is a node without a count."""
    root = TagNode("", "", None, None)
    by_path: dict[str, TagNode] = {"": root}  # casefolded paths
    for name, count in tags:
        node = by_path.get(name.casefold()) or _add_node(by_path, name)
        node.count = count
    return root


def _add_node(by_path: dict[str, TagNode], path: str) -> TagNode:
    """The node of ``path``, made with the parents it lacks."""
    cut = path.rfind("/")
    above = path[:cut] if cut >= 0 else ""
    parent = by_path.get(above.casefold()) or _add_node(by_path, above)
    node = TagNode(path[cut + 1 :], path, None, parent, len(parent.children))
    parent.children.append(node)
    by_path[path.casefold()] = node
    return node


def _slashes(path: str) -> list[int]:
    return [i for i, char in enumerate(path) if char == "/"]


def _untie(node: TagNode) -> None:
    """Break a tree's parent links so that reference counting frees it at once: left to the cycle
    collector, 10,000 nodes made its next full pass over the window's objects take tens of ms."""
    stack = [node]
    while stack:
        n = stack.pop()
        n.parent = None
        stack.extend(n.children)


class TagTreeModel(QAbstractItemModel):
    """The tree of tags, one column: ``name  (count)``; ``PATH_ROLE`` is the whole tag name."""

    nest_requested = Signal(str, str)  # a tag, the tag to nest it under ("" to take it to the top)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.root = TagNode("", "", None, None)

    def set_tags(self, tags: list[tuple[str, int]]) -> None:
        self.beginResetModel()
        old, self.root = self.root, build_tree(tags)
        self.endResetModel()
        _untie(old)

    def node(self, index: Index) -> TagNode:
        if index.isValid():
            node: TagNode = index.internalPointer()
            return node
        return self.root

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        children = self.node(parent).children
        if column != 0 or not 0 <= row < len(children):
            return QModelIndex()
        return self.createIndex(row, 0, children[row])

    def parent(self, index: Index = QModelIndex()) -> QModelIndex:  # type: ignore[override]  # noqa: B008
        if not index.isValid():
            return QModelIndex()
        up = self.node(index).parent
        if up is None or up is self.root:
            return QModelIndex()
        return self.createIndex(up.row, 0, up)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return len(self.node(parent).children) if parent.column() <= 0 else 0

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: B008
        return 1

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        node = self.node(index)
        if role == Qt.ItemDataRole.DisplayRole:
            return node.name if node.count is None else f"{node.name}  ({node.count:,})"
        if role == PATH_ROLE:
            return node.path
        if role == Qt.ItemDataRole.ToolTipRole:
            if node.count is None:
                return tr("%1: the tags under it (no document carries it alone)").replace("%1", node.path)
            return (
                tr("%1: %2 document(s) carry this tag; choosing it also shows the tags under it")
                .replace("%1", node.path)
                .replace("%2", f"{node.count:,}")
            )
        return None

    def flags(self, index: Index) -> Qt.ItemFlag:
        base = Qt.ItemFlag.ItemIsDropEnabled
        if not index.isValid():
            return base  # the empty space: take a tag out of its parent
        return base | Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable | Qt.ItemFlag.ItemIsDragEnabled

    # --- drag a tag onto another to nest it --------------------------------------------------------

    def supportedDropActions(self) -> Qt.DropAction:
        return Qt.DropAction.MoveAction

    def mimeTypes(self) -> list[str]:
        return [_MIME]

    def mimeData(self, indexes: list[QModelIndex]) -> QMimeData:  # type: ignore[override]
        data = QMimeData()
        paths = [self.node(i).path for i in indexes if i.isValid()]
        data.setData(_MIME, QByteArray("\n".join(paths).encode("utf-8")))
        return data

    def dropMimeData(
        self, data: QMimeData, action: Qt.DropAction, row: int, column: int, parent: Index
    ) -> bool:
        """Ask for each dragged tag to be nested under the tag it was dropped on. Returns False: the
        model does not move rows itself, the rename's refresh rebuilds it."""
        if not data.hasFormat(_MIME):
            return False
        target = self.node(parent).path
        for path in bytes(data.data(_MIME).data()).decode("utf-8").split("\n"):
            if path and path.casefold() != target.casefold() and not target.casefold().startswith(
                path.casefold() + "/"
            ):
                self.nest_requested.emit(path, target)
        return False


class TagTree(QWidget):
    """A filter box and the tree of tags (see the module's note)."""

    selection_changed = Signal()
    rename_requested = Signal(str)
    delete_requested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        self.filter = QLineEdit()
        self.filter.setPlaceholderText(tr("Filter tags"))
        self.filter.setClearButtonEnabled(True)
        self.filter.setToolTip(tr("Type part of a tag's name to find it (Esc clears)"))
        layout.addWidget(self.filter)
        self.model = TagTreeModel(self)
        self._all: list[tuple[str, int]] = []  # every tag, as the library gave them
        self.view = QTreeView()
        self.view.setModel(self.model)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.view.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.view.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.view.setDropIndicatorShown(True)
        self.view.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
        self.view.customContextMenuRequested.connect(self._menu)
        layout.addWidget(self.view, 1)
        self.nest_requested = self.model.nest_requested
        self.filter.textChanged.connect(self._filter)
        clear = QShortcut(QKeySequence(Qt.Key.Key_Escape), self.filter, self.filter.clear)
        clear.setContext(Qt.ShortcutContext.WidgetShortcut)  # Esc elsewhere is not this box's
        self._expanded: set[str] = set()  # casefolded paths the user opened, kept across updates
        self._tracking = True  # False while the widget itself opens or closes branches
        self.view.expanded.connect(lambda i: self._track(i, True))
        self.view.collapsed.connect(lambda i: self._track(i, False))
        self.view.selectionModel().selectionChanged.connect(lambda *_: self.selection_changed.emit())

    def set_tags(self, tags: list[tuple[str, int]]) -> None:
        """Show these tags (``tag_counts``), keeping what was selected and opened."""
        self._all = tags
        self._show()

    def _shown_tags(self) -> list[tuple[str, int]]:
        """The tags the filter lets through: those whose path holds its text (any case), and the
        tags above them, so that each shows where it is. Filtering 10,000 names here and building
        the small tree they make takes a few milliseconds, where a filtering proxy asked the model
        for every row (150 ms)."""
        needle = self.filter.text().strip().casefold()
        if not needle:
            return self._all
        folded = [name.casefold() for name, _ in self._all]
        keep = {path for path in folded if needle in path}
        keep |= {path[:cut] for path in keep for cut in _slashes(path)}  # the tags above each match
        return [tag for tag, path in zip(self._all, folded, strict=True) if path in keep]

    def _show(self) -> None:
        selected = self.selected_tags()
        blocker = self.view.selectionModel().blockSignals(True)
        try:
            self.model.set_tags(self._shown_tags())
            if self.filter.text().strip():
                self._tracking = False
                try:
                    self.view.expandAll()  # what matches is shown where it is
                finally:
                    self._tracking = True
            else:
                self._restore(self._expanded)
            self.select_tags(selected, notify=False)
        finally:
            self.view.selectionModel().blockSignals(blocker)
        if {t.casefold() for t in self.selected_tags()} != {t.casefold() for t in selected}:
            self.selection_changed.emit()  # a selected tag disappeared (or the filter hid it)

    def tag_count(self) -> int:
        """The tags shown (not the parents that are only parents)."""

        def count(node: TagNode) -> int:
            return (node.count is not None) + sum(count(c) for c in node.children)

        return count(self.model.root)

    def tags(self) -> list[tuple[str, int | None]]:
        """Every node's path and count, depth first (parents before their tags)."""
        out: list[tuple[str, int | None]] = []

        def walk(node: TagNode) -> None:
            for child in node.children:
                out.append((child.path, child.count))
                walk(child)

        walk(self.model.root)
        return out

    def text_of(self, path: str) -> str:
        """The line a tag shows in the tree ("" when it is not shown)."""
        index = self._index(path)
        return str(index.data()) if index.isValid() else ""

    def selected_tags(self) -> list[str]:
        rows = self.view.selectionModel().selectedRows()
        return [str(i.data(PATH_ROLE)) for i in sorted(rows, key=lambda i: str(i.data(PATH_ROLE)).casefold())]

    def select_tags(self, names: list[str], *, notify: bool = True) -> None:
        """Select these tags (and open their parents so they show)."""
        selection = QItemSelection()
        for path in {n.casefold(): n for n in names}.values():
            index = self._index(path)
            if index.isValid():
                selection.select(index, index)
                parent = index.parent()
                while parent.isValid():
                    self.view.expand(parent)
                    parent = parent.parent()
        model = self.view.selectionModel()
        blocker = model.blockSignals(not notify)
        try:
            model.select(selection, QItemSelectionModel.SelectionFlag.ClearAndSelect)
        finally:
            model.blockSignals(blocker)
        if notify:
            self.selection_changed.emit()

    def clear_selection(self) -> None:
        self.view.clearSelection()

    def has_selection(self) -> bool:
        return self.view.selectionModel().hasSelection()

    def _index(self, path: str) -> QModelIndex:
        node: TagNode | None = self.model.root
        for part in path.casefold().split("/"):
            node = next((c for c in node.children if c.name.casefold() == part), None) if node else None
        if node is None or node is self.model.root:
            return QModelIndex()
        return self.model.createIndex(node.row, 0, node)

    def _track(self, index: QModelIndex, opened: bool) -> None:
        if self._tracking and not self.filter.text().strip():
            path = str(index.data(PATH_ROLE)).casefold()
            (self._expanded.add if opened else self._expanded.discard)(path)

    def _restore(self, expanded: set[str]) -> None:
        self._tracking = False
        try:
            for path in sorted(expanded):
                index = self._index(path)
                if index.isValid():
                    self.view.expand(index)
        finally:
            self._tracking = True

    def _filter(self, _text: str) -> None:
        self._show()

    def _menu(self, pos: QPoint) -> None:
        index = self.view.indexAt(pos)
        if not index.isValid():
            return
        name = str(index.data(PATH_ROLE))
        menu = QMenu(self)
        menu.addAction(tr("Rename “%1”…").replace("%1", name), lambda: self.rename_requested.emit(name))
        if self.model.node(index).count is not None:  # a tag, not only a parent
            menu.addAction(
                tr("Remove “%1” from all documents").replace("%1", name), lambda: self.delete_requested.emit(name)
            )
        menu.exec(self.view.mapToGlobal(pos))
