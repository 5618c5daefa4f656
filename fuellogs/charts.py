"""Charts for the vehicle page, drawn server-side as inline SVG (nothing to run, so the CSP holds),
and the pieces the dashboard's costs per month are built from (motovault.charts).

Pure functions: statistics in, geometry and labels out; `fuellogs/_chart.html` draws them with the
`.chart` classes, a legend for stacked layers and a visually hidden table as the text alternative.
"""

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from fuellogs.economy import Segment
from motovault import l10n

# The SVG's own coordinate system; the page scales it to the card's width. The bottom margin
# holds two rows of labels: a month's name, and under it the year where it changes. (Named
# months need no axis title; the text alternative's column heading says what they are.)
WIDTH, HEIGHT = 320, 190
LEFT, RIGHT, TOP, BOTTOM = 48, 14, 12, 38
# The widest amount label the axis title leaves room for.
MAX_LABELLED_TICK = 3
# The economy chart shows this many of the latest segments.
ECONOMY_POINTS = 50
# A month's name ("Nov") is about 25 units wide at the 13px the pages draw labels in: six of them
# share the 258 units of the plot with room between them.
MONTH_LABELS = 6
# How many months one label stands for when not every month can have one: calendar-aligned, so
# the labels fall on quarters, half-years and years rather than wherever the range starts.
MONTH_STEPS = (1, 2, 3, 6, 12, 24, 60, 120)
# Bars need two months to compare; with one, the page says what was spent instead.
MIN_MONTHS = 2
# Two months would otherwise make two slabs as wide as half the chart.
BAR_WIDTH = 28


@dataclass(frozen=True)
class Tick:
    position: float
    label: str
    # Under a month's name: its year, on the first label and where the year changes.
    year: str = ""


@dataclass(frozen=True)
class Mark:
    """A point of a line (x, y) or a bar (x, y, width, height), with what it stands for."""

    x: float
    y: float
    label: str
    value: str
    width: float = 0
    height: float = 0
    css_class: str = "bar"


@dataclass(frozen=True)
class Series:
    """One layer of a stacked bar chart: its name in the legend and the class that colors it."""

    name: str
    css_class: str


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
    # The layers of a stacked bar chart, named in a legend (none for a single series).
    legend: tuple[Series, ...] = ()
    # The text alternative, when it is not one row per mark: headings and rows.
    table_headings: tuple[str, ...] = ()
    table: tuple[tuple[str, ...], ...] = ()
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
            '<rect class="{}" x="{}" y="{}" width="{}" height="{}"><title>{}: {}</title></rect>',
            ((m.css_class, m.x, m.y, m.width, m.height, m.label, m.value) for m in self.marks),
        )

    @property
    def headings(self) -> tuple[str, ...]:
        """The text alternative's column headings."""
        return self.table_headings or (self.x_label, self.value_heading)

    @property
    def table_rows(self) -> SafeString:
        """The text alternative's rows: `table`, or each mark's label and value."""
        rows = self.table or tuple((m.label, m.value) for m in self.marks)
        return SafeString(
            "".join(
                format_html("<tr>{}</tr>", format_html_join("", "<td>{}</td>", ((c,) for c in row)))
                for row in rows
            )
        )

    @property
    def shows_y_label(self) -> bool:
        """Whether the rotated axis title fits: it sits clear of tick labels of three characters
        ("200"), and wider ones ("1,500") would run into it. The caption and the table name the
        amounts either way."""
        return all(len(tick.label) <= MAX_LABELLED_TICK for tick in self.y_ticks)

    @property
    def y_label_x(self) -> float:
        return self.left - 38

    @property
    def y_label_y(self) -> float:
        return (self.top + self.bottom) / 2

    @property
    def month_label_y(self) -> float:
        return self.bottom + 16

    @property
    def year_label_y(self) -> float:
        return self.bottom + 31


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


def next_month(month: dt.date) -> dt.date:
    return dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def month_ticks(months: Sequence[dt.date], centers: Sequence[float]) -> list[Tick]:
    """Labels for consecutive months (their first days), centered at `centers`: each month's
    name when MONTH_LABELS fit, else every 2nd, 3rd, 6th... month's, on calendar boundaries;
    the year under the first label and under each that starts another year."""
    step = next(
        (s for s in MONTH_STEPS if math.ceil(len(months) / s) <= MONTH_LABELS), MONTH_STEPS[-1]
    )
    ticks: list[Tick] = []
    shown_year = None
    for month, center in zip(months, centers, strict=True):
        if (month.year * 12 + month.month - 1) % step:
            continue
        year = l10n.year(month) if month.year != shown_year else ""
        ticks.append(Tick(center, l10n.month_name(month), year))
        shown_year = month.year
    return ticks


def from_first_month(monthly: Sequence[tuple[dt.date, Decimal]]) -> list[tuple[dt.date, Decimal]]:
    """`monthly` (months oldest first, with their amounts) from the first month with an amount:
    a new owner's chart starts with their first month, not eleven empty ones."""
    first = next((i for i, (_, amount) in enumerate(monthly) if amount), len(monthly))
    return list(monthly[first:])


