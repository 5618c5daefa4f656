import pytest

from conftest import PASSWORD
from motovault.tests.browser.conftest import (
    PHONE,
    log_in,
    serious_accessibility_violations,
    wider_than_the_screen,
)
from reminders.models import NotificationSettings, PushURL

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_sets_up_notifications_from_the_account_page(new_page, owner):
    # bypass_csp: for axe-core, which the test injects.
    page = new_page(bypass_csp=True)
    log_in(page, "alice", PASSWORD)
    page.goto("/accounts/")
    page.get_by_role("link", name="Notifications").click()
    page.wait_for_url("**/accounts/notifications/")

    page.get_by_label("Send it at").select_option("19:00")
    page.get_by_role("button", name="Save digest").click()
    assert page.get_by_text("Saved your e-mail digest preferences.").is_visible()

    page.get_by_label("Notification URL").fill("json://169.254.169.254/latest")
    page.get_by_role("button", name="Add URL").click()
    assert page.get_by_text("private, loopback or link-local address").is_visible()
    page.get_by_label("Notification URL").fill("ntfys://motovault-alice-car")
    page.get_by_role("button", name="Add URL").click()
    assert page.get_by_text("Added the notification URL.").is_visible()
    assert page.get_by_role("button", name="Send a test").is_visible()

    feed = page.get_by_label("Calendar address").input_value()
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Make a new secret address").click()
    assert page.get_by_text("Made a new calendar address.").is_visible()
    assert page.get_by_label("Calendar address").input_value() != feed

    settings = NotificationSettings.objects.get(user=owner)
    assert settings.digest_hour == 19
    assert feed.endswith(".ics") and settings.calendar_token not in feed
    assert list(PushURL.objects.values_list("url", flat=True)) == ["ntfys://motovault-alice-car"]
    # With the flash message on the page: its live region must not break the list's semantics.
    assert serious_accessibility_violations(page) == []


def test_it_reads_well_on_a_phone_in_the_dark(new_page, owner):
    PushURL.objects.create(user=owner, url="tgram://123456789:SECRETtoken/987654")
    page = new_page(viewport=PHONE, color_scheme="dark", bypass_csp=True)
    log_in(page, "alice", PASSWORD)
    page.goto("/accounts/notifications/")

    assert wider_than_the_screen(page) == []
    assert "SECRETtoken" not in page.content()
    assert serious_accessibility_violations(page) == []
