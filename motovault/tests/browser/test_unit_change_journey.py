"""An owner changes a vehicle with history from miles to kilometers: the add form's odometer
label follows the unit chosen, and the edit asks first, says what converts, and converts once
confirmed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_fill_up
from fuellogs.models import FuelLog
from motovault.tests.browser.conftest import log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_converts_a_vehicles_history_after_asking(new_page, owner, vehicle):
    make_fill_up(vehicle, timezone.localdate() - dt.timedelta(days=2), 41_900)
    page = new_page(bypass_csp=True)
    log_in(page, owner.username, PASSWORD)

    page.goto("/vehicles/add/")
    page.get_by_label("Distance in").select_option("km")
    expect(page.get_by_label("Odometer (kilometers)")).to_be_visible()

    page.goto(f"/vehicles/{vehicle.pk}/edit/")
    page.get_by_label("Distance in").select_option("km")
    page.get_by_label("Fuel in").select_option("l")
    page.get_by_role("button", name="Save changes").click()

    expect(page.get_by_role("heading", name="Change the units of Daily driver?")).to_be_visible()
    expect(page.get_by_text("42,000 mi becomes 67,592 km")).to_be_visible()
    assert serious_accessibility_violations(page) == []
    assert FuelLog.objects.get().odometer_reading == 41_900

    page.get_by_role("button", name="Convert and save").click()

    expect(page.get_by_text("its numbers are now in kilometers and liters")).to_be_visible()
    expect(page.locator(".vehicle-stats")).to_contain_text("67,592 km")
    log = FuelLog.objects.get()
    # 41,900 mi = 67,431.51 km; 10 US gallons = 37.854 L.
    assert (log.odometer_reading, log.gallons) == (67_432, Decimal("37.854"))
