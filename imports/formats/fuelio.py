"""Reads Fuelio's backup CSV: one vehicle, in sections opened by `"## Name"` lines, each with its
own header. `## Vehicle` names it (with its DistUnit and FuelUnit codes), `## Log` holds the
fill-ups, `## CostCategories` and `## Costs` the other costs; other sections are skipped.

In `## Log` the units are in the header text (`Odo (km)`, `Fuel (us gallons)`), or else the
vehicle's codes apply; `Price (optional)` is the total and `VolumePrice` the price per unit; the
consumption column's name carries its unit (`l/100km (optional)`, `mpg (optional)`). Fuelio
writes 0 for a value left out. A cost with `RepeatMonths` > 0 recurs.
"""

import re
from collections.abc import Iterator

from imports import values
from imports.reading import Columns, Record, sectioned
from imports.rows import Raw, RawCost, RawFuel, RowProblem, SourceVehicle
from motovault.units import DistanceUnit, EconomyUnit, ElectricEconomyUnit, FuelUnit

VEHICLE = ""  # a backup holds one vehicle
DISTANCE_CODES = {"0": DistanceUnit.KILOMETERS, "1": DistanceUnit.MILES}
FUEL_CODES = {"0": FuelUnit.LITERS, "1": FuelUnit.US_GALLONS, "2": FuelUnit.UK_GALLONS}
DISTANCE_WORDS = {"km": DistanceUnit.KILOMETERS, "mi": DistanceUnit.MILES}
FUEL_WORDS = (
    (r"us gal", FuelUnit.US_GALLONS),
    (r"(uk|imp)", FuelUnit.UK_GALLONS),
    (r"gal", FuelUnit.US_GALLONS),
    (r"lit(er|re)s?|l$", FuelUnit.LITERS),
    (r"kwh", FuelUnit.KWH),
)
UNIT = re.compile(r"\(([^)]*)\)")
ZERO = re.compile(r"[-+]?0*(?:[.,]0*)?")


def matches(first: Record) -> bool:
    return bool(re.fullmatch(r"## \w+", first.cells[0].strip())) and len(first.cells) == 1


def optional(text: str) -> str:
    """A value Fuelio writes as 0 when it was left out."""
    return "" if ZERO.fullmatch(text) else text


class _Log:
    """The columns of a `## Log` header, and the units they are in."""

    def __init__(self, header: list[str], vehicle: SourceVehicle) -> None:
        self.columns = columns = Columns(header)
        self.date = columns.index("data")
        self.odometer = columns.find(r"odo\b")
        self.quantity = columns.find(r"fuel( \(|$)")
        self.full = columns.index("full")
        self.total = columns.find(r"price\b")
        self.price = columns.index("volumeprice")
        self.station = columns.find(r"city\b")
        self.notes = columns.find(r"notes\b")
        self.missed = columns.index("missed")
        self.distance_unit = vehicle.distance_unit
        if self.odometer is not None:
            unit = UNIT.search(columns.names[self.odometer])
            self.distance_unit = DISTANCE_WORDS.get(unit[1].strip() if unit else "") or (
                self.distance_unit
            )
        self.fuel_unit = vehicle.fuel_unit
        if self.quantity is not None and (unit := UNIT.search(columns.names[self.quantity])):
            self.fuel_unit = next(
                (fuel for word, fuel in FUEL_WORDS if re.match(word, unit[1].strip())),
                self.fuel_unit,
            )
        self.economy = columns.find(r"(l/100km|mpg|km/l|kwh/100km|mi/kwh)\b")
        self.economy_unit: str | None = None
        if self.economy is not None:
            name = columns.names[self.economy]
            if name.startswith("mpg"):
                self.economy_unit = (
                    EconomyUnit.MPG_UK
                    if self.fuel_unit == FuelUnit.UK_GALLONS
                    else EconomyUnit.MPG_US
                )
            else:
                self.economy_unit = {
                    "l/100km": EconomyUnit.L_100KM,
                    "km/l": EconomyUnit.KM_L,
                    "kwh/100km": ElectricEconomyUnit.KWH_100KM,
                    "mi/kwh": ElectricEconomyUnit.MI_KWH,
                }[name.split(" ")[0]]

    def row(self, record: Record) -> Raw:
        cell = Columns.cell
        try:
            full = values.flag(cell(record, self.full), empty=True)
            missed = values.flag(cell(record, self.missed))
        except ValueError as error:
            return RowProblem(record.line, f"“{error}” is neither 1 nor 0.", VEHICLE)
        return RawFuel(
            record.line,
            VEHICLE,
            date=cell(record, self.date),
            odometer=cell(record, self.odometer),
            quantity=cell(record, self.quantity),
            price_per_unit=optional(cell(record, self.price)),
            total_cost=optional(cell(record, self.total)),
            full=full,
            missed=missed,
            station=cell(record, self.station),
            notes=cell(record, self.notes),
            economy=optional(cell(record, self.economy)),
            economy_unit=self.economy_unit,
        )


