"""What the dashboard shows: gathered from each app in a fixed number of queries, however many
vehicles and records the owner has."""

import datetime as dt
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, cast

from django.contrib.auth.models import User
from django.db.models import OuterRef, Q, QuerySet, Subquery, Sum
from django.utils import timezone

from attachments.models import Attachment
from costs.models import Cost
from fuellogs.cache import stats_for_vehicles
from fuellogs.economy import FuelStats, last_twelve_months
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from maintenance.upcoming import UpcomingItem, upcoming_for
from motovault.charts import monthly_costs_chart
from motovault.units import QUANTITY_NAMES
from vehicles.models import Vehicle

UPCOMING_SHOWN = 5
LATEST_LOGS = 5
ZERO = Decimal(0)


@dataclass
class VehicleCard:
    vehicle: Vehicle
    fuel: FuelStats
    open_maintenance: int = 0
    most_urgent: UpcomingItem | None = None
    fuel_month: Decimal = ZERO
    fuel_year: Decimal = ZERO
    maintenance_month: Decimal = ZERO
    maintenance_year: Decimal = ZERO
    other_month: Decimal = ZERO
    other_year: Decimal = ZERO

    @property
    def spent_month(self) -> Decimal:
        return self.fuel_month + self.maintenance_month + self.other_month

    @property
    def spent_year(self) -> Decimal:
        return self.fuel_year + self.maintenance_year + self.other_year


@dataclass
class Spending:
    fuel_month: Decimal = ZERO
    fuel_year: Decimal = ZERO
    maintenance_month: Decimal = ZERO
    maintenance_year: Decimal = ZERO
    other_month: Decimal = ZERO
    other_year: Decimal = ZERO
    # Every vehicle that cost something this year, or is in use; a sold car's spending counts.
    vehicles: list[VehicleCard] = field(default_factory=list)
    # The last twelve months, oldest first, as (first day, (fuel, maintenance, other costs))
    # of every vehicle.
    monthly: list[tuple[dt.date, tuple[Decimal, Decimal, Decimal]]] = field(default_factory=list)

    @property
    def month(self) -> Decimal:
        return self.fuel_month + self.maintenance_month + self.other_month

    @property
    def year(self) -> Decimal:
        return self.fuel_year + self.maintenance_year + self.other_year


def other_costs_by_vehicle(
    costs: QuerySet[Cost],
    *,
    month_start: dt.date,
    year_start: dt.date,
    months: Sequence[dt.date],
) -> dict[Any, dict[str, Any]]:
    """One query, as MaintenanceRecordQuerySet.summary_by_vehicle: per vehicle, what `costs`
    came to since `month_start`, since `year_start` and in each of `months` (first days, oldest
    first, consecutive) as "by_month". Read fresh on every request, as the services' sums are:
    a cost added shows on the next one, with no cache to forget."""
    ends = [*months[1:], None]
    by_month = {
        f"month_{i}": Sum(
            "amount",
            filter=Q(date__gte=start) & (Q(date__lt=end) if end else Q()),
            default=ZERO,
        )
        for i, (start, end) in enumerate(zip(months, ends, strict=True))
    }
    # Only this year's and the chart's months are summed: older costs need not be read.
    rows = (
        costs.filter(date__gte=min(year_start, months[0]))
        .values("vehicle_id")
        .annotate(
            month=Sum("amount", filter=Q(date__gte=month_start), default=ZERO),
            year=Sum("amount", filter=Q(date__gte=year_start), default=ZERO),
            **by_month,
        )
    )
    return {
        row["vehicle_id"]: {
            "month": row["month"],
            "year": row["year"],
            "by_month": [cast(Mapping[str, Any], row)[name] for name in by_month],
        }
        for row in rows.order_by()
    }


