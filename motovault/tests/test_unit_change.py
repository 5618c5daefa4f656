"""Changing a vehicle's units on its edit page (motovault.views.edit_vehicle,
motovault.unit_change): with history, the owner reads what converts and confirms; every number
then is in the new units, each still meaning what was typed."""

import datetime as dt
import re
from decimal import Decimal
from html import unescape

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import make_fill_up
from costs.models import Cost
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord, MaintenanceType
from motovault import unit_change
from vehicles.models import OdometerReading, Vehicle


def edit_data(vehicle, **changes):
    data = {
        "vin": vehicle.vin,
        "year": vehicle.year,
        "make": vehicle.make,
        "model": vehicle.model,
        "nickname": vehicle.nickname,
        "odometer_reading": str(vehicle.odometer_reading),
        "distance_unit": vehicle.distance_unit,
        "fuel_unit": vehicle.fuel_unit,
        "is_active": "on",
    }
    return {**data, **changes}


def text(response) -> str:
    """What the page says, without its markup."""
    inline = re.sub(r"</?(strong|em|span|a)\b[^>]*>", "", response.content.decode())
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", inline)).split())


def hidden_fields(page: str) -> dict[str, str]:
    """The values the confirmation page carries, as the browser posts them."""
    return {
        unescape(name): unescape(value)
        for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)"', page)
        if name != "csrfmiddlewaretoken"
    }


def history(vehicle):
    """A fill-up at 10,000 mi of 10 gal at $3.459, and a service done at 5,000 mi that repeats
    every 5,000 mi and is due next at 15,000 mi."""
    make_fill_up(
        vehicle,
        timezone.localdate() - dt.timedelta(days=3),
        10_000,
        gallons=Decimal("10.000"),
        price_per_gallon=Decimal("3.459"),
        total_cost=Decimal("34.59"),
    )
    MaintenanceRecord.objects.create(
        vehicle=vehicle,
        type=MaintenanceType.OIL_CHANGE,
        is_completed=True,
        completed_date=timezone.localdate() - dt.timedelta(days=30),
        completed_mileage=5_000,
        due_mileage=15_000,
        interval_miles=5_000,
        cost=Decimal("49.99"),
    )


def numbers(vehicle):
    vehicle.refresh_from_db()
    log = FuelLog.objects.get(vehicle=vehicle)
    record = MaintenanceRecord.objects.get(vehicle=vehicle)
    return {
        "units": (vehicle.distance_unit, vehicle.fuel_unit),
        "odometer": vehicle.odometer_reading,
        "fill-up": (log.odometer_reading, log.gallons, log.price_per_gallon, log.total_cost),
        "service": (
            record.completed_mileage,
            record.due_mileage,
            record.interval_miles,
            record.cost,
        ),
    }


AS_TYPED = {
    "units": ("mi", "gal_us"),
    "odometer": 42_000,
    "fill-up": (10_000, Decimal("10.000"), Decimal("3.459"), Decimal("34.59")),
    "service": (5_000, 15_000, 5_000, Decimal("49.99")),
}


def test_it_asks_before_converting_a_vehicles_history(owner_client, vehicle):
    history(vehicle)
    url = reverse("vehicles:edit", args=[vehicle.pk])

    response = owner_client.post(url, edit_data(vehicle, distance_unit="km", fuel_unit="l"))

    assert response.status_code == 200
    page = text(response)
    assert "Change the units of Daily driver?" in page
    assert "from miles and US gallons to kilometers and liters" in page
    assert "Odometer: 42,000 mi becomes 67,592 km." in page
    assert (
        "1 fill-up: odometer readings to the nearest whole kilometer; quantities in liters "
        "and prices per liter, to 0.001." in page
    )
    assert "1 service: mileages, due mileages and intervals to the nearest whole kilometer." in page
    assert "Totals and costs stay as they are." in page
    assert numbers(vehicle) == AS_TYPED  # nothing converted yet


