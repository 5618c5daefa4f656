"""Whom django-axes counts failed sign-ins against (settings AXES_*_CALLABLE)."""

from django.conf import settings
from django.contrib.auth import get_user_model


def attempt_username(request, credentials) -> str | None:
    """The username as typed, cut to the longest one an account can have: axes stores it in a
    255-character column, and a longer one names no account anyway."""
    username = (credentials or {}).get("username") or request.POST.get("username")
    if not username:
        return username
    return username[: get_user_model()._meta.get_field("username").max_length]


def client_address(request) -> str | None:
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
