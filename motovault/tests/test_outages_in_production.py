"""Outages under gunicorn with production settings and two workers, on servers of our own:
Redis frozen or stopped. What the owner waits for, and what the
operator reads in the log."""

import time

import pytest
import requests
from django.conf import settings

from motovault.tests.production import run_in_production, serve_in_production
from motovault.tests.services import RedisServer, wait_for

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
