"""Files as real owners have them: the samples saved other ways (delimiters, decimal commas, a
byte-order mark, Latin-1, CRLF, date orders, interleaved vehicles, broken rows), any CSV through a
mapping, and MotoVault's own exports."""

import codecs
import datetime as dt
import re
from decimal import Decimal

import pytest

from imports.reading import ImportFileError
from imports.rows import CostRow, FuelRow, RowProblem
from imports.tests.files import costs, fuel, imported, problems, sample

FUELLY_US = sample("fuelly-us.csv").decode()
FUELLY_METRIC = sample("fuelly-metric.csv").decode()
LUBELOGGER = sample("lubelogger-fuel.csv").decode()


def as_german(text: str) -> str:
    """A CSV saved by a German spreadsheet: `;` between cells, decimal commas."""
    return "\r\n".join(
        ";".join(cell.replace(".", ",") for cell in line.split(",")) for line in text.split("\r\n")
    )


def test_it_reads_semicolons_and_decimal_commas():
    found = imported(as_german(FUELLY_METRIC))

    assert found.text.delimiter == ";"
    assert found.decimal_comma
    assert fuel(found) == fuel(imported(FUELLY_METRIC))


def test_it_reads_grouping_in_a_file_of_decimal_commas():
    text = as_german(FUELLY_METRIC).replace(";85832;", ";85.832;").replace(";1,819;", ";1.819;")

    rows = fuel(imported(text))

    # In a file of decimal commas, a point before three digits groups them.
    assert rows[1].odometer == 85832
    assert rows[2].price_per_unit == Decimal("1819")


def test_it_reads_grouping_and_decimal_commas_in_a_mapped_csv():
    text = "Datum;Kilometerstand;Liter;Betrag\n02.03.2024;1.234.567;45,2;1.234,56\n"

    [row] = fuel(
        imported(
            text,
            format="csv",
            mapping={
                "date": "Datum",
                "odometer": "Kilometerstand",
                "quantity": "Liter",
                "total_cost": "Betrag",
            },
            date_order="dmy",
        )
    )

    assert (row.date, row.odometer, row.quantity, row.total_cost) == (
        dt.date(2024, 3, 2),
        1234567,
        Decimal("45.2"),
        Decimal("1234.56"),
    )


def test_it_reads_a_byte_order_mark():
    found = imported(codecs.BOM_UTF8 + FUELLY_US.encode())

    assert found.format == "fuelly"
    assert found.vehicles[0].name == "Accord"
    assert fuel(found) == fuel(imported(FUELLY_US))


def test_it_reads_latin_1_station_names():
    text = FUELLY_METRIC.replace("0,0,,,\r\n", "0,0,,,Tankstelle Müller\r\n", 1)
    text = text.replace("03/16/2024,,,", "03/16/2024,,Straße nach Köln,", 1)

    rows = fuel(imported(text.encode("latin-1")))

    assert rows[0].station == "Tankstelle Müller"
    assert rows[1].notes == "Straße nach Köln"


def test_it_reads_windows_1252_text():
    text = LUBELOGGER.replace("Costco", "Costco \u2013 5 € off")

    found = imported(text.encode("cp1252"))

    assert found.text.encoding == "cp1252"
    assert fuel(found)[1].notes == "Costco \u2013 5 € off"


def test_it_reads_utf_16_with_a_byte_order_mark():
    text = LUBELOGGER.replace(",", "\t").replace("Costco", "Café")

    rows = fuel(imported(text.encode("utf-16")))

    assert len(rows) == 5
    assert rows[1].notes == "Café"


def test_it_reads_tabs():
    found = imported(LUBELOGGER.replace(",", "\t"))

    assert found.text.delimiter == "\t"
    assert fuel(found) == fuel(imported(LUBELOGGER))


def test_it_reads_line_feeds_and_carriage_returns_alike():
    assert "\r\n" in FUELLY_US
    assert fuel(imported(FUELLY_US.replace("\r\n", "\n"))) == fuel(imported(FUELLY_US))


