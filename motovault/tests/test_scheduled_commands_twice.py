"""The scheduled commands, started on two app servers at once (docs/scaling.md: every web
container may run the same cron): two processes against the same PostgreSQL database do each
command's work once."""

import datetime as dt
import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from django.utils import timezone

from attachments.models import PREFIX
from maintenance.models import MaintenanceRecord, MaintenanceType
from motovault.tests.production import BASE_DIR
from recalls.models import Campaign, VehicleRecall
from reminders.models import Digest, NotificationSettings
from vehicles.models import VinCache

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on the PostgreSQL leg"),
    pytest.mark.django_db(transaction=True),
]

# Both processes connect first, then start the command at the same moment.
AT_ONCE = """
import json, sys, time
from io import StringIO
import django
django.setup()
from django.core import mail
from django.core.management import call_command
from django.db import connection
connection.ensure_connection()
time.sleep(max(0.0, float(sys.argv[1]) - time.time()))
out, err = StringIO(), StringIO()
call_command(*sys.argv[2:], stdout=out, stderr=err)
mails = [message.to for message in getattr(mail, "outbox", [])]
print(json.dumps({"mails": mails, "out": out.getvalue(), "err": err.getvalue()}))
"""


def twice_at_once(tmp_path: Path, *command: str) -> list[dict]:
    """Run `manage.py <command>` in two processes at once, as two servers' crons would; what
    each sent (its e-mails, locmem) and printed."""
    database = connection.settings_dict
    environment = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "/dev/null",
        "DJANGO_SETTINGS_MODULE": "motovault.settings",
        "DEBUG": "true",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": getattr(settings, "REDIS_URL", ""),
        # Behind PgBouncer (CI's leg through it) the commands need its settings as the app does.
        "DATABASE_POOLER": settings.DATABASE_POOLER,
        "CACHE_KEY_PREFIX": f"twice-{time.time_ns()}",
        "EMAIL_URL": "memorymail://",
        "MEDIA_ROOT": str(tmp_path / "media"),
        "RECALLS_BASE_URL": "http://127.0.0.1:9",  # NHTSA unreachable: nothing listens there
    }
    start = str(time.time() + 4)
    runs = [
        subprocess.Popen(
            [sys.executable, "-c", AT_ONCE, start, *command],
            cwd=BASE_DIR,
            env=environment,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    results = []
    for run in runs:
        stdout, stderr = run.communicate(timeout=120)
        assert run.returncode == 0, stderr
        results.append(json.loads(stdout.strip().splitlines()[-1]))
    return results


def test_it_sends_each_owner_one_digest_when_two_servers_run_send_reminders(
    tmp_path, owner, other_user, make_vehicle
):
    for user in (owner, other_user):
        NotificationSettings.objects.create(user=user, digest_hour=0)
        MaintenanceRecord.objects.create(
            vehicle=make_vehicle(user),
            type=MaintenanceType.OIL_CHANGE,
            due_date=timezone.localdate() - dt.timedelta(days=3),
        )

    runs = twice_at_once(tmp_path, "send_reminders")

    assert sorted(to for run in runs for (to,) in run["mails"]) == [
        "alice@example.com",
        "bob@example.com",
    ]
    assert Digest.objects.count() == 2


def test_it_stores_nothing_twice_when_two_servers_refresh_recalls_with_nhtsa_unreachable(
    tmp_path, owner, make_vehicle
):
    make_vehicle(owner, make="HONDA", model="ACCORD", year=2003)

    runs = twice_at_once(tmp_path, "refresh_recalls")

    for run in runs:
        assert "Checked 0 make/model/years" in run["out"]
        assert "Failed: 2003 HONDA ACCORD" in run["err"]
    assert not Campaign.objects.exists()
    assert not VehicleRecall.objects.exists()


def test_it_removes_an_orphaned_file_once_when_two_servers_clean_up_attachments(tmp_path):
    orphan = tmp_path / "media" / PREFIX / "orphan.jpg"
    orphan.parent.mkdir(parents=True)
    orphan.write_bytes(b"\xff\xd8\xff")
    two_hours_ago = time.time() - 7200
    os.utime(orphan, (two_hours_ago, two_hours_ago))

    runs = twice_at_once(tmp_path, "cleanup_attachments")

    assert not orphan.exists()
    assert all(run["err"] == "" for run in runs)
    assert {run["out"].strip() for run in runs} <= {
        "Removed 1 orphaned file(s); 0 attachment(s) without their file.",
        "Removed 0 orphaned file(s); 0 attachment(s) without their file.",
    }


def test_it_deletes_old_vin_cache_rows_once_when_two_servers_clean_up(tmp_path):
    old = timezone.now() - dt.timedelta(days=40)
    VinCache.objects.bulk_create(
        VinCache(vin=f"1HGCM82633A00{n:04d}", cached_at=old) for n in range(50)
    )
    VinCache.objects.create(vin="1HGCM82633A009999")

    runs = twice_at_once(tmp_path, "cleanup_vin_cache")

    deleted = [int(run["out"].split()[1]) for run in runs]
    assert sum(deleted) == 50, [run["out"] for run in runs]
    assert list(VinCache.objects.values_list("vin", flat=True)) == ["1HGCM82633A009999"]
