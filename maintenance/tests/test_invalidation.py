"""The owner never sees a stale upcoming list after their own change, whichever app makes it.
Each test fills the cache through the page, changes something the way the owner does, and
reads the page again."""

from decimal import Decimal

from django.urls import reverse

from fuellogs.models import FuelLog
from fuellogs.services import save_fuel_log
from maintenance.tests.conftest import days

UPCOMING = reverse("maintenance:upcoming")


def reasons(client):
    return [item["reason"] for item in client.get(UPCOMING).context["items"]]


def vehicle_form(vehicle, **changes):
    data = {
        "vin": vehicle.vin,
        "year": vehicle.year,
        "make": vehicle.make,
        "model": vehicle.model,
        "nickname": vehicle.nickname,
        "odometer_reading": vehicle.odometer_reading,
        "is_active": "on",
        **changes,
    }
    return {name: value for name, value in data.items() if value is not None}


def test_it_follows_an_odometer_change_on_the_vehicle_page(owner_client, vehicle, make_record):
    make_record(vehicle, due_mileage=43_000)
    assert reasons(owner_client) == []
    response = owner_client.post(
        reverse("vehicles:edit", args=[vehicle.pk]), vehicle_form(vehicle, odometer_reading=43_412)
    )
    assert response.status_code == 302
    assert reasons(owner_client) == ["412 miles over"]


def test_it_follows_a_vehicle_made_inactive(owner_client, vehicle, make_record):
    make_record(vehicle, due_date=days(-1))
    assert reasons(owner_client) == ["1 day overdue"]
    owner_client.post(
        reverse("vehicles:edit", args=[vehicle.pk]), vehicle_form(vehicle, is_active=None)
    )
    vehicle.refresh_from_db()
    assert not vehicle.is_active
    assert reasons(owner_client) == []


def test_it_follows_a_vehicle_deleted_and_restored(owner_client, vehicle, make_record):
    make_record(vehicle, due_date=days(-1))
    assert reasons(owner_client) == ["1 day overdue"]
    owner_client.post(reverse("vehicles:delete", args=[vehicle.pk]))
    assert reasons(owner_client) == []
    owner_client.post(reverse("vehicles:restore", args=[vehicle.pk]))
    assert reasons(owner_client) == ["1 day overdue"]


def test_it_follows_a_fuel_log(owner_client, vehicle, make_record):
    make_record(vehicle, due_mileage=42_300)
    assert reasons(owner_client) == ["due in 300 miles"]
    save_fuel_log(
        FuelLog(vehicle=vehicle, date=days(0), odometer_reading=42_350, gallons=Decimal("10"))
    )
    assert reasons(owner_client) == ["50 miles over"]
