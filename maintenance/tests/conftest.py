import datetime
import itertools
from decimal import Decimal

import pytest
from django.utils import timezone

from maintenance.models import MaintenanceRecord
from motovault import l10n

# An owner in Germany: decimal commas, euros, liters per 100 km.
GERMAN = l10n.Regional(
    locale="de-DE", currency="EUR", economy_unit="l_100km", electric_economy_unit="kwh_100km"
)


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


def bulk_records(vehicle, count):
    """`count` records: scheduled by date and by mileage, and completed, on `vehicle`."""
    kinds = itertools.cycle(
        [
            {"due_date": days(-5)},
            {"due_mileage": vehicle.odometer_reading + 200},
            {"due_date": days(60), "due_mileage": vehicle.odometer_reading + 4_000},
            {"is_completed": True, "completed_date": days(-200), "cost": Decimal("49.99")},
        ]
    )
    MaintenanceRecord.objects.bulk_create(
        MaintenanceRecord(user=vehicle.user, vehicle=vehicle, type="oil_change", **next(kinds))
        for _ in range(count)
    )
