"""Fuel economy and spending, computed from rows (never stored, so edits and deletes never leave
stale numbers). Pure functions: rows in, numbers out, one pass.

A row is a mapping with the keys of `fuellogs.models.ECONOMY_FIELDS`; rows come in fill-up order
(`FuelLogQuerySet.economy_rows`). Rows of several vehicles may be mixed: each vehicle's rows are
followed separately.

Everything is in the vehicle's own units, as stored: distances in its distance unit, quantities
in its fuel unit (the `gallons` column holds liters for a vehicle in liters). Economy is kept as a
"ratio", distance per unit of fuel (miles per US gallon, km per liter, miles per kWh...); display
converts it to the unit the owner reads (motovault.l10n.economy_value, the `economy` filter).

The rule: a full fill-up closes the segment that started at the vehicle's previous full fill-up.
Its ratio is the distance between the two / all fuel bought after the first, up to and including
the closing one (partial fill-ups add their quantity). A segment in which any log says the
fill-up before it was missed has no ratio, and neither has the first full fill-up; the segment
after one without a ratio because of a missed fill-up is marked `after_gap`, so that a chart
does not join its economy to the one before the gap.
"""

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal

ZERO = Decimal(0)


@dataclass(frozen=True)
class Segment:
    """The driving between two full fill-ups, closed by the log `log_id`."""

    log_id: object
    date: dt.date
    distance: int
    quantity: Decimal
    # A missed fill-up lies between this segment and the previous one with a ratio.
    after_gap: bool = False

    @property
    def ratio(self) -> Decimal:
        """Distance per unit of fuel, in the vehicle's units."""
        return Decimal(self.distance) / self.quantity


# Why a fill-up closes no segment with an economy (`closed_by`).
PARTIAL = "partial"  # a partial fill-up: its fuel counts toward the next full tank's
FIRST = "first"  # no full fill-up before it to measure from
MISSED = "missed"  # a fill-up in its segment was missed
NO_DISTANCE = "no distance"  # a top-up at the reading of the full fill-up before it


@dataclass
class _Open:
    """A vehicle's segment in progress."""

    start_odometer: int | None = None
    quantity: Decimal = ZERO
    missed: bool = False
    after_gap: bool = False


def _segments(rows: Iterable[Mapping]) -> Iterator[tuple[Mapping, Segment | str]]:
    """Each row, with the segment it closes, or why it closes none with a valid ratio (PARTIAL,
    FIRST, MISSED, NO_DISTANCE)."""
    open_by_vehicle: dict[object, _Open] = {}
    for row in rows:
        current = open_by_vehicle.setdefault(row["vehicle_id"], _Open())
        current.quantity += row["gallons"]
        current.missed = current.missed or row["missed_previous"]
        closed: Segment | str = PARTIAL
        if row["is_full_tank"]:
            if current.start_odometer is None:
                closed = FIRST
            elif current.missed:
                closed = MISSED
            elif (distance := row["odometer_reading"] - current.start_odometer) > 0:
                closed = Segment(
                    row["id"], row["date"], distance, current.quantity, current.after_gap
                )
            else:
                # Two fills at one reading (a same-day top-up) drove nowhere: no economy to show.
                closed = NO_DISTANCE
            # A gap carries over a same-day top-up, which closes no segment either.
            open_by_vehicle[row["vehicle_id"]] = _Open(
                start_odometer=row["odometer_reading"],
                after_gap=not isinstance(closed, Segment) and (current.missed or current.after_gap),
            )
        yield row, closed


def closed_by(rows: Iterable[Mapping], log_id: object) -> Segment | str | None:
    """The segment the log `log_id` closes, or why it closes none (PARTIAL, FIRST, MISSED,
    NO_DISTANCE); None when `log_id` is not among the rows. The rows must reach back to the
    full fill-up before the log (FuelLogQuerySet.economy_rows_for gives just those)."""
    return next((closed for row, closed in _segments(rows) if row["id"] == log_id), None)


def ratios_in_order(rows: Iterable[Mapping]) -> Iterator[tuple[Mapping, Decimal | None]]:
    """Each row with the ratio of the segment it closes (None when it closes none), streamed:
    only each vehicle's open segment is held, however many rows pass."""
    for row, closed in _segments(rows):
        yield row, closed.ratio if isinstance(closed, Segment) else None


