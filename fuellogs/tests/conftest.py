import datetime as dt
from decimal import Decimal

import pytest

from fuellogs.models import FuelLog


@pytest.fixture
def make_log(vehicle):
    """Store a fill-up directly (no rules): 10 gal at $3.000, a full tank, unless told."""

    def make(date, odometer_reading, *, vehicle=vehicle, **fields):
        fields.setdefault("gallons", Decimal("10.000"))
        fields.setdefault("price_per_gallon", Decimal("3.000"))
        fields.setdefault(
            "total_cost", (fields["gallons"] * fields["price_per_gallon"]).quantize(Decimal("0.01"))
        )
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        return FuelLog.objects.create(
            user=vehicle.user,
            vehicle=vehicle,
            date=date,
            odometer_reading=odometer_reading,
            **fields,
        )

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
