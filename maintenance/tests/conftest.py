import datetime

import pytest
from django.utils import timezone

from maintenance.models import MaintenanceRecord


@pytest.fixture
def today():
    return timezone.localdate()


def days(n: int) -> datetime.date:
    return timezone.localdate() + datetime.timedelta(days=n)


@pytest.fixture
def make_record(db):
    """Create a record on `vehicle` for its owner: a scheduled oil change unless told otherwise."""

    def make(vehicle, **fields):
        fields.setdefault("type", "oil_change")
        if fields.get("is_completed"):
            fields.setdefault("completed_date", timezone.localdate())
        elif "due_date" not in fields and "due_mileage" not in fields:
            fields["due_date"] = days(90)
        return MaintenanceRecord.objects.create(user=vehicle.user, vehicle=vehicle, **fields)

    return make
