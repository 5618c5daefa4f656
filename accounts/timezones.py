"""Each owner's own time zone, from their preferences.

It travels in the session, copied there at sign-in and when changed, so that no request pays a
query for it."""

import zoneinfo
from collections.abc import Callable
from functools import cache
from typing import Any

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.http.response import HttpResponseBase
from django.utils import timezone

from accounts.models import Preferences

SESSION_KEY = "time_zone"


@cache
def zone_names() -> list[str]:
    return sorted(zoneinfo.available_timezones())


def remember(request: HttpRequest, name: str) -> None:
    request.session[SESSION_KEY] = name


def load_on_sign_in(
    sender: type[User], request: HttpRequest | None, user: User, **kwargs: Any
) -> None:
    """user_logged_in receiver: the signed-in owner's time zone into their session."""
    if request is not None and hasattr(request, "session"):
        saved = Preferences.objects.filter(user=user).values_list("time_zone", flat=True)
        remember(request, saved.first() or "")


def _zone(name: str | None) -> zoneinfo.ZoneInfo | None:
    if not name:
        return None
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        # A zone this machine no longer knows: the site's own, rather than an error page.
        return None


class TimeZoneMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        try:
            return self.get_response(request)
        finally:
            timezone.deactivate()

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., HttpResponseBase],
        view_args: list[Any],
        view_kwargs: dict[str, Any],
    ) -> None:
        # Public pages (signing in, the health check) show no owner's dates, and must not load
        # a session from a database that may be down.
        if not getattr(view_func, "login_required", True):
            return
        if zone := _zone(request.session.get(SESSION_KEY)):
            timezone.activate(zone)
