"""The read replica (motovault/replica.py), against a real streaming standby of the test cluster.

The fixture makes the standby with pg_basebackup once pytest-django has created the test
database on the primary (so the copy holds it), starts it as a hot standby on a port of
TEST_PORTS; each test that needs it adds the `replica` alias pointing at it. It allows
replication connections from 127.0.0.1 in the primary's pg_hba.conf when they are not, with a
configuration reload, never a restart."""

import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.core.cache import cache
from django.db import connection, connections, router, transaction
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_fill_up
from fuellogs.models import FuelLog
from fuellogs.tests.conftest import form_data
from motovault import replica
from motovault.replica import (
    PIN_COOKIE,
    ReadYourWritesMiddleware,
    ReplicaRouter,
    reading_from_replica,
    reads_from_replica,
    replica_view,
)
from motovault.tests.production import free_port
from reminders.models import NotificationSettings

HBA_LINE = "host replication all 127.0.0.1/32 trust  # motovault replica tests\n"

on_postgresql = pytest.mark.skipif(
    connection.vendor != "postgresql" or bool(settings.DATABASE_POOLER),
    # pg_basebackup streams from PostgreSQL itself, which PgBouncer does not relay: the replica
    # is proven on the direct PostgreSQL leg of CI.
    reason="a streaming replica needs PostgreSQL, reached directly",
)
with_replica = pytest.mark.django_db(transaction=True, databases=["default", replica.REPLICA])


def _as_cluster_owner(*command: str) -> list[str]:
    """PostgreSQL refuses to run as root: as root, run the command as the postgres user."""
    return ["runuser", "-u", "postgres", "--", *command] if os.geteuid() == 0 else list(command)


def _run(*command: str) -> None:
    """Run a PostgreSQL program as the cluster's owner; fail with what it said."""
    result = subprocess.run(
        _as_cluster_owner(*command), capture_output=True, text=True, timeout=120
    )
    if result.returncode:
        raise RuntimeError(f"{command[0]} failed: {result.stderr or result.stdout}")


def _primary(sql: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return str(cursor.fetchone()[0])


def _bin(primary_version: int) -> Path:
    """Debian's programs of the primary's major version (the standby must match it)."""
    return Path(f"/usr/lib/postgresql/{primary_version // 10000}/bin")


def _allow_replication(primary: dict) -> None:
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_hba_file_rules WHERE 'replication' = ANY(database)"
            " AND auth_method = 'trust' AND address = '127.0.0.1'"
        )
        if cursor.fetchone()[0]:
            return
        hba = Path(_primary("SHOW hba_file"))
        # Read first, by the server's own order: the new line must come before any reject.
        hba.write_text(HBA_LINE + hba.read_text())
        cursor.execute("SELECT pg_reload_conf()")


def _standby_settings(port: int, cluster: Path) -> str:
    """The standby's postgresql.conf: hot standby requires settings at least the primary's."""
    names = ["max_connections", "max_worker_processes", "max_wal_senders"]
    names += ["max_prepared_transactions", "max_locks_per_transaction"]
    lines = [f"{name} = {_primary(f'SHOW {name}')}" for name in names]
    lines += [
        f"port = {port}",
        "listen_addresses = '127.0.0.1'",
        f"unix_socket_directories = '{cluster}'",
        "hot_standby = on",
        "fsync = off",
    ]
    return "\n".join(lines) + "\n"


def _wait_for_replay(port: int, name: str, deadline: float = 30) -> None:
    target = _primary("SELECT pg_current_wal_lsn()")
    until = time.monotonic() + deadline
    with psycopg.connect(host="127.0.0.1", port=port, user="postgres", dbname=name) as standby:
        while time.monotonic() < until:
            behind = standby.execute(
                "SELECT pg_last_wal_replay_lsn() < %s::pg_lsn", [target]
            ).fetchone()
            if behind is not None and not behind[0]:
                return
            time.sleep(0.05)
    raise TimeoutError("the standby did not replay the primary's WAL in time")


