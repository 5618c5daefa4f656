import pickle

from django.core.cache import cache
from django.utils import timezone

from maintenance.tests.conftest import GERMAN, days
from maintenance.upcoming import upcoming_cache_key, upcoming_for
from motovault import l10n
from vehicles.cache import invalidate_owner_caches


def summary(items):
    return [(item["vehicle_name"], item["title"], item["status"], item["reason"]) for item in items]


def test_it_lists_overdue_and_due_soon_records_most_urgent_first(
    owner, vehicle, make_vehicle, make_record
):
    truck = make_vehicle(owner, nickname="Truck", odometer_reading=100_000)
    make_record(vehicle, type="inspection", due_date=days(9))
    make_record(vehicle, type="oil_change", due_mileage=41_588)
    make_record(truck, type="battery", due_date=days(-3))
    make_record(truck, type="tire_rotation", due_mileage=100_250)
    make_record(truck, type="spark_plugs", due_date=days(31))  # later: not listed
    make_record(vehicle, type="air_filter", due_mileage=42_501)  # later: not listed
    make_record(vehicle, type="wiper_blades", is_completed=True, due_date=days(-99))

    assert summary(upcoming_for(owner)) == [
        ("Daily driver", "Oil change", "overdue", "412 miles over"),
        ("Truck", "Battery", "overdue", "3 days overdue"),
        ("Daily driver", "Inspection", "due_soon", "due in 9 days"),
        ("Truck", "Tire rotation", "due_soon", "due in 250 miles"),
    ]


def test_it_leaves_out_inactive_deleted_and_other_owners_vehicles(
    owner, other_user, vehicle, make_vehicle, make_record
):
    stored = make_vehicle(owner, nickname="Stored", is_active=False)
    sold = make_vehicle(owner, nickname="Sold", deleted_at=timezone.now())
    theirs = make_vehicle(other_user, nickname="Theirs")
    for car in (stored, sold, theirs):
        make_record(car, due_date=days(-1))
    make_record(vehicle, due_date=days(1))

    assert summary(upcoming_for(owner)) == [
        ("Daily driver", "Oil change", "due_soon", "due tomorrow")
    ]


def test_it_caches_plain_data_for_the_owner(owner, vehicle, make_record, django_assert_num_queries):
    make_record(vehicle, due_date=days(5))
    # The readings, the records, the renewals of repeating costs (a registered source).
    with django_assert_num_queries(3):
        first = upcoming_for(owner)
    with django_assert_num_queries(0):
        assert upcoming_for(owner) == first
        assert upcoming_for(owner)[:5] == first  # the dashboard's short list
    cached = cache.get(upcoming_cache_key(owner.pk))["items"]
    assert cached == first
    assert all(type(item) is dict for item in cached)
    assert b"django.db.models" not in pickle.dumps(cached)


def test_it_shows_a_stale_list_until_something_invalidates_it(owner, vehicle, make_record):
    upcoming_for(owner)
    make_record(vehicle, due_date=days(2))  # created behind the application's back
    assert upcoming_for(owner) == []


def test_it_is_invalidated_when_the_odometer_goes_up(owner, vehicle, make_record):
    make_record(vehicle, due_mileage=42_600)
    assert upcoming_for(owner) == []
    vehicle.raise_odometer(42_100)  # what a fuel log or a vehicle edit does
    assert summary(upcoming_for(owner)) == [
        ("Daily driver", "Oil change", "due_soon", "due in 500 miles")
    ]


def test_it_is_invalidated_when_a_vehicle_changes(owner, vehicle, make_record):
    make_record(vehicle, due_date=days(-1))
    assert len(upcoming_for(owner)) == 1
    # Deleting or deactivating a vehicle calls this (vehicles app).
    vehicle.is_active = False
    vehicle.save()
    invalidate_owner_caches(owner.pk)
    assert upcoming_for(owner) == []
    vehicle.is_active = True
    vehicle.deleted_at = timezone.now()
    vehicle.save()
    invalidate_owner_caches(owner.pk)
    assert upcoming_for(owner) == []


def test_it_lists_vehicles_in_both_units_each_by_its_own_threshold(
    owner, vehicle, make_vehicle, make_record
):
    kombi = make_vehicle(owner, nickname="Kombi", odometer_reading=80_000, distance_unit="km")
    make_record(kombi, type="battery", due_mileage=79_588)
    make_record(kombi, type="inspection", due_mileage=80_700)
    make_record(vehicle, type="tire_rotation", due_mileage=42_700)  # 700 miles: later
    items = upcoming_for(owner)
    assert summary(items) == [
        ("Kombi", "Battery", "overdue", "412 km over"),
        ("Kombi", "Inspection", "due_soon", "due in 700 km"),
    ]
    assert [item["distance_unit"] for item in items] == ["km", "km"]


def test_it_computes_the_list_again_in_another_locale(owner, make_vehicle, make_record):
    kombi = make_vehicle(owner, nickname="Kombi", odometer_reading=80_000, distance_unit="km")
    make_record(kombi, due_mileage=78_750)
    assert summary(upcoming_for(owner))[0][3] == "1,250 km over"
    with l10n.override(GERMAN):
        assert summary(upcoming_for(owner))[0][3] == "1.250 km over"
        assert summary(upcoming_for(owner))[0][3] == "1.250 km over"  # cached
    assert summary(upcoming_for(owner))[0][3] == "1,250 km over"
