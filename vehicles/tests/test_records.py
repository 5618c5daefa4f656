"""Every kind of record that belongs to a vehicle (vehicles.models.VehicleRecord: fill-ups,
services) is its vehicle's owner's, whoever saves it and whatever owner it names."""

import datetime as dt
from decimal import Decimal

import pytest

from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord


def fill_up(**fields):
    return FuelLog(
        date=dt.date(2025, 1, 1),
        odometer_reading=42_100,
        gallons=Decimal("10"),
        price_per_gallon=Decimal("3.5"),
        **fields,
    )


def service(**fields):
    return MaintenanceRecord(type="oil_change", due_mileage=45_000, **fields)


@pytest.fixture(params=[fill_up, service], ids=["fill-up", "service"])
def new_record(request):
    return request.param


def test_it_saves_a_record_as_its_vehicles_owner_whoever_is_named(
    new_record, vehicle, owner, other_user
):
    record = new_record(vehicle=vehicle, user=other_user)
    record.save()
    record.refresh_from_db()
    assert record.user == owner
    assert record in type(record).objects.for_owner(owner)
    assert record not in type(record).objects.for_owner(other_user)


def test_it_takes_the_new_vehicles_owner_when_only_the_vehicle_is_saved(
    new_record, vehicle, owner, other_user, make_vehicle
):
    record = new_record(vehicle=vehicle)
    record.save()
    saved_at = record.updated_at
    # Staff moved the record to the vehicle it belongs to, of another owner.
    record.vehicle = make_vehicle(other_user)
    record.save(update_fields=["vehicle"])
    record.refresh_from_db()
    assert record.user == other_user
    assert record.updated_at > saved_at


def test_it_validates_a_record_without_asking_for_its_owner(new_record, vehicle):
    record = new_record(vehicle=vehicle)
    record.full_clean()
    assert record.user_id is None


def test_it_hides_the_records_of_a_deleted_vehicle_from_their_owner(new_record, vehicle, owner):
    record = new_record(vehicle=vehicle)
    record.save()
    vehicle.soft_delete()
    assert not type(record).objects.for_owner(owner).exists()
    vehicle.restore()
    assert list(type(record).objects.for_owner(owner)) == [record]
