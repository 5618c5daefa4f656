"""Migrations with data: moving fill-ups and services onto VehicleRecord (issue 13) changes the
models' state only: a database holding both, migrated from before it, keeps every row as it was,
and the owner still follows the vehicle. The optional VIN (issue 14) keeps every vehicle's VIN.
Purchase and sale (issue 18) leave every vehicle and its history as it was, with none recorded."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from vehicles.models import Vehicle

BEFORE = [("fuellogs", "0003_user_is_vehicle_owner"), ("maintenance", "0003_user_is_vehicle_owner")]


@pytest.fixture
def old_apps(apps_before):
    """The apps as they were before; the database is migrated forward afterwards however the
    test ends."""
    return apps_before(BEFORE)


def rows(model, *, like=None) -> list[tuple]:
    """Every row's values, of the columns of `model` (or of the older model `like`)."""
    fields = [field.attname for field in (like or model)._meta.concrete_fields]
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

    # Fill-ups gained a column later (fuellogs 0005, tested in fuellogs): the old ones compared.
    after = {"fuel": rows(FuelLog, like=OldFuelLog), "maintenance": rows(MaintenanceRecord)}
    assert after == before
    assert (len(before["fuel"]), len(before["maintenance"])) == (6, 4)
    for record in [*FuelLog.objects.all(), *MaintenanceRecord.objects.all()]:
        assert record.user == record.vehicle.user
    vehicle = FuelLog.objects.first().vehicle
    assert vehicle.fuel_logs.count() == 3
    assert vehicle.user.maintenance_records.count() == 2


BEFORE_OPTIONAL_VIN = [("vehicles", "0004_bounds")]


@pytest.fixture
def apps_before_optional_vin(apps_before):
    return apps_before(BEFORE_OPTIONAL_VIN)


def test_it_keeps_every_vehicles_vin(apps_before_optional_vin):
    User = apps_before_optional_vin.get_model("auth", "User")
    OldVehicle = apps_before_optional_vin.get_model("vehicles", "Vehicle")
    owner = User.objects.create(username="owner")
    other = User.objects.create(username="other")
    OldVehicle.objects.create(user=owner, vin="1HGCM82633A004352", nickname="Daily driver")
    OldVehicle.objects.create(user=owner, vin="WBA3A5C51CF256987", vin_check_digit_waived=True)
    OldVehicle.objects.create(user=other, vin="1HGCM82633A004352", year=2003, make="Honda")
    before = rows(OldVehicle)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    after = list(
        Vehicle.objects.order_by("pk").values_list(
            *sorted(f.attname for f in OldVehicle._meta.concrete_fields)
        )
    )
    assert after == before and len(after) == 3
    assert not Vehicle.objects.filter(vin_is_serial=True).exists()
    assert [v.display_name for v in Vehicle.objects.order_by("user__username", "vin")] == [
        "2003 Honda",
        "Daily driver",
        "WBA3A5C51CF256987",
    ]
    # Now one owner may have several vehicles without a VIN.
    Vehicle.objects.create(user_id=owner.pk, vin="", nickname="Trailer")
    Vehicle.objects.create(user_id=owner.pk, vin="", nickname="Tractor")


BEFORE_UNITS = [("vehicles", "0005_optional_vin")]


@pytest.fixture
def apps_before_units(apps_before):
    return apps_before(BEFORE_UNITS)


def test_it_keeps_existing_vehicles_in_miles_and_us_gallons(apps_before_units):
    User = apps_before_units.get_model("auth", "User")
    OldVehicle = apps_before_units.get_model("vehicles", "Vehicle")
    owner = User.objects.create(username="owner")
    OldVehicle.objects.create(user=owner, vin="1HGCM82633A004352", odometer_reading=123_456)
    OldVehicle.objects.create(user=owner, vin="", nickname="Trailer")
    before = rows(OldVehicle)

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    after = list(
        Vehicle.objects.order_by("pk").values_list(
            *sorted(f.attname for f in OldVehicle._meta.concrete_fields)
        )
    )
    assert after == before and len(after) == 2
    assert list(Vehicle.objects.order_by("nickname").values_list("distance_unit", "fuel_unit")) == [
        ("mi", "gal_us"),
        ("mi", "gal_us"),
    ]
    assert Vehicle.objects.get(nickname="").odometer_reading == 123_456


BEFORE_PURCHASE = [
    ("vehicles", "0006_vehicle_units"),
    ("fuellogs", "0007_computed_amount"),
    ("maintenance", "0005_due_date_not_after_2200"),
]


@pytest.fixture
def apps_before_purchase(apps_before):
    return apps_before(BEFORE_PURCHASE)


def test_it_adds_purchase_and_sale_to_vehicles_with_history(apps_before_purchase):
    User = apps_before_purchase.get_model("auth", "User")
    OldVehicle = apps_before_purchase.get_model("vehicles", "Vehicle")
    OldFuelLog = apps_before_purchase.get_model("fuellogs", "FuelLog")
    OldRecord = apps_before_purchase.get_model("maintenance", "MaintenanceRecord")
    owner = User.objects.create(username="owner")
    for n, active in enumerate((True, False)):
        vehicle = OldVehicle.objects.create(
            user=owner, vin=f"1HGCM82633A00435{n}", odometer_reading=42_000, is_active=active
        )
        for day in range(3):
            OldFuelLog.objects.create(
                user=owner,
                vehicle=vehicle,
                date=dt.date(2025, 1, 1 + day),
                odometer_reading=41_000 + 300 * day,
                gallons=Decimal("10.125"),
                price_per_gallon=Decimal("3.459"),
                total_cost=Decimal("35.02"),
            )
        OldRecord.objects.create(
            user=owner,
            vehicle=vehicle,
            type="oil_change",
            is_completed=True,
            completed_date=dt.date(2025, 1, 2),
            cost=Decimal("49.99"),
        )
    before = {
        "vehicles": rows(OldVehicle),
        "fuel": rows(OldFuelLog),
        "maintenance": rows(OldRecord),
    }

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    after = {
        "vehicles": rows(Vehicle, like=OldVehicle),
        "fuel": rows(FuelLog, like=OldFuelLog),
        "maintenance": rows(MaintenanceRecord, like=OldRecord),
    }
    assert after == before
    assert (len(after["vehicles"]), len(after["fuel"]), len(after["maintenance"])) == (2, 6, 2)
    new = ("purchase_date", "purchase_price", "purchase_odometer", "sold_date", "sold_price")
    assert set(Vehicle.objects.values_list(*new)) == {(None,) * 5}
    # The new rules hold in the database: a sale only after the purchase, and never in use.
    in_use = Vehicle.objects.get(is_active=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        Vehicle.objects.filter(pk=in_use.pk).update(sold_date=dt.date(2025, 2, 1))
    with pytest.raises(IntegrityError), transaction.atomic():
        Vehicle.objects.filter(is_active=False).update(
            purchase_date=dt.date(2025, 2, 1), sold_date=dt.date(2025, 1, 31)
        )
    Vehicle.objects.filter(is_active=False).update(
        purchase_date=dt.date(2024, 5, 1),
        purchase_price=Decimal("18000.00"),
        purchase_odometer=12,
        sold_date=dt.date(2025, 2, 1),
        sold_price=Decimal("9000.00"),
    )
    assert Vehicle.objects.get(is_active=False).fuel_logs.count() == 3
