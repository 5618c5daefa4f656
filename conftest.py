"""Personas and factories shared by every app's tests."""

import datetime as dt
import ipaddress
import itertools
import socket
import types
from decimal import Decimal

import pytest
import responses
from django.contrib.auth.models import User
from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from fuellogs.models import FuelLog
from motovault.http import circuits
from vehicles.models import Vehicle
from vehicles.vin import check_digit

# pytester runs a test in a pytest of its own: the proof that the network guard fails a test.
pytest_plugins = ["pytester"]

PASSWORD = "correct-horse-battery-staple"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache (the real one: Redis in CI)."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Real hashing costs about a second per user created; tests check behavior, not strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _closed_circuits():
    """A test's outside-service failures do not open the circuit for the next test."""
    circuits.reset()


@pytest.fixture(autouse=True)
def _overpass_off(settings):
    """OpenStreetMap's public Overpass server is on by default, and outside the machine; the
    tests that search it turn it on at a test address."""
    settings.OVERPASS_ENABLED = False


class NetworkRefused(RuntimeError):
    """A test reached for a host outside this machine. Not an OSError, so no client takes it
    for a network failure and carries on."""


@pytest.fixture(autouse=True)
def _no_network(monkeypatch):
    """Tests reach nothing but this machine: recorded responses (`responses`, which answers
    inside requests) and local stub servers. Resolving or connecting to any other host raises
    NetworkRefused, and the test fails even if the code under test swallowed that error. Yields
    the hosts it refused."""
    refused: list[str] = []
    real_getaddrinfo = socket.getaddrinfo
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex

    def refuse(host, port):
        refused.append(f"{host}:{port}")
        raise NetworkRefused(
            f"Tests may not reach the network, but this one tried {host} (port {port}). "
            "Answer outside services with `responses` or a stub server on 127.0.0.1."
        )

    def getaddrinfo(host, port, *args, **kwargs):
        if not _is_loopback(host):
            refuse(host, port)
        return real_getaddrinfo(host, port, *args, **kwargs)

    def check(sock, address):
        if sock.family in (socket.AF_INET, socket.AF_INET6) and not _is_loopback(address[0]):
            refuse(address[0], address[1])

    def connect(sock, address):
        check(sock, address)
        return real_connect(sock, address)

    def connect_ex(sock, address):
        check(sock, address)
        return real_connect_ex(sock, address)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    yield refused
    if refused:
        pytest.fail(f"The test tried to reach the network: {', '.join(refused)}", pytrace=False)


def _is_loopback(host) -> bool:
    """Whether `host` is this machine: localhost, 127.0.0.0/8 or ::1 (not resolved, so asking
    costs no DNS lookup). None asks getaddrinfo for the loopback address itself."""
    if host is None:
        return True
    if isinstance(host, bytes):
        host = host.decode("ascii", "replace")
    host = host.lower().rstrip(".")
    if host == "localhost":
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        return False
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
    return address.is_loopback


@pytest.fixture
def mocked():
    """Every outbound call must be answered by the test: one nobody registered fails at once, as
    a connection error would."""
    with responses.RequestsMock(assert_all_requests_are_fired=False) as mock:
        yield mock


class Clock:
    """A clock held still, that a test moves on by setting `now`."""

    def __init__(self, now: float):
        self.now = now

    def time(self) -> float:
        return self.now


@pytest.fixture
def hold_clock(monkeypatch):
    """Holds still the clock a module reads (its `time.time()`), twenty seconds into an hour:
    on the real one, a count kept per minute or hour of the clock starts again midway when a
    test straddles one (CI once failed so)."""

    def hold(module: types.ModuleType) -> Clock:
        clock = Clock(490_000 * 3600 + 20.0)
        monkeypatch.setattr(module, "time", types.SimpleNamespace(time=clock.time))
        return clock

    return hold


@pytest.fixture
def apps_before(transactional_db):
    """`apps_before(targets)` migrates the database back to `targets` (migration keys) and gives
    the apps as they were there: a test fills the old schema with data, then migrates forward.
    The database is migrated forward again however the test ends."""

    def migrate_back(targets: list[tuple[str, str]]):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return executor.loader.project_state(targets).apps

    yield migrate_back
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def just_before(migration: tuple[str, str]) -> list[tuple[str, str]]:
    """The migrations `migration` depends on: the state just before it."""
    graph = MigrationExecutor(connection).loader.graph
    return [parent.key for parent in graph.node_map[migration].parents]


@pytest.fixture
def no_page_cache(settings):
    """Every page made afresh (motovault/pagecache.py off): for tests that compare what making a
    page costs, or read its context, over several views of it."""
    settings.PAGE_CACHE_SECONDS = 0


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


def make_fill_up(vehicle: Vehicle, date: dt.date | str, odometer_reading: int, **fields) -> FuelLog:
    """Store a fill-up of the vehicle's owner directly (no rules): 10 gal at $3.000, a full tank,
    unless `fields` say otherwise."""
    fields.setdefault("gallons", Decimal("10.000"))
    fields.setdefault("price_per_gallon", Decimal("3.000"))
    fields.setdefault(
        "total_cost", (fields["gallons"] * fields["price_per_gallon"]).quantize(Decimal("0.01"))
    )
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return FuelLog.objects.create(
        user=vehicle.user, vehicle=vehicle, date=date, odometer_reading=odometer_reading, **fields
    )
