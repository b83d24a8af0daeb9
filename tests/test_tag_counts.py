"""Each tag's count of documents is kept by triggers on its links (schema 8), so the sidebar reads
10,000 tags' counts without counting a million links: after any sequence of edits it must equal a
count of the links, and a library from before gets its counts when it migrates."""

from __future__ import annotations

import contextlib
import random
from pathlib import Path

from helpers import CAPTURED_AT, SAMPLE

from docmanager.errors import NotFoundError
from docmanager.importer import import_file
from docmanager.library import Library, ViewQuery
from docmanager.library.transfer import export_to_file, load_export

NAMES = ["存储", "存储/分布式", "存储/分布式/HDFS", "数据库", "Raft", "raft", "网络", "网络/TCP"]


def _counted(lib: Library) -> list[tuple[str, int]]:
    rows = lib.conn.execute(
        "SELECT t.name, count(dt.doc_id) FROM tags t LEFT JOIN document_tags dt ON dt.tag_id = t.id "
        "GROUP BY t.id ORDER BY t.name COLLATE NOCASE"
    )
    return [(name, int(n)) for name, n in rows]


def test_the_kept_counts_equal_the_links_after_every_kind_of_edit(tmp_path: Path) -> None:
    rng = random.Random(4)
    with Library(tmp_path / "lib.sqlite") as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        undo: list[object] = []
        for step in range(120):
            present = list(lib.query_ids(ViewQuery()))
            ids = rng.sample(present, min(len(present), rng.randint(1, 6)))
            kind = rng.choice(["add", "add", "remove", "set", "rename", "merge", "delete", "undo"])
            names = {name.casefold(): name for name, _ in lib.tag_counts()}
            if kind == "add":
                lib.add_tags(ids, rng.sample(NAMES, 2))
            elif kind == "remove" and names:
                lib.remove_tags(ids, rng.sample(list(names.values()), 1))
            elif kind == "set":
                lib.set_tags(ids[0], rng.sample(NAMES, rng.randint(0, 3)))
            elif kind in {"rename", "merge"} and names:
                old = rng.choice(list(names.values()))
                new = rng.choice(NAMES) if kind == "merge" else f"新{step}"
                if not new.casefold().startswith(old.casefold() + "/"):
                    undo.append(lib.rename_tag(old, new).undo)
            elif kind == "delete" and len(present) > 3:
                undo.append(lib.delete(ids[:2]).undo)
            elif kind == "undo" and undo:
                done = undo.pop()
                # Edits made since may leave nothing to undo (the window's undo stack holds them
                # all, so there they are undone first): the failed undo is rolled back whole.
                with contextlib.suppress(NotFoundError):
                    if hasattr(done, "children"):
                        lib.undo_rename(done)  # type: ignore[arg-type]
                    else:
                        lib.restore(done)  # type: ignore[arg-type]
            assert lib.tag_counts() == _counted(lib), (step, kind)
        exported = tmp_path / "library.json"
        export_to_file(lib, exported, "json")
        expected = lib.tag_counts()
    with Library(tmp_path / "loaded.sqlite") as loaded:
        load_export(loaded, exported)
        assert loaded.tag_counts() == _counted(loaded) == expected


def test_a_library_of_version_7_gets_its_counts(tmp_path: Path) -> None:
    class Version7(Library):
        MIGRATIONS = Library.MIGRATIONS[:7]

    path = tmp_path / "lib.sqlite"
    with Version7(path, auto_backup=False) as old:
        import_file(old, SAMPLE, captured_at=CAPTURED_AT)
        old.add_tags([1, 2, 3], ["存储"])
        old.add_tags([2], ["存储/分布式", "数据库"])
    with Library(path) as lib:
        assert lib.tag_counts() == _counted(lib) == [("存储", 3), ("存储/分布式", 1), ("数据库", 1)]
        lib.add_tags([4], ["存储"])
        assert dict(lib.tag_counts())["存储"] == 4
