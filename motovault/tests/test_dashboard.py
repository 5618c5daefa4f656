import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from django.utils.html import strip_tags

from attachments.models import Attachment
from costs.models import Category, Cost
from demo import generator as demo
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord, MaintenanceType
from motovault import l10n


def log(vehicle, day, odometer, gallons="10.000", total="30.00", **fields):
    return FuelLog.objects.create(
        user=vehicle.user,
        vehicle=vehicle,
        date=day,
        odometer_reading=odometer,
        gallons=Decimal(gallons),
        price_per_gallon=Decimal("3.000"),
        total_cost=Decimal(total),
        **fields,
    )


def test_it_shows_each_active_vehicle_with_its_fuel_and_maintenance(
    owner_client, vehicle, make_vehicle, owner
):
    today = timezone.localdate()
    log(vehicle, today - dt.timedelta(days=14), 42_000)
    log(vehicle, today - dt.timedelta(days=7), 42_300, station_name="Shell Main Street")
    MaintenanceRecord.objects.create(
        user=owner, vehicle=vehicle, type=MaintenanceType.OIL_CHANGE, due_mileage=41_900
    )
    make_vehicle(owner, nickname="Sold car", is_active=False)

    page = owner_client.get("/").content.decode()

    assert "Daily driver" in page
    assert "Sold car" not in page
    assert "42,000 mi" in page
    assert "30.0" in page  # 300 miles on 10 gallons
    assert "Oil change" in page and "100 miles over" in page
    assert "Shell Main Street" in page
    last = today - dt.timedelta(days=7)
    # The last fill-up and its MPG.
    assert f"{last:%b} {last.day} · 30.0 mpg" in strip_tags(page)


def test_it_adds_up_this_months_and_this_years_spending(owner_client, vehicle, owner):
    today = timezone.localdate()
    log(vehicle, today, 42_000, total="40.00")
    log(vehicle, today.replace(month=1, day=1) - dt.timedelta(days=1), 41_000, total="99.00")
    fuel_this_year = Decimal("40.00")
    last_month = today.replace(day=1) - dt.timedelta(days=1)
    if last_month.year == today.year:  # in January, no earlier month of this year exists
        log(vehicle, last_month, 41_500, total="25.00")
        fuel_this_year += Decimal("25.00")
    MaintenanceRecord.objects.create(
        user=owner,
        vehicle=vehicle,
        type=MaintenanceType.BATTERY,
        is_completed=True,
        completed_date=today,
        cost=Decimal("150.00"),
    )
    spending = owner_client.get("/").context["spending"]
    assert spending.fuel_month == Decimal("40.00")
    assert spending.fuel_year == fuel_this_year
    assert spending.maintenance_month == Decimal("150.00")
    assert spending.month == Decimal("190.00")


def test_it_adds_other_costs_to_the_spending_at_once(owner_client, vehicle, make_vehicle, owner):
    today = timezone.localdate()
    stored = make_vehicle(owner, nickname="Stored car", is_active=False)
    log(vehicle, today, 42_000, total="40.00")
    owner_client.get("/")  # the fuel statistics are cached now
    Cost.objects.create(
        vehicle=vehicle, category=Category.TOLLS, date=today, amount=Decimal("7.20")
    )
    Cost.objects.create(
        vehicle=stored, category=Category.INSURANCE, date=today, amount=Decimal("480.00")
    )
    last_year = today.replace(month=1, day=1) - dt.timedelta(days=1)
    Cost.objects.create(
        vehicle=vehicle, category=Category.REGISTRATION, date=last_year, amount=Decimal("99.00")
    )

    response = owner_client.get("/")

    spending = response.context["spending"]
    assert (spending.other_month, spending.other_year) == (Decimal("487.20"), Decimal("487.20"))
    assert spending.month == Decimal("527.20")
    page = "".join(strip_tags(response.content.decode()).split())
    assert "Othercosts$487.20$487.20" in page
    # A vehicle no longer in use that cost something this year is in the table.
    assert "Storedcar(notinuse)$480.00$480.00" in page


def test_it_gives_no_mpg_for_a_last_fill_up_that_was_partial(owner_client, vehicle):
    today = timezone.localdate()
    log(vehicle, today - dt.timedelta(days=14), 42_000)
    log(vehicle, today - dt.timedelta(days=7), 42_300)
    log(vehicle, today, 42_400, is_full_tank=False)
    page = owner_client.get("/").content.decode()
    assert f"{today:%b} {today.day}</dd>" in page
    assert "30.0 mpg" not in page  # that was the fill-up before


def test_it_counts_the_spending_of_a_vehicle_no_longer_in_use(
    owner_client, owner, vehicle, make_vehicle
):
    sold = make_vehicle(owner, nickname="Sold car", is_active=False)
    today = timezone.localdate()
    log(vehicle, today, 42_000, total="40.00")
    log(sold, today, 90_000, total="50.00")
    response = owner_client.get("/")
    spending = response.context["spending"]
    assert spending.fuel_month == Decimal("90.00")
    page = response.content.decode()
    assert 'Sold car <span class="muted small">(not in use)</span>' in page
    assert [card.vehicle for card in response.context["cards"]] == [vehicle]


def test_it_guides_a_new_owner_to_add_a_vehicle(owner_client):
    page = owner_client.get("/").content.decode()
    assert "Add your first vehicle" in page
    assert 'href="/vehicles/add/"' in page


