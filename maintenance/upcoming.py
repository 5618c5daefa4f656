"""Upcoming and overdue maintenance per owner, cached for an hour."""

from django.core.cache import cache

UPCOMING_TTL = 60 * 60


def upcoming_cache_key(user_id) -> str:
    return f"maintenance:upcoming:{user_id}"


def invalidate_upcoming(user_id) -> None:
    cache.delete(upcoming_cache_key(user_id))
