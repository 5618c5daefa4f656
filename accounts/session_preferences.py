"""Each owner's preferences that every page reads: their time zone, and their locale, currency
and economy units (motovault.l10n.Regional).

They travel in the session, copied there at sign-in and when changed, so that no request pays a
query for them. A session from before a preference existed reads its default, which is what
the upgrade gave every owner."""

import zoneinfo
from collections.abc import Callable
from dataclasses import asdict, fields
from functools import cache
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from accounts.models import Preferences
from motovault import l10n

TIME_ZONE_KEY = "time_zone"
REGIONAL_KEY = "regional"
_REGIONAL_FIELDS = [field.name for field in fields(l10n.Regional)]


@cache
def zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def remember(request: HttpRequest, preferences: Preferences) -> None:
    request.session[TIME_ZONE_KEY] = preferences.time_zone
    request.session[REGIONAL_KEY] = asdict(preferences.regional)


def load_on_sign_in(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """user_logged_in receiver: the signed-in owner's preferences into their session."""
    if request is not None and hasattr(request, "session"):
        remember(request, Preferences.objects.filter(user=user).first() or Preferences())


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # A zone this machine no longer knows: the site's own, rather than an error page.
        return None


def _regional(saved: object) -> l10n.Regional:
    if not isinstance(saved, dict):
        return l10n.DEFAULT
    return l10n.Regional(**{name: saved[name] for name in _REGIONAL_FIELDS if name in saved})


class PreferencesMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        token = l10n.activate(l10n.DEFAULT)
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()
            l10n.deactivate(token)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: list[Any],
        view_kwargs: dict[str, Any],
    ) -> None:
        # Public pages (signing in, the health check) show no owner's numbers, and must not load
        # a session from a database that may be down.
        if not getattr(view_func, "login_required", True):
            return
        if zone := _zone(request.session.get(TIME_ZONE_KEY)):
            timezone.activate(zone)
        l10n.activate(_regional(request.session.get(REGIONAL_KEY)))
