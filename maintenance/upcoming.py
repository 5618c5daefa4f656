"""Upcoming and overdue maintenance per owner, cached for an hour."""

import datetime
from typing import TypedDict
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.utils import timezone

from maintenance import projection
from maintenance.models import (
    Due,
    MaintenanceRecord,
    attach_driving,
    distance_text,
    due_soon_distance,
)
from motovault import l10n
from motovault.invalidation import forget
from motovault.timeutil import seconds_until_midnight
from motovault.units import DistanceUnit
from vehicles.cache import stamp_key, stamps_match, vehicles_stamp
from vehicles.models import Vehicle

UPCOMING_TTL = 60 * 60
# Part of the key: raise it when UpcomingItem changes, so a deploy never reads older entries.
SHAPE = 4


class UpcomingItem(TypedDict):
    """One line of the upcoming list. Plain data, so the cache never holds model instances."""

    id: UUID
    vehicle_id: UUID
    vehicle_name: str
    title: str
    due_date: datetime.date | None
    due_mileage: int | None  # in the vehicle's distance unit
    distance_unit: str
    status: str
    status_label: str
    reason: str
    # A due mileage's projected date (maintenance.projection) and its sentence, or why none.
    projected_date: datetime.date | None
    projection: str
    no_projection: str


def upcoming_cache_key(user_id: int) -> str:
    return f"maintenance:v{SHAPE}:upcoming:{user_id}"


def invalidate_upcoming(user_id: int) -> None:
    forget([upcoming_cache_key(user_id)])


def upcoming_for(user: User) -> list[UpcomingItem]:
    """The owner's overdue and due-soon records on active, not-deleted vehicles, most urgent
    first, each with the reason in the vehicle's unit and the owner's locale ("412 miles over",
    "1.250 km over", "due in 9 days"). One query on a cache miss, none on a hit; the dashboard
    shows `upcoming_for(user)[:5]`. A service due by mileage is due soon also when the
    vehicle's recent driving reaches it within the due-soon days (maintenance.projection): two
    queries on a miss, the readings of all the owner's vehicles and the records.

    An entry is used only for the day, the vehicles and the locale it was computed for: "due in
    9 days" changes at the owner's midnight (and with their time zone), "412 miles over" with any
    odometer or unit (the vehicles app renews its stamp on every change of a vehicle), and its
    numbers with the owner's locale."""
    key = upcoming_cache_key(user.pk)
    today = timezone.localdate()
    locale = l10n.current().locale
    found = cache.get_many([key, stamp_key(user.pk)])
    entry, stamp = found.get(key), found.get(stamp_key(user.pk))
    if (
        entry is not None
        and entry["day"] == today
        and entry["locale"] == locale
        and stamps_match(entry["stamp"], stamp)
    ):
        return entry["items"]
    stamp = vehicles_stamp(user.pk)
    # Fill-ups and services renew the stamp too: they are the readings the projection uses.
    spans = projection.spans_for(user.pk, today)
    by_driving = projection.soon_distances(spans, settings.MAINTENANCE_DUE_SOON_DAYS)
    records = list(
        MaintenanceRecord.objects.for_owner(user)
        .needing_attention(today, by_driving)
        .filter(vehicle__is_active=True)
        .select_related("vehicle")
    )
    attach_driving(records, spans, today)
    dues = sorted(((record.due(today), record) for record in records), key=_urgency)
    items = [
        UpcomingItem(
            id=record.pk,
            vehicle_id=record.vehicle_id,
            vehicle_name=record.vehicle.display_name,
            title=record.title,
            due_date=record.due_date,
            due_mileage=record.due_mileage,
            distance_unit=record.vehicle.distance_unit,
            status=due.status,
            status_label=due.status_label,
            reason=due.reason,
            projected_date=due.projected_date,
            projection=due.projection,
            no_projection=due.no_projection,
        )
        for due, record in dues
    ]
    cache.set(
        key,
        {"day": today, "locale": locale, "stamp": stamp, "items": items},
        min(UPCOMING_TTL, seconds_until_midnight()),
    )
    return items


def _urgency(pair: tuple[Due, MaintenanceRecord]) -> tuple[int, float, str, str]:
    due, record = pair
    return (*due.urgency, record.vehicle.display_name, record.title)


def due_soon_distances(user: User) -> str:
    """How near a due mileage counts as due soon, for each unit the owner's active vehicles are
    in: "500 miles", "800 km", or "500 miles / 800 km" (miles when they have none). One query."""
    in_use = set(
        Vehicle.objects.for_owner(user)
        .filter(is_active=True)
        .values_list("distance_unit", flat=True)
        .distinct()
    ) or {DistanceUnit.MILES}
    shown = [unit for unit in DistanceUnit.values if unit in in_use]
    return " / ".join(distance_text(due_soon_distance(unit), unit) for unit in shown)
