"""Reads LubeLogger's CSV exports: fuel records (`read_fuel`), and service, repair or upgrade
records, which share one layout (`read_service`). One vehicle per file; no units in it.

Fuel: `Cost` is the total, `FuelConsumed` is in the vehicle's unit, `IsFillToFull` False is a
partial fill-up and `MissedFuelUp` True says the one before was not logged; `FuelEconomy` is in
the vehicle's economy unit, which the file does not name (0 where LubeLogger shows none). Dates
and numbers follow the LubeLogger server's locale.
"""

from collections.abc import Iterator

from imports import values
from imports.reading import Columns, Record
from imports.rows import Raw, RawCost, RawFuel, RowProblem

VEHICLE = ""
FUEL = ("date", "odometer", "fuelconsumed", "cost")
SERVICE = ("date", "description", "cost", "odometer")


def matches_fuel(columns: Columns) -> bool:
    return all(name in columns for name in FUEL)


def matches_service(columns: Columns) -> bool:
    return all(name in columns for name in SERVICE) and "fuelconsumed" not in columns


def read_fuel(records: Iterator[Record]) -> Iterator[Raw]:
    columns = Columns(next(records).cells)
    date, odometer, quantity, total, economy, full, missed, notes = (
        columns.index(name)
        for name in (*FUEL, "fueleconomy", "isfilltofull", "missedfuelup", "notes")
    )
    cell = Columns.cell
    for record in records:
        if mismatch := columns.mismatch(record):
            yield RowProblem(record.line, mismatch, VEHICLE)
            continue
        try:
            is_full = values.flag(cell(record, full), empty=True)
            was_missed = values.flag(cell(record, missed))
        except ValueError as error:
            yield RowProblem(record.line, f"“{error}” is neither True nor False.", VEHICLE)
            continue
        yield RawFuel(
            record.line,
            VEHICLE,
            date=cell(record, date),
            odometer=cell(record, odometer),
            quantity=cell(record, quantity),
            total_cost=cell(record, total),
            full=is_full,
            missed=was_missed,
            notes=cell(record, notes),
            economy=cell(record, economy),
        )


def read_service(records: Iterator[Record]) -> Iterator[Raw]:
    columns = Columns(next(records).cells)
    date, title, cost, odometer, notes = (columns.index(name) for name in (*SERVICE, "notes"))
    cell = Columns.cell
    for record in records:
        if mismatch := columns.mismatch(record):
            yield RowProblem(record.line, mismatch, VEHICLE)
            continue
        yield RawCost(
            record.line,
            VEHICLE,
            date=cell(record, date),
            title=cell(record, title),
            odometer=cell(record, odometer),
            cost=cell(record, cost),
            notes=cell(record, notes),
        )
