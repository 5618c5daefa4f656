"""Odometer readings of the owner's vehicles, wherever they are recorded.

A reading is a day and what the odometer showed that day. The vehicle itself is one (its current
`odometer_reading`, as of its last edit, `updated_at`); the apps that record more (fill-ups,
services) register a source in their AppConfig.ready, so that the apps reading them (the
maintenance projection) need not import those apps. Each source answers one aggregate per
vehicle; `spans` unions them into one query."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db import models
from django.db.models import F, Max, Min
from django.db.models.functions import TruncDate

from vehicles.models import Vehicle

# (owner's id, earliest day) -> a values() queryset of the owner's readings from that day on,
# grouped by vehicle, with the columns of SPAN_COLUMNS in that order.
Source = Callable[[int, datetime.date], "models.QuerySet[Any]"]
SPAN_COLUMNS = ("vehicle_ref", "first_day", "last_day", "lowest", "highest")

_sources: list[Source] = []


def register(source: Source) -> None:
    """Add a kind of record that carries odometer readings (once; AppConfig.ready)."""
    if source not in _sources:
        _sources.append(source)


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
    parts = [_vehicle_readings(user_id, since), *(source(user_id, since) for source in _sources)]
    query = (parts[0].union(*parts[1:], all=True) if len(parts) > 1 else parts[0]).order_by()
    found: dict[UUID, Span] = {}
    for vehicle_id, first, last, lowest, highest in query:
        if first is None or lowest is None:
            continue
        span = Span(_as_date(first), _as_date(last), lowest, highest)
        found[vehicle_id] = found[vehicle_id].joined(span) if vehicle_id in found else span
    return found


def _as_date(value: datetime.date | datetime.datetime | str) -> datetime.date:
    # SQLite hands a union's dates back as text.
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value[:10])
