"""Odometer readings of the owner's vehicles, wherever they are recorded.

A reading is a day and what the odometer showed that day. The vehicle itself is one (its current
`odometer_reading`, as of its last edit, `updated_at`); the apps that record more (fill-ups,
services) register a source in their AppConfig.ready, so that the apps reading them (the
maintenance projection) need not import those apps. Each source answers one aggregate per
vehicle; `spans` unions them into one query. This app's own odometer readings are read here
directly. A kind of record whose readings keep their date order with them (fill-ups:
vehicles.rules.check_odometer) also registers `conflicts`, which answers the closest of its
readings out of order with a new one."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import models
from django.db.models import F, Max, Min
from django.db.models.functions import TruncDate

from motovault import l10n
from vehicles.models import OdometerReading, Vehicle

# (owner's id, earliest day) -> a values() queryset of the owner's readings from that day on,
# grouped by vehicle, with the columns of SPAN_COLUMNS in that order.
Source = Callable[[int, datetime.date], "models.QuerySet[Any]"]
SPAN_COLUMNS = ("vehicle_ref", "first_day", "last_day", "lowest", "highest")


@dataclass(frozen=True)
class Conflict:
    """A stored reading out of order with a new one: what it read, on which day, and what the
    owner calls it ("the reading of your fill-up on May 3, 2026")."""

    day: datetime.date
    odometer: int
    described: str


# (vehicle's id, day, reading, id of the record being edited or None) -> the record of this
# kind dated before `day` with the highest reading at or above `reading`, and the one dated
# after it with the lowest reading at or below it (None where there is none).
Conflicts = Callable[
    [UUID, datetime.date, int, UUID | None], tuple[Conflict | None, Conflict | None]
]

_sources: list[Source] = []
_conflicts: list[Conflicts] = []


def register(source: Source, *, conflicts: Conflicts | None = None) -> None:
    """Add a kind of record that carries odometer readings, and with `conflicts` one whose
    readings keep the date order (once; AppConfig.ready)."""
    if source not in _sources:
        _sources.append(source)
    if conflicts is not None and conflicts not in _conflicts:
        _conflicts.append(conflicts)


@dataclass(frozen=True)
class Span:
    """A vehicle's readings within a window: the first and last day of one, and the lowest and
    highest odometer read."""

    first_day: datetime.date
    last_day: datetime.date
    lowest: int
    highest: int

    def joined(self, other: "Span") -> "Span":
        return Span(
            min(self.first_day, other.first_day),
            max(self.last_day, other.last_day),
            min(self.lowest, other.lowest),
            max(self.highest, other.highest),
        )


def aggregate(records: "models.QuerySet[Any]", day: str, odometer: str) -> "models.QuerySet[Any]":
    """A source's answer: `records` (already filtered) grouped per vehicle, in SPAN_COLUMNS."""
    return (
        records.order_by()
        .values(vehicle_ref=F("vehicle_id"))
        .annotate(
            first_day=Min(day),
            last_day=Max(day),
            lowest=Min(odometer),
            highest=Max(odometer),
        )
        .values_list(*SPAN_COLUMNS)
    )


def closest_conflicts(
    records: "models.QuerySet[Any]",
    day: datetime.date,
    reading: int,
    describe: Callable[[datetime.date], str],
) -> tuple[Conflict | None, Conflict | None]:
    """A `conflicts` answer from `records` (one vehicle's, with `date` and `odometer_reading`
    columns, the edited one excluded): two probes of their (vehicle, date, odometer) index."""
    before = (
        records.filter(date__lt=day, odometer_reading__gte=reading)
        .order_by("-odometer_reading")
        .values_list("date", "odometer_reading")
        .first()
    )
    after = (
        records.filter(date__gt=day, odometer_reading__lte=reading)
        .order_by("odometer_reading")
        .values_list("date", "odometer_reading")
        .first()
    )
    return (
        Conflict(before[0], before[1], describe(before[0])) if before else None,
        Conflict(after[0], after[1], describe(after[0])) if after else None,
    )


def out_of_order(
    vehicle_id: UUID, day: datetime.date, reading: int, exclude_pk: UUID | None = None
) -> tuple[Conflict | None, Conflict | None]:
    """Of every kind of record that keeps the date order (odometer readings and the registered
    kinds), the closest conflict before `day` (the highest reading) and after it (the lowest)."""
    answers = [
        _odometer_conflicts(vehicle_id, day, reading, exclude_pk),
        *(source(vehicle_id, day, reading, exclude_pk) for source in _conflicts),
    ]
    befores = [before for before, _after in answers if before is not None]
    afters = [after for _before, after in answers if after is not None]
    return (
        max(befores, key=lambda found: found.odometer, default=None),
        min(afters, key=lambda found: found.odometer, default=None),
    )


def _odometer_conflicts(
    vehicle_id: UUID, day: datetime.date, reading: int, exclude_pk: UUID | None
) -> tuple[Conflict | None, Conflict | None]:
    records = OdometerReading.objects.filter(vehicle_id=vehicle_id)
    if exclude_pk is not None:
        records = records.exclude(pk=exclude_pk)
    return closest_conflicts(
        records, day, reading, lambda found: f"your odometer reading on {l10n.day(found)}"
    )


def _odometer_readings(user_id: int, since: datetime.date) -> "models.QuerySet[Any]":
    """The owner's odometer readings (this app's own kind) from `since` on."""
    return aggregate(
        OdometerReading.objects.filter(user_id=user_id, date__gte=since), "date", "odometer_reading"
    )


def _vehicle_readings(user_id: int, since: datetime.date) -> "models.QuerySet[Any]":
    """Each vehicle's current odometer, read on the (local) day of its last edit."""
    vehicles = Vehicle.objects.filter(user_id=user_id).annotate(edited=TruncDate("updated_at"))
    return (
        vehicles.filter(edited__gte=since)
        .order_by()
        .values_list(
            F("id"),
            F("edited"),
            F("edited"),
            F("odometer_reading"),
            F("odometer_reading"),
        )
    )


def spans(user_id: int, since: datetime.date) -> dict[UUID, Span]:
    """Per vehicle of the owner, the span of its readings on or after `since`. One query."""
    parts = [
        _vehicle_readings(user_id, since),
        _odometer_readings(user_id, since),
        *(source(user_id, since) for source in _sources),
    ]
    query = parts[0].union(*parts[1:], all=True).order_by()
    found: dict[UUID, Span] = {}
    for vehicle_id, first, last, lowest, highest in query:
        if first is None or lowest is None:
            continue
        span = Span(as_date(first), as_date(last), lowest, highest)
        found[vehicle_id] = found[vehicle_id].joined(span) if vehicle_id in found else span
    return found


def as_date(value: datetime.date | datetime.datetime | str) -> datetime.date:
    """A date a union answered: SQLite hands its dates back as text, and a truncated month as
    a datetime."""
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value[:10])
