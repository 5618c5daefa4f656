import pickle

import pytest
from django.core.cache import cache
from django.urls import reverse

from conftest import make_vin
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from vehicles.cache import vehicle_list_key
from vehicles.listing import owner_vehicle_list
from vehicles.models import Vehicle
from vehicles.tests.conftest import FORD_VIN, vpic_url

BMW_VIN = "WBA3A5C51CF256987"  # real, built outside North America: no check digit


def add_data(**fields):
    data = {"vin": make_vin(), "odometer_reading": "0", "action": "save"}
    data.update(fields)
    return data


# ---- list ----


def test_it_lists_the_owners_vehicles_active_first(owner_client, owner, other_user, make_vehicle):
    make_vehicle(owner, nickname="Sold van", is_active=False)
    make_vehicle(owner, nickname="Weekend car", license_plate="ABC 123", odometer_reading=12345)
    make_vehicle(other_user, nickname="Bob's car")
    make_vehicle(owner, nickname="Gone").soft_delete()

    response = owner_client.get(reverse("vehicles:index"))

    page = response.content.decode()
    assert "Weekend car" in page and "Sold van" in page
    assert page.index("Weekend car") < page.index("Sold van")
    assert "ABC 123" in page and "12,345 mi" in page
    assert "Bob&#x27;s car" not in page and "Gone" not in page
    assert "Recently deleted" in page


def test_it_filters_inactive_vehicles(owner_client, owner, make_vehicle):
    make_vehicle(owner, nickname="Sold van", is_active=False)
    make_vehicle(owner, nickname="Weekend car")

    page = owner_client.get(reverse("vehicles:index"), {"show": "inactive"}).content.decode()

    assert "Sold van" in page and "Weekend car" not in page


def test_it_invites_a_new_owner_to_add_a_vehicle(owner_client):
    response = owner_client.get(reverse("vehicles:index"))
    assert "Add your first vehicle" in response.content.decode()
    assert reverse("vehicles:add") in response.content.decode()


def test_it_pages_25_vehicles_at_a_time(owner_client, owner):
    Vehicle.objects.bulk_create(
        Vehicle(user=owner, vin=make_vin(), nickname=f"Car {n:02d}") for n in range(30)
    )
    first = owner_client.get(reverse("vehicles:index"))
    second = owner_client.get(reverse("vehicles:index"), {"page": 2})
    assert len(first.context["page_obj"].object_list) == 25
    assert len(second.context["page_obj"].object_list) == 5
    assert "Page 2 of 2" in second.content.decode()


@pytest.mark.parametrize("count", [1, 200])
def test_it_lists_in_a_fixed_number_of_queries(
    owner_client, owner, count, django_assert_num_queries, no_page_cache
):
    Vehicle.objects.bulk_create(Vehicle(user=owner, vin=make_vin()) for _ in range(count))
    # Session, user, vehicles, count of deleted vehicles.
    with django_assert_num_queries(4):
        owner_client.get(reverse("vehicles:index"))
    # Cached for the next five minutes: session and user only.
    with django_assert_num_queries(2):
        owner_client.get(reverse("vehicles:index"))


def test_it_caches_the_list_per_owner_as_plain_values(owner_client, owner, vehicle):
    owner_client.get(reverse("vehicles:index"))
    cached = cache.get(vehicle_list_key(owner.pk))
    assert [row["id"] for row in cached["rows"]] == [vehicle.pk]
    # Field values only: an instance would fail to unpickle once the model changes.
    assert b"django.db.models" not in pickle.dumps(cached)


# ---- the list never goes stale ----


def prime_list(client):
    client.get(reverse("vehicles:index"))


def listed(client) -> list[str]:
    """The names in the list's table."""
    page_obj = client.get(reverse("vehicles:index")).context["page_obj"]
    return [vehicle.display_name for vehicle in page_obj]


