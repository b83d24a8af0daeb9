"""Deterministic generator of realistic listing files and of benchmark libraries.

    python benchmarks/generate.py listing --lines N OUT.txt [--seed S]
    python benchmarks/generate.py library --docs N OUT.sqlite [--seed S] [--chunk 100000]

A listing looks like ``resources/listing-page.txt``: TITLE+EXCERPT glued together, then
``PRICE 码力 | PAGES 页 | SIZE | AGE`` and the star rating (a digit); every ~10 results a footer
(``共 N 条`` and a ``- 1`` … pager with the current page missing); ~0.5% bad lines.

A library is built through the real import path (``docmanager.importer.import_file``) from
listing files of ``--chunk`` lines, then tagged, queued and given statuses through ``Library``.
A sidecar ``OUT.sqlite.json`` records what was built, the listing bytes it came from and how long
each step took.
"""

from __future__ import annotations

import argparse
import json
import math
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

CAPTURED_AT = datetime(2025, 6, 1, 12, 0, 0, tzinfo=UTC)
RESULTS_PER_PAGE = 10

# --- vocabularies --------------------------------------------------------------------------------

ZH_TERMS = [
    "分布式",
    "存储",
    "复制",
    "数据库",
    "架构",
    "设计",
    "实践",
    "手册",
    "原理",
    "云原生",
    "网络",
    "内核",
    "编译器",
    "操作系统",
    "容器",
    "调度",
    "一致性",
    "共识",
    "协议",
    "事务",
    "索引",
    "缓存",
    "日志",
    "快照",
    "克隆",
    "元数据",
    "文件系统",
    "块存储",
    "对象存储",
    "高可用",
    "容灾",
    "监控",
    "告警",
    "性能",
    "优化",
    "调优",
    "安全",
    "加密",
    "认证",
    "权限",
    "微服务",
    "服务网格",
    "消息队列",
    "流处理",
    "批处理",
    "计算",
    "机器学习",
    "深度学习",
    "推理",
    "训练",
    "模型",
    "向量",
    "检索",
    "搜索",
    "引擎",
    "虚拟化",
    "虚拟机",
    "负载均衡",
    "网关",
    "代理",
    "并发",
    "异步",
    "线程",
    "进程",
    "内存",
    "垃圾回收",
    "编程",
    "语言",
    "算法",
    "数据结构",
    "测试",
    "部署",
    "运维",
    "自动化",
    "持续集成",
    "镜像",
    "仓库",
    "制品",
    "集群",
    "节点",
    "副本",
    "分片",
    "迁移",
    "备份",
    "恢复",
    "压缩",
    "序列化",
    "接口",
    "框架",
    "组件",
    "模块",
    "插件",
]
ZH_DOC_KINDS = [
    "实践",
    "手册",
    "指南",
    "原理",
    "入门",
    "教程",
    "白皮书",
    "方案设计",
    "最佳实践",
    "源码分析",
    "技术内幕",
    "参考手册",
    "精要",
    "详解",
]
ZH_FILLER = [
    "的",
    "了",
    "和",
    "与",
    "在",
    "是",
    "通过",
    "可以",
    "支持",
    "提供",
    "实现",
    "使用",
    "基于",
    "进行",
    "需要",
    "用于",
    "以及",
    "对于",
    "如果",
    "然后",
    "当前",
    "每个",
    "多个",
    "一个",
    "所有",
    "其中",
    "之间",
    "这里",
    "同时",
    "用户",
    "系统",
    "服务",
    "请求",
    "数据",
    "客户端",
    "服务器",
]
EN_WORDS = [
    "Kubernetes",
    "Raft",
    "Rust",
    "PostgreSQL",
    "MySQL",
    "Redis",
    "Kafka",
    "Linux",
    "Go",
    "Python",
    "Java",
    "etcd",
    "TiDB",
    "TiKV",
    "Curve",
    "Ceph",
    "Harbor",
    "Docker",
    "Istio",
    "Envoy",
    "Prometheus",
    "Grafana",
    "Spark",
    "Flink",
    "Hadoop",
    "ClickHouse",
    "RocksDB",
    "SQLite",
    "gRPC",
    "HTTP",
    "TCP",
    "QUIC",
    "WebAssembly",
    "LLVM",
    "GCC",
    "Nginx",
    "Elasticsearch",
    "Lucene",
    "MongoDB",
    "Cassandra",
    "Paxos",
    "Zookeeper",
]
EN_TITLE_WORDS = [
    "Design",
    "Guide",
    "Handbook",
    "Internals",
    "Patterns",
    "Practice",
    "Principles",
    "Architecture",
    "Performance",
    "Tuning",
    "Reference",
    "Cookbook",
    "Essentials",
    "Deep",
    "Dive",
    "Distributed",
    "Systems",
    "Storage",
    "Replication",
    "Consensus",
    "Concurrency",
    "Networking",
    "Security",
    "Operations",
    "Observability",
    "Scalable",
    "Reliable",
    "Modern",
    "Advanced",
]
EN_PROSE = [
    "the",
    "a",
    "of",
    "and",
    "to",
    "in",
    "is",
    "for",
    "with",
    "on",
    "by",
    "this",
    "that",
    "from",
    "as",
    "be",
    "are",
    "data",
    "node",
    "cluster",
    "request",
    "leader",
    "follower",
    "log",
    "entry",
    "commit",
    "write",
    "read",
    "replica",
    "shard",
    "index",
    "query",
    "cache",
    "page",
    "chunk",
    "file",
    "server",
    "client",
    "memory",
    "thread",
    "lock",
    "transaction",
    "schema",
    "table",
    "column",
    "key",
    "value",
    "version",
    "release",
    "config",
    "deploy",
    "build",
    "test",
    "error",
    "latency",
    "throughput",
    "we",
    "you",
    "it",
    "can",
    "will",
    "should",
    "must",
    "may",
]
COMPONENTS = [
    "Client",
    "mds",
    "chunkserver",
    "snapshotclone",
    "metaserver",
    "scheduler",
    "planner",
    "executor",
    "storage",
    "raftstore",
]
SITES = ("网易数帆", "阿里云", "腾讯云", "PingCAP", "CNCF", "InfoQ", "极客时间", "字节跳动", "华为云", "Apache")
LANG_EDITIONS = ("简体中文", "繁體中文", "English", "日本語")
AUTHORS = ("邹佳", "张伟", "李娜", "王磊", "刘洋", "陈静", "杨帆", "赵强", "黄敏", "周杰")

