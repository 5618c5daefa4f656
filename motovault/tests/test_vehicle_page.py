"""The vehicle page, composed here from the vehicle, its fuel and maintenance panels and its cost
of ownership."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from conftest import make_fill_up
from costs.models import Category, Cost
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord, MaintenanceType
from vehicles.models import OdometerReading


def test_it_shows_the_vehicle_hub(owner_client, vehicle):
    page = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk])).content.decode()
    assert "Daily driver" in page and "42,000 mi" in page and vehicle.vin in page
    back = f"next=/vehicles/{vehicle.pk}/"
    assert f'href="/fuel/add/?vehicle={vehicle.pk}&amp;{back}"' in page
    assert f'href="/maintenance/add/?vehicle={vehicle.pk}&amp;{back}"' in page


def test_it_passes_the_panels_to_the_detail_page(owner_client, vehicle):
    response = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk]))
    assert "fuel" in response.context and "maintenance" in response.context
    assert "fuellogs/_vehicle_panel.html" in [t.name for t in response.templates]
    assert "maintenance/_vehicle_panel.html" in [t.name for t in response.templates]


def test_it_shows_a_german_owner_their_km_and_liters_vehicle(owner_client, owner, make_vehicle):
    car = make_vehicle(
        owner, nickname="Golf", distance_unit="km", fuel_unit="l", odometer_reading=123_456
    )
    session = owner_client.session
    session["regional"] = {"locale": "de-DE", "currency": "EUR", "economy_unit": "l_100km"}
    session.save()

    page = owner_client.get(reverse("vehicles:detail", args=[car.pk])).content.decode()

    assert "123.456 km" in page
    assert "<dt>Units</dt><dd>km · L · L/100 km</dd>" in page
    assert f"<dt>Added</dt><dd>{car.created_at:%d.%m.%Y}</dd>" in page


def test_it_shows_a_us_vehicle_in_its_units(owner_client, vehicle):
    page = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk])).content.decode()
    assert "<dt>Units</dt><dd>mi · gal · MPG</dd>" in page


def service(vehicle, day, cost, mileage=None):
    return MaintenanceRecord.objects.create(
        vehicle=vehicle,
        type=MaintenanceType.BRAKE_SERVICE,
        is_completed=True,
        completed_date=day,
        completed_mileage=mileage,
        cost=Decimal(cost),
    )


def other_cost(vehicle, day, amount, category=Category.INSURANCE):
    return Cost.objects.create(vehicle=vehicle, category=category, date=day, amount=Decimal(amount))


def figures(page: str) -> str:
    """The cost of ownership section's words, without markup or spaces."""
    section = page[
        page.index('id="ownership-title"') : page.index(
            "</section>", page.index('id="ownership-title"')
        )
    ]
    return "".join(strip_tags(section).split())


def test_it_shows_the_cost_of_ownership_from_the_purchase_on(owner_client, owner, make_vehicle):
    today = timezone.localdate()
    bought = today - dt.timedelta(days=730)
    car = make_vehicle(
        owner,
        nickname="Wagon",
        year=today.year - 5,
        odometer_reading=42_000,
        purchase_date=bought,
        purchase_price=Decimal("20000.00"),
        purchase_odometer=30_000,
    )
    # The previous owner's fill-up, before the purchase, is not this owner's cost.
    make_fill_up(car, bought - dt.timedelta(days=30), 29_000, total_cost=Decimal("999.00"))
    make_fill_up(car, bought, 30_100, total_cost=Decimal("1200.50"))
    make_fill_up(car, today - dt.timedelta(days=40), 41_000, total_cost=Decimal("799.50"))
    service(car, today - dt.timedelta(days=100), "350.25", 38_000)
    other_cost(car, bought, "450.00")
    other_cost(car, today - dt.timedelta(days=400), "450.00")
    other_cost(car, today, "49.75", Category.PARKING)

    response = owner_client.get(reverse("vehicles:detail", args=[car.pk]))

    text = figures(response.content.decode())
    # 2,000.00 + 350.25 + 949.75 + 20,000.00 lost so far; 23,300 x 365.25 / 730; per 12,000 mi.
    assert "Bought" in text and "for$20,000.00at30,000mi" in text
    assert "Total$23,300.00" in text
    assert "Peryear$11,657.98" in text
    assert "Permile$1.942" in text
    assert "Driven12,000mi" in text
    assert "Fuel$2,000.00" in text and "Maintenanceandrepairs$350.25" in text
    assert "Othercosts$949.75Insurance$900.00Parking$49.75" in text
    assert "Depreciation$20,000.00" in text
    chart = response.context["ownership"]["chart"]
    assert chart.table[-1][3] == "$49.75"  # this month's other costs, stacked on top
    assert '<span class="swatch bar bar-other" aria-hidden="true"></span>Other costs' in (
        response.content.decode()
    )


def test_it_shows_a_sold_vehicle_and_its_loss(owner_client, owner, make_vehicle):
    car = make_vehicle(
        owner,
        nickname="Old van",
        year=2010,
        distance_unit="km",
        odometer_reading=110_000,
        purchase_date=dt.date(2015, 1, 1),
        purchase_price=Decimal("30000.00"),
        purchase_odometer=10_000,
        sold_date=dt.date(2020, 1, 1),
        sold_price=Decimal("12500.00"),
        is_active=False,
    )
    make_fill_up(car, dt.date(2018, 6, 1), 60_000, total_cost=Decimal("8000.00"))
    service(car, dt.date(2019, 6, 1), "2500.00")

    page = owner_client.get(reverse("vehicles:detail", args=[car.pk])).content.decode()
    listed = owner_client.get(reverse("vehicles:index") + "?show=inactive").content.decode()

    text = figures(page)
    # 17,500 lost + 10,500 spent over 1,826 days (2016 is a leap year) and 100,000 km; the
    # sale, not today, ends the counting.
    assert "sold" in text and "for$12,500.00" in text
    assert "Depreciation$17,500.00" in text and "Total$28,000.00" in text
    assert "Peryear$5,600.77" in text  # 28,000 x 365.25 / 1,826 = 5,600.766...
    assert "Perkm$0.280" in text
    assert f'<span class="badge">Sold {dt.date(2020, 1, 1):%b} 1, 2020</span>' in page
    assert f'<span class="badge">Sold {dt.date(2020, 1, 1):%b} 1, 2020</span>' in listed


