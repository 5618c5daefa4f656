"""Every sample file (the layouts of the real apps) reads to the rows it holds."""

import datetime as dt
import re
from decimal import Decimal

from imports.rows import CostRow, FuelRow
from imports.tests.files import costs, fuel, imported, problems, sample


def test_it_reads_fuelly_in_us_units():
    found = imported(sample("fuelly-us.csv"))

    assert found.format == "fuelly"
    assert found.date_order == "mdy"
    assert not found.decimal_comma
    assert [(v.key, v.name, v.description) for v in found.vehicles] == [
        ("Accord", "Accord", "Honda")
    ]
    assert (found.vehicles[0].distance_unit, found.vehicles[0].fuel_unit) == ("mi", "gal_us")
    rows = fuel(found)
    assert (len(rows), found.fuel_rows, found.cost_rows, found.problems) == (6, 6, 0, 0)
    assert rows[0] == FuelRow(
        line=2,
        vehicle="Accord",
        date=dt.date(2024, 1, 3),
        odometer=41200,
        quantity=Decimal("11.204"),
        price_per_unit=Decimal("3.189"),
    )
    assert rows[-1] == FuelRow(
        line=7,
        vehicle="Accord",
        date=dt.date(2024, 2, 18),
        odometer=42731,
        quantity=Decimal("10.110"),
        price_per_unit=Decimal("3.349"),
        source_economy=Decimal("30.76"),
        source_economy_unit="mpg_us",
    )
    # partial_fuelup=1 on the third row, missed_fuelup=1 on the fifth; mpg 0 is no economy.
    assert [(row.full, row.missed) for row in rows] == [
        (True, False),
        (True, False),
        (False, False),
        (True, False),
        (True, True),
        (True, False),
    ]
    assert [row.source_economy for row in rows] == [
        None,
        Decimal("29.99"),
        None,
        Decimal("32.43"),
        None,
        Decimal("30.76"),
    ]


def test_it_reads_fuelly_in_metric_units_named_by_the_header():
    found = imported(sample("fuelly-metric.csv"))

    assert (found.vehicles[0].name, found.vehicles[0].distance_unit) == ("Golf", "km")
    assert found.vehicles[0].fuel_unit == "l"
    rows = fuel(found)
    assert len(rows) == 4
    assert (rows[0].date, rows[0].odometer, rows[0].quantity) == (
        dt.date(2024, 3, 2),
        85210,
        Decimal("41.20"),
    )
    assert rows[0].price_per_unit == Decimal("1.789")
    assert (rows[-1].date, rows[-1].odometer, rows[-1].source_economy) == (
        dt.date(2024, 4, 13),
        86995,
        Decimal("7.29"),
    )
    assert {row.source_economy_unit for row in rows[1:]} == {"l_100km"}


def test_it_reads_a_fuelio_backup_by_its_sections():
    found = imported(sample("fuelio-backup.csv"))

    assert found.format == "fuelio"
    assert found.date_order == "ymd"
    [vehicle] = found.vehicles
    assert (vehicle.name, vehicle.make, vehicle.model, vehicle.year) == (
        "Octavia",
        "Skoda",
        "Octavia",
        2016,
    )
    assert (vehicle.description, vehicle.distance_unit, vehicle.fuel_unit) == (
        "Family car",
        "km",
        "l",
    )
    rows = fuel(found)
    assert len(rows) == 4
    # Price (optional) is the total, VolumePrice the price per liter; City is the station.
    assert rows[0] == FuelRow(
        line=6,
        vehicle="",
        date=dt.date(2024, 5, 4),
        odometer=120450,
        quantity=Decimal("45.10"),
        price_per_unit=Decimal("1.740"),
        total_cost=Decimal("78.47"),
        station="Berlin - Aral",
    )
    assert (rows[2].full, rows[2].station) == (False, "Leipzig - Total")
    assert (rows[-1].odometer, rows[-1].source_economy, rows[-1].source_economy_unit) == (
        121790,
        Decimal("6.5"),
        "l_100km",
    )
    assert [row.source_economy for row in rows] == [None, Decimal("6.3"), None, Decimal("6.5")]
    # The categories come from ## CostCategories; Odo 0 is no reading; RepeatMonths 12 recurs.
    assert costs(found) == [
        CostRow(
            line=19,
            vehicle="",
            date=dt.date(2024, 5, 20),
            title="Oil change",
            odometer=121200,
            cost=Decimal("189.90"),
            notes="Longlife oil",
            category="Service",
        ),
        CostRow(
            line=20,
            vehicle="",
            date=dt.date(2024, 1, 1),
            title="Insurance",
            cost=Decimal("612.00"),
            category="Insurance",
            repeat_months=12,
        ),
    ]


