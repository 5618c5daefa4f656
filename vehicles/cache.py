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
