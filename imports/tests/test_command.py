"""import_history: every sample end to end, stored values, idempotency, atomicity, exit codes."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from conftest import make_fill_up
from fuellogs.models import FuelLog
from imports import services
from imports.tests.files import SAMPLES
from maintenance.models import MaintenanceRecord
from vehicles.models import OdometerReading, Vehicle


def run(*args: str) -> str:
    from io import StringIO

    out = StringIO()
    call_command("import_history", *args, stdout=out)
    return out.getvalue()


def test_it_imports_fuelly_into_a_new_vehicle_named_after_the_source(owner):
    output = run("--user", "alice", str(SAMPLES / "fuelly-us.csv"))

    vehicle = Vehicle.objects.get(user=owner)
    assert (vehicle.nickname, vehicle.distance_unit, vehicle.fuel_unit) == (
        "Accord",
        "mi",
        "gal_us",
    )
    logs = list(FuelLog.objects.filter(vehicle=vehicle).in_fill_up_order())
    assert len(logs) == 6
    assert (logs[0].date, logs[0].odometer_reading, logs[0].gallons) == (
        dt.date(2024, 1, 3),
        41200,
        Decimal("11.204"),
    )
    assert (logs[0].price_per_gallon, logs[0].total_cost) == (Decimal("3.189"), Decimal("35.73"))
    assert [log.is_full_tank for log in logs] == [True, True, False, True, True, True]
    assert [log.missed_previous for log in logs] == [False, False, False, False, True, False]
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 42731
    assert "Imported 6 fill-ups" in output
    assert "0 economy differences" in output


def test_it_imports_the_same_file_twice_adding_nothing(owner):
    run("--user", "alice", str(SAMPLES / "fuelio-backup.csv"))
    counts = (Vehicle.objects.count(), FuelLog.objects.count(), MaintenanceRecord.objects.count())

    output = run("--user", "alice", str(SAMPLES / "fuelio-backup.csv"))

    assert counts[0] == 1 and counts[1] == 4
    assert (
        Vehicle.objects.count(),
        FuelLog.objects.count(),
        MaintenanceRecord.objects.count(),
    ) == counts
    assert "6 duplicates skipped" in output


def test_it_imports_fuelio_costs_as_completed_services_and_schedules_the_recurring_one(owner):
    run("--user", "alice", str(SAMPLES / "fuelio-backup.csv"))

    vehicle = Vehicle.objects.get(user=owner)
    assert (vehicle.nickname, vehicle.make, vehicle.year) == ("Octavia", "Skoda", 2016)
    assert (vehicle.distance_unit, vehicle.fuel_unit) == ("km", "l")
    done = MaintenanceRecord.objects.filter(vehicle=vehicle, is_completed=True)
    assert done.count() == 2
    scheduled = MaintenanceRecord.objects.filter(vehicle=vehicle, is_completed=False)
    assert scheduled.count() == 1
    recurring = done.get(interval_months__isnull=False)
    assert scheduled.get().due_date is not None
    assert scheduled.get().type == recurring.type
    assert all(record.completed_date and record.cost is not None for record in done)


def test_it_imports_drivvo_and_lubelogger_files_that_name_no_vehicle_into_the_one_named(
    owner, make_vehicle
):
    car = make_vehicle(owner, nickname="Blue car", distance_unit="km", fuel_unit="l")
    run("--user", "alice", str(SAMPLES / "drivvo.csv"))
    drivvo = Vehicle.objects.exclude(pk=car.pk).get()
    assert FuelLog.objects.filter(vehicle=drivvo).count() == 2

    with pytest.raises(CommandError, match="--vehicle"):
        run("--user", "alice", str(SAMPLES / "lubelogger-fuel.csv"))
    output = run(
        "--user",
        "alice",
        "--vehicle",
        "blue CAR",
        "--distance-unit",
        "km",
        "--fuel-unit",
        "l",
        str(SAMPLES / "lubelogger-fuel.csv"),
    )
    assert FuelLog.objects.filter(vehicle=car).count() == 5
    first = FuelLog.objects.filter(vehicle=car).in_fill_up_order().first()
    assert (first.odometer_reading, first.gallons, first.total_cost) == (
        63010,
        Decimal("11.812"),
        Decimal("37.19"),
    )
    assert "Imported 5 fill-ups" in output

    run("--user", "alice", "--vehicle", "Blue car", str(SAMPLES / "lubelogger-service.csv"))
    oil = MaintenanceRecord.objects.get(vehicle=car, completed_mileage=62800)
    assert (oil.type, oil.description, oil.cost) == (
        "oil_change",
        "Oil and filter change",
        Decimal("64.95"),
    )
    rotation = MaintenanceRecord.objects.get(vehicle=car, completed_mileage=63650)
    assert rotation.type == "tire_rotation"


def test_it_converts_a_metric_file_into_a_vehicle_kept_in_miles(owner, make_vehicle):
    golf = make_vehicle(owner, nickname="Golf", year=2015)

    run("--user", "alice", str(SAMPLES / "fuelly-metric.csv"))

    first = FuelLog.objects.filter(vehicle=golf).in_fill_up_order().first()
    # 85,210 km and 41.20 L in miles and US gallons.
    assert (first.odometer_reading, first.gallons) == (52947, Decimal("10.884"))


def test_it_saves_nothing_on_a_dry_run_and_lists_refused_rows(owner, tmp_path):
    path = tmp_path / "f.csv"
    text = (SAMPLES / "fuelly-us.csv").read_text()
    path.write_text(text.replace("41512", "4x512"))

    output = run("--user", "alice", "--dry-run", str(path))

    assert FuelLog.objects.count() == 0 and Vehicle.objects.count() == 0
    assert "line 3: refused" in output and "Dry run: would import 5 fill-ups" in output


def test_it_exits_non_zero_for_an_unknown_user_or_an_unreadable_file(owner, tmp_path):
    with pytest.raises(CommandError, match="no user"):
        run("--user", "nobody", str(SAMPLES / "fuelly-us.csv"))
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="empty"):
        run("--user", "alice", str(empty))
    assert Vehicle.objects.count() == 0


def test_it_reads_any_csv_through_a_mapping(owner, tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text("When;Km;Liters;Paid\n2024-03-01;1000;40,5;70,00\n2024-03-15;1500;38,0;66,50\n")

    run(
        "--user",
        "alice",
        "--format",
        "csv",
        "--vehicle",
        "Van",
        "--distance-unit",
        "km",
        "--fuel-unit",
        "l",
        "--map",
        "date=When,odometer=Km,quantity=Liters,total_cost=Paid",
        str(path),
    )

    van = Vehicle.objects.get(nickname="Van")
    logs = list(FuelLog.objects.filter(vehicle=van).in_fill_up_order())
    assert [(log.odometer_reading, log.gallons, log.total_cost) for log in logs] == [
        (1000, Decimal("40.500"), Decimal("70.00")),
        (1500, Decimal("38.000"), Decimal("66.50")),
    ]


def test_it_saves_nothing_when_it_fails_midway(owner, make_vehicle, monkeypatch):
    car = make_vehicle(owner, nickname="Accord")
    real = FuelLog.objects.bulk_create

    def fail_on_maintenance(*args, **kwargs):
        raise RuntimeError("the disk is full")

    monkeypatch.setattr(MaintenanceRecord.objects, "bulk_create", fail_on_maintenance)
    with pytest.raises(RuntimeError):
        run("--user", "alice", "--vehicle", "Accord", str(SAMPLES / "fuelio-backup.csv"))

    assert real is not None
    assert FuelLog.objects.count() == 0 and MaintenanceRecord.objects.count() == 0
    car.refresh_from_db()
    assert car.odometer_reading == 0


def test_it_refuses_a_fill_up_out_of_odometer_order_with_the_stored_ones(owner, make_vehicle):
    car = make_vehicle(owner, nickname="Accord")
    make_fill_up(car, "2024-01-10", 50_000)

    output = run("--user", "alice", str(SAMPLES / "fuelly-us.csv"))

    # January 3 (41,200 mi) fits before it; every later row is below its reading.
    assert "line 3: refused: The odometer must be more than 50,000 mi" in output
    assert "line 2: refused" not in output
    assert FuelLog.objects.filter(vehicle=car).count() == 1 + 1


def test_it_refuses_a_fill_up_out_of_order_with_a_stored_odometer_reading(owner, make_vehicle):
    car = make_vehicle(owner, nickname="Accord")
    OdometerReading.objects.create(vehicle=car, date=dt.date(2024, 1, 10), odometer_reading=50_000)

    output = run("--user", "alice", str(SAMPLES / "fuelly-us.csv"))

    # As with a stored fill-up: January 3 (41,200 mi) fits before it, no later row does.
    assert "line 3: refused: The odometer must be more than 50,000 mi" in output
    assert "line 2: refused" not in output
    assert FuelLog.objects.filter(vehicle=car).count() == 1


def test_it_maps_titles_to_maintenance_types():
    assert services.maintenance_type("Oil and filter change") == "oil_change"
    assert services.maintenance_type("Cabin air filter") == "cabin_air_filter"
    assert services.maintenance_type("Car wash") == "other"
    assert services.maintenance_type("anything", "brake_service") == "brake_service"


def test_it_computes_the_first_imported_economy_from_the_stored_history(owner, make_vehicle):
    import io

    from imports.source import read

    car = make_vehicle(owner, nickname="Accord")
    make_fill_up(car, "2024-01-01", 41_000)
    found = read(io.BytesIO((SAMPLES / "fuelly-us.csv").read_bytes()))

    made = services.plan(owner, found, services.default_targets(owner, found.vehicles))

    first = made.entries[0]
    # 200 miles since the stored full tank, on the 11.204 gallons of the first imported one.
    assert first.economy.quantize(Decimal("0.01")) == Decimal("17.85")
    assert first.source_economy is None and first.economy_note == ""


def test_it_lists_the_first_200_refused_rows_counts_the_rest_and_prints_progress(owner, tmp_path):
    header = (SAMPLES / "fuelly-us.csv").read_text().splitlines()[0]
    # 10,000 fill-ups a day apart, each 40th with a broken reading.
    lines = [header]
    for i in range(10_000):
        day = f"{dt.date(1990, 1, 1) + dt.timedelta(days=i):%m/%d/%Y}"
        reading = "4x" if i % 40 == 39 else str(1000 + 100 * i)
        lines.append(f"Accord,Honda,0,{reading},0,10.000,3.000,50,{day} 0:00,{day},,,0,0,,,")
    path = tmp_path / "f.csv"
    path.write_text("\n".join(lines) + "\n")

    output = run("--user", "alice", "--dry-run", str(path))

    assert output.count("refused: ") == 200
    assert "and 50 more rows refused." in output
    assert "10,000 rows checked…" in output and "10,000 rows decided…" in output