@pytest.fixture(scope="session")
def standby(django_db_setup, django_db_blocker) -> Iterator[dict]:
    """A hot standby of the test cluster on a port of TEST_PORTS; removed afterwards."""
    if connection.vendor != "postgresql" or settings.DATABASE_POOLER:
        pytest.skip("a streaming replica needs PostgreSQL, reached directly")
    primary = connections["default"].settings_dict
    work = Path(tempfile.mkdtemp(prefix="motovault-standby-"))
    cluster = work / "data"
    if os.geteuid() == 0:
        shutil.chown(work, "postgres")
    port = free_port()
    started = False
    try:
        with django_db_blocker.unblock():
            _allow_replication(primary)
            bin_dir = _bin(int(_primary("SHOW server_version_num")))
            _run(
                str(bin_dir / "pg_basebackup"),
                f"--host={primary['HOST']}",
                f"--port={primary['PORT'] or 5432}",
                f"--username={primary['USER']}",
                f"--pgdata={cluster}",
                "--write-recovery-conf",
                "--wal-method=stream",
                "--checkpoint=fast",
            )
            # Debian keeps the configuration outside the data directory: the copy has none.
            for name, text in {
                "postgresql.conf": _standby_settings(port, cluster),
                "pg_hba.conf": "local all all trust\nhost all all 127.0.0.1/32 trust\n",
            }.items():
                (cluster / name).write_text(text)
                if os.geteuid() == 0:
                    shutil.chown(cluster / name, "postgres")
            _run(
                str(bin_dir / "pg_ctl"), "-D", str(cluster), "-l", str(work / "log"), "-w", "start"
            )
            started = True
            _wait_for_replay(port, primary["NAME"])
        yield {"port": port, "name": primary["NAME"]}
    finally:
        if started:
            subprocess.run(
                _as_cluster_owner(
                    str(bin_dir / "pg_ctl"), "-D", str(cluster), "-m", "immediate", "-w", "stop"
                ),
                capture_output=True,
                timeout=60,
            )
        shutil.rmtree(work, ignore_errors=True)


@pytest.fixture(scope="module")
def replica_alias(standby) -> Iterator[dict]:
    """The `replica` alias, pointing at the standby, for this module's tests only (other
    modules' tests do not list it among their databases). A test mirror of default only so
    that Django never flushes it after a test: its connection is its own."""
    primary = connections["default"].settings_dict
    options = {**primary["OPTIONS"], "connect_timeout": 2}
    if "pool" in options:
        options["pool"] = {**options["pool"], "timeout": 2}
    settings.DATABASES[replica.REPLICA] = {
        **primary,
        "PORT": standby["port"],
        "OPTIONS": options,
        "TEST": {**primary["TEST"], "MIRROR": "default"},
    }
    try:
        yield standby
    finally:
        connections[replica.REPLICA].close()
        connections[replica.REPLICA].close_pool()
        del connections[replica.REPLICA]
        del settings.DATABASES[replica.REPLICA]


def _connect_to(standby: dict) -> psycopg.Connection:
    """A connection of our own to the standby, outside Django's."""
    return psycopg.connect(
        host="127.0.0.1",
        port=standby["port"],
        user="postgres",
        dbname=standby["name"],
        autocommit=True,
    )


@contextmanager
def _replay_paused(standby: dict) -> Iterator[None]:
    """The standby with its replay paused: it lags the primary until the block ends."""
    _wait_for_replay(standby["port"], standby["name"])
    with _connect_to(standby) as standby_connection:
        standby_connection.execute("SELECT pg_wal_replay_pause()")
        try:
            yield
        finally:
            standby_connection.execute("SELECT pg_wal_replay_resume()")


@pytest.fixture(autouse=True)
def _replica_reachable(monkeypatch):
    """Each test starts with the replica not known to be down."""
    monkeypatch.setattr(replica, "_down_until", 0.0)


