"""How fuel logs speak of their vehicle's units in sentences and labels ("per liter", "Price per
gallon ($)"), and amounts as the owner typed them. motovault.units has the abbreviations and the
headings; these are the words fuellogs' messages and form labels need besides."""

from decimal import Decimal

from motovault import l10n
from motovault.units import DistanceUnit, FuelUnit

# What a quantity is called in a sentence: "Enter at least two of liters, price per liter...".
QUANTITY_WORDS: dict[str, str] = {
    FuelUnit.US_GALLONS: "gallons",
    FuelUnit.LITERS: "liters",
    FuelUnit.UK_GALLONS: "imperial gallons",
    FuelUnit.KWH: "kWh",
}
# One unit of fuel: "a gallon", "price per liter".
UNIT_WORDS: dict[str, str] = {
    FuelUnit.US_GALLONS: "gallon",
    FuelUnit.LITERS: "liter",
    FuelUnit.UK_GALLONS: "imperial gallon",
    FuelUnit.KWH: "kWh",
}
# The one name of FuelLog.missed_previous, on the form, the lists, the vehicle page and in
# messages: the fill-up before this one was never logged.
MISSED_PREVIOUS = "Missed the previous fill-up"
# "Cost per mile" / "Cost per km".
PER_DISTANCE: dict[str, str] = {DistanceUnit.MILES: "mile", DistanceUnit.KILOMETERS: "km"}


def typed_places(value: Decimal) -> int:
    """The decimals a value was typed with: 10 → 0, 3.5 → 1, 10.000 → 3."""
    exponent = value.as_tuple().exponent
    return -exponent if isinstance(exponent, int) and exponent < 0 else 0


def as_typed(value: Decimal) -> str:
    """A number in the owner's separators with the decimals it was typed with: 10.000 / 10,000."""
    return l10n.number(value, typed_places(value))


def money_as_typed(value: Decimal) -> str:
    """An amount in the owner's currency with the decimals it was typed with: $3.5 / 3,5 €."""
    return l10n.money(value, typed_places(value))
