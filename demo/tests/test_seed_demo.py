import re

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError
from django.forms.models import model_to_dict

from costs.models import Cost
from demo import generator as demo
from fuellogs.economy import vehicle_stats
from fuellogs.forms import FuelLogRulesForm
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord, Status
from stations.models import FavoriteStation
from vehicles.models import OdometerReading, Vehicle
from vehicles.vin import validate_vin

SMALL = [
    "--users",
    "2",
    "--vehicles-per-user",
    "2",
    "--fuel-logs-per-vehicle",
    "60",
    "--maintenance-per-vehicle",
    "8",
]


def fingerprint() -> list:
    return [
        list(
            Vehicle.objects.order_by("id").values_list(
                "id", "vin", "odometer_reading", "purchase_date", "purchase_price", "sold_price"
            )
        ),
        list(OdometerReading.objects.order_by("id").values_list("id", "date", "odometer_reading")),
        list(
            FuelLog.objects.order_by("id").values_list(
                "id", "date", "odometer_reading", "gallons", "total_cost"
            )
        ),
        list(MaintenanceRecord.objects.order_by("id").values_list("id", "type", "cost")),
        list(Cost.objects.order_by("id").values_list("id", "category", "date", "amount")),
    ]


def test_it_creates_the_requested_amounts_and_prints_the_login(db, capsys):
    call_command("seed_demo", *SMALL)
    out = capsys.readouterr().out
    assert "Log in as 'demo' with password 'demo-motovault'" in out
    assert set(User.objects.values_list("username", flat=True)) == {"demo", "demo2"}
    assert Vehicle.objects.count() == 4
    assert FuelLog.objects.count() == 240
    assert MaintenanceRecord.objects.count() == 32
    assert Cost.objects.count() == 4 * demo.COSTS
    assert OdometerReading.objects.count() == 4 * demo.READINGS
    assert FavoriteStation.objects.filter(user__username="demo").count() == 3
    assert User.objects.get(username="demo").check_password("demo-motovault")


def test_it_makes_the_same_data_from_the_same_seed(db):
    call_command("seed_demo", *SMALL, "--seed", "42")
    first = fingerprint()
    for model in (
        FuelLog,
        MaintenanceRecord,
        Cost,
        OdometerReading,
        FavoriteStation,
        Vehicle,
        User,
    ):
        model.objects.all().delete()
    call_command("seed_demo", *SMALL, "--seed", "42")
    assert fingerprint() == first


def test_it_makes_data_the_app_itself_accepts(db):
    call_command("seed_demo", *SMALL)
    for vehicle in Vehicle.objects.all():
        validate_vin(vehicle.vin)
        vehicle.full_clean()
        assert vehicle.odometer_reading == max(
            vehicle.fuel_logs.values_list("odometer_reading", flat=True)
        )
    for log in FuelLog.objects.select_related("vehicle"):
        form = FuelLogRulesForm(model_to_dict(log), instance=log)
        assert form.is_valid(), (log, form.errors)
    for record in MaintenanceRecord.objects.select_related("vehicle"):
        record.full_clean()


def test_it_gives_plausible_fuel_economy_and_a_schedule_that_needs_attention(db):
    call_command("seed_demo", *SMALL)
    for vehicle in Vehicle.objects.all():
        stats = vehicle_stats(vehicle.fuel_logs.economy_rows(), today=vehicle.created_at.date())
        assert 10 < stats.average_economy < 40
        assert 8 < stats.worst_economy <= stats.best_economy < 45
        statuses = {record.due().status for record in vehicle.maintenance_records.all()}
        assert Status.COMPLETED in statuses
        assert statuses & {Status.OVERDUE, Status.DUE_SOON}


def test_it_gives_each_vehicle_costs_the_app_accepts_with_a_renewal(db):
    call_command("seed_demo", *SMALL)
    for vehicle in Vehicle.objects.all():
        costs = list(Cost.objects.filter(vehicle=vehicle).select_related("vehicle"))
        assert {cost.category for cost in costs} == {
            "insurance",
            "registration",
            "parking",
            "tires",
        }
        for cost in costs:
            cost.full_clean()
        (insurance,) = Cost.objects.filter(vehicle=vehicle, category="insurance").renewals_pending()
        assert insurance.next_due() > insurance.date


