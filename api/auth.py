"""Who an API request is, and how often they may ask.

A token request (`Authorization: Bearer <secret>`) is exempt from CSRF: no browser sends the
header by itself, so no other site can forge one. A request with the session cookie of a
signed-in owner (the docs page's "Try it out", the site's own scripts) is checked for CSRF as
every form is. Either way the request then runs as its owner, with their time zone, but reads
and writes numbers the JSON way (a "." before the decimals), whatever the owner's locale.
"""

import time
from dataclasses import replace
from typing import cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.http import HttpRequest
from django.utils import timezone
from ninja.errors import HttpError
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle

from accounts.models import Preferences
from api.models import ApiToken
from motovault import l10n

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# How numbers in JSON read: as in en-US. Currency and economy units stay the owner's.
JSON_LOCALE = "en-US"


def _run_as(request: HttpRequest, user: User) -> None:
    """The request is the owner's from here on: their time zone ("today", dates not in the
    future) and their currency and economy units, with JSON's number format. Activated for the
    rest of the request; accounts.session_preferences' middleware resets both at its end."""
    request.user = user
    preferences = Preferences.objects.filter(user=user).first() or Preferences()
    if preferences.time_zone:
        timezone.activate(preferences.time_zone)
    l10n.activate(replace(preferences.regional, locale=JSON_LOCALE))


class TokenAuth(HttpBearer):
    """`Authorization: Bearer <secret>`: a working token's owner. A read-only token may read;
    anything else it asks is a 403."""

    openapi_description = "A personal access token, made on the account page."

    def authenticate(self, request: HttpRequest, token: str) -> ApiToken | None:
        found = ApiToken.objects.by_secret(token)
        if found is None:
            return None
        if found.read_only and request.method not in SAFE_METHODS:
            raise HttpError(403, "This token is read-only: it may read, not change anything.")
        found.mark_used()
        request.api_token = found  # type: ignore[attr-defined]  # what the throttle counts by
        _run_as(request, found.user)
        return found


class OwnerSession(SessionAuth):
    """The signed-in owner's session cookie, CSRF-checked."""

    openapi_description = "The session of an owner signed in to the site; needs the CSRF token."

    def _get_key(self, request: HttpRequest) -> str | None:
        # Only a signed-in session has anything to forge. Without one (no token, a wrong or a
        # revoked one) a write is the 401 every request gets, not the CSRF check's 403. And a
        # request that sends a token is the token's: a wrong one is a 401, whatever cookie
        # the browser adds. (Only a Bearer one: a proxy's Basic login in front of MotoVault
        # sends its own Authorization header with every request.)
        sends_token = request.headers.get("Authorization", "").lower().startswith("bearer")
        if not request.user.is_authenticated or sends_token:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> User | None:
        user = None if key is None else super().authenticate(request, key)
        if user is None:
            return None
        _run_as(request, user)
        return user


class PerToken(BaseThrottle):
    """At most API_REQUESTS_PER_MINUTE requests per token (or per signed-in owner) in each
    minute of the clock: a counter in the cache, created with its expiry and then incremented,
    which Redis and the in-memory cache both do atomically. Without the cache (Redis down) the
    API serves unthrottled rather than not at all."""

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "api_token", None)
        who = f"token:{token.pk}" if token is not None else f"user:{request.user.pk}"
        window = int(time.time() // 60)
        key = f"api:v1:throttle:{who}:{window}"
        cache.add(key, 0, timeout=60)
        try:
            count = cache.incr(key)
        except ValueError:
            return True  # no counter: the cache is away, or the entry just expired
        return count is None or count <= settings.API_REQUESTS_PER_MINUTE

    def wait(self) -> float:
        """Seconds until the next minute of the clock, when the counter starts again."""
        return 60 - time.time() % 60


def owner(request: HttpRequest) -> User:
    """The request's owner: every operation runs behind TokenAuth or OwnerSession."""
    return cast(User, request.user)