def test_it_converts_every_number_once_confirmed(owner_client, vehicle):
    history(vehicle)
    url = reverse("vehicles:edit", args=[vehicle.pk])
    asked = owner_client.post(
        url, edit_data(vehicle, distance_unit="km", fuel_unit="l", color="Blue")
    )
    carried = hidden_fields(asked.content.decode())
    assert carried["confirm"] == "1" and carried["color"] == "Blue"

    response = owner_client.post(url, carried)

    assert response.status_code == 302
    assert response["Location"] == reverse("vehicles:detail", args=[vehicle.pk])
    assert numbers(vehicle) == {
        "units": ("km", "l"),
        "odometer": 67_592,  # 42,000 x 1.609344 = 67,592.448
        # 10,000 mi = 16,093.44 km; 10 x 3.785411784 L = 37.854 L; $3.459 / 3.785411784 L
        # = $0.91377 per liter. The total is money, and stays.
        "fill-up": (16_093, Decimal("37.854"), Decimal("0.914"), Decimal("34.59")),
        # 5,000 mi = 8,046.72 km; 15,000 mi = 24,140.16 km. The cost stays.
        "service": (8_047, 24_140, 8_047, Decimal("49.99")),
    }
    assert vehicle.color == "Blue"  # the rest of the edit is saved with it
    page = owner_client.get(response["Location"]).content.decode()
    assert "its numbers are now in kilometers and liters" in page
    assert "67,592 km" in page


def test_it_changes_nothing_when_the_owner_cancels(owner_client, vehicle):
    history(vehicle)
    url = reverse("vehicles:edit", args=[vehicle.pk])
    asked = owner_client.post(url, edit_data(vehicle, distance_unit="km", fuel_unit="l"))
    assert f'<a class="btn" href="{url}">Cancel</a>' in asked.content.decode()

    page = owner_client.get(url).content.decode()

    assert numbers(vehicle) == AS_TYPED
    assert '<option value="mi" selected>Miles</option>' in page


def test_it_shows_fresh_numbers_at_once_after_converting(owner_client, vehicle):
    history(vehicle)
    assert "42,000 mi" in owner_client.get("/").content.decode()  # cached now
    url = reverse("vehicles:edit", args=[vehicle.pk])
    asked = owner_client.post(url, edit_data(vehicle, distance_unit="km"))
    assert "1 fill-up: odometer readings to the nearest whole kilometer." in text(asked)
    owner_client.post(url, hidden_fields(asked.content.decode()))

    assert "67,592 km" in owner_client.get("/").content.decode()
    assert "67,592 km" in owner_client.get(reverse("vehicles:index")).content.decode()
    vehicle.refresh_from_db()
    assert vehicle.fuel_unit == "gal_us"  # only the distance changed
    assert FuelLog.objects.get(vehicle=vehicle).gallons == Decimal("10.000")


def test_it_converts_only_the_fuel_when_only_the_fuel_unit_changes(owner_client, vehicle):
    history(vehicle)
    url = reverse("vehicles:edit", args=[vehicle.pk])
    asked = owner_client.post(url, edit_data(vehicle, fuel_unit="gal_uk"))
    page = text(asked)
    assert "becomes" not in page and "service" not in page
    assert "quantities in imperial gallons and prices per imperial gallon, to 0.001" in page

    owner_client.post(url, hidden_fields(asked.content.decode()))

    # 10 US gallons = 37.854 L = 8.327 imperial gallons; $3.459 per US gallon = $4.154 per
    # imperial gallon (x 4.54609 / 3.785411784).
    assert numbers(vehicle)["fill-up"] == (
        10_000,
        Decimal("8.327"),
        Decimal("4.154"),
        Decimal("34.59"),
    )
    assert numbers(vehicle)["service"] == AS_TYPED["service"]


def test_it_refuses_to_turn_kwh_into_liters(owner_client, owner, make_vehicle):
    electric = make_vehicle(owner, nickname="Volt", fuel_unit="kwh", odometer_reading=12_000)
    make_fill_up(electric, timezone.localdate(), 12_000, gallons=Decimal("40.000"))
    url = reverse("vehicles:edit", args=[electric.pk])

    for data in (
        edit_data(electric, fuel_unit="l"),
        edit_data(electric, fuel_unit="l", confirm="1", from_distance="mi", from_fuel="kwh"),
    ):
        response = owner_client.post(url, data)

        assert response.status_code == 200
        assert (
            "1 fill-up in kWh cannot be converted to liters: energy charged is no volume of "
            "fuel." in text(response)
        )
        electric.refresh_from_db()
        assert electric.fuel_unit == "kwh"
        assert FuelLog.objects.get(vehicle=electric).gallons == Decimal("40.000")


