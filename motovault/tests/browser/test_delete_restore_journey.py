"""Journey 5: delete a vehicle after confirming, find it under "Recently deleted", and restore
it with its fuel and maintenance history."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from motovault.tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_restores_a_deleted_vehicle_with_its_history(page, garage):
    log_in(page, "alice", PASSWORD)
    page.goto(garage.get_absolute_url())
    page.get_by_role("link", name="Delete", exact=True).click()

    expect(page.get_by_role("heading", name="Delete Work truck?")).to_be_visible()
    expect(page.get_by_text("Its fuel logs and maintenance records are kept")).to_be_visible()
    page.get_by_role("button", name="Delete Work truck").click()

    expect(page.get_by_text("Deleted Work truck. You can restore it")).to_be_visible()
    vehicles = page.locator("table.data tbody")
    expect(vehicles).not_to_contain_text("Work truck")
    expect(vehicles).to_contain_text("2014 Honda Accord")
    page.goto("/fuel/")
    expect(page.locator("main")).not_to_contain_text("Work truck")
    page.goto(garage.get_absolute_url())
    expect(page.get_by_role("heading", name="Page not found")).to_be_visible()

    page.goto("/vehicles/")
    page.get_by_role("link", name="Recently deleted").click()
    row = page.locator("table.data tbody tr", has_text="Work truck")
    expect(row).to_contain_text("1FTMW1T88MFA00001")
    row.get_by_role("button", name="Restore Work truck").click()

    expect(page.get_by_text("Restored Work truck.")).to_be_visible()
    expect(page.get_by_role("heading", name="Work truck", level=1)).to_be_visible()
    expect(page.locator(".fuel-panel .stat", has_text="Fill-ups")).to_contain_text("12")
    expect(page.locator(".maintenance-panel")).to_contain_text("Oil change")
    expect(page.locator(".maintenance-panel")).to_contain_text("Brake service")
    page.goto("/vehicles/deleted/")
    expect(page.get_by_role("heading", name="Nothing deleted")).to_be_visible()
