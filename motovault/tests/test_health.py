import json
from pathlib import Path

from django.test import override_settings

from motovault.tests.production import run_in_production

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
