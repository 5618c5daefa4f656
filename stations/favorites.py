"""An owner's favorite stations, for other apps (the fuel-log form's station suggestions)."""

import uuid
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser, User

from stations import prices
from stations.models import FavoriteStation


@dataclass(frozen=True)
class Suggestion:
    """A station name to suggest, and what to show beside it: the latest price paid there,
    and whether it is the cheapest of the last days ("" for none)."""

    name: str
    label: str = ""


def favorite_station_suggestions(user: User | AnonymousUser) -> list[Suggestion]:
    """The user's favorite stations, alphabetical, each name once (two saved stations of one
    brand share a name), with the latest price they paid at each, or the cheapest they paid
    in the last days at the station where it was the cheapest. Three queries; one without
    favorites."""
    if not user.is_authenticated:
        return []
    saved = (
        FavoriteStation.objects.for_owner(user)
        .order_by("station__name", "created_at")
        .values_list("station__name", "station_id")
    )
    by_name: dict[str, uuid.UUID] = {}
    for name, station_id in saved:
        by_name.setdefault(name, station_id)  # the first saved of each name
    if not by_name:
        return []
    paid = prices.latest_paid(user.pk, list(by_name.values()))
    cheapest = {price.station_id: price for price in prices.cheapest_paid(user.pk)}
    suggestions = []
    for name, station_id in by_name.items():
        if station_id in cheapest:
            label = f"{cheapest[station_id]}, cheapest in {prices.CHEAPEST_DAYS} days"
        else:
            label = str(paid[station_id]) if station_id in paid else ""
        suggestions.append(Suggestion(name, label))
    return suggestions
