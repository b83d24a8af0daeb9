"""Undoable operations: each redo() runs one core operation, each undo() its exact inverse."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtGui import QUndoCommand

from docmanager.store import DeletedDocuments, Library, TagChange


class LibraryCommand(QUndoCommand):
    def __init__(self, library: Library, text: str, changed: Callable[[], None]) -> None:
        super().__init__(text)
        self.library = library
        self.changed = changed


class DeleteCommand(LibraryCommand):
    def __init__(self, library: Library, ids: Sequence[int], changed: Callable[[], None]) -> None:
        super().__init__(library, f"delete {len(ids)} document(s)", changed)
        self.ids = list(ids)
        self.snapshot: DeletedDocuments | None = None

    def redo(self) -> None:
        self.snapshot = self.library.delete(self.ids)
        self.changed()

    def undo(self) -> None:
        if self.snapshot is not None:
            self.library.restore(self.snapshot)
        self.changed()


class TagCommand(LibraryCommand):
    """Add or remove tags on documents; undo reverts only the links this command changed."""

    def __init__(
        self, library: Library, ids: Sequence[int], names: Sequence[str], add: bool, changed: Callable[[], None]
    ) -> None:
        verb = "tag" if add else "untag"
        super().__init__(library, f"{verb} {len(ids)} document(s) with {', '.join(names)}", changed)
        self.ids, self.names, self.add = list(ids), list(names), add
        self.change: TagChange | None = None

    def redo(self) -> None:
        if self.change is None:
            op = self.library.add_tags if self.add else self.library.remove_tags
            self.change = op(self.ids, self.names)
        else:
            self.library.apply_tag_change(self.change, add=self.add)
        self.changed()

    def undo(self) -> None:
        if self.change is not None:
            self.library.apply_tag_change(self.change, add=not self.add)
        self.changed()


class SetTagsCommand(LibraryCommand):
    """The detail pane's tag field: make one document's tags exactly these."""

    def __init__(self, library: Library, doc_id: int, names: Sequence[str], changed: Callable[[], None]) -> None:
        super().__init__(library, "edit tags", changed)
        self.doc_id, self.names = doc_id, list(names)
        self.added: TagChange | None = None
        self.removed: TagChange | None = None

    def redo(self) -> None:
        self.added, self.removed = self.library.set_tags(self.doc_id, self.names)
        self.changed()

    def undo(self) -> None:
        if self.added is not None and self.removed is not None:
            self.library.apply_tag_change(self.added, add=False)
            self.library.apply_tag_change(self.removed, add=True)
        self.changed()


class StatusCommand(LibraryCommand):
    def __init__(self, library: Library, ids: Sequence[int], status: str, changed: Callable[[], None]) -> None:
        super().__init__(library, f"mark {len(ids)} document(s) {status}", changed)
        self.ids, self.status = list(ids), status
        self.before: dict[int, str] = {}

    def redo(self) -> None:
        self.before = self.library.set_status(self.ids, self.status)
        self.changed()

    def undo(self) -> None:
        self.library.restore_status(self.before)
        self.changed()


class LaterCommand(LibraryCommand):
    def __init__(self, library: Library, ids: Sequence[int], add: bool, changed: Callable[[], None]) -> None:
        verb = "add to" if add else "remove from"
        super().__init__(library, f"{verb} read later", changed)
        self.ids, self.add = list(ids), add
        self.before: dict[int, int | None] = {}

    def redo(self) -> None:
        if self.add:
            self.before = dict.fromkeys(self.library.add_to_later(self.ids))
        else:
            self.before = dict(self.library.remove_from_later(self.ids))
        self.changed()

    def undo(self) -> None:
        self.library.restore_later(self.before)
        self.changed()


class TitleCommand(LibraryCommand):
    def __init__(self, library: Library, doc_id: int, before: str, after: str, changed: Callable[[], None]) -> None:
        super().__init__(library, "edit title", changed)
        self.doc_id, self.before, self.after = doc_id, before, after

    def redo(self) -> None:
        self.library.set_title(self.doc_id, self.after)
        self.changed()

    def undo(self) -> None:
        self.library.set_title(self.doc_id, self.before)
        self.changed()
