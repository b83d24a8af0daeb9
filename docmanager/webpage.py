"""Reading a saved HTML results page: MoreDoc's result list with exact titles and links, or its text.

The parser is selectolax's Lexbor engine: an HTML5 parser (it reads a page, broken or cut, the way a
browser does), C speed (a 1,000-result page in well under a second), kept up (releases through 2026)
and typed. It has no network, no script engine and no external entities: nothing a page names (scripts,
styles, images, the ``NAME_files`` folder beside a saved page) is ever fetched, read or run. Titles and
descriptions are the elements' text, never markup.

A page is untrusted: only ``http`` and ``https`` document links are kept (``web_url``); a result whose
link is ``javascript:``, ``file:``, ``data:`` or any other scheme is rejected with the reason, and the
rest of the page imports. docs/listing-format.md quotes the MoreDoc markup read here.
"""

from __future__ import annotations

import codecs
import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING
from urllib.parse import quote, urljoin, urlsplit

from docmanager.errors import DocManagerError, ListingError
from docmanager.listing_blocks import block_entry, flat
from docmanager.listing_fields import Entry, Rejection
from docmanager.listing_pager import parse_footer

if TYPE_CHECKING:  # selectolax is imported where a page is parsed: the addresses' users need none of it
    from selectolax.lexbor import LexborHTMLParser, LexborNode

WEB_SCHEMES = ("http", "https")
MAX_URL_CHARS = 2048
# MoreDoc's search route: pages/search.vue reads the words from ``query.wd``.
SEARCH_PATH = "/search?wd="

# Never text a reader sees; dropped before anything is read (a <script> inside a title stays out of it).
_UNSEEN = ["script", "style", "noscript", "template", "iframe", "object", "embed", "head", "svg", "canvas"]
# Elements a browser's text starts on a line of their own (Save as Text, Select All + Copy).
_BLOCKS = frozenset(
    (
        "address", "article", "aside", "blockquote", "body", "caption", "dd", "details", "dialog", "div", "dl",
        "dt", "fieldset", "figcaption", "figure", "footer", "form", "h1", "h2", "h3", "h4", "h5", "h6", "header",
        "hr", "html", "li", "main", "nav", "ol", "option", "p", "pre", "section", "summary", "table", "tbody",
        "td", "tfoot", "th", "thead", "tr", "ul",
    )
)  # fmt: skip
_SAVED_FROM = re.compile(r"<!--\s*saved from url=\(\d+\)\s*(\S+?)\s*-->", re.IGNORECASE)
_META_CHARSET = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]{1,40})""", re.IGNORECASE)
_URL_JUNK = re.compile(r"[\t\n\r]")  # browsers drop these inside a link before they read it
_C0_AND_SPACE = "".join(map(chr, range(0x21)))  # and these around it
# Deeper than this is a hostile page, not a saved one (see nesting_depth).
MAX_DEPTH = 5000
_TAG = re.compile(r"<(/?)([A-Za-z][^\s/>]*)[^>]*?(/?)>")
_RAW_TEXT = re.compile(r"<(script|style)\b.*?</\1\s*>", re.IGNORECASE | re.DOTALL)
_NOT_NESTING = frozenset(
    (
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source", "track",
        "wbr", "p", "li", "dt", "dd", "td", "th", "tr", "option", "optgroup", "rb", "rt", "rp", "!--", "!doctype",
    )
)  # fmt: skip
_GB = frozenset({"gbk", "gb2312", "gb18030", "euc_cn", "hz"})  # read as GB18030, their superset, as browsers do


@dataclass(slots=True)
class Page:
    """What a page gave: MoreDoc's results (None when it is another layout) or its visible text."""

    results: list[Entry | Rejection] | None
    text_lines: list[str] = field(default_factory=list)
    total_claimed: int | None = None
    pager_pages: list[int] = field(default_factory=list)  # the pager's numbers other than the current page's
    page_number: int | None = None


# --- addresses -------------------------------------------------------------------------------------


def web_url(href: str, base: str | None) -> str | None:
    """A document link as an absolute http(s) address; None when it is relative and no base is known.
    Raises ValueError, with the reason, for any other scheme (javascript:, file:, data:, app links)."""
    href = _URL_JUNK.sub("", href).strip(_C0_AND_SPACE)
    if not href or href.startswith("#"):
        return None
    if len(href) > MAX_URL_CHARS:
        raise ValueError(f"the document's link is {len(href):,} characters long; refused")
    try:
        scheme = urlsplit(href).scheme.lower()
        if scheme and scheme not in WEB_SCHEMES:
            raise ValueError(f"the document's link is a {scheme}: address, not a web page; refused, never opened")
        if not scheme:
            if base is None:
                return None
            href = urljoin(base, href)
        if not is_web_url(href):
            raise ValueError("the document's link is not a web address with a host; refused")
    except ValueError as exc:
        if str(exc).startswith("the document's link"):
            raise
        raise ValueError(f"the document's link is not a valid address ({exc}); refused") from None
    return href


