"""Issue 14: HTML results pages and browser text (a block a line) import with exact titles and the
documents' addresses, as one row per document however it was kept; hostile and bad pages are refused."""

from __future__ import annotations

import json
import os
import socket
import time
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from helpers import CAPTURED_AT, SAMPLE, dump
from moredoc_page import RESULTS, SAVED_FROM, SITE, render_html, render_text

from docmanager import cli
from docmanager.importer import FileResult, import_file
from docmanager.library import Library
from docmanager.library.transfer import CSV_COLUMNS, export_csv, export_json, load_export
from docmanager.listing import HTML_NO_RESULTS, read_listing
from docmanager.webpage import search_url

DATA = Path(__file__).resolve().parent / "data"
HTML_PAGE = DATA / "moredoc-search.html"
TEXT_PAGE = DATA / "moredoc-search.txt"
SAMPLE_BLOCKS = DATA / "listing-page-blocks.txt"  # resources/listing-page.txt's results as browser text
EXPECTED = json.loads((DATA / "listing-page.expected.json").read_text(encoding="utf-8"))


def _import(lib: Library, path: Path) -> FileResult:
    return import_file(lib, path, captured_at=CAPTURED_AT)


def _docs(lib: Library) -> list[Any]:
    return sorted(lib.documents([r[0] for r in lib.conn.execute("SELECT id FROM documents")]), key=lambda d: d.id)


def _write(tmp_path: Path, name: str, text: str | bytes) -> Path:
    path = tmp_path / name
    if isinstance(text, str):
        path.write_text(text, encoding="utf-8")
    else:
        path.write_bytes(text)
    return path


# --- the pages ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("page", [HTML_PAGE, TEXT_PAGE], ids=["html", "browser-text"])
def test_each_page_imports_every_result_exactly(library: Library, page: Path) -> None:
    result = _import(library, page)
    assert (result.new, result.rejected, result.total_claimed, result.page_number) == (10, 0, 74, 7), result.summary()
    docs = _docs(library)
    want = [
        (
            r.title,
            r.description,
            r.price,
            None if r.pages == "-" else int(r.pages),
            r.size,
            r.age,
            float(r.rating),
            f"{SITE}{r.href}" if r.href.startswith("/") else r.href,
        )
        for r in RESULTS
    ]
    got = [(d.title, d.excerpt, d.price, d.pages, d.size_text, d.age_text, d.rating, d.url) for d in docs]
    if page is TEXT_PAGE:  # browser text keeps no links
        want = [(*w[:-1], None) for w in want]
    assert got == want
    # The title is its own element: it ends in digits (before a price of 5), holds "<" and "&": plain text.
    assert "Curve 2.0 <新特性> & 路线图" in [d.title for d in docs]
    assert docs[3].published_estimate is None  # no age: a narrow window's page


@pytest.mark.parametrize("order", [(HTML_PAGE, TEXT_PAGE), (TEXT_PAGE, HTML_PAGE)], ids=["html-first", "text-first"])
def test_either_page_after_the_other_adds_no_row(library: Library, order: tuple[Path, Path]) -> None:
    _import(library, order[0])
    again = _import(library, order[1])
    assert again.new == 0 and library.count() == 10, again.summary()
    # The HTML after the text tells each document's address: updated; the text after the HTML tells nothing new.
    assert (again.updated, again.unchanged) == ((10, 0) if order[1] is HTML_PAGE else (0, 10))
    assert all(d.url and d.url.startswith(f"{SITE}/document/") for d in _docs(library))


@pytest.mark.parametrize("blocks_first", [False, True])
def test_glued_text_and_browser_text_are_one_row_per_document(library: Library, blocks_first: bool) -> None:
    first, second = (SAMPLE_BLOCKS, SAMPLE) if blocks_first else (SAMPLE, SAMPLE_BLOCKS)
    assert _import(library, first).new == 10
    again = _import(library, second)
    assert (again.new, again.rejected, library.count()) == (0, 0, 10), again.summary()
    titles = [d.title for d in _docs(library)]
    assert titles == [d["title"] for d in EXPECTED["documents"]]
    assert library.conn.execute("SELECT count(*) FROM documents WHERE title_exact = 1").fetchone()[0] == 10


