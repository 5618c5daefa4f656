import json
import time
from pathlib import Path

import pytest
import requests
from django.db import connection
from django.test import override_settings

from motovault.tests.production import run_in_production, serve_in_production
from motovault.tests.services import Forwarder

UNREACHABLE_REDIS = {
    "default": {
        "BACKEND": "django_redis.cache.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"IGNORE_EXCEPTIONS": True, "SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
    }
}


def test_it_reports_a_healthy_database_and_cache_without_login(client, db):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "ok"}


def test_it_reports_the_cache_down_but_stays_up_when_redis_is_unreachable(client, db):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = client.get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"database": "ok", "cache": "down"}


def test_it_degrades_the_cache_to_misses_when_redis_is_unreachable(db):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        from django.core.cache import cache

        cache.set("some-key", "value")
        assert cache.get("some-key") is None
        assert cache.get("some-key", "fallback") == "fallback"


def run_against_a_dead_database(path: str, tmp_path: Path):
    """Request `path` in a fresh interpreter, with production settings, whose database is a
    closed port."""
    script = f"""
import json, django
django.setup()
from django.test import Client
client = Client(raise_request_exception=False)
# A returning visitor: loading their session needs the database.
client.cookies["sessionid"] = "returning-visitor-session"
response = client.get({path!r})
print(json.dumps({{"status": response.status_code, "retry_after": response.get("Retry-After"),
                   "body": response.content.decode()}}))
"""
    return run_in_production(
        script,
        tmp_path,
        SECRET_KEY="test-" * 12,
        SECURE_SSL_REDIRECT="false",
        DATABASE_URL="postgres://postgres@127.0.0.1:1/motovault",
        DATABASE_POOL_TIMEOUT="1",
    )


def test_it_answers_503_from_healthz_when_the_database_is_down(tmp_path):
    response = run_against_a_dead_database("/healthz", tmp_path)
    assert response["status"] == 503
    assert json.loads(response["body"]) == {"database": "down", "cache": "ok"}


def test_it_shows_a_friendly_503_page_when_the_database_is_down(tmp_path):
    response = run_against_a_dead_database("/", tmp_path)
    assert response["status"] == 503
    assert response["retry_after"] == "30"
    assert "cannot reach its database" in response["body"]
    assert "Traceback" not in response["body"]


def wait_for(predicate, seconds: float):
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"not within {seconds} s"
        time.sleep(0.2)


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the connection pool is PostgreSQL's")
@pytest.mark.django_db(transaction=True)
def test_it_answers_503_while_the_database_is_down_and_recovers_by_itself(
    owner, client, settings, tmp_path
):
    """One running server (gunicorn, production settings): PostgreSQL goes away mid-flight and
    comes back; nobody restarts the app."""
    client.force_login(owner)
    signed_in = {"sessionid": client.cookies["sessionid"].value}
    database = connection.settings_dict
    postgres = Forwarder(database["HOST"], int(database["PORT"]))
    postgres.up()
    try:
        with serve_in_production(
            tmp_path,
            SECRET_KEY=settings.SECRET_KEY,
            SECURE_SSL_REDIRECT="false",
            DATABASE_URL=(
                f"postgres://{database['USER']}@127.0.0.1:{postgres.port}/{database['NAME']}"
            ),
            # The production pool timeout (5 s): only the request that finds the outage waits
            # it, and it gives a visitor after a restart time to get past the dead connections
            # (the pool checks one, then waits 1 s before the next).
        ) as url:

            def dashboard():
                return requests.get(url, cookies=signed_in, allow_redirects=False, timeout=10)

            def health():
                return requests.get(f"{url}/healthz", timeout=10)

            assert health().json() == {"database": "ok", "cache": "ok"}
            response = dashboard()
            assert response.status_code == 200
            assert "alice" in response.text

            postgres.down()
            response = health()
            assert response.status_code == 503
            assert response.json() == {"database": "down", "cache": "ok"}
            response = dashboard()
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "30"
            assert "cannot reach its database" in response.text
            assert "Traceback" not in response.text

            postgres.up()
            wait_for(lambda: health().status_code == 200, seconds=8)
            response = dashboard()
            assert response.status_code == 200
            assert "alice" in response.text

            # A restart while nobody is using the site: the pooled connections died idle, and
            # the next visitor must not be the one who finds out.
            postgres.down()
            postgres.up()
            assert dashboard().status_code == 200
    finally:
        postgres.down()
