"""Charts under the CSP: the dashboard's costs per month and a vehicle's charts, one with a missed
fill-up, draw without a single policy violation, each with its legend and table alternative."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD, make_fill_up
from motovault.tests.browser.conftest import PHONE, log_in

pytestmark = pytest.mark.django_db(transaction=True)

# Recorded in the page before any of its own code runs (init scripts are not subject to the CSP).
LISTEN = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(`${event.violatedDirective} ${event.blockedURI}`);
});
"""


@pytest.fixture
def skipped(owner, make_vehicle):
    """A vehicle whose owner missed a fill-up 45 days ago: 30 MPG before it and after it."""
    car = make_vehicle(owner, nickname="Skipped one", odometer_reading=10_000)
    today = timezone.localdate()
    for days_ago, odometer, missed in [
        (90, 10_000, False),
        (75, 10_300, False),
        (60, 10_600, False),
        (45, 11_200, True),
        (30, 11_500, False),
        (15, 11_800, False),
        (0, 12_100, False),
    ]:
        make_fill_up(
            car, today - datetime.timedelta(days=days_ago), odometer, missed_previous=missed
        )
    return car


@pytest.mark.parametrize("viewport", [None, PHONE], ids=["desktop", "phone"])
def test_it_draws_every_chart_under_the_csp(new_page, garage, skipped, viewport):
    page = new_page(**({"viewport": viewport} if viewport else {}))
    page.add_init_script(LISTEN)
    console_errors = []
    page.on("console", lambda m: console_errors.append(m.text) if m.type == "error" else None)
    log_in(page, "alice", PASSWORD)

    costs = page.get_by_role(
        "img", name="Fuel, maintenance and other costs per month, all vehicles"
    )
    expect(costs).to_be_visible()
    legend = page.locator(".cost-chart .chart-legend li")
    expect(legend).to_have_text(["Fuel", "Maintenance", "Other costs"])
    table = page.locator(".cost-chart table")
    expect(table.locator("thead th")).to_have_text(
        ["Month", "Fuel", "Maintenance", "Other costs", "Total"]
    )
    # A row a month from the first that cost anything: the brake job 90 days ago (the garage's
    # fill-ups were logged without a total) to this one.
    today = timezone.localdate()
    first = today - datetime.timedelta(days=90)
    months = (today.year - first.year) * 12 + today.month - first.month + 1
    expect(table.locator("tbody tr")).to_have_count(months)
    # The bars have the stylesheet's colors, not an inline style's (which the CSP would block)
    # nor the black SVG gives a shape without one.
    colors = costs.evaluate(
        "svg => [...svg.querySelectorAll('rect')].map(r => getComputedStyle(r).fill)"
    )
    assert len(set(colors)) == 3 and "rgb(0, 0, 0)" not in colors
    assert page.evaluate("window.cspViolations") == []

    page.goto(skipped.get_absolute_url())
    economy = page.get_by_role("img", name="MPG of the last 5 segments between full fill-ups")
    expect(economy).to_be_visible()
    expect(page.locator("#fuel-economy-chart-caption")).to_contain_text(
        "The line breaks where a fill-up was missed."
    )
    # Two runs of the line: before the missed fill-up and after it.
    path = economy.locator("path.line").get_attribute("d")
    assert path.count("M") == 2 and path.count("L") == 3
    expect(page.get_by_role("img", name="Fuel spending per month")).to_be_visible()
    expect(page.locator(".fuel-panel figure table").first.locator("tbody tr")).to_have_count(5)
    # The cost of ownership's make-up, stacked, with its own legend.
    ownership = page.get_by_role(
        "img", name="Fuel, maintenance and other costs per month, this vehicle"
    )
    expect(ownership).to_be_visible()
    expect(page.locator(".ownership-cost .chart-legend li")).to_have_text(
        ["Fuel", "Maintenance", "Other costs"]
    )
    assert page.evaluate("window.cspViolations") == []

    page.goto(garage.get_absolute_url())
    expect(page.locator(".fuel-panel svg.chart")).to_be_visible()
    assert page.evaluate("window.cspViolations") == []
    assert [e for e in console_errors if "Content Security Policy" in e] == []