def segment_ratios(rows: Iterable[Mapping]) -> dict[object, Decimal]:
    """The ratio (distance per unit of fuel, in the vehicle's units) of the segment each log
    closes, by log id; logs that close none are absent."""
    return {
        closed.log_id: closed.ratio for _, closed in _segments(rows) if isinstance(closed, Segment)
    }


@dataclass
class FuelStats:
    """One vehicle's fuel statistics, in its own units: economy as a ratio (distance per unit of
    fuel), cost per distance per mile or km, price per gallon, liter or kWh."""

    fill_ups: int = 0
    last_fill_up: dt.date | None = None
    total_spent: Decimal = ZERO
    total_quantity: Decimal = ZERO
    distance: int = 0
    average_economy: Decimal | None = None
    last_economy: Decimal | None = None
    # The economy of the segment the latest fill-up closes: None after a partial fill-up, whose
    # tank level is unknown (last_economy is then an older fill-up's).
    last_fill_up_economy: Decimal | None = None
    # Best is the highest ratio (the most distance per unit), which is also the lowest number
    # in L/100 km: the display converts, the order holds.
    best_economy: Decimal | None = None
    worst_economy: Decimal | None = None
    cost_per_distance: Decimal | None = None
    average_price_per_unit: Decimal | None = None
    # Oldest first: the segments with an economy (the economy chart).
    segments: list[Segment] = field(default_factory=list)
    # The last twelve months, oldest first, as (first day of the month, amount spent).
    monthly_spending: list[tuple[dt.date, Decimal]] = field(default_factory=list)

    def spent_since(self, first_month: dt.date) -> Decimal:
        """Spending from `first_month`, the first day of one of the last twelve months, on."""
        return sum(
            (amount for month, amount in self.monthly_spending if month >= first_month), ZERO
        )


def last_twelve_months(today: dt.date) -> list[dt.date]:
    """First days of the twelve months ending with today's, oldest first."""
    months = []
    year, month = today.year, today.month
    for _ in range(12):
        months.append(dt.date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months[::-1]


def vehicle_stats(rows: Iterable[Mapping], *, today: dt.date) -> FuelStats:
    """Statistics of one vehicle's rows (in fill-up order), in one pass.

    Average economy weighs segments by their fuel (total distance / total quantity of the valid
    segments). Cost per distance is what was spent after the first fill-up over the distance
    driven since it: the first fill-up's fuel was bought before the distance MotoVault knows
    about. Average price per unit is spending over the quantity of the logs whose cost is
    known."""
    stats = FuelStats()
    months = last_twelve_months(today)
    spending = dict.fromkeys(months, ZERO)
    segment_distance, segment_quantity = 0, ZERO
    priced_quantity = ZERO
    spent_after_first = ZERO
    first_odometer = last_odometer = None

    for row, closed in _segments(rows):
        segment = closed if isinstance(closed, Segment) else None
        stats.fill_ups += 1
        stats.total_quantity += row["gallons"]
        cost = row["total_cost"]
        if cost is not None:
            stats.total_spent += cost
            priced_quantity += row["gallons"]
            month = row["date"].replace(day=1)
            if month in spending:
                spending[month] += cost
        if first_odometer is None:
            first_odometer = row["odometer_reading"]
        elif cost is not None:
            spent_after_first += cost
        last_odometer = row["odometer_reading"]
        stats.last_fill_up = row["date"]
        stats.last_fill_up_economy = segment.ratio if segment is not None else None
        if segment is not None:
            stats.segments.append(segment)
            segment_distance += segment.distance
            segment_quantity += segment.quantity

    stats.monthly_spending = list(spending.items())
    if first_odometer is not None:
        stats.distance = last_odometer - first_odometer
    if stats.segments:
        ratios = [segment.ratio for segment in stats.segments]
        stats.average_economy = Decimal(segment_distance) / segment_quantity
        stats.last_economy = ratios[-1]
        stats.best_economy = max(ratios)
        stats.worst_economy = min(ratios)
    if stats.distance > 0:
        stats.cost_per_distance = spent_after_first / stats.distance
    if priced_quantity > 0:
        stats.average_price_per_unit = stats.total_spent / priced_quantity
    return stats