def test_it_waits_for_driving_before_a_cost_per_distance(owner_client, owner, make_vehicle):
    car = make_vehicle(
        owner,
        nickname="New car",
        odometer_reading=12,
        purchase_date=timezone.localdate(),
        purchase_price=Decimal("25000.00"),
        purchase_odometer=12,
    )
    text = figures(owner_client.get(reverse("vehicles:detail", args=[car.pk])).content.decode())
    assert "PermileNotenoughdrivingyet" in text
    assert "Peryear$25,000.00" in text
    assert "Depreciationcountsthewholepurchaseprice" in text


def test_it_invites_an_owner_with_nothing_to_count(owner_client, vehicle):
    page = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk])).content.decode()
    assert "Nothing to count yet." in page
    assert "Add the purchase" in page


@pytest.mark.parametrize("count", [3, 300])
def test_it_shows_the_vehicle_page_in_as_many_queries_with_hundreds_of_each_record(
    owner_client, owner, make_vehicle, count, django_assert_num_queries, no_page_cache
):
    car = make_vehicle(owner, nickname="Busy", odometer_reading=0, year=2010)
    start = dt.date(2011, 1, 1)
    FuelLog.objects.bulk_create(
        FuelLog(
            user=owner,
            vehicle=car,
            date=start + dt.timedelta(days=i * 7),
            odometer_reading=1_000 + 300 * i,
            gallons=Decimal("10.000"),
            price_per_gallon=Decimal("3.000"),
            total_cost=Decimal("30.00"),
        )
        for i in range(count)
    )
    MaintenanceRecord.objects.bulk_create(
        MaintenanceRecord(
            user=owner,
            vehicle=car,
            type=MaintenanceType.OIL_CHANGE,
            is_completed=True,
            completed_date=start + dt.timedelta(days=i * 7),
            cost=Decimal("5.00"),
        )
        for i in range(count)
    )
    Cost.objects.bulk_create(
        Cost(
            user=owner,
            vehicle=car,
            category=Category.values[i % len(Category.values)],
            title="Something",
            date=start + dt.timedelta(days=i * 7),
            amount=Decimal("2.50"),
        )
        for i in range(count)
    )
    OdometerReading.objects.bulk_create(
        OdometerReading(
            user=owner,
            vehicle=car,
            date=start + dt.timedelta(days=i * 7),
            odometer_reading=1_100 + 300 * i,
        )
        for i in range(count)
    )
    url = reverse("vehicles:detail", args=[car.pk])
    owner_client.get(url)  # the fuel statistics are cached now
    # Session, user, vehicle, VIN details, latest fill-ups, maintenance (schedule, readings,
    # recent services, spending per type, per year), odometer readings (the latest, with their
    # count), other costs (the latest, their count and the year's total), recalls (the
    # vehicle's, their last check), its files (its photo), and the cost of ownership: fill-ups,
    # services and other costs, each summed per month, and the lowest odometer reading, in
    # one query.
    with django_assert_num_queries(17):
        response = owner_client.get(url)
    cost = response.context["ownership"]["cost"]
    assert cost.total == Decimal("37.50") * count


def test_it_counts_from_the_first_record_without_a_purchase(owner_client, vehicle):
    first = timezone.localdate() - dt.timedelta(days=10)
    make_fill_up(vehicle, first, 41_500, total_cost=Decimal("40.00"))
    make_fill_up(vehicle, timezone.localdate(), 41_900, total_cost=Decimal("35.00"))

    text = figures(owner_client.get(reverse("vehicles:detail", args=[vehicle.pk])).content.decode())

    assert f"Countedfromthefirstrecord,{first:%b}{first.day},{first.year}." in text
    # No price, no depreciation: 75.00 over the 500 mi since the first reading (42,000 now).
    assert "Depreciation—" in text and "Depreciationiscountedonce" in text
    assert "Total$75.00" in text and "Permile$0.150" in text


def test_it_counts_the_distance_from_an_odometer_reading_without_one_at_purchase(
    owner_client, owner, make_vehicle
):
    today = timezone.localdate()
    car = make_vehicle(
        owner,
        nickname="Bought used",
        odometer_reading=42_000,
        purchase_date=today - dt.timedelta(days=60),
        purchase_price=Decimal("9000.00"),
    )
    # The owner noted the odometer the day the car was theirs, and filled up later.
    OdometerReading.objects.create(
        vehicle=car, date=today - dt.timedelta(days=60), odometer_reading=40_000
    )
    make_fill_up(car, today - dt.timedelta(days=10), 41_500, total_cost=Decimal("60.00"))

    text = figures(owner_client.get(reverse("vehicles:detail", args=[car.pk])).content.decode())

    # 42,000 - 40,000 = 2,000 mi, not the 500 since the fill-up: 9,060 / 2,000 = 4.53.
    assert "Driven2,000mi" in text
    assert "Permile$4.530" in text
