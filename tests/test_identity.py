"""One row per document: the same document listed by another search (another excerpt) is one row,
with the right title whichever page is imported first, every excerpt kept, and the user's data safe."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from helpers import CAPTURED_AT, SAMPLE
from hypothesis import given, settings
from hypothesis import strategies as st

from docmanager.identity import keyed, match_key, same_by_titles, same_document, same_keys
from docmanager.importer import import_file
from docmanager.library import Document, Library, Sort, ViewQuery, schema
from docmanager.search import parse_query

RAFT = "Raft在Curve存储中的工程实践"
# Another search's page: the Raft talk again, found by a keyword inside it (another passage), a
# document of the same size and pages that is another document, and one not in the sample at all.
OTHER_PAGE = "\n".join(
    [
        f"{RAFT}Leader选举 在 Raft 中,节点有三种状态:Follower、Candidate 和 Leader。选举超时后"
        "Follower 转为 Candidate 并发起投票,获得多数票者成为 Leader。日志复制保证各节点状态一致。"
        "0 码力 | 29 页 | 2.20 MB | 5 月前4.5",
        "Curve快照系统设计与实现快照是某一时刻卷数据的只读副本,Curve 的快照以 chunk 为粒度转储到 S3。"
        "0 码力 | 29 页 | 2.20 MB | 5 月前3",
        "分布式存储入门指南第一章 分布式存储的基本概念 数据分片 副本 一致性 可用性 分区容忍"
        "0 码力 | 88 页 | 3.10 MB | 2 月前3",
        "共 3 条",
    ]
)


@pytest.fixture
def other_page(tmp_path: Path) -> Path:
    path = tmp_path / "another search.txt"
    path.write_text(OTHER_PAGE + "\n", encoding="utf-8")
    return path


def _raft(lib: Library) -> list[Document]:
    return [d for d in lib.query(ViewQuery()) if d.pages == 29 and d.size_text == "2.20 MB" and "Raft" in d.title]


@pytest.mark.parametrize("sample_first", [True, False], ids=["sample first", "other page first"])
def test_another_search_listing_one_document_is_one_row(
    tmp_path: Path, other_page: Path, sample_first: bool
) -> None:
    with Library(tmp_path / "lib.sqlite") as lib:
        pages = [SAMPLE, other_page] if sample_first else [other_page, SAMPLE]
        results = [import_file(lib, p, captured_at=CAPTURED_AT) for p in pages]
        assert all(r.ok for r in results)
        assert lib.count() == 12  # 10 + the snapshot talk + the guide; the Raft talk once
        (raft,) = _raft(lib)
        assert raft.title == RAFT
        assert len(raft.excerpts) == 2
        assert any(e.startswith("raft和braft") for e in raft.excerpts)
        assert any(e.startswith("Leader选举") for e in raft.excerpts)
        assert results[1].updated >= 1 and results[1].new == (2 if sample_first else 9)
        # Each excerpt is searchable, and the raw lines of both listings are kept.
        assert raft.id in {d.id for d in lib.query(ViewQuery(search=parse_query("日志复制")))}
        assert raft.id in {d.id for d in lib.query(ViewQuery(search=parse_query("braft")))}
        saved = {s.document.id: s for s in lib.saved_documents()}[raft.id]
        raws = [saved.document.raw_line, *(x.raw_line for x in saved.listings)]
        assert any("Leader选举" in r for r in raws) and any("raft和braft" in r for r in raws)
        # The same-size document with another title stayed its own row.
        assert [d.id for d in lib.query(ViewQuery(search=parse_query("快照系统设计"))) if d.pages == 29] != [raft.id]
        assert len([d for d in lib.query(ViewQuery()) if d.pages == 29]) == 2


def test_importing_either_page_again_changes_nothing(tmp_path: Path, other_page: Path) -> None:
    with Library(tmp_path / "lib.sqlite") as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        import_file(lib, other_page, captured_at=CAPTURED_AT)
        again = [import_file(lib, p, captured_at=CAPTURED_AT) for p in (SAMPLE, other_page)]
        # The Raft talk's listing fields (age, rating) follow the page imported last: updated, not added.
        assert [(r.new, r.updated) for r in again] == [(0, 1), (0, 1)]
        assert lib.count() == 12
        (raft,) = _raft(lib)
        assert len(raft.excerpts) == 2
        assert lib.conn.execute("SELECT count(*) FROM listings").fetchone()[0] == 1


def test_user_data_and_edited_titles_survive_another_listing(tmp_path: Path, other_page: Path) -> None:
    with Library(tmp_path / "lib.sqlite") as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        (raft,) = _raft(lib)
        lib.set_title(raft.id, "我的 Raft 笔记")
        lib.add_tags([raft.id], ["共识"])
        lib.set_notes(raft.id, "重读第三节")
        lib.set_status([raft.id], "reading")
        lib.add_to_later([raft.id])
        import_file(lib, other_page, captured_at=CAPTURED_AT)
        after = lib.get(raft.id)
        assert (after.title, after.title_edited, after.tags, after.notes, after.status, after.read_later) == (
            "我的 Raft 笔记",
            True,
            ("共识",),
            "重读第三节",
            "reading",
            True,
        )
        assert after.rating == 4.5 and after.age_text == "5 月前"  # the listing fields are the newest
        assert len(after.excerpts) == 2


def test_compatibility_characters_are_folded_for_display_and_search(tmp_path: Path) -> None:
    """并⾏ holds the Kangxi radical ⾏ (U+2F8F): shown and found as 并行; the raw line stays as read."""
    line = "Go语言并⾏编程实战第⼀章 并⾏与并发的区别 goroutine 调度0 码力 | 12 页 | 1.00 MB | 1 月前3\n"
    path = tmp_path / "kangxi.txt"
    path.write_text(line, encoding="utf-8")
    with Library(tmp_path / "lib.sqlite") as lib:
        import_file(lib, path, captured_at=CAPTURED_AT)
        (doc,) = lib.query(ViewQuery())
        assert "⾏" not in doc.title + doc.excerpt and "并行" in doc.title + doc.excerpt
        assert "⾏" in doc.raw_line
        assert [d.id for d in lib.query(ViewQuery(search=parse_query("并行")))] == [doc.id]


@pytest.mark.parametrize(
    ("a", "title_a", "b", "title_b", "same"),
    [
        # The common start covers the title found for one of them, even if the other split is wrong.
        (f"{RAFT}raft和braft", RAFT, f"{RAFT}Leader选举", f"{RAFT}Leader", True),
        ("深入浅出Kafka消息队列设计深入浅出Kafka", "深入浅出Kafka消息队列设计深入浅出", "深入浅出Kafka消息队列设计 目录", "深入浅出Kafka消息队列设计", True),  # noqa: E501
        # Spacing, width and case differ between two listings of one text.
        ("TiDB v8.5 中文手册 目录", "TiDB v8.5 中文手册", "ＴｉＤＢ v8.5中文手册· · ·", "ＴｉＤＢ v8.5中文手册", True),
        # Titles that part before either title ends are two documents.
        ("Curve核心组件之mds – 网易数帆h的pg", "Curve核心组件之mds – 网易数帆", "Curve核心组件之Client - 网易数帆IO", "Curve核心组件之Client - 网易数帆", False),  # noqa: E501
        # A title the user typed is no evidence; the other one still is.
        (f"{RAFT}raft和braft", None, f"{RAFT}Leader选举", RAFT, True),
        ("ab正文", "ab", "ab另一正文", "ab", False),  # too short a title to say anything
    ],
)  # fmt: skip
def test_same_document_rule(a: str, title_a: str | None, b: str, title_b: str | None, same: bool) -> None:
    assert same_document(a, title_a, b, title_b) is same
    assert same_document(b, title_b, a, title_a) is same


# Titles that share starts, with full-width forms, case and spacing that the keys fold away.
_TITLE = st.text(alphabet=st.sampled_from("Raft在Curve存储 ＲＡＦＴ raft中的实践 \u3000Ａ"), max_size=12)
_EXCERPT = st.text(alphabet=st.sampled_from("Raft存储正文 ，的ａ"), max_size=12)


@settings(max_examples=1000, deadline=None)
@given(_TITLE, _EXCERPT, _TITLE, _EXCERPT)
def test_titles_alone_decide_as_the_bodies_do(title_a: str, excerpt_a: str, title_b: str, excerpt_b: str) -> None:
    # The import compares a line with the library's documents of its size and pages by their titles,
    # reading a document's excerpt only when the titles cannot decide: the answer must be the bodies'.
    decided = same_by_titles(match_key(title_a), match_key(title_b))
    if decided is not None:
        a, b = f"{title_a} {excerpt_a}", f"{title_b} {excerpt_b}"
        assert decided is same_keys(*keyed(a, title_a), *keyed(b, title_b))


def test_many_documents_of_one_size_and_pages_merge_only_the_same_title(tmp_path: Path) -> None:
    # Forty documents of one size and pages, titles starting like each other's, each listed again by
    # another file with another excerpt: each second line joins its own document, none another's.
    titles = [f"Raft{['', '在Curve', '在Curve存储'][n % 3]}中的第{n}课" for n in range(40)] + ["Ra"]
    first = tmp_path / "first.txt"
    second = tmp_path / "second.txt"
    first.write_text("".join(f"{t}· · · · · · 第一段正文 {n}0 码力 | 29 页 | 2.20 MB | 5 月前3\n" for n, t in enumerate(titles)), encoding="utf-8")  # noqa: E501
    second.write_text("".join(f"{t}• 另一段正文 {n}0 码力 | 29 页 | 2.20 MB | 5 月前3\n" for n, t in enumerate(titles)), encoding="utf-8")  # noqa: E501
    with Library(tmp_path / "lib.sqlite") as lib:
        assert import_file(lib, first, captured_at=CAPTURED_AT).new == len(titles)
        again = import_file(lib, second, captured_at=CAPTURED_AT)
        docs = lib.query(ViewQuery())
    assert (again.new, again.updated) == (1, 40)  # "Ra": too short a title to say, and the bodies part after it
    for n in range(40):
        (doc,) = [d for d in docs if f"第一段正文 {n}\n" in d.excerpt]
        assert doc.title == titles[n]
        assert re.findall(r"正文 (\d+)", doc.excerpt) == [str(n), str(n)]


def test_match_key_ignores_spacing_width_and_case() -> None:
    assert match_key("ＴｉＤＢ  v8.5\u3000中文手册") == match_key("tidb v8.5 中文手册") == "tidbv8.5中文手册"


def test_version_4_libraries_merge_their_duplicates(tmp_path: Path) -> None:
    """A library that made a second row for another search's listing: the migration merges them into the
    earlier one, keeping every tag, both notes, the earlier queue place and added date and the further
    status; titles the user typed are recognised and kept; titles and excerpts are folded (NFKC)."""
    path = tmp_path / "v4.sqlite"
    other = tmp_path / "other.txt"
    other.write_text(OTHER_PAGE + "\n", encoding="utf-8")
    class Version4(Library):
        MIGRATIONS = Library.MIGRATIONS[:4]
        MERGES_LISTINGS = False  # version 4's importer: every distinct body its own row, titles as split

    with Version4(path) as lib:
        lib.conn.execute("ALTER TABLE documents ADD COLUMN title_edited INTEGER NOT NULL DEFAULT 0")
        lib.conn.execute("ALTER TABLE documents ADD COLUMN url TEXT")
        lib.conn.execute("ALTER TABLE documents ADD COLUMN title_exact INTEGER NOT NULL DEFAULT 0")
        lib.conn.execute("ALTER TABLE imports ADD COLUMN repeated INTEGER NOT NULL DEFAULT 0")
        lib.conn.execute(
            "CREATE TABLE listings (id INTEGER PRIMARY KEY, doc_id INTEGER NOT NULL, identity TEXT NOT NULL, "
            "import_id INTEGER, source_file TEXT, source_line INTEGER, raw_line BLOB NOT NULL, captured_at TEXT)"
        )
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        import_file(lib, other, captured_at=CAPTURED_AT)
        raft_rows = [r[0] for r in lib.conn.execute("SELECT id FROM documents WHERE pages = 29 AND title LIKE 'Raft%'")]
        assert len(raft_rows) == 2
        first, second = sorted(raft_rows)
        lib.add_tags([first], ["共识"])
        lib.add_tags([second], ["选举"])
        lib.set_notes(first, "第一遍")
        lib.set_notes(second, "第二遍")
        lib.set_status([second], "read")
        lib.add_to_later([second])
        lib.add_to_later([first])
        lib.conn.execute("UPDATE documents SET title = '我改的标题' WHERE id = 1")
        lib.conn.execute("DROP TABLE listings")
        lib.conn.execute("ALTER TABLE documents DROP COLUMN title_edited")
        lib.conn.execute("ALTER TABLE documents DROP COLUMN url")
        lib.conn.execute("ALTER TABLE documents DROP COLUMN title_exact")
        lib.conn.execute("ALTER TABLE imports DROP COLUMN repeated")
        assert lib.conn.execute("PRAGMA user_version").fetchone()[0] == 4
    with Library(path) as v5:
        assert v5.conn.execute("PRAGMA user_version").fetchone()[0] == schema.SCHEMA_VERSION
        assert v5.check() == []
        (raft,) = _raft(v5)
        assert raft.id == first and raft.title == RAFT
        assert set(raft.tags) == {"共识", "选举"}
        assert raft.notes == "第一遍\n\n第二遍"
        assert raft.status == "read"
        assert v5.later_queue()[0] == raft.id  # the earlier place: second was queued first
        assert len(raft.excerpts) == 2
        assert v5.count() == 12
        assert v5.get(1).title == "我改的标题" and v5.get(1).title_edited
        assert not v5.get(2).title_edited
        assert {d.id for d in v5.query(ViewQuery(tags=("选举",)))} == {first}
        assert v5.query_ids(ViewQuery(sort=Sort.ID))[-1] != second


# --- correcting a title in one move ----------------------------------------------------------------


def test_a_cut_moved_in_the_body_sets_title_and_excerpt_and_undoes(tmp_path: Path, other_page: Path) -> None:
    with Library(tmp_path / "lib.sqlite") as lib:
        import_file(lib, SAMPLE, captured_at=CAPTURED_AT)
        import_file(lib, other_page, captured_at=CAPTURED_AT)
        (raft,) = _raft(lib)
        body = lib.body(raft.id)
        assert body.startswith(RAFT) and "⾏" not in body
        before = lib.set_split(raft.id, len("Raft在Curve存储")).undo
        after = lib.get(raft.id)
        assert (after.title, after.title_edited) == ("Raft在Curve存储", True)
        assert after.excerpts[0].startswith("中的工程实践raft和braft")
        assert any(e.startswith("中的工程实践Leader选举") for e in after.excerpts)  # every listing follows
        assert [d.id for d in lib.query(ViewQuery(search=parse_query("Curve存储")))].count(raft.id) == 1
        lib.set_title_states([before])
        undone = lib.get(raft.id)
        assert (undone.title, undone.excerpt, undone.title_edited) == (raft.title, raft.excerpt, False)
        with pytest.raises(ValueError, match="cannot be empty"):
            lib.set_split(raft.id, 0)


def test_a_correction_is_evidence_for_the_rest_of_its_import(tmp_path: Path) -> None:
    """A page whose titles all end in the same site name: correcting one teaches where the others end."""
    lines = [
        "Kubernetes调度器原理 - 云原生社区调度器负责把 Pod 分配到节点0 码力 | 31 页 | 2.10 MB | 3 月前3",
        "Etcd一致性实现 - 云原生社区Raft 日志复制与快照0 码力 | 18 页 | 1.20 MB | 3 月前3",
        "容器网络入门 - 云原生社区CNI 插件把容器接入网络0 码力 | 22 页 | 1.50 MB | 3 月前3",
    ]
    path = tmp_path / "page.txt"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with Library(tmp_path / "lib.sqlite") as lib:
        import_file(lib, path, captured_at=CAPTURED_AT)
        docs = lib.query(ViewQuery(sort=Sort.ID))
        first = docs[0]
        cut = len("Kubernetes调度器原理 - 云原生社区")
        lib.set_split(first.id, cut)
        proposals = lib.resplit_import(first.id)
        states = {s.doc_id: s for s in proposals}
        wanted = {"Etcd一致性实现 - 云原生社区", "容器网络入门 - 云原生社区"}
        current = {d.title for d in docs[1:]}
        assert {s.title for s in proposals} == wanted - current  # only the ones that change
        before = lib.title_states(list(states))
        lib.set_title_states(proposals)
        assert {d.title for d in lib.query(ViewQuery(sort=Sort.ID))[1:]} == wanted
        assert all(not lib.get(i).title_edited for i in states)
        lib.set_title_states(before)
        assert {d.title for d in lib.query(ViewQuery(sort=Sort.ID))[1:]} == current


@pytest.mark.parametrize(
    ("title", "ending"),
    [
        ("Curve核心组件之Client - 网易数帆", "- 网易数帆"),
        ("Python 正则表达式操作指南 – 博客园", "– 博客园"),
        ("Go 并发模式_CSDN博客", "_CSDN博客"),
        ("CurveFS方案设计", "方案设计"),  # the last run of one script
        ("TiDB v8.5 中文手册", "中文手册"),
        ("Comprehensive Rust 202412", "202412"),
        ("!!", ""),
    ],
)
def test_the_ending_a_correction_teaches(title: str, ending: str) -> None:
    from docmanager.identity import title_ending

    assert title_ending(title) == ending
