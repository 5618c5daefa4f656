"""Sign-in throttling: whom django-axes counts failed sign-ins against (settings AXES_*), and the
limits it cannot express.

- Five wrong passwords for one username from one address lock that pair (AXES_FAILURE_LIMIT),
  so a stranger elsewhere cannot lock an owner out of their own account.
- One address guessing at any usernames is locked after SIGN_IN_ADDRESS_FAILURE_LIMIT.
- One username guessed at from many addresses is slowed, not locked: after
  SIGN_IN_USERNAME_FREE_FAILURES from other addresses, an attempt must come
  SIGN_IN_USERNAME_RETRY_SECONDS after the last of them, except from an address that account
  has signed in from before.
"""

import datetime as dt
import math
from typing import Any

from axes.attempts import get_cool_off_threshold
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username, get_cool_off
from axes.models import AccessAttempt, AccessLog
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Max, Q, Sum
from django.http import HttpRequest
from django.utils import timezone


def attempt_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str | None:
    """The username as typed, cut to the longest one an account can have: axes stores it in a
    255-character column, and a longer one names no account anyway."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    if not username:
        return username
    return username[: get_user_model()._meta.get_field("username").max_length]


def client_address(request: HttpRequest) -> str | None:
    """The address a sign-in came from. Behind TRUSTED_PROXY_COUNT proxies, which each append
    the address they were called from to X-Forwarded-For, the client is that many entries from
    the end; anything before those the client may have written itself."""
    proxies = settings.TRUSTED_PROXY_COUNT
    if proxies:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
        forwarded = [address.strip() for address in forwarded if address.strip()]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR")


class AxesHttpRequest(HttpRequest):
    """A request as axes hands it to its handler, with the client's address worked out (by
    client_address). Only an annotation."""

    axes_ip_address: str | None


class SignInAttempts(AxesDatabaseHandler):
    """Axes' database handler with two limits where axes has one (AXES_HANDLER)."""

    def get_failures(
        self, request: AxesHttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """The failures that count towards AXES_FAILURE_LIMIT: those of this username from this
        address; or, once the address as a whole has reached its own higher limit, the limit."""
        username = get_client_username(request, credentials)
        recent = AccessAttempt.objects.filter(
            ip_address=request.axes_ip_address, attempt_time__gte=get_cool_off_threshold(request)
        ).aggregate(
            address=Sum("failures_since_start", default=0),
            pair=Sum("failures_since_start", filter=Q(username=username), default=0),
        )
        if recent["address"] >= settings.SIGN_IN_ADDRESS_FAILURE_LIMIT:
            return max(recent["pair"], settings.AXES_FAILURE_LIMIT)
        return recent["pair"]

    def reset_user_attempts(
        self, request: AxesHttpRequest, credentials: dict[str, Any] | None = None
    ) -> int:
        """On a successful sign-in, forget this username's failures from this address only.
        (Axes would forget every failure from the address: someone signing in to their own
        account now and then would wipe the count of their guesses at others'.)"""
        username = get_client_username(request, credentials)
        deleted, _ = AccessAttempt.objects.filter(
            username=username, ip_address=request.axes_ip_address
        ).delete()
        return deleted


def seconds_to_wait(username: str | None, address: str | None) -> int:
    """How long a sign-in as `username` from `address` must wait before its password is even
    checked: 0, unless that username has failed often lately from other addresses. (Failures
    from this one count towards its own lockout instead.)"""
    now = timezone.now()
    recent = (
        AccessAttempt.objects.filter(username=username, attempt_time__gte=now - get_cool_off())
        .exclude(ip_address=address)
        .aggregate(failures=Sum("failures_since_start", default=0), last=Max("attempt_time"))
    )
    if recent["failures"] < settings.SIGN_IN_USERNAME_FREE_FAILURES:
        return 0
    retry_at = recent["last"] + dt.timedelta(seconds=settings.SIGN_IN_USERNAME_RETRY_SECONDS)
    if retry_at <= now:
        return 0
    # The owner, at home under an attack from elsewhere, is not made to wait.
    if AccessLog.objects.filter(username=username, ip_address=address).exists():
        return 0
    return math.ceil((retry_at - now).total_seconds())
