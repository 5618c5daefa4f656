"""What the vehicles app caches per owner, and the one call that forgets it.

Two keys per owner: the vehicle list (vehicles.listing) and a stamp that changes whenever any of
the owner's vehicles does. Caches of other apps that read vehicles (the upcoming maintenance
reads odometers) store the stamp they were computed under and recompute when it differs, so
this app never has to know them."""

import uuid

from django.core.cache import cache

from motovault.invalidation import forget

VEHICLE_LIST_TTL = 5 * 60
# Part of every key: raise it when a cached shape changes, so that a deploy never reads what
# older code wrote.
SHAPE = 2


def vehicle_list_key(user_id: int) -> str:
    return f"vehicles:v{SHAPE}:list:{user_id}"


def stamp_key(user_id: int) -> str:
    return f"vehicles:v{SHAPE}:stamp:{user_id}"


def invalidate_owner_caches(user_id: int) -> None:
    """Forget the owner's vehicle list and renew their stamp (motovault.invalidation.forget)."""
    forget([vehicle_list_key(user_id), stamp_key(user_id)])


def vehicles_stamp(user_id: int) -> str:
    """The owner's current stamp; read it before the rows a cached value is computed from."""
    key = stamp_key(user_id)
    if (stamp := cache.get(key)) is None:
        cache.add(key, uuid.uuid4().hex, None)
        # Another request may have added its stamp first; without a cache, nothing matches.
        stamp = cache.get(key) or ""
    return stamp


def stamps_match(stored: str | None, current: str | None) -> bool:
    return bool(stored) and stored == current
