"""The account page: the time zone, a new email address, and deleting the account."""

import datetime as dt

import pytest
from axes.models import AccessAttempt, AccessLog
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import Preferences
from conftest import PASSWORD, make_fill_up
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from stations.models import FavoriteStation, Station
from vehicles.cache import vehicle_list_key
from vehicles.models import OdometerReading, Vehicle


def test_it_shows_the_account_page_with_its_links(owner_client, owner):
    response = owner_client.get(reverse("account"))
    body = response.content.decode()
    assert response.status_code == 200
    assert "alice@example.com" in body
    for name in ("change_email", "password_change", "delete_account"):
        assert f'href="{reverse(name)}"' in body
    assert 'name="time_zone"' in body


def test_it_links_the_account_page_from_the_menu(owner_client):
    body = owner_client.get(reverse("dashboard")).content.decode()
    assert f'<a href="{reverse("account")}">Your account</a>' in body


def test_it_redirects_the_old_preferences_address_for_good(owner_client):
    response = owner_client.get("/accounts/preferences/")
    assert response.status_code == 301
    assert response["Location"] == reverse("account") == "/accounts/"


# ---- email address -----------------------------------------------------------------------


def test_it_changes_the_email_address_with_the_password(owner_client, owner):
    response = owner_client.post(
        reverse("change_email"), {"email": "alice@NEW.example", "password": PASSWORD}, follow=True
    )
    assert response.redirect_chain[-1][0] == reverse("account")
    assert "Your email address is now alice@new.example." in response.content.decode()
    owner.refresh_from_db()
    assert owner.email == "alice@new.example"


def test_it_refuses_a_new_email_address_without_the_right_password(owner_client, owner):
    response = owner_client.post(
        reverse("change_email"), {"email": "mallory@example.com", "password": "wrong"}
    )
    assert response.status_code == 200
    assert "That is not your current password." in response.content.decode()
    owner.refresh_from_db()
    assert owner.email == "alice@example.com"


def test_it_refuses_a_malformed_email_address(owner_client, owner):
    response = owner_client.post(
        reverse("change_email"), {"email": "not-an-address", "password": PASSWORD}
    )
    assert "Enter a valid email address." in response.content.decode()
    owner.refresh_from_db()
    assert owner.email == "alice@example.com"


def test_it_counts_wrong_passwords_towards_the_sign_in_lockout(owner_client, owner):
    for _ in range(5):
        owner_client.post(reverse("change_email"), {"email": "m@example.com", "password": "x"})
    response = owner_client.post(
        reverse("change_email"), {"email": "m@example.com", "password": PASSWORD}
    )
    assert response.status_code == 429
    owner.refresh_from_db()
    assert owner.email == "alice@example.com"


# ---- deleting the account ----------------------------------------------------------------


@pytest.fixture
def belongings(owner, other_user, make_vehicle):
    """One of everything for the owner (a deleted vehicle too), and some for the other user."""
    today = timezone.localdate()
    station = Station.objects.create(name="Shell Main St", address="100 Main St")
    for user in (owner, other_user):
        vehicle = make_vehicle(user, odometer_reading=42_000)
        make_vehicle(user, deleted_at=timezone.now())
        make_fill_up(vehicle, today - dt.timedelta(days=3), 41_800)
        MaintenanceRecord.objects.create(
            user=user, vehicle=vehicle, type="oil_change", due_date=today
        )
        FavoriteStation.objects.create(user=user, station=station)
        OdometerReading.objects.create(
            vehicle=vehicle, date=today - dt.timedelta(days=2), odometer_reading=41_900
        )
        Preferences.objects.create(user=user, time_zone="Europe/Berlin")
    return station


def rows_of(user_id: int) -> dict:
    return {
        "vehicles": Vehicle.objects.filter(user_id=user_id).count(),
        "fuel logs": FuelLog.objects.filter(user_id=user_id).count(),
        "maintenance": MaintenanceRecord.objects.filter(user_id=user_id).count(),
        "odometer readings": OdometerReading.objects.filter(user_id=user_id).count(),
        "favorites": FavoriteStation.objects.filter(user_id=user_id).count(),
        "preferences": Preferences.objects.filter(user_id=user_id).count(),
        "user": User.objects.filter(pk=user_id).count(),
    }


