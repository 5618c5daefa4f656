"""The fuel CSV (/fuel/export.csv, and the account archive's copy): one row per fill-up, oldest
first, in the columns of `COLUMNS`, streamed.

Values are written for programs as much as for people: dot decimals without grouping, ISO
dates, `true`/`false`, unit codes (motovault.units), numbers in the vehicle's own units as
stored. `economy` is the economy of the segment the row closes (fuellogs.economy), in the unit
the owner reads that vehicle in (`economy_unit`, their preference), to 2 decimals. Text the owner
typed is formula-safe (motovault.spreadsheets). imports.formats.generic reads this layout back.
"""

import datetime
from collections.abc import Iterator, Mapping
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib.auth.models import User
from django.db.models import OuterRef, Q, Subquery

from fuellogs.economy import ratios_in_order
from fuellogs.models import ECONOMY_FIELDS, FuelLog
from motovault import l10n, units
from motovault.spreadsheets import flag, number, text
from vehicles.models import Vehicle

COLUMNS = (
    "vehicle", "vin", "date", "odometer", "distance_unit", "quantity", "fuel_unit",
    "price_per_unit", "total_cost", "currency", "full_tank", "missed_previous", "station",
    "notes", "economy", "economy_unit",
)  # fmt: skip
# Rows fetched from the database at a time: memory stays flat however long the history.
CHUNK = 2000
HUNDREDTH = Decimal("0.01")


def rows(
    user: User,
    *,
    regional: l10n.Regional,
    vehicle: Vehicle | None = None,
    date_from: datetime.date | None = None,
    date_to: datetime.date | None = None,
) -> Iterator[list[str]]:
    """The header, then the owner's fill-ups (of `vehicle`, between the dates, both included,
    as the /fuel/ list filters them) on their vehicles that are not deleted, oldest first.

    Two queries, three with `date_from`, however many rows: the vehicles, then one streamed
    query of the fill-ups. The economy of a row near `date_from` depends on fill-ups before
    it, so each vehicle's rows are read from its last full fill-up before that date (the start
    of the segment the first row may close); those earlier rows are not written."""
    yield list(COLUMNS)
    vehicles = Vehicle.objects.for_owner(user)
    if vehicle is not None:
        vehicles = vehicles.filter(pk=vehicle.pk)
    by_id = {found.pk: found for found in vehicles}
    if not by_id:
        return
    logs = FuelLog.objects.filter(user=user, vehicle_id__in=by_id)
    if date_to is not None:
        logs = logs.filter(date__lte=date_to)
    if date_from is not None:
        logs = logs.filter(_from_segment_start(by_id, date_from))
    fields = (*ECONOMY_FIELDS, "price_per_gallon", "station_name", "notes")
    stream = logs.in_fill_up_order().values(*fields).iterator(chunk_size=CHUNK)
    for row, ratio in ratios_in_order(stream):
        if date_from is not None and row["date"] < date_from:
            continue
        yield _row(row, by_id[row["vehicle_id"]], ratio, regional)


def _from_segment_start(vehicles: dict[Any, Vehicle], date_from: datetime.date) -> Q:
    """The fill-ups from `date_from` on, and those of each vehicle from its last full fill-up
    before that date: by the odometer rule, the rows from that reading on (one query)."""
    starts = (
        Vehicle.objects.filter(pk__in=vehicles)
        .annotate(
            start=Subquery(
                FuelLog.objects.filter(
                    vehicle_id=OuterRef("pk"), is_full_tank=True, date__lt=date_from
                )
                .order_by("-date", "-odometer_reading")
                .values("odometer_reading")[:1]
            )
        )
        .filter(start__isnull=False)
        .values_list("pk", "start")
    )
    condition = Q(date__gte=date_from)
    for pk, start in starts:
        condition |= Q(vehicle_id=pk, odometer_reading__gte=start)
    return condition


def _row(
    row: Mapping[str, Any], vehicle: Vehicle, ratio: Decimal | None, regional: l10n.Regional
) -> list[str]:
    economy_unit = units.economy_unit_for(
        vehicle.fuel_unit, regional.economy_unit, regional.electric_economy_unit
    )
    economy = ""
    if ratio is not None:
        value = units.economy(
            ratio,
            Decimal(1),
            distance_unit=vehicle.distance_unit,
            fuel_unit=vehicle.fuel_unit,
            economy_unit=economy_unit,
        )
        economy = str(value.quantize(HUNDREDTH, ROUND_HALF_UP))
    return [
        text(vehicle.display_name),
        text(vehicle.vin),
        row["date"].isoformat(),
        str(row["odometer_reading"]),
        vehicle.distance_unit,
        number(row["gallons"]),
        vehicle.fuel_unit,
        number(row["price_per_gallon"]),
        number(row["total_cost"]),
        regional.currency,
        flag(row["is_full_tank"]),
        flag(row["missed_previous"]),
        text(row["station_name"]),
        text(row["notes"]),
        economy,
        economy_unit,
    ]
