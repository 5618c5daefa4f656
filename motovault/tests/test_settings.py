"""Settings are read from the environment; each case runs in a fresh interpreter."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

BASE_DIR = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
from django.core.files.storage import storages
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "pool": db.get("OPTIONS", {}).get("pool", {}) and {
        k: v for k, v in db["OPTIONS"]["pool"].items() if k != "check"},
    "conn_max_age": db.get("CONN_MAX_AGE"),
    "server_side_cursors_off": db.get("DISABLE_SERVER_SIDE_CURSORS", False),
    "prepare_threshold": db.get("OPTIONS", {}).get("prepare_threshold", "psycopg's default"),
    "cache": settings.CACHES["default"]["BACKEND"],
    "cache_options": settings.CACHES["default"].get("OPTIONS", {}),
    "debug": settings.DEBUG,
    "secret_key": settings.SECRET_KEY,
    "allowed_hosts": settings.ALLOWED_HOSTS,
    "email_backend": settings.MAILERS["default"]["BACKEND"],
    "vpic": settings.VPIC_BASE_URL,
    "places": settings.PLACES_BASE_URL,
    "overpass": [
        settings.OVERPASS_ENABLED, settings.OVERPASS_URL, settings.OVERPASS_REQUESTS_PER_MINUTE],
    "staticfiles": settings.STORAGES["staticfiles"]["BACKEND"],
    "storage": type(storages["default"]).__name__,
    "storage_options": settings.STORAGES["default"].get("OPTIONS", {}),
}))
"""


def read_settings(**environment):
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "/dev/null",
        "DJANGO_SETTINGS_MODULE": "motovault.settings",
        **environment,
    }
    result = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    return result


def settings_for(**environment) -> dict:
    result = read_settings(**environment)
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def test_it_runs_on_embedded_defaults_with_no_configuration():
    values = settings_for(DEBUG="true")
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["name"] == str(BASE_DIR / "db.sqlite3")
    assert values["cache"] == "django.core.cache.backends.locmem.LocMemCache"
    assert values["email_backend"] == "django.core.mail.backends.console.EmailBackend"
    assert values["vpic"] == "https://vpic.nhtsa.dot.gov/api"
    assert values["places"] == "https://places.googleapis.com/v1"
    # "Search near me" works out of the box, asking OpenStreetMap's public server politely.
    assert values["overpass"] == [True, "https://overpass-api.de/api/interpreter", 6]
    assert values["staticfiles"] == "django.contrib.staticfiles.storage.StaticFilesStorage"
    assert values["storage"] == "FileSystemStorage"


def test_it_asks_no_outside_service_for_stations_when_openstreetmap_is_switched_off():
    values = settings_for(
        DEBUG="true",
        OVERPASS_ENABLED="false",
        OVERPASS_URL="http://overpass.internal/api/interpreter",
        OVERPASS_REQUESTS_PER_MINUTE="60",
    )
    assert values["overpass"] == [False, "http://overpass.internal/api/interpreter", 60]


def test_it_uses_postgresql_with_the_pool_from_the_spec():
    values = settings_for(DEBUG="true", DATABASE_URL="postgres://app:pw@db.internal:5432/motovault")
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "motovault"
    assert values["pool"]["max_size"] == 10
    assert values["pool"]["max_idle"] == 30
    # Django refuses persistent connections together with a pool.
    assert values["conn_max_age"] == 0


def test_it_uses_redis_that_turns_outages_into_misses():
    values = settings_for(DEBUG="true", REDIS_URL="redis://127.0.0.1:6379/3")
    assert values["cache"] == "motovault.cache.BreakerRedisCache"
    assert values["cache_options"]["IGNORE_EXCEPTIONS"] is True


def test_it_stores_attachments_in_an_s3_bucket_when_one_is_set():
    values = settings_for(
        DEBUG="true",
        S3_BUCKET="motovault-files",
        S3_ENDPOINT_URL="https://s3.example.com",
        S3_ACCESS_KEY_ID="key",
        S3_SECRET_ACCESS_KEY="secret",
        S3_REGION="eu-west-1",
    )
    assert values["storage"] == "S3Storage"
    options = values["storage_options"]
    assert options["bucket_name"] == "motovault-files"
    assert options["endpoint_url"] == "https://s3.example.com"
    assert (options["access_key"], options["secret_key"]) == ("key", "secret")
    assert options["region_name"] == "eu-west-1"
    # Private objects: files are only served through the owner-checked view.
    assert options["default_acl"] == "private"


def test_it_requires_a_secret_key_when_debug_is_off():
    result = read_settings()
    assert result.returncode != 0
    assert "Set the SECRET_KEY environment variable" in result.stderr


def test_it_defaults_to_debug_off_with_hashed_static_files():
    values = settings_for(SECRET_KEY="x" * 60, ALLOWED_HOSTS="motovault.example.com")
    assert values["debug"] is False
    assert values["secret_key"] == "x" * 60
    assert values["allowed_hosts"] == ["motovault.example.com"]
    assert values["staticfiles"] == "whitenoise.storage.CompressedManifestStaticFilesStorage"


def test_it_reads_an_smtp_server_from_email_url():
    values = settings_for(DEBUG="true", EMAIL_URL="smtp+tls://user:pw@mail.example.com:587")
    assert values["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"


@pytest.mark.parametrize("debug", ["false"])
def test_it_passes_the_deploy_check_with_production_settings(debug):
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "/dev/null",
        "DEBUG": debug,
        "SECRET_KEY": "production-" + "k3y-" * 15,
        "ALLOWED_HOSTS": "motovault.example.com",
        "SECURE_PROXY_SSL_HEADER": "HTTP_X_FORWARDED_PROTO,https",
        "EMAIL_URL": "smtp+tls://motovault:pw@mail.example.com:587",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_it_keeps_server_side_cursors_and_prepared_statements_without_a_pooler():
    values = settings_for(DEBUG="true", DATABASE_URL="postgres://app:pw@db.internal:5432/motovault")
    assert values["server_side_cursors_off"] is False
    assert values["prepare_threshold"] == "psycopg's default"


def test_it_keeps_no_server_side_state_across_transactions_behind_pgbouncer():
    values = settings_for(
        DEBUG="true",
        DATABASE_URL="postgres://app:pw@pgbouncer.internal:6432/motovault",
        DATABASE_POOLER="pgbouncer",
    )
    assert values["server_side_cursors_off"] is True
    assert values["prepare_threshold"] is None
    # The process's own pool stays: its connections go to PgBouncer.
    assert values["pool"]["max_size"] == 10
    assert values["conn_max_age"] == 0


def test_it_refuses_a_pooler_it_does_not_know():
    result = read_settings(DEBUG="true", DATABASE_POOLER="pgpool")
    assert result.returncode != 0
    assert "DATABASE_POOLER must be empty or pgbouncer, not 'pgpool'" in result.stderr
