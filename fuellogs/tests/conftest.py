import datetime as dt
from decimal import Decimal

import pytest

from conftest import make_fill_up
from fuellogs.models import FuelLog


@pytest.fixture
def make_log(vehicle):
    """Store a fill-up directly (no rules): 10 gal at $3.000, a full tank, unless told."""

    def make(date, odometer_reading, *, vehicle=vehicle, **fields):
        return make_fill_up(vehicle, date, odometer_reading, **fields)

    return make


@pytest.fixture
def many_logs(vehicle):
    """Store `count` full fill-ups for the vehicle, 300 miles and 10 gallons apart, one a day."""

    def make(count, *, vehicle=vehicle):
        start = dt.date(2010, 1, 1)
        FuelLog.objects.bulk_create(
            FuelLog(
                user=vehicle.user,
                vehicle=vehicle,
                date=start + dt.timedelta(days=i),
                odometer_reading=1_000 + 300 * i,
                gallons=Decimal("10.000"),
                price_per_gallon=Decimal("3.000"),
                total_cost=Decimal("30.00"),
                station_name=f"Station {i % 7}",
            )
            for i in range(count)
        )

    return make


def form_data(vehicle, **fields):
    """A valid fill-up form post for the vehicle (the owner's form and the admin's take the same
    fields); a field given as None is left out."""
    data = {
        "vehicle": str(vehicle.pk),
        "date": "2025-06-01",
        "odometer_reading": "43000",
        "gallons": "10.000",
        "price_per_gallon": "3.500",
        "total_cost": "",
        "is_full_tank": "on",
        "station_name": "Shell on Main",
        "notes": "",
    }
    data.update(fields)
    return {name: value for name, value in data.items() if value is not None}
