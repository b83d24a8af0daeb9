"""Reading listing files: encodings, result lines, footers and the reasons a line is rejected.

A listing file mixes three shapes freely. A result line glues title, excerpt and fields together
(``listing_fields`` reads its fields). A browser's own text of the page keeps the parts apart instead,
a block a line (title, description, fields, rating): those blocks give exact titles (see
``listing_blocks`` and ListingReader). A saved HTML page is read by ``webpage``. The footer (the count
and the pager) is read by ``listing_pager``, the encoding and the lines by ``listing_text``; this module
is the reader that puts them together, and it names all of their public parts, so callers may import
any of them from here.

Files are streamed: ``open_listing`` yields one Entry or Rejection at a time and reads each line with a
bounded ``readline``, so neither a 1 GB file nor a 100 MB line is ever held in memory whole; a line
longer than MAX_LINE_CHARS is skipped to its end and rejected. ``read_listing`` collects a whole file
for callers that want it.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
from collections.abc import Buffer, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from docmanager import webpage
from docmanager.errors import ListingError
from docmanager.listing_blocks import _FIELDS_LINE, _RATING_LINE, block_entry, flat, is_fields_line
from docmanager.listing_fields import (
    _UNDECODED,
    AGE_UNITS,
    AGE_WORDS,
    MAX_CREDIT_CHARS,
    MAX_LINE_CHARS,
    MAX_PAGES,
    MAX_RATING,
    MAX_SIZE_BYTES,
    NOT_A_RESULT,
    SIZE_UNITS,
    Entry,
    Rejection,
    _printable,
    age_precision,
    parse_age,
    parse_line,
    parse_size,
    published_estimate,
)
from docmanager.listing_pager import page_number, parse_footer

# ListingReader calls read_lines by its name here: a test may replace ``listing.read_lines``.
from docmanager.listing_text import _ERRORS, SNIFF_BYTES, read_lines, sniff_encoding

__all__ = [
    "AGE_UNITS",
    "AGE_WORDS",
    "HTML_NO_RESULTS",
    "HTML_OTHER",
    "HTML_SUFFIXES",
    "MAX_CREDIT_CHARS",
    "MAX_LINE_CHARS",
    "MAX_PAGER_NUMBERS",
    "MAX_PAGES",
    "MAX_PAGE_BYTES",
    "MAX_RATING",
    "MAX_SIZE_BYTES",
    "NOT_A_RESULT",
    "SIZE_UNITS",
    "SNIFF_BYTES",
    "Entry",
    "Listing",
    "ListingReader",
    "Rejection",
    "age_precision",
    "block_entry",
    "capture_time",
    "flat",
    "is_fields_line",
    "open_listing",
    "page_number",
    "parse_age",
    "parse_footer",
    "parse_line",
    "parse_size",
    "published_estimate",
    "read_lines",
    "read_listing",
    "sniff_encoding",
]

# A text file is an HTML page when it starts as one (after comments such as a browser's "saved from
# url"): an excerpt of a document about HTML can hold "<html>" anywhere in a listing.
_HTML = re.compile(r"\A\s*(?:<!--.*?-->\s*)*(?:<!doctype\s+html|<html[\s>])", re.IGNORECASE | re.DOTALL)
# An HTML page bigger than this is refused unread: a saved results page is a few hundred KB (1,000
# MoreDoc results are about 1.6 MB), and the page is parsed whole in memory (about 10 times its size).
MAX_PAGE_BYTES = 20 * 1024 * 1024
HTML_SUFFIXES = (".html", ".htm", ".xhtml")
HTML_NO_RESULTS = "this MoreDoc search page has no results (its result list is empty)"
HTML_OTHER = "is it a saved search results page?"
# A file of pager lines only would otherwise grow this list without bound.
MAX_PAGER_NUMBERS = 100_000


@dataclass(slots=True)
class Listing:
    """A whole listing file as read."""

    path: str
    encoding: str
    entries: list[Entry] = field(default_factory=list)
    rejections: list[Rejection] = field(default_factory=list)
    total_claimed: int | None = None
    pager_pages: list[int] = field(default_factory=list)
    line_count: int = 0
    other_encoding_lines: int = 0  # lines read as GB18030 in a UTF-8 file, or the other way round
    is_html: bool = False

    @property
    def page_number(self) -> int | None:
        """Which pager page this file was: the one number the pager does not link to."""
        return page_number(self.pager_pages, self.total_claimed, len(self.entries))


class _HashingReader(io.RawIOBase):
    """A raw file that feeds every byte it reads to a digest: the file's sha256 costs no second read."""

    def __init__(self, raw: io.FileIO, digest: hashlib._Hash) -> None:
        super().__init__()
        self._raw = raw
        self._digest = digest
        self.bytes_read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Buffer, /) -> int:
        n = self._raw.readinto(buffer) or 0
        if n:
            self._digest.update(memoryview(buffer)[:n])
            self.bytes_read += n
        return n

    def close(self) -> None:
        self._raw.close()
        super().close()


