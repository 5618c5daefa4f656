"""The per-owner vehicle list cache, and the one call every change to a vehicle makes."""

from django.core.cache import cache

VEHICLE_LIST_TTL = 5 * 60


def vehicle_list_key(user_id) -> str:
    return f"vehicles:user:{user_id}"


def invalidate_owner_caches(user_id) -> None:
    """Forget what was cached from this owner's vehicles: the vehicle list, and the upcoming
    maintenance, whose "due by mileage" depends on odometers and on which vehicles are active."""
    # Imported here: maintenance's models depend on this app's, not the other way round.
    from maintenance.upcoming import upcoming_cache_key

    cache.delete_many([vehicle_list_key(user_id), upcoming_cache_key(user_id)])


def owner_vehicle_list(user) -> dict:
    """The owner's vehicles (active first) and how many they deleted, cached for 5 minutes:
    `{"vehicles": [Vehicle, ...], "deleted_count": int}`. Two queries on a miss, none on a hit."""
    # Imported here: models.py imports this module for invalidate_owner_caches.
    from vehicles.models import Vehicle

    key = vehicle_list_key(user.pk)
    listing = cache.get(key)
    if listing is None:
        listing = {
            "vehicles": list(Vehicle.objects.for_owner(user)),
            "deleted_count": Vehicle.objects.deleted_for_owner(user).count(),
        }
        cache.set(key, listing, VEHICLE_LIST_TTL)
    return listing
