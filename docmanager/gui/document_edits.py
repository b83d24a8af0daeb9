"""The main window's edits of the selected documents: tags, the read-later queue, status, titles
(and the re-split offer), deletion, tag renaming, and opening a document on its site."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from PySide6.QtCore import QStringListModel, Qt, QUrl
from PySide6.QtWidgets import QInputDialog, QLineEdit

from docmanager.errors import DocManagerError
from docmanager.gui.bulk_preview import PREVIEW_ABOVE, BulkPreviewDialog
from docmanager.gui.commands import (
    DeleteCommand,
    LaterCommand,
    QueueMoveCommand,
    ReadingMinutesCommand,
    RenameTagCommand,
    ResplitCommand,
    SplitCommand,
    StatusCommand,
    TagCommand,
    TitleCommand,
)
from docmanager.gui.detail import TagCompleter
from docmanager.gui.i18n import tr
from docmanager.gui.messages import localized
from docmanager.gui.model import STATUS_TEXT
from docmanager.gui.window_base import WindowBase
from docmanager.library import Library, TitleState, ViewQuery
from docmanager.webpage import page_address


class DocumentEdits(WindowBase):
    """Mixin of MainWindow: each edit goes through an undoable command (``_run``)."""

    def _edit_title(self, doc_id: int, title: str) -> None:
        before = self.library.get(doc_id).title
        if title.strip() and title.strip() != before:
            self._run(TitleCommand(self.operations, doc_id, before, title))
        else:
            self.detail.title.setText(before)

    def split_title(self, doc_id: int, cut: int) -> None:
        """The title ends ``cut`` characters into the body; then offer the same for the rest of its page."""
        self._run(SplitCommand(self.operations, doc_id, cut))

        def proposals(library: Library) -> tuple[list[TitleState], dict[int, str]]:
            # On the edit thread, after the split: it reads every body of the page. A split that did
            # not happen (the edit failed) teaches nothing.
            if library.get(doc_id).title != library.body(doc_id)[:cut].strip():
                return [], {}
            found = library.resplit_import(doc_id)
            return found, {s.doc_id: s.title for s in library.title_states([p.doc_id for p in found])}

        self.operations.submit(proposals, self._offer_resplit, "re-split offer")

    def _offer_resplit(self, result: tuple[list[TitleState], dict[int, str]]) -> None:
        found, before = result
        if found and not self._closed:  # nothing to say when the correction teaches nothing
            self.detail.resplit.offer(found, before)

    def _withdraw_offer(self) -> None:
        self.detail.resplit.dismiss()

    def _resplit(self, proposals: list[TitleState]) -> None:
        self._run(ResplitCommand(self.operations, proposals))

    def _edit_notes(self, doc_id: int, notes: str) -> None:
        # Notes are saved as typed, not undone keystroke by keystroke (the editor has its own undo).
        self.operations.submit(lambda lib: lib.set_notes(doc_id, notes), None, "notes")

    def _edit_reading_minutes(self, doc_id: int, minutes: int | None) -> None:
        self._run(ReadingMinutesCommand(self.operations, [doc_id], minutes))

    # --- edits of many documents: previewed first ------------------------------------------------

    def _confirm_bulk(
        self, ids: list[int], question: str, confirm: str, apply: Callable[[], None], **what: Any
    ) -> None:
        """Run ``apply`` (the edit of ``ids``) at once for up to PREVIEW_ABOVE documents; for more, first
        show what it will change (``what``: Library.preview_bulk's arguments) and run it only if the
        user confirms. The dialog is window-modal and does not block: it is ``self.bulk_preview``
        while it is up."""
        if len(ids) <= PREVIEW_ABOVE:
            apply()
            return
        try:
            preview = self.library.preview_bulk(ids, **what)
        except DocManagerError as exc:
            self._library_error(exc)
            return
        if self.bulk_preview is not None:
            self.bulk_preview.reject()  # one preview at a time: the older one is cancelled
        dialog = BulkPreviewDialog(preview, question.replace("%1", f"{len(ids):,}"), confirm, self)
        self.bulk_preview = dialog
        dialog.accepted.connect(apply)
        dialog.finished.connect(lambda _result: self._bulk_preview_closed(dialog))
        dialog.open()

    def _bulk_preview_closed(self, dialog: BulkPreviewDialog) -> None:
        if self.bulk_preview is dialog:
            self.bulk_preview = None
        dialog.deleteLater()

    def delete_selected(self) -> None:
        ids = self.table.selected_ids()
        if not ids:
            return

        def apply() -> None:
            self._run(DeleteCommand(self.operations, ids))
            self._delete_message = tr("Deleted %1 document(s). Undo with Ctrl+Z.").replace("%1", str(len(ids)))
            self.statusBar().showMessage(self._delete_message, 8000)

        self._confirm_bulk(ids, tr("Delete %1 documents?"), tr("Delete"), apply, delete=True)

    def _ask_tags(self, add: bool) -> None:
        ids = self.table.selected_ids()
        if not ids:
            return
        dialog = self.tags_dialog(add, len(ids))
        ok = dialog.exec()
        names = [t.strip() for t in dialog.textValue().split(",") if t.strip()]
        dialog.deleteLater()
        if ok and names:
            self.tag_documents(ids, names, add=add)

    def tags_dialog(self, add: bool, count: int) -> QInputDialog:
        """Asks for tags, completing the one being typed from the library's tags like the detail pane."""
        dialog = QInputDialog(self)
        dialog.setWindowTitle(tr("Add tags") if add else tr("Remove tags"))
        dialog.setLabelText(tr("Tags for %1 document(s), separated by commas:").replace("%1", str(count)))
        dialog.setInputMode(QInputDialog.InputMode.TextInput)
        field = dialog.findChild(QLineEdit)
        if field is not None:
            completer = TagCompleter(QStringListModel(self.tag_names, dialog), field)
            completer.setCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
            field.setCompleter(completer)
        return dialog

    def tag_documents(self, ids: list[int], names: list[str], add: bool = True) -> None:
        def apply() -> None:
            self._run(TagCommand(self.operations, ids, names, add))

        tags = _quoted(names)
        if add:
            question, confirm = tr("Add %2 to %1 documents?").replace("%2", tags), tr("Add tags")
            self._confirm_bulk(ids, question, confirm, apply, add_tags=names)
        else:
            question, confirm = tr("Remove %2 from %1 documents?").replace("%2", tags), tr("Remove tags")
            self._confirm_bulk(ids, question, confirm, apply, remove_tags=names)

    def toggle_later(self) -> None:
        ids = self.table.selected_ids()
        if ids:  # decided when the edit runs: two presses while an edit waits cancel out
            self._run(LaterCommand(self.operations, ids, None))

    def move_in_queue(self, step: int) -> None:
        doc_id = self.table.current_id()
        if doc_id >= 0:
            self._move_in_queue([doc_id], lambda queue, _moving: queue.index(doc_id) + step)

    def move_selection_in_queue(self, top: bool) -> None:
        ids = self.table.selected_ids()
        if ids:
            self._move_in_queue(ids, lambda queue, moving: 0 if top else len(queue) - len(moving))

    def drop_in_queue(self, ids: list[int], before: int) -> None:
        """Dragged rows go before the document they were dropped on (or the next one not dragged)."""

        def place(queue: list[int], moving: list[int]) -> int:
            if before not in queue:
                return len(queue) - len(moving)
            after = [i for i in queue[queue.index(before) :] if i not in moving]
            rest = [i for i in queue if i not in moving]
            return rest.index(after[0]) if after else len(rest)

        self._move_in_queue(ids, place)

    def _move_in_queue(self, ids: list[int], place: Callable[[list[int], list[int]], int]) -> None:
        try:  # documents outside the queue stay out of it; no undo step that does nothing
            ids = [d.id for d in self.library.documents(ids, texts=False) if d.read_later]
        except DocManagerError as exc:
            self._library_error(exc)
            return
        if ids:
            self._run(QueueMoveCommand(self.operations, ids, place))

    def set_status(self, status: str) -> None:
        ids = self.table.selected_ids()
        if ids:
            shown = tr(STATUS_TEXT.get(status, status))
            self._confirm_bulk(
                ids,
                tr("Mark %1 documents “%2”?").replace("%2", shown),
                tr("Mark “%1”").replace("%1", shown),
                lambda: self._run(StatusCommand(self.operations, ids, status)),
                status=status,
            )

    def rename_tag(self, name: str) -> None:
        new, ok = QInputDialog.getText(
            self, tr("Rename tag"), tr("New name (an existing name merges the tags):"), text=name
        )
        if ok and new.strip() and new.strip() != name:
            # Undoable like any edit; earlier commands name tags, not ids, so their undo stays valid.
            self._run(RenameTagCommand(self.operations, name, new.strip()))

    def nest_tag(self, name: str, parent: str) -> None:
        """Put a tag (and the tags under it) under another tag, or at the top for ``parent`` "": a
        rename, undoable like one (a tag dragged onto another in the sidebar)."""
        leaf = name.rsplit("/", 1)[-1]
        new = f"{parent}/{leaf}" if parent else leaf
        if new.casefold() != name.casefold():
            self._run(RenameTagCommand(self.operations, name, new))

    def remove_tag_everywhere(self, name: str) -> None:
        ids = list(self.library.query_ids(ViewQuery(tags=(name,))))  # every document, not just this view's
        if ids:
            self.tag_documents(ids, [name], add=False)

    def open_on_site(self) -> None:
        """The document's page in the browser, or a search of the library's site for its title."""
        doc_id = self.table.current_id()
        if doc_id < 0:
            return
        doc = self.library.get(doc_id)
        try:
            address = page_address(doc.url, doc.title, self.library.last_url(), doc.id)
        except DocManagerError as exc:
            self.statusBar().showMessage(localized(str(exc)), 8000)
            return
        self.url_opener(QUrl(address))


def _quoted(names: Iterable[str]) -> str:
    """Tag names for a sentence: “a”, “b”."""
    return ", ".join(f"“{name}”" for name in names)