def test_it_shows_an_added_vehicle_at_once(owner_client):
    prime_list(owner_client)
    owner_client.post(reverse("vehicles:add"), add_data(nickname="New car"))
    assert "New car" in listed(owner_client)


def test_it_shows_an_edit_at_once(owner_client, vehicle):
    prime_list(owner_client)
    owner_client.post(
        reverse("vehicles:edit", args=[vehicle.pk]),
        {"vin": vehicle.vin, "nickname": "Renamed", "odometer_reading": 42000, "is_active": "on"},
    )
    assert "Renamed" in listed(owner_client)


def test_it_hides_a_deleted_vehicle_at_once(owner_client, vehicle):
    prime_list(owner_client)
    owner_client.post(reverse("vehicles:delete", args=[vehicle.pk]))
    assert "Daily driver" not in listed(owner_client)


def test_it_shows_a_restored_vehicle_at_once(owner_client, vehicle):
    vehicle.soft_delete()
    prime_list(owner_client)
    owner_client.post(reverse("vehicles:restore", args=[vehicle.pk]))
    assert "Daily driver" in listed(owner_client)


# ---- add ----


def test_it_adds_a_vehicle_with_a_normalized_vin(owner_client, owner):
    response = owner_client.post(
        reverse("vehicles:add"),
        add_data(
            vin=" 1ftmw1t88-mfa00001 ",
            year="2021",
            make="Ford",
            model="F-150",
            license_plate=" abc  123 ",
            odometer_reading="1200",
        ),
    )
    vehicle = Vehicle.objects.get(user=owner)
    assert response.status_code == 302
    assert response["Location"] == reverse("vehicles:detail", args=[vehicle.pk])
    assert (vehicle.vin, vehicle.year, vehicle.make, vehicle.model) == (
        FORD_VIN,
        2021,
        "Ford",
        "F-150",
    )
    assert (vehicle.license_plate, vehicle.odometer_reading) == ("ABC 123", 1200)
    assert vehicle.is_active and not vehicle.vin_check_digit_waived


def test_it_refuses_a_bad_check_digit_without_the_override(owner_client, owner):
    response = owner_client.post(reverse("vehicles:add"), add_data(vin=BMW_VIN))
    assert "should be “7”, not “1”" in response.content.decode()
    assert not Vehicle.objects.exists()


def test_it_remembers_the_check_digit_override(owner_client, owner):
    owner_client.post(reverse("vehicles:add"), add_data(vin=BMW_VIN, vin_check_digit_waived="on"))
    assert Vehicle.objects.get(user=owner).vin_check_digit_waived


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"vin": ""}, "Give a vehicle without a VIN a nickname, or fill in its make and model."),
        ({"vin": "x" * 65}, "Ensure this value has at most 64 characters"),
        ({"vin": "1FTMW1T88MFA0000"}, "A VIN has 17 characters; this one has 16."),
        ({"year": "1700"}, "Enter a model year from 1886 to"),
        ({"year": "99999999999"}, "Enter a model year from 1886 to"),
        ({"year": "soon"}, "Enter a whole number."),
        ({"odometer_reading": "-5"}, "Ensure this value is greater than or equal to 0."),
        ({"odometer_reading": "10000000000"}, "Ensure this value is less than or equal to"),
        ({"make": "x" * 101}, "Ensure this value has at most 100 characters"),
    ],
)
def test_it_explains_bad_input(owner_client, fields, message):
    response = owner_client.post(reverse("vehicles:add"), add_data(**fields))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Vehicle.objects.exists()


def test_it_refuses_a_vin_the_owner_already_has(owner_client, vehicle):
    response = owner_client.post(reverse("vehicles:add"), add_data(vin=vehicle.vin))
    assert "You already have this vehicle: Daily driver." in response.content.decode()
    assert Vehicle.objects.count() == 1