def economy_chart(
    segments: Sequence[Segment], *, distance_unit: str, fuel_unit: str
) -> Chart | None:
    """Economy over time in the unit the owner reads (MPG, L/100 km...): one point per segment
    (the latest ECONOMY_POINTS), placed by date over the months they span. The segments are in
    the vehicle's units (`distance_unit`, `fuel_unit`). The line breaks where a fill-up was
    missed. None with fewer than two segments: one point is no line, and the page's figures
    already show it."""
    segments = list(segments)[-ECONOMY_POINTS:]
    if len(segments) < 2:
        return None
    unit = l10n.economy_abbreviation(fuel_unit)
    values = [
        float(l10n.economy_value(segment.ratio, distance_unit, fuel_unit)) for segment in segments
    ]
    # The axis starts at zero: economy is a ratio, and from zero a 2 % dip is 2 % of the
    # chart's height. From a floor just under the values (28.5 to 30 MPG) it looked like a cliff.
    low, high, step = nice_scale(0, max(values))
    first, last = segments[0].date, segments[-1].date
    months = [first.replace(day=1)]
    while months[-1] < last.replace(day=1):
        months.append(next_month(months[-1]))
    start, end = months[0], next_month(months[-1])
    span = (end - start).days

    def x(date: dt.date) -> float:
        return round(LEFT + (date - start).days / span * (WIDTH - RIGHT - LEFT), 1)

    marks = [
        Mark(
            x(segment.date),
            _y(value, low, high),
            l10n.day(segment.date) + (" (after a missed fill-up)" if segment.after_gap else ""),
            l10n.number(value, 1),
        )
        for segment, value in zip(segments, values, strict=True)
    ]
    path = " ".join(
        f"{'M' if i == 0 or segment.after_gap else 'L'}{mark.x:g},{mark.y:g}"
        for i, (segment, mark) in enumerate(zip(segments, marks, strict=True))
    )
    summary = (
        f"{unit} of the last {len(marks)} segments between full fill-ups, "
        f"{l10n.day(first)} to {l10n.day(last)}."
    )
    if any(segment.after_gap for segment in segments[1:]):
        summary += " The line breaks where a fill-up was missed."
    return Chart(
        title=f"{unit} over time",
        summary=summary,
        x_label="Date of fill-up",
        y_label=unit,
        value_heading=unit,
        x_ticks=month_ticks(months, [(x(m) + x(next_month(m))) / 2 for m in months]),
        y_ticks=_y_ticks(low, high, step, grouping=False),
        marks=marks,
        path=path,
    )


def monthly_bars(
    months: Sequence[dt.date], layers: Sequence[tuple[Series, Sequence[Decimal]]]
) -> tuple[list[Mark], list[Tick], list[Tick]]:
    """Bars of amounts per month, the layers stacked in their order from the axis up: the
    marks, the month ticks and the amount ticks."""
    totals = [sum(amounts, Decimal(0)) for amounts in zip(*(a for _, a in layers), strict=True)]
    low, high, step = nice_scale(0, float(max(totals)))
    slot = (WIDTH - RIGHT - LEFT) / len(months)
    width = min(round(slot * 0.7, 1), BAR_WIDTH)
    marks = []
    for i, month in enumerate(months):
        base = Decimal(0)
        name = l10n.month_and_year_in_full(month)
        for series, amounts in layers:
            top, bottom = _y(float(base + amounts[i]), low, high), _y(float(base), low, high)
            marks.append(
                Mark(
                    x=round(LEFT + i * slot + (slot - width) / 2, 1),
                    y=top,
                    width=width,
                    height=round(bottom - top, 1),
                    label=f"{name}, {series.name.lower()}" if len(layers) > 1 else name,
                    value=l10n.money(amounts[i]),
                    css_class=series.css_class,
                )
            )
            base += amounts[i]
    centers = [round(LEFT + (i + 0.5) * slot, 1) for i in range(len(months))]
    return marks, month_ticks(months, centers), _y_ticks(low, high, step, grouping=True)


def spending_chart(monthly: Sequence[tuple[dt.date, Decimal]]) -> Chart | None:
    """Fuel spending per month, one bar a month, from the first month anything was spent. None
    when fewer than MIN_MONTHS are left."""
    monthly = from_first_month(monthly)
    if len(monthly) < MIN_MONTHS:
        return None
    months = [month for month, _ in monthly]
    marks, x_ticks, y_ticks = monthly_bars(
        months, [(Series("Fuel", "bar"), [amount for _, amount in monthly])]
    )
    return Chart(
        title="Spending per month",
        summary=(
            f"Fuel spending per month, {l10n.month_and_year_in_full(months[0])} to "
            f"{l10n.month_and_year_in_full(months[-1])}."
        ),
        x_label="Month",
        y_label=f"Spent ({l10n.currency_symbol()})",
        value_heading="Spent",
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        marks=marks,
    )
