"""The main window's menus, toolbar and context menu, and where each shortcut applies."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMainWindow, QToolBar, QWidget

from docmanager.gui.actions import Actions
from docmanager.gui.i18n import tr


def build_menus(
    window: QMainWindow, a: Actions, *, search: QWidget, table: QWidget, welcome: QWidget, cut: QWidget
) -> None:
    """Menus and toolbar of ``window`` from its actions; the table's context menu; shortcut contexts."""
    bar = window.menuBar()
    file_menu = bar.addMenu(tr("&File"))
    file_menu.addActions([a.import_files, a.import_sample, a.rejected])
    file_menu.addSeparator()
    file_menu.addActions([a.export, a.backup, a.restore])
    file_menu.addSeparator()
    file_menu.addAction(a.quit)
    edit = bar.addMenu(tr("&Edit"))
    edit.addActions([a.undo, a.redo])
    edit.addSeparator()
    edit.addAction(a.paste_listing)
    edit.addSeparator()
    edit.addActions([a.select_all, a.find, a.delete])
    edit.addSeparator()
    edit.addAction(a.save_search)
    docs = bar.addMenu(tr("&Documents"))
    docs.addAction(a.open_site)
    docs.addSeparator()
    docs.addActions([a.add_tags, a.remove_tags])
    docs.addSeparator()
    docs.addActions([a.toggle_later, a.later_up, a.later_down, a.later_top, a.later_bottom, a.what_fits])
    docs.addSeparator()
    docs.addActions([a.status_unread, a.status_reading, a.status_read])
    docs.addSeparator()
    docs.addActions([a.cut_left, a.cut_right])
    help_menu = bar.addMenu(tr("&Help"))
    help_menu.addAction(a.about)
    toolbar = QToolBar(tr("Main"))
    toolbar.setObjectName("main-toolbar")
    toolbar.setMovable(False)
    toolbar.addAction(a.import_files)
    toolbar.addWidget(search)
    window.addToolBar(toolbar)
    a.quit.setShortcutContext(Qt.ShortcutContext.ApplicationShortcut)  # also from the summary dialog
    # Table-only shortcuts so that typing "L" or Delete in a text field edits the text.
    for action in (a.delete, a.toggle_later, a.later_up, a.later_down, a.later_top, a.later_bottom, a.select_all):
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
    # Ctrl+V pastes a listing only from the table: in a text field it pastes text as usual.
    for action in (a.paste_listing, a.open_site):
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        table.addAction(action)
    welcome.addAction(a.paste_listing)  # an empty library shows the welcome page, not the table
    # The cut's keys only where the body has focus: elsewhere Alt+arrows and [ ] keep their meaning.
    for action in (a.cut_left, a.cut_right):
        action.setShortcutContext(Qt.ShortcutContext.WidgetShortcut)
        cut.addAction(action)
        table.addAction(action)
    table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
    for action in (a.add_tags, a.remove_tags, a.toggle_later, a.later_top, a.later_bottom):
        table.addAction(action)
    for action in (a.status_unread, a.status_reading, a.status_read):
        table.addAction(action)
