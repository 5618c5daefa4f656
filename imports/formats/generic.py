"""Reads any CSV of fill-ups through a mapping (field → the column header that holds it), and
MotoVault's own fuel and maintenance exports, whose columns are named as below.

The fields are the fuel export's column names: `date`, `odometer` and `quantity` are needed,
the rest are optional. Without a `vehicle` column, the file is one vehicle; without unit
columns, its units are None, for the owner to say. `full_tank` is true unless the cell says no
(yes/no, true/false, 1/0, full/partial); `missed_previous` is false unless it says yes.
"""

from collections.abc import Iterator, Mapping

from imports import values
from imports.reading import Columns, ImportFileError, Record
from imports.rows import Raw, RawCost, RawFuel, RowProblem, SourceVehicle
from motovault import units

FUEL_EXPORT = (
    "vehicle", "vin", "date", "odometer", "distance_unit", "quantity", "fuel_unit",
    "price_per_unit", "total_cost", "currency", "full_tank", "missed_previous", "station",
    "notes", "economy", "economy_unit",
)  # fmt: skip
MAINTENANCE_EXPORT = (
    "vehicle", "vin", "type", "title", "status", "due_date", "due_odometer", "completed_date",
    "completed_odometer", "distance_unit", "cost", "currency", "service_location",
    "interval_months", "interval_distance", "notes",
)  # fmt: skip
FIELDS = tuple(field for field in FUEL_EXPORT if field != "currency")
NEEDED = ("date", "odometer", "quantity")

# The economy unit column holds a unit's code or its abbreviation ("MPG" alone is US gallons).
ECONOMY_UNITS = {
    **{unit.value: unit.value for unit in units.EconomyUnit},
    **{unit.value: unit.value for unit in units.ElectricEconomyUnit},
    "mpg": units.EconomyUnit.MPG_US.value,
    "l/100 km": units.EconomyUnit.L_100KM.value,
    "l/100km": units.EconomyUnit.L_100KM.value,
    "km/l": units.EconomyUnit.KM_L.value,
    "mi/kwh": units.ElectricEconomyUnit.MI_KWH.value,
    "kwh/100 km": units.ElectricEconomyUnit.KWH_100KM.value,
}
FULL_WORDS = {"full": True, "partial": False}


def matches_fuel_export(columns: Columns) -> bool:
    return columns.names == list(FUEL_EXPORT)


def matches_maintenance_export(columns: Columns) -> bool:
    return columns.names == list(MAINTENANCE_EXPORT)


def read_fuel_export(records: Iterator[Record]) -> Iterator[Raw]:
    return read(records, {field: field for field in FIELDS})


def read(records: Iterator[Record], mapping: Mapping[str, str]) -> Iterator[Raw]:
    """Fill-ups from the columns `mapping` names. Raises ImportFileError for a field MotoVault
    does not know, a needed field left out, or a column the header lacks."""
    columns = Columns(next(records).cells)
    index = _mapped(columns, mapping)
    cell = Columns.cell
    vehicles: dict[str, SourceVehicle] = {}
    for record in records:
        if mismatch := columns.mismatch(record):
            yield RowProblem(record.line, mismatch)
            continue
        name, vin = cell(record, index["vehicle"]), cell(record, index["vin"]).upper()
        key = vin or name
        distance_unit = cell(record, index["distance_unit"]).casefold() or None
        fuel_unit = cell(record, index["fuel_unit"]).casefold() or None
        if distance_unit not in (None, *units.DistanceUnit.values):
            yield RowProblem(record.line, f"“{distance_unit}” is not a distance unit.", key)
            continue
        if fuel_unit not in (None, *units.FuelUnit.values):
            yield RowProblem(record.line, f"“{fuel_unit}” is not a fuel unit.", key)
            continue
        if key not in vehicles:
            vehicles[key] = SourceVehicle(
                key, name=name, vin=vin, distance_unit=distance_unit, fuel_unit=fuel_unit
            )
            yield vehicles[key]
        elif (distance_unit, fuel_unit) != (vehicles[key].distance_unit, vehicles[key].fuel_unit):
            yield RowProblem(
                record.line, "The units differ from those of this vehicle's earlier rows.", key
            )
            continue
        full_text = cell(record, index["full_tank"])
        try:
            full = FULL_WORDS.get(full_text.casefold()) if full_text else True
            if full is None:
                full = values.flag(full_text)
            missed = values.flag(cell(record, index["missed_previous"]))
        except ValueError as error:
            yield RowProblem(record.line, f"“{error}” is neither yes nor no.", key)
            continue
        economy_unit_text = cell(record, index["economy_unit"])
        yield RawFuel(
            record.line,
            key,
            date=cell(record, index["date"]),
            odometer=cell(record, index["odometer"]),
            quantity=cell(record, index["quantity"]),
            price_per_unit=cell(record, index["price_per_unit"]),
            total_cost=cell(record, index["total_cost"]),
            full=full,
            missed=missed,
            station=cell(record, index["station"]),
            notes=cell(record, index["notes"]),
            economy=cell(record, index["economy"]),
            economy_unit=ECONOMY_UNITS.get(economy_unit_text.casefold()),
        )


def _mapped(columns: Columns, mapping: Mapping[str, str]) -> dict[str, int | None]:
    unknown = sorted(set(mapping) - set(FIELDS))
    if unknown:
        raise ImportFileError(
            f"MotoVault has no field “{unknown[0]}”; the fields are {', '.join(FIELDS)}."
        )
    missing = [field for field in NEEDED if not mapping.get(field)]
    if missing:
        raise ImportFileError(f"Say which column holds the {missing[0].replace('_', ' ')}.")
    index: dict[str, int | None] = dict.fromkeys(FIELDS)
    for field, column in mapping.items():
        if not column:
            continue
        found = columns.index(column)
        if found is None:
            raise ImportFileError(f"The file has no column “{column}” (for the {field}).")
        index[field] = found
    return index


def read_maintenance_export(records: Iterator[Record]) -> Iterator[Raw]:
    """Completed records from MotoVault's maintenance export; the others (scheduled, due) are
    refused, as an import brings in history."""
    columns = Columns(next(records).cells)
    index = {name: columns.index(name) for name in MAINTENANCE_EXPORT}
    cell = Columns.cell
    vehicles: set[str] = set()
    for record in records:
        if mismatch := columns.mismatch(record):
            yield RowProblem(record.line, mismatch)
            continue
        name, vin = cell(record, index["vehicle"]), cell(record, index["vin"]).upper()
        key = vin or name
        distance_unit = cell(record, index["distance_unit"]).casefold() or None
        if key not in vehicles:
            vehicles.add(key)
            known = distance_unit in units.DistanceUnit.values
            yield SourceVehicle(
                key, name=name, vin=vin, distance_unit=distance_unit if known else None
            )
        if cell(record, index["status"]).casefold() != "completed":
            yield RowProblem(
                record.line, "Not done yet: only completed services are imported.", key
            )
            continue
        notes = cell(record, index["notes"])
        place = cell(record, index["service_location"])
        yield RawCost(
            record.line,
            key,
            date=cell(record, index["completed_date"]),
            title=cell(record, index["title"]) or cell(record, index["type"]),
            odometer=cell(record, index["completed_odometer"]),
            cost=cell(record, index["cost"]),
            notes="\n".join(part for part in (place and f"At {place}", notes) if part),
            category=cell(record, index["type"]),
            repeat_months=cell(record, index["interval_months"]),
        )
