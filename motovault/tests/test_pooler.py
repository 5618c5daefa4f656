"""Behind PgBouncer in transaction pooling (DATABASE_POOLER=pgbouncer; CI's PgBouncer leg runs the
suite so, through .ci/pgbouncer.sh), a query leaves nothing in its server session that the next
transaction, which may run on another server connection, would look for."""

import pytest
from django.conf import settings
from django.db import connection

from conftest import make_fill_up
from fuellogs.models import FuelLog

pytestmark = pytest.mark.skipif(
    settings.DATABASE_POOLER != "pgbouncer", reason="behind PgBouncer only (.ci/pgbouncer.sh)"
)


def session_count(view: str) -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {view}")
        return cursor.fetchone()[0]


def test_it_has_psycopg_prepare_no_statement_on_the_server(db):
    # Django binds parameters on the client unless OPTIONS asks for server_side_binding, and such
    # queries are never prepared; the setting keeps it so if that option is ever turned on.
    connection.ensure_connection()
    assert connection.connection.prepare_threshold is None
    assert session_count("pg_prepared_statements") == 0


def test_it_streams_a_query_with_no_cursor_in_the_server_session(vehicle):
    for day, odometer in (("2024-01-01", 1000), ("2024-02-01", 1300), ("2024-03-01", 1600)):
        make_fill_up(vehicle, day, odometer)
    rows = FuelLog.objects.filter(vehicle=vehicle).order_by("date").iterator(chunk_size=1)
    assert next(rows).odometer_reading == 1000
    assert session_count("pg_cursors") == 0
    assert [log.odometer_reading for log in rows] == [1300, 1600]
