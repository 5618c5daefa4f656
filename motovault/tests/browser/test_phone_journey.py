"""Journey 8: at phone width (360 and 375 px) the navigation reaches every section, and no main
page, nor any box in it, is wider than the screen, with real data in its tables."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_fill_up
from motovault.tests.browser.conftest import PHONE, log_in, wider_than_the_screen
from stations.models import FavoriteStation, Station

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_navigates_every_section_on_a_phone(new_page, garage):
    page = new_page(viewport=PHONE)
    log_in(page, "alice", PASSWORD)
    nav = page.get_by_role("navigation", name="Main")
    for section in ["Vehicles", "Fuel", "Maintenance", "Stations", "Dashboard"]:
        link = nav.get_by_role("link", name=section)
        expect(link).to_be_in_viewport()
        link.click()
        expect(page.get_by_role("heading", name=section, level=1)).to_be_visible()
        expect(link).to_have_attribute("aria-current", "page")
    page.get_by_text("Account menu for alice").click()
    expect(page.get_by_role("button", name="Log out")).to_be_in_viewport()


# The narrowest phones in common use, and the iPhone's width.
@pytest.mark.parametrize("width", [360, 375])
def test_it_fits_every_main_page_on_a_phone(new_page, main_pages, width):
    page = new_page(viewport={"width": width, "height": 800})
    log_in(page, "alice", PASSWORD)
    too_wide = {}
    for path in main_pages:
        page.goto(path)
        if found := wider_than_the_screen(page):
            too_wide[path] = found
    assert too_wide == {}


def test_it_wraps_long_unbroken_words_on_a_phone(new_page, owner, vehicle, settings):
    settings.GOOGLE_MAPS_API_KEY = ""
    name = "Tankstelle" * 8
    station = Station.objects.create(owner=owner, name=name)
    FavoriteStation.objects.create(user=owner, station=station, note="Notiz" * 20)
    make_fill_up(vehicle, timezone.localdate(), 42_100, station=station, station_name=name)
    page = new_page(viewport={"width": 360, "height": 800})
    log_in(page, "alice", PASSWORD)
    too_wide = {}
    # The station's card, its price lines and the results heading; the fill-ups' table.
    for path in ["/stations/", f"/stations/?q={name}", "/fuel/"]:
        page.goto(path)
        if found := wider_than_the_screen(page):
            too_wide[path] = found
    assert too_wide == {}


def test_it_finds_what_is_wider_than_the_screen(new_page, db):
    page = new_page(viewport={"width": 360, "height": 800})
    page.set_content(
        '<p style="width: 400px">A paragraph too wide</p>'
        '<div style="overflow-x: auto"><table><tr><td style="min-width: 500px">A wide table'
        "</td></tr></table></div>"
        '<span style="position: absolute; width: 1px; height: 1px; overflow: hidden; '
        'clip: rect(0 0 0 0); white-space: nowrap">Visually hidden, and long enough to pass '
        "the edge of the screen</span>"
        '<div style="overflow: hidden"><p style="width: 400px">Cut off on purpose</p></div>'
    )
    assert wider_than_the_screen(page) == [
        "the page is 408 px wide",
        'p "A paragraph too wide" reaches 408 px',
        'div "A wide table" scrolls sideways (506 px in 344)',
    ]