def test_an_exact_title_replaces_a_guess_but_never_the_users(library: Library) -> None:
    _import(library, SAMPLE)
    guessed, edited = _docs(library)[1], _docs(library)[2]
    bad_split = "UPDATE documents SET title = 'Curve核心组件之snap' WHERE id = ?"
    library.conn.execute(bad_split, (guessed.id,))
    library.set_title(edited.id, "我的标题")
    _import(library, SAMPLE_BLOCKS)
    assert library.get(guessed.id).title == "Curve核心组件之snapshotclone"
    assert library.get(guessed.id).excerpt.startswith("te技术,读写不影响转储")
    assert library.get(edited.id).title == "我的标题"


def test_a_known_address_is_its_document(library: Library, tmp_path: Path) -> None:
    """Another search lists the document with another excerpt, and the site's size text changed: the
    address still says which document it is."""
    _import(library, HTML_PAGE)
    other = [replace(RESULTS[0], description="另一次搜索的摘要 元数据获取及缓存", size="1.58 MB")]
    result = _import(library, _write(tmp_path, "other.html", render_html(other)))
    assert (result.new, result.updated, library.count()) == (0, 1, 10), result.summary()
    assert "另一次搜索的摘要" in library.get(1).excerpt


def test_another_layout_is_read_as_its_text(library: Library, tmp_path: Path) -> None:
    """A page whose markup is not MoreDoc's result list: its visible text, a block a line, goes through
    the browser-text rules (here it is the same page with the classes renamed)."""
    page = render_html(RESULTS).replace("doc-title", "title").replace("com-search-result-document", "list")
    result = _import(library, _write(tmp_path, "other-layout.html", page))
    assert (result.new, result.rejected) == (10, 0), result.summary()
    assert [d.title for d in _docs(library)] == [r.title for r in RESULTS]
    assert all(d.url is None for d in _docs(library))


def test_a_mix_of_glued_lines_and_blocks(library: Library, tmp_path: Path) -> None:
    """The glued sample, then the browser text pasted after it: the chrome between the two pages is
    neither a document nor a rejected line; two of the page's results are sample documents (another
    search's excerpt of them)."""
    mixed = SAMPLE.read_text(encoding="utf-8") + "\n" + render_text(RESULTS)
    result = _import(library, _write(tmp_path, "mixed.txt", mixed))
    assert (result.new, result.updated, result.rejected) == (18, 2, 0), result.summary()


LONG_STRAY = "一段不属于任何结果的长文字:" * 5  # as long as a result cut short (MIN_BROKEN_CHARS)


def test_text_between_results_is_rejected_only_when_it_looks_like_a_broken_result(tmp_path: Path) -> None:
    text = render_text(RESULTS[:2])
    text = text.replace("\n\nRaft在Curve", f"\n\n首页\n{LONG_STRAY}\n下一篇\nRaft在Curve")
    text = text.replace("\n4.5\n", "\n4.5\n0 码力 | 3 页 | 1.00 MB | 1 天前\n")  # fields with no title
    listing = read_listing(_write(tmp_path, "between.txt", text))
    assert [e.title for e in listing.entries] == [RESULTS[0].title, RESULTS[1].title]
    assert [(r.line_no, r.reason[:24]) for r in listing.rejections] == [
        (16, "not a result line (no 码力"),
        (22, "a result's price, pages "),
    ]


# --- hostile pages -----------------------------------------------------------------------------------

HOSTILE = {
    "javascript:alert(document.cookie)": "javascript:",
    " JaVa\tScRiPt:alert(1)": "javascript:",
    "file:///etc/passwd": "file:",
    "data:text/html,<script>alert(1)</script>": "data:",
    "vbscript:msgbox": "vbscript:",
    "ms-settings:privacy": "ms-settings:",
    "steam://run/10": "steam:",
}


