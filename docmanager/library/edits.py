"""Editing documents: titles and where they end, notes, status, tags, the read-later queue, delete
and restore. Each edit returns a ``Changes``: what it changed (for the window to refresh exactly
that) with what its undo needs."""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from typing import Any

from docmanager.errors import InvalidInput, NotFoundError
from docmanager.identity import body_of, cut_after, excerpt_after, join_excerpts, title_ending
from docmanager.library.changes import NO_CHANGES, Changes, edited
from docmanager.library.queries import Reading, _like_prefix
from docmanager.library.records import _TAGS_TEXT_SQL, LISTING_COLUMNS, _in_chunks, unpack_raw
from docmanager.search import STATUSES


@dataclass(frozen=True, slots=True)
class TagChange:
    """The (document, tag) links an operation added or removed, so that it can be undone exactly."""

    links: tuple[tuple[int, str], ...]

    @property
    def doc_ids(self) -> tuple[int, ...]:
        return tuple(sorted({doc_id for doc_id, _ in self.links}))


def tag_name(name: str) -> str:
    """A tag's name as stored: runs of spaces made one, and a path (``存储 / 分布式``, a tag nested in
    another) without spaces around its slashes. A comma, which separates tags in a list, an empty
    name and an empty part of a path are refused."""
    parts = [" ".join(part.split()) for part in name.split("/")]
    name = "/".join(parts)
    if not name:
        raise InvalidInput("a tag name cannot be empty")
    if "," in name:
        raise InvalidInput("a tag name cannot contain a comma")
    if not all(parts):
        raise InvalidInput(f"a tag path cannot have an empty part ({name!r}): write it as 存储/分布式")
    return name


@dataclass(frozen=True, slots=True)
class TagRename:
    """What renaming a tag did, so that it can be undone exactly: the documents that had the old name,
    whether it was merged into an existing tag, and which of them got that tag from the merge."""

    old: str
    new: str
    doc_ids: tuple[int, ...]
    merged: bool
    added: tuple[int, ...]
    children: tuple[TagRename, ...] = ()  # the renames of the tags nested under it, in the order done
    tag: bool = True  # False: the old name was only a parent of tags (存储 of 存储/分布式), not a tag


@dataclass(frozen=True, slots=True)
class TitleState:
    """A document's title, excerpts and whether the user set the title: what a title correction
    changes, and what its undo puts back."""

    doc_id: int
    title: str
    excerpt: str
    title_edited: bool


@dataclass(frozen=True, slots=True)
class DeletedDocuments:
    """Everything needed to put deleted documents back as they were (ids included)."""

    rows: tuple[tuple[Any, ...], ...]
    columns: tuple[str, ...]
    tags: tuple[tuple[int, str], ...]
    listings: tuple[tuple[Any, ...], ...] = ()  # the documents' other listings (LISTING_COLUMNS)

    @property
    def doc_ids(self) -> tuple[int, ...]:
        return tuple(row[0] for row in self.rows)


@dataclass(frozen=True, slots=True)
class BulkPreview:
    """What an edit of many documents would change, computed before it runs (``Edits.preview_bulk``)."""

    count: int  # the documents it changes (the selection)
    titles: tuple[str, ...]  # the first few of their titles, in the selection's order
    tags: tuple[tuple[str, int, int], ...] = ()  # each tag whose count changes: (name, before, after)
    statuses: tuple[tuple[str, int, int], ...] = ()  # each status whose count changes: (status, before, after)


