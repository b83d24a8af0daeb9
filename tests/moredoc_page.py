"""MoreDoc's search page as a browser saves it, built from result data: the HTML (Save Page As, Web
Page complete) and its text (Save Page As, Text Files). The markup follows moredoc-web's
pages/search.vue and components/SearchResultDocument.vue as Nuxt and Element UI render them (el-link,
el-rate with show-score, el-pagination with total, pager and jumper). tests/data/moredoc-search.html
and .txt were written by ``python tests/moredoc_page.py``."""

# ruff: noqa: E501 (the page's markup keeps its long lines, as a browser saves them)
from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

SITE = "https://www.wenku.it"
SAVED_FROM = f"{SITE}/search?wd=curve&page=7"
FILES = "curve - 搜索结果 - IT文库_files"  # the folder a browser saves the page's resources into


@dataclass(frozen=True)
class Result:
    title: str
    description: str
    href: str
    icon: str = "pdf"
    price: int = 0
    pages: str = "27"  # MoreDoc prints doc.pages || '-'
    size: str = "1.57 MB"
    age: str | None = "6 月前"  # None: no <span class="hidden-xs-only"> (a narrow window's page)
    rating: str = "3"  # score / 100, 3 when unrated

    @property
    def fields(self) -> str:
        age = f" | {self.age}" if self.age else ""
        return f"{self.price} 码力 | {self.pages} 页 | {self.size}{age}"


RESULTS = [
    Result(
        "Curve核心组件之Client - 网易数帆",
        "IOTracker:跟踪一个上层IO请求 IOSplitor:IO转换拆分 ChunkClient、CliClient:与Chunkserver进行通信",
        "/document/3a1f9c2e-57d4-4e0b-9a61-2f6c0d8b7e41",
    ),
    Result(
        "Raft在Curve存储中的工程实践",
        "raft和braft 03 raft在Curve中的应用 05 Q&A 04 Curve对raft的优化RAFT协议简介",
        "/document/20417",
        icon="pptx",
        pages="29",
        size="2.20 MB",
        rating="4.5",
    ),
    Result(
        "CurveFS方案设计",
        "1. 2. 3. metaserver: 元数据管理 inode 和 dentry 的分片,每个分片 3 副本",
        "/document/20388",
        icon="docx",
        pages="-",
        size="619.32 KB",
        age="1 年前",
    ),
    Result(
        "Curve 2.0 <新特性> & 路线图",
        "快照克隆支持 Lazy 模式 支持 NBD 挂载 性能提升 30%",
        "/document/20391",
        pages="12",
        size="845.10 KB",
        age=None,
    ),
    Result(
        "Curve块存储快照的实现 2024",
        "快照的定义 快照是卷在某一时刻的只读副本 写时复制 2023",
        "/document/20402",
        price=5,
        pages="18",
        size="1.05 MB",
        age="3 月前",
    ),
    Result(
        "分布式存储系统Curve的设计与实现",
        "Curve 是网易开源的高性能、易运维、云原生的分布式存储系统",
        "https://www.wenku.it/document/20415",
        pages="56",
        size="5.34 MB",
        age="2 天前",
    ),
    Result(
        "Curve在网易的落地实践 - InfoQ",
        "",
        "/document/20420",
        icon="pptx",
        pages="31",
        size="3.90 MB",
        age="8 月前",
    ),
    Result(
        "CurveBS 性能调优指南",
        "fio 测试 4K 随机写 IOPS 延迟 chunkserver 线程配置 bthread",
        "/document/20433",
        icon="txt",
        pages="9",
        size="48.00 KB",
        age="5 小时前",
    ),
    Result(
        "Curve共享文件存储的元数据设计",
        "元数据集群 metaserver copyset raft 一致性 inode 分配 dentry 查找",
        "/document/20437",
        pages="22",
        size="1.32 MB",
        rating="3.5",
    ),
    Result(
        "云原生存储Curve入门",
        "部署 CurveAdm 集群拓扑 topology.yaml 客户端挂载 curve-fuse",
        "/document/20440",
        icon="epub",
        pages="140",
        size="12.80 MB",
        age="11 月前",
    ),
]

