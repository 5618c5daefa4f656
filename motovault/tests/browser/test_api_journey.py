"""An owner makes an API token on the account page, copies its secret (shown once), uses it,
sees its last use and revokes it; the API's documentation page runs under the CSP."""

import pytest
from django.test import Client

from api.models import SECRET_PREFIX
from conftest import PASSWORD
from motovault.tests.browser.conftest import (
    PHONE,
    log_in,
    serious_accessibility_violations,
    wider_than_the_screen,
)

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_makes_uses_and_revokes_a_token(new_page, owner, vehicle):
    # bypass_csp: for axe-core, which the test injects.
    page = new_page(bypass_csp=True)
    log_in(page, "alice", PASSWORD)
    page.goto("/accounts/")
    page.get_by_role("link", name="Manage API tokens").click()
    assert page.get_by_text("No tokens yet.").is_visible()
    page.get_by_label("Name").fill("Home Assistant")
    page.get_by_label("Read-only: it can read everything and change nothing").check()
    page.get_by_role("button", name="Make token").click()
    assert page.get_by_text("Copy it now: it is shown this once.").is_visible()
    secret = page.get_by_role("textbox", name="Token").input_value()
    assert secret.startswith(SECRET_PREFIX)
    assert serious_accessibility_violations(page) == []

    api = Client(headers={"Authorization": f"Bearer {secret}"})
    assert api.get("/api/v1/vehicles/").json()["items"][0]["id"] == str(vehicle.pk)
    page.goto("/accounts/tokens/")
    assert page.get_by_text(secret).count() == 0
    row = page.get_by_role("row", name="Home Assistant")
    assert "Never" not in row.inner_text() and "Read-only" in row.inner_text()

    row.get_by_role("link", name="Revoke…").click()
    page.get_by_role("button", name="Revoke").click()
    assert page.get_by_text("Revoked the token “Home Assistant”").is_visible()
    assert api.get("/api/v1/vehicles/").status_code == 401


def test_it_fits_a_phone_with_the_secret_shown(new_page, owner):
    page = new_page(viewport=PHONE, color_scheme="dark")
    log_in(page, "alice", PASSWORD)
    page.goto("/accounts/tokens/")
    page.get_by_label("Name").fill("iPhone shortcut with a rather long name")
    page.get_by_label("Read and write: it can also add, change and delete").check()
    page.get_by_role("button", name="Make token").click()
    assert page.get_by_role("textbox", name="Token").is_visible()
    assert wider_than_the_screen(page) == []


def test_it_shows_the_api_documentation_under_the_csp(new_page, owner):
    page = new_page()
    refused = []
    page.on(
        "console",
        lambda message: (
            refused.append(message.text)
            if "Content Security Policy" in message.text and "script" in message.text
            else None
        ),
    )
    log_in(page, "alice", PASSWORD)
    page.goto("/api/v1/docs")
    page.get_by_text("MotoVault API").first.wait_for()
    page.get_by_text("/api/v1/fuel-logs/").first.wait_for()
    assert refused == []