class Edits(Reading):
    """The library's edits, each one transaction."""

    def set_title(self, doc_id: int, title: str) -> Changes[TitleState]:
        """The user's title for a document; undo with set_title_states([changes.undo])."""
        title = title.strip()
        if not title:
            raise InvalidInput("a title cannot be empty")
        with self._write():
            self._require([doc_id])
            (before,) = self.title_states([doc_id])
            self._update_text(doc_id, "title", title)
            self.conn.execute("UPDATE documents SET title_edited = 1 WHERE id = ?", (doc_id,))
        return _title_changes([before], [replace(before, title=title, title_edited=True)]).with_undo(before)

    # --- where the title ends ---------------------------------------------------------------------

    def body(self, doc_id: int) -> str:
        """The document's first listing as read: its title and excerpt glued (NFKC-folded)."""
        row = self.conn.execute("SELECT raw_line FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        return body_of(unpack_raw(row[0]))

    def title_states(self, doc_ids: Sequence[int]) -> list[TitleState]:
        states: list[TitleState] = []
        for chunk, marks in _in_chunks(doc_ids):
            states += [
                TitleState(r[0], r[1], r[2], bool(r[3]))
                for r in self.conn.execute(
                    f"SELECT id, title, excerpt, title_edited FROM documents WHERE id IN ({marks})", chunk
                )
            ]
        return states

    def set_split(self, doc_id: int, cut: int) -> Changes[TitleState]:
        """The title ends ``cut`` characters into the body (a correction in one move): the title is what
        comes before, the excerpts follow, and the title is the user's from now on. The undo value is
        the state before (for set_title_states)."""
        body = self.body(doc_id)
        title = body[:cut].strip()
        if not title:
            raise InvalidInput("the title cannot be empty: move the cut to the right")
        with self._write():
            more = self.conn.execute("SELECT raw_line FROM listings WHERE doc_id = ? ORDER BY id", (doc_id,))
            bodies = [body, *(body_of(unpack_raw(r[0])) for r in more)]
            excerpt = join_excerpts([excerpt_after(b, title) for b in bodies])
            changes = self.set_title_states([TitleState(doc_id, title, excerpt, True)])
        return changes.with_undo(changes.undo[0])

    def set_title_states(self, states: Sequence[TitleState]) -> Changes[list[TitleState]]:
        """Put titles, excerpts and their ownership as given (an undo, or applying a re-split). The undo
        value is the states before, in the same order."""
        with self._write():
            ids = [s.doc_id for s in states]
            self._require(ids)
            now = {s.doc_id: s for s in self.title_states(ids)}
            before = [now[i] for i in ids]
            self._reindex(
                ids,
                lambda: self.conn.executemany(
                    "UPDATE documents SET title = ?, excerpt = ?, title_edited = ? WHERE id = ?",
                    [(s.title, s.excerpt, int(s.title_edited), s.doc_id) for s in states],
                ),
            )
        return _title_changes(before, states)

    def resplit_import(self, doc_id: int) -> list[TitleState]:
        """What the other documents of ``doc_id``'s import would become with its title (the user's
        correction) as evidence: the new states of those whose title would change.

        What one correction says of the others is where titles of that page end: a title ending in a
        site or author after a separator (`` - 云原生社区``), or in a word, makes every other body of the
        page that has the same ending early on end there too (identity.title_ending). Titles the user
        set are left alone. Apply with set_title_states; undo with title_states taken before."""
        row = self.conn.execute("SELECT import_id, title FROM documents WHERE id = ?", (doc_id,)).fetchone()
        if row is None:
            raise NotFoundError(f"no document with id {doc_id}")
        import_id, title = row
        ending = title_ending(title)
        if import_id is None or not ending:
            return []
        changed: list[TitleState] = []
        rows = self.conn.execute(
            "SELECT id, title, raw_line FROM documents WHERE import_id = ? AND id != ? AND title_edited = 0 "
            "AND title_exact = 0 ORDER BY source_line",
            (import_id, doc_id),
        ).fetchall()
        for other, old_title, raw in rows:
            body = body_of(unpack_raw(raw))
            new_title = cut_after(body, ending)
            if not new_title or new_title == old_title:
                continue
            more = self.conn.execute("SELECT raw_line FROM listings WHERE doc_id = ? ORDER BY id", (other,))
            bodies = [body, *(body_of(unpack_raw(r[0])) for r in more)]
            excerpt = join_excerpts([excerpt_after(b, new_title) for b in bodies])
            changed.append(TitleState(other, new_title, excerpt, False))
        return changed

    def set_notes(self, doc_id: int, notes: str) -> Changes[str]:
        """The document's notes; the undo value is the notes before."""
        with self._write():
            self._require([doc_id])
            before = str(self._column_values([doc_id], "notes")[doc_id])
            self._update_text(doc_id, "notes", notes)
        return edited([doc_id] if notes != before else [], "notes", undo=before)

    def _update_text(self, doc_id: int, column: str, value: str) -> None:
        with self._write():
            self._require([doc_id])
            self._reindex(
                [doc_id],
                lambda: self.conn.execute(f"UPDATE documents SET {column} = ? WHERE id = ?", (value, doc_id)),
            )

    def set_status(self, doc_ids: Sequence[int], status: str) -> Changes[dict[int, str]]:
        """Set the read status; the undo value is the previous status of each document it changed
        (for restore_status)."""
        if status not in STATUSES:
            raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
        with self._write():
            self._require(doc_ids)
            return self.restore_status(dict.fromkeys(doc_ids, status))

    def restore_status(self, statuses: dict[int, str]) -> Changes[dict[int, str]]:
        """Give documents these statuses (an undo); the undo value is what they had, where it differed.
        Documents no longer in the library are left out."""
        return self._restore_column("status", statuses)

    # --- reading time ---------------------------------------------------------------------------

    def set_reading_minutes(self, doc_ids: Sequence[int], minutes: int | None) -> Changes[dict[int, int | None]]:
        """The user's estimate of the minutes these documents take to read (None: from their pages);
        the undo value is what each had, where it differed (for restore_reading_minutes)."""
        if minutes is not None and minutes < 1:
            raise InvalidInput("a reading time must be at least one minute")
        with self._write():
            self._require(doc_ids)
            return self.restore_reading_minutes(dict.fromkeys(doc_ids, minutes))

    def restore_reading_minutes(self, minutes: dict[int, int | None]) -> Changes[dict[int, int | None]]:
        """Give documents these reading times (an undo); the undo value is what they had, where it differed."""
        return self._restore_column("reading_minutes", minutes)

    def later_reading(self) -> list[tuple[int, int | None, int | None]]:
        """The read-later queue in its order, as (id, pages, reading_minutes): what the reading budget
        adds up (docmanager.budget.QueueEstimate). Read through the queue's sort index."""
        return [
            (int(r[0]), r[1], r[2])
            for r in self.conn.execute(
                "SELECT id, pages, reading_minutes FROM documents WHERE later_position IS NOT NULL "
                "ORDER BY later_position, id"
            )
        ]

    # --- the preview of a bulk edit --------------------------------------------------------------

    def preview_bulk(
        self,
        doc_ids: Sequence[int],
        *,
        add_tags: Iterable[str] = (),
        remove_tags: Iterable[str] = (),
        status: str | None = None,
        delete: bool = False,
        titles: int = 5,
    ) -> BulkPreview:
        """What tagging, untagging, marking or deleting these documents would change, without changing
        anything: how many they are, the first ``titles`` titles, and the counts that move (each tag's
        and each status's, before and after). Answered from the indexes and the selection alone (one
        JSON array of its ids), never by reading the library document by document: a preview of
        10,000 of a million documents takes milliseconds."""
        ids = list(dict.fromkeys(doc_ids))
        chosen = json.dumps(ids)
        selected = "SELECT value FROM json_each(?)"
        one = self.conn.execute
        count = int(one(f"SELECT count(*) FROM documents WHERE id IN ({selected})", (chosen,)).fetchone()[0])
        shown = tuple(d.title for d in self.documents(ids[:titles], texts=False))
        tags: list[tuple[str, int, int]] = []
        seen: set[str] = set()
        for name, add in [*((n, True) for n in add_tags), *((n, False) for n in remove_tags)]:
            tag_id = self._tag_id(name, create=False)  # also refuses a name that cannot be a tag
            label = " ".join(name.split())
            if label.casefold() in seen or (tag_id is None and not add):
                continue
            seen.add(label.casefold())
            before = having = 0
            if tag_id is not None:
                label = one("SELECT name FROM tags WHERE id = ?", (tag_id,)).fetchone()[0]
                before = int(one("SELECT count(*) FROM document_tags WHERE tag_id = ?", (tag_id,)).fetchone()[0])
                having = int(
                    one(
                        f"SELECT count(*) FROM document_tags WHERE tag_id = ? AND doc_id IN ({selected})",
                        (tag_id, chosen),
                    ).fetchone()[0]
                )
            after = before + (count - having) if add else before - having
            if after != before:
                tags.append((label, before, after))
        if delete:
            losing = one(
                f"SELECT tag_id, count(*) FROM document_tags WHERE doc_id IN ({selected}) GROUP BY tag_id", (chosen,)
            ).fetchall()
            for tag_id, gone in losing:
                label, before = one(
                    "SELECT name, (SELECT count(*) FROM document_tags WHERE tag_id = tags.id) FROM tags WHERE id = ?",
                    (tag_id,),
                ).fetchone()
                tags.append((label, int(before), int(before) - int(gone)))
        statuses: list[tuple[str, int, int]] = []
        if status is not None or delete:
            if status is not None and status not in STATUSES:
                raise InvalidInput(f"status must be one of {', '.join(STATUSES)}")
            totals = dict(one("SELECT status, count(*) FROM documents GROUP BY status").fetchall())
            leaving = dict(
                one(f"SELECT status, count(*) FROM documents WHERE id IN ({selected}) GROUP BY status", (chosen,))
            )
            for name in STATUSES:
                before = int(totals.get(name, 0))
                after = before - int(leaving.get(name, 0)) + (count if name == status else 0)
                if after != before:
                    statuses.append((name, before, after))
        tags.sort(key=lambda t: t[0].casefold())
        return BulkPreview(count, shown, tuple(tags), tuple(statuses))

    # --- tags -----------------------------------------------------------------------------------

    def _tag_id(self, name: str, create: bool) -> int | None:
        name = tag_name(name)
        row = self.conn.execute("SELECT id FROM tags WHERE name = ? COLLATE NOCASE", (name,)).fetchone()
        if row:
            return int(row[0])
        if not create:
            return None
        return int(self.conn.execute("INSERT INTO tags(name) VALUES (?)", (name,)).lastrowid or 0)

    def _refresh_tags_text(self, doc_ids: Sequence[int]) -> None:
        """Keep the denormalised tags column (shown, sorted and searched) in step with the links."""

        def change() -> None:
            self._executemany_ids(_TAGS_TEXT_SQL, doc_ids)

        self._reindex(doc_ids, change)

    def add_tags(self, doc_ids: Sequence[int], names: Iterable[str]) -> Changes[TagChange]:
        """Tag documents; the undo value is the links that are new (existing ones are not touched)."""
        names = list(names)
        added: list[tuple[int, str]] = []
        with self._write():
            self._require(doc_ids)
            for name in names:
                tag_id = self._tag_id(name, create=True)
                tag_name = self.conn.execute("SELECT name FROM tags WHERE id = ?", (tag_id,)).fetchone()[0]
                have = {r[0] for r in self.conn.execute("SELECT doc_id FROM document_tags WHERE tag_id = ?", (tag_id,))}
                new = [i for i in doc_ids if i not in have]
                self.conn.executemany(
                    "INSERT INTO document_tags(doc_id, tag_id) VALUES (?, ?)", [(i, tag_id) for i in new]
                )
                added.extend((i, tag_name) for i in new)
            self._refresh_tags_text(sorted({i for i, _ in added}))
        return _tag_changes(TagChange(tuple(added)))

    def remove_tags(self, doc_ids: Sequence[int], names: Iterable[str]) -> Changes[TagChange]:
        """Untag documents; the undo value is the links that were there and are now gone."""
        removed: list[tuple[int, str]] = []
        with self._write():
            self._require(doc_ids)
            for name in names:
                tag_id = self._tag_id(name, create=False)
                if tag_id is None:
                    continue
                tag_name = self.conn.execute("SELECT name FROM tags WHERE id = ?", (tag_id,)).fetchone()[0]
                have = {r[0] for r in self.conn.execute("SELECT doc_id FROM document_tags WHERE tag_id = ?", (tag_id,))}
                gone = [i for i in doc_ids if i in have]
                self.conn.executemany(
                    "DELETE FROM document_tags WHERE doc_id = ? AND tag_id = ?", [(i, tag_id) for i in gone]
                )
                removed.extend((i, tag_name) for i in gone)
            self._refresh_tags_text(sorted({i for i, _ in removed}))
            self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM document_tags)")
        return _tag_changes(TagChange(tuple(removed)))

    def apply_tag_change(self, change: TagChange, *, add: bool) -> Changes[None]:
        """Re-apply or revert a TagChange (undo and redo)."""
        by_name: dict[str, list[int]] = {}
        for doc_id, name in change.links:
            by_name.setdefault(name, []).append(doc_id)
        changes = NO_CHANGES
        with self._write():
            for name, ids in by_name.items():
                changes |= (self.add_tags if add else self.remove_tags)(ids, [name])
        return changes

    def set_tags(self, doc_id: int, names: Iterable[str]) -> Changes[tuple[TagChange, TagChange]]:
        """Make a document's tags exactly these; the undo value is (the links added, those removed)."""
        wanted = {tag_name(n).casefold(): tag_name(n) for n in names if n.strip()}
        with self._write():
            current = self.get(doc_id).tags
            removed = self.remove_tags([doc_id], [t for t in current if t.casefold() not in wanted])
            have = {t.casefold() for t in current}
            added = self.add_tags([doc_id], [n for k, n in wanted.items() if k not in have])
        return (added | removed).with_undo((added.undo, removed.undo))

    def rename_tag(self, old: str, new: str) -> Changes[TagRename]:
        """Rename a tag and the tags nested under it (``存储`` to ``数据库`` makes ``存储/分布式``
        ``数据库/分布式``); a tag whose new name another tag already has is merged into it. The undo
        value is what it did, for undo_rename."""
        with self._write():
            old_id = self._tag_id(old, create=False)
            if old_id is None:
                old_name = tag_name(old)
            else:
                old_name = self.conn.execute("SELECT name FROM tags WHERE id = ?", (old_id,)).fetchone()[0]
            nested = self.conn.execute(
                "SELECT id, name FROM tags WHERE name LIKE ? ESCAPE '\\' ORDER BY name COLLATE NOCASE",
                (_like_prefix(old_name + "/"),),
            ).fetchall()
            if old_id is None and not nested:
                raise NotFoundError(f"no tag named {old!r}")
            new = tag_name(new)
            if new.casefold().startswith(old_name.casefold() + "/"):
                raise InvalidInput(f"the tag {old_name!r} cannot be moved under itself ({new!r})")
            if old_id is None:  # only a parent of tags: the tags under it are renamed
                old_name = nested[0][1][: len(old_name)]  # as its tags spell it
                rename = TagRename(old_name, new, (), False, (), tag=False)
            else:
                rename = self._rename_one(old_id, new)
            children = tuple(self._rename_one(tag_id, new + name[len(old_name) :]) for tag_id, name in nested)
        rename = replace(rename, children=children)
        renames = (rename, *children)
        doc_ids = sorted({i for r in renames for i in r.doc_ids})
        if all(r.old == r.new for r in renames):  # the same names: nothing changed
            return NO_CHANGES.with_undo(rename)
        return edited(doc_ids, "tags", tags=[name for r in renames for name in (r.old, r.new)], undo=rename)

    def _rename_one(self, old_id: int, new: str) -> TagRename:
        """Rename one tag (``new`` checked), or merge it into the tag that has that name."""
        target = self._tag_id(new, create=False)
        doc_ids = [r[0] for r in self.conn.execute("SELECT doc_id FROM document_tags WHERE tag_id = ?", (old_id,))]
        old_name = self.conn.execute("SELECT name FROM tags WHERE id = ?", (old_id,)).fetchone()[0]
        added: list[int] = []
        if target is None or target == old_id:
            self.conn.execute("UPDATE tags SET name = ? WHERE id = ?", (new, old_id))
        else:
            had = {r[0] for r in self.conn.execute("SELECT doc_id FROM document_tags WHERE tag_id = ?", (target,))}
            added = [i for i in doc_ids if i not in had]
            new = self.conn.execute("SELECT name FROM tags WHERE id = ?", (target,)).fetchone()[0]
            self.conn.execute(
                "INSERT OR IGNORE INTO document_tags(doc_id, tag_id) SELECT doc_id, ? FROM document_tags "
                "WHERE tag_id = ?",
                (target, old_id),
            )
            self.conn.execute("DELETE FROM document_tags WHERE tag_id = ?", (old_id,))
            self.conn.execute("DELETE FROM tags WHERE id = ?", (old_id,))
        self._refresh_tags_text(doc_ids)
        merged = not (target is None or target == old_id)
        return TagRename(old_name, new, tuple(doc_ids), merged, tuple(added))

    def undo_rename(self, rename: TagRename) -> Changes[None]:
        """Put a renamed or merged tag, and the tags nested under it, back as they were before ``rename``."""
        with self._write():
            for done in (*reversed(rename.children), rename):
                self._undo_one(done)
        renames = (rename, *rename.children)
        doc_ids = sorted({i for r in renames for i in r.doc_ids})
        return edited(doc_ids, "tags", tags=[name for r in renames for name in (r.old, r.new)])

    def _undo_one(self, rename: TagRename) -> None:
        if not rename.tag:
            return
        if not rename.merged:
            tag_id = self._tag_id(rename.new, create=False)
            if tag_id is None:
                raise NotFoundError(f"no tag named {rename.new!r}")
            self._rename_one(tag_id, rename.old)
            return
        old_id = self._tag_id(rename.old, create=True)
        self.conn.executemany(
            "INSERT OR IGNORE INTO document_tags(doc_id, tag_id) VALUES (?, ?)",
            [(doc_id, old_id) for doc_id in rename.doc_ids],
        )
        target = self._tag_id(rename.new, create=False)
        if target is not None:
            self.conn.executemany(
                "DELETE FROM document_tags WHERE doc_id = ? AND tag_id = ?",
                [(doc_id, target) for doc_id in rename.added],
            )
        self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM document_tags)")
        self._refresh_tags_text(list(rename.doc_ids))

    def merge_tags(self, sources: Iterable[str], target: str) -> Changes[tuple[TagRename, ...]]:
        """Rename each source tag to ``target``; the undo value is the renames, to undo last first."""
        changes = NO_CHANGES
        renames: list[TagRename] = []
        with self._write():
            for name in sources:
                renamed = self.rename_tag(name, target)
                changes |= renamed
                renames.append(renamed.undo)
        return changes.with_undo(tuple(renames))

    # --- read later -----------------------------------------------------------------------------

    def add_to_later(self, doc_ids: Sequence[int]) -> Changes[dict[int, int | None]]:
        """Append documents to the end of the queue. The undo value is the places before (for
        restore_later) of those that were not in it yet: each None, in the order they were added."""
        with self._write():
            self._require(doc_ids)
            current = self._column_values(doc_ids, "later_position")
            new = [i for i in dict.fromkeys(doc_ids) if current.get(i) is None]
            end = self.conn.execute("SELECT coalesce(max(later_position), 0) FROM documents").fetchone()[0]
            self.conn.executemany(
                "UPDATE documents SET later_position = ? WHERE id = ?", [(end + n + 1, i) for n, i in enumerate(new)]
            )
        before: dict[int, int | None] = dict.fromkeys(new)
        return edited(new, "later_position", undo=before)

    def remove_from_later(self, doc_ids: Sequence[int]) -> Changes[dict[int, int | None]]:
        """Take documents out of the queue; the undo value is the old places of those that were in it."""
        with self._write():
            self._require(doc_ids)
            return self.restore_later(dict.fromkeys(doc_ids))

    def restore_later(self, positions: dict[int, int | None]) -> Changes[dict[int, int | None]]:
        """Put documents at these places in the queue (None: out of it), as an undo does; the undo
        value is the places they had, where they differed. Documents no longer there are left out."""
        return self._restore_column("later_position", positions)

    def _restore_column[V](self, column: str, values: dict[int, V]) -> Changes[dict[int, V]]:
        """Set ``column`` of documents to these values; the undo value is what they had, where it
        differed (documents no longer in the library are left out)."""
        with self._write():
            now = self._column_values(list(values), column)
            before = {i: v for i, v in now.items() if v != values[i]}
            self.conn.executemany(f"UPDATE documents SET {column} = ? WHERE id = ?", [(values[i], i) for i in before])
        return edited(before, column, undo=before)

    def move_in_later(self, doc_id: int | Sequence[int], new_index: int) -> Changes[dict[int, int | None]]:
        """Move a queued document to ``new_index`` (0-based) in the queue; or several, kept together in
        their queue order, so that the first is at ``new_index`` of the queue without them (what a
        drag and drop of several rows does). Documents not in the queue are refused. The undo value
        is the old places of the documents whose place changed (for restore_later)."""
        moving = [doc_id] if isinstance(doc_id, int) else list(dict.fromkeys(doc_id))
        with self._write():
            queue = self.later_queue()
            if missing := set(moving) - set(queue):
                raise NotFoundError(f"document {min(missing)} is not in the read-later queue")
            block = [i for i in queue if i in set(moving)]
            queue = [i for i in queue if i not in set(moving)]
            at = max(0, min(new_index, len(queue)))
            queue[at:at] = block
            return self.restore_later({i: n + 1 for n, i in enumerate(queue)})

    # --- delete ---------------------------------------------------------------------------------

    def delete(self, doc_ids: Sequence[int]) -> Changes[DeletedDocuments]:
        """Delete documents; the undo value is a snapshot that restores them exactly."""
        columns = tuple(c.name for c in self.db.table("documents").columns)
        rows: list[tuple[Any, ...]] = []
        tags: list[tuple[int, str]] = []
        listings: list[tuple[Any, ...]] = []
        with self._write():
            self._require(doc_ids)
            for chunk, marks in _in_chunks(doc_ids):
                rows += self.conn.execute(f"SELECT {', '.join(columns)} FROM documents WHERE id IN ({marks})", chunk)
                tags += self.conn.execute(
                    "SELECT dt.doc_id, t.name FROM document_tags dt JOIN tags t ON t.id = dt.tag_id "
                    f"WHERE dt.doc_id IN ({marks})",
                    chunk,
                )
                listings += self.conn.execute(
                    f"SELECT {', '.join(LISTING_COLUMNS)} FROM listings WHERE doc_id IN ({marks})", chunk
                )
                self._fts(chunk, "delete")
                self.conn.execute(f"DELETE FROM document_tags WHERE doc_id IN ({marks})", chunk)
                self.conn.execute(f"DELETE FROM listings WHERE doc_id IN ({marks})", chunk)
                self.conn.execute(f"DELETE FROM documents WHERE id IN ({marks})", chunk)
            self.conn.execute("DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM document_tags)")
        deleted = DeletedDocuments(tuple(rows), columns, tuple(tags), tuple(listings))
        return Changes(removed=frozenset(deleted.doc_ids), tags=frozenset(n for _, n in tags), undo=deleted)

    def restore(self, deleted: DeletedDocuments) -> Changes[None]:
        """Put deleted documents back as they were (the undo of delete)."""
        with self._write():
            marks = ",".join("?" * len(deleted.columns))
            self.conn.executemany(f"INSERT INTO documents({', '.join(deleted.columns)}) VALUES ({marks})", deleted.rows)
            self.conn.executemany(
                f"INSERT INTO listings({', '.join(LISTING_COLUMNS)}) VALUES ({', '.join('?' * len(LISTING_COLUMNS))})",
                deleted.listings,
            )
            self._fts(list(deleted.doc_ids), "insert")
            by_name: dict[str, list[int]] = {}
            for doc_id, name in deleted.tags:
                by_name.setdefault(name, []).append(doc_id)
            for name, ids in by_name.items():
                self.add_tags(ids, [name])
        return Changes(added=frozenset(deleted.doc_ids), tags=frozenset(by_name))


def _tag_changes(change: TagChange) -> Changes[TagChange]:
    return edited(change.doc_ids, "tags", tags={name for _, name in change.links}, undo=change)


def _title_changes(before: Sequence[TitleState], after: Sequence[TitleState]) -> Changes[list[TitleState]]:
    """What putting ``after`` in the place of ``before`` (the same documents, in order) changed; the
    undo value is ``before``."""
    ids: set[int] = set()
    fields: set[str] = set()
    for old, new in zip(before, after, strict=True):
        differ = {
            name
            for name, same in (
                ("title", old.title == new.title),
                ("excerpt", old.excerpt == new.excerpt),
                ("title_edited", old.title_edited == new.title_edited),
            )
            if not same
        }
        if differ:
            ids.add(new.doc_id)
            fields |= differ
    return Changes(frozenset(ids), frozenset(fields), undo=list(before))