def test_hostile_links_are_refused_and_the_rest_imports(library: Library, tmp_path: Path) -> None:
    results = [replace(RESULTS[n], href=href) for n, href in enumerate(HOSTILE)] + RESULTS[len(HOSTILE) :]
    result = _import(library, _write(tmp_path, "hostile.html", render_html(results)))
    assert (result.new, result.rejected) == (10 - len(HOSTILE), len(HOSTILE)), result.summary()
    for rejection, scheme in zip(result.rejections, HOSTILE.values(), strict=True):
        assert f"a {scheme} address, not a web page; refused" in rejection.reason
    urls = [d.url for d in _docs(library)]
    assert all(u and u.startswith("https://www.wenku.it/document/") for u in urls)


def test_a_page_runs_and_fetches_nothing(library: Library, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Scripts in a title, markup in a description, an external entity, remote images and the _files
    folder beside the saved page (holding a FIFO: reading it would block) are all left alone."""
    page = render_html(RESULTS[:3])
    page = page.replace("<!DOCTYPE html>", '<!DOCTYPE html [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>')
    page = page.replace(
        "Raft在Curve存储中的工程实践\n",
        "Raft在<script>document.title='pwned'</script>Curve存储中的<b>工程</b>实践&xxe;"
        '<img src="https://evil.example/track.png"><iframe src="file:///etc/passwd"></iframe>\n',
    )
    path = _write(tmp_path, "curve.html", page)
    files = tmp_path / "curve_files"
    files.mkdir()
    if hasattr(os, "mkfifo"):
        os.mkfifo(files / "app.js")

    def no_network(*args: object, **kwargs: object) -> None:
        raise AssertionError("the import reached for the network")

    monkeypatch.setattr(socket, "socket", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)
    result = _import(library, path)
    assert (result.new, result.rejected) == (3, 0), result.summary()
    title = _docs(library)[1].title
    assert title == "Raft在Curve存储中的工程实践&xxe;"  # text: no script, no markup, no entity expanded
    assert "root:" not in json.dumps([d.as_json() for d in _docs(library)])


# --- bad pages ---------------------------------------------------------------------------------------


def _cut(tmp_path: Path) -> Path:
    data = HTML_PAGE.read_bytes()
    return _write(tmp_path, "cut.html", data[: len(data) // 2])


def _empty_search(tmp_path: Path) -> Path:
    empty = '<ul><li><div class="el-empty">很遗憾，未能检索到相关结果</div></li></ul>'  # SearchResultDocument
    page = render_html([]).replace("<ul>\n</ul>", empty)
    return _write(tmp_path, "empty.html", page)


def _huge(tmp_path: Path) -> Path:
    path = tmp_path / "huge.html"
    with open(path, "wb") as fh:
        fh.write(render_html(RESULTS).encode().replace(b"</body>", b"<p>" + b"x" * (50 * 1024 * 1024) + b"</p></body>"))
    return path


def _says_gbk_is_utf8(tmp_path: Path) -> Path:
    return _write(tmp_path, "gbk-label.html", render_html(RESULTS).replace("charset=UTF-8", "charset=gbk").encode())


def _says_utf8_is_gbk(tmp_path: Path) -> Path:
    return _write(tmp_path, "utf8-label.html", render_html(RESULTS).encode("gb18030"))


def _broken(tmp_path: Path) -> Path:
    page = "<!DOCTYPE html><html><body><div class='com-search-result-document'><ul><li><h3 class='doc-title'>"
    page += "<a href='/document/1'>只有标题</a></h3></li></ul></div></body></html>"
    return _write(tmp_path, "broken.html", page)


BAD_PAGES = {
    "cut short": (_cut, "the HTML page is cut short (it does not end with </html>)"),
    "no results": (_empty_search, HTML_NO_RESULTS),
    "50 MB": (_huge, "this HTML page is 50.0 MB"),
    "declares gbk, is UTF-8": (_says_gbk_is_utf8, "declares its charset as gbk, but its text is UTF-8"),
    "declares UTF-8, is GB18030": (_says_utf8_is_gbk, "declares its charset as utf-8, but its text is GB18030"),
    "results without fields": (_broken, "a result with no price, pages and size"),
}


@pytest.mark.parametrize("name", list(BAD_PAGES))
def test_bad_pages_are_refused_and_change_nothing(library: Library, tmp_path: Path, name: str) -> None:
    _import(library, TEXT_PAGE)
    make, message = BAD_PAGES[name]
    path = make(tmp_path)
    before = dump(library.conn)
    result = _import(library, path)
    assert not result.ok and message in (result.refused or ""), result.summary()
    assert dump(library.conn) == before


# --- the document's page: open, export, load --------------------------------------------------------


class Opened:
    def __init__(self) -> None:
        self.urls: list[str] = []

    def __call__(self, url: str) -> bool:
        self.urls.append(url)
        return True


def _cli(capsys: pytest.CaptureFixture[str], opener: Opened, *args: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in args], opener=opener)
    out, err = capsys.readouterr()
    return code, out, err


def test_open_opens_the_page_or_a_search_of_the_site(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lib_path = tmp_path / "lib.sqlite"
    opener = Opened()
    assert _cli(capsys, opener, "import", TEXT_PAGE, "--library", lib_path)[0] == 0
    code, _, err = _cli(capsys, opener, "open", "1", "--library", lib_path)
    assert (code, opener.urls) == (1, []) and "no page address is known" in err  # no site known yet
    assert _cli(capsys, opener, "import", HTML_PAGE, "--library", lib_path)[0] == 0
    with Library(lib_path) as lib:  # a document the site's page did not list
        lib.conn.execute("UPDATE documents SET url = NULL WHERE id = 2")
        lib.conn.execute("UPDATE documents SET url = 'javascript:alert(1)' WHERE id = 3")  # e.g. edited by hand
    assert _cli(capsys, opener, "open", "1", "--library", lib_path)[0] == 0
    assert _cli(capsys, opener, "open", "2", "--library", lib_path)[0] == 0
    assert _cli(capsys, opener, "open", "3", "--library", lib_path)[0] == 0
    assert opener.urls == [
        f"{SITE}{RESULTS[0].href}",
        search_url(SITE, RESULTS[1].title),
        search_url(SITE, RESULTS[2].title),
    ]
    assert opener.urls[1].startswith(f"{SITE}/search?wd=Raft%E5%9C%A8Curve%E5%AD%98")
    assert SAVED_FROM.startswith(SITE)


def test_the_url_is_exported_and_loaded(library: Library, tmp_path: Path) -> None:
    import io

    _import(library, HTML_PAGE)
    out = io.StringIO()
    export_json(library, out)
    path = _write(tmp_path, "export.json", out.getvalue())
    data = json.loads(out.getvalue())
    assert data["documents"][0]["url"] == f"{SITE}{RESULTS[0].href}"
    csv_out = io.StringIO()
    export_csv(library, csv_out)
    assert "url" in CSV_COLUMNS and f"{SITE}{RESULTS[0].href}" in csv_out.getvalue()
    with Library(tmp_path / "other.sqlite") as other:
        load_export(other, path)
        assert [d.url for d in _docs(other)] == [d.url for d in _docs(library)]
        exact = "SELECT count(*) FROM documents WHERE title_exact = 1"
        assert other.conn.execute(exact).fetchone()[0] == 10  # a later glued listing will not re-guess them
    data["documents"][0]["url"] = "javascript:alert(1)"
    bad = _write(tmp_path, "bad.json", json.dumps(data))
    with Library(tmp_path / "third.sqlite") as third, pytest.raises(Exception, match="'url' must be an http"):
        load_export(third, bad)


def test_a_page_of_a_thousand_results_imports_quickly(library: Library, tmp_path: Path) -> None:
    results = [
        replace(RESULTS[n % 10], href=f"/document/{n}", pages=str(1000 + n), title=f"{RESULTS[n % 10].title} 第{n}卷")
        for n in range(1000)
    ]
    path = _write(tmp_path, "thousand.html", render_html(results))
    start = time.perf_counter()
    result = _import(library, path)
    took = time.perf_counter() - start
    assert (result.new, result.rejected) == (1000, 0), result.summary()
    assert took < 20, took  # about 1 s measured; bound loose for a loaded machine


def test_a_saved_fragment_is_html_by_its_name(library: Library, tmp_path: Path) -> None:
    """Part of a page (no doctype, no <html>) saved as .htm: read as HTML, its results exact."""
    page = render_html(RESULTS[:2])
    fragment = page[page.index('<div class="com-search-result-document">') : page.index("</ul></div></div>") + 11]
    result = _import(library, _write(tmp_path, "part.htm", fragment))
    assert (result.new, result.rejected) == (2, 0), result.summary()
    assert [d.title for d in _docs(library)] == [RESULTS[0].title, RESULTS[1].title]
    assert all(d.url is None for d in _docs(library))  # no saved-from address: relative links stay unknown


def test_a_gbk_page_that_says_so_imports(library: Library, tmp_path: Path) -> None:
    page = render_html(RESULTS).replace("charset=UTF-8", "charset=gbk").encode("gb18030")  # ©: GBK's superset
    result = _import(library, _write(tmp_path, "gbk.html", page))
    assert (result.new, result.encoding) == (10, "gb18030"), result.summary()
    assert _docs(library)[0].title == RESULTS[0].title


def test_a_page_nested_deeper_than_python_recursion(library: Library, tmp_path: Path) -> None:
    """Text is walked with a stack of its own: 3,000 levels are more than Python's recursion allows."""
    deep = "<div>" * 3000 + "深处的文字" + "</div>" * 3000
    page = render_html(RESULTS[:1]).replace("doc-title", "title").replace("com-search-result-document", "list")
    result = _import(library, _write(tmp_path, "deep.html", page.replace("<footer", deep + "<footer")))
    assert (result.new, result.rejected) == (1, 0), result.summary()


def test_a_page_nested_absurdly_deep_is_refused_quickly(library: Library, tmp_path: Path) -> None:
    """100,000 nested elements would take the parser 20 s (its work per element grows with the depth)."""
    deep = "<div>" * 100_000 + "深处的文字" + "</div>" * 100_000
    page = render_html(RESULTS).replace("<footer", "<script>'<div>'</script>" + deep + "<footer")
    start = time.perf_counter()
    result = _import(library, _write(tmp_path, "deep.html", page))
    assert "nests its elements more than 5,000 deep" in (result.refused or ""), result.summary()
    assert time.perf_counter() - start < 5


def test_an_exact_title_is_not_guessed_again_when_another_search_lists_it(library: Library, tmp_path: Path) -> None:
    _import(library, SAMPLE_BLOCKS)
    line = "Curve核心组件之snapshotclone快照克隆 另一次搜索的摘要,讲的是快照的回滚0 码力 | 23 页 | 1.32 MB | 6 月前3"
    result = _import(library, _write(tmp_path, "another-search.txt", line + "\n"))
    assert (result.new, result.updated) == (0, 1), result.summary()
    doc = library.get(2)
    assert doc.title == "Curve核心组件之snapshotclone"
    assert doc.excerpts[-1] == "快照克隆 另一次搜索的摘要,讲的是快照的回滚"


def test_a_listing_about_html_is_text(library: Library, tmp_path: Path) -> None:
    """An excerpt can hold "<html>" (IT文库 is full of web documents): only a file that starts as a page is one."""
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    lines[0] = lines[0].replace("IOTracker", "<!DOCTYPE html><html><head> IOTracker")
    result = _import(library, _write(tmp_path, "about-html.txt", "\n".join(lines)))
    assert (result.new, result.rejected) == (10, 0), result.summary()
    assert "<!DOCTYPE html>" in library.get(1).excerpt