def test_it_reads_quoted_fields_with_delimiters_quotes_and_line_ends():
    text = LUBELOGGER.replace(",Costco,", ',"Costco, exit 12 ""north""\r\nsecond line",')

    found = imported(text)
    rows = fuel(found)

    assert rows[1].notes == 'Costco, exit 12 "north"\r\nsecond line'
    # The note takes two lines: the rows after it carry their own line numbers.
    assert [row.line for row in rows] == [2, 3, 5, 6, 7]


def test_it_reads_empty_cells_as_left_out():
    text = LUBELOGGER.replace(
        "2/14/2024,63355,11.540,36.90,29.9,True,False,Costco,", "2/14/2024,63355,11.540,,,,,,"
    )

    row = fuel(imported(text))[1]

    assert (row.total_cost, row.source_economy, row.full, row.missed, row.notes) == (
        None,
        None,
        True,
        False,
        "",
    )


def test_it_finds_day_first_dates_from_a_day_after_the_twelfth():
    lines = FUELLY_METRIC.split("\r\n")
    swapped = [lines[0]] + [
        line.replace("03/02/2024", "02/03/2024")
        .replace("03/16/2024", "16/03/2024")
        .replace("03/30/2024", "30/03/2024")
        .replace("04/13/2024", "13/04/2024")
        for line in lines[1:]
    ]

    found = imported("\r\n".join(swapped))

    assert found.date_order == "dmy"
    assert [row.date for row in fuel(found)] == [row.date for row in fuel(imported(FUELLY_METRIC))]


def test_it_asks_for_the_date_order_when_no_date_decides():
    text = "\r\n".join(
        [*LUBELOGGER.split("\r\n")[:2], "5/3/2024,63355,11.540,36.90,29.9,True,False,,"]
    )

    found = imported(text)

    assert found.date_order is None
    assert found.date_example == "5/3/2024"
    with pytest.raises(ImportFileError, match="month first or day first"):
        list(found.rows())
    assert [row.date for row in fuel(found, date_order="dmy")] == [
        dt.date(2024, 2, 2),
        dt.date(2024, 3, 5),
    ]
    assert [row.date for row in fuel(imported(text, date_order="mdy"))] == [
        dt.date(2024, 2, 2),
        dt.date(2024, 5, 3),
    ]


def test_it_asks_when_the_dates_disagree_and_refuses_those_of_the_other_order():
    text = LUBELOGGER.replace("2/14/2024", "14/2/2024")

    found = imported(text)

    assert found.date_order is None
    with pytest.raises(ImportFileError, match="Some dates are month first and others day first"):
        list(found.rows())
    [problem] = problems(found, date_order="mdy")
    assert problem == RowProblem(3, "The date “14/2/2024” cannot be read.", "")


def test_it_reads_vehicles_interleaved_in_a_fuelly_file():
    lines = FUELLY_US.split("\r\n")
    civic = [
        "Civic,Honda,0,1000,0,9.000,3.000,50,01/05/2024 0:00,01/05/2024,,,0,0,,,",
        "Civic,Honda,40.00,1360,360,9.000,3.100,50,01/15/2024 0:00,01/15/2024,,,0,0,,,",
    ]
    text = "\r\n".join([*lines[:2], civic[0], *lines[2:4], civic[1], *lines[4:]])

    found = imported(text)
    rows = fuel(found)

    assert [vehicle.name for vehicle in found.vehicles] == ["Accord", "Civic"]
    assert [row.vehicle for row in rows] == ["Accord", "Civic", "Accord", "Accord", "Civic"] + [
        "Accord"
    ] * 3
    assert [row.odometer for row in rows if row.vehicle == "Civic"] == [1000, 1360]


def test_it_reads_vehicles_interleaved_in_a_mapped_csv():
    text = (
        "Car,Day,Odo,Gallons,Paid\n"
        "Truck,2024-01-02,500,20,70.00\n"
        "Wagon,2024-01-03,900,10,35.00\n"
        "Truck,2024-01-09,800,18,63.00\n"
    )
    mapping = {
        "vehicle": "Car",
        "date": "Day",
        "odometer": "Odo",
        "quantity": "Gallons",
        "total_cost": "Paid",
    }

    found = imported(text, format="csv", mapping=mapping)

    assert found.format == "csv"
    assert [vehicle.name for vehicle in found.vehicles] == ["Truck", "Wagon"]
    assert [(row.vehicle, row.odometer) for row in fuel(found)] == [
        ("Truck", 500),
        ("Wagon", 900),
        ("Truck", 800),
    ]


