"""An OpenStreetMap search through the stub server: without a Google key, "Search near me"
shares the browser's location, finds the fuel stations around it on OpenStreetMap, credits its
contributors, and saves one."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
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
    new_page, owner, openstreetmap_only
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
