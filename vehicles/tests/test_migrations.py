"""Moving fill-ups and services onto VehicleRecord (issue 13) changes the models' state only: a
database holding both, migrated from before it, keeps every row as it was, and the owner still
follows the vehicle."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord

BEFORE = [("fuellogs", "0003_user_is_vehicle_owner"), ("maintenance", "0003_user_is_vehicle_owner")]


@pytest.fixture
def old_apps(transactional_db):
    """The apps as they were before; the database is migrated forward afterwards however the
    test ends."""
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    yield executor.loader.project_state(BEFORE).apps
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def rows(model) -> list[tuple]:
    fields = [field.attname for field in model._meta.concrete_fields]
    return list(model.objects.order_by("pk").values_list(*sorted(fields)))


def test_it_keeps_every_fill_up_and_service(old_apps):
    User = old_apps.get_model("auth", "User")
    Vehicle = old_apps.get_model("vehicles", "Vehicle")
    OldFuelLog = old_apps.get_model("fuellogs", "FuelLog")
    OldRecord = old_apps.get_model("maintenance", "MaintenanceRecord")
    for n in range(2):
        owner = User.objects.create(username=f"owner{n}")
        vehicle = Vehicle.objects.create(user=owner, vin=f"1HGCM82633A00435{n}")
        for day in range(3):
            OldFuelLog.objects.create(
                user=owner,
                vehicle=vehicle,
                date=dt.date(2025, 1, 1 + day),
                odometer_reading=1_000 + 300 * day,
                gallons=Decimal("10.125"),
                price_per_gallon=Decimal("3.459") if day else None,
                total_cost=Decimal("35.02"),
                notes="Road trip" if day == 1 else "",
            )
        OldRecord.objects.create(user=owner, vehicle=vehicle, type="battery", due_mileage=5_000)
        OldRecord.objects.create(
            user=owner,
            vehicle=vehicle,
            type="oil_change",
            is_completed=True,
            completed_date=dt.date(2025, 1, 2),
            cost=Decimal("49.99"),
            interval_months=6,
        )
    before = {"fuel": rows(OldFuelLog), "maintenance": rows(OldRecord)}

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    assert {"fuel": rows(FuelLog), "maintenance": rows(MaintenanceRecord)} == before
    assert (len(before["fuel"]), len(before["maintenance"])) == (6, 4)
    for record in [*FuelLog.objects.all(), *MaintenanceRecord.objects.all()]:
        assert record.user == record.vehicle.user
    vehicle = FuelLog.objects.first().vehicle
    assert vehicle.fuel_logs.count() == 3
    assert vehicle.user.maintenance_records.count() == 2
