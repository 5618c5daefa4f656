import datetime
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from maintenance.models import MaintenanceRecord, Status, add_months
from maintenance.tests.conftest import GERMAN, days
from motovault import l10n
from vehicles.models import Vehicle


def status_of(record, today):
    return record.due(today).status


# ---- status boundaries (Python) and the same boundaries through the SQL filters ----


@pytest.mark.parametrize(
    ("offset", "status", "reason"),
    [
        (-12, Status.OVERDUE, "12 days overdue"),
        (-1, Status.OVERDUE, "1 day overdue"),
        (0, Status.DUE_SOON, "due today"),
        (1, Status.DUE_SOON, "due tomorrow"),
        (9, Status.DUE_SOON, "due in 9 days"),
        (30, Status.DUE_SOON, "due in 30 days"),
        (31, Status.SCHEDULED, "due in 31 days"),
    ],
)
def test_it_derives_status_and_reason_from_the_due_date(
    vehicle, make_record, today, offset, status, reason
):
    record = make_record(vehicle, due_date=today + datetime.timedelta(days=offset))
    due = record.due(today)
    assert (due.status, due.reason) == (status, reason)
    assert list(MaintenanceRecord.objects.with_status(status, today)) == [record]


@pytest.mark.parametrize(
    ("due_mileage", "status", "reason"),
    [
        (41_588, Status.OVERDUE, "412 miles over"),
        (41_999, Status.OVERDUE, "1 mile over"),
        (42_000, Status.OVERDUE, "due mileage reached"),  # odometer equal to due mileage
        (42_001, Status.DUE_SOON, "due in 1 mile"),
        (42_500, Status.DUE_SOON, "due in 500 miles"),  # exactly 500 miles
        (42_501, Status.SCHEDULED, "due in 501 miles"),
    ],
)
def test_it_derives_status_and_reason_from_the_odometer(
    vehicle, make_record, today, due_mileage, status, reason
):
    record = make_record(vehicle, due_mileage=due_mileage)
    due = record.due(today)
    assert (due.status, due.reason) == (status, reason)
    assert list(MaintenanceRecord.objects.with_status(status, today)) == [record]


def test_it_reports_the_most_urgent_of_date_and_mileage(vehicle, make_record, today):
    overdue_by_miles = make_record(vehicle, due_date=days(200), due_mileage=41_588)
    soon_by_date = make_record(vehicle, due_date=days(9), due_mileage=80_000)
    assert overdue_by_miles.due(today).reason == "412 miles over"
    assert overdue_by_miles.due(today).status == Status.OVERDUE
    assert soon_by_date.due(today).reason == "due in 9 days"
    assert list(MaintenanceRecord.objects.overdue(today)) == [overdue_by_miles]
    assert list(MaintenanceRecord.objects.due_soon(today)) == [soon_by_date]


def test_it_reads_the_thresholds_from_settings(vehicle, make_record, today, settings):
    settings.MAINTENANCE_DUE_SOON_DAYS = 7
    settings.MAINTENANCE_DUE_SOON_MILES = 100
    by_date = make_record(vehicle, due_date=days(8))
    by_miles = make_record(vehicle, due_mileage=42_100)
    assert by_date.due(today).status == Status.SCHEDULED
    assert by_miles.due(today).status == Status.DUE_SOON
    assert list(MaintenanceRecord.objects.due_soon(today)) == [by_miles]


def test_it_calls_completed_records_completed_whatever_their_due(vehicle, make_record, today):
    record = make_record(vehicle, is_completed=True, due_date=days(-100))
    assert record.due(today).status == Status.COMPLETED
    assert list(MaintenanceRecord.objects.with_status(Status.COMPLETED, today)) == [record]
    assert not MaintenanceRecord.objects.overdue(today).exists()


# ---- validation (what forms show) and constraints (what the database refuses) ----


def test_it_requires_a_due_date_or_mileage_on_a_scheduled_record(vehicle):
    record = MaintenanceRecord(user=vehicle.user, vehicle=vehicle, type="oil_change")
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["due_date"] == ["Enter a due date, a due mileage, or both."]


