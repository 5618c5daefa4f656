"""What a vehicle has cost its owner: fuel, maintenance and repairs, other costs and
depreciation, in total, per year owned and per distance driven, and month by month.

`cost_of_ownership` is a pure function of the vehicle's purchase and sale and of monthly sums
(`MonthSum` rows); `vehicle_ownership_panel` reads those sums, in one query however many
records there are, and hands them to it. It spans fill-ups, services and costs, hence here.

What counts: every record from the purchase date on, when there is one. Most owners start
logging once the car is theirs, but one who bought a used car with its history (or recorded
its previous owner's fill-ups) would otherwise be charged for what the seller paid. Nothing is
cut at the sale: a record after it (the repair the buyer asked for, paid later) was still the
owner's. Without a purchase date, everything counts, from the first record on."""

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import DecimalField, F, Min, QuerySet, Sum, Value
from django.db.models.functions import TruncMonth
from django.utils import timezone

from costs.models import Category, Cost
from fuellogs.charts import Chart, next_month
from fuellogs.models import FuelLog
from fuellogs.wording import PER_DISTANCE
from maintenance.models import MaintenanceRecord
from motovault.charts import FUEL, MAINTENANCE, OTHER_COSTS, monthly_costs_chart
from motovault.replica import reading_from_replica
from vehicles.models import EARLIEST_DATE, OdometerReading, Vehicle
from vehicles.readings import as_date

ZERO = Decimal(0)
CENT = Decimal("0.01")
DAYS_PER_YEAR = Decimal("365.25")
# The chart shows the latest year of ownership, as the dashboard's and the fuel panel's do:
# more bars would be slivers on a phone. The figures count every month.
CHART_MONTHS = 12


@dataclass(frozen=True)
class MonthSum:
    """What one kind of record cost in a month: the month's first day, the amount, and the
    earliest date and odometer reading among its records (None without one)."""

    month: dt.date
    amount: Decimal
    first_date: dt.date
    first_odometer: int | None = None
    # Only for other costs: which one (a costs.models.Category value).
    category: str = ""


@dataclass(frozen=True)
class OwnershipCost:
    fuel: Decimal
    maintenance: Decimal
    other: Decimal
    # Other costs per category, largest first: (its name, the amount).
    other_by_category: tuple[tuple[str, Decimal], ...]
    # The purchase price less the sale price (or less nothing while owned); None without a
    # purchase price, since nothing says what it was worth.
    depreciation: Decimal | None
    # From the purchase date (or the first record) to the sale (or today); None with neither.
    start: dt.date | None
    end: dt.date
    # Driven since the purchase (or the first reading): None when nothing says.
    distance: int | None
    # Per month, oldest first: (first day, (fuel, maintenance, other)).
    monthly: tuple[tuple[dt.date, tuple[Decimal, Decimal, Decimal]], ...]

    @property
    def total(self) -> Decimal:
        return self.fuel + self.maintenance + self.other + (self.depreciation or ZERO)

    @property
    def days(self) -> int:
        return (self.end - self.start).days if self.start is not None else 0

    @property
    def per_year(self) -> Decimal | None:
        """The total over the years owned, never fewer than one: in the first year the year's
        cost is what it cost so far (a purchase a month ago is not twelve purchases a year).
        None with nothing to count."""
        if self.start is None:
            return None
        years = max(Decimal(self.days) / DAYS_PER_YEAR, Decimal(1))
        return (self.total / years).quantize(CENT, ROUND_HALF_UP)

    @property
    def per_distance(self) -> Decimal | None:
        """The total per unit of distance driven, to a tenth of a cent; None before any driving
        ("not enough driving yet"), rather than a division by zero."""
        if not self.distance:
            return None
        return (self.total / self.distance).quantize(Decimal("0.001"), ROUND_HALF_UP)

    @property
    def has_costs(self) -> bool:
        return bool(self.total) or self.depreciation is not None


def cost_of_ownership(
    vehicle: Vehicle,
    *,
    fuel: Iterable[MonthSum],
    maintenance: Iterable[MonthSum],
    other: Iterable[MonthSum],
    today: dt.date,
    first_reading: int | None = None,
) -> OwnershipCost:
    """The cost of owning `vehicle` from its monthly sums of fill-ups' totals, completed
    services' costs and other costs, and the lowest of its odometer readings (already limited
    to its purchase date on, as `vehicle_ownership_panel` reads them)."""
    kinds = (list(fuel), list(maintenance), list(other))
    rows = [row for kind in kinds for row in kind]
    start = vehicle.purchase_date or min((row.first_date for row in rows), default=None)
    end = vehicle.sold_date or today
    # The odometer only rises: at a sale it shows the last reading.
    if vehicle.purchase_odometer is not None:
        first_reading = vehicle.purchase_odometer
    else:
        # An odometer reading counts as much as a record's: often the first thing noted.
        odometers = [row.first_odometer for row in rows if row.first_odometer is not None]
        if first_reading is not None:
            odometers.append(first_reading)
        first_reading = min(odometers, default=None)
    distance = None
    if first_reading is not None:
        # Never below nothing: an odometer at purchase above today's reading is a slip.
        distance = max(0, vehicle.odometer_reading - first_reading)

    by_category: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for row in kinds[2]:
        by_category[row.category] += row.amount
    names = dict(Category.choices)
    other_by_category = tuple(
        (names.get(category, category), amount)
        for category, amount in sorted(by_category.items(), key=lambda item: -item[1])
        if amount
    )
    depreciation = None
    if vehicle.purchase_price is not None:
        depreciation = vehicle.purchase_price - (vehicle.sold_price or ZERO)

    return OwnershipCost(
        fuel=sum((row.amount for row in kinds[0]), ZERO),
        maintenance=sum((row.amount for row in kinds[1]), ZERO),
        other=sum(by_category.values(), ZERO),
        other_by_category=other_by_category,
        depreciation=depreciation,
        start=start,
        end=end,
        distance=distance,
        monthly=_monthly(kinds, start, end),
    )