def test_it_changes_the_units_of_a_vehicle_without_history_at_once(owner_client, vehicle):
    url = reverse("vehicles:edit", args=[vehicle.pk])

    response = owner_client.post(url, edit_data(vehicle, distance_unit="km", fuel_unit="kwh"))

    assert response.status_code == 302
    vehicle.refresh_from_db()
    # Its odometer is a number of it too: 42,000 mi stays 42,000 mi, written in km.
    assert (vehicle.distance_unit, vehicle.fuel_unit, vehicle.odometer_reading) == (
        "km",
        "kwh",
        67_592,
    )


def test_it_converts_an_odometer_typed_with_the_change(owner_client, vehicle):
    history(vehicle)
    url = reverse("vehicles:edit", args=[vehicle.pk])
    asked = owner_client.post(
        url, edit_data(vehicle, distance_unit="km", odometer_reading="123,456")
    )
    assert "123,456 mi becomes 198,683 km" in text(asked)

    owner_client.post(url, hidden_fields(asked.content.decode()))

    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 198_683


def test_it_refuses_numbers_too_large_for_the_new_unit(owner_client, vehicle):
    history(vehicle)
    Vehicle.objects.filter(pk=vehicle.pk).update(odometer_reading=9_000_000)
    vehicle.refresh_from_db()
    url = reverse("vehicles:edit", args=[vehicle.pk])

    response = owner_client.post(
        url,
        edit_data(vehicle, distance_unit="km", confirm="1", from_distance="mi", from_fuel="gal_us"),
    )

    assert response.status_code == 200
    assert (
        "In kilometers, the reading of 9,000,000 mi would be over 9,999,999, the largest "
        "MotoVault stores." in text(response)
    )
    assert numbers(vehicle)["fill-up"] == AS_TYPED["fill-up"]


def test_it_converts_a_vehicle_converted_meanwhile_only_once(owner, vehicle):
    """A second confirmation, of a change another request already made, is refused under the
    vehicle's lock: the numbers are converted once."""
    history(vehicle)
    vehicle.distance_unit = "km"
    assert unit_change.change_units(vehicle, ["distance_unit"], source=("mi", "gal_us"))
    again = Vehicle.objects.get(pk=vehicle.pk)
    again.distance_unit = "mi"
    with pytest.raises(ValidationError, match="changed in the meantime"):
        unit_change.change_units(again, ["distance_unit"], source=("mi", "gal_us"))
    assert numbers(vehicle)["fill-up"][0] == 16_093


def test_it_converts_once_when_the_confirmation_is_sent_twice(owner_client, vehicle):
    history(vehicle)
    url = reverse("vehicles:edit", args=[vehicle.pk])
    asked = owner_client.post(url, edit_data(vehicle, distance_unit="km"))
    carried = hidden_fields(asked.content.decode())
    owner_client.post(url, carried)

    response = owner_client.post(url, carried)  # the odometer in it is in miles

    assert response["Location"] == reverse("vehicles:detail", args=[vehicle.pk])
    assert numbers(vehicle)["odometer"] == 67_592
    assert numbers(vehicle)["fill-up"][0] == 16_093
    page = owner_client.get(response["Location"]).content.decode()
    assert "The units of Daily driver changed since you confirmed: nothing was saved again." in (
        page
    )


def test_it_converts_the_odometer_at_purchase_with_the_rest(owner_client, vehicle):
    history(vehicle)
    Vehicle.objects.filter(pk=vehicle.pk).update(purchase_odometer=30_000)
    vehicle.refresh_from_db()
    url = reverse("vehicles:edit", args=[vehicle.pk])
    data = edit_data(vehicle, distance_unit="km", purchase_odometer="30,000")
    asked = owner_client.post(url, data)
    assert "Odometer when bought: 30,000 mi becomes 48,280 km." in text(asked)

    owner_client.post(url, hidden_fields(asked.content.decode()))

    vehicle.refresh_from_db()
    # 30,000 mi x 1.609344 = 48,280.32 km
    assert (vehicle.distance_unit, vehicle.purchase_odometer) == ("km", 48_280)
    assert vehicle.odometer_reading == 67_592


