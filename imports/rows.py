"""What the readers make of a file: the vehicles it names, and its rows, typed (`FuelRow`,
`CostRow`) or refused with a reason (`RowProblem`).

The format readers (imports.formats) produce `RawFuel` and `RawCost` first: cells picked from
their columns, numbers and dates still text, since the decimal separator and the date order are
decided from the whole file (imports.source types them).
"""

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal


@dataclass(frozen=True)
class SourceVehicle:
    """A vehicle as the file names it. Rows name it by `key`. Units are None where the file
    does not say them (Drivvo, LubeLogger, a CSV without unit columns): the owner says."""

    key: str
    name: str = ""
    vin: str = ""
    make: str = ""
    model: str = ""
    year: int | None = None
    description: str = ""
    distance_unit: str | None = None  # a motovault.units.DistanceUnit value
    fuel_unit: str | None = None  # a motovault.units.FuelUnit value

    def updated(self, other: "SourceVehicle") -> "SourceVehicle":
        """This vehicle with what `other` (a later mention of it) says and it did not."""
        changes = {
            name: value
            for name, value in vars(other).items()
            if value not in ("", None) and name != "key"
        }
        return replace(self, **changes)


@dataclass(frozen=True, slots=True)
class FuelRow:
    """A fill-up. Quantity and prices are in the vehicle's units. `price_per_unit` and
    `total_cost` are None where the file does not state them (the fuel log's rules compute one
    from the other). `source_economy` is the economy the file states for the segment this row
    closes, in `source_economy_unit` (a motovault.units EconomyUnit or ElectricEconomyUnit
    value, None when the file does not say which)."""

    line: int
    vehicle: str  # a SourceVehicle key
    date: datetime.date
    odometer: int
    quantity: Decimal
    price_per_unit: Decimal | None = None
    total_cost: Decimal | None = None
    full: bool = True
    missed: bool = False
    station: str = ""
    notes: str = ""
    source_economy: Decimal | None = None
    source_economy_unit: str | None = None


@dataclass(frozen=True, slots=True)
class CostRow:
    """A service, repair, upgrade, expense or other cost, done on `date`. `category` is the
    source's own type of it (Fuelio's cost category, MotoVault's maintenance type), empty where
    it has none; `repeat_months` > 0 is a recurring cost."""

    line: int
    vehicle: str  # a SourceVehicle key
    date: datetime.date
    title: str
    odometer: int | None = None
    cost: Decimal | None = None
    notes: str = ""
    category: str = ""
    repeat_months: int = 0


@dataclass(frozen=True, slots=True)
class RowProblem:
    """A row that cannot be read, and why (shown to the owner); it is skipped."""

    line: int
    reason: str
    vehicle: str = ""


Row = FuelRow | CostRow | RowProblem


@dataclass(slots=True)
class RawFuel:
    """A fill-up's cells, as a format reader picks them: numbers and dates still text ("" when
    the file leaves one out)."""

    line: int
    vehicle: str
    date: str
    odometer: str
    quantity: str
    price_per_unit: str = ""
    total_cost: str = ""
    full: bool = True
    missed: bool = False
    station: str = ""
    notes: str = ""
    economy: str = ""
    economy_unit: str | None = None

    def numbers(self) -> tuple[str, ...]:
        return (self.odometer, self.quantity, self.price_per_unit, self.total_cost, self.economy)


@dataclass(slots=True)
class RawCost:
    """A cost's cells, as a format reader picks them."""

    line: int
    vehicle: str
    date: str
    title: str
    odometer: str = ""
    cost: str = ""
    notes: str = ""
    category: str = ""
    repeat_months: str = ""

    def numbers(self) -> tuple[str, ...]:
        return (self.odometer, self.cost)


Raw = SourceVehicle | RawFuel | RawCost | RowProblem