def is_web_url(url: str | None) -> bool:
    """Whether an address may be opened: http or https, with a host, no spaces or control characters."""
    if not url or len(url) > MAX_URL_CHARS or any(c <= " " or c == "\x7f" for c in url):
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in WEB_SCHEMES and bool(parts.hostname)
    except ValueError:
        return False


def site_of(url: str) -> str:
    """The site a document address is on: ``https://www.wenku.it``."""
    parts = urlsplit(url)
    return f"{parts.scheme.lower()}://{parts.netloc}"


def search_url(site: str, words: str) -> str:
    """MoreDoc's search of ``site`` for ``words`` (its search page reads them from ``wd``)."""
    return site.rstrip("/") + SEARCH_PATH + quote(words, safe="")


def _base(tree: LexborHTMLParser, text: str) -> str | None:
    """The address relative links resolve against: <base href>, then where the browser saved the page
    from (its ``saved from url`` comment), then the canonical link. Only an http(s) address counts: a
    page saved from a file gives relative links no address at all."""
    saved = _SAVED_FROM.search(text[:8192])
    saved_from = saved[1] if saved and is_web_url(saved[1]) else None
    base = tree.css_first("base[href]")
    if base is not None:
        href = base.attributes.get("href") or ""
        joined = urljoin(saved_from, href) if saved_from else href
        if is_web_url(joined):
            return joined
    if saved_from:
        return saved_from
    canonical = tree.css_first('link[rel="canonical"][href]')
    href = (canonical.attributes.get("href") or "") if canonical is not None else ""
    return href if is_web_url(href) else None


# --- decoding --------------------------------------------------------------------------------------


