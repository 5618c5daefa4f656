"""The owner's main pages are cached whole (motovault/pagecache.py), under a count of changes
that the database keeps in triggers: a change shows on the next request, however it was made."""

import datetime as dt
import io
import re
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from conftest import make_fill_up, make_vin
from costs.models import Category, Cost
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord, MaintenanceType
from motovault.changes import data_version
from motovault.models import DataChange
from recalls.models import Campaign, VehicleRecall
from stations.models import FavoriteStation, Station
from vehicles.models import OdometerReading, Vehicle, VinCache

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="PostgreSQL counts in rows, folded by compaction"
)

# The session and the signed-in owner, and the data version: what a page served from the cache
# still costs.
HIT_QUERIES = 3


def cached_pages(vehicle: Vehicle) -> list[str]:
    return [
        reverse("dashboard"),
        reverse("vehicles:index"),
        reverse("vehicles:detail", args=[vehicle.pk]),
        reverse("fuellogs:index"),
        reverse("maintenance:index"),
        reverse("maintenance:upcoming"),
        reverse("costs:index"),
        reverse("stations:index"),
        reverse("stations:index") + "?q=shell",
    ]


def view(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def cache_it(client: Client, url: str) -> str:
    """The first view gives the browser its CSRF cookie (a page is cached only for a browser
    that has one); the second is made and cached."""
    view(client, url)
    return view(client, url)


@pytest.fixture
def lived_in(owner, vehicle):
    """A vehicle with something in every panel of its page."""
    today = timezone.localdate()
    make_fill_up(vehicle, today - dt.timedelta(days=30), 41_700, station_name="Shell on Main")
    make_fill_up(vehicle, today - dt.timedelta(days=2), 42_000, station_name="Costco")
    MaintenanceRecord.objects.create(
        vehicle=vehicle,
        type=MaintenanceType.OIL_CHANGE,
        due_date=today + dt.timedelta(days=3),
        due_mileage=42_500,
    )
    Cost.objects.create(
        vehicle=vehicle,
        category=Category.INSURANCE,
        date=today - dt.timedelta(days=10),
        amount=Decimal("480.00"),
        repeat_months=12,
    )
    OdometerReading.objects.create(vehicle=vehicle, date=today, odometer_reading=42_100)
    campaign = Campaign.objects.create(
        make="HONDA",
        model="ACCORD",
        model_year=2010,
        campaign_number="24V001000",
        component="AIR BAGS",
        summary="The inflator may rupture.",
    )
    VehicleRecall.objects.create(vehicle=vehicle, campaign=campaign)
    shell = Station.objects.create(name="Shell Main St", google_place_id="ChIJshell")
    FavoriteStation.objects.create(user=owner, station=shell, note="Cheapest diesel")
    return vehicle


@pytest.mark.parametrize("page", range(9))
def test_a_page_seen_again_is_served_from_the_cache_in_three_queries(owner_client, lived_in, page):
    url = cached_pages(lived_in)[page]
    made = cache_it(owner_client, url)

    with CaptureQueriesContext(connection) as queries:
        again = view(owner_client, url)

    assert again == made
    assert len(queries) == HIT_QUERIES


def test_a_change_that_bypasses_the_apps_code_shows_on_the_next_request(owner_client, lived_in):
    """The cases no signal or service sees: update(), bulk_create() and plain SQL."""
    fuel = reverse("fuellogs:index")
    dashboard = reverse("dashboard")
    vehicles = reverse("vehicles:index")
    vehicle_page = reverse("vehicles:detail", args=[lived_in.pk])
    assert "Costco" in cache_it(owner_client, fuel)
    assert "Daily driver" in cache_it(owner_client, dashboard)
    assert "Daily driver" in cache_it(owner_client, vehicles)
    assert "Costco" in cache_it(owner_client, vehicle_page)

    FuelLog.objects.filter(vehicle=lived_in).update(total_cost=Decimal("123.45"))
    assert "$123.45" in view(owner_client, fuel) and "$123.45" in view(owner_client, vehicle_page)

    FuelLog.objects.filter(station_name="Costco").update(station_name="Sam's Club")
    assert "Sam&#x27;s Club" in view(owner_client, fuel)

    FuelLog.objects.bulk_create(
        [
            FuelLog(
                user=lived_in.user,
                vehicle=lived_in,
                date=timezone.localdate(),
                odometer_reading=42_300,
                gallons=Decimal("9.000"),
                price_per_gallon=Decimal("3.100"),
                total_cost=Decimal("27.90"),
                station_name="Bulk Fuels",
            )
        ]
    )
    assert "Bulk Fuels" in view(owner_client, fuel)

    with connection.cursor() as cursor:
        cursor.execute(
            "UPDATE vehicles SET nickname = 'Weekend car' WHERE id = %s",
            [Vehicle._meta.pk.get_db_prep_value(lived_in.pk, connection)],
        )
    assert "Weekend car" in view(owner_client, dashboard)
    assert "Weekend car" in view(owner_client, fuel)
    # The vehicle list is cached apart too (five minutes).
    assert "Weekend car" in view(owner_client, vehicles)


def test_a_change_through_the_pages_shows_on_the_next_request(owner_client, lived_in):
    fuel = reverse("fuellogs:index")
    cache_it(owner_client, fuel)
    log = FuelLog.objects.get(station_name="Costco")

    response = owner_client.post(reverse("fuellogs:delete", args=[log.pk]), follow=True)

    page = response.content.decode()
    assert "Costco" not in page and "Shell on Main" in page
    # The one-time message is shown once: the page carrying it is not what gets cached.
    message = response.context["messages"]
    assert message and all(str(m) in page for m in message)
    assert view(owner_client, fuel).count('class="messages"') == 0


def test_data_every_owner_shares_shows_on_the_next_request(owner_client, lived_in):
    page = reverse("vehicles:detail", args=[lived_in.pk])
    cache_it(owner_client, page)

    VinCache.objects.create(
        vin=lived_in.vin,
        make="HONDA",
        model="Accord",
        year=2010,
        engine_type="2.4L I4 DOHC",
        body_type="Sedan",
        raw_data={},
    )

    assert "2.4L I4 DOHC" in view(owner_client, page)


def test_another_owner_never_gets_a_cached_page(owner_client, other_client, lived_in, make_vehicle):
    make_vehicle(User.objects.get(username="bob"), nickname="Bob's van")
    mine = reverse("vehicles:detail", args=[lived_in.pk])
    cache_it(owner_client, mine)
    cache_it(other_client, reverse("dashboard"))

    assert other_client.get(mine).status_code == 404
    assert "Daily driver" not in view(other_client, reverse("dashboard"))
    assert "Bob&#x27;s van" in view(other_client, reverse("dashboard"))
    assert "Bob&#x27;s van" not in view(owner_client, reverse("dashboard"))


def test_the_forms_of_a_cached_page_work_for_its_browser(owner, lived_in):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    cache_it(browser, reverse("dashboard"))
    with CaptureQueriesContext(connection) as queries:
        page = view(browser, reverse("dashboard"))
    assert len(queries) == HIT_QUERIES  # from the cache
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)

    response = browser.post(reverse("logout"), {"csrfmiddlewaretoken": token})

    assert response.status_code == 302 and response["Location"] == reverse("login")


