"""Word-fragment evidence (docmanager/splitter/fragments.py): an inner passage opens inside a word."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from docmanager import _cjk_lexicon
from docmanager import _latin_words as _latin_words_module
from docmanager.splitter import cut_evidence, split_body
from docmanager.splitter.fragments import (
    cjk_fragment_cuts,
    cjk_opener_cuts,
    doubled_cuts,
    latin_doubled,
    latin_glued_cuts,
    latin_tail_cuts,
    latin_word_cuts,
    title_noun_cuts,
    title_shape,
)

_ROOT = Path(__file__).resolve().parent.parent

# Inner passages glued to their section's title (real lines of tests/data/splitter/devset.jsonl's kind).
CONTAINERS = (
    "9.4 容器互联器之间的网络通信是 Docker 网络的核心功能之一。本节介绍容器互联的几种方式。"
    " 9.4.1 同一网络内的容器 同一自定义网络中的容器可以通过容器名互相访问。"
)
PATTERNS = "图说设计模式器是什么  镜像的运行实例，本质是隔离的进程 容器 vs 虚拟机  共享内核，更轻量，但隔离性较弱"
DOCKER = "1.2 什么是 Dockerontainers libcontainer (2014，Docker 0.9)：Docker 自研的容器运行时，取代了 LXC。"


def _features(body: str) -> set[str]:
    """The names of the evidence found for any cut of ``body``."""
    return {name for _, parts in cut_evidence([body])[0] for _, name in parts}


def test_the_word_list_is_the_derived_one() -> None:
    words = set(_cjk_lexicon.WORDS.split())
    assert {"容器", "之间", "数据源"} <= words  # 数据源: a kept word + a bound char (--compounds)
    assert all(2 <= len(w) <= 4 for w in words)
    assert "器" in _cjk_lexicon.BOUND and "的" not in _cjk_lexicon.BOUND


def test_an_excerpt_opening_with_a_words_tail_is_a_cut() -> None:
    # "器之间": 器 ends 容器, and no word starts with 器之; "互联" ends the title.
    assert cjk_fragment_cuts(CONTAINERS, 1, 40) == [len("9.4 容器互联")]
    assert cjk_fragment_cuts(PATTERNS, 1, 40) == [len("图说设计模式")]


def test_no_cut_inside_a_dictionary_word() -> None:
    # 容|器 would split 容器; 数据|源 would split the compound 数据源.
    assert len("9.4 容") not in cjk_fragment_cuts(CONTAINERS, 1, 40)
    assert cjk_fragment_cuts("Grafana 监控面板搭建 2 个数据源接入之后再配置告警规则", 1, 40) == []


def test_a_pair_the_body_uses_again_is_a_word_start() -> None:
    # 镜像 is not in jieba's list, but the excerpt uses it again: 使用|镜像 is no word's tail.
    body = "第四章 使用镜像（替代传统路径）。这一底层架构级别的变迁，意味着 Docker 解锁了对镜像的支持"
    assert len("第四章 使用") not in cjk_fragment_cuts(body, 1, 40)
    assert len("第四章 使用") in cjk_fragment_cuts(body.replace("对镜像", "对它"), 1, 40)


def test_a_title_word_glued_to_the_excerpts_letters() -> None:
    assert latin_glued_cuts(DOCKER, 60) == [len("1.2 什么是 Docker")]
    # Case folded: "Busybox" + "pattern", "busybox" elsewhere.
    assert latin_glued_cuts("20.1 Busyboxpattern from file 查看 busybox 的挂载信息", 60) == [len("20.1 Busybox")]
    # The run recurs in the body: a word of its own, not a glued one.
    assert latin_glued_cuts("1.2 Dockerfile 入门 Dockerfile 是 Docker 的构建脚本", 60) == []


@pytest.mark.parametrize(
    ("body", "title", "rule"),
    [
        (CONTAINERS, "9.4 容器互联", "cjk-fragment"),
        # The fragment "器是" backs this cut too (test above); the head noun "模式" now weighs more.
        (PATTERNS, "图说设计模式", "title-noun"),
        # The body's own "Docker 0.9" backs this cut too (latin_glued_cuts, test above); the word list weighs more.
        (DOCKER, "1.2 什么是 Docker", "latin-word"),
    ],
)
def test_split_at_a_word_fragment(body: str, title: str, rule: str) -> None:
    split = split_body(body)
    assert (split.title, split.rule) == (title, rule)
    assert title + split.excerpt == body


def test_a_bare_section_number_is_no_title() -> None:
    assert title_shape("12.2") == [(1.0, "number-only")]
    assert title_shape("12.2 命名空间") == title_shape("Docker 2023") == []
    body = "12.2 命名空间（5.6+）共提供 8 种 Namespace。Docker 容器默认启用其中的 PID、NET、MNT、UTS、IPC。"
    assert split_body(body).title != "12.2"


def test_word_fragments_are_looked_for_past_strong_evidence_and_head_nouns_are_not() -> None:
    # Strong evidence further on (here a leader-dot run) may stand inside the excerpt: a passage opening
    # inside a word is still looked for. Head-noun cuts are not: beside strong evidence they cost
    # accuracy on the dev set.
    body = "9.4 容器互联器之间的网络通信 · · · · · · 12 第一章 初识容器互联"
    assert {"separator", "cjk-fragment"} <= _features(body)
    # Past strong evidence that the excerpt has opened (here the title written again), a fragment is
    # the excerpt's own and is not looked for.
    assert "cjk-fragment" not in _features("9.4 容器互联9.4 容器互联器之间的网络通信是 Docker 网络的核心功能之一")
    nouns = "Kafka 入门指南消息的顺序由分区决定"
    assert "title-noun" in _features(nouns + "，分区内有序")
    assert "title-noun" not in _features(nouns + " · · · · · · 12 第一章 初识 Kafka")


def test_the_latin_word_list_is_the_derived_one() -> None:
    sys.path.insert(0, str(_ROOT / "tools"))
    from build_latin_words import words_of

    from docmanager.splitter.fragments import _latin_words

    words = _latin_words()
    assert len(words) == _latin_words_module.COUNT
    assert {"kubernetes", "busybox", "wordpress", "provenance", "pattern"} <= words
    assert all(len(w) >= 5 and w.isascii() and w.isalpha() and w.islower() for w in words)
    # Package names give their letter runs; English words their lower-case forms only.
    names = "busybox\nlibkubernetes-client1\npython3-pymongo\nvim"
    english = "Apple\napple\nzebra's\nprovenance\nbook"
    kept = ["apple", "busybox", "client", "libkubernetes", "provenance", "pymongo", "python"]
    assert words_of(names, english) == kept
    assert "NOTICE" in dir(_latin_words_module) and "Kevin Atkinson" in _latin_words_module.NOTICE


@pytest.mark.parametrize("module", ["docmanager._cjk_lexicon", "docmanager._latin_words"])
def test_importing_the_splitter_does_not_load_the_word_lists(module: str) -> None:
    code = f"import sys, docmanager.splitter; sys.exit({module!r} in sys.modules)"
    subprocess.run([sys.executable, "-c", code], cwd=_ROOT, check=True)


@pytest.mark.parametrize(
    ("text", "title"),
    [
        # A word of the list glued to the excerpt's letters: the tail of a word, or a whole word (a
        # package's name or an English word).
        ("14.5 K3s - 轻量级 Kubernetessh 执行，生产环境建议先下载脚本", "14.5 K3s - 轻量级 Kubernetes"),
        ("20.1 Busyboxpattern from file 查看容器内的挂载信息", "20.1 Busybox"),
        ("Kubernetes schema provenancestrict upstream: yannh", "Kubernetes schema provenance"),
    ],
)
def test_a_word_of_the_list_glued_to_the_excerpt_is_a_cut(text: str, title: str) -> None:
    assert latin_word_cuts(text, 60) == [len(title)]


@pytest.mark.parametrize(
    "text",
    [
        "Postman 的界面",  # a word of the list as a whole
        "Dockerfiles 的写法",  # a word and a suffix
        "SegmentFault 思否",  # two capitalised words: one name
        "Kubernetessh 执行，Kubernetessh 又出现",  # the run recurs: a word of this body
    ],
)
def test_no_cut_inside_a_word_a_name_or_a_run_the_body_repeats(text: str) -> None:
    assert latin_word_cuts(text, 60) == []


def test_a_latin_run_inside_the_excerpt_is_not_looked_at() -> None:
    # "dockershim" comes after the section number that opens the excerpt: not a title's word.
    body = "追求代码质量1.24 移除了内置的 dockershim，需要额外安装 cri-dockerd 作为适配层"
    assert "latin-word" not in _features(body)
    assert "latin-word" in _features("14.5 K3s - 轻量级 Kubernetessh 执行，生产环境建议先下载脚本")


def test_a_title_does_not_end_on_a_dot_inside_a_token() -> None:
    # "impress.|js", "特性.|0.0/24": a dot glued to a letter or digit belongs to a name or a number.
    body = "impress.js的中文教程01 背景 02 方案 03 么多的服务，Session 状态在哪儿维护啊？"
    names = [[n for _, n in parts] for title, parts in cut_evidence([body])[0] if title == "impress."]
    assert names and "dot-glued" in names[0]
    assert split_body(body).title == "impress.js的中文教程"
    # A dot followed by a space ends a title as any other char does.
    assert "dot-glued" not in _features("Node. js 入门 一本书")


def test_an_excerpt_opening_with_an_attached_char_is_a_cut() -> None:
    # "了" attaches to the verb before it: no sentence opens with it, and "缓存" ends a word.
    body = "6.2 分布式缓存了多少数据就要准备多少内存，淘汰策略决定了哪些键会被移出。"
    assert cjk_opener_cuts(body, 1, 40)[0] == len("6.2 分布式缓存")
    # A word spanning the cut ("为了", "可靠性") or starting at it ("了解") is no cut.
    assert cjk_opener_cuts("消息队列为了保证顺序", 1, 40) == []
    assert cjk_opener_cuts("如何保证消息的可靠性传输？", 1, 40) == []
    assert cjk_opener_cuts("入门指南了解一下", 1, 40) == []


def test_an_excerpt_opening_with_what_the_title_ends_with_is_a_cut() -> None:
    assert doubled_cuts("3.2 配置文件文件路径可以通过环境变量指定", 40) == [len("3.2 配置文件")]
    # One char doubled: the rest of a word whose last char ends the title ("算法" + "法的…").
    assert doubled_cuts("排序算法法的复杂度取决于比较次数", 40) == [len("排序算法")]
    # Pairs that are words ("人人") and a char that opens a word of its own ("中文" + "文档") are not.
    assert doubled_cuts("人人都能学会的编程", 40) == []
    assert doubled_cuts("Flask中文文档 是一份翻译", 40) == []
    assert latin_doubled("ClusterCluster") == len("Cluster")
    assert latin_doubled("murmur") == latin_doubled("Clusters") == 0
    split = split_body("4.1 Redis ClusterCluster 模式把数据分到多个节点上，每个节点负责一部分槽位。")
    assert split.title == "4.1 Redis Cluster"


def test_an_excerpts_first_word_glued_to_the_title() -> None:
    # "Grafana" + "dashboards", and "dashboards" on its own later in the body.
    body = "监控入门 Grafanadashboards 可以导入导出，导出的 dashboards 是 JSON 文件。"
    assert latin_tail_cuts(body, 60) == [len("监控入门 Grafana")]
    assert latin_tail_cuts("Kubernetes 入门 Kubernetes 是容器编排系统", 60) == []


def test_a_capitalised_term_glued_to_chinese_opens_the_excerpt_only_if_spaced_after() -> None:
    assert "upper-glued" in _features("数据库设计规范Schema 的变更需要评审，变更脚本放在仓库里。")
    assert "upper-glued" not in _features("深入理解Kafka原理与实践，消息队列的设计")


def test_a_title_holds_no_shell_or_code_syntax() -> None:
    # The excerpt may open with a command-line option (a dash otherwise opens no excerpt: "X - Site").
    split = split_body("容器网络配置--network host 让容器直接使用宿主机的网络栈，性能更好但隔离更弱。")
    assert split.title == "容器网络配置"
    features = {name for title, parts in cut_evidence(["C# 入门教程$ dotnet new console 创建项目"])[0]
                for _, name in parts if title == "C# 入门教程"}
    assert "code" not in features


def test_a_title_ending_on_a_head_noun_is_a_cut() -> None:
    # A passage glued to a title that ends on a head noun ("…知识", "…手册").
    assert title_noun_cuts("分布式缓存知识据说热点数据会被频繁访问", 2, 40) == [len("分布式缓存知识")]
    assert title_noun_cuts("网络设备维护手册备上电之后先检查指示灯", 2, 40) == [len("网络设备维护手册")]
    # Not where the noun goes on: a longer word ("知识点"), a link ("架构的"), another noun ("入门实战").
    assert title_noun_cuts("高中物理知识点归纳", 2, 40) == []
    assert title_noun_cuts("分层架构的优点与代价", 2, 40) == []
    assert title_noun_cuts("前端入门实战项目汇编", 2, 40) == [len("前端入门实战")]
    # A question follows: the title ends at its mark.
    assert title_noun_cuts("如何实现限流？常见的做法有令牌桶", 2, 40) == []


@pytest.mark.parametrize(
    ("body", "title"),
    [
        ("分布式缓存知识据说热点数据会被频繁访问，所以先放进内存里。", "分布式缓存知识"),
        ("网络设备维护手册备上电之后先检查指示灯，再确认线缆连接。", "网络设备维护手册"),
    ],
)
def test_inner_passage_after_a_head_noun(body: str, title: str) -> None:
    assert split_body(body).title == title


def test_a_head_noun_past_other_evidence_is_no_cut() -> None:
    # The section number "1.1" opened the excerpt: "研究" of "1.1 研究背景" does not end the title.
    assert split_body("城市绿地规划研究1.1 研究背景 近年来城市扩张速度很快").title == "城市绿地规划研究"
