from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from accounts.models import Preferences
from fuellogs.models import FuelLog
from fuellogs.tests.conftest import form_data


def admin_data(vehicle, **fields):
    """The admin's add form as staff fill it in: the gallons left for the rules to compute."""
    staff = {"gallons": "", "price_per_gallon": "3.000", "total_cost": "30.00", "station_name": ""}
    return form_data(vehicle, **{**staff, **fields})


def test_it_saves_with_the_vehicles_owner_and_the_same_rules(admin_client, owner, vehicle):
    response = admin_client.post("/admin/fuellogs/fuellog/add/", admin_data(vehicle))
    assert response.status_code == 302
    log = FuelLog.objects.get()
    assert log.user == owner
    assert log.gallons == Decimal("10.000")
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 43_000


def test_it_applies_the_fuel_log_rules(admin_client, vehicle, make_log):
    make_log("2025-05-01", 44_000)
    response = admin_client.post("/admin/fuellogs/fuellog/add/", admin_data(vehicle))
    assert "Must be more than 44,000 mi" in response.content.decode()
    assert FuelLog.objects.count() == 1


def test_it_refuses_a_date_in_the_future(admin_client, vehicle):
    tomorrow = timezone.localdate() + timedelta(days=1)
    response = admin_client.post("/admin/fuellogs/fuellog/add/", admin_data(vehicle, date=tomorrow))
    assert response.context["adminform"].form.errors["date"] == [
        "The date cannot be in the future."
    ]
    assert not FuelLog.objects.exists()


def test_it_refuses_a_deleted_vehicle(admin_client, owner, make_vehicle):
    gone = make_vehicle(owner, deleted_at=timezone.now())
    response = admin_client.post("/admin/fuellogs/fuellog/add/", admin_data(gone))
    assert response.status_code == 200
    assert not FuelLog.objects.exists()


def test_it_lists_and_searches_by_vin_and_station(admin_client, vehicle, make_log):
    make_log("2025-05-01", 42_100, station_name="Costco Gas")
    response = admin_client.get("/admin/fuellogs/fuellog/", {"q": vehicle.vin})
    assert "Daily driver" in response.content.decode()
    assert (
        admin_client.get("/admin/fuellogs/fuellog/", {"q": "Costco"}).context["cl"].result_count
        == 1
    )
    assert (
        admin_client.get("/admin/fuellogs/fuellog/", {"q": "Arco"}).context["cl"].result_count == 0
    )


def test_it_labels_an_owners_amounts_with_their_currency(admin_client, owner, vehicle, make_log):
    # The staff member reads dollars; the owner pays in euros.
    Preferences.objects.update_or_create(user=owner, defaults={"currency": "EUR"})
    log = make_log(timezone.localdate(), 43_000)
    page = admin_client.get(f"/admin/fuellogs/fuellog/{log.pk}/change/").content.decode()
    assert "Total cost (€)" in page
    assert "Total cost ($)" not in page
