"""The Read later view's reading budget: a toolbar asking "What fits in N min?" and the reading speed,
and the texts the window shows for it (see docmanager.budget for the arithmetic)."""

from __future__ import annotations

from PySide6.QtCore import QSettings, Signal
from PySide6.QtWidgets import QDoubleSpinBox, QLabel, QSpinBox, QToolBar, QWidget

from docmanager.budget import DEFAULT_MINUTES_PER_PAGE, QueueEstimate, hours_minutes
from docmanager.gui.i18n import tr

SPEED_KEY = "reading/minutes_per_page"
BUDGET_KEY = "reading/budget_minutes"
MAX_BUDGET = 100 * 60  # minutes: a hundred hours is more than any sitting


def duration(minutes: float) -> str:
    """``6 h 20 min``, ``45 min``, ``2 h``, translated."""
    hours, rest = hours_minutes(minutes)
    if not hours:
        return tr("%1 min").replace("%1", str(rest))
    if not rest:
        return tr("%1 h").replace("%1", str(hours))
    return tr("%1 h %2 min").replace("%1", str(hours)).replace("%2", str(rest))


def minutes_per_page(settings: QSettings) -> float:
    """The reading speed the user set, or the default; a setting that is no number is the default."""
    try:
        speed = float(settings.value(SPEED_KEY, DEFAULT_MINUTES_PER_PAGE))  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return DEFAULT_MINUTES_PER_PAGE
    return speed if 0 < speed <= 60 else DEFAULT_MINUTES_PER_PAGE


def queue_text(queue: QueueEstimate, budget: int, fits: int) -> str:
    """The status bar's words on the queue: its documents and time, those without an estimate, and
    what fits the budget (0: none asked)."""
    queued = tr("Read later: 1 document, ~%2") if len(queue.ids) == 1 else tr("Read later: %1 documents, ~%2")
    text = queued.replace("%1", f"{len(queue.ids):,}").replace("%2", duration(queue.total))
    if queue.unknown:
        text += tr(" (%1 without an estimate)").replace("%1", f"{queue.unknown:,}")
    if budget:
        fit = tr("; 1 document fits in %2 min") if fits == 1 else tr("; %1 documents fit in %2 min")
        text += fit.replace("%1", f"{fits:,}").replace("%2", f"{budget:,}")
    return text


class BudgetBar(QToolBar):
    """Shown with the Read later view: the time to fill (0: no budget, nothing marked) and the reading
    speed. Both are settings, saved as they change."""

    budget_changed = Signal(int)  # minutes (0: none)
    speed_changed = Signal(float)  # minutes per page

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(tr("Reading budget"), parent)
        self.setObjectName("budget-toolbar")
        self.setMovable(False)
        self.settings = settings
        self.addWidget(QLabel(tr("What fits in") + " "))
        self.budget = QSpinBox()
        self.budget.setRange(0, MAX_BUDGET)
        self.budget.setSingleStep(15)
        self.budget.setSuffix(tr(" min"))
        self.budget.setSpecialValueText(tr("any time"))  # 0: no budget, no marks
        self.budget.setToolTip(tr("Mark the documents from the top of the queue that can be read in this time"))
        try:
            self.budget.setValue(int(settings.value(BUDGET_KEY, 0)))  # type: ignore[call-overload]
        except (TypeError, ValueError):
            self.budget.setValue(0)
        self.budget.valueChanged.connect(self._budget_changed)
        self.addWidget(self.budget)
        self.addSeparator()
        self.addWidget(QLabel(tr("Reading speed") + " "))
        self.speed = QDoubleSpinBox()
        self.speed.setRange(0.1, 60)
        self.speed.setDecimals(1)
        self.speed.setSingleStep(0.5)
        self.speed.setSuffix(tr(" min/page"))
        self.speed.setToolTip(tr("How long a page takes you: a document's estimate is its pages times this"))
        self.speed.setValue(minutes_per_page(settings))
        self.speed.valueChanged.connect(self._speed_changed)
        self.addWidget(self.speed)

    def minutes(self) -> int:
        return self.budget.value()

    def minutes_per_page(self) -> float:
        return self.speed.value()

    def _budget_changed(self, minutes: int) -> None:
        self.settings.setValue(BUDGET_KEY, minutes)
        self.budget_changed.emit(minutes)

    def _speed_changed(self, speed: float) -> None:
        self.settings.setValue(SPEED_KEY, speed)
        self.speed_changed.emit(speed)
