from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from vehicles.listing import owner_vehicle_list
from vehicles.models import VinCache
from vehicles.tests.conftest import FORD_VIN, vpic_url


def test_it_shows_soft_deleted_vehicles_to_admins(admin_client, vehicle):
    vehicle.soft_delete()
    page = admin_client.get(reverse("admin:vehicles_vehicle_changelist")).content.decode()
    assert vehicle.vin in page


def test_it_filters_deleted_vehicles(admin_client, owner, vehicle, make_vehicle):
    gone = make_vehicle(owner, nickname="Gone")
    gone.soft_delete()
    response = admin_client.get(reverse("admin:vehicles_vehicle_changelist"), {"deleted": "yes"})
    assert list(response.context["cl"].result_list) == [gone]


def test_it_searches_vehicles_by_owner(admin_client, vehicle):
    response = admin_client.get(reverse("admin:vehicles_vehicle_changelist"), {"q": "alice"})
    assert list(response.context["cl"].result_list) == [vehicle]


def test_it_validates_the_vin_in_the_admin(admin_client, vehicle):
    url = reverse("admin:vehicles_vehicle_change", args=[vehicle.pk])
    response = admin_client.post(
        url,
        {"user": vehicle.user_id, "vin": "WBA3A5C51CF256987", "odometer_reading": 0},
    )
    assert "should be “7”, not “1”" in response.content.decode()
    vehicle.refresh_from_db()
    assert vehicle.vin != "WBA3A5C51CF256987"


def vehicle_post(vehicle, **fields) -> dict:
    return {
        "vin": vehicle.vin,
        "make": vehicle.make,
        "model": vehicle.model,
        "nickname": vehicle.nickname,
        "odometer_reading": vehicle.odometer_reading,
        "is_active": "on",
        **fields,
    }


def test_it_never_moves_a_vehicle_and_its_history_to_another_owner(
    admin_client, vehicle, other_user
):
    url = reverse("admin:vehicles_vehicle_change", args=[vehicle.pk])
    response = admin_client.post(url, vehicle_post(vehicle, user=other_user.pk))
    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.user.username == "alice"
    assert 'name="user"' not in admin_client.get(url).content.decode()


def test_it_shows_an_admins_edit_on_the_owners_vehicle_list_at_once(admin_client, owner, vehicle):
    owner_vehicle_list(owner)
    url = reverse("admin:vehicles_vehicle_change", args=[vehicle.pk])
    admin_client.post(url, vehicle_post(vehicle, nickname="Renamed by staff"))
    assert owner_vehicle_list(owner)["vehicles"][0].nickname == "Renamed by staff"


def test_it_searches_by_plate_and_filters_by_year(admin_client, owner, vehicle, make_vehicle):
    older = make_vehicle(owner, license_plate="OLD 123", year=1999)
    changelist = reverse("admin:vehicles_vehicle_changelist")
    response = admin_client.get(changelist, {"q": "OLD 123"})
    assert list(response.context["cl"].result_list) == [older]
    response = admin_client.get(changelist, {"year": 1999})
    assert list(response.context["cl"].result_list) == [older]


def test_it_lists_the_vin_cache_with_age(admin_client):
    VinCache.objects.create(
        vin=FORD_VIN, make="Ford", model="F-150", cached_at=timezone.now() - timedelta(days=3)
    )
    page = admin_client.get(reverse("admin:vehicles_vincache_changelist")).content.decode()
    assert "F-150" in page and "3\xa0days" in page


def test_it_keeps_the_vin_cache_read_only(admin_client):
    VinCache.objects.create(vin=FORD_VIN, make="Ford", model="F-150")
    assert admin_client.get(reverse("admin:vehicles_vincache_add")).status_code == 403
    response = admin_client.post(
        reverse("admin:vehicles_vincache_change", args=[FORD_VIN]), {"make": "Edited"}
    )
    assert response.status_code == 403
    assert VinCache.objects.get().make == "Ford"
    delete = reverse("admin:vehicles_vincache_delete", args=[FORD_VIN])
    assert admin_client.post(delete, {"post": "yes"}).status_code == 403
    changelist = admin_client.get(reverse("admin:vehicles_vincache_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    assert VinCache.objects.exists()


def test_it_refreshes_selected_entries(admin_client, mocked_vpic, ford_response):
    old = timezone.now() - timedelta(days=40)
    VinCache.objects.create(vin=FORD_VIN, make="Ford", model="Old", cached_at=old)
    mocked_vpic.get(vpic_url(FORD_VIN), json=ford_response)
    response = admin_client.post(
        reverse("admin:vehicles_vincache_changelist"),
        {"action": "refresh", "_selected_action": [FORD_VIN]},
        follow=True,
    )
    assert "Refreshed 1 entry." in response.content.decode()
    row = VinCache.objects.get()
    assert row.model == "F-150" and row.cached_at > old


def test_it_reports_a_failed_refresh(admin_client, mocked_vpic):
    VinCache.objects.create(vin=FORD_VIN, make="Ford", model="Kept")
    mocked_vpic.get(vpic_url(FORD_VIN), status=500)
    response = admin_client.post(
        reverse("admin:vehicles_vincache_changelist"),
        {"action": "refresh", "_selected_action": [FORD_VIN]},
        follow=True,
    )
    assert f"Could not refresh {FORD_VIN}" in response.content.decode()
    assert VinCache.objects.get().model == "Kept"


def test_it_stores_a_pasted_vin_normalized_in_the_admin(admin_client, vehicle):
    url = reverse("admin:vehicles_vehicle_change", args=[vehicle.pk])
    response = admin_client.post(url, vehicle_post(vehicle, vin="1ftmw1t88-mfa 00001"))
    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.vin == FORD_VIN


def test_it_shows_and_filters_vehicles_by_their_units(admin_client, owner, vehicle, make_vehicle):
    golf = make_vehicle(owner, nickname="Golf", distance_unit="km", fuel_unit="l")
    url = reverse("admin:vehicles_vehicle_changelist")

    page = admin_client.get(url).content.decode()
    assert '<td class="field-distance_unit">Kilometers</td>' in page
    assert '<td class="field-fuel_unit">US gallons</td>' in page
    assert list(admin_client.get(url, {"distance_unit": "km"}).context["cl"].result_list) == [golf]
    assert list(admin_client.get(url, {"fuel_unit": "gal_us"}).context["cl"].result_list) == [
        vehicle
    ]


def test_it_keeps_the_units_out_of_an_admins_edit(admin_client, vehicle):
    """Every number of a vehicle is in its units: only the owner's edit page converts them."""
    url = reverse("admin:vehicles_vehicle_change", args=[vehicle.pk])
    admin_client.post(url, vehicle_post(vehicle, distance_unit="km", fuel_unit="l"))
    vehicle.refresh_from_db()
    assert (vehicle.distance_unit, vehicle.fuel_unit, vehicle.odometer_reading) == (
        "mi",
        "gal_us",
        42_000,
    )


def test_it_adds_a_vehicle_in_the_units_an_admin_chose(admin_client, owner):
    admin_client.post(
        reverse("admin:vehicles_vehicle_add"),
        {
            "user": owner.pk,
            "vin": "",
            "nickname": "Trailer",
            "odometer_reading": 0,
            "distance_unit": "km",
            "fuel_unit": "l",
        },
    )
    trailer = owner.vehicles.get()
    assert (trailer.distance_unit, trailer.fuel_unit) == ("km", "l")
