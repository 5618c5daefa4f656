import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from conftest import make_vin
from vehicles.cache import vehicle_list_key
from vehicles.listing import owner_vehicle_list
from vehicles.models import Vehicle


def test_it_refuses_the_same_vin_twice_for_one_owner(owner, make_vehicle):
    vin = make_vin()
    make_vehicle(owner, vin=vin)
    with pytest.raises(IntegrityError), transaction.atomic():
        make_vehicle(owner, vin=vin)


def test_it_allows_the_same_vin_for_two_owners(owner, other_user, make_vehicle):
    vin = make_vin()
    make_vehicle(owner, vin=vin)
    make_vehicle(other_user, vin=vin)
    assert Vehicle.objects.filter(vin=vin).count() == 2


@pytest.mark.parametrize("fields", [{"odometer_reading": -1}, {"year": 1885}, {"year": 2101}])
def test_it_never_stores_impossible_values(owner, make_vehicle, fields):
    with pytest.raises(IntegrityError), transaction.atomic():
        make_vehicle(owner, **fields)


def test_it_soft_deletes_and_restores(vehicle, owner):
    vehicle.soft_delete()
    vehicle.refresh_from_db()
    assert vehicle.deleted_at is not None
    assert not Vehicle.objects.for_owner(owner).exists()
    assert list(Vehicle.objects.deleted_for_owner(owner)) == [vehicle]

    vehicle.restore()
    vehicle.refresh_from_db()
    assert vehicle.deleted_at is None
    assert list(Vehicle.objects.for_owner(owner)) == [vehicle]


def test_it_forgets_the_cached_list_on_soft_delete_and_restore(vehicle, owner):
    owner_vehicle_list(owner)
    vehicle.soft_delete()
    assert cache.get(vehicle_list_key(owner.pk)) is None
    owner_vehicle_list(owner)
    vehicle.restore()
    assert cache.get(vehicle_list_key(owner.pk)) is None


def test_it_keeps_updated_at_current_on_a_partial_save(vehicle):
    before = vehicle.updated_at
    vehicle.nickname = "Renamed"
    vehicle.save(update_fields=["nickname"])
    vehicle.refresh_from_db()
    assert vehicle.updated_at > before


def test_it_keeps_updated_at_current_on_bulk_updates(vehicle):
    before = vehicle.updated_at
    Vehicle.objects.filter(pk=vehicle.pk).update(color="Red")
    vehicle.refresh_from_db()
    assert vehicle.updated_at > before


def test_it_allows_several_vehicles_without_a_vin_for_one_owner(owner, make_vehicle):
    make_vehicle(owner, vin="", nickname="Boat trailer")
    make_vehicle(owner, vin="", nickname="Tractor")
    assert Vehicle.objects.filter(user=owner, vin="").count() == 2


@pytest.mark.parametrize(
    ("fields", "name"),
    [
        ({"nickname": "Trailer", "year": 1967, "make": "Ford"}, "Trailer"),
        ({"year": 1967, "make": "Ford", "model": "Mustang"}, "1967 Ford Mustang"),
        ({"make": "Massey Ferguson"}, "Massey Ferguson"),
    ],
)
def test_it_names_a_vehicle_without_a_vin(owner, fields, name):
    vehicle = Vehicle(user=owner, vin="", **fields)
    vehicle.full_clean()
    assert vehicle.display_name == name


@pytest.mark.parametrize(
    ("fields", "refused"),
    [
        ({"vin": "NOTAVIN"}, True),
        ({"vin": "1hgcm82633a004352"}, True),  # the model stores what forms normalized
        ({"vin": "1HGCM82634A004352"}, True),  # wrong check digit
        ({"vin": "1HGCM82634A004352", "vin_check_digit_waived": True}, False),  # it has none
        ({"vin": "1HGCM82633A004352"}, False),
        ({"vin": "7R01C1234", "vin_is_serial": True}, False),
        ({"vin": "7R01C1234"}, True),  # a VIN has 17 characters
        ({"vin": "7R01", "vin_is_serial": True}, True),
        ({"vin": "1HGCM82633A004352", "vin_is_serial": True}, True),  # 17: no serial
        ({"vin": "", "vin_is_serial": True}, True),
    ],
)
def test_it_applies_the_vin_and_serial_rules_to_every_full_clean(owner, fields, refused):
    """The admin, an import or the API reach the same rules as the owner's form."""
    vehicle = Vehicle(user=owner, make="Ford", **fields)
    if refused:
        with pytest.raises(ValidationError) as error:
            vehicle.full_clean()
        assert "vin" in error.value.message_dict
    else:
        vehicle.full_clean()
