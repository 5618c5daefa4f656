"""Reads an uploaded history file: `read` finds its layout (or takes the one given), and surveys
it once, streamed: the vehicles it names, whether it writes decimal commas, the order of its
dates, and how many rows it has. `ImportFile.rows()` then reads it again, a row at a time, into
`FuelRow`, `CostRow` or `RowProblem` (imports.rows).

The formats: fuelly, fuelio, drivvo, lubelogger-fuel, lubelogger-service, motovault (the fuel
or the maintenance export) and csv (any CSV of fill-ups, with a mapping of fields to columns).
"""

import datetime
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import IO

from imports import values
from imports.formats import drivvo, fuelio, fuelly, generic, lubelogger
from imports.reading import Columns, ImportFileError, Record, TextFile, open_text
from imports.rows import (
    CostRow,
    FuelRow,
    Raw,
    RawCost,
    RawFuel,
    Row,
    RowProblem,
    SourceVehicle,
)

FORMATS = {
    "fuelly": "Fuelly",
    "fuelio": "Fuelio",
    "drivvo": "Drivvo",
    "lubelogger-fuel": "LubeLogger fuel records",
    "lubelogger-service": "LubeLogger service, repair or upgrade records",
    "motovault": "MotoVault",
    "csv": "a CSV file of fill-ups",
}
MAX_VEHICLES = 100

Reader = Callable[[Iterator[Record]], Iterator[Raw]]


def _reader(first: Record, format: str, mapping: Mapping[str, str] | None) -> tuple[str, Reader]:
    """The format and reader of a file whose first row is `first`: the given format's, or the
    one whose layout it has. Raises ImportFileError when it has none."""
    columns = Columns(first.cells)
    layouts: list[tuple[str, bool, Reader]] = [
        ("fuelio", fuelio.matches(first), fuelio.read),
        ("drivvo", drivvo.matches(first), drivvo.read),
        ("motovault", generic.matches_fuel_export(columns), generic.read_fuel_export),
        ("motovault", generic.matches_maintenance_export(columns), generic.read_maintenance_export),
        ("fuelly", fuelly.matches(columns), fuelly.read),
        ("lubelogger-fuel", lubelogger.matches_fuel(columns), lubelogger.read_fuel),
        ("lubelogger-service", lubelogger.matches_service(columns), lubelogger.read_service),
    ]
    if format == "csv":
        if not mapping:
            raise ImportFileError("Say which column holds the date, odometer and quantity.")
        return format, lambda records: generic.read(records, mapping)
    if format and format not in FORMATS:
        raise ImportFileError(f"MotoVault does not read the format “{format}”.")
    for name, fits, reader in layouts:
        if fits and format in ("", name):
            return name, reader
    if format:
        raise ImportFileError(
            f"This file does not have the layout of {FORMATS[format]}: is it the file that app "
            "exported?"
        )
    raise ImportFileError(
        "MotoVault does not recognize this file's layout (from Fuelly, Fuelio, Drivvo, "
        "LubeLogger or MotoVault). To import it anyway, choose “Any other CSV” and say which "
        "column holds what."
    )


@dataclass
class ImportFile:
    """A file found readable, and what its survey found."""

    text: TextFile
    format: str
    reader: Reader
    vehicles: list[SourceVehicle]
    decimal_comma: bool
    # mdy, dmy or ymd; None when no date decides it (the owner is asked, with `date_example`).
    date_order: str | None
    date_example: str
    # Some dates can only be month first, others only day first.
    dates_conflict: bool
    fuel_rows: int = 0
    cost_rows: int = 0
    problems: int = 0

    def rows(self, date_order: str | None = None) -> Iterator[Row]:
        """The file's rows in its order, read again from the file (streamed; one reading at a
        time, as they share the file). `date_order` overrides the order found; one is needed
        when none was found."""
        order = date_order or self.date_order
        if order not in values.DATE_ORDERS:
            raise ImportFileError(_ask_date_order(self.date_example, self.dates_conflict))
        for raw in self.reader(self.text.records()):
            if isinstance(raw, RawFuel):
                yield _fuel(raw, self.decimal_comma, order)
            elif isinstance(raw, RawCost):
                yield _cost(raw, self.decimal_comma, order)
            elif isinstance(raw, RowProblem):
                yield raw


def _ask_date_order(example: str, conflict: bool) -> str:
    if not conflict:
        return f"The dates could be month first or day first ({example}): say which."
    return (
        "Some dates are month first and others day first: say which order the file uses (the "
        "rows in the other order are refused)."
    )


