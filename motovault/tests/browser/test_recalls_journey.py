"""The owner sees a vehicle's safety recalls, the do-not-drive warning first, marks one done and
brings it back; and a service due by mileage shows the date projected from their driving."""

import os

import pytest

from conftest import PASSWORD
from maintenance.models import MaintenanceRecord
from motovault.tests.browser.conftest import (
    PHONE,
    log_in,
    serious_accessibility_violations,
    wider_than_the_screen,
)
from recalls.models import Campaign, RecallStatus, VehicleRecall

pytestmark = pytest.mark.django_db(transaction=True)

# Where to save screenshots for a look (not kept in the repository); unset, none are taken.
SHOTS = os.environ.get("RECALL_SCREENSHOTS", "")


@pytest.fixture
def recalled(garage):
    """Two open recalls on the garage's pickup (one "park it", one "park outside") and a
    service due by mileage far enough away that only the projection dates it."""
    for number, park_it, park_outside, component in [
        ("21V100000", True, False, "AIR BAGS:FRONTAL:DRIVER SIDE:INFLATOR MODULE"),
        ("22V200000", False, True, "ELECTRICAL SYSTEM:WIRING"),
        ("23V300000", False, False, "STRUCTURE:BODY:HOOD:LATCH"),
    ]:
        campaign = Campaign.objects.create(
            make="FORD",
            model="F-150",
            model_year=2021,
            campaign_number=number,
            component=component,
            summary="The part may fail.",
            consequence="A failure increases the risk of injury.",
            remedy="Dealers will replace the part, free of charge.",
            park_it=park_it,
            park_outside=park_outside,
        )
        VehicleRecall.objects.create(vehicle=garage, campaign=campaign)
    MaintenanceRecord.objects.create(
        user=garage.user,
        vehicle=garage,
        type="tire_rotation",
        due_mileage=garage.odometer_reading + 2_000,
    )
    return garage


def test_the_owner_deals_with_recalls_on_the_vehicle_page(new_page, recalled):
    page = new_page(bypass_csp=True)
    log_in(page, "alice", PASSWORD)
    page.goto(recalled.get_absolute_url())
    panel = page.locator(".recalls-panel")
    warnings = panel.locator(".recall-warning")
    assert warnings.nth(0).inner_text().startswith("Park it:")
    assert warnings.nth(1).inner_text().startswith("Park outside:")
    assert "Due around" in page.locator(".maintenance-panel").inner_text()
    assert serious_accessibility_violations(page) == []

    panel.get_by_role("button", name="Mark done 21V100000").click()
    page.wait_for_url(f"**{recalled.get_absolute_url()}")
    assert "Recall 21V100000 is marked done." in page.content()
    assert not page.locator(".recall-warning", has_text="Park it:").count()
    assert VehicleRecall.objects.get(campaign__campaign_number="21V100000").status == (
        RecallStatus.DONE
    )

    page.locator(".recalls-dismissed summary").click()
    page.get_by_role("button", name="Reopen 21V100000").click()
    page.wait_for_url(f"**{recalled.get_absolute_url()}")
    assert page.locator(".recall-warning", has_text="Park it:").count() == 1


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_recalls_fit_a_phone(new_page, recalled, scheme):
    page = new_page(viewport=PHONE, color_scheme=scheme, bypass_csp=True)
    log_in(page, "alice", PASSWORD)
    page.goto(recalled.get_absolute_url())
    assert wider_than_the_screen(page) == []
    assert serious_accessibility_violations(page) == []
    if SHOTS:
        for width in (1280, 360):
            page.set_viewport_size({"width": width, "height": 900})
            page.locator(".recalls-panel").screenshot(path=f"{SHOTS}/recalls-{width}-{scheme}.png")
            page.locator(".maintenance-panel").screenshot(
                path=f"{SHOTS}/projection-{width}-{scheme}.png"
            )
        page.goto("/maintenance/upcoming/")
        page.screenshot(path=f"{SHOTS}/upcoming-1280-{scheme}.png", full_page=True)
