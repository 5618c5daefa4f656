"""/api/v1/odometer-readings/: the vehicle odometer pages' form and services, as JSON."""

import datetime as dt

import pytest

from api.tests.test_validation_parity import api_errors, page_errors
from conftest import make_fill_up
from vehicles.models import OdometerReading


def test_it_records_changes_and_deletes_a_reading(api, vehicle):
    created = api.post(
        "/api/v1/odometer-readings/",
        {"vehicle": str(vehicle.pk), "date": "2026-11-01", "odometer_reading": 42_500},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["odometer_reading"], body["distance_unit"]) == (42_500, "mi")
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 42_500
    path = f"/api/v1/odometer-readings/{body['id']}/"
    again = api.post(
        "/api/v1/odometer-readings/",
        {"vehicle": str(vehicle.pk), "date": "2026-11-01", "odometer_reading": 42_500},
    )
    assert (again.status_code, again.json()["id"]) == (200, body["id"])
    changed = api.patch(path, {"odometer_reading": "42600", "notes": "Before the trip"})
    assert changed.status_code == 200, changed.content
    reading = OdometerReading.objects.get(pk=body["id"])
    assert (reading.odometer_reading, reading.notes, reading.date) == (
        42_600,
        "Before the trip",
        dt.date(2026, 11, 1),
    )
    assert api.get(path).json()["notes"] == "Before the trip"
    assert api.delete(path).status_code == 204
    assert not OdometerReading.objects.exists()
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 42_600  # as on the page: the odometer stays


def test_it_answers_an_out_of_order_reading_with_the_pages_messages(api, owner_client, vehicle):
    make_fill_up(vehicle, "2026-10-01", 42_100)
    data = {"date": "2026-10-15", "odometer_reading": "42050", "notes": ""}
    from_page = page_errors(owner_client.post(f"/vehicles/{vehicle.pk}/odometer/add/", data))
    from_api = api_errors(
        api.post("/api/v1/odometer-readings/", {"vehicle": str(vehicle.pk), **data})
    )
    assert from_page["odometer_reading"][0].startswith("Must be more than 42,100 mi")
    assert from_api == from_page
    assert not OdometerReading.objects.exists()


def test_it_cannot_record_on_another_owners_vehicle(api, other_user, make_vehicle):
    theirs = make_vehicle(other_user, odometer_reading=10)
    response = api.post(
        "/api/v1/odometer-readings/",
        {"vehicle": str(theirs.pk), "date": "2026-11-01", "odometer_reading": 500},
    )
    assert list(api_errors(response)) == ["vehicle"]
    theirs.refresh_from_db()
    assert theirs.odometer_reading == 10 and not OdometerReading.objects.exists()


def test_it_keeps_a_reading_on_its_vehicle(api, vehicle, owner, make_vehicle):
    reading = OdometerReading.objects.create(
        vehicle=vehicle, date="2026-11-01", odometer_reading=42_500
    )
    truck = make_vehicle(owner, nickname="Truck")
    api.patch(f"/api/v1/odometer-readings/{reading.pk}/", {"vehicle": str(truck.pk)})
    reading.refresh_from_db()
    assert reading.vehicle == vehicle


def test_it_filters_readings_by_vehicle_and_dates(api, vehicle, owner, make_vehicle):
    truck = make_vehicle(owner, nickname="Truck", odometer_reading=100)
    for day, reading in (("2026-01-10", 42_100), ("2026-03-10", 42_400)):
        OdometerReading.objects.create(vehicle=vehicle, date=day, odometer_reading=reading)
    OdometerReading.objects.create(vehicle=truck, date="2026-03-11", odometer_reading=500)
    listed = api.get(
        "/api/v1/odometer-readings/", {"vehicle": str(vehicle.pk), "date_from": "2026-02-01"}
    ).json()
    assert [item["odometer_reading"] for item in listed["items"]] == [42_400]
    assert listed["count"] == 1
    everything = api.get("/api/v1/odometer-readings/").json()
    assert [item["date"] for item in everything["items"]] == [
        "2026-03-11",
        "2026-03-10",
        "2026-01-10",
    ]
    wrong = api.get(
        "/api/v1/odometer-readings/", {"date_from": "2026-03-01", "date_to": "2026-01-01"}
    )
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {"date_to": ["The end date is before the start date."]}


@pytest.mark.parametrize("count", [1, 1000])
def test_it_lists_readings_in_a_fixed_number_of_queries(
    api, vehicle, django_assert_num_queries, count
):
    OdometerReading.objects.bulk_create(
        OdometerReading(
            user=vehicle.user,
            vehicle=vehicle,
            date=dt.date(2020, 1, 1) + dt.timedelta(days=i),
            odometer_reading=i,
        )
        for i in range(count)
    )
    api.get("/api/v1/vehicles/")  # the token's last use is written at most once a minute
    # the token with its owner, the owner's preferences, the page with vehicles, the count
    with django_assert_num_queries(4):
        response = api.get("/api/v1/odometer-readings/")
    assert len(response.json()["items"]) == min(count, 25)