def test_it_buys_every_vehicle_before_its_first_fill_up_and_sells_one_lately(db):
    call_command("seed_demo", *SMALL[:2], "--vehicles-per-user", "3", *SMALL[4:])
    for vehicle in Vehicle.objects.all():
        first, *_, last = vehicle.fuel_logs.order_by("date", "odometer_reading")
        assert vehicle.purchase_date < first.date
        assert 0 < vehicle.purchase_odometer < first.odometer_reading
        assert vehicle.purchase_price > 0
    for owner in User.objects.all():
        (sold,) = Vehicle.objects.filter(user=owner, sold_date__isnull=False)
        assert sold.nickname == "The old Caddy" and not sold.is_active
        last = sold.fuel_logs.latest("date")
        assert last.date < sold.sold_date <= sold.created_at.date()
        assert 0 < sold.sold_price < sold.purchase_price
        assert Vehicle.objects.filter(user=owner, is_active=True).count() == 2


def test_it_gives_each_vehicle_odometer_readings_in_order_with_its_fill_ups(db):
    call_command("seed_demo", *SMALL)
    for vehicle in Vehicle.objects.all():
        readings = list(vehicle.odometer_readings.select_related("vehicle"))
        assert len(readings) == demo.READINGS
        for reading in readings:
            reading.full_clean()  # vehicles.rules, the fill-ups' order included
        assert vehicle.odometer_reading > max(reading.odometer_reading for reading in readings)


def test_it_refuses_to_seed_twice_under_one_name(db, capsys):
    call_command("seed_demo", "--users", "1", "--vehicles-per-user", "1")
    with pytest.raises(CommandError, match="exists already"):
        call_command("seed_demo")


def test_it_seeds_again_beside_the_first_under_another_prefix(db):
    call_command("seed_demo", *SMALL)
    call_command("seed_demo", *SMALL, "--prefix", "alt")
    for name in ("demo", "demo2", "alt", "alt2"):
        user = User.objects.get(username=name)
        assert user.vehicles.count() == 2
        assert FuelLog.objects.filter(user=user).count() == 120
        assert MaintenanceRecord.objects.filter(user=user).count() == 16
        assert FavoriteStation.objects.filter(user=user).count() == 3


def test_it_leaves_no_owner_behind_when_a_write_fails(owner, vehicle):
    # The fill-up the run would write first in its second batch already exists.
    generator = demo.Generator(seed=1, prefix="alt")
    ((alt_vehicle, model),) = generator.vehicles(owner.id, 1)
    *_, last = generator.fill_ups(alt_vehicle, model, demo.BATCH + 1)
    FuelLog.objects.create(
        id=last.id,
        user=owner,
        vehicle=vehicle,
        date=last.date,
        odometer_reading=vehicle.odometer_reading,
        gallons=last.gallons,
        price_per_gallon=last.price_per_gallon,
        total_cost=last.total_cost,
    )
    alt = [
        "--vehicles-per-user",
        "1",
        "--fuel-logs-per-vehicle",
        str(demo.BATCH + 1),
        "--maintenance-per-vehicle",
        "0",
        "--prefix",
        "alt",
    ]
    with pytest.raises(IntegrityError):
        call_command("seed_demo", *alt)
    assert not User.objects.filter(username="alt").exists()
    assert list(Vehicle.objects.all()) == [vehicle]
    assert list(FuelLog.objects.values_list("id", flat=True)) == [last.id]
    # With the conflict gone, a retry under the same name goes through.
    FuelLog.objects.all().delete()
    call_command("seed_demo", *alt)
    assert FuelLog.objects.filter(user__username="alt").count() == demo.BATCH + 1


def test_it_writes_in_batches_and_reports_each(db, capsys):
    call_command(
        "seed_demo",
        "--vehicles-per-user",
        "2",
        "--fuel-logs-per-vehicle",
        str(demo.BATCH),
        "--maintenance-per-vehicle",
        "10",
    )
    total = 2 * (1 + demo.BATCH + 10 + demo.COSTS + demo.READINGS) + 3
    written = [
        int(count.replace(",", ""))
        for count in re.findall(
            r"([\d,]+)/[\d,]+ rows \(\d+%\), [\d,]+ rows/s", capsys.readouterr().out
        )
    ]
    assert written == [demo.BATCH, 2 * demo.BATCH, total]
    assert FuelLog.objects.count() == 2 * demo.BATCH