def test_it_takes_fuelio_units_from_the_vehicle_codes_where_the_header_has_none():
    text = sample("fuelio-backup.csv").decode()
    text = text.replace('"Odo (km)"', '"Odo"').replace(
        '"0","0","0","yyyy-MM-dd"', '"1","2","0","yyyy-MM-dd"'
    )
    text = re.sub(r'"Fuel \(lit\w+\)"', '"Fuel"', text)

    [vehicle] = imported(text).vehicles

    assert (vehicle.distance_unit, vehicle.fuel_unit) == ("mi", "gal_uk")


def test_it_reads_a_drivvo_export_by_position():
    found = imported(sample("drivvo.csv"))

    assert found.format == "drivvo"
    # 15/3/2024 can only be day first.
    assert found.date_order == "dmy"
    [vehicle] = found.vehicles
    assert (vehicle.name, vehicle.model, vehicle.year, vehicle.description) == (
        "My Car",
        "Honda Civic",
        2020,
        "Daily driver",
    )
    # Drivvo's file has no units: the owner says.
    assert (vehicle.distance_unit, vehicle.fuel_unit) == (None, None)
    assert fuel(found) == [
        FuelRow(
            line=3,
            vehicle="",
            date=dt.date(2024, 3, 5),
            odometer=12345,
            quantity=Decimal("30.0"),
            price_per_unit=Decimal("1.85"),
            total_cost=Decimal("55.50"),
            notes="Highway trip",
        ),
        FuelRow(
            line=4,
            vehicle="",
            date=dt.date(2024, 3, 12),
            odometer=12700,
            quantity=Decimal("27.75"),
            price_per_unit=Decimal("1.90"),
            total_cost=Decimal("52.73"),
        ),
    ]
    assert [
        (c.line, c.date, c.title, c.odometer, c.cost, c.notes, c.category) for c in costs(found)
    ] == [
        (
            8,
            dt.date(2024, 3, 10),
            "Oil change",
            12500,
            Decimal("150.00"),
            "Regular service",
            "Service",
        ),
        (
            12,
            dt.date(2024, 3, 15),
            "Parking fee",
            12600,
            Decimal("45.00"),
            "Monthly pass",
            "Expense",
        ),
    ]


def test_it_reads_lubelogger_fuel_records():
    found = imported(sample("lubelogger-fuel.csv"))

    assert found.format == "lubelogger-fuel"
    assert found.date_order == "mdy"
    assert (found.vehicles[0].distance_unit, found.vehicles[0].fuel_unit) == (None, None)
    rows = fuel(found)
    assert len(rows) == 5
    # Cost is the total; the economy's unit is the vehicle's, which the file does not name.
    assert rows[0] == FuelRow(
        line=2,
        vehicle="",
        date=dt.date(2024, 2, 2),
        odometer=63010,
        quantity=Decimal("11.812"),
        total_cost=Decimal("37.19"),
    )
    assert (rows[1].source_economy, rows[1].source_economy_unit, rows[1].notes) == (
        Decimal("29.9"),
        None,
        "Costco",
    )
    assert (rows[2].full, rows[2].notes) == (False, "top-up")
    assert (rows[-1].date, rows[-1].odometer, rows[-1].missed, rows[-1].notes) == (
        dt.date(2024, 3, 30),
        64290,
        True,
        "after a trip",
    )


def test_it_reads_lubelogger_service_records():
    found = imported(sample("lubelogger-service.csv"))

    assert found.format == "lubelogger-service"
    assert costs(found) == [
        CostRow(
            line=2,
            vehicle="",
            date=dt.date(2024, 1, 15),
            title="Oil and filter change",
            odometer=62800,
            cost=Decimal("64.95"),
            notes="5W-30 synthetic",
        ),
        CostRow(
            line=3,
            vehicle="",
            date=dt.date(2024, 3, 2),
            title="Tire rotation",
            odometer=63650,
            cost=Decimal("25.00"),
        ),
    ]
    assert problems(found) == []
