from django.core.cache import cache
from django.urls import reverse

from maintenance.models import MaintenanceRecord
from maintenance.tests.conftest import days
from maintenance.upcoming import upcoming_cache_key

CHANGELIST = reverse("admin:maintenance_maintenancerecord_changelist")


def listed(response):
    return [record.pk for record in response.context["cl"].result_list]


def test_it_searches_by_vin_description_and_location(
    admin_client, vehicle, owner, make_vehicle, make_record
):
    by_vin = make_record(vehicle)
    by_text = make_record(make_vehicle(owner), description="Rear pads", service_location="Joe's")
    assert listed(admin_client.get(CHANGELIST, {"q": vehicle.vin})) == [by_vin.pk]
    assert listed(admin_client.get(CHANGELIST, {"q": "rear pads"})) == [by_text.pk]
    assert listed(admin_client.get(CHANGELIST, {"q": "joe's"})) == [by_text.pk]


def test_it_filters_by_status_type_and_completion(admin_client, vehicle, make_record):
    overdue = make_record(vehicle, type="battery", due_date=days(-1))
    done = make_record(vehicle, is_completed=True)
    assert listed(admin_client.get(CHANGELIST, {"status": "overdue"})) == [overdue.pk]
    assert listed(admin_client.get(CHANGELIST, {"type": "battery"})) == [overdue.pk]
    assert listed(admin_client.get(CHANGELIST, {"is_completed__exact": "1"})) == [done.pk]
    page = admin_client.get(CHANGELIST).content.decode()
    assert "Daily driver" in page
    assert "alice" in page


def test_it_saves_and_deletes_through_the_same_rules(admin_client, vehicle, owner, make_record):
    record = make_record(vehicle, due_date=days(100))
    cache.set(upcoming_cache_key(owner.pk), [])
    response = admin_client.post(
        reverse("admin:maintenance_maintenancerecord_change", args=[record.pk]),
        {
            "user": owner.pk,
            "vehicle": vehicle.pk,
            "type": "oil_change",
            "is_completed": "on",
            "completed_date": days(0),
            "completed_mileage": 43_000,
            "_save": "Save",
        },
    )
    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 43_000
    assert cache.get(upcoming_cache_key(owner.pk)) is None

    cache.set(upcoming_cache_key(owner.pk), [])
    admin_client.post(
        reverse("admin:maintenance_maintenancerecord_delete", args=[record.pk]), {"post": "yes"}
    )
    assert not MaintenanceRecord.objects.exists()
    assert cache.get(upcoming_cache_key(owner.pk)) is None


def test_it_saves_a_record_as_its_vehicles_owner_whatever_is_posted(
    admin_client, vehicle, owner, other_user
):
    response = admin_client.post(
        reverse("admin:maintenance_maintenancerecord_add"),
        {"user": other_user.pk, "vehicle": vehicle.pk, "type": "battery", "due_date": days(3)},
    )
    assert response.status_code == 302
    assert MaintenanceRecord.objects.get().user == owner
    page = admin_client.get(response["Location"]).content.decode()
    assert 'name="user"' not in page


def test_it_shows_the_owner_without_letting_staff_choose_one(admin_client, vehicle, make_record):
    record = make_record(vehicle)
    page = admin_client.get(
        reverse("admin:maintenance_maintenancerecord_change", args=[record.pk])
    ).content.decode()
    assert 'name="user"' not in page
    assert "alice" in page


def test_it_says_why_nothing_was_saved_for_a_vehicle_deleted_meanwhile(
    admin_client, owner, make_vehicle
):
    # The raw id field takes a deleted vehicle's id too: the service refuses it inside the
    # vehicle's lock, as it refuses a vehicle deleted while the form was filled in.
    gone = make_vehicle(owner, nickname="Sold car")
    gone.soft_delete()
    add = reverse("admin:maintenance_maintenancerecord_add")
    response = admin_client.post(
        add, {"vehicle": gone.pk, "type": "battery", "due_date": days(3)}, follow=True
    )
    assert response.redirect_chain == [(add, 302)]
    assert [str(message) for message in response.context["messages"]] == [
        "Nothing was saved: a change made meanwhile conflicts with it. "
        "Vehicle: This vehicle is deleted; restore it first."
    ]
    assert not MaintenanceRecord.objects.exists()


def test_it_refuses_a_service_done_in_the_future(admin_client, vehicle, owner):
    response = admin_client.post(
        reverse("admin:maintenance_maintenancerecord_add"),
        {
            "user": owner.pk,
            "vehicle": vehicle.pk,
            "type": "battery",
            "is_completed": "on",
            "completed_date": days(1),
        },
    )
    assert response.context["adminform"].form.errors["completed_date"] == [
        "The date cannot be in the future."
    ]
    assert not MaintenanceRecord.objects.exists()


def test_it_shows_mileages_in_the_vehicles_unit(
    admin_client, vehicle, owner, make_vehicle, make_record
):
    kombi = make_vehicle(owner, nickname="Kombi", distance_unit="km")
    make_record(vehicle, due_mileage=45_000)
    record = make_record(kombi, is_completed=True, completed_mileage=12_000)
    page = admin_client.get(CHANGELIST).content.decode()
    assert "45,000 mi" in page
    assert "12,000 km" in page
    change = admin_client.get(
        reverse("admin:maintenance_maintenancerecord_change", args=[record.pk])
    ).content.decode()
    assert "In kilometers, this vehicle's distance unit." in change
