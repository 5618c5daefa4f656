"""Journey: an owner records last year's insurance from the vehicle page, sees its renewal come
due on the upcoming list, records the payment from there with the form filled in, and the
renewal moves on a year; the cost's form takes a receipt."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from attachments.tests.conftest import MINIMAL_PDF
from conftest import PASSWORD
from costs.models import Cost
from motovault.l10n import day
from motovault.tests.browser.conftest import log_in

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def test_it_reminds_of_a_renewal_and_records_the_payment(page, vehicle, tmp_path):
    log_in(page, "alice", PASSWORD)
    today = timezone.localdate()
    paid = today - datetime.timedelta(days=355)
    page.goto(vehicle.get_absolute_url())
    page.get_by_role("link", name="Add cost").first.click()
    expect(page.get_by_label("Vehicle")).to_have_value(str(vehicle.pk))
    page.get_by_label("Category").select_option(label="Insurance")
    page.get_by_label("Date").fill(paid.isoformat())
    page.get_by_label("Amount ($)").fill("612.40")
    page.get_by_label("Repeats every (months)").fill("12")
    page.get_by_role("button", name="Add cost").click()
    # Back on the vehicle page, which lists it.
    expect(page.get_by_text("You will be reminded of the next payment")).to_be_visible()
    expect(page.get_by_role("region", name="Other costs")).to_contain_text("$612.40")

    page.goto("/maintenance/upcoming/")
    row = page.get_by_role("row", name="Insurance renewal")
    expect(row).to_contain_text("due in 10 days")
    row.get_by_role("link", name="Record payment").click()
    expect(page.get_by_label("Category")).to_have_value("insurance")
    expect(page.get_by_label("Amount ($)")).to_have_value("612.40")
    expect(page.get_by_label("Date")).to_have_value(today.isoformat())
    page.get_by_role("button", name="Add cost").click()

    # Back on the upcoming list: nothing is due any more; the next renewal is a year away.
    expect(page.get_by_role("heading", name="Nothing is due")).to_be_visible()
    latest = Cost.objects.order_by("-date").first()
    assert latest.date == today and latest.next_due() == today.replace(year=today.year + 1)

    page.goto("/costs/")
    page.get_by_role("link", name=f"Edit Insurance of {day(today)}").click()
    receipt = tmp_path / "policy.pdf"
    receipt.write_bytes(MINIMAL_PDF)
    page.get_by_label("Add a file").set_input_files(str(receipt))
    page.get_by_role("button", name="Upload").click()
    expect(page.get_by_text("Attached policy.pdf.")).to_be_visible()