def test_it_refuses_rows_with_missing_or_unreadable_cells_with_their_line():
    lines = FUELLY_US.split("\r\n")
    lines[2] = "Accord,Honda,29.99,41512,312"  # cells missing
    lines[3] = lines[3].replace("41700", "")  # no odometer
    lines[4] = lines[4].replace("7.020", "seven")
    lines[5] = lines[5].replace("02/10/2024", "02/30/2024")
    lines[6] = lines[6].replace("0,0,,,", "0,maybe,,,")

    found = imported("\r\n".join(lines))

    assert problems(found) == [
        RowProblem(3, "Line 3 has 5 cells where the header has 17.", ""),
        RowProblem(4, "The row has no odometer reading.", "Accord"),
        RowProblem(5, "The quantity “seven” cannot be read as a number.", "Accord"),
        RowProblem(6, "The date “02/30/2024 0:00” cannot be read.", "Accord"),
        RowProblem(7, "“maybe” is neither 1 nor 0.", "Accord"),
    ]
    assert [row.line for row in fuel(found)] == [2]
    assert found.problems == 2  # the survey finds the rows it cannot split; the rest on reading


def test_it_refuses_a_row_with_a_filled_cell_beyond_the_header():
    text = LUBELOGGER.replace(",Costco,", ",Costco, exit 12,gas")

    [problem] = problems(imported(text))

    assert problem.line == 3
    assert "is a comma in a note not quoted?" in problem.reason


def test_it_reads_drivvo_sections_and_words_in_other_languages():
    text = (
        sample("drivvo.csv")
        .decode()
        .replace("##Refuelling", "#Reabastecimiento")
        .replace("##Service", "#Servicio")
        .replace("##Expense", "#Gasto")
        .replace("##Vehicle", "#Vehículo")
        .replace(",Yes,", ",Sí,", 1)
        .replace(",Yes,", ",No,", 1)
    )

    found = imported(text)

    assert found.format == "drivvo"
    assert found.vehicles[0].name == "My Car"
    assert [row.full for row in fuel(found)] == [True, False]
    assert [(cost.title, cost.category) for cost in costs(found)] == [
        ("Oil change", "Service"),
        ("Parking fee", "Expense"),
    ]


def test_it_refuses_a_drivvo_word_it_does_not_know():
    text = sample("drivvo.csv").decode().replace(",Yes,", ",Perhaps,", 1)

    [problem] = problems(imported(text))

    assert problem == RowProblem(3, "“Perhaps” is neither yes nor no.", "")


FUEL_EXPORT = (
    "vehicle,vin,date,odometer,distance_unit,quantity,fuel_unit,price_per_unit,total_cost,"
    "currency,full_tank,missed_previous,station,notes,economy,economy_unit\r\n"
    "Daily,1HGCM82633A004352,2024-01-02,41200,mi,11.204,gal_us,3.189,35.73,USD,true,false,"
    'Shell,"Tires, checked",,mpg_us\r\n'
    "Daily,1HGCM82633A004352,2024-01-12,41512,mi,10.402,gal_us,3.159,32.86,USD,true,false,"
    ",,29.99,mpg_us\r\n"
    "Golf,,2024-01-05,85210,km,41.2,l,1.789,73.71,EUR,false,true,Aral,,,l_100km\r\n"
)


