"""The resources: each lists, reads, creates, updates and deletes what the pages do, through
the pages' forms and services, and states its vehicle's units."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from conftest import make_fill_up
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from stations.models import FavoriteStation, Station
from vehicles.models import Vehicle
from vehicles.tests.conftest import FORD_VIN, vpic_url

TODAY = timezone.localdate


def fill_up(vehicle, **fields):
    return {
        "vehicle": str(vehicle.pk),
        "date": str(TODAY()),
        "odometer_reading": 42_350,
        "gallons": "11.2",
        "price_per_gallon": "3.499",
        **fields,
    }


# Vehicles


def test_it_adds_reads_changes_and_deletes_a_vehicle(api, owner):
    created = api.post(
        "/api/v1/vehicles/",
        {
            "make": "Toyota",
            "model": "Corolla",
            "year": 2015,
            "distance_unit": "km",
            "fuel_unit": "l",
            "odometer_reading": "120000",
            "license_plate": "ab 12  cd",
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["distance_unit"], body["fuel_unit"], body["license_plate"]) == (
        "km",
        "l",
        "AB 12 CD",
    )
    path = f"/api/v1/vehicles/{body['id']}/"
    assert api.get(path).json()["display_name"] == "2015 Toyota Corolla"
    changed = api.patch(path, {"nickname": "Commuter"})
    assert changed.status_code == 200
    vehicle = Vehicle.objects.get(pk=body["id"])
    assert (vehicle.nickname, vehicle.odometer_reading, vehicle.model) == (
        "Commuter",
        120_000,
        "Corolla",
    )
    assert api.delete(path).status_code == 204
    vehicle.refresh_from_db()
    assert vehicle.is_deleted
    assert api.get(path).status_code == 404


def test_it_refuses_a_vin_the_owner_already_has(api, vehicle):
    response = api.post("/api/v1/vehicles/", {"vin": vehicle.vin})
    assert response.status_code == 400
    assert response.json()["errors"]["vin"] == [
        f"You already have this vehicle: {vehicle.display_name}."
    ]


def test_it_leaves_a_change_of_units_to_the_page(api, vehicle):
    response = api.patch(f"/api/v1/vehicles/{vehicle.pk}/", {"distance_unit": "km"})
    assert response.status_code == 400
    assert "edit page" in response.json()["errors"]["distance_unit"][0]
    vehicle.refresh_from_db()
    assert vehicle.distance_unit == "mi"


def test_it_answers_the_vehicle_pages_fuel_figures(api, vehicle):
    make_fill_up(vehicle, "2026-10-01", 42_100)
    make_fill_up(vehicle, "2026-10-15", 42_400)  # 300 mi on 10 gal
    stats = api.get(f"/api/v1/vehicles/{vehicle.pk}/stats/").json()
    assert stats["fill_ups"] == 2
    assert stats["last_economy"] == "30.0" and stats["economy_unit"] == "MPG"
    assert stats["total_spent"] == "60.00"
    assert (stats["distance_unit"], stats["fuel_unit"]) == ("mi", "gal_us")


def test_it_decodes_a_vin(api, mocked, db):
    from vehicles.tests.conftest import load_fixture

    answer = load_fixture("1FTMW1T88MFA00001.decodevinvalues.capture.json")["content"]
    mocked.get(vpic_url(FORD_VIN), json=answer)
    decoded = api.get("/api/v1/vin/1FTMW1T88-MFA00001/").json()
    assert (decoded["make"], decoded["model"], decoded["year"], decoded["source"]) == (
        "Ford",
        "F-150",
        2021,
        "vpic",
    )


def test_it_decodes_from_the_vin_itself_when_vpic_is_down(api, mocked, db):
    mocked.get(vpic_url(FORD_VIN), status=503)
    response = api.get(f"/api/v1/vin/{FORD_VIN}/")
    assert response.status_code == 200
    assert response.json()["source"] == "offline"
    assert "vPIC could not be reached" in response.json()["notes"][0]


def test_it_says_why_a_vin_is_not_one(api, db):
    response = api.get("/api/v1/vin/1FTMW1T88MFA0000X/")
    assert response.status_code == 400
    assert response.json()["errors"]["vin"]


# Fuel logs


def test_it_logs_a_fill_up_and_raises_the_odometer(api, vehicle):
    response = api.post("/api/v1/fuel-logs/", fill_up(vehicle, station_name="Shell Main St"))
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["total_cost"] == "39.19" and body["computed_amount"] == "total_cost"
    assert (body["distance_unit"], body["fuel_unit"]) == ("mi", "gal_us")
    log = FuelLog.objects.get(pk=body["id"])
    assert log.station is not None and log.station.name == "Shell Main St"
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 42_350


def test_it_stores_a_fill_up_sent_twice_once(api, vehicle):
    first = api.post("/api/v1/fuel-logs/", fill_up(vehicle))
    again = api.post("/api/v1/fuel-logs/", fill_up(vehicle))
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert FuelLog.objects.count() == 1


def test_it_changes_and_deletes_a_fill_up(api, vehicle):
    log = make_fill_up(vehicle, "2026-10-01", 42_100, station_name="Old")
    path = f"/api/v1/fuel-logs/{log.pk}/"
    changed = api.patch(path, {"notes": "Receipt in the glovebox"})
    assert changed.status_code == 200, changed.content
    log.refresh_from_db()
    assert (log.notes, log.station_name, log.gallons) == (
        "Receipt in the glovebox",
        "Old",
        Decimal("10.000"),
    )
    assert api.delete(path).status_code == 204
    assert not FuelLog.objects.filter(pk=log.pk).exists()


def test_it_filters_fill_ups_as_the_fuel_page_does(api, vehicle, owner, make_vehicle):
    truck = make_vehicle(owner, nickname="Truck")
    make_fill_up(vehicle, "2026-01-10", 42_100)
    make_fill_up(vehicle, "2026-03-10", 42_400)
    make_fill_up(truck, "2026-03-11", 500)
    listed = api.get("/api/v1/fuel-logs/", {"vehicle": str(vehicle.pk), "date_from": "2026-02-01"})
    assert [item["odometer_reading"] for item in listed.json()["items"]] == [42_400]
    assert listed.json()["count"] == 1
    wrong = api.get("/api/v1/fuel-logs/", {"date_from": "2026-03-01", "date_to": "2026-01-01"})
    assert wrong.status_code == 400
    assert wrong.json()["errors"] == {"date_to": ["The end date is before the start date."]}


# Maintenance


def test_it_schedules_completes_and_deletes_a_service(api, vehicle):
    created = api.post(
        "/api/v1/maintenance/",
        {
            "vehicle": str(vehicle.pk),
            "type": "oil_change",
            "kind": "scheduled",
            "due_mileage": 42_300,
            "interval_months": 6,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["status"] == "due_soon" and body["distance_unit"] == "mi"
    path = f"/api/v1/maintenance/{body['id']}/"
    assert api.patch(path, {"notes": "Synthetic"}).json()["notes"] == "Synthetic"
    assert api.delete(path).status_code == 204
    assert not MaintenanceRecord.objects.exists()


def test_it_marks_a_scheduled_service_done_and_schedules_the_next(api, vehicle):
    """As the upcoming page's "Complete" does: today and the vehicle's odometer unless given,
    the odometer raised, the next occurrence of a recurring service scheduled."""
    scheduled = api.post(
        "/api/v1/maintenance/",
        {
            "vehicle": str(vehicle.pk),
            "type": "oil_change",
            "kind": "scheduled",
            "due_mileage": 42_300,
            "interval_months": 6,
        },
    ).json()
    path = f"/api/v1/maintenance/{scheduled['id']}/complete/"
    done = api.post(path, {"completed_mileage": 42_500, "cost": "49.90"})
    assert done.status_code == 200, done.content
    body = done.json()
    assert (body["completed"]["status"], body["completed"]["completed_date"]) == (
        "completed",
        str(TODAY()),
    )
    assert (body["completed"]["completed_mileage"], body["completed"]["cost"]) == (42_500, "49.90")
    assert body["next"]["status"] == "scheduled" and body["next"]["type"] == "oil_change"
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 42_500
    assert MaintenanceRecord.objects.filter(is_completed=False).count() == 1
    again = api.post(path, {})
    assert again.status_code == 400
    assert again.json()["errors"] == {"__all__": ["Oil change is already marked complete."]}


def test_it_words_a_completion_it_refuses_as_the_complete_page_does(api, vehicle):
    scheduled = api.post(
        "/api/v1/maintenance/",
        {"vehicle": str(vehicle.pk), "type": "battery", "kind": "scheduled", "due_mileage": 45_000},
    ).json()
    path = f"/api/v1/maintenance/{scheduled['id']}/complete/"
    refused = api.post(path, {"completed_date": "2099-01-01", "completed_mileage": -1})
    assert refused.status_code == 400
    assert refused.json()["errors"] == {
        "completed_date": ["The date cannot be in the future."],
        "completed_mileage": ["Ensure this value is greater than or equal to 0."],
    }
    assert not MaintenanceRecord.objects.get(pk=scheduled["id"]).is_completed


def test_it_logs_a_done_service_and_raises_the_odometer(api, vehicle):
    created = api.post(
        "/api/v1/maintenance/",
        {
            "vehicle": str(vehicle.pk),
            "type": "battery",
            "kind": "done",
            "completed_date": str(TODAY()),
            "completed_mileage": 43_000,
            "cost": "129.90",
        },
    )
    assert created.status_code == 201, created.content
    assert created.json()["cost"] == "129.90" and created.json()["status"] == "completed"
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 43_000


def test_it_filters_services_by_status(api, vehicle):
    MaintenanceRecord.objects.create(vehicle=vehicle, type="battery", due_mileage=41_000)
    MaintenanceRecord.objects.create(vehicle=vehicle, type="oil_change", due_mileage=90_000)
    overdue = api.get("/api/v1/maintenance/", {"status": "overdue"}).json()
    assert [item["type"] for item in overdue["items"]] == ["battery"]
    assert overdue["items"][0]["status_reason"]
    wrong = api.get("/api/v1/maintenance/", {"status": "soonish"})
    assert wrong.status_code == 400 and "status" in wrong.json()["errors"]


def test_it_lists_whats_upcoming_per_vehicle(api, vehicle, owner, make_vehicle):
    truck = make_vehicle(owner, nickname="Truck", odometer_reading=10)
    MaintenanceRecord.objects.create(vehicle=vehicle, type="battery", due_mileage=41_000)
    MaintenanceRecord.objects.create(vehicle=truck, type="oil_change", due_date=TODAY())
    everything = api.get("/api/v1/upcoming/").json()
    assert everything["count"] == 2
    mine = api.get("/api/v1/upcoming/", {"vehicle": str(vehicle.pk)}).json()
    assert [item["title"] for item in mine["items"]] == ["Battery"]
    assert mine["items"][0]["status"] == "overdue"


# Stations


def test_it_adds_renames_and_deletes_an_own_station(api, owner):
    created = api.post(
        "/api/v1/stations/favorites/",
        {"name": "Corner  garage", "latitude": "39.7990175", "longitude": -89.6439575},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["station"]["is_own"] and body["station"]["name"] == "Corner garage"
    assert body["station"]["latitude"] == "39.79901750"
    path = f"/api/v1/stations/favorites/{body['id']}/"
    assert api.patch(path, {"note": "Cheap diesel"}).json()["note"] == "Cheap diesel"
    assert api.delete(path).status_code == 204
    assert not Station.objects.filter(owner=owner).exists()


def test_it_saves_a_shared_station_and_keeps_it_when_removed(api, owner):
    shared = Station.objects.create(name="Shell on Main")
    created = api.post("/api/v1/stations/favorites/", {"station_id": str(shared.pk)})
    assert created.status_code == 201
    again = api.post("/api/v1/stations/favorites/", {"station_id": str(shared.pk)})
    assert again.status_code == 200 and again.json()["id"] == created.json()["id"]
    path = f"/api/v1/stations/favorites/{created.json()['id']}/"
    # A shared station's name is everyone's: only the note is the owner's (test_edges: a name
    # sent is refused).
    api.patch(path, {"note": "Open late"})
    assert FavoriteStation.objects.get(user=owner).note == "Open late"
    assert api.delete(path).status_code == 204
    assert Station.objects.filter(pk=shared.pk).exists()


def test_it_cannot_save_another_owners_station(api, other_user):
    theirs = Station.objects.create(name="Bob's", owner=other_user)
    assert (
        api.post("/api/v1/stations/favorites/", {"station_id": str(theirs.pk)}).status_code == 404
    )


# Lists


def test_it_pages_by_limit_and_offset(api, many_logs):
    many_logs(30)
    first = api.get("/api/v1/fuel-logs/").json()
    assert (first["count"], first["limit"], first["offset"], len(first["items"])) == (30, 25, 0, 25)
    rest = api.get("/api/v1/fuel-logs/", {"offset": 25, "limit": 10}).json()
    assert len(rest["items"]) == 5
    assert rest["items"][-1]["date"] == "2010-01-01"  # newest first, so the oldest is last
    assert api.get("/api/v1/fuel-logs/", {"limit": 101}).status_code == 400


@pytest.mark.parametrize("count", [1, 1000])
def test_it_lists_fill_ups_in_a_fixed_number_of_queries(
    api, many_logs, django_assert_num_queries, count
):
    many_logs(count)
    api.get("/api/v1/vehicles/")  # the token's last use is written at most once a minute
    # the token with its owner, the owner's preferences, the page of fill-ups with their
    # vehicles, the count
    with django_assert_num_queries(4):
        response = api.get("/api/v1/fuel-logs/")
    assert len(response.json()["items"]) == min(count, 25)


@pytest.mark.parametrize("count", [1, 1000])
def test_it_lists_services_in_a_fixed_number_of_queries(
    api, vehicle, django_assert_num_queries, count
):
    MaintenanceRecord.objects.bulk_create(
        MaintenanceRecord(
            user=vehicle.user,
            vehicle=vehicle,
            type="oil_change",
            due_date=dt.date(2030, 1, 1) + dt.timedelta(days=i),
        )
        for i in range(count)
    )
    api.get("/api/v1/vehicles/")
    # token, preferences, the owner's recent driving, the page with vehicles, the count
    with django_assert_num_queries(5):
        response = api.get("/api/v1/maintenance/")
    assert len(response.json()["items"]) == min(count, 25)


@pytest.mark.parametrize("count", [1, 1000])
def test_it_lists_vehicles_and_stations_in_a_fixed_number_of_queries(
    api, owner, django_assert_num_queries, count
):
    Vehicle.objects.bulk_create(
        Vehicle(user=owner, make="Honda", model="Accord", nickname=f"Car {i}") for i in range(count)
    )
    stations = Station.objects.bulk_create(
        Station(name=f"Station {i}", owner=owner, name_key=f"station {i}") for i in range(count)
    )
    FavoriteStation.objects.bulk_create(
        FavoriteStation(user=owner, station=station) for station in stations
    )
    api.get("/api/v1/upcoming/")
    # the token with its owner, the owner's preferences, the page, the count
    with django_assert_num_queries(4):
        vehicles = api.get("/api/v1/vehicles/")
    with django_assert_num_queries(4):
        favorites = api.get("/api/v1/stations/favorites/")
    assert vehicles.json()["count"] == favorites.json()["count"] == count
    assert len(favorites.json()["items"]) == min(count, 25)


@pytest.mark.parametrize("count", [1, 1000])
def test_it_lists_upcoming_services_in_a_fixed_number_of_queries(
    api, vehicle, django_assert_num_queries, count
):
    MaintenanceRecord.objects.bulk_create(
        MaintenanceRecord(
            user=vehicle.user,
            vehicle=vehicle,
            type="oil_change",
            due_date=TODAY() - dt.timedelta(days=i + 1),
        )
        for i in range(count)
    )
    api.get("/api/v1/vehicles/")
    # token, preferences, and the upcoming page's list as maintenance.upcoming makes it
    # (not cached yet): the owner's recent driving, the due services with their vehicles, the
    # renewals of repeating costs
    with django_assert_num_queries(5):
        response = api.get("/api/v1/upcoming/")
    assert response.json()["count"] == count
    assert len(response.json()["items"]) == min(count, 25)
