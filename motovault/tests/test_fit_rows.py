"""The migrations that add the bounds of issue 12 keep every row, bringing old ones within them
(motovault/fit_rows.py): a database at the previous migrations, with rows the bounds refuse,
migrated forward."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from motovault.fit_rows import CUT_MARKER
from motovault.text import MAX_TEXT_LENGTH
from stations.models import Station

BEFORE = [
    ("vehicles", "0003_vehicle_id_user_unique"),
    ("fuellogs", "0003_user_is_vehicle_owner"),
    ("maintenance", "0003_user_is_vehicle_owner"),
    ("stations", "0001_initial"),
]
LONG = "".join(f"line {i}\n" for i in range(2_000))  # 15,890 characters


def migrate(targets) -> MigrationExecutor:
    executor = MigrationExecutor(connection)
    executor.migrate(targets)
    return executor


@pytest.fixture
def apps_before_the_due_date_bound(apps_before):
    return apps_before([("maintenance", "0004_bounds")])


@pytest.fixture
def old_apps(apps_before):
    """The apps as they were before the bounds."""
    return apps_before(BEFORE)


def test_it_keeps_every_row_and_brings_old_ones_within_the_bounds(old_apps):
    user = old_apps.get_model("auth", "User").objects.create(username="alice")
    vehicle = old_apps.get_model("vehicles", "Vehicle").objects.create(
        user=user, vin="1HGCM82633A004352", year=2010
    )
    logs = old_apps.get_model("fuellogs", "FuelLog").objects
    common = {"user": user, "vehicle": vehicle, "gallons": Decimal(10)}
    fine = logs.create(date=dt.date(2024, 5, 1), odometer_reading=3, notes="Costco", **common)
    long_notes = logs.create(date=dt.date(2024, 4, 1), odometer_reading=2, notes=LONG, **common)
    year_one = logs.create(date=dt.date(1, 4, 1), odometer_reading=1, notes=LONG, **common)
    records = old_apps.get_model("maintenance", "MaintenanceRecord").objects
    common = {"user": user, "vehicle": vehicle, "type": "other"}
    record = records.create(
        description=LONG,
        due_date=dt.date(1066, 10, 14),
        is_completed=True,
        completed_date=dt.date(1, 1, 1),
        **common,
    )
    fine_record = records.create(description="Wax", due_mileage=50_000, notes="Soon", **common)
    station = old_apps.get_model("stations", "Station").objects.create(name="Shell", address=LONG)
    updated_at = {row.pk: row.updated_at for row in [fine, long_notes, year_one, record]}

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert FuelLog.objects.count() == 3
    assert FuelLog.objects.get(pk=fine.pk).notes == "Costco"
    cut = LONG[: MAX_TEXT_LENGTH - len(CUT_MARKER)] + CUT_MARKER
    assert FuelLog.objects.get(pk=long_notes.pk).notes == cut
    moved = FuelLog.objects.get(pk=year_one.pk)
    assert moved.date == dt.date(1900, 1, 1)
    tail = "\n[Date was 0001-04-01, moved to 1900-01-01 by a MotoVault upgrade.]"
    assert moved.notes.endswith(CUT_MARKER + tail)
    assert moved.notes.startswith("line 0\nline 1\n")
    assert len(moved.notes) == MAX_TEXT_LENGTH

    assert MaintenanceRecord.objects.count() == 2
    record = MaintenanceRecord.objects.get(pk=record.pk)
    assert (record.due_date, record.completed_date) == (dt.date(1900, 1, 1), dt.date(1900, 1, 1))
    assert record.description == cut
    assert record.notes == (
        "[Due date was 1066-10-14, moved to 1900-01-01 by a MotoVault upgrade.]\n"
        "[Completed date was 0001-01-01, moved to 1900-01-01 by a MotoVault upgrade.]"
    )
    fine_record = MaintenanceRecord.objects.get(pk=fine_record.pk)
    assert (fine_record.description, fine_record.notes) == ("Wax", "Soon")

    assert Station.objects.get(pk=station.pk).address == cut
    # The rows say themselves what changed; when they were last edited stays as it was.
    for model in (FuelLog, MaintenanceRecord):
        for row in model.objects.filter(pk__in=updated_at):
            assert row.updated_at == updated_at[row.pk]


def test_it_keeps_a_service_due_after_2200_and_moves_its_due_date(apps_before_the_due_date_bound):
    apps = apps_before_the_due_date_bound
    user = apps.get_model("auth", "User").objects.create(username="alice")
    vehicle = apps.get_model("vehicles", "Vehicle").objects.create(
        user=user, vin="1HGCM82633A004352", year=2010
    )
    records = apps.get_model("maintenance", "MaintenanceRecord").objects
    common = {"user": user, "vehicle": vehicle, "type": "other"}
    slip = records.create(due_date=dt.date(9999, 12, 31), notes="Oil", **common)
    last_day = records.create(due_date=dt.date(2200, 12, 31), notes="Tires", **common)

    migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    slip = MaintenanceRecord.objects.get(pk=slip.pk)
    assert slip.due_date == dt.date(2200, 12, 31)
    assert slip.notes == (
        "Oil\n[Due date was 9999-12-31, moved to 2200-12-31 by a MotoVault upgrade.]"
    )
    last_day = MaintenanceRecord.objects.get(pk=last_day.pk)
    assert (last_day.due_date, last_day.notes) == (dt.date(2200, 12, 31), "Tires")
