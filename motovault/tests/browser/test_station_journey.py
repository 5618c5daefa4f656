"""Journey 4: search for a station (Google Places answered by the local stub), "Log fuel here",
and the fuel form comes prefilled with it."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from fuellogs.models import FuelLog
from motovault.tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_logs_fuel_at_a_station_found_by_search(page, vehicle, stub_services):
    log_in(page, "alice", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stations").click()
    expect(page.get_by_text("No stations yet")).to_be_visible()

    page.get_by_label("Search for gas stations").fill("shell springfield")
    page.get_by_role("button", name="Search", exact=True).click()

    expect(page.get_by_role("heading", name="2 stations for “shell springfield”")).to_be_visible()
    shell = page.locator("li.station", has_text="Shell Main Street")
    expect(shell).to_contain_text("100 Main St, Springfield, IL 62701, USA")
    expect(page.locator("li.station", has_text="Costco Gas Station")).to_be_visible()
    assert "POST /places/places:searchText" in stub_services.requests

    shell.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Saved Shell Main Street to your stations.")).to_be_visible()
    expect(shell.get_by_text("Saved", exact=True)).to_be_visible()

    shell.get_by_role("link", name="Log fuel here").click()
    expect(page.get_by_role("heading", name="Log fuel", level=1)).to_be_visible()
    expect(page.get_by_label("Station name")).to_have_value("Shell Main Street")

    page.get_by_label("Vehicle").select_option(label="Daily driver")
    page.get_by_label("Odometer").fill("42310")
    page.get_by_label("Gallons").fill("12.5")
    page.get_by_label("Price per gallon ($)").fill("3.459")
    page.get_by_role("button", name="Log fuel").click()

    expect(page.get_by_text("Logged 12.500 gal for Daily driver")).to_be_visible()
    expect(page.get_by_text("Total cost computed: $43.24.")).to_be_visible()
    expect(page.locator("table.data tbody tr").first).to_contain_text("Shell Main Street")
    assert FuelLog.objects.get().station_name == "Shell Main Street"
