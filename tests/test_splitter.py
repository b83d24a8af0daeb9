"""Tests of the title/excerpt splitter: the real sample, one case per rule, and properties."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docmanager.splitter import Split, split_bodies, split_body, split_with_evidence

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
        "version-suffix",
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
    # Alone, the length prior and the glued lower-case excerpt may find the title too; only the
    # file says the ending is shared.
    assert split_body(bodies[0]).rule != "shared-suffix"
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
    """With no evidence anywhere, a seam wins by the length prior: the earliest typical-length one."""
    # ("…这是一本…" would be evidence now: an uploader's description naming the document.)
    split = split_body(_pad("深入理解Linux内核讲解内核实现的书"))
    assert split.rule == "script-change"
    assert split.title == "深入理解Linux"


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


# --- Evidence from the document's own first page and from other listings of it ---------------

EVIDENCE_CASES = [
    # (id, body, title, rule)
    (
        "repeat-exact",
        "深入浅出Kafka消息队列设计深入浅出Kafka消息队列设计 李明 2021年10月 目录 第1章 消息系统概述",
        "深入浅出Kafka消息队列设计",
        "repeat-full",
    ),
    ("repeat-lookalike", "运行时数据区详解运⾏时数据区详解 本⽂介绍 JVM 的内存布局", "运行时数据区详解", "repeat-full"),
    ("repeat-fullwidth", "Redis设计与实现Ｒｅｄｉｓ设计与实现 黄健宏 著 第一部分", "Redis设计与实现", "repeat-full"),
    (
        "repeat-without-number",
        "4. 容器网络模型容器网络模型 Docker 的网络子系统可以插拔",
        "4. 容器网络模型",
        "repeat-full",
    ),
    (
        "repeat-with-number",
        "13 分布式锁的实现13 分布式锁的实现 13.1 基于 Redis 的锁",
        "13 分布式锁的实现",
        "repeat-full",
    ),
    ("repeat-respaced", "Spring Boot实战SpringBoot 实战 第一章 入门", "Spring Boot实战", "repeat-full"),
    (
        "repeat-after-header",
        "Django 2.0 文档中文版第 1 页 Django 2.0 文档中文版 快速入门",
        "Django 2.0 文档中文版",
        "repeat-end",
    ),
    (
        "question-title",
        "如何设计一个高可用系统？如何设计一个高可用系统？ 面试题 高可用",
        "如何设计一个高可用系统？",
        "repeat-full",
    ),
    ("chapter-cn", "数据库系统实现第1章 数据库系统概述 1.1 数据库系统的演变", "数据库系统实现", "section"),
    ("part-cn", "机器学习实战第一部分 分类 k-近邻算法的原理", "机器学习实战", "section"),
    ("chapter-en", "操作系统导论Chapter 1 A Dialogue on the Book", "操作系统导论", "section"),
    ("contents", "计算机网络目录 第1章 概述 第2章 物理层", "计算机网络", "heading"),
    (
        "abstract",
        "基于深度学习的图像识别研究摘要：本文提出一种新的卷积网络结构",
        "基于深度学习的图像识别研究",
        "heading",
    ),
    ("reporter", "云原生可观测性实践报告人：王磊 日期：2023年5月", "云原生可观测性实践", "byline"),
    ("author", "分布式事务原理剖析作者：张伟 本文从两阶段提交讲起", "分布式事务原理剖析", "byline"),
    ("file-pdf", "Kubernetes权威指南.pdf第1章 Kubernetes入门 1.1 了解Kubernetes", "Kubernetes权威指南.pdf", "file-ext"),
    ("file-pptx", "微服务架构设计.pptx服务拆分的原则与方法", "微服务架构设计.pptx", "file-ext"),
    ("file-docx", "需求规格说明书V2.docx1 引言 1.1 编写目的", "需求规格说明书V2.docx", "file-ext"),
    (
        "file-txt-latin",
        "golang_notes.txtThe Go programming language is an open source project",
        "golang_notes.txt",
        "file-ext",
    ),
]


@pytest.mark.parametrize(("body", "title", "rule"), [c[1:] for c in EVIDENCE_CASES], ids=[c[0] for c in EVIDENCE_CASES])
def test_evidence(body: str, title: str, rule: str) -> None:
    split = split_body(_pad(body))
    assert split.title == title
    assert split.rule == rule
    assert _rebuilds(_pad(body), split)


def test_kafka_title_repeated_word_for_word() -> None:
    """The issue's example: the excerpt repeats the title; nothing of the repeat joins the title."""
    body = "深入浅出Kafka消息队列设计深入浅出Kafka消息队列设计 李明 2021年10月 目录 第1章 Kafka 概述"
    assert split_body(body).title == "深入浅出Kafka消息队列设计"


