"""What an edit changed: every edit of the library returns a ``Changes``, and the window refreshes from
it, exactly what it names (the rows of those documents; the sidebar's counts when tags, the queue or
a status changed; the order only when a field of the current sort or filter changed)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from docmanager.library.queries import Sort, View, ViewQuery

# The document fields (Document's attribute names) an edit or an import can change, and the sort each
# one moves. An import refreshes a listed document's price and estimated date (and adds documents).
FIELD_SORTS: dict[str, Sort] = {
    "title": Sort.TITLE,
    "tags": Sort.TAGS,
    "later_position": Sort.LATER,
    "status": Sort.STATUS,
    "price": Sort.PRICE,
    "published_estimate": Sort.DATE,
    "pages": Sort.PAGES,
    "size_bytes": Sort.SIZE,
    "added_at": Sort.ADDED,
}
# What the search's free-text terms read: the index (title, tags, notes) and the excerpt scan.
SEARCHED_FIELDS = frozenset({"title", "tags", "notes", "excerpt"})
# What the sidebar counts besides the documents themselves: the views by status and queue, and the tags.
COUNTED_FIELDS = frozenset({"status", "later_position"})
_VIEW_FIELDS = {
    View.LATER: "later_position",
    View.UNREAD: "status",
    View.READING: "status",
    View.READ: "status",
    View.RECENT: "added_at",
}


@dataclass(frozen=True, slots=True)
class Changes[U]:
    """What one edit changed, and what its undo needs.

    ``undo`` is the value the edit's inverse takes (the statuses before, the links added, the deleted
    rows…), or None for an edit that is itself an inverse. It rides along rather than being returned
    beside the Changes: an edit has one result, the undo command keeps ``undo`` and the window reads
    the rest, and the two cannot disagree about which edit they describe. It is left out of equality.
    """

    ids: frozenset[int] = frozenset()  # documents still in the library whose fields changed
    fields: frozenset[str] = frozenset()  # which of their fields (Document's attribute names)
    added: frozenset[int] = frozenset()  # documents that appeared (a restore of deleted ones)
    removed: frozenset[int] = frozenset()  # documents that are gone (a delete)
    tags: frozenset[str] = frozenset()  # tags whose count changed, or that appeared, vanished or were renamed
    saved: frozenset[str] = frozenset()  # saved searches added, renamed (both names), edited or deleted
    undo: U = field(default=None, compare=False, repr=False)  # type: ignore[assignment]

    @property
    def empty(self) -> bool:
        return not (self.ids or self.added or self.removed or self.tags or self.saved)

    @property
    def queue(self) -> bool:
        """Whether the read-later queue changed."""
        return "later_position" in self.fields

    @property
    def counts(self) -> bool:
        """Whether the sidebar's counts (documents per view, per tag, the tag names) may have changed."""
        return self.view_counts or bool(self.tags)

    @property
    def view_counts(self) -> bool:
        """Whether the views' counts (all, read later, by status) may have changed: a tag edit changes
        only the tags' counts, which are read without counting the views again."""
        return bool(self.added or self.removed or self.fields & COUNTED_FIELDS)

    @property
    def sorts(self) -> frozenset[Sort]:
        """The sort keys whose order the changed fields may have moved."""
        return frozenset(FIELD_SORTS[f] for f in self.fields if f in FIELD_SORTS)

    def moves(self, query: ViewQuery) -> bool:
        """Whether the documents ``query`` shows, or their order, may differ after these changes, so
        that it must run again. Removed documents only leave their rows: the rest keep their order."""
        if self.added:
            return True  # where new rows go depends on the order and the filters
        return query.sort in self.sorts or self._filtered(query)

    def matches(self, query: ViewQuery) -> bool:
        """Whether which documents ``query`` matches (so how many) may differ after these changes: a
        saved search is counted again only then."""
        return bool(self.added or self.removed) or self._filtered(query)

    def _filtered(self, query: ViewQuery) -> bool:
        """Whether a field ``query`` filters by changed, for a document or a tag it names."""
        fields = self.fields
        if _VIEW_FIELDS.get(query.view) in fields:
            return True
        search = query.search
        if (search.later is not None and "later_position" in fields) or (search.status and "status" in fields):
            return True
        if any(c.column in fields for c in search.comparisons):  # pages:>100, price:<5 (columns are fields)
            return True
        if "tags" in fields and (query.tags or search.tags or search.exact_tags):
            # A filter by a tag takes in the tags nested under it (存储 takes in 存储/分布式).
            wanted = {t.casefold() for t in (*query.tags, *search.tags, *search.exact_tags)}
            for tag in self.tags:
                parts = tag.casefold().split("/")
                if any("/".join(parts[:n]) in wanted for n in range(1, len(parts) + 1)):
                    return True
        return bool(search.terms and fields & SEARCHED_FIELDS)

    def __or__(self, other: Changes[Any]) -> Changes[None]:
        """Both changes, as one (without an undo value: give it with ``with_undo``)."""
        removed = (self.removed | other.removed) - other.added
        return Changes(
            (self.ids | other.ids) - removed,
            self.fields | other.fields,
            (self.added | other.added) - other.removed,
            removed,
            self.tags | other.tags,
            self.saved | other.saved,
        )

    def with_undo[V](self, undo: V) -> Changes[V]:
        return Changes(self.ids, self.fields, self.added, self.removed, self.tags, self.saved, undo)


def edited[V](ids: Iterable[int], *fields: str, tags: Iterable[str] = (), undo: V = None) -> Changes[V]:  # type: ignore[assignment]
    """These documents' ``fields`` changed (nothing did if no document did)."""
    changed = frozenset(ids)
    return Changes(changed, frozenset(fields) if changed else frozenset(), tags=frozenset(tags), undo=undo)


NO_CHANGES: Changes[None] = Changes()
