"""In Chromium: an owner who reads German numbers logs fuel for a car in km and liters, typing
decimal commas, and reads L/100 km with decimal commas on the vehicle page and the fuel list."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from accounts.models import Preferences
from conftest import PASSWORD
from motovault.tests.browser.conftest import log_in


@pytest.fixture
def german_page(new_page):
    """A browser whose language is German."""
    return new_page(locale="de-DE")


pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def golf(owner, make_vehicle):
    Preferences.objects.update_or_create(
        user=owner,
        defaults={
            "locale": "de-DE",
            "currency": "EUR",
            "economy_unit": "l_100km",
            "electric_economy_unit": "kwh_100km",
        },
    )
    return make_vehicle(
        owner, nickname="Golf", distance_unit="km", fuel_unit="l", odometer_reading=12_000
    )


def log_fill_up(page, *, days_ago: int, odometer: str, liters: str, price: str) -> None:
    page.get_by_role("link", name="Log fuel").first.click()
    day = timezone.localdate() - datetime.timedelta(days=days_ago)
    page.get_by_label("Date").fill(day.isoformat())
    page.get_by_label("Odometer (km)").fill(odometer)
    page.get_by_label("Liters").fill(liters)
    page.get_by_label("Price per liter (€)").fill(price)
    page.get_by_role("button", name="Log fuel").click()
    # The confirmation shows the liters as the list does, to three decimals: 40,500.
    whole, _, decimals = liters.partition(",")
    expect(page.get_by_text(f"Logged {whole},{decimals.ljust(3, '0')} L for Golf")).to_be_visible()


def test_it_reads_decimal_commas_and_shows_l_per_100_km(german_page, golf):
    page = german_page
    log_in(page, "alice", PASSWORD)
    page.goto(golf.get_absolute_url())
    log_fill_up(page, days_ago=10, odometer="12.100", liters="40,5", price="1,799")
    log_fill_up(page, days_ago=0, odometer="12.600", liters="40", price="1,859")

    # 500 km on the 40 L that filled the tank again: 8,0 L/100 km.
    panel = page.locator(".fuel-panel")
    expect(panel.locator(".stat", has_text="Average L/100 km")).to_contain_text("8,0")
    expect(panel.locator(".stat", has_text="Average price / L")).to_contain_text("€")
    expect(panel.locator("table.data tbody tr").first).to_contain_text("12.600 km")

    page.goto("/fuel/")
    expect(page.get_by_role("columnheader", name="L/100 km")).to_be_visible()
    first = page.locator("table.data tbody tr").first
    expect(first).to_contain_text("8,0")
    # 40 L at 1.859 comes to 74.36
    expect(first).to_contain_text("74,36\u00a0€")