def decode_page(data: bytes, path: str) -> tuple[str, str]:
    """A page's text and the encoding it was read in: its byte-order mark, else the charset its <meta>
    declares, else UTF-8 or GB18030, whichever reads it. A declared charset the bytes are not is refused
    with what they are (importing mojibake would be worse than asking for the page again)."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8", "replace"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return data.decode("utf-16", "replace"), "utf-16"
    m = _META_CHARSET.search(data[: 64 * 1024])
    if m is None:
        for encoding in ("utf-8", "gb18030"):
            try:
                return data.decode(encoding), encoding
            except UnicodeDecodeError:
                pass
        return data.decode("utf-8", "replace"), "utf-8"
    declared = m[1].decode("ascii").lower()
    try:
        codec = codecs.lookup(declared).name
    except LookupError:
        raise ListingError(path, f"the page declares a charset this program does not know ({declared})") from None
    codec = "gb18030" if codec in _GB else "utf-8" if codec.startswith("utf-16") else codec  # as browsers do
    if codec != "utf-8" and not data.isascii() and _reads_as(data, "utf-8"):
        raise ListingError(path, _mislabelled(declared, "UTF-8"))
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        for other, name in (("utf-8", "UTF-8"), ("gb18030", "GB18030")):
            if other != codec and _reads_as(data, other):
                raise ListingError(path, _mislabelled(declared, name)) from None
        raise ListingError(
            path, f"the page is not valid {declared}, the charset it declares (byte {exc.start:,}); save it again"
        ) from None


def _reads_as(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
    except UnicodeDecodeError:
        return False
    return True


def _mislabelled(declared: str, actual: str) -> str:
    return (
        f"the page declares its charset as {declared}, but its text is {actual}; the declaration is wrong, so "
        f"nothing was read (save the page again, or change charset={declared} to {actual} in the file)"
    )


# --- reading ---------------------------------------------------------------------------------------


def read_page(text: str, path: str) -> Page:
    """Read a decoded page. A page that does not end with ``</html>`` was cut short (a browser's saved
    page always does) and is refused: part of a page would import as if it were the whole."""
    head = text[:8192].lstrip("\ufeff \t\r\n").lower()
    if head.startswith(("<!doctype", "<html")) and "</html" not in text[-65536:].lower():
        raise ListingError(path, "the HTML page is cut short (it does not end with </html>); save the page again")
    from selectolax.lexbor import LexborHTMLParser

    if nesting_depth(text) > MAX_DEPTH:
        raise ListingError(
            path,
            f"the page nests its elements more than {MAX_DEPTH:,} deep (a results page: about 40); it is not read",
        )
    tree = LexborHTMLParser(text)
    base = _base(tree, text)  # before <head> goes
    tree.strip_tags(_UNSEEN)
    if tree.css_first("h3.doc-title") is None and tree.css_first(".com-search-result-document") is None:
        return Page(results=None, text_lines=visible_lines(tree.root))
    page = Page(results=_results(tree, base))
    total = tree.css_first(".el-pagination__total")
    if total is not None and (footer := parse_footer(flat(total.text()))) is not None and footer[0] == "total":
        page.total_claimed = footer[1]
    for item in tree.css("ul.el-pager li.number"):
        number = flat(item.text())
        if number.isascii() and number.isdigit() and len(number) <= 12:
            if "active" in (item.attributes.get("class") or "").split():
                page.page_number = int(number)
            else:
                page.pager_pages.append(int(number))
    return page


def nesting_depth(text: str, stop: int = MAX_DEPTH) -> int:
    """How deep the page's elements nest, counted from its tags (up to ``stop`` + 1). An HTML5 parser's
    work per element grows with the depth (the "in scope" checks walk the open elements): 40,000 nested
    <div>s take Lexbor 3 s, 100,000 take 20. Elements closed by their next sibling (p, li, td…), void ones
    (img, br…) and what is inside script and style do not count; Blink stops nesting at 512."""
    depth = deepest = 0
    for m in _TAG.finditer(_RAW_TEXT.sub("", text) if "<script" in text or "<style" in text else text):
        name = m[2].lower()
        if name in _NOT_NESTING or m[3]:
            continue
        if m[1]:
            depth = max(depth - 1, 0)
        else:
            depth += 1
            if depth > deepest:
                deepest = depth
                if deepest > stop:
                    break
    return deepest


def _results(tree: LexborHTMLParser, base: str | None) -> list[Entry | Rejection]:
    """MoreDoc's SearchResultDocument: per result an <li> holding h3.doc-title (a link to
    /document/<id>, an icon, the title), div.doc-desc, and div.doc-info (a span of the fields, then
    the el-rate with its span.el-rate__text). Numbered by their place on the page."""
    out: list[Entry | Rejection] = []
    for n, heading in enumerate(tree.css("h3.doc-title"), start=1):
        item = heading.parent or heading
        title = flat(heading.text())
        description = _text(item.css_first("div.doc-desc"))
        fields = _text(item.css_first("div.doc-info > span"))
        rating = _text(item.css_first(".el-rate__text"))
        raw = f"{title}{description}{fields}{rating}"
        link = heading.css_first("a[href]")
        try:
            url = web_url(link.attributes.get("href") or "", base) if link is not None else None
        except ValueError as exc:
            out.append(Rejection(n, str(exc), raw))
            continue
        if not fields:
            out.append(Rejection(n, "a result with no price, pages and size (div.doc-info)", raw))
            continue
        out.append(block_entry(n, title, description, fields, rating=rating, url=url))
    return out


def _text(node: LexborNode | None) -> str:
    return "" if node is None else flat(node.text())


def visible_lines(root: LexborNode | None) -> list[str]:
    """The page's text as a browser saves it: each block element's text on a line of its own (inline
    elements run together), whitespace collapsed. Walked with a stack: a hostile page nests deeper
    than Python's recursion allows."""
    lines: list[str] = []
    run: list[str] = []

    def end_line() -> None:
        if line := flat("".join(run)):
            lines.append(line)
        run.clear()

    stack: list[tuple[LexborNode, bool]] = [] if root is None else [(root, False)]
    while stack:
        node, leaving = stack.pop()
        if leaving:
            end_line()
            continue
        if node.is_text_node:
            run.append(node.text_content or "")
            continue
        if not node.is_element_node and not node.is_document_node:
            continue  # comments
        tag = node.tag or ""
        if tag == "br":
            end_line()
            continue
        if tag in _BLOCKS:
            end_line()
            stack.append((node, True))
        stack.extend((child, False) for child in reversed(list(node.iter(include_text=True))))
    end_line()
    return lines


def page_address(url: str | None, title: str, last_url: str | None, doc_id: int) -> str:
    """Where "open" takes a document: its page, else a search of the library's site (learned from the
    page seen last, ``last_url``) for its title. Only http(s) addresses are ever opened: an export
    loaded from elsewhere could hold anything. Raises DocManagerError when there is neither."""
    if url and is_web_url(url):
        return url
    if last_url is None or not is_web_url(last_url):
        raise DocManagerError(
            f"{doc_id}: no page address is known for this document, nor a site to search; "
            "import the site's results page as HTML to learn them"
        )
    return search_url(site_of(last_url), title)