def test_the_owners_next_day_is_a_new_page(owner_client, lived_in, monkeypatch):
    upcoming = reverse("maintenance:upcoming")
    assert "due in 3 days" in cache_it(owner_client, upcoming)
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: tomorrow)

    assert "due in 2 days" in view(owner_client, upcoming)


def test_each_owner_counts_their_own_changes_and_everyone_the_shared_ones(
    owner, other_user, lived_in
):
    mine, theirs = data_version(owner.pk), data_version(other_user.pk)

    FuelLog.objects.filter(vehicle=lived_in).update(notes="Checked")
    assert data_version(owner.pk) > mine and data_version(other_user.pk) == theirs

    mine = data_version(owner.pk)
    # A recall is its vehicle's owner's; a campaign is everyone's.
    VehicleRecall.objects.filter(vehicle=lived_in).delete()
    assert data_version(owner.pk) > mine and data_version(other_user.pk) == theirs

    mine = data_version(owner.pk)
    Campaign.objects.create(make="FORD", model="F-150", model_year=2015, campaign_number="25V002")
    assert data_version(owner.pk).shared > mine.shared
    assert data_version(other_user.pk).shared > theirs.shared


@pytest.mark.parametrize("page", range(9))
def test_every_table_a_cached_page_reads_is_counted(owner_client, lived_in, page):
    """A page that starts reading a table no trigger counts could go stale: give the table one
    (motovault migrations 0003 and 0004, TRACKED) before caching the page."""
    url = cached_pages(lived_in)[page]
    view(owner_client, url)  # the CSRF cookie
    cache.clear()  # and nothing cached: every query the page can make
    with CaptureQueriesContext(connection) as queries:
        view(owner_client, url)

    read = {
        table for query in queries for table in re.findall(r'(?:FROM|JOIN)\s+"(\w+)"', query["sql"])
    }
    bookkeeping = {"django_session", "motovault_datastamp", "motovault_datachange"}
    counted = counted_tables()
    if not url.startswith(reverse("stations:index")):
        # Counted apart (changes.STATIONS), under a key only the stations pages are kept by.
        counted -= {"stations"}
    assert read - bookkeeping <= counted


