"""Browser tests: Debian's Chromium driven by Playwright against Django's live server, with vPIC
and Google Places answered by a local stub server."""

import datetime
import os
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone

from costs.models import Cost
from fuellogs.models import FuelLog
from fuellogs.services import save_fuel_log
from maintenance.models import MaintenanceRecord
from maintenance.services import save_record
from motovault.tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from motovault.tests.browser.stub_services import StubServices
from stations.models import FavoriteStation, Station
from vehicles.models import OdometerReading

# Playwright's sync API keeps an event loop in this thread; the ORM calls the tests make
# alongside it are synchronous and safe. Tests only, never in settings.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

AXE = Path(__file__).resolve().parents[3] / "node_modules" / "axe-core" / "axe.min.js"
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 812}


def pytest_collection_modifyitems(items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"{CHROMIUM} is missing; CI installs Debian's chromium package")
        pytest.skip(f"{CHROMIUM} is not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def stub_services(settings):
    with StubServices() as stub:
        settings.VPIC_BASE_URL = f"{stub.url}/vpic"
        settings.PLACES_BASE_URL = f"{stub.url}/places"
        settings.GOOGLE_MAPS_API_KEY = "browser-test-key"
        yield stub


@pytest.fixture
def new_page(browser, live_server, stub_services):
    """Open pages in fresh browser contexts: `new_page(viewport=PHONE, color_scheme="dark")`."""
    contexts = []

    def open_page(viewport=DESKTOP, **options):
        context = browser.new_context(base_url=live_server.url, viewport=viewport, **options)
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    return new_page()


def log_in(page, username: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_url("**/")


def serious_accessibility_violations(page) -> list[str]:
    """Run axe-core in the page; return the serious and critical violations, described."""
    if not AXE.exists():
        if os.environ.get("CI"):
            pytest.fail(f"{AXE} is missing; `make test` installs it with npm")
        pytest.skip("axe-core is not installed (npm ci)")
    page.add_script_tag(content=AXE.read_text())
    results = page.evaluate("async () => await axe.run(document)")
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in results["violations"]
        if v["impact"] in ("serious", "critical")
    ]


# Every box that reaches past the right edge of the screen, and every box that scrolls sideways
# (a table hiding columns behind a swipe); only the outermost of a nest of them is named.
# Boxes clipped on purpose are left out: visually hidden text (clip), and whatever lies inside a
# box whose overflow is hidden or clipped.
WIDER_THAN_THE_SCREEN = """() => {
  const limit = window.innerWidth + 0.5;
  const hidden = (style) => style.clip !== "auto" || style.clipPath !== "none";
  const clipped = (style) => hidden(style) || ["hidden", "clip"].includes(style.overflowX);
  const scrolls = (style) => ["auto", "scroll"].includes(style.overflowX);
  const describe = (el) => {
    const classes = [...el.classList].map((name) => "." + name).join("");
    const text = (el.innerText || el.textContent || "").trim().replace(/\\s+/g, " ").slice(0, 40);
    return `${el.tagName.toLowerCase()}${classes} "${text}"`;
  };
  const found = [];
  const walk = (el, insideClip) => {
    const style = getComputedStyle(el);
    if (style.display === "none") return;
    const rect = el.getBoundingClientRect();
    let wide = false;
    if (!insideClip && !hidden(style) && rect.width + rect.height > 0) {
      if (rect.right > limit) {
        found.push(`${describe(el)} reaches ${Math.round(rect.right)} px`);
        wide = true;
      } else if (scrolls(style) && el.scrollWidth > el.clientWidth + 1) {
        found.push(`${describe(el)} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth})`);
        wide = true;
      }
    }
    const hidesInside = insideClip || clipped(style);
    for (const child of el.children) {
      walk(child, hidesInside || wide);
    }
  };
  walk(document.body, false);
  const root = document.documentElement;
  if (root.scrollWidth > root.clientWidth + 1) {
    found.unshift(`the page is ${root.scrollWidth} px wide`);
  }
  return found;
}"""


def wider_than_the_screen(page) -> list[str]:
    """What on the page is wider than the screen, or scrolls sideways, described; [] if nothing."""
    return page.evaluate(WIDER_THAN_THE_SCREEN)


@pytest.fixture
def garage(owner, make_vehicle):
    """The owner's lived-in account: a pickup with a year of fill-ups (one partial), an overdue
    oil change, a recurring inspection, a finished brake job and a saved station; plus a
    second vehicle so lists have more than one row."""
    pickup = make_vehicle(
        owner,
        vin="1FTMW1T88MFA00001",
        make="Ford",
        model="F-150",
        year=2021,
        nickname="Work truck",
        color="Blue",
        license_plate="7ABC123",
    )
    make_vehicle(owner, make="Honda", model="Accord", year=2014, odometer_reading=88_000)
    # Saved before the fill-ups that name it, which are linked to it (stations.linking).
    station = Station.objects.create(
        name="Shell Main Street",
        address="100 Main St, Springfield, IL 62701, USA",
        latitude=Decimal("39.7990175"),
        longitude=Decimal("-89.6439575"),
        phone="(217) 555-0100",
    )
    FavoriteStation.objects.create(user=owner, station=station, note="Cheapest on Tuesdays")
    today = timezone.localdate()
    for index in range(12):
        save_fuel_log(
            FuelLog(
                vehicle=pickup,
                date=today - datetime.timedelta(days=30 * (11 - index)),
                odometer_reading=10_000 + index * 410 + (index % 3) * 7,
                gallons=Decimal("21.5") - index % 4,
                price_per_gallon=Decimal("3.459") + Decimal(index % 5) / 10,
                is_full_tank=index != 6,
                station_name="Shell Main Street" if index % 2 else "Costco Gas Station",
            )
        )
    pickup.refresh_from_db()
    save_record(
        MaintenanceRecord(
            user=owner, vehicle=pickup, type="oil_change", due_mileage=pickup.odometer_reading - 12
        )
    )
    save_record(
        MaintenanceRecord(
            user=owner,
            vehicle=pickup,
            type="inspection",
            due_date=today + datetime.timedelta(days=200),
            interval_months=12,
        )
    )
    save_record(
        MaintenanceRecord(
            user=owner,
            vehicle=pickup,
            type="brake_service",
            is_completed=True,
            completed_date=today - datetime.timedelta(days=90),
            completed_mileage=12_000,
            cost=Decimal("389.95"),
            service_location="Main Street Garage",
        )
    )
    return pickup


@pytest.fixture
def main_pages(garage, make_vehicle, owner) -> list[str]:
    """The paths of every main page of the garage, with a deleted vehicle so "Recently deleted"
    has a row, an odometer reading between the last two fill-ups (its edit page has a files
    section), and a station search answered by the stub."""
    make_vehicle(owner, make="Mazda", model="MX-5", year=1995).soft_delete()
    # A repeating cost whose renewal is due soon: the costs list and the upcoming list show it.
    cost = Cost.objects.create(
        vehicle=garage,
        category="insurance",
        date=timezone.localdate() - datetime.timedelta(days=355),
        amount=Decimal("612.40"),
        repeat_months=12,
    )
    reading = OdometerReading.objects.create(
        vehicle=garage,
        date=timezone.localdate() - datetime.timedelta(days=15),
        odometer_reading=14_300,
    )
    return [
        "/",
        "/vehicles/",
        "/vehicles/add/",
        garage.get_absolute_url(),
        f"/vehicles/{garage.pk}/odometer/",
        f"/vehicles/{garage.pk}/odometer/add/",
        f"/vehicles/odometer/{reading.pk}/edit/",
        "/vehicles/deleted/",
        "/fuel/",
        f"/fuel/add/?vehicle={garage.pk}",
        "/maintenance/",
        "/maintenance/upcoming/",
        "/maintenance/add/",
        "/costs/",
        "/costs/add/",
        f"/costs/{cost.pk}/edit/",
        "/stations/?q=shell",
        "/stations/",
        "/accounts/",
        "/accounts/email/",
        "/accounts/delete/",
    ]
