"""Charts for the vehicle page, drawn server-side as inline SVG (nothing to run, so the CSP holds).

Pure functions: statistics in, geometry and labels out; `fuellogs/_chart.html` draws them with the
`.chart` classes and a visually hidden table as the text alternative.
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html_join
from django.utils.safestring import SafeString

from fuellogs.economy import Segment
from motovault import l10n

# The SVG's own coordinate system; the page scales it to the card's width.
WIDTH, HEIGHT = 320, 190
LEFT, RIGHT, TOP, BOTTOM = 48, 14, 12, 38
# The economy chart shows this many of the latest segments.
ECONOMY_POINTS = 50


@dataclass(frozen=True)
class Tick:
    position: float
    label: str


@dataclass(frozen=True)
class Mark:
    """A point of a line (x, y) or a bar (x, y, width, height), with what it stands for."""

    x: float
    y: float
    label: str
    value: str
    width: float = 0
    height: float = 0


@dataclass(frozen=True)
class Chart:
    title: str
    summary: str
    x_label: str
    y_label: str
    value_heading: str
    x_ticks: list[Tick]
    y_ticks: list[Tick]
    marks: list[Mark]
    # The line through the marks ("" for a bar chart).
    path: str = ""
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right: int = WIDTH - RIGHT
    top: int = TOP
    bottom: int = HEIGHT - BOTTOM

    # The per-mark markup is built here: fifty points through the template language took
    # 3 ms of every vehicle page.
    @property
    def marks_svg(self) -> SafeString:
        if self.path:
            return format_html_join(
                "",
                '<circle class="point" cx="{}" cy="{}" r="3"><title>{}: {} {}</title></circle>',
                ((m.x, m.y, m.label, m.value, self.value_heading) for m in self.marks),
            )
        return format_html_join(
            "",
            '<rect class="bar" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
            ((m.x, m.y, m.width, m.height, m.label, m.value) for m in self.marks),
        )

    @property
    def table_rows(self) -> SafeString:
        """The text alternative's rows: each mark's label and value."""
        return format_html_join(
            "", "<tr><td>{}</td><td>{}</td></tr>", ((m.label, m.value) for m in self.marks)
        )

    @property
    def y_label_x(self) -> float:
        return self.left - 38

    @property
    def y_label_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def x_label_y(self) -> float:
        return self.height - 3


def nice_scale(low: float, high: float, ticks: int = 4) -> tuple[float, float, float]:
    """A round axis range covering low..high in about `ticks` steps of 1, 2 or 5 times a
    power of ten: (lowest, highest, step)."""
    if high <= low:
        high = low + 1
    raw_step = (high - low) / ticks
    magnitude = 10 ** math.floor(math.log10(raw_step))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw_step)
    return math.floor(low / step) * step, math.ceil(high / step) * step, step


def _y_ticks(low: float, high: float, step: float, *, grouping: bool) -> list[Tick]:
    """Tick labels in the owner's separators, as short as "g" writes them: 30, 30.5, 1,000."""
    count = round((high - low) / step)
    places = max(0, -math.floor(math.log10(step) + 1e-9))
    ticks = []
    for i in range(count + 1):
        value = round(low + i * step, places)
        label = (
            l10n.number(value, 0, grouping=grouping)
            if value == int(value)
            else l10n.plain(Decimal(str(value)), places)
        )
        ticks.append(Tick(_y(low + i * step, low, high), label))
    return ticks


def _y(value: float, low: float, high: float) -> float:
    bottom = HEIGHT - BOTTOM
    return round(bottom - (value - low) / (high - low) * (bottom - TOP), 1)


def economy_chart(
    segments: Sequence[Segment], *, distance_unit: str, fuel_unit: str
) -> Chart | None:
    """Economy over time in the unit the owner reads (MPG, L/100 km...): one point per segment
    (the latest ECONOMY_POINTS), placed by date. The segments are in the vehicle's units
    (`distance_unit`, `fuel_unit`). None when there is no segment to draw."""
    segments = list(segments)[-ECONOMY_POINTS:]
    if not segments:
        return None
    unit = l10n.economy_abbreviation(fuel_unit)
    values = [
        float(l10n.economy_value(segment.ratio, distance_unit, fuel_unit)) for segment in segments
    ]
    low, high, step = nice_scale(min(values), max(values))
    if low < 0:
        low = 0
    first, last = segments[0].date, segments[-1].date
    span = (last - first).days

    def x(date: dt.date) -> float:
        if span == 0:
            return (LEFT + WIDTH - RIGHT) / 2
        return round(LEFT + (date - first).days / span * (WIDTH - RIGHT - LEFT), 1)

    marks = [
        Mark(x(segment.date), _y(value, low, high), l10n.day(segment.date), l10n.number(value, 1))
        for segment, value in zip(segments, values, strict=True)
    ]
    x_ticks = [Tick(x(first), l10n.month_and_year(first))]
    if span > 0:
        x_ticks.append(Tick(x(last), l10n.month_and_year(last)))
    return Chart(
        title=f"{unit} over time",
        summary=(
            f"{unit} of the last {len(marks)} segments between full fill-ups, "
            f"{l10n.day(first)} to {l10n.day(last)}."
            if len(marks) > 1
            else f"{unit} of one segment between full fill-ups, {l10n.day(first)}."
        ),
        x_label="Date of fill-up",
        y_label=unit,
        value_heading=unit,
        x_ticks=x_ticks,
        y_ticks=_y_ticks(low, high, step, grouping=False),
        marks=marks,
        path="M" + " L".join(f"{mark.x:g},{mark.y:g}" for mark in marks),
    )


def spending_chart(monthly: Sequence[tuple[dt.date, Decimal]]) -> Chart | None:
    """Spending per month, one bar a month. None when nothing was spent in those months."""
    if not monthly or not any(amount for _, amount in monthly):
        return None
    highest = float(max(amount for _, amount in monthly))
    low, high, step = nice_scale(0, highest)
    slot = (WIDTH - RIGHT - LEFT) / len(monthly)
    marks = []
    for i, (month, amount) in enumerate(monthly):
        top = _y(float(amount), low, high)
        marks.append(
            Mark(
                x=round(LEFT + i * slot + slot * 0.15, 1),
                y=top,
                width=round(slot * 0.7, 1),
                height=round(HEIGHT - BOTTOM - top, 1),
                label=l10n.month_and_year_in_full(month),
                value=l10n.money(amount),
            )
        )
    # Every other month is labeled, ending with the latest: twelve names do not fit.
    latest = len(monthly) - 1
    x_ticks = [
        Tick(round(LEFT + (i + 0.5) * slot, 1), l10n.month_name(month))
        for i, (month, _) in enumerate(monthly)
        if (latest - i) % 2 == 0
    ]
    first, last = monthly[0][0], monthly[-1][0]
    return Chart(
        title="Spending per month",
        summary=(
            f"Fuel spending per month, {l10n.month_and_year_in_full(first)} to "
            f"{l10n.month_and_year_in_full(last)}."
        ),
        x_label="Month",
        y_label=f"Spent ({l10n.currency_symbol()})",
        value_heading="Spent",
        x_ticks=x_ticks,
        y_ticks=_y_ticks(low, high, step, grouping=True),
        marks=marks,
    )
