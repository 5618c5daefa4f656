"""Journey: an owner brings their Fuelly history in. Upload, preview (map the file's car to one
of theirs, see MotoVault's economy next to Fuelly's), confirm, and read the history and its
economy on the fuel list."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import expect

from conftest import PASSWORD
from fuellogs.models import FuelLog
from motovault.tests.browser.conftest import PHONE, log_in, serious_accessibility_violations

pytestmark = pytest.mark.django_db(transaction=True)

FUELLY = Path(settings.BASE_DIR) / "imports" / "tests" / "samples" / "fuelly-us.csv"
# Where to save screenshots of the pages, to look at them: set IMPORT_SCREENSHOTS to a directory.
SHOTS = Path(os.environ.get("IMPORT_SCREENSHOTS", "/nonexistent"))


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_imports_a_fuelly_history_into_a_chosen_vehicle(new_page, owner, make_vehicle):
    car = make_vehicle(owner, nickname="Weekend car", odometer_reading=40_000)
    # axe-core runs as an inline script, which the Content Security Policy refuses.
    page = new_page(bypass_csp=True)
    log_in(page, "alice", PASSWORD)

    page.locator(".account-menu summary").click()
    page.get_by_role("link", name="Import history").click()
    expect(page.get_by_role("heading", name="Import history", level=1)).to_be_visible()
    expect(
        page.get_by_text("A CSV file of at most 20.0 MB, or a MotoVault archive")
    ).to_be_visible()
    page.get_by_label("File").set_input_files(str(FUELLY))
    page.get_by_role("button", name="Upload and preview").click()

    expect(page.get_by_role("heading", name="Import preview", level=1)).to_be_visible()
    # No vehicle of the owner is called Accord: a new one is proposed; they choose theirs.
    vehicle = page.get_by_label("Import “Accord” into")
    expect(vehicle).to_have_value("new")
    vehicle.select_option(label="Weekend car")
    page.get_by_role("button", name="Update preview").click()
    summary = page.get_by_role("table", name="What each vehicle gets")
    expect(summary).to_contain_text("Weekend car")
    expect(summary.locator("tbody tr td").nth(2)).to_have_text("6")
    rows = page.get_by_role("table", name="The file's rows")
    # MotoVault's economy next to Fuelly's, the same where the two agree.
    line_7 = rows.locator("tr", has_text="Feb 18, 2024")
    expect(line_7.locator("td").nth(6)).to_have_text("30.76")
    expect(line_7.locator("td").nth(7)).to_have_text("30.76")
    assert serious_accessibility_violations(page) == []
    assert FuelLog.objects.count() == 0
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / "import-preview-light.png"), full_page=True)

    page.get_by_role("button", name="Import 6 fill-ups and 0 services").click()
    expect(page.get_by_text("Imported 6 fill-ups and 0 services.")).to_be_visible()
    expect(page.get_by_role("heading", name="Fuel", level=1)).to_be_visible()
    newest = page.locator("table.data tbody tr").first
    expect(newest).to_contain_text("Feb 18, 2024")
    expect(newest).to_contain_text("30.8")
    assert FuelLog.objects.filter(vehicle=car).count() == 6


def test_it_reads_on_a_phone_in_the_dark(new_page, owner, make_vehicle):
    make_vehicle(owner, nickname="Accord")
    page = new_page(viewport=PHONE, color_scheme="dark")
    log_in(page, "alice", PASSWORD)
    page.goto("/import/")
    page.get_by_label("File").set_input_files(str(FUELLY))
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_label("Import “Accord” into")).to_have_value(str(owner.vehicles.get().pk))
    expect(page.get_by_role("button", name="Import 6 fill-ups and 0 services")).to_be_visible()
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / "import-preview-phone-dark.png"), full_page=True)
    page.goto("/import/")
    page.get_by_label("File").set_input_files(
        {"name": "empty.csv", "mimeType": "text/csv", "buffer": b""}
    )
    page.get_by_role("button", name="Upload and preview").click()
    expect(page.get_by_text("The file is empty.")).to_be_visible()
    if SHOTS.is_dir():
        page.screenshot(path=str(SHOTS / "import-upload-phone-dark.png"), full_page=True)
