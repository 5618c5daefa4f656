"""Accounts: Django's password validators, sessions that end on a password change, and cookies
that only travel over HTTPS in production."""

from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from conftest import PASSWORD
from motovault.tests.production import run_in_production


def test_it_refuses_a_weak_password_at_signup(client, db):
    response = client.post(
        reverse("signup"),
        {"username": "carol", "password1": "password", "password2": "password"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "This password is too common." in body
    assert not User.objects.filter(username="carol").exists()


def test_it_refuses_a_password_like_the_username(client, db):
    response = client.post(
        reverse("signup"),
        {
            "username": "carolinewheeler",
            "password1": "carolinewheeler1",
            "password2": "carolinewheeler1",
        },
    )
    assert "The password is too similar to the username." in response.content.decode()
    assert not User.objects.filter(username="carolinewheeler").exists()


def test_it_refuses_a_weak_new_password(owner_client, owner):
    response = owner_client.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678"},
    )
    assert response.status_code == 200
    assert "This password is entirely numeric." in response.content.decode()
    owner.refresh_from_db()
    assert owner.check_password(PASSWORD)


def test_it_ends_other_sessions_when_the_password_changes(owner, client):
    laptop, phone = client, Client()
    for device in (laptop, phone):
        device.post(reverse("login"), {"username": "alice", "password": PASSWORD})
        assert device.get(reverse("dashboard")).status_code == 200

    new_password = "a-brand-new-passphrase-2024"
    response = laptop.post(
        reverse("password_change"),
        {"old_password": PASSWORD, "new_password1": new_password, "new_password2": new_password},
    )
    assert response.status_code == 302

    # The device that changed it stays signed in; the other one is sent to the login page.
    assert laptop.get(reverse("dashboard")).status_code == 200
    response = phone.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"
    owner.refresh_from_db()
    assert owner.check_password(new_password)


SIGN_IN_OVER_HTTPS = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from django.test import Client
User.objects.create_user("alice", password="correct-horse-battery-staple")
client = Client()
page = client.get("/accounts/login/", secure=True)
response = client.post(
    "/accounts/login/",
    {"username": "alice", "password": "correct-horse-battery-staple",
     "csrfmiddlewaretoken": page.cookies["csrftoken"].value},
    secure=True,
)
print(json.dumps({
    "status": response.status_code,
    "cookies": {name: {"secure": bool(m["secure"]), "httponly": bool(m["httponly"]),
                       "samesite": m["samesite"]}
                for name, m in {**page.cookies, **response.cookies}.items()},
    "plain_http": Client().get("/accounts/login/").status_code,
}))
"""


def test_it_sends_cookies_only_over_https_in_production(tmp_path):
    """A real sign-in, in a fresh interpreter with production settings (DEBUG off)."""
    outcome = run_in_production(
        SIGN_IN_OVER_HTTPS,
        tmp_path,
        SECRET_KEY="production-" + "k3y-" * 15,
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    assert outcome["status"] == 302
    session, csrf = outcome["cookies"]["sessionid"], outcome["cookies"]["csrftoken"]
    assert session == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert csrf["secure"] is True and csrf["samesite"] == "Lax"
    # Plain HTTP is redirected to HTTPS before any cookie could be set.
    assert outcome["plain_http"] == 301
