"""Tests of the title/excerpt splitter: the real sample, one case per rule, and properties."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docmanager.splitter import Split, split_bodies, split_body

_ROOT = Path(__file__).resolve().parent.parent
_SHARED = Path("/work/shared/samples")
# The price is the single digit right before " 码力"; the body is everything before it.
_PRICE_RE = re.compile(r"\d 码力\s*\|")


def _sample_file(project_copy: Path, name: str) -> Path:
    """Prefer the project's own copy of a sample; fall back to the shared one."""
    if project_copy.is_file():
        return project_copy
    fallback = _SHARED / name
    if not fallback.is_file():
        pytest.skip(f"sample {name} not found")
    return fallback


def _sample() -> tuple[list[str], list[dict[str, Any]]]:
    text = _sample_file(_ROOT / "resources" / "listing-page.txt", "listing-page.txt").read_text(encoding="utf-8")
    expected_path = _sample_file(_ROOT / "tests" / "data" / "listing-page.expected.json", "listing-page.expected.json")
    documents: list[dict[str, Any]] = json.loads(expected_path.read_text(encoding="utf-8"))["documents"]
    bodies = [line[: m.start()] for line in text.splitlines() if (m := _PRICE_RE.search(line))]
    return bodies, documents


def _rebuilds(body: str, split: Split) -> bool:
    """title + excerpt is the stripped body, less only whitespace at the cut."""
    text = body.strip()
    if not (text.startswith(split.title) and text.endswith(split.excerpt)):
        return False
    gap = len(text) - len(split.title) - len(split.excerpt)
    return gap >= 0 and text[len(split.title) : len(split.title) + gap].strip() == ""


# --- The real sample ------------------------------------------------------------------------


def test_sample_has_ten_bodies() -> None:
    bodies, documents = _sample()
    assert len(bodies) == len(documents) == 10


@pytest.mark.parametrize("index", range(10))
def test_sample_line_in_file_context(index: int) -> None:
    bodies, documents = _sample()
    split = split_bodies(bodies)[index]
    doc = documents[index]
    assert split.title == doc["title"]
    assert split.excerpt.startswith(doc["excerpt_starts"].strip())
    assert split.excerpt.endswith(doc["excerpt_ends"].strip())
    assert _rebuilds(bodies[index], split)


@pytest.mark.parametrize("index", range(10))
def test_sample_line_alone(index: int) -> None:
    """Each sample line also splits right with no other line as context."""
    bodies, documents = _sample()
    split = split_body(bodies[index])
    assert split.title == documents[index]["title"]
    assert split == split_bodies([bodies[index]])[0]


# --- One hand-made case per rule ------------------------------------------------------------

# Real bodies run to ~600 chars; padding keeps hand-made ones from looking like bare titles.
_TAIL = " 本节内容继续介绍相关背景与实现细节。" * 8


def _pad(body: str) -> str:
    return body + _TAIL


CASES = [
    # (id, body, title, rule)
    ("separator-run", "Kafka 权威指南· · · · · · · · · 12 第一章 初识 Kafka", "Kafka 权威指南", "separator"),
    ("leader-dots", "Go语言圣经......1 前言 Go语言起源", "Go语言圣经", "separator"),
    ("bullet", "高性能MySQL • 第一章 MySQL架构与历史 • 第二章 基准测试", "高性能MySQL", "separator"),
    (
        "enumeration",
        "深入理解计算机系统1. 计算机系统漫游 2. 信息的表示和处理 3. 程序的机器级表示",
        "深入理解计算机系统",
        "enumeration",
    ),
    ("heading", "分布式系统概念与设计目录 第1章 分布式系统的特征 第2章 系统模型", "分布式系统概念与设计", "heading"),
    ("label", "云原生架构白皮书Kubernetes: 容器编排的事实标准,提供声明式接口", "云原生架构白皮书", "label"),
    ("fragment", "消息队列原理与实践ng的消息会被重新投递,消费者需要保证幂等", "消息队列原理与实践", "fragment"),
    (
        "repeat",
        "Kafka在大规模数据管道中的应用kafka 是一个分布式的流处理平台,具备高吞吐",
        "Kafka在大规模数据管道中的应用",
        "repeat",
    ),
    (
        "site-suffix",
        "Redis 集群方案对比 - 开源中国2023年发布的三种主流集群方案各有优缺点",
        "Redis 集群方案对比 - 开源中国",
        "site-suffix",
    ),
    ("author-suffix", "从零开始学分布式-张三Kafka 是一个分布式的流处理平台", "从零开始学分布式-张三", "site-suffix"),
    (
        "version-suffix",
        "PostgreSQL 手册 v16.2PostgreSQL 是一个功能强大的开源对象关系数据库系统",
        "PostgreSQL 手册 v16.2",
        "repeat",
    ),
    (
        "year-suffix",
        "云计算发展白皮书 2023本报告由研究院发布,总结了过去一年的发展",
        "云计算发展白皮书 2023",
        "version-suffix",
    ),
    (
        "english-camel",
        "Designing Data-Intensive ApplicationsThe big ideas behind reliable, scalable and "
        "maintainable systems are explored in depth here.",
        "Designing Data-Intensive Applications",
        "camel-case",
    ),
    (
        "english-enumeration",
        "Designing Data-Intensive Applications1. Reliable, Scalable, and Maintainable "
        "Applications 2. Data Models and Query Languages",
        "Designing Data-Intensive Applications",
        "enumeration",
    ),
    (
        "english-site",
        "Designing Data-Intensive Applications - O'Reilly第一章 可靠性、可扩展性与可维护性",
        "Designing Data-Intensive Applications - O'Reilly",
        "site-suffix",
    ),
]


