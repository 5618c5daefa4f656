"""Recording which amount was computed (issue 17, migration 0007) keeps every fill-up as it was:
a database holding fill-ups from before it is migrated, their amounts are unchanged, they say no
amount was computed (nothing can tell which it was), and a corrected amount on one of them
recomputes the total, as for any fill-up whose three amounts were typed."""

import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.test import Client

from fuellogs.models import FuelLog

BEFORE = [("fuellogs", "0006_link_stations")]
AMOUNTS = ["gallons", "price_per_gallon", "total_cost"]


@pytest.fixture
def old_apps(apps_before):
    """The apps as they were before; the database is migrated forward afterwards however the
    test ends."""
    return apps_before(BEFORE)


def test_it_keeps_every_fill_up_and_recomputes_the_total_of_an_old_one(old_apps):
    User = old_apps.get_model("auth", "User")
    Vehicle = old_apps.get_model("vehicles", "Vehicle")
    OldFuelLog = old_apps.get_model("fuellogs", "FuelLog")
    owner = User.objects.create(username="owner")
    vehicle = Vehicle.objects.create(user=owner, nickname="Daily driver", odometer_reading=2_000)
    for day in range(3):
        OldFuelLog.objects.create(
            user=owner,
            vehicle=vehicle,
            date=dt.date(2025, 1, 1 + day),
            odometer_reading=1_000 + 300 * day,
            gallons=Decimal("10.125"),
            price_per_gallon=Decimal("3.459") if day else None,
            total_cost=Decimal("35.02"),
            missed_previous=day == 2,
        )
    fields = ["id", "date", "odometer_reading", *AMOUNTS, "missed_previous"]
    before = list(OldFuelLog.objects.order_by("date").values_list(*fields))

    MigrationExecutor(connection).migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())

    assert list(FuelLog.objects.order_by("date").values_list(*fields)) == before
    assert set(FuelLog.objects.values_list("computed_amount", flat=True)) == {""}

    client = Client()
    client.force_login(get_user_model().objects.get(pk=owner.pk))
    log = FuelLog.objects.get(date=dt.date(2025, 1, 2))
    response = client.post(
        f"/fuel/{log.pk}/edit/",
        {
            "vehicle": str(vehicle.pk),
            "date": "2025-01-02",
            "odometer_reading": "1300",
            "gallons": "10.125",
            "price_per_gallon": "3.599",
            "total_cost": "35.02",
            "is_full_tank": "on",
        },
    )
    assert response.status_code == 302
    log.refresh_from_db()
    # 10.125 gal at $3.599: $36.44
    assert (log.price_per_gallon, log.total_cost, log.computed_amount) == (
        Decimal("3.599"),
        Decimal("36.44"),
        "total_cost",
    )
