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
        ("", "This field is required."),
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


def test_it_keeps_spell_checkers_out_of_the_admins_vin_box(admin_client, vehicle):
    page = admin_client.get(f"/admin/vehicles/vehicle/{vehicle.pk}/change/").content.decode()
    assert 'name="vin"' in page
    assert 'spellcheck="false"' in page and 'maxlength="64"' in page