def _monthly(
    kinds: Sequence[Sequence[MonthSum]], start: dt.date | None, end: dt.date
) -> tuple[tuple[dt.date, tuple[Decimal, Decimal, Decimal]], ...]:
    """Every month from the start's to the end's (or the last record's, if later), each
    kind's sum in it."""
    if start is None:
        return ()
    sums: dict[dt.date, list[Decimal]] = defaultdict(lambda: [ZERO, ZERO, ZERO])
    for index, kind in enumerate(kinds):
        for row in kind:
            sums[row.month][index] += row.amount
    last = max([end.replace(day=1), *sums])
    months = [start.replace(day=1)]
    while months[-1] < last:
        months.append(next_month(months[-1]))
    return tuple((month, (sums[month][0], sums[month][1], sums[month][2])) for month in months)


def ownership_chart(cost: OwnershipCost) -> Chart | None:
    """The cost make-up per month (fuel, maintenance, other costs stacked) over the latest
    CHART_MONTHS of ownership. Depreciation is no monthly cost and is left out."""
    return monthly_costs_chart(
        cost.monthly[-CHART_MONTHS:],
        series=(FUEL, MAINTENANCE, OTHER_COSTS),
        of="this vehicle",
    )


# The kinds of rows `_sums` reads in its one query; a reading carries only its odometer.
FUEL_ROWS, SERVICE_ROWS, COST_ROWS, READING_ROWS = "fuel", "maintenance", "other", "reading"


def _month_sums(
    kind: str, records: QuerySet[Any], date: str, amount: str | None, odometer: str, group: str
) -> QuerySet[Any]:
    """`records`' `amount` summed per month of `date` (and per `group` field, or ""), with each
    month's earliest date and odometer reading: one part of `_sums`' union."""
    return (
        records.annotate(
            kind=Value(kind),
            month=TruncMonth(date),
            group=F(group) if group else Value(""),
        )
        .values("kind", "month", "group")
        .annotate(
            total=Sum(amount, default=ZERO) if amount else Value(ZERO, DecimalField()),
            first=Min(date),
            reading=Min(odometer),
        )
        .values_list("kind", "month", "group", "total", "first", "reading")
        .order_by()
    )


def _sums(vehicle: Vehicle, since: dt.date) -> dict[str, list[MonthSum]]:
    """Per kind (FUEL_ROWS, ...), the vehicle's records from `since` on, summed per month.
    One query, however many records: a union of one grouped part per kind."""
    parts = [
        _month_sums(
            FUEL_ROWS,
            FuelLog.objects.filter(vehicle=vehicle, date__gte=since),
            "date",
            "total_cost",
            "odometer_reading",
            "",
        ),
        _month_sums(
            SERVICE_ROWS,
            MaintenanceRecord.objects.filter(
                vehicle=vehicle, is_completed=True, completed_date__gte=since
            ),
            "completed_date",
            "cost",
            "completed_mileage",
            "",
        ),
        _month_sums(
            COST_ROWS,
            Cost.objects.filter(vehicle=vehicle, date__gte=since),
            "date",
            "amount",
            "odometer_reading",
            "category",
        ),
        _month_sums(
            READING_ROWS,
            OdometerReading.objects.filter(vehicle=vehicle, date__gte=since),
            "date",
            None,
            "odometer_reading",
            "",
        ),
    ]
    found: dict[str, list[MonthSum]] = defaultdict(list)
    union = parts[0].union(*parts[1:], all=True).order_by()
    for kind, month, group, total, first, reading in union:
        found[kind].append(
            MonthSum(
                month=as_date(month),
                amount=Decimal(total),
                first_date=as_date(first),
                first_odometer=reading,
                category=group,
            )
        )
    return found


@reading_from_replica()
def vehicle_ownership_panel(vehicle: Vehicle) -> dict[str, Any]:
    """Context for `includes/ownership_cost.html`: the figures and the chart. One query (the
    fill-ups, services and other costs summed per month, and the odometer readings' lowest),
    however many records."""
    # No record is older than EARLIEST_DATE: without a purchase date, every one counts.
    sums = _sums(vehicle, vehicle.purchase_date or EARLIEST_DATE)
    cost = cost_of_ownership(
        vehicle,
        fuel=sums[FUEL_ROWS],
        maintenance=sums[SERVICE_ROWS],
        other=sums[COST_ROWS],
        today=timezone.localdate(),
        first_reading=min(
            (row.first_odometer for row in sums[READING_ROWS] if row.first_odometer is not None),
            default=None,
        ),
    )
    return {
        "cost": cost,
        "chart": ownership_chart(cost),
        "per_distance": PER_DISTANCE[vehicle.distance_unit],
    }
