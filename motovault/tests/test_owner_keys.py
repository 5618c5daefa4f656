"""On PostgreSQL the database itself keeps a fill-up's or a service's owner equal to its
vehicle's owner (motovault/owner_keys.py)."""

import datetime as dt

import pytest
from django.db import IntegrityError, connection, transaction

from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="SQLite cannot add these keys to its tables"
)


def check_now():
    # Django's keys are checked at commit; a test never commits, so check at once.
    with connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


# save() always takes the vehicle's owner (VehicleRecord.save): bulk writes, which skip it,
# are what the database's key is for.
@pytest.mark.parametrize(
    "make",
    [
        lambda user, vehicle: FuelLog.objects.bulk_create(
            [
                FuelLog(
                    user=user,
                    vehicle=vehicle,
                    date=dt.date(2025, 1, 1),
                    odometer_reading=1,
                    gallons=1,
                )
            ]
        ),
        lambda user, vehicle: MaintenanceRecord.objects.bulk_create(
            [MaintenanceRecord(user=user, vehicle=vehicle, type="battery", due_mileage=50_000)]
        ),
    ],
    ids=["fuel log", "maintenance record"],
)
def test_it_refuses_a_record_whose_owner_is_not_the_vehicles(make, vehicle, other_user):
    check_now()
    with pytest.raises(IntegrityError), transaction.atomic():
        make(other_user, vehicle)
    make(vehicle.user, vehicle)


def test_a_vehicle_given_to_another_owner_takes_its_history_along(vehicle, other_user):
    log = FuelLog.objects.create(
        user=vehicle.user, vehicle=vehicle, date=dt.date(2025, 1, 1), odometer_reading=1, gallons=1
    )
    record = MaintenanceRecord.objects.create(
        user=vehicle.user, vehicle=vehicle, type="battery", due_mileage=50_000
    )
    check_now()
    vehicle.user = other_user
    vehicle.save()
    log.refresh_from_db()
    record.refresh_from_db()
    assert log.user == other_user
    assert record.user == other_user
