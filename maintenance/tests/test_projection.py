"""Due dates projected from driving (maintenance.projection), with hand-worked numbers.

The worked example most tests share: the vehicle's odometer reads 12,010 today (it was saved
today, so that is a reading), and a fill-up 60 days ago read 10,000. The pace is 2,010 / 60 =
33.5 a day, 33.5 x 30.4375 = 1,019.66 a month, shown as "about 1,020". A service due at 13,000
is 990 away: 990 / 33.5 = 29.55 days, rounded to 30, so it is projected today + 30 days, within
the 30 due-soon days although 990 miles is outside the 500 due-soon miles."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from conftest import make_fill_up
from fuellogs.models import FuelLog
from fuellogs.services import delete_fuel_logs, save_fuel_log
from maintenance import projection
from maintenance.models import MaintenanceRecord, Status
from maintenance.tests.conftest import GERMAN, days
from maintenance.upcoming import upcoming_for
from motovault import l10n
from vehicles.models import OdometerReading, Vehicle
from vehicles.readings import Span
from vehicles.services import save_reading

UPCOMING = reverse("maintenance:upcoming")


def month_day(day: datetime.date) -> str:
    """How an American owner reads a date within the year: "Mar 14"."""
    return f"{day:%b} {day.day}"


@pytest.fixture
def commuter(owner, make_vehicle):
    """The worked example's vehicle: 12,010 miles today, 10,000 sixty days ago."""
    car = make_vehicle(owner, nickname="Commuter", odometer_reading=12_010)
    make_fill_up(car, days(-60), 10_000)
    return car


def test_it_works_out_the_pace_and_the_date_by_hand():
    span = Span(datetime.date(2026, 1, 1), datetime.date(2026, 3, 2), 10_000, 12_010)
    driving = projection.driving_from(span, "mi")
    assert driving.per_day == pytest.approx(33.5)  # 2,010 miles in 60 days
    assert driving.per_month == 1_020  # 1,019.66 to the nearest 10
    assert driving.days_until(990) == 30  # 29.55 days
    assert driving.days_until(1_990) == 59  # 59.40 days
    assert driving.days_until(0) is None
    # Under 100 a month, to the nearest unit: 90 km in 30 days = 91.31 a month.
    slow = projection.driving_from(
        Span(datetime.date(2026, 1, 1), datetime.date(2026, 1, 31), 500, 590), "km"
    )
    assert slow.per_month == 91


def test_it_projects_a_due_mileage_and_counts_it_due_soon(commuter, make_record):
    record = make_record(commuter, due_mileage=13_000)
    due = MaintenanceRecord.objects.get(pk=record.pk).due()
    assert due.projected_date == days(30)
    assert due.status == Status.DUE_SOON
    expected = f"due around {month_day(days(30))} (at about 1,020 mi a month)"
    assert due.projection == expected
    assert due.reason == expected


def test_it_keeps_a_projection_beyond_the_due_soon_days_scheduled(commuter, make_record):
    record = make_record(commuter, due_mileage=14_000)
    due = record.due()
    assert due.projected_date == days(59)
    assert due.status == Status.SCHEDULED
    assert due.reason == "due in 1,990 miles"
    assert due.projection == f"due around {month_day(days(59))} (at about 1,020 mi a month)"


def test_it_reads_services_done_and_the_vehicles_own_edits(owner, make_vehicle, make_record):
    car = make_vehicle(owner, odometer_reading=12_010)
    # A service done 100 days ago at 8,000; the vehicle reads 12,010 today: 40.1 a day,
    # 1,220.5 a month, "about 1,220"; 2,005 miles left is 50 days.
    make_record(car, is_completed=True, completed_date=days(-100), completed_mileage=8_000)
    record = make_record(car, due_mileage=14_015)
    assert record.due().projected_date == days(50)
    assert "at about 1,220 mi a month" in record.due().projection

    # The vehicle last saved 20 days ago: its 12,010 is a reading of that day, and the pace
    # is 4,010 miles in 80 days, 50.125 a day: 2,005 miles are 40 days.
    Vehicle.objects.filter(pk=car.pk).update(updated_at=timezone.now() - datetime.timedelta(20))
    assert MaintenanceRecord.objects.get(pk=record.pk).due().projected_date == days(40)


@pytest.mark.parametrize(
    "readings, why",
    [
        # Only the vehicle itself: one reading.
        ([], projection.TOO_FEW),
        # Two readings 10 days apart.
        ([(-10, 11_700)], projection.TOO_CLOSE),
        # The fill-up is older than 180 days: again one reading in the window.
        ([(-181, 5_000)], projection.TOO_FEW),
        # Two readings, no distance between them.
        ([(-30, 12_010)], projection.NO_DISTANCE),
    ],
)
def test_it_projects_nothing_from_too_little_driving(
    owner, make_vehicle, make_record, readings, why
):
    car = make_vehicle(owner, odometer_reading=12_010)
    for day, odometer in readings:
        make_fill_up(car, days(day), odometer)
    due = make_record(car, due_mileage=12_300).due()
    assert due.projected_date is None
    assert due.projection == ""
    assert due.no_projection == why
    # Still due soon by distance (290 miles), as before.
    assert (due.status, due.reason) == (Status.DUE_SOON, "due in 290 miles")


