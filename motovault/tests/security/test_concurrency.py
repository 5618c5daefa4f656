"""Writes that race: two fill-ups at once never lower the odometer nor break the odometer order;
a recurring service completed twice at once schedules one next occurrence; an edit never brings
back what a delete removed meanwhile; a form posted twice stores one record. Each test holds the
first write open until the second request is seen waiting for its row lock, so the lock itself
is what is tested; two tests post twenty requests at once, as a probe of the site did."""

import datetime
import html
import re
import threading
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager
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
from vehicles.models import Vehicle

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


def post_as(user, url: str, data: dict, outcome: dict, start: threading.Barrier | None = None):
    """Post `data` as `user` from a connection of its own, following the redirect; record in
    `outcome` where it went, the messages shown, and the page (with the form's errors if it came
    back). Read from the HTML: the test client's `context` collects every thread's templates."""
    try:
        client = Client()
        client.force_login(user)
        if start is not None:
            # Back to the pool (10 connections, like a worker's) while waiting for the others.
            connections.close_all()
            start.wait()
        response = client.post(url, data, follow=True)
        page = response.content.decode()
        outcome["redirect"] = response.redirect_chain[0][0] if response.redirect_chain else None
        shown = re.search(r'<ul class="messages".*?</ul>', page, re.DOTALL)
        outcome["messages"] = [
            html.unescape(message)
            for message in re.findall(r"<li[^>]*>([^<]*)</li>", shown[0] if shown else "")
        ]
        outcome["page"] = html.unescape(page)
    finally:
        connections.close_all()


@contextmanager
def in_another_tab(user, url: str, data: dict) -> Iterator[dict]:
    """Post `data` as `user` from the owner's other tab (or phone) while the block's writes are
    not committed yet: the block runs in a transaction, and commits once the tab's request is
    seen waiting for the block's row lock. Yields the tab's outcome, complete after the block."""
    outcome: dict = {}
    tab = threading.Thread(target=post_as, args=(user, url, data, outcome))
    with transaction.atomic():
        yield outcome
        tab.start()
        wait_until_a_query_waits_for_a_lock()
    tab.join()


