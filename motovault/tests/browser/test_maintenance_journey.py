"""Journey 3: an oil change due in 300 miles and a recurring inspection show on the dashboard's
upcoming list; a fill-up past the due mileage makes the oil change overdue there; completing it
schedules the next one, which the dashboard lists once it comes due. The next occurrence after
completing a service: the message says when it is due, and leads to it."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from maintenance.models import MaintenanceRecord
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


def log_fuel(page, vehicle, odometer: str, gallons: str, total: str):
    page.goto(vehicle.get_absolute_url())
    page.get_by_role("link", name="Log fuel").first.click()
    page.get_by_label("Odometer").fill(odometer)
    page.get_by_label("Gallons").fill(gallons)
    page.get_by_label("Total cost ($)").fill(total)
    page.get_by_role("button", name="Log fuel").click()
    expect(page.get_by_text(f"{int(odometer):,} mi").first).to_be_visible()


def open_dashboard(page):
    page.goto("/")
    expect(page.get_by_role("heading", name="Dashboard", exact=True)).to_be_visible()


def test_it_turns_an_oil_change_overdue_and_schedules_the_next(page, vehicle):
    log_in(page, "alice", PASSWORD)
    in_three_weeks = timezone.localdate() + datetime.timedelta(days=21)
    schedule(page, vehicle, "Oil change", due_mileage="42300", miles="5000")
    schedule(page, vehicle, "Inspection", due_date=in_three_weeks, months="12")

    # Both show in the dashboard's "Upcoming maintenance" section, each with its reason. The
    # locators look inside that section only, not the vehicle cards or the rest of the page.
    items = page.get_by_role("region", name="Upcoming maintenance").get_by_role("listitem")
    open_dashboard(page)
    expect(items).to_have_count(2)
    oil = items.filter(has_text="Oil change")
    expect(oil).to_contain_text("Due soon")
    expect(oil).to_contain_text("Daily driver")
    expect(oil).to_contain_text("Due in 300 miles")
    inspection = items.filter(has_text="Inspection")
    expect(inspection).to_contain_text("Due soon")
    expect(inspection).to_contain_text("Due in 21 days")

    # And on the full upcoming list, with the due mileage.
    page.get_by_role("link", name="Maintenance", exact=True).click()
    page.get_by_role("link", name="Upcoming").first.click()
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(2)
    oil_row = rows.filter(has_text="Oil change")
    expect(oil_row).to_contain_text("Due soon")
    expect(oil_row).to_contain_text("due in 300 miles")
    expect(oil_row).to_contain_text("42,300 mi")
    expect(rows.filter(has_text="Inspection")).to_contain_text("due in 21 days")

    # A fill-up at 42,350 miles passes the oil change's due mileage: overdue on the dashboard,
    # listed first.
    log_fuel(page, vehicle, "42350", "11.2", "39.20")
    open_dashboard(page)
    expect(items).to_have_count(2)
    expect(oil).to_contain_text("Overdue")
    expect(oil).not_to_contain_text("Due soon")
    expect(oil).to_contain_text("50 miles over")
    expect(items.first).to_contain_text("Oil change")
    expect(inspection).to_contain_text("Due in 21 days")

    page.goto("/maintenance/upcoming/")
    expect(oil_row).to_contain_text("Overdue")
    expect(oil_row).to_contain_text("50 miles over")
    expect(rows.first).to_contain_text("Oil change")

    oil_row.get_by_role("link", name="Complete Oil change").click()
    expect(page.get_by_role("heading", name="Mark Oil change complete")).to_be_visible()
    expect(page.get_by_label("Mileage")).to_have_value("42350")
    page.get_by_label("Cost").fill("64.95")
    page.get_by_label("Where").fill("Main Street Garage")
    page.get_by_role("button", name="Mark complete").click()

    expect(page.get_by_text("Oil change done. Next one due at 47,350 miles")).to_be_visible()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Inspection")

    page.get_by_role("link", name="All records").click()
    oil_changes = page.locator("table.data tbody tr", has_text="Oil change")
    expect(oil_changes).to_have_count(2)
    expect(oil_changes.filter(has_text="Scheduled")).to_contain_text("47,350 mi")
    expect(oil_changes.filter(has_text="Completed")).to_contain_text("$64.95")

    # The dashboard drops the completed oil change; the next one, 5,000 miles out, is not due
    # soon yet, so only the inspection is listed.
    open_dashboard(page)
    expect(items).to_have_count(1)
    expect(items.first).to_contain_text("Inspection")
    expect(items.first).to_contain_text("Due in 21 days")

    # Driving to within 450 miles of 47,350 brings the next occurrence onto the dashboard.
    log_fuel(page, vehicle, "46900", "13.0", "45.50")
    open_dashboard(page)
    expect(items).to_have_count(2)
    expect(oil).to_contain_text("Due soon")
    expect(oil).to_contain_text("Due in 450 miles")
    expect(inspection).to_contain_text("Due in 21 days")


def test_the_next_occurrence_shows_after_completing_a_service(page, vehicle):
    today = timezone.localdate()
    MaintenanceRecord.objects.create(
        user=vehicle.user,
        vehicle=vehicle,
        type="tire_rotation",
        due_date=today - datetime.timedelta(days=2),
        interval_months=6,
        interval_miles=6_000,
    )
    log_in(page, "alice", PASSWORD)
    page.goto("/maintenance/upcoming/")
    page.locator("table.data tbody tr").get_by_role("link", name="Complete Tire rotation").click()
    page.get_by_label("Mileage").fill("42000")
    page.get_by_role("button", name="Mark complete").click()

    # Back on the upcoming list, which has nothing due now; the message says what comes next.
    expect(page.get_by_role("heading", name="Nothing is due")).to_be_visible()
    next_due = MaintenanceRecord.objects.get(is_completed=False).due_date
    message = page.locator(".messages li")
    expect(message).to_have_text(
        f"Tire rotation done. Next one due {next_due:%b} {next_due.day}, {next_due.year} or at "
        "48,000 miles, whichever comes first: see it in your records."
    )
    message.get_by_role("link", name="see it in your records").click()

    # The vehicle's tire rotations: the new one, marked as the link's target, and the one done.
    rows = page.locator("table.data tbody tr")
    expect(rows).to_have_count(2)
    target = page.locator("tr:target")
    expect(target).to_contain_text("Scheduled")
    expect(target).to_contain_text("48,000 mi")
    expect(target).to_be_in_viewport()
    expect(rows.filter(has_text="Completed")).to_contain_text("42,000 mi")
