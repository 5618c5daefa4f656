"""Personas and factories shared by every app's tests."""

import itertools

import pytest
from django.contrib.auth.models import User
from django.core.cache import cache

from motovault.http import circuits
from vehicles.models import Vehicle
from vehicles.vin import check_digit

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the real one: Redis in CI)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs about a second per user created; tests check behaviour, not strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _closed_circuits():
    """A test's outside-service failures do not open the circuit for the next test."""
    circuits.reset()


@pytest.fixture
def owner(db):
    return User.objects.create_user("alice", "alice@example.com", PASSWORD)


@pytest.fixture
def other_user(db):
    return User.objects.create_user("bob", "bob@example.com", PASSWORD)


@pytest.fixture
def owner_client(client, owner):
    client.force_login(owner)
    return client


@pytest.fixture
def other_client(db, other_user):
    from django.test import Client

    client = Client()
    client.force_login(other_user)
    return client


_serials = itertools.count(100001)


def make_vin(prefix: str = "1HGCM8263", year_code: str = "A") -> str:
    """A fresh, valid North American VIN (check digit computed), e.g. for factories."""
    body = f"{prefix[:8]}0{year_code}A{next(_serials):06d}"
    return body[:8] + check_digit(body) + body[9:]


@pytest.fixture
def make_vehicle(db):
    """Create a vehicle; the owner and a valid VIN are filled in when not given."""

    def make(user, **fields):
        fields.setdefault("vin", make_vin())
        fields.setdefault("make", "Honda")
        fields.setdefault("model", "Accord")
        fields.setdefault("year", 2010)
        return Vehicle.objects.create(user=user, **fields)

    return make


@pytest.fixture
def vehicle(owner, make_vehicle):
    return make_vehicle(owner, nickname="Daily driver", odometer_reading=42_000)
