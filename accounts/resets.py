"""How many password-reset mails one e-mail address, and one client, may cause in an hour
(settings PASSWORD_RESET_EMAIL_LIMIT and PASSWORD_RESET_CLIENT_LIMIT).

The counters live in the shared cache (Redis), counted with add and incr, which are atomic. When
the cache does not answer (django-redis then returns None rather than raising), they live in
this process's memory instead: the limits then hold per worker, which still bounds the mails,
rather than not at all, and the page keeps working."""

import hashlib
import ipaddress
import logging
from typing import cast

from django.conf import settings
from django.core.cache import cache
from django.core.cache.backends.base import BaseCache
from django.core.cache.backends.locmem import LocMemCache

log = logging.getLogger(__name__)

WINDOW = 60 * 60
_during_outage = LocMemCache("password-resets", {})


def email_key(email: str) -> str:
    # Hashed: the cache holds no addresses.
    digest = hashlib.sha256(email.casefold().encode()).hexdigest()
    return f"reset:v1:email:{digest}"


def client_key(address: str | None) -> str:
    return f"reset:v1:client:{_client_of(address)}"


def _client_of(address: str | None) -> str | None:
    """Whom an address stands for: an IPv4 address itself, but of an IPv6 address its /64
    network, since a home or a server is given a whole /64 and may send from any address in it
    (2**64 of them, enough for a new address per request)."""
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:  # not an address; counted as written
        return address
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped:  # ::ffff:203.0.113.7, an IPv4 client of a dual-stack server
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((int(ip) >> 64 << 64, 64)))
    return str(ip)


def allow(email: str, address: str | None) -> bool:
    """Count one reset request for `email` from `address`; False once either has asked more
    often than its limit this hour (the request is logged, and no mail should be sent)."""
    if _count(client_key(address)) > settings.PASSWORD_RESET_CLIENT_LIMIT:
        log.warning("Password reset refused: client %s asked too often this hour.", address)
        return False
    if _count(email_key(email)) > settings.PASSWORD_RESET_EMAIL_LIMIT:
        log.warning("Password reset refused: one address was asked for too often this hour.")
        return False
    return True


def _count(key: str) -> int:
    count = _increment(cache, key)
    # This process's memory always answers.
    return count if count is not None else cast(int, _increment(_during_outage, key))


def _increment(store: BaseCache, key: str) -> int | None:
    """Add one to the hour's counter under `key`; None when the store did not answer."""
    if store.add(key, 0, timeout=WINDOW) is None:
        return None
    try:
        return store.incr(key)
    except ValueError:
        # The hour ran out between add and incr: this is the first request of the next one.
        store.set(key, 1, timeout=WINDOW)
        return 1
