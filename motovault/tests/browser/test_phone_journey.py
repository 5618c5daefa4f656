"""Journey 8: at phone width (375 x 812) the navigation reaches every section and no main page
scrolls sideways, with real data in its tables."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from motovault.tests.browser.conftest import PHONE, has_horizontal_scroll, log_in

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


def test_it_never_scrolls_sideways_on_a_phone(new_page, main_pages):
    page = new_page(viewport=PHONE)
    log_in(page, "alice", PASSWORD)
    scrolling = []
    for path in main_pages:
        page.goto(path)
        if has_horizontal_scroll(page):
            scrolling.append(path)
    assert scrolling == []
