"""Undoable operations: each redo() submits one core operation, each undo() its exact inverse.

They run on the edit thread (see operations.py), in the order pushed: an undo submitted while its
redo still waits for the write lock runs after it, and reads what the redo recorded when it runs.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from docmanager.gui.operations import Operations
from docmanager.library import DeletedDocuments, Library, TagChange, TagRename, TitleState


class LibraryCommand(QUndoCommand):
    def __init__(self, operations: Operations, text: str, changed: Callable[[], None]) -> None:
        super().__init__(text)
        self.operations = operations
        self.changed = changed

    def submit(self, run: Callable[[Library], Any]) -> None:
        self.operations.submit(run, lambda _result: self.changed(), self.text())


class DeleteCommand(LibraryCommand):
    def __init__(self, operations: Operations, ids: Sequence[int], changed: Callable[[], None]) -> None:
        super().__init__(operations, f"delete {len(ids)} document(s)", changed)
        self.ids = list(ids)
        self.snapshot: DeletedDocuments | None = None

    def redo(self) -> None:
        def run(library: Library) -> None:
            self.snapshot = library.delete(self.ids).undo

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> None:
            if self.snapshot is not None:
                library.restore(self.snapshot)

        self.submit(run)


class TagCommand(LibraryCommand):
    """Add or remove tags on documents; undo reverts only the links this command changed."""

    def __init__(
        self,
        operations: Operations,
        ids: Sequence[int],
        names: Sequence[str],
        add: bool,
        changed: Callable[[], None],
    ) -> None:
        verb = "tag" if add else "untag"
        super().__init__(operations, f"{verb} {len(ids)} document(s) with {', '.join(names)}", changed)
        self.ids, self.names, self.add = list(ids), list(names), add
        self.change: TagChange | None = None

    def redo(self) -> None:
        def run(library: Library) -> None:
            if self.change is None:
                op = library.add_tags if self.add else library.remove_tags
                self.change = op(self.ids, self.names).undo
            else:
                library.apply_tag_change(self.change, add=self.add)

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> None:
            if self.change is not None:
                library.apply_tag_change(self.change, add=not self.add)

        self.submit(run)


class SetTagsCommand(LibraryCommand):
    """The detail pane's tag field: make one document's tags exactly these."""

    def __init__(self, operations: Operations, doc_id: int, names: Sequence[str], changed: Callable[[], None]) -> None:
        super().__init__(operations, "edit tags", changed)
        self.doc_id, self.names = doc_id, list(names)
        self.added: TagChange | None = None
        self.removed: TagChange | None = None

    def redo(self) -> None:
        def run(library: Library) -> None:
            self.added, self.removed = library.set_tags(self.doc_id, self.names).undo

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> None:
            if self.added is not None and self.removed is not None:
                library.apply_tag_change(self.added, add=False)
                library.apply_tag_change(self.removed, add=True)

        self.submit(run)


class StatusCommand(LibraryCommand):
    def __init__(self, operations: Operations, ids: Sequence[int], status: str, changed: Callable[[], None]) -> None:
        super().__init__(operations, f"mark {len(ids)} document(s) {status}", changed)
        self.ids, self.status = list(ids), status
        self.before: dict[int, str] = {}

    def redo(self) -> None:
        def run(library: Library) -> None:
            self.before = library.set_status(self.ids, self.status).undo

        self.submit(run)

    def undo(self) -> None:
        self.submit(lambda library: library.restore_status(self.before))


class LaterCommand(LibraryCommand):
    """Add to or remove from the read-later queue; ``add=None`` toggles, decided by the first
    document's state when the edit runs (so two presses of L while an edit waits cancel out)."""

    def __init__(
        self, operations: Operations, ids: Sequence[int], add: bool | None, changed: Callable[[], None]
    ) -> None:
        text = {True: "add to read later", False: "remove from read later", None: "read later"}[add]
        super().__init__(operations, text, changed)
        self.ids, self.add = list(ids), add
        self.before: dict[int, int | None] = {}
        self.after: dict[int, int | None] | None = None  # the queue places the first redo gave

    def redo(self) -> None:
        def run(library: Library) -> None:
            if self.after is not None:  # a redo puts each document back where it was, not at the end
                library.restore_later(self.after)
                return
            if self.add is None:
                docs = library.documents(self.ids[:1], texts=False)
                self.add = not (docs and docs[0].read_later)
            if self.add:
                self.before = library.add_to_later(self.ids).undo
            else:
                self.before = library.remove_from_later(self.ids).undo
            changed = library.documents(list(self.before), texts=False)
            self.after = {d.id: d.later_position for d in changed}

        self.submit(run)

    def undo(self) -> None:
        self.submit(lambda library: library.restore_later(self.before))


