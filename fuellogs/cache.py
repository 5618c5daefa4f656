"""Per-vehicle fuel statistics, cached until a log of the vehicle changes (or midnight).

The numbers are still computed from the logs, never stored: the cache only saves recomputing
them over thousands of fill-ups on every page view. Every write to a vehicle's logs goes through
fuellogs.services, which forgets the vehicle's entry. (A cached page takes these entries whatever
its data version, unlike the vehicle list and the upcoming list: a change to any of the owner's
data would make every vehicle's statistics be computed again, 1.7 s for an owner with 50,000
fill-ups, where the services forget one vehicle's. A write that bypasses the services shows in
the statistics at the owner's midnight, with or without the page cache.)"""

import datetime
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import replace
from typing import Any
from uuid import UUID

from django.conf import settings
from django.core.cache import cache

from fuellogs.charts import ECONOMY_POINTS
from fuellogs.economy import FuelStats, vehicle_stats
from fuellogs.models import FuelLog
from motovault.invalidation import forget
from motovault.replica import reading_from_replica, reads_from_replica
from motovault.timeutil import seconds_until_midnight
from vehicles.models import Vehicle

# Part of the key: raise it when FuelStats changes, so a deploy never reads older entries.
SHAPE = 4


def stats_key(vehicle_id: UUID) -> str:
    return f"fuellogs:v{SHAPE}:stats:{vehicle_id}"


def invalidate_vehicle_stats(*vehicle_ids: UUID | None) -> None:
    forget([stats_key(vehicle_id) for vehicle_id in vehicle_ids if vehicle_id])


def stats_for_vehicles(
    vehicles: Sequence[Vehicle], *, today: datetime.date
) -> dict[UUID, FuelStats]:
    """FuelStats by vehicle id. One cache round trip, plus one query for the vehicles whose
    statistics are not cached. Only the segments the economy chart draws are kept.

    With a read replica (motovault/replica.py), the missing statistics are computed from it
    unless the request is pinned to the primary. Such an entry may lag a write whose
    invalidation has already run, so it is kept only READ_YOUR_WRITES_SECONDS, and a request
    pinned to the primary (the writer's) ignores it and computes from the primary."""
    with reading_from_replica():
        from_replica = reads_from_replica()
        keys = {stats_key(vehicle.pk): vehicle.pk for vehicle in vehicles}
        # An entry counts "the last twelve months" from the day it was computed for: the
        # owner's midnight, or a new time zone, makes it stale.
        found = {
            key: entry["stats"]
            for key, entry in cache.get_many(list(keys)).items()
            if entry["day"] == today and (from_replica or not entry.get("replica"))
        }
        stats = {keys[key]: value for key, value in found.items()}
        missing = [vehicle_id for key, vehicle_id in keys.items() if key not in found]
        if not missing:
            return stats
        rows_by_vehicle: defaultdict[UUID, list[dict[str, Any]]] = defaultdict(list)
        for row in FuelLog.objects.filter(vehicle__in=missing).economy_rows():
            rows_by_vehicle[row["vehicle_id"]].append(row)
    computed: dict[UUID, FuelStats] = {}
    for vehicle_id in missing:
        full = vehicle_stats(rows_by_vehicle[vehicle_id], today=today)
        computed[vehicle_id] = replace(full, segments=full.segments[-ECONOMY_POINTS:])
    cache.set_many(
        {
            stats_key(vehicle_id): {"day": today, "stats": value, "replica": from_replica}
            for vehicle_id, value in computed.items()
        },
        settings.READ_YOUR_WRITES_SECONDS if from_replica else seconds_until_midnight(),
    )
    stats.update(computed)
    return stats


def cached_fill_up_count(vehicles: Sequence[Vehicle]) -> int | None:
    """How many logs these vehicles have, when the statistics of every one of them are cached;
    None otherwise (a count is not worth computing the missing statistics for)."""
    with reading_from_replica():
        # As in stats_for_vehicles: a request pinned to the primary ignores a replica's count.
        from_replica = reads_from_replica()
    found = {
        key: entry
        for key, entry in cache.get_many([stats_key(vehicle.pk) for vehicle in vehicles]).items()
        if from_replica or not entry.get("replica")
    }
    if len(found) < len(vehicles):
        return None
    # A count does not depend on the day its entry was computed for.
    return sum(entry["stats"].fill_ups for entry in found.values())


def stats_for_vehicle(vehicle: Vehicle, *, today: datetime.date) -> FuelStats:
    return stats_for_vehicles([vehicle], today=today)[vehicle.pk]
