"""Numbers, money, dates and economy in the owner's units and locale (motovault.l10n):
`{% load units %}`, then `{{ log.total_cost|money }}`, `{{ log.date|day }}`,
`{{ vehicle.odometer_reading|distance:vehicle }}`, `{{ mpg|economy:vehicle }}`.

A "vehicle" argument is anything with `distance_unit` and `fuel_unit`: a Vehicle, or a cached
row (a mapping) of one."""

import datetime
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django import template

from motovault import l10n, units

register = template.Library()


def _unit(vehicle: Any, name: str) -> str:
    if isinstance(vehicle, Mapping):
        return vehicle[name]
    return getattr(vehicle, name)


@register.filter
def number(value: Decimal | int | None, places: int = 0) -> str:
    """1,234.5 / 1.234,5; an em dash for no value."""
    if value is None or value == "":
        return "—"
    return l10n.number(value, int(places))


@register.filter
def money(value: Decimal | int | None, places: int | None = None) -> str:
    """$1,234.50 / 1.234,50 €; an em dash for no value. `places` for more decimals than the
    currency's own (a cost per mile)."""
    if value is None or value == "":
        return "—"
    return l10n.money(value, None if places is None else int(places))


@register.filter
def unit_price(value: Decimal | int | None) -> str:
    """$3.459 / 1,799 €: a price per unit of fuel or distance; an em dash for no value."""
    if value is None or value == "":
        return "—"
    return l10n.unit_price(value)


@register.filter
def day(value: datetime.date | None) -> str:
    if not value:
        return ""
    return l10n.day(value)


@register.filter
def day_and_month(value: datetime.date | None) -> str:
    """Nov 29 / 29. Nov.: a recent date, without its year."""
    if not value:
        return ""
    return l10n.day_and_month(value)


@register.filter
def weekday_and_day(value: datetime.date) -> str:
    """Sunday, November 29 / Sunday, 29 November."""
    return l10n.weekday_and_day(value)


@register.filter
def full_month_name(value: datetime.date) -> str:
    """November / novembre."""
    return l10n.full_month_name(value)


@register.filter
def distance(value: int | None, vehicle: Any) -> str:
    """An odometer reading or a distance with its unit: 123,456 km."""
    if value is None or value == "":
        return "—"
    unit = units.DISTANCE_ABBREVIATIONS[units.DistanceUnit(_unit(vehicle, "distance_unit"))]
    return f"{l10n.number(value)} {unit}"


@register.filter
def distance_unit(vehicle: Any) -> str:
    """mi / km."""
    return units.DISTANCE_ABBREVIATIONS[units.DistanceUnit(_unit(vehicle, "distance_unit"))]


@register.filter
def fuel_unit(vehicle: Any) -> str:
    """gal / L / imp gal / kWh."""
    return units.FUEL_ABBREVIATIONS[units.FuelUnit(_unit(vehicle, "fuel_unit"))]


@register.filter
def quantity_name(vehicle: Any) -> str:
    """Gallons / Liters / kWh: the heading of a fill-up quantity."""
    return units.QUANTITY_NAMES[units.FuelUnit(_unit(vehicle, "fuel_unit"))]


@register.filter
def economy(ratio: Decimal | None, vehicle: Any) -> str:
    """An economy kept as distance per unit of fuel in the vehicle's units, in the owner's unit,
    to one decimal: 29.4 (MPG) / 8,0 (L/100 km). An em dash for none."""
    if ratio is None or ratio == "":
        return "—"
    value = l10n.economy_value(ratio, _unit(vehicle, "distance_unit"), _unit(vehicle, "fuel_unit"))
    return l10n.number(value, 1)


@register.filter
def economy_unit(vehicle: Any) -> str:
    """MPG / L/100 km / mi/kWh: what the owner reads this vehicle's economy in."""
    return l10n.economy_abbreviation(_unit(vehicle, "fuel_unit"))
