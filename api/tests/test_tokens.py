"""Personal access tokens: made on the account page (the secret shown once, only its hash
stored) or by the command, used, their last use recorded at most once a minute, revoked."""

import datetime as dt
import re

import pytest
from django.contrib import admin
from django.core.management import CommandError, call_command
from django.utils import timezone

from api.models import SECRET_PREFIX, ApiToken, hash_secret
from api.tests.conftest import ApiClient
from motovault.erase import delete_account


def test_it_stores_only_the_hash_of_the_secret(owner):
    token, secret = ApiToken.issue(owner, "Home Assistant", read_only=True)
    token.refresh_from_db()
    assert secret.startswith(SECRET_PREFIX) and len(secret) > 40
    assert token.secret_hash == hash_secret(secret)
    assert secret not in {str(value) for value in token.__dict__.values()} - {token.prefix}
    assert secret.startswith(token.prefix)


def test_it_makes_a_token_on_the_account_page_and_shows_the_secret_once(owner_client, owner):
    assert "API tokens" in owner_client.get("/accounts/").content.decode()
    response = owner_client.post(
        "/accounts/tokens/new/", {"name": "iPhone shortcut", "read_only": "false"}
    )
    assert response.status_code == 200
    token = ApiToken.objects.get(user=owner)
    assert token.name == "iPhone shortcut" and not token.read_only
    page = response.content.decode()
    secret = re.search(rf"{SECRET_PREFIX}[\w-]+", page).group()
    assert hash_secret(secret) == token.secret_hash
    assert "shown this once" in page
    assert "no-store" in response["Cache-Control"]
    # Never again.
    assert secret not in owner_client.get("/accounts/tokens/").content.decode()
    assert ApiClient(secret).get("/api/v1/vehicles/").status_code == 200


def test_it_refuses_a_token_without_a_name(owner_client, owner):
    response = owner_client.post("/accounts/tokens/new/", {"name": "", "read_only": "true"})
    assert "This field is required." in response.content.decode()
    assert not ApiToken.objects.filter(user=owner).exists()


def test_it_lists_the_owners_tokens_with_their_last_use(owner_client, owner, other_user):
    used, _ = ApiToken.issue(owner, "Home Assistant", read_only=True)
    ApiToken.issue(owner, "Never used", read_only=False)
    ApiToken.issue(other_user, "Bob's", read_only=True)
    ApiToken.objects.filter(pk=used.pk).update(
        last_used_at=dt.datetime(2026, 11, 2, 8, 30, tzinfo=dt.UTC)
    )
    page = owner_client.get("/accounts/tokens/").content.decode()
    assert "Home Assistant" in page and "Nov 2, 2026, 08:30" in page
    assert "Never used" in page and "Never" in page
    assert "Read-only" in page and "Read and write" in page
    assert "Bob" not in page


def test_it_revokes_a_token_after_confirming(owner_client, owner_token):
    token, secret = owner_token
    confirm = owner_client.get(f"/accounts/tokens/{token.pk}/revoke/")
    assert "stops working at once" in confirm.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is None
    response = owner_client.post(f"/accounts/tokens/{token.pk}/revoke/", follow=True)
    assert "Revoked the token “Home Assistant”" in response.content.decode()
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert token.prefix not in owner_client.get("/accounts/tokens/").content.decode()
    assert ApiClient(secret).get("/api/v1/vehicles/").status_code == 401


def test_it_revokes_no_other_owners_token(other_client, owner_token):
    token, _ = owner_token
    assert other_client.post(f"/accounts/tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_records_the_last_use_at_most_once_a_minute(api, owner_token, db):
    token, _ = owner_token
    api.get("/api/v1/vehicles/")
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None and timezone.now() - first < dt.timedelta(seconds=5)
    api.get("/api/v1/vehicles/")
    token.refresh_from_db()
    assert token.last_used_at == first
    # A minute later, it is written again.
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - dt.timedelta(minutes=2))
    api.get("/api/v1/vehicles/")
    token.refresh_from_db()
    assert token.last_used_at > first - dt.timedelta(seconds=1)


def test_it_makes_a_token_from_the_command_line(owner, capsys):
    call_command("create_api_token", "--user", "alice", "--name", "Backup script", "--read-only")
    last_line = capsys.readouterr().out.strip().splitlines()[-1]
    token = ApiToken.objects.get(user=owner, name="Backup script")
    assert token.read_only
    assert token.secret_hash == hash_secret(last_line)
    assert ApiClient(last_line).get("/api/v1/vehicles/").status_code == 200


def test_it_makes_a_read_write_token_from_the_command_line(owner, capsys):
    call_command("create_api_token", "--user", "alice", "--name", "Shortcut")
    assert not ApiToken.objects.get(user=owner).read_only


def test_it_names_the_unknown_user(db):
    with pytest.raises(CommandError, match="No user is named 'nobody'"):
        call_command("create_api_token", "--user", "nobody", "--name", "x")


def test_it_keeps_tokens_out_of_the_admin():
    assert ApiToken not in admin.site._registry


def test_it_deletes_the_tokens_with_the_account(owner, owner_token):
    delete_account(owner)
    assert not ApiToken.objects.exists()
    assert ApiClient(owner_token[1]).get("/api/v1/vehicles/").status_code == 401
