"""Outages under gunicorn with production settings and two workers, on servers of our own:
Redis frozen or stopped, PostgreSQL down for 90 s. What the owner waits for, and what the
operator reads in the log."""

import time

import pytest
import requests
from django.conf import settings
from django.db import connection

from motovault.tests.production import run_in_production, serve_in_production
from motovault.tests.services import POSTGRES_BIN, PostgresCluster, RedisServer, wait_for

SIGNED_IN_OWNER = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from django.test import Client
from vehicles.models import Vehicle

owner = User.objects.create_user("alice", password="correct-horse-battery-staple")
Vehicle.objects.create(user=owner, vin="1HGCM82633A004352", make="Honda", model="Accord",
                       year=2010, nickname="Daily driver", odometer_reading=42_000)
client = Client()
client.force_login(owner)
print(json.dumps({"sessionid": client.cookies["sessionid"].value}))
"""


def timed_get(url: str, cookies: dict) -> tuple[requests.Response, float]:
    started = time.monotonic()
    response = requests.get(url, cookies=cookies, allow_redirects=False, timeout=30)
    return response, time.monotonic() - started


@pytest.mark.skipif(
    "redis" not in settings.CACHES["default"]["BACKEND"].lower(), reason="runs on the Redis leg"
)
@pytest.mark.skipif(not RedisServer.available(), reason="needs redis-server")
def test_it_waits_for_a_frozen_redis_once_per_worker_and_logs_one_line_per_outage(tmp_path):
    """gunicorn with production settings and two workers, on a Redis of our own: frozen
    (SIGSTOP), which once made every dashboard wait about 4 s (a 1 s timeout for each of its
    cache calls); then stopped, which once logged a traceback of about 13 KB for each page."""
    redis = RedisServer()
    redis.start()
    try:
        environment = {
            "SECRET_KEY": "production-" + "k3y-" * 15,
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "REDIS_URL": redis.url,
        }
        signed_in = run_in_production(SIGNED_IN_OWNER, tmp_path, **environment)
        with serve_in_production(tmp_path, workers=2, **environment) as url:
            log = tmp_path / "server.log"

            def dashboard() -> float:
                response, seconds = timed_get(url, signed_in)
                assert response.status_code == 200
                assert "Daily driver" in response.text
                return seconds

            def lines(text: str) -> int:
                return log.read_text().count(text)

            def all_back() -> bool:
                dashboard()
                return lines("Redis is back") == lines("Redis unreachable")

            for _ in range(6):  # both workers warm, the cache filled
                dashboard()

            redis.freeze()
            seconds = [dashboard() for _ in range(10)]
            redis.thaw()
            # Each worker waits for one 1 s timeout, once; the other pages skip Redis.
            assert max(seconds) < 2.5, seconds
            assert sum(s >= 1 for s in seconds) <= 2, seconds
            assert 1 <= lines("Redis unreachable (Timeout reading from") <= 2
            wait_for(all_back, 25, "Redis back after the freeze")

            redis.stop()
            size_before = log.stat().st_size
            deadline = time.monotonic() + 5
            while time.monotonic() < deadline:
                dashboard()
            assert log.stat().st_size - size_before < 1000
            assert 1 <= lines("Redis unreachable (Error 111 connecting to") <= 2
            redis.start()
            wait_for(all_back, 25, "Redis back after the restart")

            assert "Traceback" not in log.read_text()
    finally:
        redis.stop()


SIGNED_IN_USER = """
import json, django
django.setup()
from django.core.management import call_command
call_command("migrate", verbosity=0)
from django.contrib.auth.models import User
from django.test import Client

client = Client()
client.force_login(User.objects.create_user("alice"))
print(json.dumps({"sessionid": client.cookies["sessionid"].value}))
"""


@pytest.mark.slow
@pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on the PostgreSQL leg")
@pytest.mark.skipif(not PostgresCluster.available(), reason="needs PostgreSQL 15's initdb")
def test_it_answers_503_at_once_during_a_long_database_outage_and_recovers_within_5_s(tmp_path):
    """A 90 s outage of a PostgreSQL cluster of our own. Before, each request waited the pool's
    5 s timeout for its 503, and the pool, backing off up to 64 s between reconnection attempts,
    noticed the database's return up to a minute late."""
    postgres = PostgresCluster()
    try:
        postgres.create()
        postgres.run(
            str(POSTGRES_BIN / "createdb"),
            *("-h", "127.0.0.1", "-p", str(postgres.port), "-U", "postgres", "motovault"),
        )
        environment = {
            "SECRET_KEY": "production-" + "k3y-" * 15,
            "SECURE_SSL_REDIRECT": "false",
            "DATABASE_URL": postgres.url("motovault"),
        }
        signed_in = run_in_production(SIGNED_IN_USER, tmp_path, **environment)
        with serve_in_production(tmp_path, workers=2, **environment) as url:
            for _ in range(4):
                response, _ = timed_get(url, signed_in)
                assert response.status_code == 200

            postgres.stop()
            waits = []
            outage_ends = time.monotonic() + 90
            while time.monotonic() < outage_ends:
                response, seconds = timed_get(url, signed_in)
                assert response.status_code == 503
                assert "cannot reach its database" in response.text
                waits.append(seconds)
                time.sleep(0.2)
            # Each worker waits the pool's timeout (5 s) once, to find out; then 503s are quick.
            assert sum(s > 2 for s in waits) <= 2, waits

            postgres.start()
            back = time.monotonic()
            while timed_get(url, signed_in)[0].status_code != 200:
                assert time.monotonic() - back < 5, "not serving again within 5 s"
                time.sleep(0.1)
    finally:
        postgres.destroy()
