"""Reads Fuelly's CSV export, in US or metric units: one row per fill-up, several vehicles
interleaved (`car_name`).

The header names the units: `miles` or `km`, `gallons` or liters, `mpg` or `l/100km`. `price` is
per unit (the total is not in the file); `partial_fuelup=1` is a partial fill-up and
`missed_fuelup=1` says the fill-up before was not logged; `mpg` is 0 where Fuelly shows none.
`fuelup_date` is `MM/DD/YYYY H:MM` (the order is still read from the data).
"""

from collections.abc import Iterator

from imports import values
from imports.reading import Columns, ImportFileError, Record
from imports.rows import Raw, RawFuel, RowProblem, SourceVehicle
from motovault.units import DistanceUnit, EconomyUnit, FuelUnit

REQUIRED = ("car_name", "odometer", "price", "fuelup_date")
# Header → unit. Liters are matched by a pattern: Fuelly spells them the British way.
DISTANCES = (("miles", DistanceUnit.MILES), ("km", DistanceUnit.KILOMETERS))
FUELS = ((r"gallons$", FuelUnit.US_GALLONS), (r"lit(er|re)s$", FuelUnit.LITERS))
ECONOMIES = (
    ("mpg", EconomyUnit.MPG_US),
    ("l/100km", EconomyUnit.L_100KM),
    ("km/l", EconomyUnit.KM_L),
)


def matches(columns: Columns) -> bool:
    return all(name in columns for name in REQUIRED)


def _index(columns: Columns, name: str) -> int:
    found = columns.index(name)
    return -1 if found is None else found


def read(records: Iterator[Record]) -> Iterator[Raw]:
    columns = Columns(next(records).cells)
    distance_unit = next((unit for name, unit in DISTANCES if name in columns), None)
    fuel = next(
        ((index, unit) for pattern, unit in FUELS if (index := columns.find(pattern)) is not None),
        None,
    )
    if fuel is None:
        raise ImportFileError("This Fuelly file has no gallons or liters column.")
    quantity, fuel_unit = fuel
    economy, economy_unit = next(
        ((columns.index(name), unit) for name, unit in ECONOMIES if name in columns), (None, None)
    )
    # Where a column is missing, the index -1 reads the empty cell appended to each row.
    name, model, odometer, price, date, notes, missed, partial, brand = (
        _index(columns, column)
        for column in (
            "car_name",
            "model",
            "odometer",
            "price",
            "fuelup_date",
            "notes",
            "missed_fuelup",
            "partial_fuelup",
            "brand",
        )
    )
    economy = -1 if economy is None else economy
    seen: set[str] = set()
    for record in records:
        if mismatch := columns.mismatch(record):
            yield RowProblem(record.line, mismatch)
            continue
        # Every column read is in the row (mismatch says so); a column Fuelly left out reads "".
        cells = [*record.cells, ""]
        vehicle = cells[name].strip()
        if vehicle not in seen:
            seen.add(vehicle)
            yield SourceVehicle(
                vehicle,
                name=vehicle,
                description=cells[model].strip(),
                distance_unit=distance_unit,
                fuel_unit=fuel_unit,
            )
        try:
            full = not values.flag(cells[partial])
            was_missed = values.flag(cells[missed])
        except ValueError as error:
            yield RowProblem(record.line, f"“{error}” is neither 1 nor 0.", vehicle)
            continue
        yield RawFuel(
            record.line,
            vehicle,
            date=cells[date].strip(),
            odometer=cells[odometer].strip(),
            quantity=cells[quantity].strip(),
            price_per_unit=cells[price].strip(),
            full=full,
            missed=was_missed,
            station=cells[brand].strip(),
            notes=cells[notes].strip(),
            economy=cells[economy].strip(),
            economy_unit=economy_unit,
        )