def counted_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT tgrelid::regclass::text FROM pg_trigger"
                " WHERE tgname = 'motovault_note_change'"
            )
        else:
            cursor.execute(
                "SELECT tbl_name FROM sqlite_master"
                " WHERE type = 'trigger' AND name LIKE 'motovault_note_change_%'"
            )
        return {row[0].strip('"') for row in cursor.fetchall()}


@on_postgresql
def test_compacting_keeps_every_version_and_empties_the_change_rows(owner, other_user, lived_in):
    before = data_version(owner.pk), data_version(other_user.pk)
    assert DataChange.objects.exists()

    out = io.StringIO()
    call_command("compact_data_changes", stdout=out)

    assert (data_version(owner.pk), data_version(other_user.pk)) == before
    assert not DataChange.objects.exists()
    assert out.getvalue().startswith("Folded ")
    FuelLog.objects.filter(vehicle=lived_in).update(notes="After")
    assert data_version(owner.pk).own == before[0].own + 1


@on_postgresql
def test_one_statement_of_many_rows_is_one_change(owner, lived_in):
    version = data_version(owner.pk)
    make_vehicle_rows = [
        Vehicle(user=owner, vin=make_vin(), make="Ford", model="F-150", year=2015)
        for _ in range(50)
    ]

    Vehicle.objects.bulk_create(make_vehicle_rows)

    assert data_version(owner.pk).own == version.own + 1


def test_page_cache_seconds_zero_turns_the_page_cache_off(owner_client, lived_in, settings):
    settings.PAGE_CACHE_SECONDS = 0
    url = reverse("dashboard")
    cache_it(owner_client, url)

    with CaptureQueriesContext(connection) as queries:
        view(owner_client, url)

    assert len(queries) > HIT_QUERIES
    assert not any("motovault_datastamp" in query["sql"] for query in queries)


@on_postgresql
def test_truncating_a_table_is_a_change_for_every_owner(owner, other_user):
    before = data_version(owner.pk), data_version(other_user.pk)

    with connection.cursor() as cursor:
        cursor.execute("TRUNCATE vin_cache")

    assert data_version(owner.pk).shared > before[0].shared
    assert data_version(other_user.pk).shared > before[1].shared


def test_a_second_browser_makes_its_page_from_what_the_first_computed(owner, lived_in):
    """The apps' cached values (the upcoming list) go into a page made under the version they
    were computed under: a second browser's page, with a key of its own, does not compute them
    again."""
    url = reverse("maintenance:upcoming")
    first, second = Client(), Client()
    for browser in (first, second):
        browser.force_login(owner)
        view(browser, reverse("account"))  # its CSRF cookie

    with CaptureQueriesContext(connection) as made_first:
        view(first, url)
    with CaptureQueriesContext(connection) as made_second:
        view(second, url)

    assert len(made_second) < len(made_first)


def test_a_change_to_shared_data_remakes_pages_from_the_owners_cached_values(
    owner_client, lived_in
):
    """A new recall campaign (anyone's) makes every page again, but the owner's upcoming list
    still holds: only a change to the owner's own data makes the apps compute it again."""
    url = reverse("maintenance:upcoming")
    cache_it(owner_client, url)
    FuelLog.objects.filter(vehicle=lived_in).update(notes="Checked")
    with CaptureQueriesContext(connection) as after_their_change:
        view(owner_client, url)

    Campaign.objects.create(make="FORD", model="F-150", model_year=2015, campaign_number="25V002")
    with CaptureQueriesContext(connection) as after_a_shared_change:
        view(owner_client, url)

    assert len(after_a_shared_change) < len(after_their_change)