def test_same_document_twice_in_one_file() -> None:
    """Two bodies that share a start and then differ: the shared start is the title."""
    bodies = [
        _pad("数据密集型应用系统设计数据模型与查询语言的选择取决于应用"),
        _pad("数据密集型应用系统设计可靠性意味着即使出现故障系统也能正常工作"),
    ]
    assert split_body(bodies[0]).title != "数据密集型应用系统设计"  # alone, nothing says where
    assert [s.title for s in split_bodies(bodies)] == ["数据密集型应用系统设计"] * 2
    assert {s.rule for s in split_bodies(bodies)} == {"shared-start"}


@pytest.mark.parametrize(
    ("known", "title", "rule"),
    [
        (["数据密集型应用系统设计"], "数据密集型应用系统设计", "known-title"),
        (["数据密集型应用系统设计 "], "数据密集型应用系统设计", "known-title"),  # stored titles are stripped
        (["数据密集型应用系统设计可靠性意味着即使出现故障"], "数据密集型应用系统设计", "shared-start"),
    ],
    ids=["known-title", "known-title-spaced", "known-body"],
)
def test_split_with_evidence(known: list[str], title: str, rule: str) -> None:
    body = _pad("数据密集型应用系统设计数据模型与查询语言的选择取决于应用")
    split = split_with_evidence(body, known)
    assert (split.title, split.rule) == (title, rule)
    assert split == split_bodies([body], known={0: known})[0]
    assert _rebuilds(body, split)


def test_known_title_of_another_document_is_ignored() -> None:
    body = _pad("Redis设计与实现第一部分 数据结构与对象")
    assert split_with_evidence(body, ["Kafka权威指南"]) == split_body(body)


# --- Round 2 evidence: site names, glued lower-case excerpts, the length prior -----------------

ROUND2_CASES = [
    # A known site name ends the title though the excerpt is glued to it in the same script.
    (
        "site-glued-cjk",
        "Rust 所有权机制详解 - 掘金生命周期标注告诉编译器引用之间的关系",
        "Rust 所有权机制详解 - 掘金",
        "site-suffix",
    ),
    (
        "site-underscore",
        "Vue3 响应式原理剖析_CSDN博客代理对象拦截读写操作并收集依赖",
        "Vue3 响应式原理剖析_CSDN博客",
        "site-suffix",
    ),
    (
        "site-glued-latin",
        "Kotlin 协程入门 | SegmentFaultsuspend 函数只能在协程中调用",
        "Kotlin 协程入门 | SegmentFault",
        "site-suffix",
    ),
    # A passage from inside a document: lower-case Latin glued to the title's CJK starts the excerpt.
    ("lower-glued", "Nginx 反向代理配置upstream 块里列出后端服务器的地址", "Nginx 反向代理配置", "lower-glued"),
    ("lower-glued-cut-word", "消息中间件选型对比ueue 的持久化方式决定了吞吐上限", "消息中间件选型对比", "lower-glued"),
]


@pytest.mark.parametrize(("body", "title", "rule"), [c[1:] for c in ROUND2_CASES], ids=[c[0] for c in ROUND2_CASES])
def test_round2_evidence(body: str, title: str, rule: str) -> None:
    split = split_body(_pad(body))
    assert split.title == title
    assert split.rule == rule
    assert _rebuilds(_pad(body), split)


