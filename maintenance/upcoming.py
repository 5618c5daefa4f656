"""Upcoming and overdue maintenance per owner, cached for an hour: the services, and the dated
items other apps remind of (a cost's renewal), which they register here in their
AppConfig.ready (as vehicles.readings and stations.prices are fed), so that this app need not
import them. The upcoming page, the dashboard, the digest and the calendar feed read them all
from here."""

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypedDict
from uuid import UUID

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from maintenance import projection
from maintenance.models import (
    Due,
    MaintenanceRecord,
    Status,
    attach_driving,
    date_due,
    distance_text,
    due_soon_distance,
)
from motovault import l10n
from motovault.changes import fits_page, page_version
from motovault.invalidation import forget
from motovault.timeutil import seconds_until_midnight
from motovault.units import DistanceUnit
from vehicles.cache import stamp_key, stamps_match, vehicles_stamp
from vehicles.models import Vehicle

UPCOMING_TTL = 60 * 60
# Part of the key: raise it when UpcomingItem changes, so a deploy never reads older entries.
SHAPE = 5

# What an upcoming item is about: a scheduled service, or a dated item of a registered source.
SERVICE = "service"


class UpcomingItem(TypedDict):
    """One line of the upcoming list. Plain data, so the cache never holds model instances."""

    id: UUID
    # SERVICE, or the kind a source gave its items ("renewal").
    kind: str
    # The page that acts on it: a service's edit page, a renewal's prefilled payment form.
    url: str
    action: str
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


@dataclass(frozen=True)
class Dated:
    """Something of another app that falls due on a day, for one of the owner's active
    vehicles: "Insurance renewal", due on 1 Mar 2027, paid at `url` ("Record payment")."""

    id: UUID
    kind: str
    vehicle_id: UUID
    vehicle_name: str
    title: str
    due_date: datetime.date
    url: str
    action: str


@dataclass(frozen=True)
class Source:
    """A kind of dated item: `items` answers all of an owner's (one query), `fingerprint`
    something that changes whenever they may have (one query; the calendar feed's cache)."""

    items: Callable[[User], list[Dated]]
    fingerprint: Callable[[User], str]


_sources: list[Source] = []


def register(source: Source) -> None:
    """Add a kind of dated item (once; AppConfig.ready)."""
    if source not in _sources:
        _sources.append(source)


def dated_for(user: User) -> list[Dated]:
    """Every registered source's items for the owner, whatever their status: one query each."""
    return [item for source in _sources for item in source.items(user)]


def dated_fingerprint(user: User) -> str:
    return "|".join(source.fingerprint(user) for source in _sources)


def upcoming_cache_key(user_id: int) -> str:
    return f"maintenance:v{SHAPE}:upcoming:{user_id}"


def invalidate_upcoming(user_id: int) -> None:
    forget([upcoming_cache_key(user_id)])


def upcoming_for(user: User) -> list[UpcomingItem]:
    """The owner's overdue and due-soon records on active, not-deleted vehicles, and the
    registered sources' overdue and due-soon items (`dated_for`: a cost's renewal), most urgent
    first, each with the reason in the vehicle's unit and the owner's locale ("412 miles over",
    "1.250 km over", "due in 9 days"). None on a hit; the dashboard shows
    `upcoming_for(user)[:5]`. A service due by mileage is due soon also when the vehicle's
    recent driving reaches it within the due-soon days (maintenance.projection): on a miss, the
    readings of all the owner's vehicles, the records, and one query per registered source.

    An entry is used only for the day, the vehicles and the locale it was computed for: "due in
    9 days" changes at the owner's midnight (and with their time zone), "412 miles over" with any
    odometer or unit (the vehicles app renews its stamp on every change of a vehicle), and its
    numbers with the owner's locale. The sources' writes call invalidate_upcoming."""
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
        and fits_page(entry)
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
    ranked = [
        (
            (*due.urgency, record.vehicle.display_name, record.title),
            UpcomingItem(
                id=record.pk,
                kind=SERVICE,
                url=reverse("maintenance:edit", args=[record.pk]),
                action="Edit",
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
            ),
        )
        for record in records
        for due in [record.due(today)]
    ]
    for dated in dated_for(user):
        due = date_due(dated.due_date, today)
        if due.status == Status.SCHEDULED:
            continue
        ranked.append(((*due.urgency, dated.vehicle_name, dated.title), _dated_item(dated, due)))
    items = [item for _urgency, item in sorted(ranked, key=lambda pair: pair[0])]
    cache.set(
        key,
        {
            "day": today,
            "locale": locale,
            "stamp": stamp,
            "items": items,
            "version": page_version(),
        },
        min(UPCOMING_TTL, seconds_until_midnight()),
    )
    return items


def _dated_item(dated: Dated, due: Due) -> UpcomingItem:
    return UpcomingItem(
        id=dated.id,
        kind=dated.kind,
        url=dated.url,
        action=dated.action,
        vehicle_id=dated.vehicle_id,
        vehicle_name=dated.vehicle_name,
        title=dated.title,
        due_date=dated.due_date,
        due_mileage=None,
        distance_unit="",
        status=due.status,
        status_label=due.status_label,
        reason=due.reason,
        projected_date=None,
        projection="",
        no_projection="",
    )


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