def _drop_replica_connection(standby: dict) -> None:
    """The replica ends this thread's connection to it, as a restart or a failover would."""
    with connections[replica.REPLICA].cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    with _connect_to(standby) as admin:
        admin.execute("SELECT pg_terminate_backend(%s)", [pid])


def _signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _fuel_csv(client: Client) -> str:
    response = client.get(reverse("fuellogs:export"))
    assert response.status_code == 200
    return b"".join(response.streaming_content).decode()


def _fill_ups_in_statistics(client: Client, vehicle) -> int:
    response = client.get(reverse("vehicles:detail", args=[vehicle.pk]))
    assert response.status_code == 200
    return response.context["fuel"]["stats"].fill_ups


@on_postgresql
@with_replica
def test_it_keeps_an_owner_who_just_logged_fuel_on_the_primary_while_the_replica_lags(
    replica_alias, owner, vehicle, settings
):
    standby = replica_alias
    # Long enough for the reads below on a busy runner (the pin's age is in whole seconds).
    settings.READ_YOUR_WRITES_SECONDS = 30
    make_fill_up(vehicle, "2025-05-01", 42_500, station_name="Before the pause")
    with _replay_paused(standby):
        writer = _signed_in(owner)
        response = writer.post(
            reverse("fuellogs:add"),
            form_data(vehicle, date="2025-06-01", station_name="While paused"),
        )
        assert response.status_code == 302
        assert PIN_COOKIE in response.cookies

        # The writer is pinned to the primary: their fill-up and statistics are there.
        assert _fill_ups_in_statistics(writer, vehicle) == 2
        assert "While paused" in _fuel_csv(writer)

        # The same owner in another browser, not pinned, reads the lagging replica: the
        # replica really serves these reads.
        cache.clear()
        reader = _signed_in(owner)
        assert _fill_ups_in_statistics(reader, vehicle) == 1
        with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
            csv = _fuel_csv(reader)
        # The export's two queries (vehicles, fill-ups), however many rows.
        assert len(on_replica) == 2
        assert "Before the pause" in csv
        assert "While paused" not in csv
        assert _fill_ups_in_statistics(reader, vehicle) == 1
        # The writer ignores the statistics the replica's read left in the cache.
        assert _fill_ups_in_statistics(writer, vehicle) == 2

        # Once the pin has expired, the writer reads from the replica too.
        settings.READ_YOUR_WRITES_SECONDS = 0
        assert "While paused" not in _fuel_csv(writer)
    _wait_for_replay(standby["port"], standby["name"])
    assert "While paused" in _fuel_csv(reader)


@on_postgresql
@with_replica
def test_it_serves_the_archive_and_the_calendar_feed_from_the_replica(
    replica_alias, owner, vehicle
):
    make_fill_up(vehicle, "2025-05-01", 42_500)
    token = NotificationSettings.objects.create(user=owner).calendar_token
    _wait_for_replay(replica_alias["port"], replica_alias["name"])
    reader = _signed_in(owner)
    with CaptureQueriesContext(connections[replica.REPLICA]) as on_replica:
        archive = reader.get(reverse("archive:download"))
        feed = Client().get(reverse("reminders:calendar", args=[token]))
    assert archive.status_code == 200
    assert archive["Content-Type"] == "application/zip"
    assert feed.status_code == 200
    assert b"BEGIN:VCALENDAR" in feed.content
    assert any("fuel_logs" in query["sql"] for query in on_replica)
    assert any("calendar_token" in query["sql"] for query in on_replica)


@on_postgresql
@with_replica
def test_it_reads_from_the_primary_without_waiting_again_when_the_replica_is_down(
    owner, vehicle, replica_alias
):
    make_fill_up(vehicle, "2025-05-01", 42_500, station_name="Shell on Main")
    address = connections[replica.REPLICA].settings_dict
    connections[replica.REPLICA].close()
    connections[replica.REPLICA].close_pool()
    address["PORT"] = free_port()  # nothing listens there
    try:
        reader = _signed_in(owner)
        started = time.monotonic()
        assert "Shell on Main" in _fuel_csv(reader)
        first = time.monotonic() - started
        started = time.monotonic()
        assert _fill_ups_in_statistics(reader, vehicle) == 1
        assert "Shell on Main" in _fuel_csv(reader)
        again = time.monotonic() - started
    finally:
        connections[replica.REPLICA].close_pool()
        address["PORT"] = replica_alias["port"]
    assert first < 4
    assert again < 1


