"""Writes that race: two fill-ups at once never lower the odometer; a recurring service completed
twice at once schedules one next occurrence. Each test holds the first write open until the
second request is seen waiting for its row lock, so the lock itself is what is tested."""

import threading
from decimal import Decimal

import pytest
from django.db import connection, connections, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fuellogs.models import FuelLog
from fuellogs.services import save_fuel_log
from maintenance import services as maintenance
from maintenance.models import MaintenanceRecord

pytestmark = [
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="row locks and concurrent writers need PostgreSQL; SQLite runs one writer",
    ),
    pytest.mark.django_db(transaction=True),
]


def wait_until_a_query_waits_for_a_lock():
    """Block until another connection is waiting on a row lock (the race's losing side)."""
    with connection.cursor() as cursor:
        for _ in range(10_000):
            # Activity is read once per transaction unless the snapshot is dropped.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
            if cursor.fetchone()[0]:
                return
            threading.Event().wait(0.005)
    raise AssertionError("the second request never waited for the first one's lock")


def test_it_never_lowers_the_odometer_when_two_fill_ups_are_saved_at_once(owner, vehicle):
    outcome = {}

    def second_fill_up():
        """The owner's phone posts a lower reading while the first fill-up is being saved."""
        try:
            client = Client()
            client.force_login(owner)
            outcome["status"] = client.post(
                reverse("fuellogs:add"),
                {
                    "vehicle": str(vehicle.pk),
                    "date": "2024-05-01",
                    "odometer_reading": "43000",
                    "gallons": "9",
                    "price_per_gallon": "3.5",
                    "is_full_tank": "on",
                },
            ).status_code
        finally:
            connections.close_all()

    phone = threading.Thread(target=second_fill_up)
    with transaction.atomic():
        # The first fill-up has raised the odometer to 44,000 but not committed yet.
        first = FuelLog(
            vehicle=vehicle,
            date=timezone.localdate(),
            odometer_reading=44_000,
            gallons=Decimal("10"),
            price_per_gallon=Decimal("3.5"),
            total_cost=Decimal("35.00"),
        )
        save_fuel_log(first)
        phone.start()
        # The phone read 42,000 and now waits to write 43,000 over the uncommitted 44,000.
        wait_until_a_query_waits_for_a_lock()
    phone.join()

    assert outcome["status"] == 302
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 44_000
    assert sorted(FuelLog.objects.values_list("odometer_reading", flat=True)) == [43_000, 44_000]


def test_it_schedules_one_next_oil_change_when_one_is_completed_twice_at_once(owner, vehicle):
    today = timezone.localdate()
    record = MaintenanceRecord.objects.create(
        user=owner, vehicle=vehicle, type="oil_change", due_date=today, interval_months=6
    )
    outcome = {}

    def completed_on_the_phone_too():
        """The owner's phone still shows the record as due, and marks it complete as well."""
        try:
            client = Client()
            client.force_login(owner)
            response = client.post(
                reverse("maintenance:complete", args=[record.pk]),
                {"completed_date": today.isoformat(), "completed_mileage": "42300"},
                follow=True,
            )
            outcome["messages"] = [str(message) for message in response.context["messages"]]
        finally:
            connections.close_all()

    phone = threading.Thread(target=completed_on_the_phone_too)
    with transaction.atomic():
        # The laptop's completion has scheduled the next oil change but not committed yet.
        maintenance.complete(record, date=today, mileage=42_100, cost=None)
        phone.start()
        # The phone read the record as due, and now waits for the laptop's row lock.
        wait_until_a_query_waits_for_a_lock()
    phone.join()

    assert outcome["messages"] == ["Oil change is already marked complete."]
    record.refresh_from_db()
    assert record.completed_mileage == 42_100
    next_ones = MaintenanceRecord.objects.filter(is_completed=False)
    assert list(next_ones.values_list("type", flat=True)) == ["oil_change"]
