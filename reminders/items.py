"""What a digest can list: plain items, from every app that has something to remind of."""

import zoneinfo
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.utils import timezone
from django.utils.text import Truncator

from accounts.models import Preferences
from maintenance.models import Status
from maintenance.upcoming import SERVICE, upcoming_for
from motovault import l10n
from recalls.models import Campaign, VehicleRecall

OVERDUE = Status.OVERDUE
RECALL = "recall"


@dataclass(frozen=True)
class Item:
    """One line of a digest. `key` names what it is about across days ("maintenance:<uuid>");
    an item whose status is OVERDUE is repeated weekly while it stays so."""

    key: str
    vehicle_name: str
    title: str
    reason: str
    url: str
    status: str

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def items_for(user: User) -> list[Item]:
    """Everything the owner may need to hear about, in the owner's time zone and locale (run
    it inside `owner_context`). Another kind of reminder joins here with one line."""
    return recall_items(user) + maintenance_items(user)


def recall_items(user: User) -> list[Item]:
    """Open safety recalls of the owner's active vehicles, each listed once, when first found
    (its status never becomes OVERDUE, so it is not repeated)."""
    return [
        Item(
            key=f"recall:{recall.pk}",
            vehicle_name=recall.vehicle.display_name,
            title=f"Safety recall {recall.campaign.campaign_number}"
            + (f" ({recall.campaign.component.title()})" if recall.campaign.component else ""),
            reason=_recall_reason(recall.campaign),
            url=absolute(recall.vehicle.get_absolute_url()),
            status=RECALL,
        )
        for recall in VehicleRecall.objects.new_for_digest(user, None)
    ]


def _recall_reason(campaign: Campaign) -> str:
    if campaign.park_it:
        return "Park it: do not drive this vehicle until it is repaired."
    if campaign.park_outside:
        return "Park it outside, away from buildings, until it is repaired."
    return Truncator(campaign.consequence or campaign.summary).words(30)


def maintenance_items(user: User) -> list[Item]:
    """Overdue and due-soon services and renewals (maintenance.upcoming), worded as the
    upcoming list words them, each linking to its action (a renewal's payment form)."""
    return [
        Item(
            # A service's key as before renewals joined, so that no digest repeats one early.
            key=f"maintenance:{entry['id']}"
            if entry["kind"] == SERVICE
            else f"{entry['kind']}:{entry['id']}",
            vehicle_name=entry["vehicle_name"],
            title=entry["title"],
            reason=entry["reason"],
            url=absolute(entry["url"]),
            status=entry["status"],
        )
        for entry in upcoming_for(user)
    ]


def owner_zone(preferences: Preferences | None) -> zoneinfo.ZoneInfo:
    name = (preferences.time_zone if preferences else "") or settings.TIME_ZONE
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo(settings.TIME_ZONE)


@contextmanager
def owner_context(preferences: Preferences | None) -> Iterator[zoneinfo.ZoneInfo]:
    """The owner's time zone and locale active, as on their own pages; yields the zone."""
    regional = preferences.regional if preferences else l10n.DEFAULT
    zone = owner_zone(preferences)
    with timezone.override(zone), l10n.override(regional):
        yield zone
