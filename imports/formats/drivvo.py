"""Reads Drivvo's CSV export: one vehicle, in sections opened by `##Refuelling`, `##Service`,
`##Expense` and `##Vehicle` lines, or their translations (`#Reabastecimiento`, `#Servicio`...);
other sections (incomes, routes) are skipped.

Headers are translated too, so columns are read by position (the header has empty cells between
them); the notes are the last named column. `Full fillup` is Yes/No in the export's language.
Dates are day first in most languages (the order is still read from the data). The file names
no units: the vehicle's are None, for the owner to say.
"""

import re
from collections.abc import Iterator

from imports import values
from imports.reading import Columns, Record, sectioned
from imports.rows import Raw, RawCost, RawFuel, RowProblem, SourceVehicle

VEHICLE = ""  # an export holds one vehicle

# Section names in the languages Drivvo exports in.
REFUELLING = {
    "refuelling", "refueling", "reabastecimiento", "abastecimento", "abastecimentos",
    "ravitaillement", "tanken", "betankung", "rifornimento", "tankowanie",
}  # fmt: skip
SERVICE = {
    "service", "services", "servicio", "servicios", "serviço", "serviços", "servico",
    "entretien", "wartung", "servizio", "serwis",
}  # fmt: skip
EXPENSE = {
    "expense", "expenses", "gasto", "gastos", "despesa", "despesas", "dépense", "dépenses",
    "ausgabe", "ausgaben", "spesa", "spese", "wydatek", "wydatki",
}  # fmt: skip
VEHICLE_SECTION = {
    "vehicle", "vehículo", "vehiculo", "veículo", "veiculo", "véhicule", "fahrzeug", "veicolo",
    "pojazd",
}  # fmt: skip

# Positions of the columns, as the export writes them.
FUEL_ODOMETER, FUEL_DATE, FUEL_PRICE, FUEL_TOTAL, FUEL_QUANTITY, FUEL_FULL = 0, 1, 3, 4, 5, 6
COST_ODOMETER, COST_DATE, COST_AMOUNT, COST_TITLE = 0, 1, 2, 3
NAME, MODEL, YEAR, DESCRIPTION = 0, 1, 4, 5


def matches(first: Record) -> bool:
    return bool(re.fullmatch(r"#{1,2}\S+", first.cells[0].strip())) and not any(
        cell.strip() for cell in first.cells[1:]
    )


def _notes_column(header: list[str], after: int) -> int | None:
    named = [i for i, cell in enumerate(header) if cell.strip()]
    return named[-1] if named and named[-1] > after else None


def read(records: Iterator[Record]) -> Iterator[Raw]:
    columns = Columns([])
    notes: int | None = None
    for row in sectioned(records):
        record, cell = row.record, Columns.cell
        section = row.section.casefold()
        if columns.header is not row.header:
            columns = Columns(row.header)
            notes = _notes_column(row.header, FUEL_FULL if section in REFUELLING else COST_TITLE)
        if section not in REFUELLING | SERVICE | EXPENSE | VEHICLE_SECTION:
            continue
        if mismatch := columns.mismatch(record):
            yield RowProblem(record.line, mismatch, VEHICLE)
        elif section in REFUELLING:
            try:
                full = values.flag(cell(record, FUEL_FULL), empty=True)
            except ValueError as error:
                yield RowProblem(record.line, f"“{error}” is neither yes nor no.", VEHICLE)
                continue
            yield RawFuel(
                record.line,
                VEHICLE,
                date=cell(record, FUEL_DATE),
                odometer=cell(record, FUEL_ODOMETER),
                quantity=cell(record, FUEL_QUANTITY),
                price_per_unit=cell(record, FUEL_PRICE),
                total_cost=cell(record, FUEL_TOTAL),
                full=full,
                notes=cell(record, notes),
            )
        elif section in VEHICLE_SECTION:
            year = cell(record, YEAR)
            yield SourceVehicle(
                VEHICLE,
                name=cell(record, NAME),
                model=cell(record, MODEL),
                year=int(year) if year.isdigit() and 1885 < int(year) < 3000 else None,
                description=cell(record, DESCRIPTION),
            )
        else:
            yield RawCost(
                record.line,
                VEHICLE,
                date=cell(record, COST_DATE),
                title=cell(record, COST_TITLE),
                odometer=cell(record, COST_ODOMETER),
                cost=cell(record, COST_AMOUNT),
                notes=cell(record, notes),
                category="Service" if section in SERVICE else "Expense",
            )
