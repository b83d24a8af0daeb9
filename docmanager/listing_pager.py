"""The page's footer: MoreDoc's result count (``共 74 条``) and its pager, and the page number they tell."""

from __future__ import annotations

import re

# Bounded digit counts: a 5,000-digit "total" would make int() raise and SQLite's INTEGER overflow.
_TOTAL = re.compile(r"^共\s*(\d{1,12})\s*条")
_PAGER = re.compile(r"^-\s*(\d{1,12})$")
# The rest of MoreDoc's pager (element-ui's el-pagination, layout "total, prev, pager, next, jumper"):
# prev/next as words or arrows, the "…" buttons (text only from an icon, so "- " may be all that is left),
# and the jumper "前往 [input] 页", which a save may split over lines; a number on its own line is the
# jumper's only right after "前往" (ListingReader keeps that one line of context).
_PAGER_WORDS = re.compile(
    r"^(?:-\s*)?(?:…|\.\.\.|上一页|下一页|首页|尾页|末页|[<>‹›«»←→]|前往(?:\s*\d{1,12}\s*页)?|页)?$"
)


def parse_footer(text: str) -> tuple[str, int] | None:
    """``共 74 条`` → ("total", 74); ``- 3`` → ("page", 3); the pager's other parts → ("pager", 0)."""
    text = text.strip()
    if m := _TOTAL.match(text):
        return "total", int(m[1])
    if m := _PAGER.match(text):
        return "page", int(m[1])
    if text and _PAGER_WORDS.match(text):
        return "pager", 0
    return None


def page_number(pager_pages: list[int], total_claimed: int | None, entries: int) -> int | None:
    """Which pager page a file was: the one number its pager does not link to."""
    shown = {n for n in pager_pages if n >= 1}
    if not shown:
        return None
    top = max(shown)
    # Counted, not listed: a pager line "- 999999999999" must not build a list of a trillion numbers.
    gaps = top - len(shown)
    if gaps == 1:
        return next(n for n in range(1, top + 1) if n not in shown)
    # No gap: this is the page after the last link if the claimed total needs one more page.
    if gaps == 0 and total_claimed and total_claimed > top * entries:
        return top + 1
    return None
