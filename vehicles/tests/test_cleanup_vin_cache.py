from datetime import timedelta
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from vehicles.models import VinCache


@pytest.fixture
def entries(db):
    now = timezone.now()
    for vin, age in [
        ("1FTMW1T88MFA00001", 1),
        ("1GYDE63A740121151", 31),
        ("3VWD07AJ5EM388202", 90),
    ]:
        VinCache.objects.create(vin=vin, make="x", cached_at=now - timedelta(days=age))


def run(*args) -> str:
    out = StringIO()
    call_command("cleanup_vin_cache", *args, stdout=out)
    return out.getvalue()


def test_it_deletes_rows_older_than_30_days(entries):
    assert run() == "Deleted 2 VIN cache entries older than 30 days.\n"
    assert list(VinCache.objects.values_list("vin", flat=True)) == ["1FTMW1T88MFA00001"]


def test_it_is_safe_to_run_twice(entries):
    run()
    assert run() == "Deleted 0 VIN cache entries older than 30 days.\n"
    assert VinCache.objects.count() == 1


def test_it_takes_the_age_in_days(entries):
    assert run("--days", "60") == "Deleted 1 VIN cache entry older than 60 days.\n"
    assert VinCache.objects.count() == 2


def test_it_deletes_nothing_on_a_dry_run(entries):
    assert run("--dry-run") == "Would delete 2 VIN cache entries older than 30 days.\n"
    assert VinCache.objects.count() == 3


def test_it_refuses_negative_days(entries):
    with pytest.raises(CommandError, match="cannot be negative"):
        run("--days", "-1")
    assert VinCache.objects.count() == 3
