"""The database-down fast path (motovault/database_outage.py): once a request has found
PostgreSQL down, the next ones answer 503 without waiting for the pool, until a probe gets
through again."""

import pytest
from django.db import connection

from motovault.tests.production import run_in_production_with_log

OUTAGE_AND_RETURN = """
import json, os, time
from motovault.tests.services import Forwarder

postgres = Forwarder({host!r}, {port})  # down until postgres.up()
os.environ["DATABASE_URL"] = "postgres://{user}@127.0.0.1:%d/{name}" % postgres.port
import django
django.setup()
from django.db import connection
from django.test import Client

client = Client(raise_request_exception=False)
# A returning visitor: loading their session needs the database.
client.cookies["sessionid"] = "returning-visitor-session"

def pool_requests():
    return connection.pool.get_stats().get("requests_num", 0)

def visit(path="/"):
    response = client.get(path)
    return {{"status": response.status_code, "body": response.content.decode(),
             "retry_after": response.get("Retry-After")}}

outcome = {{"found_out": visit()}}
asked_the_pool = pool_requests()
outcome["known_down"] = [visit(), visit()]
outcome["health"] = visit("/healthz")
outcome["pool_requests_while_known_down"] = pool_requests() - asked_the_pool

postgres.up()
deadline = time.monotonic() + 10
while (back := visit())["status"] == 503 and time.monotonic() < deadline:
    time.sleep(0.1)
outcome["back"] = back
outcome["health_back"] = visit("/healthz")
postgres.down()
print(json.dumps(outcome))
"""


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite has no outages")
@pytest.mark.django_db
def test_it_answers_503_without_waiting_once_the_database_is_known_down(tmp_path):
    database = connection.settings_dict
    script = OUTAGE_AND_RETURN.format(
        host=database["HOST"], port=database["PORT"], user=database["USER"], name=database["NAME"]
    )
    outcome, log = run_in_production_with_log(
        script,
        tmp_path,
        SECRET_KEY="test-" * 12,
        SECURE_SSL_REDIRECT="false",
        DATABASE_POOL_TIMEOUT="1",
    )

    assert outcome["found_out"]["status"] == 503
    for page in outcome["known_down"]:
        assert page["status"] == 503
        assert page["retry_after"] == "30"
        assert "cannot reach its database" in page["body"]
    assert outcome["health"]["status"] == 503
    assert '"database": "down"' in outcome["health"]["body"]
    # Neither the pages nor the health check waited for a pooled connection.
    assert outcome["pool_requests_while_known_down"] == 0

    # The visitor's session is unknown to this database: served, they are asked to sign in.
    assert outcome["back"]["status"] == 302
    assert outcome["health_back"]["status"] == 200
    assert log.count("Database unreachable") == 1
    assert log.count("Database is back") == 1