def _file_state(st: os.stat_result) -> tuple[int, int, int, int]:
    return st.st_dev, st.st_ino, st.st_size, st.st_mtime_ns


def _open_regular(path: Path) -> io.FileIO:
    """Open a file for reading, refusing folders, pipes and devices before anything blocks on them."""
    # O_NONBLOCK: opening a FIFO with no writer would otherwise wait forever; on a regular file it does nothing.
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except FileNotFoundError:
        raise ListingError(str(path), "no such file") from None
    except IsADirectoryError:
        raise ListingError(str(path), "this is a folder, not a file") from None
    except PermissionError:
        raise ListingError(str(path), "permission denied") from None
    except OSError as exc:
        raise ListingError(str(path), f"cannot be opened: {exc.strerror or exc}") from None
    mode = os.fstat(fd).st_mode
    if not stat.S_ISREG(mode):
        os.close(fd)
        if stat.S_ISDIR(mode):
            raise ListingError(str(path), "this is a folder, not a file")
        raise ListingError(
            str(path), "this is not a regular file (a pipe, socket or device); save the listing to a file"
        )
    return io.FileIO(fd, "rb")


class ListingReader:
    """One streaming pass over a listing file: iterating yields its Entries and Rejections in order,
    while the footer claims and the counts accumulate on the reader.

    Opening sniffs the encoding (and refuses folders, pipes, empty and binary files); reading errors
    become a ListingError naming the line. A line that is not valid in the file's encoding but reads
    as a complete result line in the other Chinese encoding (UTF-8 ↔ GB18030) is taken in that encoding:
    pages saved by different programs get concatenated, and 码力/页/月前 cannot come out of the wrong
    decoding by accident, so such a line is never misread. Any other undecodable line is rejected.

    Glued lines and blocks (see block_entry) are read in one pass, in any mix. A line of other text is
    held back as a possible title or description (the last two such lines are kept): a fields line
    makes them its block; a result of either kind, or the pager, leaves the earlier ones unused. An
    unused text line is chrome (neither a document nor a rejected line) when it comes before the first
    result (the page's header: navigation, the search box, the search statistics) or is shorter than
    MIN_BROKEN_CHARS (a link, a heading, a pager word, the footer); after a result, a longer one is
    rejected as not a result line: it is what a result cut short or a stray description looks like.
    The pager (parse_footer) is chrome wherever it is.

    An HTML page (``webpage``) is read whole instead: MoreDoc's result list gives exact titles and the
    documents' addresses; a page of another layout gives its visible text, a block a line, read as above.
    """

    # Chrome is short: MoreDoc's links, headings and pager words, the footer's lines. A result holds an
    # excerpt (MoreDoc cuts descriptions at 255 characters), so what is left of a broken one is longer.
    MIN_BROKEN_CHARS = 60

    def __init__(self, path: Path) -> None:
        self.path = str(path)
        self.total_claimed: int | None = None
        self.pager_pages: list[int] = []
        self.line_count = 0
        self.entries = 0
        self.rejections = 0
        self.footers = 0
        self._after_goto = False  # the last non-blank line was the jumper's "前往"
        self.other_encoding_lines = 0
        self.first_rejection: Rejection | None = None
        self.text_lines = 0  # lines of other text: the page's header and footer, or not a listing at all
        self.first_text: Rejection | None = None
        self.page_number_shown: int | None = None  # an HTML pager marks the current page
        self.page_kind = "text"  # or "moredoc" (an HTML page of MoreDoc's results) or "html" (another page)
        self._pending: list[tuple[int, str]] = []  # the last text lines: a coming block's title and description
        self._held: Entry | None = None  # a block waiting for its rating line
        self._after_result = False  # a result has been read: an unused text line is no longer the header
        self._digest = hashlib.sha256()
        raw = _open_regular(Path(path))
        try:
            self._opened = _file_state(os.fstat(raw.fileno()))
            self._hashing = _HashingReader(raw, self._digest)
            buffered = io.BufferedReader(self._hashing, SNIFF_BYTES)
            head = buffered.peek(SNIFF_BYTES)[:SNIFF_BYTES]
            self.encoding = sniff_encoding(head, self.path)
            self._stream = io.TextIOWrapper(buffered, encoding=self.encoding, errors=_ERRORS, newline=None)
        except OSError as exc:
            raw.close()
            raise ListingError(self.path, f"cannot be read: {exc.strerror or exc}") from None
        except BaseException:
            raw.close()
            raise
        head_text = head[:8192].decode(self.encoding, "replace")
        # A saved page (.html, .htm) is HTML even without a doctype (a fragment); a text file is when it sniffs so.
        self.is_html = Path(path).suffix.lower() in HTML_SUFFIXES or bool(_HTML.match(head_text.lstrip("\ufeff")))
        if self.is_html and self.size > MAX_PAGE_BYTES:
            self._stream.close()
            raise ListingError(
                self.path,
                f"this HTML page is {self.size / 2**20:,.1f} MB; a saved results page is well under "
                f"{MAX_PAGE_BYTES // 2**20} MB, so it is not read (is it the right file?)",
            )
        self._bytes_codec, self._other = {
            "utf-8": ("utf-8", "gb18030"),
            "utf-8-sig": ("utf-8", "gb18030"),
            "gb18030": ("gb18030", "utf-8"),
        }.get(self.encoding, ("", ""))

    def close(self) -> None:
        self._stream.close()

    def __enter__(self) -> ListingReader:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def sha256(self) -> str:
        """The digest of the bytes read so far: the whole file's once the iteration has ended."""
        return self._digest.hexdigest()

    @property
    def page_number(self) -> int | None:
        if self.page_number_shown is not None:
            return self.page_number_shown
        return page_number(self.pager_pages, self.total_claimed, self.entries)

    @property
    def size(self) -> int:
        """The file's size in bytes when it was opened."""
        return self._opened[2]

    @property
    def bytes_read(self) -> int:
        """How many of its bytes have been read (a little ahead of the lines yielded): for progress."""
        return self._hashing.bytes_read

    def changed(self) -> bool:
        """Whether the file at the path is no longer the one opened as it was: written to, grown, cut,
        replaced or removed since (its device, inode, size and modification time)."""
        try:
            return _file_state(os.stat(self.path)) != self._opened
        except OSError:
            return True

    def __iter__(self) -> Iterator[Entry | Rejection]:
        for read in self._page() if self.is_html else self._lines():
            item = read
            if isinstance(item, Entry):
                self.entries += 1
            else:
                if _UNDECODED.search(item.raw):  # lone surrogates cannot be stored or shown: escape them
                    item = Rejection(item.line_no, item.reason, _printable(item.raw))
                self.rejections += 1
                if self.first_rejection is None:
                    self.first_rejection = item
            yield item

    def _lines(self) -> Iterator[Entry | Rejection]:
        line_no = self.line_count
        try:
            for raw, length in read_lines(self._stream):
                line_no += 1
                self.line_count = line_no
                yield from self._feed(line_no, raw, length)
        except OSError as exc:
            raise ListingError(
                self.path,
                f"the file could not be read any further ({exc.strerror or exc}); was it removed or changed?",
                line=line_no + 1,
            ) from None
        yield from self._end()

    def _page(self) -> Iterator[Entry | Rejection]:
        """An HTML page, read whole (it is at most MAX_PAGE_BYTES): its results, or its text's."""
        try:
            data = self._stream.buffer.read()
        except OSError as exc:
            raise ListingError(self.path, f"the file could not be read ({exc.strerror or exc})") from None
        text, self.encoding = webpage.decode_page(data, self.path)
        page = webpage.read_page(text, self.path)
        self.total_claimed = page.total_claimed
        self.pager_pages = page.pager_pages[:MAX_PAGER_NUMBERS]
        self.page_number_shown = page.page_number
        self.page_kind = "moredoc" if page.results is not None else "html"
        if page.results is not None:
            self.line_count = len(page.results)
            yield from page.results
            return
        self._other = ""  # the text is decoded already: no line is read in another encoding
        for line_no, line in enumerate(page.text_lines, start=1):
            self.line_count = line_no
            yield from self._feed(line_no, line, len(line))
        yield from self._end()

    def _feed(self, line_no: int, raw: str, length: int) -> list[Entry | Rejection]:
        """One line through the rules of glued lines and blocks (see the class): what it completes."""
        out: list[Entry | Rejection] = []
        text = raw.strip() if length <= MAX_LINE_CHARS else "?"
        if self._held is not None and text:
            held, self._held = self._held, None
            if _RATING_LINE.match(text):
                out.append(replace(held, rating=float(text), raw=held.raw + text))
                return out
            out.append(held)
        if not text:
            return out
        if length <= MAX_LINE_CHARS and self._footer(raw):
            self._drop_pending(out)
            return out
        if length <= MAX_LINE_CHARS and _FIELDS_LINE.match(text):
            block, self._pending = self._pending, []
            self._after_result = True
            if not block:
                out.append(Rejection(line_no, "a result's price, pages and size with no title before them", raw))
                return out
            (title_no, title), *description = block
            item = block_entry(title_no, title, description[0][1] if description else "", text)
            if isinstance(item, Entry) and item.rating is None:
                self._held = item  # its rating is on the next line
            else:
                out.append(item)
            return out
        line = self._read(line_no, raw, length)
        if isinstance(line, Rejection) and line.reason == NOT_A_RESULT:
            self._pending.append((line_no, raw))
            if len(self._pending) > 2:
                self._unused(*self._pending.pop(0), out)
            return out
        if line is not None:
            self._drop_pending(out)
            self._after_result = True
            out.append(line)
        return out

    def _end(self) -> list[Entry | Rejection]:
        """The end of the text: the block waiting for a rating is complete; the text lines left are the
        page's footer, or not."""
        out: list[Entry | Rejection] = [] if self._held is None else [self._held]
        self._held = None
        self._drop_pending(out)
        return out

    def _drop_pending(self, out: list[Entry | Rejection]) -> None:
        for line_no, raw in self._pending:
            self._unused(line_no, raw, out)
        self._pending = []

    def _unused(self, line_no: int, raw: str, out: list[Entry | Rejection]) -> None:
        """A text line no block took: chrome, or rejected (see the class)."""
        rejection = Rejection(line_no, NOT_A_RESULT, raw)
        if self._after_result and len(raw.strip()) >= self.MIN_BROKEN_CHARS:
            out.append(rejection)
        else:
            self._chrome(rejection)

    def _chrome(self, line: Rejection) -> None:
        self.text_lines += 1
        if self.first_text is None:
            self.first_text = line

    def _read(self, line_no: int, raw: str, length: int) -> Entry | Rejection | None:
        if length > MAX_LINE_CHARS:
            return Rejection(line_no, f"line is {length:,} characters long, not a result line", _printable(raw[:200]))
        item = parse_line(line_no, raw)  # the footer is not: _feed has seen to it
        if isinstance(item, Rejection) and self._other and not raw.isascii():
            try:
                other = raw.encode(self._bytes_codec, "surrogateescape").decode(self._other)
            except UnicodeError:
                return item
            if self._footer(other):
                self.other_encoding_lines += 1
                return None
            if isinstance(alt := parse_line(line_no, other), Entry):
                self.other_encoding_lines += 1
                return alt
        return item

    def _footer(self, text: str) -> bool:
        footer = parse_footer(text)
        stripped = text.strip()
        if footer is None and self._after_goto and stripped.isascii() and stripped.isdigit() and len(stripped) <= 12:
            footer = "pager", 0
        if stripped:
            self._after_goto = stripped == "前往"
        if footer is None:
            return False
        kind, value = footer
        self.footers += 1
        if kind == "total":
            self.total_claimed = value
        elif kind == "page" and len(self.pager_pages) < MAX_PAGER_NUMBERS:
            self.pager_pages.append(value)
        return True

    def refusal(self) -> ListingError | None:
        """Why the file read so far cannot be imported (it has no result line), or None."""
        if self.entries:
            return None
        if self.page_kind == "moredoc" and not self.rejections:
            return ListingError(self.path, HTML_NO_RESULTS)
        first = self.first_rejection or self.first_text
        if first is None:
            what = "only the page's footer (共 … 条 and the pager)" if self.footers else "only blank lines"
            if self.page_kind == "html":
                what = "no text" if not self.footers else what
                return ListingError(self.path, f"no results found in this HTML page ({what}); {HTML_OTHER}")
            return ListingError(self.path, f"no result lines found, {what}; is this a saved listing page?")
        if self.first_rejection is None:
            counted = f"{self.text_lines:,} lines of other text, the first at line {first.line_no}"
        else:
            counted = f"{self.rejections:,} lines rejected, the first at line {first.line_no}: {first.reason}"
        reason = f"no result lines found ({counted}); is this a saved listing page?"
        if self.page_kind == "html":
            reason = f"no results found in this HTML page's text ({counted}); {HTML_OTHER}"
        if self.encoding == "gb18030" or "encoding" in first.reason:
            name = {"gb18030": "GB18030", "utf-8": "UTF-8", "utf-8-sig": "UTF-8"}.get(self.encoding, "UTF-16")
            reason += f" It was read as {name}; if it is in another encoding (Latin-1, Shift-JIS…), save it as UTF-8."
        return ListingError(self.path, reason, line=first.line_no)


def open_listing(path: Path) -> ListingReader:
    """Open a listing file for one streaming pass (a context manager); refuses what is not a text file."""
    return ListingReader(path)


def read_listing(path: Path) -> Listing:
    """Read a whole listing file into entries, rejections and footer claims; refuse it if it has no results."""
    with open_listing(path) as reader:
        listing = Listing(path=str(path), encoding=reader.encoding)
        for item in reader:
            if isinstance(item, Entry):
                listing.entries.append(item)
            else:
                listing.rejections.append(item)
        listing.total_claimed = reader.total_claimed
        listing.pager_pages = reader.pager_pages
        listing.line_count = reader.line_count
        listing.other_encoding_lines = reader.other_encoding_lines
        listing.is_html = reader.is_html
        if (error := reader.refusal()) is not None:
            raise error
    return listing


def capture_time(path: Path) -> datetime:
    """When the listing was saved: the file's modification time."""
    return datetime.fromtimestamp(path.stat().st_mtime, tz=UTC)
