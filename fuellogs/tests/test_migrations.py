"""Issue 17's data migration links the fill-ups already stored to their owner's stations: a
database holding fill-ups from before it, migrated, has each named fill-up linked to the owner's
saved station of that name (spaces and case aside) or to a new station of their own, saved to
their stations; every fill-up keeps its values; and the work is per name, not per fill-up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test.utils import CaptureQueriesContext

from fuellogs.models import FuelLog
from stations.models import FavoriteStation, Station

BEFORE = [("fuellogs", "0005_fuellog_station")]
AFTER = [("fuellogs", "0006_link_stations")]


@pytest.fixture
def old_apps(apps_before):
    """The apps as they were before the link; the database is migrated forward afterwards
    however the test ends."""
    return apps_before(BEFORE)


def migrate_forward() -> CaptureQueriesContext:
    executor = MigrationExecutor(connection)
    with CaptureQueriesContext(connection) as queries:
        executor.migrate(AFTER)
    return queries


def test_it_links_every_named_fill_up_to_its_owners_station(old_apps):
    User = old_apps.get_model("auth", "User")
    Vehicle = old_apps.get_model("vehicles", "Vehicle")
    OldFuelLog = old_apps.get_model("fuellogs", "FuelLog")
    OldStation = old_apps.get_model("stations", "Station")
    OldFavorite = old_apps.get_model("stations", "FavoriteStation")
    alice, bob = (User.objects.create(username=name) for name in ("alice", "bob"))
    shared = OldStation.objects.create(name="Shell Main St", google_place_id="ChIJshell")
    OldFavorite.objects.create(user_id=alice.pk, station_id=shared.pk, note="Cheap")
    # The spellings "Shell Main St" and "Arco" are the ones used most.
    names = ["Shell Main St", " shell  main st", "Arco", "ARCO ", "", "Costco Gas", "Arco"]
    names.append("Shell Main St")
    for owner, vin in ((alice, "1HGCM82633A004350"), (bob, "1HGCM82633A004351")):
        vehicle = Vehicle.objects.create(user=owner, vin=vin)
        OldFuelLog.objects.bulk_create(
            OldFuelLog(
                user_id=owner.pk,
                vehicle_id=vehicle.pk,
                date=dt.date(2025, 1, 1) + dt.timedelta(days=day),
                odometer_reading=1_000 + 300 * day,
                gallons=Decimal("10.125"),
                price_per_gallon=Decimal("3.459"),
                station_name=names[day % len(names)],
            )
            for day in range(60)
        )
    values = ["id", "user_id", "vehicle_id", "date", "odometer_reading", "gallons", "station_name"]
    before = list(OldFuelLog.objects.order_by("pk").values_list(*values))

    queries = migrate_forward()

    assert list(FuelLog.objects.order_by("pk").values_list(*values)) == before
    assert not FuelLog.objects.exclude(station_name="").filter(station__isnull=True).exists()
    assert not FuelLog.objects.filter(station_name="", station__isnull=False).exists()
    # Alice's Shell is the shared station she saved; the rest are new stations of their own.
    assert set(
        FuelLog.objects.filter(user=alice.pk, station_name__icontains="shell").values_list(
            "station_id", flat=True
        )
    ) == {shared.pk}
    assert sorted(Station.objects.filter(owner=alice.pk).values_list("name", flat=True)) == [
        "Arco",
        "Costco Gas",
    ]
    assert sorted(Station.objects.filter(owner=bob.pk).values_list("name", flat=True)) == [
        "Arco",
        "Costco Gas",
        "Shell Main St",
    ]
    for owner in (alice, bob):
        linked = set(FuelLog.objects.filter(user=owner.pk).values_list("station_id", flat=True))
        saved = set(
            FavoriteStation.objects.filter(user=owner.pk).values_list("station_id", flat=True)
        )
        assert linked - {None} == saved
    assert FavoriteStation.objects.get(station_id=shared.pk).note == "Cheap"
    # Per owner and name, not per fill-up: 120 fill-ups, two owners of three names each.
    updates = [q for q in queries.captured_queries if q["sql"].startswith("UPDATE")]
    assert len(updates) == 6


def test_it_migrates_a_database_without_fill_ups(old_apps):
    migrate_forward()

    assert not Station.objects.exists()


def test_it_keeps_apart_the_names_the_app_keeps_apart(old_apps):
    # "İ" folds to "i" in PostgreSQL's LOWER() but not in Python: both names become stations
    # (this once stopped the migration on the unique constraint), and the third one's spelling
    # folds to the second's (the new station takes the first of the two, in order).
    User = old_apps.get_model("auth", "User")
    Vehicle = old_apps.get_model("vehicles", "Vehicle")
    OldFuelLog = old_apps.get_model("fuellogs", "FuelLog")
    owner = User.objects.create(username="alice")
    vehicle = Vehicle.objects.create(user=owner)
    for day, name in enumerate(["İzmir Petrol", "izmir petrol", "IZMIR PETROL"]):
        OldFuelLog.objects.create(
            user_id=owner.pk,
            vehicle_id=vehicle.pk,
            date=dt.date(2025, 1, 1 + day),
            odometer_reading=1_000 + 300 * day,
            gallons=Decimal("10.125"),
            price_per_gallon=Decimal("3.459"),
            station_name=name,
        )

    migrate_forward()

    stations = dict(FuelLog.objects.values_list("station_name", "station__name"))
    assert stations == {
        "İzmir Petrol": "İzmir Petrol",
        "izmir petrol": "IZMIR PETROL",
        "IZMIR PETROL": "IZMIR PETROL",
    }