def _vehicle(columns: Columns, record: Record) -> SourceVehicle:
    year = Columns.cell(record, columns.index("year"))
    return SourceVehicle(
        VEHICLE,
        name=Columns.cell(record, columns.index("name")),
        vin=Columns.cell(record, columns.index("vin")),
        make=Columns.cell(record, columns.index("make")),
        model=Columns.cell(record, columns.index("model")),
        year=int(year) if year.isdigit() and 1885 < int(year) < 3000 else None,
        description=Columns.cell(record, columns.index("description")),
        distance_unit=DISTANCE_CODES.get(Columns.cell(record, columns.index("distunit"))),
        fuel_unit=FUEL_CODES.get(Columns.cell(record, columns.index("fuelunit"))),
    )


def _cost(columns: Columns, record: Record, categories: dict[str, str]) -> Raw:
    cell = Columns.cell
    try:
        if values.flag(cell(record, columns.index("isincome"))):
            return RowProblem(record.line, "This is an income, not a cost.", VEHICLE)
        if values.flag(cell(record, columns.index("istemplate"))):
            return RowProblem(record.line, "This is a template for costs, not a cost.", VEHICLE)
    except ValueError as error:
        return RowProblem(record.line, f"“{error}” is neither 1 nor 0.", VEHICLE)
    return RawCost(
        record.line,
        VEHICLE,
        date=cell(record, columns.index("date")),
        title=cell(record, columns.index("costtitle")),
        odometer=optional(cell(record, columns.index("odo"))),
        cost=cell(record, columns.index("cost")),
        notes=cell(record, columns.index("notes")),
        category=categories.get(cell(record, columns.index("costtypeid")), ""),
        repeat_months=optional(cell(record, columns.index("repeatmonths"))),
    )


def read(records: Iterator[Record]) -> Iterator[Raw]:
    vehicle = SourceVehicle(VEHICLE)
    categories: dict[str, str] = {}
    log: _Log | None = None
    columns = Columns([])
    for row in sectioned(records):
        if columns.header is not row.header:
            columns = Columns(row.header)
        if mismatch := columns.mismatch(row.record):
            yield RowProblem(row.record.line, mismatch, VEHICLE)
            continue
        match row.section.casefold():
            case "vehicle" if not vehicle.name:
                vehicle = vehicle.updated(_vehicle(columns, row.record))
                yield vehicle
            case "log":
                if log is None or log.columns.header is not row.header:
                    log = _Log(row.header, vehicle)
                    yield SourceVehicle(
                        VEHICLE, distance_unit=log.distance_unit, fuel_unit=log.fuel_unit
                    )
                yield log.row(row.record)
            case "costcategories":
                key = Columns.cell(row.record, columns.index("costtypeid"))
                categories[key] = Columns.cell(row.record, columns.index("name"))
            case "costs":
                yield _cost(columns, row.record, categories)