def test_it_shows_no_other_owners_data(other_client, vehicle):
    log(vehicle, timezone.localdate(), 42_500, station_name="Secret Station")
    page = other_client.get("/").content.decode()
    assert "Daily driver" not in page and "Secret Station" not in page


def test_it_shows_a_vehicles_chosen_photo_on_its_card(owner_client, vehicle, make_vehicle, owner):
    make_vehicle(owner, nickname="No photo")
    # Rows alone: the card shows the thumbnail's address, it reads no file.
    Attachment.objects.create(
        vehicle=vehicle, name="front.jpg", content_type="image/jpeg", size=1, file="a/1.jpg"
    )
    photo = Attachment.objects.create(
        vehicle=vehicle,
        name="side.jpg",
        content_type="image/jpeg",
        size=1,
        file="a/2.jpg",
        thumbnail="a/2.thumb.webp",
        is_vehicle_photo=True,
    )

    page = owner_client.get("/").content.decode()

    assert page.count('class="vehicle-photo"') == 1
    assert f'src="/attachments/{photo.pk}/thumbnail/" alt="Photo of Daily driver"' in page


@pytest.mark.parametrize("vehicles", [1, 8])
def test_it_runs_a_fixed_number_of_queries(
    owner_client, owner, vehicles, django_assert_num_queries, no_page_cache
):
    generator = demo.Generator(seed=5)
    for vehicle, model in generator.vehicles(owner.id, vehicles):
        logs = generator.fuel_logs(vehicle, model, 40)
        vehicle.save()
        FuelLog.objects.bulk_create(logs)
        MaintenanceRecord.objects.bulk_create(generator.maintenance(vehicle, logs, 6))
        Cost.objects.bulk_create(
            Cost(
                user=owner,
                vehicle=vehicle,
                category=Category.PARKING,
                date=timezone.localdate() - dt.timedelta(days=day),
                amount=Decimal("4.50"),
            )
            for day in range(0, 400, 2)
        )
    # Cold caches: session, user, vehicles, fuel statistics (spending included), maintenance
    # sums, other costs' sums, upcoming (recent driving, services, renewals), latest fill-ups.
    with django_assert_num_queries(10):
        assert owner_client.get("/").status_code == 200
    # Warm: the statistics and the upcoming list come from the cache.
    with django_assert_num_queries(6):
        assert owner_client.get("/").status_code == 200


def test_it_shows_a_german_owner_euros_and_liters_per_100_km(owner_client, owner, make_vehicle):
    golf = make_vehicle(
        owner, nickname="Golf", distance_unit="km", fuel_unit="l", odometer_reading=10_500
    )
    # 500 km on 40 L: 8.0 L/100 km. Two fill-ups of 40 L at 1.799 € per liter: 143.92 €, both
    # today, so both are this month's and this year's whatever the date.
    for odometer in (10_000, 10_500):
        FuelLog.objects.create(
            user=owner,
            vehicle=golf,
            date=timezone.localdate(),
            odometer_reading=odometer,
            gallons=Decimal("40.000"),
            price_per_gallon=Decimal("1.799"),
            total_cost=Decimal("71.96"),
        )
    session = owner_client.session
    session["regional"] = {"locale": "de-DE", "currency": "EUR", "economy_unit": "l_100km"}
    session.save()

    page = owner_client.get("/").content.decode()

    assert "10.500 km" in page
    assert "<dt>Average L/100 km</dt><dd>8,0</dd>" in page
    assert "· 8,0 L/100 km" in strip_tags(page)
    assert "143,92\xa0€" in page  # this month's fuel, and this year's
    assert "71,96\xa0€" in page  # the latest fill-ups
    assert "40,000" in page and '<th scope="col" class="num">Liters</th>' in page
    assert "$" not in page


def test_it_names_each_fill_ups_own_unit_for_an_owner_who_mixes_them(
    owner_client, vehicle, make_vehicle, owner
):
    """The latest fill-ups of a car in gallons and one in liters: the column is "Fuel", each
    amount carries its unit, and on a phone, where each row is a small card, each amount is
    labeled with its own vehicle's quantity."""
    golf = make_vehicle(owner, nickname="Golf", distance_unit="km", fuel_unit="l")
    today = timezone.localdate()
    log(vehicle, today, 42_000, gallons="10.500")
    log(golf, today, 10_000, gallons="40.000")

    page = owner_client.get("/").content.decode()

    assert '<th scope="col" class="num">Fuel</th>' in page
    assert '<td class="num" data-label="Gallons">10.500 gal</td>' in page
    assert '<td class="num" data-label="Liters">40.000 L</td>' in page


def test_it_names_the_day_and_month_the_owners_way():
    sunday = dt.date(2026, 11, 29)
    with l10n.override(l10n.Regional()):
        assert (l10n.weekday_and_day(sunday), l10n.full_month_name(sunday)) == (
            "Sunday, November 29",
            "November",
        )
        assert l10n.day_and_month(sunday) == "Nov 29"
    with l10n.override(l10n.Regional(locale="de-DE")):
        assert (l10n.weekday_and_day(sunday), l10n.full_month_name(sunday)) == (
            "Sunday, 29 November",
            "November",
        )
        assert l10n.day_and_month(sunday) == "29 Nov"