def test_it_projects_from_readings_exactly_14_days_apart_and_180_days_back(
    owner, make_vehicle, make_record
):
    car = make_vehicle(owner, odometer_reading=12_010)
    make_fill_up(car, days(-14), 11_590)  # 420 miles in 14 days: 30 a day
    assert make_record(car, due_mileage=12_910).due().projected_date == days(30)
    other = make_vehicle(owner, odometer_reading=12_010)
    make_fill_up(other, days(-180), 3_010)  # 9,000 miles in 180 days: 50 a day
    assert make_record(other, due_mileage=13_010).due().projected_date == days(20)


def test_it_words_the_projection_in_km_and_for_a_german_owner(owner, make_vehicle, make_record):
    car = make_vehicle(owner, odometer_reading=12_010, distance_unit="km")
    make_fill_up(car, days(-60), 10_000)
    due = make_record(car, due_mileage=14_000).due()
    assert due.projection == f"due around {month_day(days(59))} (at about 1,020 km a month)"
    with l10n.override(GERMAN):
        german = make_record(car, due_mileage=14_000).due()
        assert german.projection == (
            f"due around {l10n.day_and_month(days(59))} (at about 1.020 km a month)"
        )
    # English words in the owner's order: "due around 28 Jan", not "Jan 28" nor "28. Jan."
    assert german.projection.startswith(f"due around {days(59).day} ")


def test_upcoming_lists_a_service_due_soon_by_projection(owner_client, commuter, make_record):
    make_record(commuter, type="tire_rotation", due_mileage=13_000)
    make_record(commuter, type="inspection", due_mileage=14_000)  # 59 days: not listed
    response = owner_client.get(UPCOMING)
    items = response.context["page_obj"].object_list
    assert [item["title"] for item in items] == ["Tire rotation"]
    assert items[0]["projected_date"] == days(30)
    # The projection is the reason, said once.
    page = response.content.decode()
    assert page.count(f"due around {month_day(days(30))} (at about 1,020 mi a month)") == 1
    assert "Due around" not in page


def test_upcoming_says_why_there_is_no_date(owner_client, owner, make_vehicle, make_record):
    car = make_vehicle(owner, odometer_reading=12_010)
    make_record(car, due_mileage=12_300)
    page = owner_client.get(UPCOMING).content.decode()
    assert "No date estimate: not enough driving logged in the last 180 days" in page


def test_the_list_filters_due_soon_by_projection(owner_client, commuter, make_record):
    make_record(commuter, type="tire_rotation", due_mileage=13_000)
    make_record(commuter, type="inspection", due_mileage=14_000)
    response = owner_client.get(reverse("maintenance:index"), {"status": "due_soon"})
    assert [record.title for record, _due in response.context["rows"]] == ["Tire rotation"]
    response = owner_client.get(reverse("maintenance:index"), {"status": "scheduled"})
    assert [record.title for record, _due in response.context["rows"]] == ["Inspection"]


def test_a_fill_up_renews_the_cached_upcoming_list(owner, make_vehicle, make_record):
    car = make_vehicle(owner, odometer_reading=12_010)
    make_record(car, due_mileage=13_000)
    assert upcoming_for(owner) == []  # no pace yet, and 990 miles away
    # An older fill-up: the odometer does not move, but now there is a pace.
    save_fuel_log(
        FuelLog(
            vehicle=car,
            date=days(-60),
            odometer_reading=10_000,
            gallons=10,
            price_per_gallon=3,
            total_cost=30,
        )
    )
    assert [item["projected_date"] for item in upcoming_for(owner)] == [days(30)]
    # And deleting it takes the pace away again.
    delete_fuel_logs(FuelLog.objects.filter(vehicle=car))
    assert upcoming_for(owner) == []


@pytest.mark.parametrize("count", [1, 8])
def test_upcoming_reads_every_vehicles_pace_in_one_query(
    owner, make_vehicle, make_record, count, django_assert_num_queries
):
    for number in range(count):
        car = make_vehicle(owner, odometer_reading=12_010)
        make_fill_up(car, days(-60), 10_000)
        make_fill_up(car, days(-30), 11_000)
        make_record(car, is_completed=True, completed_date=days(-45), completed_mileage=10_500)
        make_record(car, due_mileage=13_000 + number)
    with django_assert_num_queries(3):  # the readings, the records, the renewals
        items = upcoming_for(owner)
    assert len(items) == count


def test_the_vehicle_page_shows_the_projection(owner_client, commuter, make_record):
    make_record(commuter, due_mileage=14_000)
    page = owner_client.get(commuter.get_absolute_url()).content.decode()
    assert f"Due around {month_day(days(59))} (at about 1,020 mi a month)" in page


def test_an_odometer_reading_moves_a_projected_date(owner_client, commuter, make_record):
    """The worked example projects 13,000 mi at today + 30 days, due soon. An odometer reading
    120 days ago at 9,010 widens the span: 3,000 miles in 120 days is 25 a day (760.9 a month,
    "about 760"), and the 990 miles left take 39.6 days: today + 40, beyond the 30 due-soon
    days. The upcoming list, cached under the owner's stamp, drops it at once."""
    record = make_record(commuter, type="tire_rotation", due_mileage=13_000)
    listed = owner_client.get(UPCOMING).context["page_obj"].object_list
    assert [item["projected_date"] for item in listed] == [days(30)]

    save_reading(OdometerReading(vehicle=commuter, date=days(-120), odometer_reading=9_010))

    due = MaintenanceRecord.objects.get(pk=record.pk).due()
    assert due.projected_date == days(40)
    assert due.projection == f"due around {month_day(days(40))} (at about 760 mi a month)"
    assert due.status == Status.SCHEDULED
    assert list(owner_client.get(UPCOMING).context["page_obj"].object_list) == []
