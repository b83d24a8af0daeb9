"""Undoable operations: each redo() submits one core operation, each undo() its exact inverse.

They run on the edit thread (see operations.py), in the order pushed: an undo submitted while its
redo still waits for the write lock runs after it, and reads what the redo recorded when it runs.
Each run returns the core's Changes, which the edit thread hands to the window to refresh exactly
that; the redo keeps the Changes' undo value for its undo().
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtGui import QUndoCommand

from docmanager.gui.operations import Operations
from docmanager.library import Changes, DeletedDocuments, Library, TagChange, TagRename, TitleState
from docmanager.library.changes import NO_CHANGES

Run = Callable[[Library], Changes[Any]]


class LibraryCommand(QUndoCommand):
    def __init__(self, operations: Operations, text: str) -> None:
        super().__init__(text)
        self.operations = operations

    def submit(self, run: Run) -> None:
        self.operations.submit(run, None, self.text())


class DeleteCommand(LibraryCommand):
    def __init__(self, operations: Operations, ids: Sequence[int]) -> None:
        super().__init__(operations, f"delete {len(ids)} document(s)")
        self.ids = list(ids)
        self.snapshot: DeletedDocuments | None = None

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            changes = library.delete(self.ids)
            self.snapshot = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            return NO_CHANGES if self.snapshot is None else library.restore(self.snapshot)

        self.submit(run)


class TagCommand(LibraryCommand):
    """Add or remove tags on documents; undo reverts only the links this command changed."""

    def __init__(self, operations: Operations, ids: Sequence[int], names: Sequence[str], add: bool) -> None:
        verb = "tag" if add else "untag"
        super().__init__(operations, f"{verb} {len(ids)} document(s) with {', '.join(names)}")
        self.ids, self.names, self.add = list(ids), list(names), add
        self.change: TagChange | None = None

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            if self.change is not None:
                return library.apply_tag_change(self.change, add=self.add)
            changes = (library.add_tags if self.add else library.remove_tags)(self.ids, self.names)
            self.change = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            return NO_CHANGES if self.change is None else library.apply_tag_change(self.change, add=not self.add)

        self.submit(run)


class SetTagsCommand(LibraryCommand):
    """The detail pane's tag field: make one document's tags exactly these."""

    def __init__(self, operations: Operations, doc_id: int, names: Sequence[str]) -> None:
        super().__init__(operations, "edit tags")
        self.doc_id, self.names = doc_id, list(names)
        self.added: TagChange | None = None
        self.removed: TagChange | None = None

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            changes = library.set_tags(self.doc_id, self.names)
            self.added, self.removed = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            if self.added is None or self.removed is None:
                return NO_CHANGES
            return library.apply_tag_change(self.added, add=False) | library.apply_tag_change(self.removed, add=True)

        self.submit(run)


class StatusCommand(LibraryCommand):
    def __init__(self, operations: Operations, ids: Sequence[int], status: str) -> None:
        super().__init__(operations, f"mark {len(ids)} document(s) {status}")
        self.ids, self.status = list(ids), status
        self.before: dict[int, str] = {}

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            changes = library.set_status(self.ids, self.status)
            self.before = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        self.submit(lambda library: library.restore_status(self.before))


class ReadingMinutesCommand(LibraryCommand):
    """The user's reading time of documents (None: estimated from their pages); undo puts back theirs."""

    def __init__(self, operations: Operations, ids: Sequence[int], minutes: int | None) -> None:
        super().__init__(operations, "set reading time")
        self.ids, self.minutes = list(ids), minutes
        self.before: dict[int, int | None] = {}

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            changes = library.set_reading_minutes(self.ids, self.minutes)
            self.before = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        self.submit(lambda library: library.restore_reading_minutes(self.before))


