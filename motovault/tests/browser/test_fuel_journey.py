"""Journey 2: three fill-ups (one partial) from the vehicle page; the MPG and the charts show
there; editing the partial one changes the numbers. The edit-one-amount flow: a price corrected
on a saved fill-up recomputes the total that was computed when it was saved."""

import datetime
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from motovault.tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


def log_fill_up(page, *, days_ago: int, odometer: str, gallons: str, price: str, full=True):
    page.get_by_role("link", name="Log fuel").first.click()
    expect(page.get_by_role("heading", name="Log fuel", level=1)).to_be_visible()
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Odometer").fill(odometer)
    page.get_by_label("Gallons").fill(gallons)
    page.get_by_label("Price per gallon ($)").fill(price)
    if not full:
        page.get_by_label("Filled the tank").uncheck()
    page.get_by_role("button", name="Log fuel").click()
    expect(page.get_by_text(f"Logged {gallons} gal for Daily driver")).to_be_visible()


def test_it_shows_mpg_and_charts_that_follow_an_edit(page, vehicle):
    log_in(page, "alice", PASSWORD)
    page.goto(vehicle.get_absolute_url())
    expect(page.get_by_text("No fill-ups logged for this vehicle yet.")).to_be_visible()

    log_fill_up(page, days_ago=40, odometer="42100", gallons="12.000", price="3.499")
    log_fill_up(page, days_ago=10, odometer="42250", gallons="5.000", price="3.599", full=False)
    log_fill_up(page, days_ago=0, odometer="42500", gallons="11.000", price="3.399")

    # Back on the vehicle page: 400 miles over 5 + 11 gallons since the first full tank.
    panel = page.locator(".fuel-panel")
    expect(panel.locator(".stat", has_text="Average MPG")).to_contain_text("25.0")
    expect(panel.locator(".stat", has_text="Fill-ups")).to_contain_text("3")
    # One segment is no line yet; two months of spending are a chart.
    expect(panel.get_by_text("One MPG so far, 25.0: the line starts")).to_be_visible()
    expect(panel.get_by_role("img", name="Fuel spending per month")).to_be_visible()
    rows = panel.locator("table.data tbody tr")
    expect(rows).to_have_count(3)
    expect(rows.nth(1)).to_contain_text("Partial")
    expect(rows.nth(0)).to_contain_text("25.0")

    rows.nth(1).get_by_role("link").click()
    expect(page.get_by_role("heading", name="Edit fill-up", level=1)).to_be_visible()
    page.get_by_label("Gallons").fill("9.000")
    page.get_by_role("button", name="Save changes").click()
    # The total was computed when it was saved: it follows the corrected quantity.
    expect(page.get_by_text("Saved 9.000 gal for Daily driver")).to_contain_text(
        "Total cost computed: $32.39."
    )
    expect(panel.locator(".stat", has_text="Average MPG")).to_contain_text("20.0")
    expect(rows.nth(0)).to_contain_text("20.0")
    expect(rows.nth(1)).to_contain_text("9.000")


def test_a_corrected_price_recomputes_the_total_on_the_list(page, vehicle):
    log_in(page, "alice", PASSWORD)
    page.goto(vehicle.get_absolute_url())
    log_fill_up(page, days_ago=3, odometer="42100", gallons="12.000", price="3.499")
    # The confirmation says the economy this first full tank will be measured from.
    expect(page.get_by_text("Logged 12.000 gal for Daily driver")).to_contain_text(
        "Total cost computed: $41.99. No economy yet"
    )

    page.goto("/fuel/")
    row = page.locator("table.data tbody tr")
    expect(row).to_have_count(1)
    expect(row).to_contain_text("$41.99")
    row.get_by_role("link", name="Edit").click()
    expect(page.get_by_label("Total cost ($)")).to_have_value("41.99")
    page.get_by_label("Price per gallon ($)").fill("3.599")
    page.get_by_role("button", name="Save changes").click()

    # Back on the list, nothing blanked by hand: 12 gal at $3.599 is $43.19.
    expect(page.get_by_text("Saved 12.000 gal for Daily driver")).to_contain_text(
        "Total cost computed: $43.19."
    )
    expect(page).to_have_url(re.compile(r"/fuel/$"))
    expect(row).to_contain_text("$43.19")
    expect(row).to_contain_text("$3.599")
    expect(row).not_to_contain_text("$41.99")