def test_it_converts_an_odometer_at_purchase_typed_with_the_change(owner_client, vehicle):
    # No history: no question asked. The reading is typed in the units the form showed (miles).
    url = reverse("vehicles:edit", args=[vehicle.pk])

    owner_client.post(url, edit_data(vehicle, distance_unit="km", purchase_odometer="10,000"))

    vehicle.refresh_from_db()
    assert (vehicle.distance_unit, vehicle.purchase_odometer) == ("km", 16_093)


def test_it_keeps_the_odometer_at_purchase_when_only_the_fuel_unit_changes(owner_client, vehicle):
    url = reverse("vehicles:edit", args=[vehicle.pk])

    owner_client.post(url, edit_data(vehicle, fuel_unit="l", purchase_odometer="10,000"))

    vehicle.refresh_from_db()
    assert (vehicle.fuel_unit, vehicle.purchase_odometer) == ("l", 10_000)


def test_it_refuses_a_change_that_would_overflow_the_odometer_at_purchase(vehicle):
    vehicle.odometer_reading, vehicle.purchase_odometer = 10, 9_000_000
    vehicle.distance_unit = "km"

    change = unit_change.plan(vehicle, source=("mi", "gal_us"), odometer=10)

    assert (
        "the reading of 9,000,000 mi would be over 9,999,999" in change.errors["distance_unit"][0]
    )


def test_it_converts_the_odometer_readings_with_the_distance(owner_client, vehicle):
    """A vehicle whose only history is an odometer reading is asked about too; 41,000 mi is
    65,983.104 km, to the nearest kilometer 65,983."""
    reading = OdometerReading.objects.create(
        vehicle=vehicle, date=dt.date(2025, 1, 5), odometer_reading=41_000
    )
    url = reverse("vehicles:edit", args=[vehicle.pk])
    asked = owner_client.post(url, edit_data(vehicle, distance_unit="km"))
    assert "1 odometer reading: to the nearest whole kilometer." in text(asked)
    reading.refresh_from_db()
    assert reading.odometer_reading == 41_000  # nothing converted yet

    owner_client.post(url, hidden_fields(asked.content.decode()))

    reading.refresh_from_db()
    assert reading.odometer_reading == 65_983


def test_it_lists_the_other_costs_with_an_odometer_before_converting_them(owner_client, vehicle):
    """A vehicle whose only history is a cost with an odometer is asked about too, and a cost
    without one is not counted; 40,000 mi is 64,373.76 km, to the nearest kilometer 64,374."""
    insurance = Cost.objects.create(
        vehicle=vehicle,
        category="insurance",
        date=dt.date(2025, 1, 5),
        amount=Decimal("612.40"),
        odometer_reading=40_000,
    )
    Cost.objects.create(
        vehicle=vehicle, category="parking", date=dt.date(2025, 1, 6), amount=Decimal("4.00")
    )
    url = reverse("vehicles:edit", args=[vehicle.pk])
    asked = owner_client.post(url, edit_data(vehicle, distance_unit="km"))
    assert "1 other cost with an odometer: to the nearest whole kilometer." in text(asked)
    insurance.refresh_from_db()
    assert insurance.odometer_reading == 40_000  # nothing converted yet

    owner_client.post(url, hidden_fields(asked.content.decode()))

    insurance.refresh_from_db()
    assert (insurance.odometer_reading, insurance.amount) == (64_374, Decimal("612.40"))


def test_it_does_not_count_the_costs_when_only_the_fuel_unit_changes(vehicle):
    Cost.objects.create(
        vehicle=vehicle,
        category="tires",
        date=dt.date(2025, 1, 5),
        amount=Decimal("400.00"),
        odometer_reading=40_000,
    )
    vehicle.fuel_unit = "l"
    change = unit_change.plan(vehicle, source=("mi", "gal_us"), odometer=42_000)
    assert (change.costs, change.has_history) == (0, False)
