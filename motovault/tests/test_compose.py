"""No Docker engine runs here, so the compose file is checked against what the settings need."""

import datetime as dt
import re
import subprocess
import sys
from pathlib import Path

import yaml
from django.conf import settings

BASE_DIR = Path(settings.BASE_DIR)
COMPOSE = yaml.safe_load((BASE_DIR / "docker-compose.yml").read_text())
SETTINGS_SOURCE = (BASE_DIR / "motovault" / "settings.py").read_text()
# docs/scaling.md's topology: a pooler, a replica, two web containers behind a load balancer.
SCALE = yaml.safe_load((BASE_DIR / "docker-compose.scale.yml").read_text())
SCALE_APPS = ("migrate", "web-1", "web-2", "scheduler")
# Added by the pooler and replica work of issue 20, merged separately: the settings may not
# read them yet on a branch without it. Once they are in settings.py this set changes nothing.
POOLER_AND_REPLICA = {"DATABASE_POOLER", "DATABASE_REPLICA_URL", "READ_YOUR_WRITES_SECONDS"}


def settings_read() -> set[str]:
    return set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z][A-Z0-9_]+)"', SETTINGS_SOURCE))


def app_environment(service: str) -> dict:
    return COMPOSE["services"][service]["environment"]


def test_it_defines_the_database_cache_web_and_scheduler_services():
    assert set(COMPOSE["services"]) == {"postgres", "redis", "web", "scheduler"}
    assert COMPOSE["services"]["postgres"]["image"] == "postgres:15"
    assert COMPOSE["services"]["redis"]["image"] == "redis:7"
    assert "gunicorn motovault.wsgi:application" in COMPOSE["services"]["web"]["command"]


def test_its_scheduler_runs_every_cleanup_command_of_the_readme_crontab():
    readme = (BASE_DIR / "README.md").read_text()
    crontab = re.search(r"```cron\n(.*?)```", readme, re.S).group(1)
    commands = re.findall(r"manage\.py (\w+)", crontab)
    assert commands == [
        "cleanup_vin_cache",
        "clearsessions",
        "axes_reset_logs",
        "refresh_recalls",
        "cleanup_attachments",
        "compact_data_changes",
    ]
    for command in commands:
        assert f"python manage.py {command}" in COMPOSE["services"]["scheduler"]["command"]


def test_it_points_the_app_at_the_compose_database_and_redis():
    postgres = COMPOSE["services"]["postgres"]["environment"]
    for service in ("web", "scheduler"):
        env = app_environment(service)
        assert env["DATABASE_URL"] == (
            f"postgres://{postgres['POSTGRES_USER']}:{postgres['POSTGRES_PASSWORD']}"
            f"@postgres:5432/{postgres['POSTGRES_DB']}"
        )
        assert env["REDIS_URL"].startswith("redis://redis:6379/")
        assert env["DEBUG"] == "false"


def test_the_readme_documents_every_variable_the_settings_read():
    read = settings_read() | {"ENV_FILE"}
    table = (BASE_DIR / "README.md").read_text().split("## Configuration", 1)[1]
    documented = set(re.findall(r"`([A-Z][A-Z0-9_]+)`", table))
    assert read <= documented, sorted(read - documented)


