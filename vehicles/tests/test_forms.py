"""The one VIN field: the owner's form, the decode form and the admin's form read a VIN alike."""

import pytest

from vehicles.admin import VehicleAdminForm
from vehicles.forms import DecodeForm, VehicleForm
from vehicles.models import Vehicle
from vehicles.tests.conftest import FORD_VIN

BMW_VIN = "WBA3A5C51CF256987"  # real, built outside North America: no check digit


def owners_form(owner, **data):
    return VehicleForm({"odometer_reading": 0, **data}, instance=Vehicle(user=owner))


def decode_form(owner, **data):
    return DecodeForm(data)


def admin_form(owner, **data):
    return VehicleAdminForm({"user": owner.pk, "odometer_reading": 0, **data})


EVERY_FORM = pytest.mark.parametrize("make_form", [owners_form, decode_form, admin_form])


@EVERY_FORM
def test_it_normalizes_a_pasted_vin(owner, make_form):
    form = make_form(owner, vin=" 1ftmw1t88-mfa 00001\n")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["vin"] == FORD_VIN


@EVERY_FORM
@pytest.mark.parametrize(
    ("vin", "message"),
    [
        ("x" * 65, "Ensure this value has at most 64 characters (it has 65)."),
        ("1FTMW1T88MFA0000", "A VIN has 17 characters; this one has 16."),
        ("1FTMW1T88MFO00001", "found “O” at position 12"),
        (BMW_VIN, "should be “7”, not “1”"),
    ],
)
def test_it_explains_a_bad_vin(owner, make_form, vin, message):
    form = make_form(owner, vin=vin)
    assert not form.is_valid()
    [error] = form.errors["vin"]
    assert message in error


@EVERY_FORM
def test_it_waives_the_check_digit_when_asked(owner, make_form):
    form = make_form(owner, vin=BMW_VIN, vin_check_digit_waived="on")
    assert form.is_valid(), form.errors
    assert form.cleaned_data["vin"] == BMW_VIN


@EVERY_FORM
def test_it_checks_the_rest_of_the_vin_when_the_check_digit_is_waived(owner, make_form):
    form = make_form(owner, vin="WBA3O5C51CF256987", vin_check_digit_waived="on")
    assert not form.is_valid()
    assert "found “O” at position 5" in form.errors["vin"][0]


def test_it_needs_a_vin_to_decode(owner):
    form = decode_form(owner, vin="")
    assert form.errors["vin"] == ["This field is required."]


@pytest.mark.parametrize("make_form", [owners_form, admin_form])
def test_it_saves_a_vehicle_without_a_vin_named_by_make_and_model(owner, make_form):
    form = make_form(owner, vin="", year="1967", make="Ford", model="Mustang")
    assert form.is_valid(), form.errors
    assert form.save().display_name == "1967 Ford Mustang"


@pytest.mark.parametrize("make_form", [owners_form, admin_form])
def test_it_needs_a_name_for_a_vehicle_without_a_vin(owner, make_form):
    form = make_form(owner, vin="", year="1967")
    assert form.errors["nickname"] == [
        "Give a vehicle without a VIN a nickname, or fill in its make and model."
    ]


@pytest.mark.parametrize("make_form", [owners_form, admin_form])
def test_it_takes_an_older_serial_only_when_told(owner, make_form):
    form = make_form(owner, vin="7r01c1234", make="Ford")
    assert form.errors["vin"] == [
        "A VIN has 17 characters; this one has 9.",
        "For a vehicle built before 1981, check “This is an older serial number”.",
    ]

    form = make_form(owner, vin="7r01c1234", make="Ford", vin_is_serial="on")
    assert form.is_valid(), form.errors
    vehicle = form.save()
    vehicle.refresh_from_db()
    assert (vehicle.vin, vehicle.vin_is_serial) == ("7R01C1234", True)


@pytest.mark.parametrize("make_form", [owners_form, admin_form])
@pytest.mark.parametrize("serial", ["ABC1", "12345678901234", "7R01C-12.34"])
def test_it_refuses_a_serial_of_the_wrong_shape(owner, make_form, serial):
    form = make_form(owner, vin=serial, make="Ford", vin_is_serial="on")
    assert not form.is_valid()
    [error] = form.errors["vin"]
    assert "serial number" in error


def test_it_does_not_decode_a_serial(owner):
    form = decode_form(owner, vin="7R01C1234", vin_is_serial="on")
    assert form.errors["vin"] == [
        "An older serial number cannot be decoded: fill in the year, make and model."
    ]


def test_it_keeps_spell_checkers_out_of_the_admins_vin_box(admin_client, vehicle):
    page = admin_client.get(f"/admin/vehicles/vehicle/{vehicle.pk}/change/").content.decode()
    assert 'name="vin"' in page
    assert 'spellcheck="false"' in page and 'maxlength="64"' in page