def signed_in(username: str, address: str) -> Client:
    client = Client(REMOTE_ADDR=address)
    assert (
        client.post(reverse("login"), {"username": username, "password": PASSWORD}).status_code
        == 302
    )
    return client


def test_it_deletes_nothing_when_the_confirmation_is_not_the_username(owner, belongings):
    client = signed_in("alice", "192.0.2.1")
    before = rows_of(owner.pk)
    response = client.post(
        reverse("delete_account"), {"confirmation": "Alice", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert "That is not your username; nothing was deleted." in response.content.decode()
    assert (
        rows_of(owner.pk)
        == before
        == {
            "vehicles": 2,
            "fuel logs": 1,
            "maintenance": 1,
            "odometer readings": 1,
            "favorites": 1,
            "preferences": 1,
            "user": 1,
        }
    )


def test_it_deletes_nothing_without_the_right_password(owner, belongings):
    client = signed_in("alice", "192.0.2.1")
    before = rows_of(owner.pk)
    response = client.post(reverse("delete_account"), {"confirmation": "alice", "password": "no"})
    assert "That is not your current password." in response.content.decode()
    assert rows_of(owner.pk) == before


def test_it_deletes_the_account_and_every_row_it_has(
    owner, other_user, belongings, django_capture_on_commit_callbacks
):
    laptop, phone = signed_in("alice", "192.0.2.1"), signed_in("alice", "192.0.2.2")
    signed_in("bob", "192.0.2.3")
    Client(REMOTE_ADDR="192.0.2.4").post(reverse("login"), {"username": "alice", "password": "no"})
    others_before = rows_of(other_user.pk)
    cache.set(vehicle_list_key(owner.pk), {"vehicles": [], "deleted_count": 0})

    with django_capture_on_commit_callbacks(execute=True):
        response = laptop.post(
            reverse("delete_account"), {"confirmation": "alice", "password": PASSWORD}, follow=True
        )

    assert response.redirect_chain[-1][0] == reverse("login")
    assert "The account alice and everything in it are deleted." in response.content.decode()
    assert set(rows_of(owner.pk).values()) == {0}
    assert not AccessAttempt.objects.filter(username="alice").exists()
    assert not AccessLog.objects.filter(username="alice").exists()
    # Signed out everywhere: the other device's session is gone too.
    assert phone.get(reverse("dashboard")).status_code == 302
    assert [s.get_decoded()["_auth_user_id"] for s in Session.objects.all()] == [str(other_user.pk)]
    # The other owner, and the shared station, are untouched.
    assert rows_of(other_user.pk) == others_before
    assert Station.objects.filter(pk=belongings.pk).exists()
    assert AccessLog.objects.filter(username="bob").exists()
    # Nothing cached under the deleted owner's id outlives them.
    assert cache.get(vehicle_list_key(owner.pk)) is None


def test_it_deletes_all_or_nothing(owner, belongings, monkeypatch):
    """A failure half-way (here: the sessions cannot be read) leaves every row in place."""
    client = signed_in("alice", "192.0.2.1")
    before = rows_of(owner.pk)

    def fail(self):
        raise RuntimeError("the disk is on fire")

    monkeypatch.setattr(Session, "get_decoded", fail)
    with pytest.raises(RuntimeError):
        client.post(reverse("delete_account"), {"confirmation": "alice", "password": PASSWORD})
    assert rows_of(owner.pk) == before


def test_the_admin_can_still_delete_a_user_with_records(
    admin_client, owner, other_user, belongings
):
    others_before = rows_of(other_user.pk)
    response = admin_client.post(
        reverse("admin:auth_user_delete", args=[owner.pk]), {"post": "yes"}
    )
    assert response.status_code == 302
    assert set(rows_of(owner.pk).values()) == {0}
    assert rows_of(other_user.pk) == others_before
