"""Which of an owner's stations a fill-up names: the one rule the fuel form, imports and the
account archive's restore link fill-ups by.

A station name typed on a fill-up names the owner's saved station (FavoriteStation) of that name,
spaces and case aside; when they have none, a private station of that name is created and saved
to their stations, so that "stations I use" exists from their first fill-up."""

import uuid
from collections.abc import Iterable

from stations.models import FavoriteStation, Station, name_key


def stations_named(user_id: int, names: Iterable[str]) -> dict[str, uuid.UUID]:
    """The owner's station for each name that is not blank, by name_key: their saved station
    of that name (the earliest saved, when two share it), else a new private one. At most four
    queries however many names; safe against another request creating the same station (the
    unique constraint keeps one, and that one is found)."""
    wanted: dict[str, str] = {}
    for name in names:
        if key := name_key(name):
            wanted.setdefault(key, " ".join(name.split()))
    if not wanted:
        return {}
    found = _saved(user_id, wanted)
    missing = [key for key in wanted if key not in found]
    if missing:
        Station.objects.bulk_create(
            [Station(owner_id=user_id, name=wanted[key], name_key=key) for key in missing],
            ignore_conflicts=True,
        )
        # The rows just created, or created meanwhile by another request.
        own = Station.objects.filter(owner_id=user_id, name_key__in=missing)
        created = dict(own.values_list("name_key", "pk"))
        FavoriteStation.objects.bulk_create(
            [FavoriteStation(user_id=user_id, station_id=pk) for pk in created.values()],
            ignore_conflicts=True,
        )
        found.update(created)
    return found


def station_named(user_id: int, name: str) -> uuid.UUID | None:
    """The owner's station for one fill-up's station name (stations_named); None for a blank
    name."""
    return stations_named(user_id, [name]).get(name_key(name))


def _saved(user_id: int, keys: Iterable[str]) -> dict[str, uuid.UUID]:
    wanted = set(keys)
    found: dict[str, uuid.UUID] = {}
    saved = (
        FavoriteStation.objects.filter(user_id=user_id)
        .order_by("created_at", "pk")
        .values_list("station_id", "station__name")
    )
    for station_id, name in saved:
        if (key := name_key(name)) in wanted:
            found.setdefault(key, station_id)
    return found
