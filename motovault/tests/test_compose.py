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
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', SETTINGS_SOURCE)) | {"ENV_FILE"}
    table = (BASE_DIR / "README.md").read_text().split("## Configuration", 1)[1]
    documented = set(re.findall(r"`([A-Z][A-Z_]+)`", table))
    assert read <= documented, sorted(read - documented)


def test_it_requires_a_secret_key_because_debug_is_off():
    assert app_environment("web")["SECRET_KEY"].startswith("${SECRET_KEY:?")


def test_it_only_passes_variables_the_settings_read():
    read = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', SETTINGS_SOURCE))
    assert set(app_environment("web")) <= read


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
        ("03:15", "manage.py send_reminders"),
        ("03:30", "manage.py send_reminders"),
    ]