@on_postgresql
@with_replica
def test_it_answers_from_the_primary_when_the_replica_goes_away_during_a_page(
    replica_alias, owner, vehicle
):
    make_fill_up(vehicle, "2025-05-01", 42_500, station_name="Shell on Main")
    _wait_for_replay(replica_alias["port"], replica_alias["name"])
    reading = []

    @replica_view
    def fill_ups(request):
        reading.append(reads_from_replica())
        if reads_from_replica():
            # The replica drops this connection between the view's queries.
            _drop_replica_connection(replica_alias)
        names = FuelLog.objects.values_list("station_name", flat=True)
        return HttpResponse(", ".join(names))

    response = fill_ups(RequestFactory().get("/"))
    assert response.content == b"Shell on Main"
    assert reading == [True, False]


@on_postgresql
@with_replica
def test_it_never_sends_a_write_to_the_replica(owner, vehicle, replica_alias):
    with reading_from_replica():
        assert reads_from_replica()
        assert router.db_for_read(FuelLog) == replica.REPLICA
        assert router.db_for_write(FuelLog) == "default"
        # The hot standby would refuse it (read-only transaction).
        log = make_fill_up(vehicle, "2025-05-01", 42_500)
    assert FuelLog.objects.filter(pk=log.pk).exists()


@on_postgresql
@with_replica
def test_it_reads_from_the_primary_throughout_a_request_that_writes(owner, vehicle, replica_alias):
    def view(request):
        seen = []
        with reading_from_replica():
            seen.append(reads_from_replica())
        if request.GET.get("write"):
            make_fill_up(vehicle, "2025-05-01", 42_500)
        with reading_from_replica():
            seen.append(reads_from_replica())
        return HttpResponse(json.dumps(seen))

    pinning = ReadYourWritesMiddleware(view)
    requests = RequestFactory()
    assert json.loads(pinning(requests.get("/")).content) == [True, True]
    # A write may follow any read of a POST: none of them goes to the replica.
    assert json.loads(pinning(requests.post("/")).content) == [False, False]
    # A GET that writes reads from the primary from then on, and pins the browser.
    response = pinning(requests.get("/", {"write": "1"}))
    assert json.loads(response.content) == [True, False]
    assert PIN_COOKIE in response.cookies
    pinned = requests.get("/")
    pinned.COOKIES[PIN_COOKIE] = response.cookies[PIN_COOKIE].value
    assert json.loads(pinning(pinned).content) == [False, False]
    # Inside a transaction on the primary, a read may precede a write.
    with transaction.atomic(), reading_from_replica():
        assert not reads_from_replica()


def test_it_migrates_only_the_primary():
    assert ReplicaRouter().allow_migrate("default", "fuellogs")
    assert not ReplicaRouter().allow_migrate(replica.REPLICA, "fuellogs")
    assert not ReplicaRouter().allow_migrate(replica.REPLICA, "auth", model_name="user")


def test_it_reads_from_the_primary_without_a_replica(monkeypatch):
    monkeypatch.delitem(settings.DATABASES, replica.REPLICA, raising=False)
    with reading_from_replica():
        assert not reads_from_replica()
        assert router.db_for_read(FuelLog) == "default"


REPLICA_SETTINGS = """
import json, django
from django.conf import settings
django.setup()
replica = settings.DATABASES["replica"]
print(json.dumps({
    "address": [replica["HOST"], replica["PORT"], replica["NAME"], replica["USER"]],
    "pool": {k: v for k, v in replica["OPTIONS"]["pool"].items() if k != "check"},
    "connect_timeout": replica["OPTIONS"]["connect_timeout"],
    "pin": settings.READ_YOUR_WRITES_SECONDS,
    "routers": settings.DATABASE_ROUTERS,
    "middleware": settings.MIDDLEWARE.index("motovault.replica.ReadYourWritesMiddleware")
    < settings.MIDDLEWARE.index("django.contrib.sessions.middleware.SessionMiddleware"),
}))
"""


