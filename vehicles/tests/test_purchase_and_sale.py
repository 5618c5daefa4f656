"""A vehicle's purchase and sale on its add and edit forms, its list and the admin: amounts read
the owner's way, a sale before the purchase refused, a sold vehicle no longer in use."""

import datetime as dt
from decimal import Decimal

from django.urls import reverse
from django.utils import timezone

from vehicles.models import Vehicle
from vehicles.tests.test_admin import vehicle_post
from vehicles.tests.test_views import add_data, german


def edit_data(vehicle, **fields):
    return {
        "vin": vehicle.vin,
        "nickname": vehicle.nickname,
        "odometer_reading": str(vehicle.odometer_reading),
        "is_active": "on",
        **fields,
    }


def test_it_adds_a_vehicle_with_its_purchase(owner_client, owner):
    page = owner_client.get(reverse("vehicles:add")).content.decode()
    assert "<legend>Purchase and sale</legend>" in page
    assert "Odometer when bought (miles)" in page
    assert "Price paid ($)" in page and "Sold for ($)" in page

    owner_client.post(
        reverse("vehicles:add"),
        add_data(
            nickname="Wagon",
            odometer_reading="42,000",
            purchase_date="2024-03-01",
            purchase_price="20,000.00",
            purchase_odometer="30,000",
        ),
    )

    car = Vehicle.objects.get(user=owner, nickname="Wagon")
    assert (car.purchase_date, car.purchase_price, car.purchase_odometer) == (
        dt.date(2024, 3, 1),
        Decimal("20000.00"),
        30_000,
    )
    assert car.sold_date is None and car.is_active


def test_it_reads_a_german_owners_prices_and_shows_them_back(owner_client, vehicle):
    german(owner_client)
    url = reverse("vehicles:edit", args=[vehicle.pk])

    owner_client.post(
        url,
        edit_data(
            vehicle,
            odometer_reading="42.000",
            purchase_date="2020-05-04",
            purchase_price="12.345,60",
            purchase_odometer="10.000",
        ),
    )

    vehicle.refresh_from_db()
    assert (vehicle.purchase_price, vehicle.purchase_odometer) == (Decimal("12345.60"), 10_000)
    page = owner_client.get(url).content.decode()
    assert 'value="12345,60"' in page and 'value="2020-05-04"' in page


def test_it_marks_a_sold_vehicle_inactive_and_lists_it_as_sold(owner_client, vehicle):
    sold = timezone.localdate() - dt.timedelta(days=3)
    url = reverse("vehicles:edit", args=[vehicle.pk])
    assert "saving one unchecks this" in owner_client.get(url).content.decode()

    # The "In use" box is still checked: the sale wins.
    response = owner_client.post(
        url, edit_data(vehicle, sold_date=sold.isoformat(), sold_price="8,500")
    )

    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert (vehicle.sold_date, vehicle.sold_price) == (sold, Decimal("8500.00"))
    assert not vehicle.is_active
    listed = owner_client.get(reverse("vehicles:index"), {"show": "inactive"}).content.decode()
    assert f'<span class="badge">Sold {sold:%b} {sold.day}, {sold.year}</span>' in listed
    page = owner_client.get(vehicle.get_absolute_url()).content.decode()
    assert f"<dt>Status</dt><dd>Sold on {sold:%b} {sold.day}, {sold.year}</dd>" in page


def test_it_refuses_a_sale_before_the_purchase(owner_client, vehicle):
    response = owner_client.post(
        reverse("vehicles:edit", args=[vehicle.pk]),
        edit_data(vehicle, purchase_date="2024-05-01", sold_date="2024-04-30"),
    )

    assert "The sale cannot be before the purchase." in response.content.decode()
    vehicle.refresh_from_db()
    assert vehicle.sold_date is None and vehicle.is_active


def test_it_asks_for_the_date_of_a_sale_price(owner_client, vehicle):
    response = owner_client.post(
        reverse("vehicles:edit", args=[vehicle.pk]), edit_data(vehicle, sold_price="5000")
    )
    assert "Enter the date it was sold." in response.content.decode()
    vehicle.refresh_from_db()
    assert vehicle.sold_price is None


def test_it_refuses_a_negative_price_or_a_future_sale(owner_client, vehicle):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    response = owner_client.post(
        reverse("vehicles:edit", args=[vehicle.pk]),
        edit_data(vehicle, purchase_price="-1", sold_date=tomorrow.isoformat()),
    )
    page = response.content.decode()
    assert "Ensure this value is greater than or equal to 0." in page
    assert "The date cannot be in the future." in page


def test_it_shows_and_saves_the_purchase_and_sale_in_the_admin(admin_client, vehicle):
    url = reverse("admin:vehicles_vehicle_change", args=[vehicle.pk])
    assert 'name="purchase_price"' in admin_client.get(url).content.decode()

    response = admin_client.post(
        url, vehicle_post(vehicle, sold_date="2025-01-02", sold_price="9000.00")
    )

    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.sold_date == dt.date(2025, 1, 2) and not vehicle.is_active


def test_it_refuses_an_odometer_at_purchase_above_the_reading_now(owner_client, vehicle):
    response = owner_client.post(
        reverse("vehicles:edit", args=[vehicle.pk]),
        edit_data(vehicle, purchase_odometer="42,001"),
    )
    assert "The odometer when bought cannot be above its reading now, 42,000." in (
        response.content.decode()
    )
    vehicle.refresh_from_db()
    assert vehicle.purchase_odometer is None
