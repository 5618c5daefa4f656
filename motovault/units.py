"""Units of measure: the distance and fuel units a vehicle's numbers are in, and fuel economy in
the unit its owner reads.

Every number is stored in its vehicle's units, as typed: no value goes through another unit on
its way to the database. Conversion happens twice only: for display (economy, here), and when an
owner changes a vehicle's units and confirms converting its history (`convert_distance`,
`convert_quantity`, `convert_price`).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import models


class DistanceUnit(models.TextChoices):
    MILES = "mi", "Miles"
    KILOMETERS = "km", "Kilometers"


class FuelUnit(models.TextChoices):
    US_GALLONS = "gal_us", "US gallons"
    LITERS = "l", "Liters"
    UK_GALLONS = "gal_uk", "Imperial (UK) gallons"
    KWH = "kwh", "Kilowatt-hours (electric)"


class EconomyUnit(models.TextChoices):
    """How an owner reads the economy of a vehicle that burns fuel."""

    MPG_US = "mpg_us", "MPG (US gallons)"
    MPG_UK = "mpg_uk", "MPG (imperial gallons)"
    L_100KM = "l_100km", "Liters per 100 km"
    KM_L = "km_l", "Kilometers per liter"


class ElectricEconomyUnit(models.TextChoices):
    """How an owner reads the economy of an electric vehicle."""

    MI_KWH = "mi_kwh", "Miles per kWh"
    KWH_100KM = "kwh_100km", "kWh per 100 km"


# Short forms, for column headings and next to numbers. A vehicle in US units reads as it always
# has: "mi", "gal", "MPG".
DISTANCE_ABBREVIATIONS: dict[str, str] = {DistanceUnit.MILES: "mi", DistanceUnit.KILOMETERS: "km"}
FUEL_ABBREVIATIONS: dict[str, str] = {
    FuelUnit.US_GALLONS: "gal",
    FuelUnit.LITERS: "L",
    FuelUnit.UK_GALLONS: "imp gal",
    FuelUnit.KWH: "kWh",
}
# What a fill-up's quantity is called: the heading of its column, the label of its field.
QUANTITY_NAMES: dict[str, str] = {
    FuelUnit.US_GALLONS: "Gallons",
    FuelUnit.LITERS: "Liters",
    FuelUnit.UK_GALLONS: "Imperial gallons",
    FuelUnit.KWH: "kWh",
}
ECONOMY_ABBREVIATIONS: dict[str, str] = {
    EconomyUnit.MPG_US: "MPG",
    EconomyUnit.MPG_UK: "MPG",
    EconomyUnit.L_100KM: "L/100 km",
    EconomyUnit.KM_L: "km/L",
    ElectricEconomyUnit.MI_KWH: "mi/kWh",
    ElectricEconomyUnit.KWH_100KM: "kWh/100 km",
}

# Exact by definition (the international mile, the US and imperial gallons).
KM_PER_MILE = Decimal("1.609344")
LITERS_PER_US_GALLON = Decimal("3.785411784")
LITERS_PER_UK_GALLON = Decimal("4.54609")
_KM_PER = {DistanceUnit.MILES: KM_PER_MILE, DistanceUnit.KILOMETERS: Decimal(1)}
# Liters, or kWh for an electric vehicle (energy is never converted to volume).
_BASE_PER = {
    FuelUnit.US_GALLONS: LITERS_PER_US_GALLON,
    FuelUnit.LITERS: Decimal(1),
    FuelUnit.UK_GALLONS: LITERS_PER_UK_GALLON,
    FuelUnit.KWH: Decimal(1),
}

# The places a quantity and a price per unit are stored with (FuelLog's decimal columns).
QUANTITY_PLACES = Decimal("0.001")
PRICE_PLACES = Decimal("0.001")


def is_electric(fuel_unit: str) -> bool:
    return fuel_unit == FuelUnit.KWH


def economy_unit_for(fuel_unit: str, economy_unit: str, electric_economy_unit: str) -> str:
    """The unit an owner reads a vehicle with `fuel_unit` in: their electric preference for an
    electric vehicle, their fuel one otherwise."""
    return electric_economy_unit if is_electric(fuel_unit) else economy_unit


def lower_is_better(economy_unit: str) -> bool:
    """Whether smaller numbers are the better economy (fuel per distance, not distance per fuel)."""
    return economy_unit in (EconomyUnit.L_100KM, ElectricEconomyUnit.KWH_100KM)


def economy(
    distance: Decimal | int,
    quantity: Decimal,
    *,
    distance_unit: str,
    fuel_unit: str,
    economy_unit: str,
) -> Decimal:
    """The economy of driving `distance` on `quantity` (both in the vehicle's units), in
    `economy_unit`. 500 km on 40 L: 8.00 L/100 km, 12.50 km/L, 29.40 MPG (US), 35.31 MPG (UK).

    An economy unit of the other kind (MPG for an electric vehicle) reads its quantity as the
    vehicle's own: callers choose with `economy_unit_for`."""
    km = Decimal(distance) * _KM_PER[DistanceUnit(distance_unit)]
    base = quantity * _BASE_PER[FuelUnit(fuel_unit)]
    match economy_unit:
        case EconomyUnit.MPG_US:
            return (km / KM_PER_MILE) / (base / LITERS_PER_US_GALLON)
        case EconomyUnit.MPG_UK:
            return (km / KM_PER_MILE) / (base / LITERS_PER_UK_GALLON)
        case EconomyUnit.L_100KM | ElectricEconomyUnit.KWH_100KM:
            return 100 * base / km
        case EconomyUnit.KM_L:
            return km / base
        case ElectricEconomyUnit.MI_KWH:
            return (km / KM_PER_MILE) / base
    raise ValueError(f"Unknown economy unit {economy_unit!r}")


def convert_distance(value: int, source: str, target: str) -> int:
    """An odometer reading or a distance in another unit, to the nearest whole unit."""
    km = Decimal(value) * _KM_PER[DistanceUnit(source)]
    return int((km / _KM_PER[DistanceUnit(target)]).quantize(Decimal(1), ROUND_HALF_UP))


def can_convert_fuel(source: str, target: str) -> bool:
    """Volume converts to volume; energy charged does not convert to a volume of fuel."""
    return source == target or not (is_electric(source) or is_electric(target))


def convert_quantity(value: Decimal, source: str, target: str) -> Decimal:
    """A quantity of fuel in another unit, to the thousandth stored."""
    base = value * _BASE_PER[FuelUnit(source)]
    return (base / _BASE_PER[FuelUnit(target)]).quantize(QUANTITY_PLACES, ROUND_HALF_UP)


def convert_price(value: Decimal, source: str, target: str) -> Decimal:
    """A price per unit of fuel, per unit of the other, to the thousandth stored."""
    per_base = value / _BASE_PER[FuelUnit(source)]
    return (per_base * _BASE_PER[FuelUnit(target)]).quantize(PRICE_PLACES, ROUND_HALF_UP)