@pytest.mark.parametrize(("body", "title", "rule"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_rule(body: str, title: str, rule: str) -> None:
    split = split_body(_pad(body))
    assert split.title == title
    assert split.rule == rule
    assert _rebuilds(_pad(body), split)


def test_unclosed_bracket_keeps_title_going() -> None:
    split = split_body(_pad("Rust程序设计语言(第2版)Rust 是一门注重安全与性能的系统编程语言"))
    assert split.title == "Rust程序设计语言(第2版)"
    assert split.excerpt.startswith("Rust 是一门")


def test_shared_suffix_needs_file_context() -> None:
    """A title ending repeated on several lines is evidence that one line alone lacks."""
    bodies = [
        _pad("Nginx 运维手册ngx_http 模块的配置说明与常见问题"),
        _pad("Redis 运维手册redis-cli 的常用命令与持久化配置"),
        _pad("MySQL 运维手册mysqld 的启动参数与慢查询分析"),
    ]
    alone = split_body(bodies[0])
    assert alone.title == "Nginx"
    together = split_bodies(bodies)
    assert [s.title for s in together] == ["Nginx 运维手册", "Redis 运维手册", "MySQL 运维手册"]
    assert {s.rule for s in together} == {"shared-suffix"}


def test_shared_prefix_is_a_template_not_a_title() -> None:
    """Lines that open alike ("Series之…") do not end their titles inside that opening."""
    bodies = [
        _pad("Kafka源码解析之Producer发送消息的完整流程"),
        _pad("Kafka源码解析之Consumer拉取消息的完整流程"),
        _pad("Kafka源码解析之Broker存储日志的完整流程"),
    ]
    assert split_body(bodies[0]).title == "Kafka"
    titles = [s.title for s in split_bodies(bodies)]
    assert titles == ["Kafka源码解析之Producer", "Kafka源码解析之Consumer", "Kafka源码解析之Broker"]


def test_first_strong_signal_wins() -> None:
    """A later cut with the same evidence loses: the excerpt already began earlier."""
    split = split_body(_pad("Go语言实战• 第一章 关于Go语言的介绍 • 第二章 快速开始一个Go程序"))
    assert split.title == "Go语言实战"


# --- No evidence, edges -----------------------------------------------------------------------


@pytest.mark.parametrize("body", ["", " ", "\t\n  \u3000"])
def test_empty_and_whitespace(body: str) -> None:
    assert split_body(body) == Split("", "", "empty")


def test_short_body_is_a_bare_title() -> None:
    assert split_body("  Designing Data-Intensive Applications  ") == Split(
        "Designing Data-Intensive Applications", "", "whole"
    )


def test_all_cjk_without_boundary_falls_back() -> None:
    # Not one phrase repeated: a body that repeats its opening is a title repeated by its page.
    body = "".join(chr(0x4E00 + (i * 37) % 4000) for i in range(180))
    split = split_body(body)
    assert split.rule == "fallback"
    assert split.title == body[:60]
    assert split.title + split.excerpt == body


def test_short_all_cjk_is_a_bare_title() -> None:
    assert split_body("分布式系统原理") == Split("分布式系统原理", "", "whole")


def test_english_without_seam_cuts_at_a_word() -> None:
    body = (
        "designing data intensive applications is a book about the ideas behind reliable systems"
        " and how they keep working when parts fail under load over many years of service"
    )
    split = split_body(body)
    assert split.rule == "fallback"
    assert len(split.title) <= 60
    assert body.startswith(split.title + " ")
    assert _rebuilds(body, split)


def test_evidence_free_seam_is_a_script_change() -> None:
    """With no evidence anywhere, the earliest title-sized seam wins."""
    split = split_body(_pad("深入理解Linux内核这是一本关于内核实现的书"))
    assert split.rule == "script-change"
    assert split.title == "深入理解"


def test_bodies_keep_order_and_count() -> None:
    bodies = ["", "TiDB 中文手册· · · 1", "   ", "Go语言圣经......1"]
    result = split_bodies(bodies)
    assert [s.title for s in result] == ["", "TiDB 中文手册", "", "Go语言圣经"]


# --- Properties -------------------------------------------------------------------------------

_CJK_TEXT = st.text(alphabet=st.characters(min_codepoint=0x4E00, max_codepoint=0x4FFF), max_size=30)
_PIECES = st.one_of(
    st.text(alphabet=st.characters(exclude_categories=["Cs"]), max_size=40),
    _CJK_TEXT,
    st.text(alphabet="abcXYZ 019.·•-–|:()（）《》,，。\t\n\x00\x1f\u3000", max_size=20),
    st.sampled_from(["· · · ", "1. 2. ", "目录", "Q&A", " - 网站", "v8.5", "202412", "Rust", "rust"]),
)
_BODIES = st.lists(_PIECES, max_size=8).map("".join)


@settings(max_examples=300, deadline=None)
@given(st.lists(_BODIES, max_size=6))
def test_never_raises_and_rebuilds(bodies: list[str]) -> None:
    result = split_bodies(bodies)
    assert len(result) == len(bodies)
    for body, split in zip(bodies, result, strict=True):
        assert _rebuilds(body, split), (body, split)
        assert split.title == split.title.strip()
        assert split.excerpt == split.excerpt.strip()
        assert split.rule
        assert (split.title == "") == (body.strip() == "")


@settings(max_examples=200, deadline=None)
@given(_BODIES)
def test_split_body_is_split_bodies_of_one(body: str) -> None:
    assert split_body(body) == split_bodies([body])[0]
