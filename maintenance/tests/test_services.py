import datetime
from decimal import Decimal

import pytest
from django.core.cache import cache

from maintenance import services
from maintenance.models import MaintenanceRecord
from maintenance.tests.conftest import days
from maintenance.upcoming import upcoming_cache_key


def done(vehicle, **fields) -> MaintenanceRecord:
    """An unsaved service of the vehicle, logged as done."""
    return MaintenanceRecord(user=vehicle.user, vehicle=vehicle, is_completed=True, **fields)


def test_it_completes_a_record_and_raises_the_odometer(vehicle, make_record):
    record = make_record(vehicle, due_mileage=42_500)
    next_record = services.complete(
        record, date=days(0), mileage=42_480, cost=Decimal("59.90"), location="Quick Lube"
    )
    record.refresh_from_db()
    vehicle.refresh_from_db()
    assert next_record is None
    assert record.is_completed
    assert (record.completed_date, record.completed_mileage) == (days(0), 42_480)
    assert (record.cost, record.service_location) == (Decimal("59.90"), "Quick Lube")
    assert vehicle.odometer_reading == 42_480
    assert MaintenanceRecord.objects.count() == 1


def test_it_never_lowers_the_odometer(vehicle, make_record):
    record = make_record(vehicle, due_date=days(3))
    services.complete(record, date=days(-30), mileage=39_000, cost=None)
    vehicle.refresh_from_db()
    record.refresh_from_db()
    assert vehicle.odometer_reading == 42_000
    assert record.completed_mileage == 39_000


def test_it_takes_the_odometer_when_no_mileage_is_given(vehicle, make_record):
    record = make_record(vehicle, due_date=days(3))
    services.complete(record, date=days(0), mileage=None, cost=None)
    record.refresh_from_db()
    assert record.completed_mileage == 42_000


def test_it_schedules_the_next_occurrence_of_a_recurring_service(vehicle, make_record):
    record = make_record(
        vehicle, due_date=days(2), due_mileage=42_300, interval_months=6, interval_miles=5_000
    )
    done_on = datetime.date(2025, 1, 31)
    next_record = services.complete(record, date=done_on, mileage=42_250, cost=Decimal("80"))
    stored = MaintenanceRecord.objects.get(pk=next_record.pk)
    assert not stored.is_completed
    assert (stored.due_date, stored.due_mileage) == (datetime.date(2025, 7, 31), 47_250)
    assert (stored.interval_months, stored.interval_miles) == (6, 5_000)
    assert MaintenanceRecord.objects.scheduled().count() == 1


def test_it_refuses_to_complete_a_record_twice(vehicle, make_record):
    record = make_record(vehicle, due_date=days(2), interval_months=6)
    services.complete(record, date=days(0), mileage=42_100, cost=None)
    with pytest.raises(services.AlreadyCompleted):
        services.complete(record, date=days(0), mileage=42_900, cost=Decimal("5"))
    record.refresh_from_db()
    assert (record.completed_mileage, record.cost) == (42_100, None)
    assert MaintenanceRecord.objects.count() == 2


def test_it_logs_a_done_service_in_one_step(vehicle):
    record = done(
        vehicle,
        type="oil_change",
        completed_date=days(0),
        completed_mileage=43_000,
        interval_miles=5_000,
    )
    next_record = services.save_record(record)
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 43_000
    assert MaintenanceRecord.objects.get(pk=next_record.pk).due_mileage == 48_000


def test_it_logs_a_done_service_at_the_current_odometer(vehicle):
    record = done(vehicle, type="battery", completed_date=days(-2))
    assert services.save_record(record) is None
    record.refresh_from_db()
    assert record.completed_mileage == 42_000


def test_it_does_not_reschedule_when_a_completed_record_is_edited(vehicle, make_record):
    record = make_record(vehicle, is_completed=True, completed_mileage=41_000, interval_months=12)
    record.completed_mileage = 42_700
    services.save_record(record)
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 42_700
    assert MaintenanceRecord.objects.count() == 1


def test_it_does_not_bring_back_a_record_deleted_before_an_edit_is_saved(vehicle, make_record):
    record = make_record(vehicle, due_date=days(3))
    MaintenanceRecord.objects.filter(pk=record.pk).delete()  # by another request, meanwhile
    record.notes = "Edited"
    with pytest.raises(MaintenanceRecord.DoesNotExist):
        services.save_record(record)
    with pytest.raises(MaintenanceRecord.DoesNotExist):
        services.complete(record, date=days(0), mileage=None, cost=None)
    assert not MaintenanceRecord.objects.exists()


def test_it_keeps_a_completion_when_an_edit_writes_its_own_fields(vehicle, make_record):
    record = make_record(vehicle, due_date=days(3))
    stale = MaintenanceRecord.objects.get(pk=record.pk)  # the edit page, loaded as scheduled
    services.complete(record, date=days(0), mileage=42_100, cost=None)
    stale.notes = "Synthetic"
    services.save_record(stale, fields=["type", "due_date", "notes"])
    record.refresh_from_db()
    assert (record.is_completed, record.completed_mileage, record.notes) == (
        True,
        42_100,
        "Synthetic",
    )


@pytest.mark.parametrize("write", ["save", "complete", "delete"])
def test_it_forgets_the_cached_upcoming_list_on_every_write(vehicle, make_record, write):
    record = make_record(vehicle, due_date=days(3))
    cache.set(upcoming_cache_key(vehicle.user_id), ["stale"])
    if write == "save":
        services.save_record(record)
    elif write == "complete":
        services.complete(record, date=days(0), mileage=None, cost=None)
    else:
        services.delete_record(record)
    assert cache.get(upcoming_cache_key(vehicle.user_id)) is None