def test_it_reads_the_replica_from_database_replica_url_with_the_primarys_pool():
    result = subprocess.run(
        [sys.executable, "-c", REPLICA_SETTINGS],
        cwd=Path(__file__).resolve().parents[2],
        env={
            "PATH": os.environ["PATH"],
            "ENV_FILE": "/dev/null",
            "DJANGO_SETTINGS_MODULE": "motovault.settings",
            "DEBUG": "true",
            "DATABASE_URL": "postgres://app:pw@db.internal:5432/motovault",
            "DATABASE_REPLICA_URL": "postgres://reader:pw@replica.internal:5433/motovault",
            "READ_YOUR_WRITES_SECONDS": "8",
        },
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout)
    assert values["address"] == ["replica.internal", 5433, "motovault", "reader"]
    assert values["pool"]["max_size"] == 10
    # An unreachable replica costs a short wait, not the primary's 5 s.
    assert values["pool"]["timeout"] == 2
    assert values["connect_timeout"] == 2
    assert values["pin"] == 8
    assert values["routers"] == ["motovault.replica.ReplicaRouter"]
    assert values["middleware"]


def _fill_ups_shown(page: str) -> int:
    return int(page.split("<dt>Fill-ups</dt><dd>")[1].split("<")[0])


@on_postgresql
@with_replica
def test_the_page_cache_shows_an_owner_their_change_while_the_replica_lags(
    replica_alias, owner, vehicle, settings
):
    settings.READ_YOUR_WRITES_SECONDS = 30
    make_fill_up(vehicle, "2025-05-01", 42_500, station_name="Before the pause")
    _wait_for_replay(replica_alias["port"], replica_alias["name"])
    page = reverse("vehicles:detail", args=[vehicle.pk])
    writer, other_browser = _signed_in(owner), _signed_in(owner)
    for browser in (writer, other_browser):
        for _made_then_cached in range(3):
            assert _fill_ups_shown(browser.get(page).content.decode()) == 1

    with _replay_paused(replica_alias):
        response = writer.post(
            reverse("fuellogs:add"),
            form_data(vehicle, date="2025-06-01", station_name="While paused"),
        )
        assert response.status_code == 302
        for _made_then_cached in range(2):
            shown = writer.get(page).content.decode()
            assert "While paused" in shown and _fill_ups_shown(shown) == 2
        # Not pinned, and the replica still lags: the page's version is the primary's, so its
        # page from before the pause is not served again. Its list of fill-ups comes from the
        # primary, its statistics from the writer's, computed on the primary.
        shown = other_browser.get(page).content.decode()
        assert "While paused" in shown and _fill_ups_shown(shown) == 2


@on_postgresql
@with_replica
def test_a_cached_page_is_made_from_the_primary_when_the_replica_goes_away_midway(
    replica_alias, owner, vehicle
):
    make_fill_up(vehicle, "2025-05-01", 42_500, station_name="Shell on Main")
    _wait_for_replay(replica_alias["port"], replica_alias["name"])
    browser = _signed_in(owner)
    browser.get(reverse("fuellogs:index"))  # the CSRF cookie, so the page cache is used
    standby = connections[replica.REPLICA]
    dropped = []

    def dropped_before_its_first_read(execute, sql, params, many, context):
        if not dropped:
            dropped.append(sql)
            _drop_replica_connection(replica_alias)
        return execute(sql, params, many, context)

    with standby.execute_wrapper(dropped_before_its_first_read):
        response = browser.get(reverse("vehicles:detail", args=[vehicle.pk]))

    # The page's statistics went to the replica, which had gone: made again from the primary.
    assert dropped
    assert response.status_code == 200
    assert "Shell on Main" in response.content.decode()