def all_at_once(user, url: str, forms: list[dict]) -> list[dict]:
    """Post every form at the same moment, each from its own connection, as a probe did."""
    start = threading.Barrier(len(forms))
    outcomes = [{} for _ in forms]
    threads = [
        threading.Thread(target=post_as, args=(user, url, data, outcome, start))
        for data, outcome in zip(forms, outcomes, strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return outcomes


def fill_up(vehicle, date: datetime.date, odometer: int) -> dict:
    return {
        "vehicle": str(vehicle.pk),
        "date": date.isoformat(),
        "odometer_reading": str(odometer),
        "gallons": "9.5",
        "price_per_gallon": "3.459",
        "is_full_tank": "on",
        "station_name": "Shell on Main",
    }


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


# ---- D1: the odometer order, checked again inside the vehicle's lock ----


def race_with_yesterdays_fill_up(user, url: str, vehicle) -> dict:
    """Post a fill-up of two days ago at 43,200 mi as `user` to `url`, checked by its form
    before yesterday's 43,100 (less: the two disagree) is saved meanwhile; its outcome."""
    today = timezone.localdate()
    with in_another_tab(
        user, url, fill_up(vehicle, today - datetime.timedelta(days=2), 43_200)
    ) as outcome:
        save_fuel_log(
            FuelLog(
                vehicle=vehicle,
                date=today - datetime.timedelta(days=1),
                odometer_reading=43_100,
                gallons=Decimal("10"),
                price_per_gallon=Decimal("3.5"),
            )
        )
    return outcome


def test_it_refuses_a_fill_up_that_disagrees_with_one_saved_meanwhile(owner, vehicle):
    outcome = race_with_yesterdays_fill_up(owner, reverse("fuellogs:add"), vehicle)

    assert outcome["redirect"] is None
    assert "Must be less than 43,100 mi, the reading of your fill-up on" in outcome["page"]
    assert list(FuelLog.objects.values_list("odometer_reading", flat=True)) == [43_100]


def test_it_stores_one_of_twenty_disagreeing_fill_ups_posted_at_once(owner, make_vehicle):
    vehicle = make_vehicle(owner, odometer_reading=1_000)
    today = timezone.localdate()
    # Each day further back has a higher reading: any two of them disagree.
    forms = [fill_up(vehicle, today - datetime.timedelta(days=i + 1), 1_100 + i) for i in range(20)]

    outcomes = all_at_once(owner, reverse("fuellogs:add"), forms)

    assert FuelLog.objects.count() == 1
    refused = [outcome for outcome in outcomes if outcome["redirect"] is None]
    assert len(refused) == 19
    for outcome in refused:
        assert "the reading of your fill-up on" in outcome["page"]


def test_it_refuses_a_service_for_a_vehicle_deleted_meanwhile(owner, vehicle, make_vehicle):
    make_vehicle(owner, nickname="Second car")  # so that the form is shown again
    with in_another_tab(
        owner,
        reverse("maintenance:add"),
        {
            "vehicle": str(vehicle.pk),
            "kind": "scheduled",
            "type": "battery",
            "due_mileage": "50000",
        },
    ) as outcome:
        vehicle.soft_delete()

    assert outcome["redirect"] is None
    assert "This vehicle is deleted; restore it first." in outcome["page"]
    assert not MaintenanceRecord.objects.exists()


def test_it_tells_staff_why_a_fill_up_that_lost_the_race_was_not_saved(admin_user, vehicle):
    add = reverse("admin:fuellogs_fuellog_add")
    outcome = race_with_yesterdays_fill_up(admin_user, add, vehicle)

    # Back on the form, with why: no error page.
    assert outcome["redirect"] == add
    assert (
        "Nothing was saved: a change made meanwhile conflicts with it. Odometer (mi): Must be "
        "less than 43,100 mi, the reading of your fill-up on"
    ) in outcome["page"]
    assert list(FuelLog.objects.values_list("odometer_reading", flat=True)) == [43_100]


# ---- D10: an edit never brings back what was deleted meanwhile ----


def test_it_does_not_bring_back_a_fill_up_deleted_while_it_was_edited(owner, vehicle):
    log = save_fuel_log(
        FuelLog(
            vehicle=vehicle,
            date=timezone.localdate(),
            odometer_reading=42_500,
            gallons=Decimal("10"),
            price_per_gallon=Decimal("3.5"),
        )
    )
    with in_another_tab(
        owner,
        reverse("fuellogs:edit", args=[log.pk]),
        {**fill_up(vehicle, log.date, 42_600), "notes": "Edited"},
    ) as outcome:
        # The phone's delete has removed the log but not committed yet.
        FuelLog.objects.filter(pk=log.pk).delete()

    assert outcome["redirect"] == reverse("fuellogs:index")
    assert outcome["messages"] == ["This fill-up was deleted in the meantime."]
    assert not FuelLog.objects.exists()


def renamed_in_another_tab(user, vehicle) -> AbstractContextManager[dict]:
    """in_another_tab() posting the vehicle's edit page as it was loaded at 42,000 mi, with only
    the nickname changed (to "Weekend car")."""
    return in_another_tab(
        user,
        reverse("vehicles:edit", args=[vehicle.pk]),
        {"vin": vehicle.vin, "nickname": "Weekend car", "odometer_reading": "42000"},
    )


def test_it_keeps_a_vehicle_deleted_while_it_was_edited(owner, vehicle):
    with renamed_in_another_tab(owner, vehicle) as outcome:
        vehicle.soft_delete()

    assert outcome["redirect"] == reverse("vehicles:index")
    assert outcome["messages"] == ["This vehicle was deleted in the meantime."]
    vehicle.refresh_from_db()
    assert vehicle.is_deleted
    assert vehicle.nickname == "Daily driver"


def test_it_keeps_a_vehicle_deleted_while_staff_edited_it(admin_user, vehicle):
    with in_another_tab(
        admin_user,
        reverse("admin:vehicles_vehicle_change", args=[vehicle.pk]),
        {
            "vin": vehicle.vin,
            "make": vehicle.make,
            "model": vehicle.model,
            "nickname": "Renamed by staff",
            "odometer_reading": vehicle.odometer_reading,
            "is_active": "on",
        },
    ):
        vehicle.soft_delete()

    vehicle.refresh_from_db()
    assert (vehicle.nickname, vehicle.is_deleted) == ("Renamed by staff", True)


def test_it_keeps_an_odometer_a_fill_up_raised_while_the_vehicle_was_edited(owner, vehicle):
    with renamed_in_another_tab(owner, vehicle) as outcome:
        vehicle.raise_odometer(42_700)

    assert outcome["messages"] == ["Saved Weekend car."]
    vehicle.refresh_from_db()
    assert (vehicle.nickname, vehicle.odometer_reading) == ("Weekend car", 42_700)


@pytest.mark.parametrize("view", ["maintenance:edit", "maintenance:complete"])
def test_it_does_not_bring_back_a_service_deleted_while_it_was_edited(owner, vehicle, view):
    today = timezone.localdate()
    record = MaintenanceRecord.objects.create(
        user=owner, vehicle=vehicle, type="oil_change", due_date=today, interval_months=6
    )
    edit = {"vehicle": str(vehicle.pk), "type": "oil_change", "due_mileage": "46000"}
    complete = {"completed_date": today.isoformat(), "completed_mileage": "42300"}
    form = edit if view == "maintenance:edit" else complete
    with in_another_tab(owner, reverse(view, args=[record.pk]), form) as outcome:
        maintenance.delete_record(record)

    assert outcome["redirect"] == reverse("maintenance:index")
    assert outcome["messages"] == ["This service was deleted in the meantime."]
    assert not MaintenanceRecord.objects.exists()


def test_it_keeps_a_completion_made_while_the_service_was_edited(owner, vehicle):
    today = timezone.localdate()
    record = MaintenanceRecord.objects.create(
        user=owner, vehicle=vehicle, type="oil_change", due_date=today
    )
    with in_another_tab(
        owner,
        reverse("maintenance:edit", args=[record.pk]),
        {
            "vehicle": str(vehicle.pk),
            "type": "oil_change",
            "due_date": today.isoformat(),
            "notes": "Synthetic 5W-30",
        },
    ) as outcome:
        maintenance.complete(record, date=today, mileage=42_100, cost=None)

    assert outcome["messages"] == ["Oil change saved."]
    record.refresh_from_db()
    assert (record.is_completed, record.completed_mileage) == (True, 42_100)
    assert record.notes == "Synthetic 5W-30"


# ---- Duplicates: a form posted twice stores one record ----


def test_it_stores_a_fill_up_posted_twice_once(owner, owner_client, vehicle):
    form = fill_up(vehicle, timezone.localdate(), 42_300)
    with in_another_tab(owner, reverse("fuellogs:add"), form) as outcome:
        # The first click's request has saved the fill-up but not committed yet.
        assert owner_client.post(reverse("fuellogs:add"), form).status_code == 302

    assert outcome["redirect"] == reverse("fuellogs:index")
    assert outcome["messages"] == [
        "This fill-up was already saved a moment ago; it was not added twice."
    ]
    assert FuelLog.objects.count() == 1


def test_it_stores_one_of_twenty_identical_fill_ups_posted_at_once(owner, vehicle):
    form = fill_up(vehicle, timezone.localdate(), 42_300)

    outcomes = all_at_once(owner, reverse("fuellogs:add"), [form] * 20)

    assert FuelLog.objects.count() == 1
    assert all(outcome["redirect"] == reverse("fuellogs:index") for outcome in outcomes)
    notices = [outcome["messages"] for outcome in outcomes].count(
        ["This fill-up was already saved a moment ago; it was not added twice."]
    )
    assert notices == 19


@pytest.mark.parametrize(
    "form",
    [
        {"kind": "scheduled", "type": "battery", "due_mileage": "50000"},
        {
            "kind": "done",
            "type": "oil_change",
            "completed_date": "2024-05-01",
            "completed_mileage": "42500",
            "cost": "79.99",
            "interval_months": "6",
        },
    ],
    ids=["scheduled", "done"],
)
def test_it_stores_a_service_posted_twice_once(owner, owner_client, vehicle, form):
    form = {"vehicle": str(vehicle.pk), **form}
    with in_another_tab(owner, reverse("maintenance:add"), form) as outcome:
        assert owner_client.post(reverse("maintenance:add"), form).status_code == 302

    assert outcome["redirect"] == reverse("maintenance:index")
    assert outcome["messages"] == [
        "This service was already saved a moment ago; it was not added twice."
    ]
    # A recurring service done schedules its next occurrence once too.
    expected = 2 if form["kind"] == "done" else 1
    assert MaintenanceRecord.objects.count() == expected


def test_it_stores_a_vehicle_posted_twice_once(owner, owner_client):
    form = {"vin": "1HGCM82633A004352", "nickname": "Weekend car", "odometer_reading": "1200"}
    with in_another_tab(owner, reverse("vehicles:add"), form) as outcome:
        # The first click's insert holds the VIN in the unique index; the phone's waits on it.
        assert owner_client.post(reverse("vehicles:add"), form).status_code == 302

    vehicle = Vehicle.objects.get()
    assert outcome["redirect"] == reverse("vehicles:detail", args=[vehicle.pk])
    assert outcome["messages"] == [
        "This vehicle was already saved a moment ago; it was not added twice."
    ]