@pytest.mark.parametrize(
    ("body", "title"),
    [
        # No evidence at all: the length prior prefers a title of typical length to a bare first word
        # (glued to the excerpt, as a saved page glues them).
        ("Grafana 监控面板搭建2 个数据源接入之后再配置告警规则", "Grafana 监控面板搭建"),
        ("Ansible 自动化部署实战3 台主机之后再写角色与清单", "Ansible 自动化部署实战"),
    ],
)
def test_length_prior_prefers_a_typical_title(body: str, title: str) -> None:
    assert split_body(_pad(body)).title == title


def test_length_prior_keeps_long_english_titles() -> None:
    """The prior is one-sided: a long English title is not cut to a typical Chinese length."""
    body = "Patterns of Enterprise Application ArchitectureThe book explains layering and mapping in depth."
    assert split_body(_pad(body)).title == "Patterns of Enterprise Application Architecture"


# --- Accuracy on the dev set (tests/data/splitter/devset.jsonl; tools/eval_splitter.py) ------

# Held-out exact titles at the last change of the splitter (94.4%), less a margin for small changes.
HELD_OUT_FLOOR = 0.93


def test_held_out_accuracy_does_not_fall() -> None:
    import sys

    sys.path.insert(0, str(_ROOT / "tools"))
    from eval_splitter import accuracy, held_out, load

    items = [it for it in load() if held_out(it["group"])]
    assert len(items) >= 250
    assert accuracy(items) >= HELD_OUT_FLOOR


# --- Evidence in more forms than the dev set's templates (tools/build_fresh.py measures them) ---

