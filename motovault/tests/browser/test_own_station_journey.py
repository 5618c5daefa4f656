"""Journey: an owner adds the station they use by hand (no Google key needed), logs a fill-up
there choosing it from the fuel form's suggestions, and the stations page shows the price they
paid."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from fuellogs.models import FuelLog
from motovault import l10n
from motovault.tests.browser.conftest import log_in
from stations.models import Station

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_adds_a_station_by_hand_and_shows_the_price_paid_there(page, vehicle, settings):
    settings.GOOGLE_MAPS_API_KEY = ""
    log_in(page, "alice", PASSWORD)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stations").click()
    expect(page.get_by_text("Add the station you use by hand, or log fuel")).to_be_visible()

    page.get_by_role("link", name="Add a station").first.click()
    expect(page.get_by_role("heading", name="Add a station", level=1)).to_be_visible()
    page.get_by_label("Name").fill("Corner Gas")
    page.get_by_label("Address").fill("1 Corner Rd, Dog River")
    page.get_by_label("Latitude").fill("50.4452")
    page.get_by_role("button", name="Add station").click()
    expect(page.get_by_text("Enter both latitude and longitude, or neither.")).to_be_visible()
    page.get_by_label("Longitude").fill("-104.6189")
    page.get_by_label("Note").fill("Friendly staff")
    page.get_by_role("button", name="Add station").click()

    expect(page.get_by_text("Added Corner Gas to your stations.")).to_be_visible()
    corner = page.locator("li.station", has_text="Corner Gas")
    expect(corner).to_contain_text("1 Corner Rd, Dog River")
    expect(corner).to_contain_text("Friendly staff")
    expect(corner.get_by_role("link", name="Map of Corner Gas on OpenStreetMap")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Fuel").click()
    page.get_by_role("link", name="Log fuel").first.click()
    suggestion = page.locator("#station-names option[value='Corner Gas']")
    expect(suggestion).to_have_count(1)
    page.get_by_label("Vehicle").select_option(label="Daily driver")
    page.get_by_label("Odometer").fill("42310")
    page.get_by_label("Gallons").fill("12.5")
    page.get_by_label("Price per gallon ($)").fill("3.459")
    page.get_by_label("Station name").fill("Corner Gas")
    page.get_by_role("button", name="Log fuel").click()
    expect(page.get_by_text("Logged 12.500 gal for Daily driver")).to_be_visible()
    assert FuelLog.objects.get().station == Station.objects.get(name="Corner Gas")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Stations").click()
    today = l10n.day_and_month(timezone.localdate())
    expect(corner).to_contain_text(f"Last paid $3.459/gal on {today}")
    expect(page.get_by_text("Cheapest you paid in the last 30 days")).to_contain_text(
        f"$3.459/gal on {today} at Corner Gas"
    )
    # The fuel form now suggests it with the price.
    page.goto("/fuel/add/")
    expect(suggestion).to_have_attribute(
        "label", f"Corner Gas — $3.459/gal on {today}, cheapest in 30 days"
    )