def read(
    file: IO[bytes],
    *,
    format: str = "",
    mapping: Mapping[str, str] | None = None,
    date_order: str | None = None,
    max_bytes: int | None = None,
) -> ImportFile:
    """Checks and surveys an uploaded file (a seekable binary file object). `format` is found
    from the layout when empty; `mapping` (field → column header) is for format "csv";
    `date_order` (mdy, dmy, ymd) overrides the order found in the dates. Raises ImportFileError
    for a file that cannot be read: empty, binary, too large, of no known layout, or with no
    rows."""
    if date_order and date_order not in values.DATE_ORDERS:
        raise ImportFileError(f"The date order is one of {', '.join(values.DATE_ORDERS)}.")
    text = open_text(file, max_bytes)
    first = next(text.records(), None)
    if first is None:
        raise ImportFileError("The file is empty.")
    format, reader = _reader(first, format, mapping)
    found = _Survey()
    for raw in reader(text.records()):
        found.see(raw)
    if not (found.fuel_rows or found.cost_rows or found.problems):
        raise ImportFileError("The file has no fill-ups or costs in it, only its headers.")
    dates = found.dates
    return ImportFile(
        text=text,
        format=format,
        reader=reader,
        vehicles=[found.vehicles[key] for key in found.order],
        decimal_comma=found.numbers.decimal_comma,
        date_order=date_order or dates.order,
        date_example=dates.example,
        dates_conflict=dates.conflicting,
        fuel_rows=found.fuel_rows,
        cost_rows=found.cost_rows,
        problems=found.problems,
    )


class _Survey:
    def __init__(self) -> None:
        self.vehicles: dict[str, SourceVehicle] = {}
        self.order: list[str] = []
        self.numbers = values.NumberStyle()
        self.dates = values.DateOrder()
        self.fuel_rows = self.cost_rows = self.problems = 0

    def see(self, raw: Raw) -> None:
        if isinstance(raw, SourceVehicle):
            self._vehicle(raw)
        elif isinstance(raw, RowProblem):
            self.problems += 1
        else:
            if isinstance(raw, RawFuel):
                self.fuel_rows += 1
            else:
                self.cost_rows += 1
            if raw.vehicle not in self.vehicles:
                self._vehicle(SourceVehicle(raw.vehicle, name=raw.vehicle))
            for text in raw.numbers():
                self.numbers.see(text)
            self.dates.see(raw.date)

    def _vehicle(self, vehicle: SourceVehicle) -> None:
        known = self.vehicles.get(vehicle.key)
        if known is None:
            if len(self.order) >= MAX_VEHICLES:
                raise ImportFileError(
                    f"This file names more than {MAX_VEHICLES} vehicles; MotoVault imports at "
                    "most that many at once."
                )
            self.order.append(vehicle.key)
            self.vehicles[vehicle.key] = vehicle
        else:
            self.vehicles[vehicle.key] = known.updated(vehicle)


def _date(text: str, order: str) -> datetime.date:
    if not text:
        raise _Unreadable("The row has no date.")
    try:
        return values.date(text, order)
    except ValueError:
        raise _Unreadable(f"The date “{text}” cannot be read.") from None


def _number(text: str, what: str, decimal_comma: bool) -> Decimal:
    if not text:
        raise _Unreadable(f"The row has no {what}.")
    try:
        return values.number(text, decimal_comma)
    except ValueError:
        raise _Unreadable(f"The {what} “{text}” cannot be read as a number.") from None


def _optional(text: str, what: str, decimal_comma: bool) -> Decimal | None:
    return _number(text, what, decimal_comma) if text else None


def _whole(text: str, what: str, decimal_comma: bool) -> int:
    if not text:
        raise _Unreadable(f"The row has no {what}.")
    try:
        return values.whole_number(text, decimal_comma)
    except ValueError:
        raise _Unreadable(f"The {what} “{text}” cannot be read as a number.") from None


class _Unreadable(Exception):
    pass


def _fuel(raw: RawFuel, decimal_comma: bool, order: str) -> FuelRow | RowProblem:
    try:
        economy = _optional(raw.economy, "economy", decimal_comma)
        return FuelRow(
            raw.line,
            raw.vehicle,
            date=_date(raw.date, order),
            odometer=_whole(raw.odometer, "odometer reading", decimal_comma),
            quantity=_number(raw.quantity, "quantity", decimal_comma),
            price_per_unit=_optional(raw.price_per_unit, "price per unit", decimal_comma),
            total_cost=_optional(raw.total_cost, "total cost", decimal_comma),
            full=raw.full,
            missed=raw.missed,
            station=raw.station,
            notes=raw.notes,
            # The apps write 0 where they show no economy.
            source_economy=economy or None,
            source_economy_unit=raw.economy_unit if economy else None,
        )
    except _Unreadable as problem:
        return RowProblem(raw.line, str(problem), raw.vehicle)


def _cost(raw: RawCost, decimal_comma: bool, order: str) -> CostRow | RowProblem:
    try:
        return CostRow(
            raw.line,
            raw.vehicle,
            date=_date(raw.date, order),
            title=raw.title,
            odometer=_whole(raw.odometer, "odometer reading", decimal_comma)
            if raw.odometer
            else None,
            cost=_optional(raw.cost, "cost", decimal_comma),
            notes=raw.notes,
            category=raw.category,
            repeat_months=_whole(raw.repeat_months, "number of months", decimal_comma)
            if raw.repeat_months
            else 0,
        )
    except _Unreadable as problem:
        return RowProblem(raw.line, str(problem), raw.vehicle)