MORE_FORMS_CASES = [
    # (id, body, title, rule)
    # A leading number in brackets, a part word or a Chinese numeral: the page repeats the title without it.
    ("lead-bracket", "(2) 搭建本地开发环境搭建本地开发环境 安装编辑器与运行时", "(2) 搭建本地开发环境", "repeat-full"),
    ("lead-lesson", "Lesson 3 异步编程入门异步编程入门 回调函数是最早的方案", "Lesson 3 异步编程入门", "repeat-full"),
    ("lead-cn-numeral", "三、数据清洗的方法数据清洗的方法 缺失值可以删除或填补", "三、数据清洗的方法", "repeat-full"),
    # An edition note in brackets or as a Chinese ordinal ends the title even with Chinese glued to it.
    ("edition-bracket", "网络安全等级保护指南（2021年版）适用于各类信息系统的定级备案", "网络安全等级保护指南（2021年版）", "version-suffix"),  # noqa: E501
    ("edition-ordinal", "Linux命令行大全第二版涵盖了常用的文本处理工具", "Linux命令行大全第二版", "version-suffix"),
    ("release", "机器学习讲义 R3梯度下降的收敛条件与学习率的选择", "机器学习讲义 R3", "version-suffix"),
    # An edition word ends the title even with the excerpt's letters glued to it.
    ("edition-glued", "数据库系统概念 2nd Editionselect name from students", "数据库系统概念 2nd Edition", "version-suffix"),  # noqa: E501
    # Dots inside a token are no leader dots: "for...of" stays in the title.
    ("dots-in-token", "遍历器与 for...of 循环_哔哩哔哩遍历器是一种接口", "遍历器与 for...of 循环_哔哩哔哩", "site-suffix"),  # noqa: E501
    # Section words and bylines beyond the dev set's: front matter, lecture and part words, role words.
    ("intro-cn", "编译器构造绪论 编译器把源程序翻译成目标程序", "编译器构造", "intro"),
    ("lecture", "信号与系统Lecture 2 线性时不变系统的卷积表示", "信号与系统", "section"),
    ("paragraph-sign", "合同法律风险提示§2 违约责任的约定应当明确具体", "合同法律风险提示", "section"),
    ("cn-enumeration", "乡村振兴调研报告一、调研背景 近年来农村电商发展迅速", "乡村振兴调研报告", "section"),
    ("editor", "城市交通规划原理主编 郭建国 副主编 林芳 高等教育出版社", "城市交通规划原理", "byline"),
    ("compiled-by", "常用Linux命令速查表整理：小赵 文件操作 目录切换", "常用Linux命令速查表", "byline"),
    # A short lower-case word tied by a hyphen or underscore is a name's part, not a cut word's tail.
    ("hyphen-name", "animal-island-ui一、设计目标 组件按需加载", "animal-island-ui", "section"),
    ("underscore-name", "my_app_ui第一章 入门 先安装依赖", "my_app_ui", "section"),
    # A byline after the name ("张三 著"): the name, told by its surname, opens the excerpt.
    ("author-after-name", "园林植物栽培学高建平 主编 第一章 绪论", "园林植物栽培学", "byline"),
    ("translator-after-name", "费曼物理学讲义司马青 译 第1卷 力学", "费曼物理学讲义", "byline"),
    # Other document sites' names and personal pages end a title, even with Chinese glued to them.
    ("doc-site", "小学数学教学设计_人人文库教学目标是让学生掌握两位数加法", "小学数学教学设计_人人文库", "site-suffix"),
    ("own-page", "一次线上故障复盘 - 王五的博客上周三晚上数据库连接池被耗尽", "一次线上故障复盘 - 王五的博客", "site-suffix"),  # noqa: E501
    # An uploader's own description opens by naming the document.
    ("description-book", "深度学习入门笔记本书从感知机讲起逐步介绍神经网络", "深度学习入门笔记", "description"),
    ("description-this-is", "深入理解Linux内核这是一本关于内核实现的书", "深入理解Linux内核", "description"),
    # A file name runs whole from the line's start: a Latin word inside it opens no excerpt.
    ("file-name-with-term", "Go语言gin框架入门教程.pdf这份教程从安装开始讲起", "Go语言gin框架入门教程.pdf", "file-ext"),
    ("file-name-with-word", "100个vim小技巧.pdf第一个技巧是用点号重复上次操作", "100个vim小技巧.pdf", "file-ext"),
    # A serial's number ends its title even with the excerpt's Chinese glued to it.
    ("serial-issue", "科学小报第 12 期本期介绍月球背面的环形山", "科学小报第 12 期", "version-suffix"),
    ("serial-volume", "读书会纪要第三辑大家讨论了三本书", "读书会纪要第三辑", "version-suffix"),
    # A closing bracket the title never opened belongs to the excerpt (code cut mid-expression).
    ("unopened-closer", "前端性能优化清单) { this.id = value; } 上面代码中", "前端性能优化清单", "script-change"),
    ("description-pages", "企业年度工作总结模板共 12 页，可直接编辑使用", "企业年度工作总结模板", "description"),
]


@pytest.mark.parametrize(
    ("body", "title", "rule"), [c[1:] for c in MORE_FORMS_CASES], ids=[c[0] for c in MORE_FORMS_CASES]
)
def test_more_forms(body: str, title: str, rule: str) -> None:
    split = split_body(_pad(body))
    assert split.title == title
    assert split.rule == rule
    assert _rebuilds(_pad(body), split)