def dashboard_for(user: User) -> dict[str, Any]:
    today = timezone.localdate()
    month_start, year_start = today.replace(day=1), today.replace(month=1, day=1)
    # Each card shows its vehicle's chosen photo: its id read with the vehicles, no query more.
    photo = Attachment.objects.filter(vehicle=OuterRef("pk"), is_vehicle_photo=True)
    vehicles = list(
        Vehicle.objects.for_owner(user).annotate(photo_id=Subquery(photo.values("pk")[:1]))
    )
    ids = [vehicle.pk for vehicle in vehicles]
    months = last_twelve_months(today)
    fuel = stats_for_vehicles(vehicles, today=today)
    upkeep = MaintenanceRecord.objects.filter(vehicle_id__in=ids).summary_by_vehicle(
        month_start=month_start, year_start=year_start, months=months
    )
    other = other_costs_by_vehicle(
        Cost.objects.filter(vehicle_id__in=ids),
        month_start=month_start,
        year_start=year_start,
        months=months,
    )
    upcoming = upcoming_for(user)

    cards, spending = [], Spending()
    fuel_by_month = dict.fromkeys(months, ZERO)
    maintenance_by_month = dict.fromkeys(months, ZERO)
    other_by_month = dict.fromkeys(months, ZERO)
    for vehicle in vehicles:
        kept = upkeep.get(vehicle.pk, {})
        paid = other.get(vehicle.pk, {})
        card = VehicleCard(
            vehicle=vehicle,
            fuel=fuel[vehicle.pk],
            open_maintenance=kept.get("open", 0),
            most_urgent=next((i for i in upcoming if i["vehicle_id"] == vehicle.pk), None),
            # This year's months are always among the statistics' last twelve.
            fuel_month=fuel[vehicle.pk].spent_since(month_start),
            fuel_year=fuel[vehicle.pk].spent_since(year_start),
            maintenance_month=kept.get("month", ZERO),
            maintenance_year=kept.get("year", ZERO),
            other_month=paid.get("month", ZERO),
            other_year=paid.get("year", ZERO),
        )
        if vehicle.is_active:
            cards.append(card)
        if vehicle.is_active or card.spent_year:
            spending.vehicles.append(card)
        spending.fuel_month += card.fuel_month
        spending.fuel_year += card.fuel_year
        spending.maintenance_month += card.maintenance_month
        spending.maintenance_year += card.maintenance_year
        spending.other_month += card.other_month
        spending.other_year += card.other_year
        # The statistics count the same twelve months: they were computed for today.
        for month, amount in fuel[vehicle.pk].monthly_spending:
            fuel_by_month[month] += amount
        if kept:
            for month, amount in zip(months, kept["by_month"], strict=True):
                maintenance_by_month[month] += amount
        if paid:
            for month, amount in zip(months, paid["by_month"], strict=True):
                other_by_month[month] += amount
    spending.monthly = [
        (month, (fuel_by_month[month], maintenance_by_month[month], other_by_month[month]))
        for month in months
    ]

    # The user filter lets PostgreSQL walk the owner's (user, date) index and stop after five
    # rows; by vehicle alone it walked every owner's latest fill-ups (8 ms with 1,000 owners).
    latest = (
        FuelLog.objects.filter(user=user, vehicle_id__in=ids)
        .select_related("vehicle")
        .newest_first()[:LATEST_LOGS]
    )
    latest_logs = list(latest)
    # One fuel unit among them heads the column with its name ("Gallons"); several name each
    # row's unit instead.
    fuel_units = sorted({log.vehicle.fuel_unit for log in latest_logs})
    return {
        "cards": cards,
        "spending": spending,
        "cost_chart": monthly_costs_chart(spending.monthly),
        "upcoming": upcoming[:UPCOMING_SHOWN],
        "upcoming_more": max(0, len(upcoming) - UPCOMING_SHOWN),
        "latest_logs": latest_logs,
        "latest_fuel_heading": QUANTITY_NAMES[fuel_units[0]] if len(fuel_units) == 1 else "Fuel",
        "latest_fuel_mixed": len(fuel_units) > 1,
        "today": today,
    }
