"""Journey: an owner records what the odometer shows from the vehicle page, finds the reading in
its panel, and attaches a photo of the odometer on the reading's page."""

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attachments.models import Attachment
from attachments.tests.conftest import image_bytes
from conftest import PASSWORD
from motovault.l10n import day
from motovault.tests.browser.conftest import log_in
from vehicles.models import OdometerReading

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_records_a_reading_and_attaches_a_photo_of_the_odometer(page, vehicle, tmp_path):
    log_in(page, "alice", PASSWORD)
    today = timezone.localdate()
    page.goto(vehicle.get_absolute_url())
    panel = page.get_by_role("region", name="Odometer readings")
    panel.get_by_role("link", name="Add reading").click()
    page.get_by_label("Date").fill(today.isoformat())
    page.get_by_label("Odometer").fill("42100")
    page.get_by_role("button", name="Add reading").click()
    # Back on the vehicle page, whose panel lists it.
    expect(page.get_by_text("Recorded 42,100 mi")).to_be_visible()
    expect(panel).to_contain_text("42,100")

    panel.get_by_role("link", name=day(today)).click()
    expect(page.get_by_role("heading", name="Edit odometer reading")).to_be_visible()
    photo = tmp_path / "odometer.jpg"
    photo.write_bytes(image_bytes())
    page.get_by_label("Add a file").set_input_files(str(photo))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Attached odometer.jpg.")).to_be_visible()
    expect(page.get_by_role("region", name="Attachments")).to_contain_text("odometer.jpg")
    (attachment,) = Attachment.objects.all()
    assert attachment.parent == OdometerReading.objects.get()