SIZE_UNITS = (("B", 1), ("KB", 1024), ("MB", 1024**2), ("GB", 1024**3))
AGE_UNITS = (("分钟", 0.02), ("小时", 0.03), ("天", 0.10), ("周", 0.10), ("月", 0.45), ("年", 0.28), ("刚刚", 0.02))


class ListingGenerator:
    """Produces listing lines from one seeded ``random.Random``; same seed, same bytes."""

    def __init__(self, seed: int = 1) -> None:
        self.rng = random.Random(seed)
        self._fragments = [self._fragment() for _ in range(6000)]
        self._age_units = [u for u, _ in AGE_UNITS]
        self._age_weights = [w for _, w in AGE_UNITS]
        self.serial = 0

    # --- pieces --------------------------------------------------------------------------------

    def _zh_phrase(self, n: int) -> str:
        r = self.rng
        parts = []
        for _ in range(n):
            parts.append(r.choice(ZH_TERMS))
            if r.random() < 0.5:
                parts.append(r.choice(ZH_FILLER))
        return "".join(parts)

    def _en_phrase(self, n: int) -> str:
        r = self.rng
        words = [r.choice(EN_WORDS) if r.random() < 0.25 else r.choice(EN_PROSE) for _ in range(n)]
        return " ".join(words)

    def _fragment(self) -> str:
        """A 15-80 character piece of excerpt text (pre-generated, then recombined per line)."""
        r = self.rng
        kind = r.random()
        if kind < 0.45:
            text = self._zh_phrase(r.randint(2, 6))
            if r.random() < 0.4:
                text += r.choice("，。、：；") + self._zh_phrase(r.randint(1, 3))
        elif kind < 0.65:
            text = self._en_phrase(r.randint(3, 10))
        elif kind < 0.80:
            text = f"{self._zh_phrase(r.randint(1, 3))} {r.choice(EN_WORDS)} {self._zh_phrase(r.randint(1, 3))}"
        elif kind < 0.90:
            text = f"• {self._zh_phrase(r.randint(1, 4))}"
        elif kind < 0.96:
            dots = " ".join("·" * r.randint(8, 60))
            text = f"{r.randint(1, 12)}.{r.randint(1, 20)} {self._zh_phrase(r.randint(1, 2))}{dots} {r.randint(1, 999)}"
        else:
            text = f"{r.choice(EN_WORDS)}: {self._zh_phrase(r.randint(1, 3))} {r.randint(1, 64)}KB"
        return text

    def title(self) -> str:
        r = self.rng
        t = r.random()
        if t < 0.15:
            return f"{r.choice(EN_WORDS)}核心组件之{r.choice(COMPONENTS)} - {r.choice(SITES)}"
        if t < 0.27:
            return f"{r.choice(EN_WORDS)} v{r.randint(1, 9)}.{r.randint(0, 12)} 中文{r.choice(ZH_DOC_KINDS)}"
        if t < 0.35:
            return (
                f"{r.choice(('Comprehensive', 'Practical', 'Effective', 'Programming'))} {r.choice(EN_WORDS)}"
                f"({r.choice(LANG_EDITIONS)}) {r.randint(2018, 2025)}{r.randint(1, 12):02d}"
            )
        if t < 0.55:
            return f"{r.choice(EN_WORDS)}在{r.choice(EN_WORDS)}{r.choice(ZH_TERMS)}中的{r.choice(ZH_DOC_KINDS)}"
        if t < 0.70:
            return f"{r.choice(ZH_TERMS)}{r.choice(ZH_TERMS)}{r.choice(ZH_DOC_KINDS)}"
        if t < 0.78:
            return (
                f"{r.randint(1, 30):02d}-{r.choice(EN_WORDS).lower()}助你玩转{r.choice(ZH_TERMS)}-{r.choice(AUTHORS)}"
            )
        if t < 0.92:
            words = r.sample(EN_TITLE_WORDS, r.randint(2, 4))
            return f"{r.choice(EN_WORDS)} {' '.join(words)}"
        return f"{r.choice(EN_WORDS)}{r.choice(ZH_TERMS)}{r.choice(ZH_TERMS)}{r.choice(ZH_DOC_KINDS)}"

    def excerpt(self) -> str:
        r = self.rng
        target = r.randint(500, 650)
        parts: list[str] = []
        length = 0
        frags = self._fragments
        while length < target:
            f = frags[int(r.random() * len(frags))]
            parts.append(f)
            length += len(f) + 1
        text = " ".join(parts)[:target].rstrip()
        return text

    def pages(self) -> int:
        # log-normal: median ~30, long tail to thousands (TiDB manuals ~5000).
        return max(1, min(6000, round(math.exp(self.rng.gauss(3.4, 1.3)))))

    def size(self, pages: int) -> str:
        r = self.rng
        n = pages * math.exp(r.gauss(math.log(60_000), 1.0))
        if r.random() < 0.01:
            n = r.uniform(100, 1000)  # a few tiny files in bytes
        for unit, factor in reversed(SIZE_UNITS):
            if n >= factor or unit == "B":
                value = n / factor
                return f"{value:.0f} B" if unit == "B" else f"{value:.2f} {unit}"
        raise AssertionError

    def age(self) -> str:
        r = self.rng
        unit = r.choices(self._age_units, self._age_weights)[0]
        if unit == "刚刚":
            return unit
        top = {"分钟": 59, "小时": 23, "天": 6, "周": 4, "月": 11, "年": 12}[unit]
        return f"{r.randint(1, top)} {unit}前"

    def line(self) -> str:
        r = self.rng
        self.serial += 1
        pages = self.pages()
        price = 0 if r.random() < 0.97 else r.randint(1, 9)
        tail = f"{price} 码力 | {pages} 页 | {self.size(pages)} | {self.age()}{r.choice('1233333345')}"
        line = self.title() + self.excerpt() + tail
        bad = r.random()
        if bad < 0.005:  # ~0.5% bad lines, in three flavours
            kind = r.randrange(3)
            if kind == 0:
                line = line.replace(f"| {pages} 页", f"| {r.choice(('abc', '十二', '1,2'))} 页")
            elif kind == 1:
                line = line.rsplit(" | ", 2)[0] + f" | 1.{r.randint(10, 99)} {r.choice(('XB', 'PX', 'ZB'))} | 3 月前3"
            else:
                line = line[: line.index(" 码力") + r.randint(4, 12)]
        return line

    def lines(self, n: int) -> Iterator[str]:
        """``n`` result lines with a footer every ~10 results (footer lines not counted)."""
        r = self.rng
        page = 0
        done = 0
        while done < n:
            page += 1
            k = min(n - done, RESULTS_PER_PAGE)
            for _ in range(k):
                yield self.line()
            done += k
            total = r.randint(30, 5000)
            yield f"共 {total} 条"
            last = min(8, max(2, total // RESULTS_PER_PAGE))
            current = r.randint(1, last)
            for p in range(1, last + 1):
                if p != current:
                    yield f"- {p}"
            yield ""


def write_listing(path: Path, n: int, seed: int = 1, gen: ListingGenerator | None = None) -> int:
    """Write a listing of ``n`` result lines; returns its size in bytes."""
    gen = gen or ListingGenerator(seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as fh:
        buf: list[str] = []
        for line in gen.lines(n):
            buf.append(line)
            if len(buf) >= 5000:
                fh.write("\n".join(buf) + "\n")
                buf.clear()
        if buf:
            fh.write("\n".join(buf) + "\n")
    return path.stat().st_size


# --- libraries -----------------------------------------------------------------------------------

N_TAGS = 50
LATER_COUNT = 1000


def tag_names(rng: random.Random) -> list[str]:
    zh = rng.sample(ZH_TERMS, 30)
    en = [w.lower() for w in rng.sample(EN_WORDS, 20)]
    return zh + en


def build_library(out: Path, docs: int, seed: int = 1, chunk: int = 100_000, log: bool = True) -> dict[str, object]:
    from docmanager.importer import import_file
    from docmanager.library import Library

    def say(msg: str) -> None:
        if log:
            print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)

    out.parent.mkdir(parents=True, exist_ok=True)
    partial = out.with_name(out.name + ".partial")
    for p in (partial, Path(f"{partial}-wal"), Path(f"{partial}-shm")):
        p.unlink(missing_ok=True)
    started = time.perf_counter()
    gen = ListingGenerator(seed)
    rng = random.Random(seed + 1)
    listing_bytes = 0
    gen_s = import_s = 0.0
    imported = rejected = 0
    lib = Library(partial)
    with tempfile.TemporaryDirectory(prefix="dm-bench-") as tmp:
        remaining, n = docs, 0
        while remaining > 0:
            k = min(chunk, remaining)
            n += 1
            path = Path(tmp) / f"listing-{n:03d}.txt"
            t0 = time.perf_counter()
            listing_bytes += write_listing(path, k, gen=gen)
            t1 = time.perf_counter()
            result = import_file(lib, path, captured_at=CAPTURED_AT)
            t2 = time.perf_counter()
            gen_s += t1 - t0
            import_s += t2 - t1
            imported += result.new
            rejected += len(result.rejections)
            path.unlink()
            remaining -= k
            say(f"file {n}: {k:,} lines, generated {t1 - t0:.1f}s, imported {t2 - t1:.1f}s, {lib.count():,} docs")
    ids = [r[0] for r in lib.conn.execute("SELECT id FROM documents ORDER BY id")]
    t0 = time.perf_counter()
    names = tag_names(rng)
    links = 0
    for name in names:
        share = math.exp(rng.uniform(math.log(0.001), math.log(0.05)))
        chosen = sorted(rng.sample(ids, max(1, round(share * len(ids)))))
        lib.add_tags(chosen, [name])
        links += len(chosen)
    t1 = time.perf_counter()
    say(f"tags: {len(names)} tags, {links:,} links in {t1 - t0:.1f}s")
    shuffled = ids[:]
    rng.shuffle(shuffled)
    lib.add_to_later(shuffled[:LATER_COUNT])
    n_reading, n_read = round(0.10 * len(ids)), round(0.20 * len(ids))
    lib.set_status(sorted(shuffled[LATER_COUNT : LATER_COUNT + n_reading]), "reading")
    lib.set_status(sorted(shuffled[LATER_COUNT + n_reading : LATER_COUNT + n_reading + n_read]), "read")
    t2 = time.perf_counter()
    say(f"later queue and statuses in {t2 - t1:.1f}s")
    lib.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    lib.close()
    partial.replace(out)
    for suffix in ("-wal", "-shm", ".lock"):  # .lock: the library's write lock file (see store)
        Path(f"{partial}{suffix}").unlink(missing_ok=True)
    total = time.perf_counter() - started
    meta: dict[str, object] = {
        "docs_requested": docs,
        "docs": imported,
        "rejected_lines": rejected,
        "seed": seed,
        "chunk_lines": chunk,
        "listing_bytes": listing_bytes,
        "library_bytes": out.stat().st_size,
        "tags": len(names),
        "tag_links": links,
        "tag_names": names,
        "later": LATER_COUNT,
        "seconds": {
            "generate_listings": round(gen_s, 2),
            "import": round(import_s, 2),
            "tags": round(t1 - t0, 2),
            "later_and_status": round(t2 - t1, 2),
            "total": round(total, 2),
        },
        "built_at": datetime.now(UTC).isoformat(timespec="seconds"),
    }
    Path(f"{out}.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    say(f"built {out} ({imported:,} docs) in {total:.1f}s")
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="what", required=True)
    p = sub.add_parser("listing", help="write a listing file")
    p.add_argument("--lines", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("out", type=Path)
    p = sub.add_parser("library", help="build a library through the import path")
    p.add_argument("--docs", type=int, required=True)
    p.add_argument("--seed", type=int, default=1)
    p.add_argument("--chunk", type=int, default=100_000, help="lines per imported listing file")
    p.add_argument("out", type=Path)
    args = parser.parse_args(argv)
    if args.what == "listing":
        t0 = time.perf_counter()
        size = write_listing(args.out, args.lines, args.seed)
        print(f"{args.out}: {args.lines:,} lines, {size / 1e6:.1f} MB in {time.perf_counter() - t0:.1f}s")
    else:
        build_library(args.out, args.docs, args.seed, args.chunk)
    return 0


if __name__ == "__main__":
    sys.exit(main())