def test_it_requires_a_past_completion_date_on_a_completed_record(vehicle):
    record = MaintenanceRecord(
        user=vehicle.user, vehicle=vehicle, type="oil_change", is_completed=True
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert "Enter the date the service was done." in error.value.message_dict["completed_date"]
    record.completed_date = days(1)
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["completed_date"] == ["The date cannot be in the future."]
    record.completed_date = days(0)
    record.full_clean()


def test_it_refuses_negative_costs_and_mileages_in_forms(vehicle):
    record = MaintenanceRecord(
        user=vehicle.user,
        vehicle=vehicle,
        type="oil_change",
        due_mileage=-1,
        cost=Decimal("-5"),
    )
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert set(error.value.message_dict) >= {"due_mileage", "cost"}


def test_it_saves_a_record_as_its_vehicles_owner_whoever_is_named(vehicle, owner, other_user):
    record = MaintenanceRecord(
        user=other_user, vehicle=vehicle, type="oil_change", due_date=days(5)
    )
    record.full_clean()
    record.save()
    record.refresh_from_db()
    assert record.user == owner


def test_it_asks_for_a_description_of_other_services(vehicle):
    record = MaintenanceRecord(user=vehicle.user, vehicle=vehicle, type="other", due_date=days(5))
    with pytest.raises(ValidationError) as error:
        record.full_clean()
    assert error.value.message_dict["description"] == ["Describe the service."]
    record.description = "Replace horn\nIt only honks on Tuesdays"
    record.full_clean()
    assert record.title == "Replace horn"


@pytest.mark.parametrize(
    "fields",
    [
        {"is_completed": True, "completed_date": None, "due_date": None},
        {"due_date": None, "due_mileage": None},
        {"cost": Decimal("-0.01")},
        {"due_mileage": -1},
        {"completed_mileage": -1},
        {"interval_months": 0},
        {"interval_miles": 0},
    ],
    ids=[
        "completed-without-date",
        "scheduled-without-due",
        "negative-cost",
        "negative-due-mileage",
        "negative-completed-mileage",
        "zero-month-interval",
        "zero-mile-interval",
    ],
)
def test_it_never_stores_what_the_constraints_forbid(vehicle, fields):
    values = {"type": "oil_change", "due_date": days(5), **fields}
    with pytest.raises(IntegrityError), transaction.atomic():
        MaintenanceRecord.objects.create(user=vehicle.user, vehicle=vehicle, **values)
    assert not MaintenanceRecord.objects.exists()


def test_it_keeps_a_vehicles_history_from_a_hard_delete(vehicle, make_record):
    from django.db.models import RestrictedError

    make_record(vehicle)
    with pytest.raises(RestrictedError):
        vehicle.delete()
    assert MaintenanceRecord.objects.count() == 1


def test_it_deletes_records_with_the_owners_account(owner, vehicle, make_record, other_user):
    make_record(vehicle, is_completed=True)
    theirs = MaintenanceRecord.objects.create(
        user=other_user,
        vehicle=Vehicle.objects.create(user=other_user, vin=vehicle.vin),
        type="battery",
        due_date=days(3),
    )
    owner.delete()
    assert list(MaintenanceRecord.objects.all()) == [theirs]
    assert not Vehicle.objects.filter(user_id=owner.pk).exists()


# ---- recurrence ----


@pytest.mark.parametrize(
    ("day", "months", "expected"),
    [
        (datetime.date(2025, 1, 15), 6, datetime.date(2025, 7, 15)),
        (datetime.date(2025, 1, 31), 1, datetime.date(2025, 2, 28)),
        (datetime.date(2024, 1, 31), 1, datetime.date(2024, 2, 29)),
        (datetime.date(2025, 11, 30), 3, datetime.date(2026, 2, 28)),
        (datetime.date(2025, 12, 1), 12, datetime.date(2026, 12, 1)),
    ],
)
def test_it_adds_calendar_months(day, months, expected):
    assert add_months(day, months) == expected


def test_it_builds_the_next_occurrence_from_the_completion(vehicle, make_record):
    record = make_record(
        vehicle,
        type="tire_rotation",
        description="Front to back",
        is_completed=True,
        completed_date=datetime.date(2025, 3, 31),
        completed_mileage=40_000,
        interval_months=6,
        interval_miles=7_500,
    )
    following = record.build_next()
    assert following.pk != record.pk
    assert (following.type, following.description) == ("tire_rotation", "Front to back")
    assert (following.due_date, following.due_mileage) == (datetime.date(2025, 9, 30), 47_500)
    assert (following.interval_months, following.interval_miles) == (6, 7_500)
    assert following.is_completed is False
    assert following._state.adding


def test_it_builds_no_next_occurrence_for_one_off_or_open_records(vehicle, make_record):
    assert make_record(vehicle, is_completed=True).build_next() is None
    assert make_record(vehicle, interval_months=6).build_next() is None


# ---- the due-soon distance is in the vehicle's unit ----


@pytest.fixture
def km_car(owner, make_vehicle):
    return make_vehicle(owner, nickname="Kombi", odometer_reading=42_000, distance_unit="km")


@pytest.mark.parametrize(
    ("distance_unit", "due_mileage", "status", "reason"),
    [
        # 700 ahead: due soon in kilometers (800), not in miles (500).
        ("km", 42_700, Status.DUE_SOON, "due in 700 km"),
        ("mi", 42_700, Status.SCHEDULED, "due in 700 miles"),
        # The boundaries, inclusive.
        ("km", 42_800, Status.DUE_SOON, "due in 800 km"),
        ("km", 42_801, Status.SCHEDULED, "due in 801 km"),
        ("mi", 42_500, Status.DUE_SOON, "due in 500 miles"),
        ("mi", 42_501, Status.SCHEDULED, "due in 501 miles"),
        ("km", 42_001, Status.DUE_SOON, "due in 1 km"),
        ("km", 42_000, Status.OVERDUE, "due odometer reading reached"),
        ("km", 41_588, Status.OVERDUE, "412 km over"),
        ("km", 1_000, Status.OVERDUE, "41,000 km over"),
    ],
)
def test_it_measures_due_soon_in_the_vehicles_unit(
    owner, make_vehicle, make_record, today, distance_unit, due_mileage, status, reason
):
    car = make_vehicle(owner, odometer_reading=42_000, distance_unit=distance_unit)
    record = make_record(car, due_mileage=due_mileage)
    due = record.due(today)
    assert (due.status, due.reason) == (status, reason)
    # The SQL filters agree, with vehicles in both units in one query.
    assert list(MaintenanceRecord.objects.with_status(status, today)) == [record]


def test_it_filters_vehicles_in_both_units_in_one_query(
    vehicle, km_car, make_record, today, django_assert_num_queries
):
    miles_700 = make_record(vehicle, due_mileage=42_700)
    km_700 = make_record(km_car, due_mileage=42_700)
    km_900 = make_record(km_car, due_mileage=42_900)
    with django_assert_num_queries(1):
        assert list(MaintenanceRecord.objects.needing_attention(today)) == [km_700]
    assert set(MaintenanceRecord.objects.scheduled_later(today)) == {miles_700, km_900}
    assert MaintenanceRecord.objects.in_list_order(today).first() == km_700


def test_it_reads_the_kilometer_threshold_from_settings(
    vehicle, km_car, make_record, today, settings
):
    settings.MAINTENANCE_DUE_SOON_KM = 1_000
    by_km = make_record(km_car, due_mileage=42_950)
    by_miles = make_record(vehicle, due_mileage=42_950)
    assert by_km.due(today).status == Status.DUE_SOON
    assert by_miles.due(today).status == Status.SCHEDULED
    assert list(MaintenanceRecord.objects.due_soon(today)) == [by_km]


def test_it_weighs_urgency_by_each_units_threshold(vehicle, km_car, make_record, today):
    # 400 of 800 km is as near as 250 of 500 miles: half the way.
    half_km = make_record(km_car, due_mileage=42_400).due(today)
    half_miles = make_record(vehicle, due_mileage=42_250).due(today)
    assert half_km.urgency == half_miles.urgency == (1, 0.5)


def test_it_writes_reasons_in_the_owners_locale(km_car, vehicle, make_record, today):
    over = make_record(km_car, due_mileage=40_750)
    soon_miles = make_record(vehicle, due_date=today + datetime.timedelta(days=1_200))
    with l10n.override(GERMAN):
        assert over.due(today).reason == "1.250 km over"
        assert soon_miles.due(today).reason == "due in 1.200 days"
    assert over.due(today).reason == "1,250 km over"
    assert soon_miles.due(today).reason == "due in 1,200 days"


def test_it_tells_the_interval_in_the_vehicles_unit(vehicle, km_car, make_record):
    assert make_record(vehicle, interval_miles=15_000).interval_text == "15,000 miles"
    assert make_record(vehicle, interval_miles=1).interval_text == "1 mile"
    with l10n.override(GERMAN):
        assert make_record(km_car, interval_miles=15_000).interval_text == "15.000 km"
    assert make_record(km_car, interval_months=6).interval_text == ""
