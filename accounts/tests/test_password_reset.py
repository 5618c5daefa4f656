"""A password reset mails a link, but not without limit: per address and per client, each hour."""

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts import resets
from conftest import PASSWORD


def ask_for_reset(email: str, address: str = "203.0.113.7"):
    return Client().post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=address)


def test_it_sends_at_most_three_mails_to_one_address_an_hour(owner, mailoutbox, caplog):
    responses = [ask_for_reset("alice@example.com", f"192.0.2.{n}") for n in range(1, 31)]
    assert len(mailoutbox) == 3
    assert {r.status_code for r in responses} == {302}
    assert {r["Location"] for r in responses} == {reverse("password_reset_done")}
    assert "Password reset refused: one address was asked for too often" in caplog.text


def test_it_limits_the_requests_of_one_client(db, mailoutbox, caplog):
    for n in range(12):
        User.objects.create_user(f"owner{n}", f"owner{n}@example.com", PASSWORD)
    for n in range(12):
        ask_for_reset(f"owner{n}@example.com")
    assert len(mailoutbox) == 10
    assert "Password reset refused: client 203.0.113.7 asked too often" in caplog.text
    # Another client is not held back by the first.
    ask_for_reset("owner11@example.com", "198.51.100.2")
    assert len(mailoutbox) == 11


def test_it_limits_an_ipv6_client_by_its_64_network(db, mailoutbox, caplog):
    for n in range(12):
        User.objects.create_user(f"owner{n}", f"owner{n}@example.com", PASSWORD)
    # One home's /64: a new address for each request does not make a new client.
    for n in range(12):
        ask_for_reset(f"owner{n}@example.com", f"2001:db8:1:2:{n:x}:{n:x}:{n:x}:1")
    assert len(mailoutbox) == 10
    assert "Password reset refused: client 2001:db8:1:2:b:b:b:1 asked too often" in caplog.text
    # The neighbors' /64 is another client.
    ask_for_reset("owner11@example.com", "2001:db8:1:3::1")
    assert len(mailoutbox) == 11


def test_it_counts_an_ipv4_client_seen_over_ipv6_as_itself():
    assert resets.client_key("::ffff:203.0.113.7") == resets.client_key("203.0.113.7")
    assert resets.client_key("203.0.113.7") != resets.client_key("203.0.113.8")
    assert resets.client_key("2001:db8::1") == resets.client_key("2001:db8::ffff:1:2:3")


def test_it_answers_a_refused_request_as_it_answers_an_unknown_address(owner, mailoutbox):
    for _ in range(3):
        ask_for_reset("alice@example.com")
    refused = ask_for_reset("alice@example.com")
    unknown = ask_for_reset("nobody@example.com")
    assert len(mailoutbox) == 3
    assert (refused.status_code, refused["Location"]) == (unknown.status_code, unknown["Location"])
    page = Client().get(refused["Location"])
    assert "If an account uses that address, a link to reset the password" in page.content.decode()


def test_it_counts_an_address_however_it_is_written(owner, mailoutbox):
    for email in (
        "alice@example.com",
        "Alice@Example.com",
        "ALICE@EXAMPLE.COM",
        "alice@example.COM",
    ):
        ask_for_reset(email)
    assert len(mailoutbox) == 3


@pytest.fixture
def redis_down(settings):
    """The cache is a Redis server that does not answer (nothing listens on the port)."""
    settings.CACHES = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:18601/0",
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }
    resets._during_outage.clear()
    yield
    resets._during_outage.clear()


def test_it_still_limits_the_mails_while_redis_is_down(owner, mailoutbox, redis_down):
    responses = [ask_for_reset("alice@example.com", f"192.0.2.{n}") for n in range(1, 11)]
    assert {r.status_code for r in responses} == {302}
    assert len(mailoutbox) == 3