_HEAD = """<!DOCTYPE html>
<!-- saved from url=({length:04d}){saved_from} -->
<html lang="zh-CN" data-n-head="%7B%22lang%22:%7B%221%22:%22zh-CN%22%7D%7D"><head><meta http-equiv="Content-Type" content="text/html; charset=UTF-8">
<title>curve - 搜索结果 - IT文库</title><meta data-n-head="1" name="viewport" content="width=device-width, initial-scale=1">
<link data-n-head="1" rel="canonical" href="{saved_from}">
<link rel="stylesheet" href="./{files}/app.8c1f2e.css">
<script src="./{files}/runtime.js"></script><script src="./{files}/app.js"></script>
<style>.doc-title img {{ height: 20px; }}</style>
</head>
<body><div id="__nuxt"><div id="__layout"><div class="layout-default"><section class="el-container">
<main class="el-main"><div class="page page-search">
<div class="el-row header-links hidden-xs-only"><div class="el-col el-col-24">
<a href="/" class="el-link el-link--default nuxt-link-active"><i class="fa fa-home"></i> &nbsp;首页</a>
<a href="/category" class="el-link el-link--default">文库资料</a>
<a href="/article" class="el-link el-link--default">文章资讯</a>
<span class="float-right"><a href="/upload" class="el-link el-link--default"><i class="el-icon-upload2"></i>&nbsp;上传文档</a>
<a href="/login" class="el-link el-link--default"><i class="el-icon-user"></i>&nbsp;登录账户</a></span>
</div></div>
<div class="search-box"><div class="el-row" style="margin-left: -10px; margin-right: -10px;">
<div class="el-col el-col-5 logo hidden-xs-only"><a href="/" title="IT文库"><img src="./{files}/logo.png" alt="IT文库" style="max-width: 100%;"></a></div>
<div class="el-col el-col-13 search-form"><div class="el-input el-input-group el-input-group--prepend el-input--large el-input--suffix search-input">
<div class="el-input-group__prepend"><div class="el-select"><div class="el-input el-input--suffix"><input type="text" readonly="readonly" autocomplete="off" placeholder="请选择搜索类型" class="el-input__inner"></div></div></div>
<input type="text" autocomplete="off" placeholder="请输入关键词" class="el-input__inner" value="curve">
<span class="el-input__suffix"><span class="el-input__suffix-inner"><i class="el-input__icon el-icon-search btn-search"></i></span></span>
</div></div></div></div>
<div class="el-row"><div class="el-col el-col-24 search-main">
<div class="search-statistic">本次搜索耗时 <span class="el-link el-link--danger">0.012</span> 秒，为您找到相关结果约 <span class="el-link el-link--danger">74</span> 个.</div>
<div class="search-result"><div class="com-search-result-document"><ul>
"""

_ITEM = """<li><h3 class="doc-title"><a href="{href}" target="_blank" class="el-link el-link--primary"><img src="./{files}/{icon}_24.png" alt="{icon}文档">
              {title}
            </a></h3>
<div class="doc-desc">{description}</div>
<div class="doc-info"><span>{price} 码力 |
            {pages} 页 |
            {size}
            {age}</span>
<div role="slider" aria-valuenow="{rating}" aria-valuetext="" aria-valuemin="0" aria-valuemax="5" tabindex="0" class="el-rate float-right is-disabled">{stars}<span class="el-rate__text" style="color: rgb(255, 153, 0);">{rating}</span></div></div></li>
"""
_STAR = (
    '<span class="el-rate__item" style="cursor: auto;"><i class="el-rate__icon el-icon-star-on" '
    'style="color: rgb(247, 186, 42);"><!----></i></span>'
)
_AGE = '<span class="hidden-xs-only">| {age}</span>'

_TAIL = """</ul></div></div>
<div class="el-pagination is-background"><span class="el-pagination__total">共 74 条</span><button type="button" class="btn-prev"><span>上一页</span></button><ul class="el-pager"><li class="number">1</li><li class="number">2</li><li class="number">3</li><li class="number">4</li><li class="number">5</li><li class="number">6</li><li class="number active">7</li><li class="number">8</li></ul><button type="button" disabled="disabled" class="btn-next"><span>下一页</span></button><span class="el-pagination__jump">前往<div class="el-input el-pagination__editor is-in-pagination"><input type="number" autocomplete="off" min="1" max="8" class="el-input__inner"></div>页</span></div>
</div></div></div></main>
<footer class="el-footer"><div class="footer-links"><a href="/article/about">关于我们</a> | <a href="/article/agreement">用户协议</a> | <a href="/article/contact">联系我们</a></div>
<div class="copyright">© 2026 IT文库 · Powered by MoreDoc</div></footer>
</section></div></div></div>
<script>window.__NUXT__=(function(a){{return {{layout:"default",data:[{{docs:[]}}]}}}}("x"));</script>
</body></html>"""


def render_html(results: list[Result], *, saved_from: str = SAVED_FROM) -> str:
    items = "".join(
        _ITEM.format(
            href=html.escape(r.href),
            files=FILES,
            icon=r.icon,
            title=html.escape(r.title),
            description=html.escape(r.description),
            price=r.price,
            pages=r.pages,
            size=r.size,
            age=_AGE.format(age=r.age) if r.age else "",
            rating=r.rating,
            stars=_STAR * 5,
        )
        for r in results
    )
    head = _HEAD.format(length=len(saved_from), saved_from=saved_from, files=FILES)
    return head + items + _TAIL.format()


# What Firefox's Save Page As, Text Files gives for the page: a block a line, the chrome around.
_TEXT_HEAD = """ 首页
文库资料
文章资讯
上传文档
登录账户

IT文库

本次搜索耗时 0.012 秒，为您找到相关结果约 74 个.
"""
_TEXT_TAIL = """共 74 条
上一页
- 1
- 2
- 3
- 4
- 5
- 6
- 8
下一页
前往
页

关于我们 | 用户协议 | 联系我们
© 2026 IT文库 · Powered by MoreDoc
"""


def render_text(results: list[Result]) -> str:
    blocks = []
    for r in results:
        lines = [r.title, *([r.description] if r.description else []), r.fields, r.rating]
        blocks.append("\n".join(lines) + "\n\n")
    return _TEXT_HEAD + "".join(blocks) + _TEXT_TAIL


if __name__ == "__main__":
    data = Path(__file__).resolve().parent / "data"
    (data / "moredoc-search.html").write_text(render_html(RESULTS), encoding="utf-8")
    (data / "moredoc-search.txt").write_text(render_text(RESULTS), encoding="utf-8")
