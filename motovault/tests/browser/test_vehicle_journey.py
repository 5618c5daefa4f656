"""Journey 1: a new owner signs up, follows the empty dashboard's prompt, mistypes the VIN,
sees the check-digit message, fixes it, decodes it (vPIC answered by the local stub) and saves."""

import re

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from motovault.tests.browser.conftest import log_in
from vehicles.models import Vehicle

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_adds_the_first_vehicle_from_a_decoded_vin(page, stub_services):
    page.goto("/accounts/signup/")
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("Welcome to MotoVault, dana.")).to_be_visible()

    page.get_by_role("link", name="Add a vehicle").first.click()
    expect(page).to_have_url(re.compile(r"/vehicles/add/$"))
    expect(page.get_by_role("heading", name="Add a vehicle", level=1)).to_be_visible()

    vin = page.get_by_label("VIN or serial (optional)")
    vin.fill("1ftm w1t8-8mfa00002")
    page.get_by_role("button", name="Decode").click()
    status = page.locator("#decode-status")
    expect(status).to_contain_text("The check digit (position 9) should be")
    expect(vin).to_have_attribute("aria-invalid", "true")
    expect(vin).to_be_focused()
    assert not any("DecodeVinValues" in request for request in stub_services.requests)

    vin.fill("1FTMW1T88MFA00001")
    page.get_by_role("button", name="Decode").click()
    expect(status).to_contain_text("Decoded: 2021")
    expect(status).to_contain_text("F-150")
    expect(page.get_by_label("Year")).to_have_value("2021")
    expect(page.get_by_label("Make")).to_have_value("Ford")
    expect(page.get_by_label("Model")).to_have_value("F-150")

    page.get_by_label("Nickname").fill("Work truck")
    page.get_by_label("Odometer (miles)").fill("18250")
    page.get_by_role("button", name="Add vehicle").click()

    expect(page.get_by_text("Added Work truck.")).to_be_visible()
    expect(page.get_by_role("heading", name="Work truck", level=1)).to_be_visible()
    expect(page.get_by_text("18,250 mi")).to_be_visible()
    stored = Vehicle.objects.get(user__username="dana")
    assert (stored.vin, stored.year, stored.model) == ("1FTMW1T88MFA00001", 2021, "F-150")


def test_it_adds_a_classic_by_its_older_serial_without_decoding(page, owner, stub_services):
    log_in(page, owner.username, PASSWORD)
    page.goto("/vehicles/add/")
    decode = page.get_by_role("button", name="Decode")
    expect(decode).to_be_visible()
    page.get_by_label("This is an older serial number (before 1981)").check()
    expect(decode).to_be_hidden()
    page.get_by_label("VIN or serial (optional)").fill("7r01c123456")
    page.get_by_label("Year").fill("1967")
    page.get_by_label("Make").fill("Ford")
    page.get_by_label("Model").fill("Mustang")
    page.get_by_role("button", name="Add vehicle").click()

    expect(page.get_by_role("heading", name="1967 Ford Mustang", level=1)).to_be_visible()
    expect(page.locator("dt", has_text="Serial number")).to_be_visible()
    assert Vehicle.objects.get(user=owner).vin == "7R01C123456"
    assert not any("DecodeVinValues" in request for request in stub_services.requests)
