import pytest
from django.contrib.auth.models import User

from conftest import PASSWORD
from motovault.tests.browser.conftest import (
    PHONE,
    log_in,
    serious_accessibility_violations,
    wider_than_the_screen,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_signs_up_and_lands_on_the_empty_dashboard(page):
    page.goto("/")
    assert page.get_by_role("heading", name="Log in to MotoVault").is_visible()
    page.get_by_role("link", name="Create an account").click()
    page.get_by_label("Username").fill("dana")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    page.get_by_label("Password confirmation").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    page.wait_for_url("**/")
    assert page.get_by_text("Welcome to MotoVault, dana.").is_visible()
    assert page.get_by_role("heading", name="Add your first vehicle").is_visible()
    assert User.objects.filter(username="dana").exists()


def test_it_logs_out_from_the_account_menu(page, owner):
    log_in(page, "alice", PASSWORD)
    page.get_by_text("Account menu for alice").click()
    page.get_by_role("button", name="Log out").click()
    page.wait_for_url("**/accounts/login/")
    page.goto("/")
    assert "/accounts/login/" in page.url


@pytest.mark.parametrize(
    "path", ["/accounts/login/", "/accounts/signup/", "/accounts/password_reset/"]
)
@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_it_has_no_serious_accessibility_violations_logged_out(new_page, db, path, scheme):
    page = new_page(color_scheme=scheme, bypass_csp=True)
    page.goto(path)
    assert serious_accessibility_violations(page) == []


@pytest.mark.parametrize("path", ["/accounts/login/", "/accounts/signup/"])
def test_it_fits_a_phone_screen_logged_out(new_page, db, path):
    page = new_page(viewport=PHONE)
    page.goto(path)
    assert wider_than_the_screen(page) == []
