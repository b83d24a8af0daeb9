"""The sidebar's tag tree: paths shown as a tree, a filter box that finds a tag by typing, selection and
opened branches kept across updates, and a tag dragged onto another nested under it, undoably."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, Qt

from docmanager.gui.mainwindow import MainWindow
from docmanager.gui.tag_tree import PATH_ROLE, TagTree, build_tree
from docmanager.library import Library

TAGS = [("Curve", 3), ("存储", 2), ("存储/分布式", 4), ("存储/分布式/HDFS", 1), ("网络/TCP", 5), ("网络/UDP", 1)]


def _shown(tree: TagTree, parent: QModelIndex | None = None) -> list[str]:
    """The paths the view shows (expanded branches only), depth first."""
    parent = parent or QModelIndex()
    out: list[str] = []
    model = tree.view.model()
    for row in range(model.rowCount(parent)):
        index = model.index(row, 0, parent)
        out.append(str(index.data(PATH_ROLE)))
        if tree.view.isExpanded(index):
            out += _shown(tree, index)
    return out


def test_paths_become_a_tree_with_parents_that_are_only_parents() -> None:
    root = build_tree(TAGS)
    assert [c.name for c in root.children] == ["Curve", "存储", "网络"]
    store = root.children[1]
    assert (store.count, [c.path for c in store.children]) == (2, ["存储/分布式"])
    network = root.children[2]
    assert network.count is None  # no document carries 网络 itself
    assert [(c.name, c.count) for c in network.children] == [("TCP", 5), ("UDP", 1)]


def test_the_tree_shows_names_with_counts_and_finds_a_tag_by_typing(qtbot) -> None:  # type: ignore[no-untyped-def]
    tree = TagTree()
    qtbot.addWidget(tree)
    tree.set_tags(TAGS)
    assert _shown(tree) == ["Curve", "存储", "网络"]  # closed
    assert tree.text_of("存储/分布式") == "分布式  (4)"
    assert tree.text_of("网络") == "网络"
    tree.filter.setText("hdfs")  # English, any case
    assert _shown(tree) == ["存储", "存储/分布式", "存储/分布式/HDFS"]
    tree.filter.setText("分布")  # Chinese, inside a name
    assert _shown(tree) == ["存储", "存储/分布式", "存储/分布式/HDFS"]
    tree.filter.setText("zzz")
    assert _shown(tree) == []
    tree.filter.clear()
    assert _shown(tree) == ["Curve", "存储", "网络"]  # as it was before the filter


def test_selection_and_opened_branches_survive_an_update(qtbot) -> None:  # type: ignore[no-untyped-def]
    tree = TagTree()
    qtbot.addWidget(tree)
    tree.set_tags(TAGS)
    with qtbot.waitSignal(tree.selection_changed):
        tree.select_tags(["存储/分布式", "网络/udp"])
    assert tree.selected_tags() == ["存储/分布式", "网络/UDP"]
    assert _shown(tree) == ["Curve", "存储", "存储/分布式", "网络", "网络/TCP", "网络/UDP"]  # opened to show them
    tree.set_tags([(name, count + 1) for name, count in TAGS])
    assert tree.selected_tags() == ["存储/分布式", "网络/UDP"]
    assert _shown(tree) == ["Curve", "存储", "存储/分布式", "网络", "网络/TCP", "网络/UDP"]
    assert tree.text_of("网络/TCP") == "TCP  (6)"
    with qtbot.waitSignal(tree.selection_changed):  # a selected tag went away: the filter changes
        tree.set_tags([t for t in TAGS if t[0] != "网络/UDP"])
    assert tree.selected_tags() == ["存储/分布式"]


def test_a_tag_dropped_on_another_asks_to_nest_it(qtbot) -> None:  # type: ignore[no-untyped-def]
    tree = TagTree()
    qtbot.addWidget(tree)
    tree.set_tags(TAGS)
    model = tree.model
    curve = model.index(0, 0)
    store = model.index(1, 0)
    asked: list[tuple[str, str]] = []
    tree.nest_requested.connect(lambda name, parent: asked.append((name, parent)))
    move = Qt.DropAction.MoveAction
    assert model.dropMimeData(model.mimeData([curve]), move, -1, 0, store) is False  # the rename rebuilds it
    distributed = model.index(0, 0, store)
    assert model.dropMimeData(model.mimeData([store]), move, -1, 0, distributed) is False
    assert model.dropMimeData(model.mimeData([distributed]), move, -1, 0, QModelIndex()) is False
    # onto 存储: asked; 存储 onto its own child: refused; 存储/分布式 onto the empty space: to the top
    assert asked == [("Curve", "存储"), ("存储/分布式", "")]


def test_nesting_in_the_window_renames_the_tag_and_undo_puts_it_back(
    qtbot, window: MainWindow, gui_library: Library  # type: ignore[no-untyped-def]
) -> None:
    window.tag_documents([1, 2], ["存储/分布式"])
    window.tag_documents([3], ["网络"])
    qtbot.waitUntil(lambda: window.sidebar.tags.text_of("网络") != "", timeout=5000)
    window.sidebar.tags.nest_requested.emit("网络", "存储")
    qtbot.waitUntil(lambda: window.sidebar.tags.text_of("存储/网络") == "网络  (1)", timeout=5000)
    assert "存储/网络" in gui_library.get(3).tags and "网络" not in gui_library.get(3).tags
    assert window.sidebar.tags.text_of("网络") == ""
    window.undo_stack.undo()
    qtbot.waitUntil(lambda: window.sidebar.tags.text_of("网络") == "网络  (1)", timeout=5000)
    assert "网络" in gui_library.get(3).tags and "存储/网络" not in gui_library.get(3).tags
    window.sidebar.tags.nest_requested.emit("存储/分布式", "")  # out of its parent, to the top
    qtbot.waitUntil(lambda: window.sidebar.tags.text_of("存储/分布式") == "", timeout=5000)
    assert "分布式" in gui_library.get(1).tags


def test_escape_in_the_filter_box_clears_it_and_only_it(qtbot, window: MainWindow) -> None:  # type: ignore[no-untyped-def]
    box = window.sidebar.tags.filter
    window.search.setText("中文")
    box.setFocus()
    qtbot.keyClicks(box, "cur")
    qtbot.keyClick(box, Qt.Key.Key_Escape)
    assert box.text() == ""
    assert window.search.text() == "中文"