def test_it_requires_a_secret_key_because_debug_is_off():
    assert app_environment("web")["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_it_only_passes_variables_the_settings_read():
    assert set(app_environment("web")) <= settings_read()


def test_it_waits_for_a_healthy_database_and_checks_the_web_health_endpoint():
    web = COMPOSE["services"]["web"]
    assert web["depends_on"]["postgres"]["condition"] == "service_healthy"
    assert "/healthz" in " ".join(web["healthcheck"]["test"])
    assert "migrate --noinput" in web["command"]


def test_it_keeps_the_database_in_a_named_volume():
    assert "postgres_data" in COMPOSE["volumes"]
    assert "postgres_data:/var/lib/postgresql/data" in COMPOSE["services"]["postgres"]["volumes"]


def test_it_keeps_uploaded_files_in_a_volume_the_web_and_scheduler_share():
    # The scheduler's cleanup_attachments must see the files the web app stored.
    assert "media" in COMPOSE["volumes"]
    for service in ("web", "scheduler"):
        assert "media:/app/media" in COMPOSE["services"][service]["volumes"]


STUB_DATE = """#!{python}
import datetime, pathlib, sys
now = int(pathlib.Path("{clock}").read_text())
if sys.argv[1:] == ["+%s"]:
    print(now)
else:
    print(datetime.datetime.fromtimestamp(now, datetime.UTC).strftime(sys.argv[-1][1:]))
"""
STUB_SLEEP = """#!{python}
import os, pathlib, signal, sys
clock = pathlib.Path("{clock}")
now = int(clock.read_text()) + int(sys.argv[1])
clock.write_text(str(now))
if now > {until}:
    os.kill(os.getppid(), signal.SIGTERM)
"""
STUB_PYTHON = """#!{python}
import pathlib, sys
with open("{log}", "a") as log:
    log.write(pathlib.Path("{clock}").read_text() + " " + " ".join(sys.argv[1:]) + "\\n")
"""


def test_its_scheduler_sends_reminders_every_quarter_hour_and_cleans_up_at_three(tmp_path):
    """The scheduler's loop, run by sh on a clock of its own (stand-ins for date and sleep) from
    02:50 to 03:40 UTC; a stand-in python logs each command with the time it ran."""
    start = int(dt.datetime(2026, 11, 30, 2, 50, 7, tzinfo=dt.UTC).timestamp())
    clock, log = tmp_path / "clock", tmp_path / "log"
    clock.write_text(str(start))
    for name, source in {"date": STUB_DATE, "sleep": STUB_SLEEP, "python": STUB_PYTHON}.items():
        stub = tmp_path / name
        stub.write_text(
            source.format(python=sys.executable, clock=clock, log=log, until=start + 50 * 60)
        )
        stub.chmod(0o755)
    command = COMPOSE["services"]["scheduler"]["command"]
    # What compose hands the container: "$$" is a literal "$".
    script = command.strip().removeprefix('sh -c "').removesuffix('"').replace("$$", "$")

    subprocess.run(["/bin/sh", "-c", script], env={"PATH": f"{tmp_path}:/usr/bin:/bin"}, timeout=30)

    ran = []
    for line in log.read_text().splitlines():
        second, what = line.split(" ", 1)
        ran.append((dt.datetime.fromtimestamp(int(second), dt.UTC).strftime("%H:%M"), what))
    assert ran == [
        ("03:00", "manage.py send_reminders"),
        ("03:00", "manage.py cleanup_vin_cache"),
        ("03:00", "manage.py clearsessions"),
        ("03:00", "manage.py axes_reset_logs --age 90"),
        ("03:00", "manage.py refresh_recalls"),
        ("03:00", "manage.py cleanup_attachments"),
        ("03:00", "manage.py compact_data_changes"),
        ("03:15", "manage.py send_reminders"),
        ("03:30", "manage.py send_reminders"),
    ]


def scale_environment(service: str) -> dict:
    return SCALE["services"][service]["environment"]


def test_the_scale_file_adds_a_pooler_a_replica_a_bucket_and_two_web_containers_behind_haproxy():
    assert set(SCALE["services"]) == {
        *("postgres", "postgres-replica", "pgbouncer", "redis", "minio", "minio-bucket"),
        *("migrate", "web-1", "web-2", "haproxy", "scheduler"),
    }
    assert SCALE["services"]["postgres-replica"]["image"] == "postgres:15"
    assert "pg_basebackup -h postgres" in SCALE["services"]["postgres-replica"]["command"]
    assert SCALE["services"]["pgbouncer"]["environment"]["POOL_MODE"] == "transaction"
    for web in ("web-1", "web-2"):
        assert "gunicorn motovault.wsgi:application" in SCALE["services"][web]["command"]
        depends = SCALE["services"][web]["depends_on"]
        assert depends["migrate"]["condition"] == "service_completed_successfully"


def test_its_app_containers_only_pass_variables_the_settings_read():
    for service in SCALE_APPS:
        assert set(scale_environment(service)) <= settings_read() | POOLER_AND_REPLICA, service


def test_its_app_containers_share_the_pooler_the_replica_redis_and_the_bucket():
    web = scale_environment("web-1")
    assert scale_environment("web-2") == web == scale_environment("scheduler")
    assert web["DATABASE_URL"].endswith("@pgbouncer:5432/motovault")
    assert web["DATABASE_POOLER"] == "pgbouncer"
    assert web["DATABASE_REPLICA_URL"].endswith("@postgres-replica:5432/motovault")
    assert int(web["READ_YOUR_WRITES_SECONDS"]) > 0
    assert web["REDIS_URL"].startswith("redis://redis:6379/")
    # No shared disk between containers: attachments and waiting imports go to the bucket.
    assert web["S3_BUCKET"] and web["S3_ENDPOINT_URL"]
    assert all("volumes" not in SCALE["services"][service] for service in SCALE_APPS)
    assert web["SECRET_KEY"].startswith("${SECRET_KEY:?")
    assert web["DEBUG"] == "false"


def test_it_migrates_once_straight_to_the_primary_before_the_web_containers_start():
    migrate = SCALE["services"]["migrate"]
    assert migrate["command"] == "python manage.py migrate --noinput"
    assert migrate["environment"]["DATABASE_URL"].endswith("@postgres:5432/motovault")
    assert all("migrate" not in SCALE["services"][web]["command"] for web in ("web-1", "web-2"))


def test_its_load_balancer_round_robins_over_both_web_containers_without_sticky_sessions():
    config = SCALE["configs"]["haproxy"]["content"]
    assert "balance roundrobin" in config
    assert re.findall(r"server (\S+) (\S+)", config) == [
        ("web-1", "web-1:8000"),
        ("web-2", "web-2:8000"),
    ]
    assert "cookie" not in config and "stick" not in config
    assert scale_environment("web-1")["TRUSTED_PROXY_COUNT"].endswith("1}")


def test_its_scheduler_runs_the_same_commands_as_the_single_machine_one():
    assert SCALE["services"]["scheduler"]["command"] == COMPOSE["services"]["scheduler"]["command"]


def test_docs_scaling_explains_every_variable_the_scale_file_sets():
    scaling = (BASE_DIR / "docs" / "scaling.md").read_text()
    unexplained = {name for name in scale_environment("web-1") if f"`{name}`" not in scaling}
    assert unexplained <= {"SECRET_KEY", "ALLOWED_HOSTS", "CSRF_TRUSTED_ORIGINS", "DEBUG"} | {
        "SECURE_SSL_REDIRECT",
        "SESSION_COOKIE_SECURE",
        "CSRF_COOKIE_SECURE",
        "SECURE_PROXY_SSL_HEADER",
    }, unexplained
