"""The owner's calendar feed: one all-day event per scheduled service with a date, and per
dated item of maintenance.upcoming's sources (a repeating cost's renewal).

Calendar apps poll the feed, so it is cached, and counted per token: an entry is kept for the
owner's day, their vehicles' stamp (odometers, names) and a fingerprint of their services and
of the sources' items (how many, and when one last changed), so any change of their data is in
the next answer."""

import datetime
import hashlib
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db.models import Count, Max, Q
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar, Event

from maintenance import projection
from maintenance.models import MaintenanceRecord, attach_driving, date_due
from maintenance.upcoming import dated_fingerprint, dated_for
from reminders.items import absolute
from vehicles.cache import vehicles_stamp

# Part of the key: raise it when the feed's content changes shape.
SHAPE = 2
FEED_TTL = 24 * 60 * 60
RATE_WINDOW_SECONDS = 60 * 60


@dataclass(frozen=True)
class Entry:
    """One event: a service on a day, for a vehicle, and why."""

    uid: str
    day: datetime.date
    title: str
    vehicle_name: str
    reason: str
    url: str


def calendar_entries(user: User, today: datetime.date) -> list[Entry]:
    """The owner's scheduled services on active vehicles that have a date: their due date, or
    the date their vehicle's recent driving reaches their due mileage (maintenance.projection);
    and the sources' dated items (renewals), on their day. Two queries, and one per source."""
    records = list(
        MaintenanceRecord.objects.for_owner(user)
        .scheduled()
        .filter(Q(due_date__isnull=False) | Q(due_mileage__isnull=False), vehicle__is_active=True)
        .select_related("vehicle")
        .order_by("due_date", "pk")
    )
    attach_driving(records, projection.spans_for(user.pk, today), today)
    host = urlsplit(settings.SITE_URL).hostname or "motovault"
    entries = []
    for record in records:
        due = record.due(today)
        day = record.due_date or due.projected_date
        if day is None:
            continue
        entries.append(
            Entry(
                uid=f"{record.pk}@{host}",
                day=day,
                title=record.title,
                vehicle_name=record.vehicle.display_name,
                reason=due.reason,
                url=absolute(reverse("maintenance:edit", kwargs={"pk": record.pk})),
            )
        )
    for dated in dated_for(user):
        entries.append(
            Entry(
                # The kind keeps it apart from a service's uid; a renewal's id is its series'
                # latest cost, so recording the next payment makes a new event.
                uid=f"{dated.kind}-{dated.id}@{host}",
                day=dated.due_date,
                title=dated.title,
                vehicle_name=dated.vehicle_name,
                reason=date_due(dated.due_date, today).reason,
                url=absolute(dated.url),
            )
        )
    return sorted(entries, key=lambda entry: entry.day)


def ics(entries: list[Entry], *, stamp: datetime.datetime) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", "-//MotoVault//Maintenance reminders//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "MotoVault maintenance")
    for entry in entries:
        event = Event()
        event.add("uid", entry.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + datetime.timedelta(days=1))
        event.add("summary", f"{entry.title} · {entry.vehicle_name}")
        event.add("description", entry.reason)
        event.add("url", entry.url)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()


def fingerprint(user: User) -> str:
    """What changes whenever the owner's services or the sources' items do: their number and
    latest change. One query, and one per source."""
    found = MaintenanceRecord.objects.filter(user=user).aggregate(
        count=Count("pk"), changed=Max("updated_at")
    )
    services = f"{found['count']}:{found['changed'].isoformat() if found['changed'] else ''}"
    return f"{services}|{dated_fingerprint(user)}"


def feed_key(user_id: int) -> str:
    return f"reminders:v{SHAPE}:calendar:{user_id}"


def feed_for(user: User) -> bytes:
    """The owner's feed (run it in their time zone and locale), cached until their data or
    their day changes."""
    today = timezone.localdate()
    version = f"{today.isoformat()}|{vehicles_stamp(user.pk)}|{fingerprint(user)}"
    entry = cache.get(feed_key(user.pk))
    if entry is not None and entry["version"] == version:
        return entry["body"]
    body = ics(calendar_entries(user, today), stamp=timezone.now())
    cache.set(feed_key(user.pk), {"version": version, "body": body}, FEED_TTL)
    return body


def rate_limited(token: str) -> int:
    """Count one request for this token; the seconds to wait when it is over the limit, else
    0. The key holds a digest of the token, never the token."""
    now = time.time()
    window = int(now // RATE_WINDOW_SECONDS)
    digest = hashlib.sha256(token.encode()).hexdigest()[:32]
    key = f"reminders:v{SHAPE}:calendar-rate:{digest}:{window}"
    cache.add(key, 0, RATE_WINDOW_SECONDS)
    try:
        count = cache.incr(key)
    except ValueError:
        # The entry expired (or the cache is away) between add and incr: this one counts.
        count = 1
    if count > settings.CALENDAR_REQUESTS_PER_HOUR:
        return max(1, int((window + 1) * RATE_WINDOW_SECONDS - now))
    return 0