class LaterCommand(LibraryCommand):
    """Add to or remove from the read-later queue; ``add=None`` toggles, decided by the first
    document's state when the edit runs (so two presses of L while an edit waits cancel out)."""

    def __init__(self, operations: Operations, ids: Sequence[int], add: bool | None) -> None:
        text = {True: "add to read later", False: "remove from read later", None: "read later"}[add]
        super().__init__(operations, text)
        self.ids, self.add = list(ids), add
        self.before: dict[int, int | None] = {}
        self.after: dict[int, int | None] | None = None  # the queue places the first redo gave

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            if self.after is not None:  # a redo puts each document back where it was, not at the end
                return library.restore_later(self.after)
            if self.add is None:
                docs = library.documents(self.ids[:1], texts=False)
                self.add = not (docs and docs[0].read_later)
            changes = library.add_to_later(self.ids) if self.add else library.remove_from_later(self.ids)
            self.before = changes.undo
            changed = library.documents(list(self.before), texts=False)
            self.after = {d.id: d.later_position for d in changed}
            return changes

        self.submit(run)

    def undo(self) -> None:
        self.submit(lambda library: library.restore_later(self.before))


class TitleCommand(LibraryCommand):
    """The user's title; undo puts back the title and whether the user had set it."""

    def __init__(self, operations: Operations, doc_id: int, before: str, after: str) -> None:
        super().__init__(operations, "edit title")
        self.doc_id, self.before, self.after = doc_id, before, after
        self.state: TitleState | None = None  # as it was before the first redo

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            changes = library.set_title(self.doc_id, self.after)
            if self.state is None:
                self.state = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            if self.state is None:
                return library.set_title(self.doc_id, self.before)
            return library.set_title_states([self.state])

        self.submit(run)


class RenameTagCommand(LibraryCommand):
    """Rename a tag, or merge it into another of the new name; undo puts it back exactly."""

    def __init__(self, operations: Operations, old: str, new: str) -> None:
        super().__init__(operations, f"rename tag {old} to {new}")
        self.old, self.new = old, new
        self.rename: TagRename | None = None

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            changes = library.rename_tag(self.old if self.rename is None else self.rename.old, self.new)
            self.rename = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            return NO_CHANGES if self.rename is None else library.undo_rename(self.rename)

        self.submit(run)


class SplitCommand(LibraryCommand):
    """Set where a document's title ends in its body (the excerpts follow); undo puts back the title,
    excerpts and ownership it had."""

    def __init__(self, operations: Operations, doc_id: int, cut: int) -> None:
        super().__init__(operations, "correct title")
        self.doc_id, self.cut = doc_id, cut
        self.before: TitleState | None = None

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            changes = library.set_split(self.doc_id, self.cut)
            self.before = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            return NO_CHANGES if self.before is None else library.set_title_states([self.before])

        self.submit(run)


class ResplitCommand(LibraryCommand):
    """Apply titles a correction proposed for the other documents of its page (Library.resplit_import)."""

    def __init__(self, operations: Operations, proposals: Sequence[TitleState]) -> None:
        super().__init__(operations, f"re-split {len(proposals)} title(s)")
        self.proposals = list(proposals)
        self.before: list[TitleState] = []

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            # Read when it runs, not when offered: a title the user set since then is left alone.
            before = {s.doc_id: s for s in library.title_states([p.doc_id for p in self.proposals])}
            apply = [p for p in self.proposals if p.doc_id in before and not before[p.doc_id].title_edited]
            if not apply:
                self.before = []
                return NO_CHANGES
            changes = library.set_title_states(apply)
            self.before = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            return library.set_title_states(self.before) if self.before else NO_CHANGES

        self.submit(run)


class QueueMoveCommand(LibraryCommand):
    """Move documents in the read-later queue (up, down, to the top or bottom, or where they were
    dropped); undo puts back the places of the documents that moved, read when the move runs."""

    def __init__(
        self, operations: Operations, ids: Sequence[int], place: Callable[[list[int], list[int]], int]
    ) -> None:
        """``place(queue, moving)``: where the moving documents go, as an index in the queue without
        them, given the queue as it is when the move runs."""
        super().__init__(operations, "move in read later")
        self.ids, self.place = list(ids), place
        self.before: dict[int, int | None] = {}

    def redo(self) -> None:
        def run(library: Library) -> Changes[Any]:
            queue = library.later_queue()
            moving = [i for i in queue if i in set(self.ids)]
            if not moving:
                self.before = {}
                return NO_CHANGES
            changes = library.move_in_later(moving, self.place(queue, moving))
            self.before = changes.undo
            return changes

        self.submit(run)

    def undo(self) -> None:
        self.submit(lambda library: library.restore_later(self.before))
