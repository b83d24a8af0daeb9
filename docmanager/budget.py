"""The reading budget: how long a document takes to read, how long the read-later queue takes, and
which of its documents, from the top, fit in a given time.

A document's estimate is the user's own (``Document.reading_minutes``) when set, else its pages times
the reading speed (minutes per page, a setting of the window; the command line takes it as an
option). A document of unknown pages without the user's estimate has none: it is never counted as
fitting, and takes nothing from the budget (the documents after it may still fit).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

DEFAULT_MINUTES_PER_PAGE = 2.0


def estimate_minutes(pages: int | None, override: int | None, minutes_per_page: float) -> float | None:
    """How many minutes a document takes: the user's estimate, or pages × speed; None when unknown."""
    if override is not None:
        return float(override)
    if pages is None:
        return None
    return pages * minutes_per_page


@dataclass(frozen=True, slots=True)
class QueueEstimate:
    """The read-later queue, in queue order, with each document's estimate (None: unknown)."""

    ids: tuple[int, ...]
    minutes: tuple[float | None, ...]

    @classmethod
    def of(cls, rows: Iterable[tuple[int, int | None, int | None]], minutes_per_page: float) -> QueueEstimate:
        """From (id, pages, reading_minutes) rows in queue order (``Library.later_reading``)."""
        ids: list[int] = []
        minutes: list[float | None] = []
        for doc_id, pages, override in rows:
            ids.append(doc_id)
            minutes.append(estimate_minutes(pages, override, minutes_per_page))
        return cls(tuple(ids), tuple(minutes))

    @property
    def total(self) -> float:
        """The minutes of the documents that have an estimate."""
        return sum(m for m in self.minutes if m is not None)

    @property
    def unknown(self) -> int:
        """How many documents have no estimate."""
        return sum(m is None for m in self.minutes)

    def fitting(self, budget: float) -> list[int]:
        """The documents from the top of the queue whose estimates, added up from the top, stay within
        ``budget`` minutes: read in queue order, the first that does not fit ends it. Documents
        without an estimate are skipped (neither fitting nor spending)."""
        fits: list[int] = []
        spent = 0.0
        for doc_id, minutes in zip(self.ids, self.minutes, strict=True):
            if minutes is None:
                continue
            if spent + minutes > budget + 1e-9:
                break
            spent += minutes
            fits.append(doc_id)
        return fits


def hours_minutes(minutes: float) -> tuple[int, int]:
    """Minutes rounded to the nearest whole minute, as (hours, minutes)."""
    whole = round(minutes)
    return whole // 60, whole % 60


def duration_text(minutes: float) -> str:
    """``6 h 20 min``, ``45 min``, ``2 h`` (the command line's; the window translates its own)."""
    hours, rest = hours_minutes(minutes)
    if not hours:
        return f"{rest} min"
    return f"{hours} h" if not rest else f"{hours} h {rest} min"