class TitleCommand(LibraryCommand):
    def __init__(
        self, operations: Operations, doc_id: int, before: str, after: str, changed: Callable[[], None]
    ) -> None:
        super().__init__(operations, "edit title", changed)
        self.doc_id, self.before, self.after = doc_id, before, after

    def redo(self) -> None:
        self.submit(lambda library: library.set_title(self.doc_id, self.after))

    def undo(self) -> None:
        self.submit(lambda library: library.set_title(self.doc_id, self.before))


class RenameTagCommand(LibraryCommand):
    """Rename a tag, or merge it into another of the new name; undo puts it back exactly."""

    def __init__(self, operations: Operations, old: str, new: str, changed: Callable[[], None]) -> None:
        super().__init__(operations, f"rename tag {old} to {new}", changed)
        self.old, self.new = old, new
        self.rename: TagRename | None = None

    def redo(self) -> None:
        def run(library: Library) -> None:
            self.rename = library.rename_tag(self.old if self.rename is None else self.rename.old, self.new).undo

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> None:
            if self.rename is not None:
                library.undo_rename(self.rename)

        self.submit(run)


class SplitCommand(LibraryCommand):
    """Set where a document's title ends in its body (the excerpts follow); undo puts back the title,
    excerpts and ownership it had."""

    def __init__(self, operations: Operations, doc_id: int, cut: int, changed: Callable[[], None]) -> None:
        super().__init__(operations, "correct title", changed)
        self.doc_id, self.cut = doc_id, cut
        self.before: TitleState | None = None

    def redo(self) -> None:
        def run(library: Library) -> None:
            self.before = library.set_split(self.doc_id, self.cut).undo

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> None:
            if self.before is not None:
                library.set_title_states([self.before])

        self.submit(run)


class ResplitCommand(LibraryCommand):
    """Apply titles a correction proposed for the other documents of its page (Library.resplit_import)."""

    def __init__(self, operations: Operations, proposals: Sequence[TitleState], changed: Callable[[], None]) -> None:
        super().__init__(operations, f"re-split {len(proposals)} title(s)", changed)
        self.proposals = list(proposals)
        self.before: list[TitleState] = []

    def redo(self) -> None:
        def run(library: Library) -> None:
            # Read when it runs, not when offered: a title the user set since then is left alone.
            before = {s.doc_id: s for s in library.title_states([p.doc_id for p in self.proposals])}
            apply = [p for p in self.proposals if p.doc_id in before and not before[p.doc_id].title_edited]
            self.before = [before[p.doc_id] for p in apply]
            if apply:
                library.set_title_states(apply)

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> None:
            if self.before:
                library.set_title_states(self.before)

        self.submit(run)


class QueueMoveCommand(LibraryCommand):
    """Move documents in the read-later queue (up, down, to the top or bottom, or where they were
    dropped); undo puts the whole queue back as it was, read when the move runs."""

    def __init__(
        self,
        operations: Operations,
        ids: Sequence[int],
        place: Callable[[list[int], list[int]], int],
        changed: Callable[[], None],
    ) -> None:
        """``place(queue, moving)``: where the moving documents go, as an index in the queue without
        them, given the queue as it is when the move runs."""
        super().__init__(operations, "move in read later", changed)
        self.ids, self.place = list(ids), place
        self.before: dict[int, int | None] = {}

    def redo(self) -> None:
        def run(library: Library) -> None:
            queue = library.later_queue()
            moving = [i for i in queue if i in set(self.ids)]
            self.before = {d.id: d.later_position for d in library.documents(queue, texts=False)}
            if moving:
                library.move_in_later(moving, self.place(queue, moving))

        self.submit(run)

    def undo(self) -> None:
        self.submit(lambda library: library.restore_later(self.before))
