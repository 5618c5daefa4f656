"""The owner's main pages, cached whole and never stale.

A page is kept under everything it is made from, so that a change to any of it is a new key:
- the owner's data version (motovault.changes.data_version), which the database's triggers
  raise on every change to the owner's rows or to the data every owner shares; for the stations
  pages, also the count of the stations every owner sees, and the search provider's cached
  answer (stations_page);
- the owner's day, time zone, locale, currency and units: "due in 9 days" and "1.250 km";
- the address with its query (filters, the page number);
- the browser's CSRF secret, for the forms in the page (the log-out button among them);
- this release of the code, templates, static files, packages and settings (release()).

So a change shows on the next request, whoever made it: the owner in another tab, the admin,
an import, a cron job. A page is not cached when it carries a one-time message, or when the
browser has no CSRF cookie yet; it is kept PAGE_CACHE_SECONDS at most, and never past the
owner's midnight. Without Redis every request makes its page, as if there were no page cache.

The version is read from the primary before anything else, so a page is at least as new as its
version, and the vehicle and upcoming lists the apps cached go into a page only if they were
computed under the same version (motovault.changes.fits_page; the fuel statistics keep their
per-vehicle invalidation, fuellogs/cache.py says why). A page that read anything from a read
replica, which may lag, is kept only READ_YOUR_WRITES_SECONDS and never served to a browser
pinned to the primary (the fuel statistics' rule, fuellogs.cache)."""

import hashlib
import os
from collections.abc import Callable
from functools import cache, wraps
from importlib.metadata import distributions
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.core.cache import cache as django_cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csrf import get_token
from django.utils import timezone, translation

from motovault import l10n
from motovault.changes import DataVersion, data_version, making_page_under
from motovault.replica import (
    noting_replica_reads,
    primary_if_replica_drops,
    reading_from_replica,
    reads_from_replica,
)
from motovault.timeutil import seconds_until_midnight

# Part of the key: raise it when the cached entry's shape changes.
SHAPE = 1
_SOURCES = (".py", ".html", ".css", ".js", ".svg")
_SKIPPED = {"node_modules", "tests", "media", "staticfiles"}


@cache
def release() -> str:
    """A digest of what this process makes pages with: its code, templates and static files,
    the installed packages' versions (Django's templates, Babel's locale data) and its plain
    settings (MAINTENANCE_DUE_SOON_DAYS...). A deploy or a restart that changes any of them
    starts with no cached page. Computed once per process."""
    digest = hashlib.sha256()
    for package in sorted(f"{d.metadata['Name']}=={d.version}" for d in distributions()):
        digest.update(package.encode())
    for name in sorted(dir(settings)):
        if name.isupper() and isinstance(value := getattr(settings, name), str | int | float):
            digest.update(f"{name}={value!r}".encode())
    base = Path(settings.BASE_DIR)
    for folder, subfolders, files in os.walk(base):
        # Not the tools' caches, .git or .venv: thousands of files, none of them served.
        subfolders[:] = sorted(
            name for name in subfolders if name not in _SKIPPED and not name.startswith((".", "_"))
        )
        for name in sorted(files):
            if name.endswith(_SOURCES):
                path = Path(folder, name)
                digest.update(str(path.relative_to(base)).encode())
                digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def page_key(request: HttpRequest, version: DataVersion, answer: object = None) -> str:
    parts = (
        answer,
        release(),
        request.user.pk,
        version,
        timezone.localdate().isoformat(),
        timezone.get_current_timezone_name(),
        l10n.current(),
        translation.get_language(),
        request.scheme,
        request.get_host(),
        request.get_full_path(),
        request.META.get("CSRF_COOKIE"),
    )
    digest = hashlib.sha256(repr(parts).encode()).hexdigest()
    return f"pages:v{SHAPE}:{request.user.pk}:{digest}"


def _may_read_replica() -> bool:
    with reading_from_replica():
        return reads_from_replica()


def _carries_messages(request: HttpRequest) -> bool:
    storage = getattr(request, "_messages", None)
    return storage is not None and (storage.used or len(messages.get_messages(request)) > 0)


def owner_page[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """Caches a GET view's page for its owner (see the module). Mark only views whose page is
    made from the owner's data and the shared data the triggers count, and that never write.
    A replica that goes away midway costs a page made again from the primary, not an error."""
    return _kept(view, answer=None)


def stations_page[V: Callable[..., HttpResponseBase]](
    answer: Callable[[HttpRequest], object],
) -> Callable[[V], V]:
    """Caches a stations page as owner_page does, also under the count of changes to the
    stations every owner sees (motovault.changes.STATIONS) and under `answer(request)`: what
    else the page is made from, such as a search provider's cached answer. None when the page
    would ask the provider: that page may carry a failure's notice, and is made every time."""
    return lambda view: _kept(view, answer=answer)


def _kept[V: Callable[..., HttpResponseBase]](
    view: V, answer: Callable[[HttpRequest], object] | None
) -> V:
    @primary_if_replica_drops
    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if (
            request.method != "GET"
            or not settings.PAGE_CACHE_SECONDS
            or not request.user.is_authenticated
            or not request.META.get("CSRF_COOKIE")
            or _carries_messages(request)
        ):
            return view(request, *args, **kwargs)
        # From the primary, before anything the page shows: the page is at least this new.
        version = data_version(request.user.pk, stations=answer is not None)
        answered = None if answer is None else answer(request)
        if answer is not None and answered is None:
            return view(request, *args, **kwargs)
        key = page_key(request, version, answered)
        entry = django_cache.get(key)
        if entry is not None and (not entry["replica"] or _may_read_replica()):
            # What rendering {% csrf_token %} does: the middleware renews the CSRF cookie.
            get_token(request)
            return HttpResponse(entry["body"], content_type=entry["content_type"])
        with making_page_under(version), noting_replica_reads() as replica_reads:
            response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and isinstance(response, HttpResponse)
            and not response.cookies
            and not _carries_messages(request)
            # The view read the provider's answer again: if it went in between (its hour up,
            # or evicted), the page was made from another answer, or from a failure.
            and (answer is None or answer(request) == answered)
        ):
            # A page with anything read from a lagging replica is kept only as long as the
            # owner's other reads may lag, and never shown to a browser pinned to the primary.
            from_replica = bool(replica_reads)
            seconds = min(
                settings.PAGE_CACHE_SECONDS,
                settings.READ_YOUR_WRITES_SECONDS if from_replica else seconds_until_midnight(),
            )
            django_cache.set(
                key,
                {
                    "body": response.content,
                    "content_type": response["Content-Type"],
                    "replica": from_replica,
                },
                seconds,
            )
        return response

    return wrapped  # type: ignore[return-value]
