"""Saved searches (smart lists): a named view, search, tag filter and order, kept in the library (table
``saved_searches``, schema 9) so that the window, the command line, exports and backups all have them.

A saved search keeps its query as versioned JSON text (``encode_query``): the search as the user typed
it, not as parsed, so that a later change of the search syntax reads an old one as the user meant it
then by parsing it again. What it shows is never stored: it is the query run again (a tag that no
longer exists simply finds nothing), counted through the indexes (``count_saved``).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass, field
from typing import Any

from docmanager.errors import InvalidInput, NotFoundError
from docmanager.library.changes import Changes
from docmanager.library.connection import _library_error
from docmanager.library.queries import Reading, Sort, View, ViewQuery
from docmanager.search import parse_query

QUERY_VERSION = 1  # of the JSON a saved search's query is kept as
NAME_MAX = 200


@dataclass(frozen=True, slots=True)
class SavedSearch:
    """A saved search: its name, the search text as typed, and the query the window runs for it."""

    name: str
    text: str = ""
    query: ViewQuery = field(default_factory=ViewQuery)
    id: int = 0  # its row (0: not stored yet)


def encode_query(text: str, query: ViewQuery) -> str:
    """The JSON text a saved search keeps: the search as typed, and the view, tags and order."""
    return json.dumps(
        {
            "version": QUERY_VERSION,
            "view": query.view.value,
            "search": text,
            "tags": list(query.tags),
            "tag_mode": query.tag_mode,
            "sort": query.sort.value,
            "descending": query.descending,
        },
        ensure_ascii=False,
        sort_keys=True,
    )


def decode_query(stored: str | dict[str, Any]) -> tuple[str, ViewQuery]:
    """(the search as typed, the query) from what ``encode_query`` wrote, of this version or an older
    one. A value it does not know (a view or sort a later version added) falls back to the default;
    InvalidInput for what is not a saved query at all."""
    try:
        data = json.loads(stored) if isinstance(stored, str) else stored
    except json.JSONDecodeError as exc:
        raise InvalidInput(f"a saved search's query is not JSON: {exc}") from None
    if not isinstance(data, dict) or not isinstance(data.get("version"), int):
        raise InvalidInput("a saved search's query must be an object with a version")
    text = data.get("search", "")
    tags = data.get("tags", [])
    if not isinstance(text, str) or not isinstance(tags, list) or not all(isinstance(t, str) for t in tags):
        raise InvalidInput("a saved search's query must have a text 'search' and a list of 'tags'")
    view = View(data["view"]) if data.get("view") in View._value2member_map_ else View.ALL
    sort = Sort(data["sort"]) if data.get("sort") in Sort._value2member_map_ else Sort.ADDED
    query = ViewQuery(
        view=view,
        tags=tuple(tags),
        tag_mode="any" if data.get("tag_mode") == "any" else "all",
        search=parse_query(text),
        sort=sort,
        descending=data.get("descending") is True,
    )
    return text, query


def _checked_name(name: str) -> str:
    name = " ".join(name.split())  # one line: a sidebar item and a command-line argument
    if not name:
        raise InvalidInput("a saved search needs a name")
    if len(name) > NAME_MAX:
        raise InvalidInput(f"a saved search's name is at most {NAME_MAX} characters")
    return name


class SavedSearches(Reading):
    """Saving, renaming, replacing and deleting saved searches; each edit returns its Changes, whose
    ``saved`` names the searches it touched and whose ``undo`` the edit's inverse takes."""

    def saved_searches(self) -> list[SavedSearch]:
        """Every saved search, by name (as the sidebar lists them)."""
        rows = self.conn.execute("SELECT id, name, query FROM saved_searches ORDER BY name COLLATE NOCASE, id")
        return [self._saved(row) for row in rows]

    def saved_search(self, name: str) -> SavedSearch:
        """The saved search of this name (case ignored); NotFoundError if there is none."""
        row = self.conn.execute(
            "SELECT id, name, query FROM saved_searches WHERE name = ? COLLATE NOCASE", (" ".join(name.split()),)
        ).fetchone()
        if row is None:
            raise NotFoundError(f"no saved search named {name!r}")
        return self._saved(row)

    @staticmethod
    def _saved(row: Any) -> SavedSearch:
        text, query = decode_query(row[2])
        return SavedSearch(row[1], text, query, int(row[0]))

    def _exists(self, name: str, *, other_than: int = 0) -> bool:
        return bool(
            self.conn.execute(
                "SELECT EXISTS (SELECT 1 FROM saved_searches WHERE name = ? COLLATE NOCASE AND id != ?)",
                (name, other_than),
            ).fetchone()[0]
        )

    def save_search(self, name: str, text: str, query: ViewQuery) -> Changes[SavedSearch]:
        """Save ``query`` (its search typed as ``text``) under a new name; undo: ``delete_saved_search``
        of ``changes.undo.name``."""
        name = _checked_name(name)
        with self._write():
            if self._exists(name):
                raise InvalidInput(f"a saved search named {name!r} already exists")
            cursor = self.conn.execute(
                "INSERT INTO saved_searches(name, query) VALUES (?, ?)", (name, encode_query(text, query))
            )
            saved = self.saved_search(name)
        assert saved.id == cursor.lastrowid
        return Changes(saved=frozenset({name})).with_undo(saved)

    def rename_saved_search(self, old: str, new: str) -> Changes[tuple[str, str]]:
        """Rename a saved search (another case of the same name is a rename too); undo: the names
        swapped, ``changes.undo`` is (new, old)."""
        new = _checked_name(new)
        with self._write():
            saved = self.saved_search(old)
            if self._exists(new, other_than=saved.id):
                raise InvalidInput(f"a saved search named {new!r} already exists")
            self.conn.execute("UPDATE saved_searches SET name = ? WHERE id = ?", (new, saved.id))
        return Changes(saved=frozenset({saved.name, new})).with_undo((new, saved.name))

    def replace_saved_search(self, name: str, text: str, query: ViewQuery) -> Changes[SavedSearch]:
        """Give a saved search another query; ``changes.undo`` is the search as it was (give it back to
        ``put_saved_search``)."""
        with self._write():
            before = self.saved_search(name)
            self.conn.execute(
                "UPDATE saved_searches SET query = ? WHERE id = ?", (encode_query(text, query), before.id)
            )
        return Changes(saved=frozenset({before.name})).with_undo(before)

    def delete_saved_search(self, name: str) -> Changes[SavedSearch]:
        """Delete a saved search; ``changes.undo`` is what ``put_saved_search`` puts back."""
        with self._write():
            saved = self.saved_search(name)
            self.conn.execute("DELETE FROM saved_searches WHERE id = ?", (saved.id,))
        return Changes(saved=frozenset({saved.name})).with_undo(saved)

    def put_saved_search(self, saved: SavedSearch) -> Changes[None]:
        """Store ``saved`` as it is (the inverse of a delete or a replace): under its id when that is
        free, replacing the query of a search of its name if there is one."""
        stored = encode_query(saved.text, saved.query)
        with self._write():
            try:
                current = self.saved_search(saved.name)
            except NotFoundError:
                taken = self.conn.execute("SELECT 1 FROM saved_searches WHERE id = ?", (saved.id,)).fetchone()
                self.conn.execute(
                    "INSERT INTO saved_searches(id, name, query) VALUES (?, ?, ?)",
                    (None if taken or not saved.id else saved.id, saved.name, stored),
                )
            else:
                self.conn.execute("UPDATE saved_searches SET query = ? WHERE id = ?", (stored, current.id))
        return Changes(saved=frozenset({saved.name}))

    def count_saved(self, query: ViewQuery) -> int:
        """How many documents a saved search shows, from the indexes as the search plan reads them
        (``matching_array``): milliseconds for a filter, a scan of the excerpts for a search that
        covers them (about a second at a million documents: the window counts on its worker)."""
        try:
            return int(self.matching_array(query).size)
        except sqlite3.OperationalError as exc:
            raise _library_error(self.path, exc) from exc