def test_it_reads_motovaults_own_fuel_export():
    found = imported(codecs.BOM_UTF8 + FUEL_EXPORT.encode())

    assert found.format == "motovault"
    assert [(v.key, v.name, v.vin, v.distance_unit, v.fuel_unit) for v in found.vehicles] == [
        ("1HGCM82633A004352", "Daily", "1HGCM82633A004352", "mi", "gal_us"),
        ("Golf", "Golf", "", "km", "l"),
    ]
    assert fuel(found) == [
        FuelRow(
            line=2,
            vehicle="1HGCM82633A004352",
            date=dt.date(2024, 1, 2),
            odometer=41200,
            quantity=Decimal("11.204"),
            price_per_unit=Decimal("3.189"),
            total_cost=Decimal("35.73"),
            station="Shell",
            notes="Tires, checked",
        ),
        FuelRow(
            line=3,
            vehicle="1HGCM82633A004352",
            date=dt.date(2024, 1, 12),
            odometer=41512,
            quantity=Decimal("10.402"),
            price_per_unit=Decimal("3.159"),
            total_cost=Decimal("32.86"),
            source_economy=Decimal("29.99"),
            source_economy_unit="mpg_us",
        ),
        FuelRow(
            line=4,
            vehicle="Golf",
            date=dt.date(2024, 1, 5),
            odometer=85210,
            quantity=Decimal("41.2"),
            price_per_unit=Decimal("1.789"),
            total_cost=Decimal("73.71"),
            full=False,
            missed=True,
            station="Aral",
        ),
    ]


def test_it_refuses_export_rows_whose_units_change_or_are_unknown():
    text = FUEL_EXPORT.replace("41512,mi,", "41512,km,").replace(",l,1.789", ",pints,1.789")

    assert problems(imported(text)) == [
        RowProblem(
            3, "The units differ from those of this vehicle's earlier rows.", "1HGCM82633A004352"
        ),
        RowProblem(4, "“pints” is not a fuel unit.", "Golf"),
    ]


def test_it_reads_completed_records_of_motovaults_maintenance_export():
    text = (
        "vehicle,vin,type,title,status,due_date,due_odometer,completed_date,completed_odometer,"
        "distance_unit,cost,currency,service_location,interval_months,interval_distance,notes\n"
        "Daily,,oil_change,Oil and filter,completed,,,2024-03-01,42000,mi,64.95,USD,Jiffy,6,5000,"
        "Synthetic\n"
        "Daily,,tire_rotation,,scheduled,2025-01-01,,,,mi,,USD,,,,\n"
    )

    found = imported(text)

    assert found.format == "motovault"
    assert found.vehicles[0].distance_unit == "mi"
    assert list(found.rows()) == [
        CostRow(
            line=2,
            vehicle="Daily",
            date=dt.date(2024, 3, 1),
            title="Oil and filter",
            odometer=42000,
            cost=Decimal("64.95"),
            notes="At Jiffy\nSynthetic",
            category="oil_change",
            repeat_months=6,
        ),
        RowProblem(3, "Not done yet: only completed services are imported.", "Daily"),
    ]


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"date": "Day", "odometer": "Odo"}, "Say which column holds the quantity."),
        (
            {"date": "Day", "odometer": "Odo", "quantity": "Liters"},
            "The file has no column “Liters” (for the quantity).",
        ),
        (
            {"date": "Day", "odometer": "Odo", "quantity": "Gallons", "color": "Day"},
            "MotoVault has no field “color”",
        ),
        ({}, "Say which column holds the date, odometer and quantity."),
    ],
)
def test_it_refuses_a_mapping_it_cannot_follow(mapping, message):
    text = "Day,Odo,Gallons\n2024-01-02,500,20\n"

    with pytest.raises(ImportFileError, match=re.escape(message)):
        imported(text, format="csv", mapping=mapping)


def test_it_refuses_a_file_that_is_not_the_format_given():
    with pytest.raises(ImportFileError, match="does not have the layout of Fuelio"):
        imported(FUELLY_US, format="fuelio")
    with pytest.raises(ImportFileError, match="does not read the format “excel”"):
        imported(FUELLY_US, format="excel")
    assert imported(FUELLY_US, format="fuelly").format == "fuelly"


def test_it_refuses_a_date_order_it_does_not_know():
    with pytest.raises(ImportFileError, match="mdy, dmy, ymd"):
        imported(FUELLY_US, date_order="ydm")


def test_it_refuses_fuelio_incomes_and_templates():
    text = sample("fuelio-backup.csv").decode()
    text = text.replace('"0","0","0","11"', '"0","0","1","11"').replace(
        '"0","0","12","0","12"', '"1","0","12","0","12"'
    )

    assert [(p.line, p.reason) for p in problems(imported(text))] == [
        (19, "This is an income, not a cost."),
        (20, "This is a template for costs, not a cost."),
    ]
