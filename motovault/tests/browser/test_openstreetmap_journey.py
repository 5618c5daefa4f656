"""An OpenStreetMap search through the stub server: without a Google key, "Search near me"
shares the browser's location, finds the fuel stations around it on OpenStreetMap, credits its
contributors, and saves one."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from fuellogs.models import FuelLog
from motovault.tests.browser.conftest import log_in
from stations.models import FavoriteStation

pytestmark = pytest.mark.django_db(transaction=True)

ALEXANDERPLATZ = {"latitude": 52.5219, "longitude": 13.4132}


@pytest.fixture
def openstreetmap_only(settings, stub_services):
    settings.GOOGLE_MAPS_API_KEY = ""
    settings.OVERPASS_ENABLED = True
    settings.OVERPASS_URL = f"{stub_services.url}/overpass/api/interpreter"
    return stub_services


def test_it_finds_and_saves_a_station_near_the_owner_on_openstreetmap(
    new_page, owner, vehicle, openstreetmap_only
):
    page = new_page(geolocation=ALEXANDERPLATZ, permissions=["geolocation"])
    log_in(page, "alice", PASSWORD)
    page.goto("/stations/")

    page.get_by_role("button", name="Search near me").click()

    expect(page.get_by_role("heading", name="3 fuel stations near you")).to_be_visible()
    expect(page.get_by_text("Results from OpenStreetMap:")).to_be_visible()
    expect(page.get_by_role("link", name="© OpenStreetMap contributors")).to_have_attribute(
        "href", "https://www.openstreetmap.org/copyright"
    )
    stations = page.locator("li.station h3")
    expect(stations).to_have_text(
        ["Aral Alexanderplatz", "Freie Tankstelle Prenzlauer Berg", "Shell"]
    )
    assert "POST /overpass/api/interpreter" in openstreetmap_only.requests

    aral = page.locator("li.station", has_text="Aral Alexanderplatz")
    expect(aral).to_contain_text("Alexanderstraße 12, 10178 Berlin")
    aral.get_by_role("button", name="Save").click()

    expect(page.get_by_text("Saved Aral Alexanderplatz to your stations.")).to_be_visible()
    expect(aral.get_by_text("Saved", exact=True)).to_be_visible()
    favorite = FavoriteStation.objects.get(user=owner)
    assert favorite.station.osm_id == "node/1100000001"

    # Words narrow the stations around; the location stays until the owner drops it.
    page.get_by_label("Search for gas stations").fill("shell")
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_role("heading", name="1 station for “shell” near you")).to_be_visible()
    page.get_by_role("button", name="Stop using my location").click()
    expect(page.get_by_role("button", name="Search near me")).to_be_visible()

    # "Log fuel here" at a station not saved yet saves it, so the fill-up is linked to it.
    page.get_by_role("button", name="Search near me").click()
    page.locator("li.station", has_text="Shell").get_by_role("button", name="Log fuel here").click()
    expect(page.get_by_role("heading", name="Log fuel", level=1)).to_be_visible()
    expect(page.get_by_text("Saved Shell to your stations.")).to_be_visible()
    expect(page.get_by_label("Station name")).to_have_value("Shell")
    page.get_by_label("Vehicle").select_option(label="Daily driver")
    page.get_by_label("Odometer").fill("42310")
    page.get_by_label("Gallons").fill("12.5")
    page.get_by_label("Price per gallon ($)").fill("3.459")
    page.get_by_role("button", name="Log fuel").click()
    expect(page.get_by_text("Logged 12.500 gal for Daily driver")).to_be_visible()
    shell = FavoriteStation.objects.get(user=owner, station__name="Shell").station
    assert (shell.owner, shell.osm_id) == (None, "way/2200000002")
    assert FuelLog.objects.get().station == shell
