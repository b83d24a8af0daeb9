"""Export to JSON and CSV, and loading a JSON export back: exact round trips, all-or-nothing loads."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest
from helpers import CAPTURED_AT, SAMPLE, dump

from docmanager.cli import main
from docmanager.errors import DocManagerError
from docmanager.importer import import_file
from docmanager.library import Library, ViewQuery
from docmanager.library.transfer import ExportFileError, export_csv, export_json, load_export, read_export
from docmanager.search import parse_query


@pytest.fixture
def edited(tmp_path: Path) -> Library:
    lib = Library(tmp_path / "lib.sqlite", auto_backup=False)
    import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
    lib.add_tags([1, 2, 3], ["分布式存储"])
    lib.add_tags([2, 9], ["Rust", "later-reading"])
    lib.set_notes(2, '第二章很好\nsecond line, with "quotes"')
    lib.set_status([1, 2], "read")
    lib.set_status([9], "reading")
    lib.add_to_later([9, 3, 2])
    lib.move_in_later(2, 0)
    lib.set_title(5, "CurveFS 方案设计（改过的标题）")
    lib.delete([7])
    yield lib  # type: ignore[misc]
    lib.close()


def _export(lib: Library) -> dict[str, Any]:
    out = io.StringIO()
    export_json(lib, out)
    data = json.loads(out.getvalue())
    assert isinstance(data, dict)
    return data


def _write(path: Path, data: dict[str, Any]) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def test_json_round_trip_is_exact(edited: Library, tmp_path: Path) -> None:
    first = _export(edited)
    assert first["docmanager_export"] == 1 and "exported_at" in first
    assert len(first["documents"]) == 9 and len(first["imports"]) == 1
    doc = next(d for d in first["documents"] if d["id"] == 2)
    assert doc["tags"] == ["later-reading", "Rust", "分布式存储"] and doc["status"] == "read"
    assert doc["identity"] and doc["raw_line"] and doc["source_line"] == 2
    with Library(tmp_path / "fresh.sqlite", auto_backup=False) as fresh:
        result = load_export(fresh, _write(tmp_path / "export.json", first))
        assert (result.new, result.updated, result.unchanged, result.imports) == (9, 0, 0, 1)
        second = _export(fresh)
        assert fresh.later_queue() == edited.later_queue() == [2, 9, 3]
        assert fresh.tag_counts() == edited.tag_counts()
        assert fresh.integrity_check() == "ok"
        found = [d.id for d in fresh.query(ViewQuery(search=parse_query("分布式")))]
        assert found == [d.id for d in edited.query(ViewQuery(search=parse_query("分布式")))] != []
    assert second["documents"] == first["documents"]
    assert second["imports"] == first["imports"]


def test_loading_into_the_same_library_restores_user_fields(edited: Library, tmp_path: Path) -> None:
    export = _write(tmp_path / "export.json", _export(edited))
    wanted = _export(edited)["documents"]
    edited.set_notes(2, "overwritten")
    edited.set_tags(1, ["other"])
    edited.remove_from_later([9])
    result = load_export(edited, export)
    assert (result.new, result.updated, result.unchanged, result.imports) == (0, 3, 6, 0)

    def fields(docs: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{k: v for k, v in d.items() if k != "later_position"} for d in docs]

    assert fields(_export(edited)["documents"]) == fields(wanted)
    assert edited.later_queue() == [2, 3, 9]  # back in the queue, at its end


def test_loading_into_another_library_adds_with_new_ids(edited: Library, tmp_path: Path) -> None:
    export = _write(tmp_path / "export.json", _export(edited))
    with Library(tmp_path / "other.sqlite", auto_backup=False) as other:
        import_file(other, SAMPLE, captured_at=CAPTURED_AT)  # the same ten documents, unedited
        other.delete([1, 2, 3, 4, 5, 6, 8, 9, 10])
        other.add_to_later([7])
        result = load_export(other, export)
        assert (result.new, result.updated, result.unchanged) == (9, 0, 0)
        assert other.count() == 10
        assert other.later_queue()[0] == 7  # the queue here first, then the export's in its order
        titles = {d.id: d.title for d in other.query(ViewQuery())}
        assert [titles[i] for i in other.later_queue()[1:]] == [edited.get(i).title for i in edited.later_queue()]


def test_csv_export(edited: Library) -> None:
    out = io.StringIO()
    assert export_csv(edited, out) == 9
    rows = list(csv.DictReader(io.StringIO(out.getvalue(), newline="")))
    assert len(rows) == 9
    by_id = {int(r["id"]): r for r in rows}
    assert by_id[5]["title"] == "CurveFS 方案设计（改过的标题）"
    assert by_id[2]["tags"] == "later-reading, Rust, 分布式存储"
    assert by_id[2]["notes"] == '第二章很好\nsecond line, with "quotes"'
    assert by_id[9]["read_later"] == "yes" and by_id[1]["read_later"] == ""


def _cut(text: str) -> str:
    return text[: len(text) // 2]


@pytest.mark.parametrize(
    ("change", "reason"),
    [
        (_cut, "cut-short JSON"),
        (lambda t: "", "cut-short JSON"),
        (lambda t: "[1, 2, 3]", "not a DocManager export"),
        (lambda t: t.replace('"docmanager_export": 1', '"docmanager_export": 9'), "export version 9"),
        (lambda t: t.replace('"identity": ', '"identiti": ', 1), "has no 'identity'"),
        (lambda t: t.replace('"pages": ', '"pages": "many", "x": ', 1), "'pages' must be a whole number"),
        (lambda t: t.replace('"status": "read"', '"status": "burnt"', 1), "status must be one of"),
    ],
    ids=["truncated", "empty", "not-an-export", "newer", "missing-field", "wrong-type", "bad-status"],
)
def test_a_bad_file_is_refused_and_changes_nothing(edited: Library, tmp_path: Path, change: Any, reason: str) -> None:
    out = io.StringIO()
    export_json(edited, out)
    bad = tmp_path / "bad.json"
    bad.write_text(change(out.getvalue()), encoding="utf-8")
    with Library(tmp_path / "target.sqlite", auto_backup=False) as target:
        import_file(target, SAMPLE, captured_at=CAPTURED_AT)
        before = dump(target.conn)
        with pytest.raises(ExportFileError) as caught:
            load_export(target, bad)
        message = str(caught.value)
        assert reason in message and str(bad) in message and len(message.splitlines()) == 1
        assert dump(target.conn) == before


def test_cli_export_and_load(edited: Library, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib = str(edited.path)
    assert main(["export", "--library", lib]) == 0
    streamed = json.loads(capsys.readouterr().out)
    out = tmp_path / "all.json"
    assert main(["export", "--output", str(out), "--library", lib]) == 0
    assert capsys.readouterr().out == f"exported 9 documents to {out}\n"
    assert json.loads(out.read_text(encoding="utf-8"))["documents"] == streamed["documents"]
    assert main(["export", "--format", "csv", "--output", str(out), "--library", lib]) == 1
    assert "--force" in capsys.readouterr().err
    assert main(["export", "--format", "csv", "--output", str(out), "--force", "--library", lib]) == 0
    assert out.read_text(encoding="utf-8").startswith("id,title,")
    capsys.readouterr()
    json_file = _write(tmp_path / "all-again.json", streamed)
    fresh = tmp_path / "fresh.sqlite"
    assert main(["load", str(json_file), "--library", str(fresh)]) == 0
    assert capsys.readouterr().out == f"{json_file}: 9 new, 0 updated, 0 unchanged; 1 import record(s) added\n"
    json_file.write_text(json_file.read_text(encoding="utf-8")[:500], encoding="utf-8")
    assert main(["load", str(json_file), "--library", str(fresh)]) == 1
    err = capsys.readouterr().err
    assert err.startswith(f"docmanager: {json_file}: not loaded") and len(err.splitlines()) == 1


def test_ratings_and_unknown_fields_export_and_load(edited: Library, tmp_path: Path) -> None:
    """Schema 4: the rating is a number in JSON and CSV; pages, age and date may be null; an export
    made before (its key was trailing_number) still loads, its numbers as ratings."""
    edited.conn.execute(
        "UPDATE documents SET rating = 4.5, pages = NULL, age_text = NULL, published_estimate = NULL WHERE id = 3"
    )
    data = _export(edited)
    doc = next(d for d in data["documents"] if d["id"] == 3)
    assert (doc["rating"], doc["pages"], doc["age_text"], doc["published_estimate"]) == (4.5, None, None, None)
    assert {d["rating"] for d in data["documents"]} == {3.0, 4.5}
    out = io.StringIO()
    export_csv(edited, out)
    rows = list(csv.DictReader(io.StringIO(out.getvalue())))
    row = next(r for r in rows if r["id"] == "3")
    assert (row["rating"], row["pages"], row["age_text"]) == ("4.5", "", "")
    old = json.loads(json.dumps(data))
    for d in old["documents"]:
        d["trailing_number"] = 4 if d["id"] == 3 else 3
        del d["rating"]
    with Library(tmp_path / "fresh.sqlite", auto_backup=False) as fresh:
        load_export(fresh, _write(tmp_path / "old.json", old))
        assert {d.id: d.rating for d in fresh.query(ViewQuery())}[3] == 4.0
        assert fresh.get(3).pages is None and fresh.get(3).published_estimate is None
        assert all(isinstance(d.rating, float) for d in fresh.query(ViewQuery()))
    bad = json.loads(json.dumps(data))
    bad["documents"][0]["rating"] = "4.5"
    with pytest.raises(ExportFileError, match="'rating' must be a number or null"):
        read_export(_write(tmp_path / "bad.json", bad))


def test_an_export_into_a_folder_that_is_a_file_is_refused_with_its_reason(tmp_path: Path) -> None:
    from docmanager.library import Library
    from docmanager.library.transfer import export_to_file

    not_a_folder = tmp_path / "file"
    not_a_folder.write_text("x")
    lib = Library(tmp_path / "lib.sqlite")
    try:
        with pytest.raises(DocManagerError, match="cannot write the export"):
            export_to_file(lib, not_a_folder / "out.json", "json")
    finally:
        lib.close()
