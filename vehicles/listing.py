"""The owner's vehicle list, cached for five minutes (the specification's vehicle-list cache)."""

from typing import TypedDict

from django.contrib.auth.models import User
from django.core.cache import cache

from motovault.changes import fits_page, page_version
from vehicles.cache import VEHICLE_LIST_TTL, vehicle_list_key
from vehicles.models import Vehicle

# Stored as field values, never as model instances: a cached instance would outlive a change
# of the model's shape and fail to unpickle after a deploy.
_FIELDS = [field.attname for field in Vehicle._meta.concrete_fields]


class VehicleListing(TypedDict):
    vehicles: list[Vehicle]
    deleted_count: int


def owner_vehicle_list(user: User) -> VehicleListing:
    """The owner's vehicles (active first) and how many they deleted. Two queries on a miss,
    none on a hit."""
    key = vehicle_list_key(user.pk)
    cached = cache.get(key)
    if cached is None or not fits_page(cached):
        cached = {
            "rows": list(Vehicle.objects.for_owner(user).values(*_FIELDS)),
            "deleted_count": Vehicle.objects.deleted_for_owner(user).count(),
            "version": page_version(),
        }
        cache.set(key, cached, VEHICLE_LIST_TTL)
    return {
        "vehicles": [_vehicle(row) for row in cached["rows"]],
        "deleted_count": cached["deleted_count"],
    }


def _vehicle(row: dict) -> Vehicle:
    """The vehicle a cached row describes, as if loaded from the database. By name, so that an
    entry cached before a field was added still reads right (the new field takes its default)."""
    vehicle = Vehicle(**{name: value for name, value in row.items() if name in _FIELDS})
    vehicle._state.adding = False
    vehicle._state.db = "default"
    return vehicle
