"""The benchmark's in-process half (run by bench/run.py with the benchmark's settings).

Prints JSON: session cookies for the owners, the pages to load, the queries each page runs once
its caches are warm, the soak's write request, and timings of the hot functions."""

import json
import os
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import django

django.setup()

from django.conf import settings  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.cache import cache  # noqa: E402
from django.db import connection  # noqa: E402
from django.middleware.csrf import CSRF_ALLOWED_CHARS, CSRF_SECRET_LENGTH  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, override_settings  # noqa: E402
from django.utils import timezone  # noqa: E402
from django.utils.crypto import get_random_string  # noqa: E402

from demo import generator as demo  # noqa: E402
from fuellogs.economy import vehicle_stats  # noqa: E402
from fuellogs.models import FuelLog  # noqa: E402
from vehicles import vpic  # noqa: E402
from vehicles.models import Vehicle, VinCache  # noqa: E402

HEAVY, TYPICAL = "heavy", "demo"


def median_ms(function, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 3)


def session_cookie(user) -> tuple[Client, str]:
    """A signed-in browser's cookies: its session, and the CSRF cookie that the sign-in page
    gave it (pages are cached for a browser that has one, motovault/pagecache.py)."""
    client = Client(HTTP_X_FORWARDED_PROTO="https")
    client.force_login(user)
    secret = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    client.cookies[settings.CSRF_COOKIE_NAME] = secret
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    return client, f"{settings.SESSION_COOKIE_NAME}={session}; {settings.CSRF_COOKIE_NAME}={secret}"


def pages_for(user) -> list[tuple[str, str]]:
    vehicle = Vehicle.objects.for_owner(user).order_by("created_at", "id").first()
    return [
        ("dashboard", "/"),
        ("vehicle list", "/vehicles/"),
        ("vehicle detail", f"/vehicles/{vehicle.pk}/"),
        ("fuel log list", "/fuel/"),
        ("upcoming maintenance", "/maintenance/upcoming/"),
        ("station search (cached)", "/stations/?q=shell"),
        ("saved stations", "/stations/"),
    ]


def steady_queries(client: Client, path: str) -> int:
    """Queries of a page once its caches are warm (the first load fills them)."""
    first = client.get(path)
    assert first.status_code == 200, (path, first.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(path)
    return len(queries)


def page_timings(user) -> dict:
    """Each page of the heavy owner:
    - after a change to the owner's data: made afresh, with nothing the apps cached usable
      (their values must have been computed under the page's data version);
    - made again with the apps' values usable (another browser, filter or day: the same
      version, another key);
    - served from the page cache.
    The change is a write to the owner's row, which raises the version and nothing else."""
    browser = session_cookie(user)[0]
    figures = {}
    for name, path in pages_for(user):

        def after_a_change(path=path):
            User.objects.filter(pk=user.pk).update(last_login=timezone.now())
            browser.get(path)

        figures[f"{name}, after a change (ms)"] = median_ms(after_a_change, 3)
        with override_settings(PAGE_CACHE_SECONDS=0):
            figures[f"{name}, made (ms)"] = median_ms(lambda path=path: browser.get(path), 10)
        browser.get(path)
        figures[f"{name}, from the page cache (ms)"] = median_ms(
            lambda path=path: browser.get(path), 50
        )
    return figures


def timing_vehicles() -> dict[int, Vehicle]:
    """Vehicles with 10, 1,000 and 10,000 fill-ups, made once in the benchmark database."""
    owner, _created = User.objects.get_or_create(username="timing")
    vehicles = {}
    generator = demo.Generator(seed=3)
    for count in (10, 1_000, 10_000):
        vehicle = Vehicle.objects.filter(user=owner, nickname=f"{count} fill-ups").first()
        if vehicle is None:
            vehicle, model = generator.vehicles(owner.id, 1)[0]
            vehicle.nickname = f"{count} fill-ups"
            vehicle.vin = demo.synthetic_vin(generator.rng)
            logs = generator.fuel_logs(vehicle, model, count)
            vehicle.save()
            FuelLog.objects.bulk_create(logs, batch_size=demo.BATCH)
        vehicles[count] = vehicle
    return vehicles


def timings() -> dict:
    figures = {}
    for count, vehicle in timing_vehicles().items():

        def stats(vehicle=vehicle):
            return vehicle_stats(
                FuelLog.objects.filter(vehicle=vehicle).economy_rows(), today=date.today()
            )

        with CaptureQueriesContext(connection) as queries:
            stats()
        figures[f"fuel statistics, {count:,} fill-ups (ms)"] = median_ms(
            stats, 5 if count > 1000 else 25
        )
        figures[f"fuel statistics, {count:,} fill-ups (queries)"] = len(queries)

    vin = demo.REAL_VEHICLES[0].vin
    VinCache.objects.filter(vin=vin).update(cached_at=django.utils.timezone.now())
    vpic.decode(vin)  # fills Redis from the row
    figures["VIN decode from Redis (ms)"] = median_ms(lambda: vpic.decode(vin), 200)

    def from_row():
        cache.delete(vpic.cache_key(vin))
        vpic.decode(vin)

    figures["VIN decode from vin_cache (ms, incl. a Redis delete)"] = median_ms(from_row, 100)
    return figures


def main() -> None:
    heavy, typical = User.objects.get(username=HEAVY), User.objects.get(username=TYPICAL)
    # First: its writes raise the heavy owner's data version, and its pages made without the
    # page cache leave values computed under none; the warm-up below leaves everything as a
    # steady state has it, for wrk.
    page_figures = page_timings(heavy)
    # Next: its write to vin_cache, a table every owner's pages read, makes every page again.
    other_figures = timings()
    cookies, queries, pages = (
        {},
        {},
        [("ceiling", "/bench/ceiling", None), ("login page", "/accounts/login/", None)],
    )
    for user in (heavy, typical):
        client, cookies[user.username] = session_cookie(user)
        for name, path in pages_for(user):
            pages.append((name, path, user.username))
            queries[f"{name}:{user.username}"] = steady_queries(client, path)
    queries["login page:None"] = steady_queries(
        Client(HTTP_X_FORWARDED_PROTO="https"), "/accounts/login/"
    )
    queries["ceiling:None"] = 0

    token = get_random_string(CSRF_SECRET_LENGTH, CSRF_ALLOWED_CHARS)
    vehicle = Vehicle.objects.for_owner(heavy).order_by("created_at", "id").first()
    print(
        json.dumps(
            {
                "cookies": cookies,
                "pages": pages,
                "queries": queries,
                "csrf": {"token": token, "cookie": token, "vehicle": str(vehicle.pk)},
                "timings": {**page_figures, **other_figures},
                "base_url": os.environ.get("BENCH_BASE_URL"),
            }
        )
    )


if __name__ == "__main__":
    main()