# A title glued to a passage from inside its document, with the evidence named by the id's prefix.
GLUED_PASSAGE_CASES = [
    # (id, title, body)
    # A saved page glues a title to its description with nothing between them (the sample's ten lines;
    # MoreDoc trims the description): a version followed by a space and Chinese is inside the title,
    # and the capitalised term glued to the title's end opens the excerpt.
    ("space-lua", "Lua 5.3 编程入门", "Lua 5.3 编程入门Redis 从 2.6 版本起内置了脚本解释器，可以原子地执行一组命令"),
    ("space-python", "Python 3.12 新特性一览", "Python 3.12 新特性一览Docker 镜像里默认的解释器版本也随之更新"),
    ("space-php", "PHP 8.2 中文手册", "PHP 8.2 中文手册Composer 会根据 composer.json 解析依赖并生成自动加载文件"),
    ("space-linux", "Linux 6.1 内核文档", "Linux 6.1 内核文档Rust 支持首次进入主线，驱动可以用 Rust 编写"),
    # Any space is far more often inside the title or the excerpt than at the seam: a passage opening
    # inside a table ("%   12.5 MiB") is not taken into the title up to its next space.
    ("space-table", "9.2 容器资源监控与告警", "9.2 容器资源监控与告警%   12.5 MiB / 512 MiB    2.44%   1.1kB / 0.8kB"),
    # Head nouns that end titles of articles and books ("系列文章", "进阶", "中文版").
    ("noun-series", "写给新手的Rust系列文章", "写给新手的Rust系列文章所有权规则在编译期检查，借用检查器会拒绝悬垂引用"),
    ("noun-advanced", "Flask Web 开发进阶", "Flask Web 开发进阶蓝图把视图函数按模块组织起来，应用工厂负责注册它们"),
    ("noun-edition", "深入浅出 Webpack 中文版", "深入浅出 Webpack 中文版号的 loader 配置写在 module.rules 里，按顺序从后往前执行"),  # noqa: E501
    # A passage that opens inside code: a bracket the title never opened closes in it, wherever it stands.
    ("closer-index", "冒泡排序的实现", "冒泡排序的实现] = tmp 交换两个相邻元素 之后 i 继续向右移动一位"),
    ("closer-brace", "原型链继承", "原型链继承} }; class Point {} 上面的代码把方法挂到原型上"),
    # A passage that opens inside a word is looked for even where strong evidence stands further on:
    # here the passage's own list ("1. … 2. …") would otherwise end the title.
    ("doubled-before-list", "进程调度", "进程调度度算法决定下一个运行的进程： 1. 先来先服务 2. 短作业优先 3. 时间片轮转"),  # noqa: E501
    # Dots glued to a path ("./...", Go's every package) are code, not a table of contents' leader dots.
    ("path-dots", "Go 工程实践 2024", "Go 工程实践 2024go vet ./... 会检查当前模块的全部包"),
    # A slash between digits or letters is inside a token ("22.04/24.04", "TCP/IP"): no cut before it.
    ("slash-token", "2.4 Ubuntu 22.04/24.04", "2.4 Ubuntu 22.04/24.04官方 软件源里已经带有 Docker 的旧版本"),
    # A full-width colon glued to a serial's number goes on into its subtitle.
    ("serial-subtitle", "系统设计面试（第 12 期）：如何设计短链接？", "系统设计面试（第 12 期）：如何设计短链接？短链接服务把长网址映射成短码"),  # noqa: E501
    # A word of the word list glued to the excerpt's letters (the tail of a word, or a whole one).
    ("latin-word-tail", "7.3 Prometheus", "7.3 Prometheusrule 文件里定义告警规则，告警管理器负责去重和路由"),
    ("latin-word-whole", "第五章 Elasticsearch", "第五章 Elasticsearchcluster 的分片数在建索引时确定"),
    # A head noun ends the title before a glued number as well as before glued Chinese.
    ("noun-number", "Redis设计手册", "Redis设计手册2019 年发布的第五版引入了 Stream 类型 2020 年又增加了 ACL"),
]


@pytest.mark.parametrize(
    ("title", "body"), [c[1:] for c in GLUED_PASSAGE_CASES], ids=[c[0] for c in GLUED_PASSAGE_CASES]
)
def test_a_title_glued_to_an_inner_passage(title: str, body: str) -> None:
    split = split_body(_pad(body))
    assert split.title == title
    assert _rebuilds(_pad(body), split)


def test_fresh_set_loads_and_evaluates() -> None:
    """tests/data/splitter/fresh.jsonl (tools/build_fresh.py) is read by tools/eval_splitter.py --set fresh."""
    import sys

    sys.path.insert(0, str(_ROOT / "tools"))
    from eval_splitter import FRESH, accuracy, load

    if not FRESH.exists():
        pytest.skip("fresh.jsonl is built by tools/build_fresh.py from repository snapshots")
    items = load(FRESH)
    assert len(items) >= 500
    assert {"body", "title", "kind", "group"} <= set(items[0])
    assert all(it["body"].startswith(it["title"]) for it in items)
    assert accuracy(items) >= 0.75
