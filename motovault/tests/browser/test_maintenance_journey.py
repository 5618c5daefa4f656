"""Journey 3: an oil change due in 300 miles and a recurring inspection show on the upcoming
list; a fill-up past the due mileage makes the oil change overdue; completing it schedules the
next one."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from motovault.tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def schedule(page, vehicle, service: str, *, due_mileage="", due_date=None, months="", miles=""):
    page.goto(vehicle.get_absolute_url())
    page.get_by_role("link", name="Add maintenance").first.click()
    expect(page.get_by_label("Vehicle")).to_have_value(str(vehicle.pk))
    page.get_by_label("Service", exact=True).select_option(label=service)
    page.get_by_label("Scheduled: remind me when it is due").check()
    if due_date:
        page.get_by_label("Due date").fill(due_date.isoformat())
    page.get_by_label("Due mileage").fill(due_mileage)
    page.get_by_label("Repeat every (months)").fill(months)
    page.get_by_label("Repeat every (miles)").fill(miles)
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"{service} scheduled for Daily driver.")).to_be_visible()


def test_it_turns_an_oil_change_overdue_and_schedules_the_next(page, vehicle):
    log_in(page, "alice", PASSWORD)
    in_three_weeks = timezone.localdate() + datetime.timedelta(days=21)
    schedule(page, vehicle, "Oil change", due_mileage="42300", miles="5000")
    schedule(page, vehicle, "Inspection", due_date=in_three_weeks, months="12")

    page.get_by_role("link", name="Maintenance", exact=True).click()
    page.get_by_role("link", name="Upcoming").first.click()
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(2)
    oil = rows.filter(has_text="Oil change")
    expect(oil).to_contain_text("Due soon")
    expect(oil).to_contain_text("due in 300 miles")
    expect(oil).to_contain_text("42,300 mi")
    expect(rows.filter(has_text="Inspection")).to_contain_text("due in 21 days")

    # A fill-up at 42,350 miles passes the oil change's due mileage.
    page.goto(vehicle.get_absolute_url())
    page.get_by_role("link", name="Log fuel").first.click()
    page.get_by_label("Odometer").fill("42350")
    page.get_by_label("Gallons").fill("11.2")
    page.get_by_label("Total cost ($)").fill("39.20")
    page.get_by_role("button", name="Log fuel").click()
    expect(page.get_by_text("42,350 mi").first).to_be_visible()

    page.goto("/maintenance/upcoming/")
    expect(oil).to_contain_text("Overdue")
    expect(oil).to_contain_text("50 miles over")
    expect(rows.first).to_contain_text("Oil change")

    oil.get_by_role("link", name="Mark complete").click()
    expect(page.get_by_role("heading", name="Mark Oil change complete")).to_be_visible()
    expect(page.get_by_label("Mileage")).to_have_value("42350")
    page.get_by_label("Cost").fill("64.95")
    page.get_by_label("Where").fill("Main Street Garage")
    page.get_by_role("button", name="Mark complete").click()

    expect(page.get_by_text("Oil change marked complete.")).to_be_visible()
    expect(page.get_by_text("Next Oil change scheduled: due 47,350 miles.")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Inspection")

    page.get_by_role("link", name="All records").click()
    oil_changes = page.locator("table.data tbody tr", has_text="Oil change")
    expect(oil_changes).to_have_count(2)
    expect(oil_changes.filter(has_text="Scheduled")).to_contain_text("47,350 mi")
    expect(oil_changes.filter(has_text="Completed")).to_contain_text("$64.95")

    page.goto("/")
    upcoming = page.get_by_role("region", name="Upcoming maintenance")
    expect(upcoming.get_by_text("Inspection")).to_be_visible()
