"""The reading budget (docmanager.budget over Library.later_reading) and the preview of a bulk edit
(Library.preview_bulk)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from docmanager.budget import QueueEstimate, duration_text, estimate_minutes
from docmanager.errors import InvalidInput
from docmanager.library import Library
from docmanager.library.transfer import export_json, load_export


def test_an_estimate_is_pages_times_speed_unless_the_user_gave_one() -> None:
    assert estimate_minutes(23, None, 2.0) == 46
    assert estimate_minutes(23, None, 1.5) == 34.5
    assert estimate_minutes(23, 10, 2.0) == 10  # the user's own estimate wins
    assert estimate_minutes(None, 15, 2.0) == 15  # and stands in for unknown pages
    assert estimate_minutes(None, None, 2.0) is None  # unknown pages, no estimate: none


def test_what_fits_counts_from_the_top_of_the_queue() -> None:
    queue = QueueEstimate.of([(7, 10, None), (3, None, None), (5, 20, None), (9, None, 5), (1, 2, None)], 2.0)
    assert queue.minutes == (20, None, 40, 5, 4)
    assert queue.total == 69
    assert queue.unknown == 1
    assert queue.fitting(19) == []
    assert queue.fitting(20) == [7]  # the estimate may use up the whole budget
    assert queue.fitting(59) == [7]  # 20 + 40 > 59: the queue's order is kept, nothing is skipped ahead
    assert queue.fitting(60) == [7, 5]  # the document of unknown pages never fits, nor spends
    assert queue.fitting(65) == [7, 5, 9]
    assert queue.fitting(1000) == [7, 5, 9, 1]


def test_durations_read_as_hours_and_minutes() -> None:
    assert duration_text(45) == "45 min"
    assert duration_text(120) == "2 h"
    assert duration_text(380.4) == "6 h 20 min"


def test_the_queue_estimate_follows_the_library(imported: Library) -> None:
    imported.add_to_later([3, 1, 2])
    pages = {d.id: d.pages for d in imported.documents([1, 2, 3])}
    imported.set_reading_minutes([1], 7)
    rows = imported.later_reading()
    assert rows == [(3, pages[3], None), (1, pages[1], 7), (2, pages[2], None)]
    queue = QueueEstimate.of(rows, 2.0)
    assert queue.minutes[1] == 7
    assert queue.fitting((pages[3] or 0) * 2 + 7) == [3, 1]


def test_a_reading_time_is_at_least_a_minute(imported: Library) -> None:
    with pytest.raises(InvalidInput):
        imported.set_reading_minutes([1], 0)
    assert imported.get(1).reading_minutes is None


def test_the_reading_time_is_exported_and_loaded(imported: Library, tmp_path: Path) -> None:
    imported.set_reading_minutes([4], 33)
    out = io.StringIO()
    export_json(imported, out)
    documents = json.loads(out.getvalue())["documents"]
    assert {d["id"]: d["reading_minutes"] for d in documents if d["reading_minutes"] is not None} == {4: 33}
    path = tmp_path / "export.json"
    path.write_text(out.getvalue(), encoding="utf-8")
    with Library(tmp_path / "loaded.sqlite") as loaded:
        load_export(loaded, path)
        assert [d.reading_minutes for d in loaded.documents([4, 5])] == [33, None]
    # An export made before the field (schema 8) loads with no reading times.
    for d in documents:
        del d["reading_minutes"]
    path.write_text(json.dumps({"docmanager_export": 1, "documents": documents, "imports": []}), encoding="utf-8")
    with Library(tmp_path / "old.sqlite") as old:
        load_export(old, path)
        assert old.get(4).reading_minutes is None


def test_a_preview_of_tagging_says_each_tags_new_count(imported: Library) -> None:
    imported.add_tags([1, 2, 3], ["Curve"])
    imported.add_tags([9], ["other"])
    before = {d.id: d.tags for d in imported.documents(range(1, 11))}
    preview = imported.preview_bulk([2, 3, 4, 5], add_tags=["curve", "新标签", "Curve"])
    assert preview.count == 4
    assert preview.titles == tuple(imported.get(i).title for i in (2, 3, 4, 5))
    assert preview.tags == (("Curve", 3, 5), ("新标签", 0, 4))  # the tag as stored, once; a new one from 0
    assert imported.preview_bulk(list(range(1, 11)), titles=2).titles == (imported.get(1).title, imported.get(2).title)
    assert imported.preview_bulk([1, 2, 5], remove_tags=["Curve", "absent"]).tags == (("Curve", 3, 1),)
    # Nothing changed.
    assert {d.id: d.tags for d in imported.documents(range(1, 11))} == before
    assert "新标签" not in imported.tag_names()


def test_a_preview_of_a_status_or_a_delete_says_the_counts(imported: Library) -> None:
    imported.set_status([1, 2], "read")
    imported.add_tags([1, 2, 3], ["Curve"])
    assert imported.preview_bulk([2, 3, 4], status="read").statuses == (("unread", 8, 6), ("read", 2, 4))
    deleting = imported.preview_bulk([2, 3, 4], delete=True)
    assert deleting.count == 3
    assert deleting.tags == (("Curve", 3, 1),)
    assert deleting.statuses == (("unread", 8, 6), ("read", 2, 1))
    assert imported.count() == 10
    assert imported.preview_bulk([1, 2], status="read").statuses == ()
