"""Fuel economy and spending, computed from rows (never stored, so edits and deletes never leave
stale numbers). Pure functions: rows in, numbers out, one pass.

A row is a mapping with the keys of `fuellogs.models.ECONOMY_FIELDS`; rows come in fill-up order
(`FuelLogQuerySet.economy_rows`). Rows of several vehicles may be mixed: each vehicle's rows are
followed separately.

The rule: a full fill-up closes the segment that started at the vehicle's previous full fill-up.
Its MPG is the distance between the two / all gallons bought after the first, up to and including
the closing one (partial fill-ups add their gallons). A segment in which any log says the
fill-up before it was missed has no MPG, and neither has the first full fill-up.
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
    gallons: Decimal

    @property
    def mpg(self) -> Decimal:
        return Decimal(self.distance) / self.gallons


@dataclass
class _Open:
    """A vehicle's segment in progress."""

    start_odometer: int | None = None
    gallons: Decimal = ZERO
    missed: bool = False


def _segments(rows: Iterable[Mapping]) -> Iterator[tuple[Mapping, Segment | None]]:
    """Each row, with the segment it closes (None when it closes none with a valid MPG)."""
    open_by_vehicle: dict[object, _Open] = {}
    for row in rows:
        current = open_by_vehicle.setdefault(row["vehicle_id"], _Open())
        current.gallons += row["gallons"]
        current.missed = current.missed or row["missed_previous"]
        segment = None
        if row["is_full_tank"]:
            if current.start_odometer is not None and not current.missed:
                distance = row["odometer_reading"] - current.start_odometer
                # Two fills at one reading (a same-day top-up) drove nowhere: no MPG to show.
                if distance > 0:
                    segment = Segment(row["id"], row["date"], distance, current.gallons)
            open_by_vehicle[row["vehicle_id"]] = _Open(start_odometer=row["odometer_reading"])
        yield row, segment


def segment_mpg(rows: Iterable[Mapping]) -> dict[object, Decimal]:
    """The MPG of the segment each log closes, by log id; logs that close none are absent."""
    return {segment.log_id: segment.mpg for _, segment in _segments(rows) if segment}


@dataclass
class FuelStats:
    """One vehicle's fuel statistics."""

    fill_ups: int = 0
    last_fill_up: dt.date | None = None
    total_spent: Decimal = ZERO
    total_gallons: Decimal = ZERO
    distance: int = 0
    average_mpg: Decimal | None = None
    last_mpg: Decimal | None = None
    # The MPG of the segment the latest fill-up closes: None after a partial fill-up, whose
    # tank level is unknown (last_mpg is then an older fill-up's).
    last_fill_up_mpg: Decimal | None = None
    best_mpg: Decimal | None = None
    worst_mpg: Decimal | None = None
    cost_per_mile: Decimal | None = None
    average_price_per_gallon: Decimal | None = None
    # Oldest first: the segments with an MPG (the MPG chart).
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

    Average MPG weighs segments by their gallons (total distance / total gallons of the valid
    segments). Cost per mile is what was spent after the first fill-up over the distance driven
    since it: the first fill-up's fuel was bought before the distance MotoVault knows about.
    Average price per gallon is spending over the gallons of the logs whose cost is known."""
    stats = FuelStats()
    months = last_twelve_months(today)
    spending = dict.fromkeys(months, ZERO)
    segment_distance, segment_gallons = 0, ZERO
    priced_gallons = ZERO
    spent_after_first = ZERO
    first_odometer = last_odometer = None

    for row, segment in _segments(rows):
        stats.fill_ups += 1
        stats.total_gallons += row["gallons"]
        cost = row["total_cost"]
        if cost is not None:
            stats.total_spent += cost
            priced_gallons += row["gallons"]
            month = row["date"].replace(day=1)
            if month in spending:
                spending[month] += cost
        if first_odometer is None:
            first_odometer = row["odometer_reading"]
        elif cost is not None:
            spent_after_first += cost
        last_odometer = row["odometer_reading"]
        stats.last_fill_up = row["date"]
        stats.last_fill_up_mpg = segment.mpg if segment is not None else None
        if segment is not None:
            stats.segments.append(segment)
            segment_distance += segment.distance
            segment_gallons += segment.gallons

    stats.monthly_spending = list(spending.items())
    if first_odometer is not None:
        stats.distance = last_odometer - first_odometer
    if stats.segments:
        mpgs = [segment.mpg for segment in stats.segments]
        stats.average_mpg = Decimal(segment_distance) / segment_gallons
        stats.last_mpg = mpgs[-1]
        stats.best_mpg = max(mpgs)
        stats.worst_mpg = min(mpgs)
    if stats.distance > 0:
        stats.cost_per_mile = spent_after_first / stats.distance
    if priced_gallons > 0:
        stats.average_price_per_gallon = stats.total_spent / priced_gallons
    return stats
