"""Upcoming and overdue maintenance per owner, cached for an hour."""

import datetime
from typing import TypedDict
from uuid import UUID

from django.core.cache import cache
from django.utils import timezone

from maintenance.models import MaintenanceRecord
from motovault.timeutil import seconds_until_midnight

UPCOMING_TTL = 60 * 60


class UpcomingItem(TypedDict):
    """One line of the upcoming list. Plain data, so the cache never holds model instances."""

    id: UUID
    vehicle_id: UUID
    vehicle_name: str
    title: str
    due_date: datetime.date | None
    due_mileage: int | None
    status: str
    status_label: str
    reason: str


def upcoming_cache_key(user_id) -> str:
    return f"maintenance:upcoming:{user_id}"


def invalidate_upcoming(user_id) -> None:
    cache.delete(upcoming_cache_key(user_id))


def upcoming_for(user) -> list[UpcomingItem]:
    """The owner's overdue and due-soon records on active, not-deleted vehicles, most urgent
    first, each with the reason ("412 miles over", "due in 9 days"). One query on a cache miss,
    none on a hit; the dashboard shows `upcoming_for(user)[:5]`."""
    key = upcoming_cache_key(user.pk)
    items = cache.get(key)
    if items is not None:
        return items
    today = timezone.localdate()
    records = (
        MaintenanceRecord.objects.for_owner(user)
        .needing_attention(today)
        .filter(vehicle__is_active=True)
        .select_related("vehicle")
    )
    dues = sorted(((record.due(today), record) for record in records), key=_urgency)
    items = [
        UpcomingItem(
            id=record.pk,
            vehicle_id=record.vehicle_id,
            vehicle_name=record.vehicle.display_name,
            title=record.title,
            due_date=record.due_date,
            due_mileage=record.due_mileage,
            status=due.status,
            status_label=due.status_label,
            reason=due.reason,
        )
        for due, record in dues
    ]
    # "Due in 9 days" becomes wrong at midnight, so the entry never outlives the day.
    cache.set(key, items, min(UPCOMING_TTL, seconds_until_midnight()))
    return items


def _urgency(pair) -> tuple:
    due, record = pair
    return (*due.urgency, record.vehicle.display_name, record.title)