def test_it_goes_to_the_vehicle_when_its_form_is_posted_again(owner_client, owner):
    data = add_data(nickname="Weekend car")
    owner_client.post(reverse("vehicles:add"), data, follow=True)
    response = owner_client.post(reverse("vehicles:add"), data, follow=True)
    vehicle = Vehicle.objects.get()
    assert response.redirect_chain == [(vehicle.get_absolute_url(), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "This vehicle was already saved a moment ago; it was not added twice."
    ]


def test_it_stores_a_vehicle_without_a_vin_once_when_its_form_is_posted_again(owner_client):
    data = add_data(vin="", nickname="Trailer")
    owner_client.post(reverse("vehicles:add"), data, follow=True)
    response = owner_client.post(reverse("vehicles:add"), data, follow=True)
    vehicle = Vehicle.objects.get()
    assert response.redirect_chain == [(vehicle.get_absolute_url(), 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "This vehicle was already saved a moment ago; it was not added twice."
    ]
    # Another vehicle without a VIN is another vehicle.
    owner_client.post(reverse("vehicles:add"), {**data, "nickname": "Boat trailer"})
    assert Vehicle.objects.count() == 2


def test_it_refuses_another_vehicle_with_a_vin_just_added(owner_client, owner):
    data = add_data(nickname="Weekend car")
    owner_client.post(reverse("vehicles:add"), data)
    response = owner_client.post(reverse("vehicles:add"), {**data, "nickname": "Other"})
    assert "You already have this vehicle: Weekend car." in response.content.decode()
    assert Vehicle.objects.count() == 1


def test_it_accepts_a_vin_another_owner_has(owner_client, owner, other_user, make_vehicle):
    theirs = make_vehicle(other_user)
    owner_client.post(reverse("vehicles:add"), add_data(vin=theirs.vin))
    assert Vehicle.objects.filter(user=owner, vin=theirs.vin).exists()


def test_it_offers_to_restore_a_deleted_vehicle_on_re_add(owner_client, vehicle):
    vehicle.soft_delete()
    response = owner_client.post(reverse("vehicles:add"), add_data(vin=vehicle.vin))
    page = response.content.decode()
    assert "You deleted a vehicle with this VIN" in page
    assert reverse("vehicles:restore", args=[vehicle.pk]) in page
    assert "Restore Daily driver" in page
    assert Vehicle.objects.count() == 1

    owner_client.post(reverse("vehicles:restore", args=[vehicle.pk]))
    vehicle.refresh_from_db()
    assert vehicle.deleted_at is None


def test_it_adds_vehicles_without_a_vin(owner_client, owner):
    for nickname in ("Boat trailer", "Tractor"):
        owner_client.post(reverse("vehicles:add"), add_data(vin="", nickname=nickname))
    assert sorted(Vehicle.objects.filter(user=owner).values_list("nickname", "vin")) == [
        ("Boat trailer", ""),
        ("Tractor", ""),
    ]


def test_it_adds_an_older_serial_without_asking_vpic(mocked_vpic, owner_client, owner):
    data = add_data(vin="7R01C123456", vin_is_serial="on", year="1967", make="Ford")
    response = owner_client.post(reverse("vehicles:add"), {**data, "model": "Mustang"})
    vehicle = Vehicle.objects.get(user=owner)
    assert (vehicle.vin, vehicle.vin_is_serial) == ("7R01C123456", True)

    page = owner_client.get(response.url).content.decode()
    assert "<h1>1967 Ford Mustang" in page
    assert '<dt>Serial number</dt><dd class="vin">7R01C123456</dd>' in page
    assert "<dt>VIN</dt>" not in page
    assert len(mocked_vpic.calls) == 0


def test_it_shows_no_vin_for_a_vehicle_without_one(owner_client, owner, make_vehicle):
    vehicle = make_vehicle(owner, vin="", nickname="", year=1967, make="Ford", model="Mustang")
    page = owner_client.get(vehicle.get_absolute_url()).content.decode()
    assert "<h1>1967 Ford Mustang" in page
    assert "<dt>VIN</dt>" not in page and "Serial number" not in page


def test_it_labels_the_serial_choice_on_the_add_page(owner_client):
    page = owner_client.get(reverse("vehicles:add")).content.decode()
    assert "VIN or serial (optional)" in page
    assert "This is an older serial number (before 1981)" in page


# ---- decode ----


def test_it_decodes_into_the_form_without_javascript(mocked_vpic, ford_response, owner_client):
    mocked_vpic.get(vpic_url(FORD_VIN), json=ford_response)
    response = owner_client.post(
        reverse("vehicles:add"),
        add_data(vin="1ftmw1t88mfa00001", action="decode", nickname="Truck", make="typed"),
    )
    form = response.context["form"]
    assert form["vin"].value() == FORD_VIN
    assert (form["make"].value(), form["model"].value(), form["year"].value()) == (
        "Ford",
        "F-150",
        "2021",
    )
    assert form["nickname"].value() == "Truck"
    page = response.content.decode()
    assert "Decoded: <strong>2021 Ford F-150</strong> · Pickup · 6 cyl, 3.5 L, Gasoline" in page
    assert not Vehicle.objects.exists()


def test_it_shows_why_a_vin_cannot_be_decoded(mocked_vpic, owner_client):
    response = owner_client.post(
        reverse("vehicles:add"), add_data(vin="1FTMW1T88MFO00001", action="decode")
    )
    assert "found “O” at position 12" in response.content.decode()
    assert len(mocked_vpic.calls) == 0


def test_it_decodes_offline_when_vpic_is_down(mocked_vpic, owner_client):
    mocked_vpic.get(vpic_url(BMW_VIN), status=503)
    response = owner_client.post(
        reverse("vehicles:add"),
        add_data(vin=BMW_VIN, vin_check_digit_waived="on", action="decode"),
    )
    form = response.context["form"]
    assert (form["make"].value(), form["model"].value(), form["year"].value()) == (
        "BMW",
        "328i",
        "2012",
    )
    assert "vPIC could not be reached" in response.content.decode()


def test_it_decodes_to_json(mocked_vpic, ford_response, owner_client):
    mocked_vpic.get(vpic_url(FORD_VIN), json=ford_response)
    response = owner_client.get(reverse("vehicles:decode"), {"vin": "1FTMW1T88-MFA00001"})
    assert response.json() == {
        "vin": FORD_VIN,
        "make": "Ford",
        "model": "F-150",
        "year": 2021,
        "engine_type": "6 cyl, 3.5 L, Gasoline",
        "body_type": "Pickup",
        "source": "vpic",
        "notes": [],
    }


def test_it_never_sends_a_serial_to_vpic(mocked_vpic, owner_client):
    response = owner_client.get(
        reverse("vehicles:decode"), {"vin": "7R01C123456", "vin_is_serial": "on"}
    )
    assert response.status_code == 400
    assert "cannot be decoded" in response.json()["errors"]["vin"][0]["message"]
    response = owner_client.post(
        reverse("vehicles:add"), add_data(vin="7R01C123456", vin_is_serial="on", action="decode")
    )
    assert "An older serial number cannot be decoded" in response.content.decode()
    assert len(mocked_vpic.calls) == 0


def test_it_explains_an_invalid_vin_in_json(mocked_vpic, owner_client):
    response = owner_client.get(reverse("vehicles:decode"), {"vin": BMW_VIN})
    assert response.status_code == 400
    [error] = response.json()["errors"]["vin"]
    assert "should be “7”, not “1”" in error["message"]
    assert len(mocked_vpic.calls) == 0


def test_it_decodes_to_json_with_the_override(mocked_vpic, owner_client):
    mocked_vpic.get(vpic_url(BMW_VIN), status=500)
    response = owner_client.get(
        reverse("vehicles:decode"), {"vin": BMW_VIN, "vin_check_digit_waived": "on"}
    )
    assert response.json()["make"] == "BMW"
    assert response.json()["source"] == "offline"


# ---- edit ----


def test_it_edits_a_vehicle(owner_client, vehicle):
    response = owner_client.post(
        reverse("vehicles:edit", args=[vehicle.pk]),
        {
            "vin": vehicle.vin,
            "nickname": "Old faithful",
            "color": "Blue",
            "odometer_reading": 43000,
        },
    )
    vehicle.refresh_from_db()
    assert response["Location"] == reverse("vehicles:detail", args=[vehicle.pk])
    assert (vehicle.nickname, vehicle.color, vehicle.odometer_reading) == (
        "Old faithful",
        "Blue",
        43000,
    )
    assert not vehicle.is_active  # the box was not checked: sold or stored


def test_it_refuses_to_edit_a_vin_into_a_duplicate(owner_client, owner, vehicle, make_vehicle):
    other = make_vehicle(owner, nickname="Second")
    response = owner_client.post(
        reverse("vehicles:edit", args=[other.pk]),
        {"vin": vehicle.vin, "odometer_reading": 0, "is_active": "on"},
    )
    assert "You already have this vehicle: Daily driver." in response.content.decode()
    other.refresh_from_db()
    assert other.vin != vehicle.vin


# ---- delete, recently deleted, restore ----


def test_it_asks_before_deleting(owner_client, vehicle):
    response = owner_client.get(reverse("vehicles:delete", args=[vehicle.pk]))
    assert "Delete Daily driver?" in response.content.decode()
    vehicle.refresh_from_db()
    assert vehicle.deleted_at is None


def test_it_soft_deletes_and_keeps_the_history(owner_client, owner, vehicle):
    log = FuelLog.objects.create(
        user=owner, vehicle=vehicle, date="2025-01-01", odometer_reading=41_000, gallons=10
    )
    record = MaintenanceRecord.objects.create(
        user=owner, vehicle=vehicle, type="oil_change", due_mileage=45_000
    )
    response = owner_client.post(reverse("vehicles:delete", args=[vehicle.pk]))
    assert response["Location"] == reverse("vehicles:index")
    vehicle.refresh_from_db()
    assert vehicle.deleted_at is not None
    assert owner_client.get(reverse("vehicles:detail", args=[vehicle.pk])).status_code == 404
    assert FuelLog.objects.filter(pk=log.pk).exists()
    assert MaintenanceRecord.objects.filter(pk=record.pk).exists()


def test_it_lists_recently_deleted_vehicles(owner_client, owner, vehicle, make_vehicle):
    make_vehicle(owner, nickname="Still here")
    vehicle.soft_delete()
    page = owner_client.get(reverse("vehicles:deleted")).content.decode()
    assert "Daily driver" in page and "Still here" not in page
    assert reverse("vehicles:restore", args=[vehicle.pk]) in page


def test_it_restores_only_by_post(owner_client, vehicle):
    vehicle.soft_delete()
    assert owner_client.get(reverse("vehicles:restore", args=[vehicle.pk])).status_code == 405
    response = owner_client.post(reverse("vehicles:restore", args=[vehicle.pk]))
    assert response["Location"] == reverse("vehicles:detail", args=[vehicle.pk])
    vehicle.refresh_from_db()
    assert vehicle.deleted_at is None


# ---- another owner's vehicle is a 404 everywhere ----

OBJECT_URLS = [
    ("vehicles:detail", "get"),
    ("vehicles:edit", "get"),
    ("vehicles:edit", "post"),
    ("vehicles:delete", "get"),
    ("vehicles:delete", "post"),
    ("vehicles:restore", "post"),
]


@pytest.mark.parametrize("deleted", [False, True], ids=["live", "deleted"])
@pytest.mark.parametrize(("name", "method"), OBJECT_URLS)
def test_it_hides_another_owners_vehicle(other_client, vehicle, name, method, deleted):
    if deleted:
        vehicle.soft_delete()
    response = getattr(other_client, method)(
        reverse(name, args=[vehicle.pk]),
        {"vin": make_vin(), "odometer_reading": 0} if method == "post" else {},
    )
    assert response.status_code == 404
    vehicle.refresh_from_db()
    assert vehicle.nickname == "Daily driver"
    assert (vehicle.deleted_at is not None) == deleted


def test_it_hides_another_owners_vehicles_from_lists(other_client, vehicle):
    assert vehicle.vin not in other_client.get(reverse("vehicles:index")).content.decode()
    vehicle.soft_delete()
    assert vehicle.vin not in other_client.get(reverse("vehicles:deleted")).content.decode()


def test_it_reads_a_list_cached_before_a_field_was_added_or_dropped(owner, vehicle):
    owner_vehicle_list(owner)
    cached = cache.get(vehicle_list_key(owner.pk))
    for row in cached["rows"]:
        del row["license_plate"]  # written by code that had no such field yet
        row["retired_field"] = 1  # or that had one the model has since dropped
    cache.set(vehicle_list_key(owner.pk), cached)
    (listed,) = owner_vehicle_list(owner)["vehicles"]
    assert (listed.pk, listed.nickname, listed.license_plate) == (vehicle.pk, "Daily driver", "")


# ---- units ----


def german(client):
    """The client's owner reads de-DE, euros and L/100 km (as their session carries it)."""
    session = client.session
    session["regional"] = {
        "locale": "de-DE",
        "currency": "EUR",
        "economy_unit": "l_100km",
        "electric_economy_unit": "kwh_100km",
    }
    session.save()
    return client


def test_it_offers_a_us_owner_miles_and_us_gallons(owner_client, owner):
    page = owner_client.get(reverse("vehicles:add")).content.decode()
    assert '<option value="mi" selected>Miles</option>' in page
    assert '<option value="gal_us" selected>US gallons</option>' in page
    assert "Odometer (miles)" in page

    owner_client.post(reverse("vehicles:add"), add_data(odometer_reading="12,345"))

    vehicle = Vehicle.objects.get(user=owner)
    assert (vehicle.distance_unit, vehicle.fuel_unit, vehicle.odometer_reading) == (
        "mi",
        "gal_us",
        12_345,
    )


def test_it_offers_a_german_owner_kilometers_and_liters(owner_client, owner):
    german(owner_client)
    page = owner_client.get(reverse("vehicles:add")).content.decode()
    assert '<option value="km" selected>Kilometers</option>' in page
    assert '<option value="l" selected>Liters</option>' in page
    assert "Odometer (kilometers)" in page

    # Without the unit fields (an older page), the owner's units; the odometer read their way.
    owner_client.post(reverse("vehicles:add"), add_data(odometer_reading="123.456"))

    vehicle = Vehicle.objects.get(user=owner)
    assert (vehicle.distance_unit, vehicle.fuel_unit, vehicle.odometer_reading) == (
        "km",
        "l",
        123_456,
    )


def test_it_adds_a_vehicle_in_the_units_chosen(owner_client, owner):
    owner_client.post(
        reverse("vehicles:add"),
        add_data(distance_unit="mi", fuel_unit="gal_uk", odometer_reading="80000"),
    )
    vehicle = Vehicle.objects.get(user=owner)
    assert (vehicle.distance_unit, vehicle.fuel_unit) == ("mi", "gal_uk")
    page = owner_client.get(reverse("vehicles:index")).content.decode()
    assert "80,000 mi" in page


def test_it_refuses_a_unit_it_does_not_know(owner_client, owner):
    response = owner_client.post(reverse("vehicles:add"), add_data(distance_unit="furlong"))
    assert "Select a valid choice. furlong is not one of the available choices." in (
        response.content.decode()
    )
    assert not Vehicle.objects.filter(user=owner).exists()


def test_it_lists_a_german_owners_vehicle_their_way(owner_client, owner, make_vehicle):
    make_vehicle(owner, distance_unit="km", fuel_unit="l", odometer_reading=123_456)
    page = german(owner_client).get(reverse("vehicles:index")).content.decode()
    assert "123.456 km" in page
