"""Journey 7: log in and add a fill-up with the keyboard alone; every element that takes focus
on the way shows a visible focus indicator."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from fuellogs.models import FuelLog

pytestmark = pytest.mark.django_db(transaction=True)

FOCUSED = """() => {
  const el = document.activeElement;
  if (!el || el === document.body) return null;
  const style = getComputedStyle(el);
  const box = el.getBoundingClientRect();
  const ring = (style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2)
    || style.boxShadow !== "none";
  // A date field's calendar button is focused inside the field: :focus-within then.
  const focused = el.matches(":focus-visible") || el.matches(":focus-within");
  const name = el.id || el.getAttribute("href") || el.textContent.trim();
  return {
    what: `${el.tagName.toLowerCase()} ${name}`,
    visible: focused && ring && box.width > 0 && box.height > 0,
  };
}"""


def tab_to(page, selector: str, steps: list[str]) -> None:
    """Press Tab until the element matching `selector` has focus, checking the focus indicator
    of everything passed on the way (recorded in `steps`)."""
    for _ in range(60):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused is not None, "focus left the page"
        steps.append(focused["what"])
        assert focused["visible"], f"no visible focus on {focused['what']}"
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}; went through {steps[-60:]}")


def test_it_logs_a_fill_up_without_the_mouse(page, vehicle):
    steps = []
    page.goto("/accounts/login/")
    # The username field has focus from the start (autofocus).
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("alice")
    tab_to(page, "#id_password", steps)
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Dashboard", level=1)).to_be_visible()

    tab_to(page, ".skip-link", steps)
    assert len(steps) == 2, "the first Tab on a page reaches the skip link"
    tab_to(page, "nav a[href='/fuel/']", steps)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Fuel", level=1)).to_be_visible()
    tab_to(page, "main a[href='/fuel/add/']", steps)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Log fuel", level=1)).to_be_visible()

    tab_to(page, "#id_vehicle", steps)
    page.keyboard.press("ArrowDown")
    expect(page.get_by_label("Vehicle")).to_have_value(str(vehicle.pk))
    expect(page.get_by_text("Daily driver currently reads 42,000 mi.")).to_be_visible()
    tab_to(page, "#id_odometer_reading", steps)
    page.keyboard.type("42280")
    tab_to(page, "#id_gallons", steps)
    page.keyboard.type("10.5")
    tab_to(page, "#id_total_cost", steps)
    page.keyboard.type("36.75")
    tab_to(page, "#id_is_full_tank", steps)
    expect(page.get_by_label("Filled the tank")).to_be_checked()
    tab_to(page, "form button[type=submit]", steps)
    page.keyboard.press("Enter")

    expect(page.get_by_text("Logged 10.500 gal for Daily driver")).to_be_visible()
    expect(page.get_by_text("Price per gallon computed: $3.500.")).to_be_visible()
    expect(page.locator("table.data tbody tr").first).to_contain_text("42,280 mi")
    assert FuelLog.objects.get().odometer_reading == 42_280
