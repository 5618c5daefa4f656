"""The owner's number, money and date formats, and how they read the economy: formatting and
parsing by their locale, with Babel (CLDR data), never hand-made tables.

Like Django's active time zone, the active `Regional` is per request: the accounts middleware
activates the signed-in owner's from their session, and everything here reads `current()`.
Outside a request (cron, the shell, public pages) it is `DEFAULT`, how MotoVault always read.
"""

import datetime
import re
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar, Token
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import cache

from babel import Locale, UnknownLocaleError, dates, numbers

from motovault import units


@dataclass(frozen=True)
class Regional:
    """An owner's regional preferences (accounts.models.Preferences holds them)."""

    locale: str = "en-US"  # a BCP 47 tag
    currency: str = "USD"  # an ISO 4217 code
    economy_unit: str = units.EconomyUnit.MPG_US
    electric_economy_unit: str = units.ElectricEconomyUnit.MI_KWH

    def vehicle_units(self) -> tuple[str, str]:
        """The distance and fuel units a new vehicle of this owner starts with: miles and US
        gallons for MPG (US); miles and liters for MPG (UK), as British pumps sell liters;
        kilometers and liters otherwise."""
        if self.economy_unit == units.EconomyUnit.MPG_US:
            return units.DistanceUnit.MILES, units.FuelUnit.US_GALLONS
        if self.economy_unit == units.EconomyUnit.MPG_UK:
            return units.DistanceUnit.MILES, units.FuelUnit.LITERS
        return units.DistanceUnit.KILOMETERS, units.FuelUnit.LITERS


DEFAULT = Regional()
_active: ContextVar[Regional] = ContextVar("regional", default=DEFAULT)


def current() -> Regional:
    return _active.get()


def activate(regional: Regional) -> Token[Regional]:
    return _active.set(regional)


def deactivate(token: Token[Regional]) -> None:
    _active.reset(token)


@contextmanager
def override(regional: Regional) -> Iterator[None]:
    token = activate(regional)
    try:
        yield
    finally:
        deactivate(token)


@cache
def babel_locale(tag: str) -> Locale:
    """The Babel locale of a BCP 47 tag; en-US for a tag Babel does not know."""
    try:
        return Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return Locale.parse("en_US")


def is_known_locale(tag: str) -> bool:
    try:
        Locale.parse(tag, sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return False
    return True


def _rounded(value: Decimal | int | float, places: int) -> Decimal:
    # Half up, as Django's floatformat rounds: a value reads as it did before formats were
    # localized (Babel would round half to even).
    return Decimal(str(value)).quantize(Decimal(1).scaleb(-places), ROUND_HALF_UP)


@cache
def _pattern(text: str) -> numbers.NumberPattern:
    # Babel parses a pattern string again on every call; a page formats hundreds of numbers
    # with a handful of patterns (and format_* take a parsed pattern as it is).
    return numbers.parse_pattern(text)


@cache
def _money_pattern(tag: str, places: int) -> numbers.NumberPattern:
    """The locale's currency pattern with exactly `places` decimals."""
    fraction = "0." + "0" * places if places else "0"
    standard = babel_locale(tag).currency_formats["standard"].pattern
    return numbers.parse_pattern(re.sub(r"0(\.0+)?", fraction, standard))


def number(value: Decimal | int | float, places: int = 0, *, grouping: bool = True) -> str:
    """`value` with exactly `places` decimals, in the owner's separators: 1,234.5 / 1.234,5."""
    pattern = ("#,##0" if grouping else "0") + ("." + "0" * places if places else "")
    return numbers.format_decimal(
        _rounded(value, places), format=_pattern(pattern), locale=babel_locale(current().locale)
    )


def plain(value: Decimal | int, max_places: int, min_places: int = 0) -> str:
    """`value` as it goes into a form field: no grouping, the owner's decimal separator, no
    trailing zeros beyond `min_places` (40.500 is "40.5", or "40,5")."""
    pattern = "0" + ("." + "0" * min_places + "#" * (max_places - min_places) if max_places else "")
    return numbers.format_decimal(
        _rounded(value, max_places), format=_pattern(pattern), locale=babel_locale(current().locale)
    )


def money(amount: Decimal | int, places: int | None = None) -> str:
    """An amount in the owner's currency, with its symbol where their locale puts it and the
    currency's own decimals (none for JPY), unless `places` asks for more (a cost per mile)."""
    regional = current()
    if places is None:
        places = numbers.get_currency_precision(regional.currency)
    return numbers.format_currency(
        _rounded(amount, places),
        regional.currency,
        format=_money_pattern(regional.locale, places),
        locale=babel_locale(regional.locale),
        currency_digits=False,
    )


def currency_symbol() -> str:
    regional = current()
    return numbers.get_currency_symbol(regional.currency, locale=babel_locale(regional.locale))


def unit_price(amount: Decimal | int) -> str:
    """A price per unit of fuel or of distance, one decimal finer than the currency's own:
    $3.459/gal and 1,799 €/L as pumps show them, ￥180.5 for the yen."""
    return money(amount, numbers.get_currency_precision(current().currency) + 1)


def _words() -> Locale:
    """The locale for dates written with words. The interface is English, so month and day names
    are English, in the owner's region's order where CLDR knows it (en-DE: "29 Nov"), rather than
    German names inside English sentences."""
    locale = babel_locale(current().locale)
    if locale.language == "en":
        return locale
    return babel_locale(f"en-{locale.territory}") if locale.territory else babel_locale("en")


def day(value: datetime.date) -> str:
    """A date in the owner's style: Nov 29, 2026 / 29 Nov 2026 in English; elsewhere the
    locale's numeric style with the whole year, which needs no words: 29.11.2026, 2026-11-29."""
    locale = babel_locale(current().locale)
    if locale.language == "en":
        return dates.format_date(value, "medium", locale=locale)
    pattern = re.sub(r"y+", "y", locale.date_formats["short"].pattern)
    return dates.format_date(value, pattern, locale=locale)


def day_and_month(value: datetime.date) -> str:
    """A date of this year, without it: Nov 29 / 29 Nov."""
    return dates.format_skeleton("MMMd", value, locale=_words())


def weekday_and_day(value: datetime.date) -> str:
    """Today in words, without the year: Sunday, November 29 / Sunday, 29 November. (The
    locale's full date, its trailing year dropped; whole where the year is not last.)"""
    locale = _words()
    pattern = locale.date_formats["full"].pattern
    return dates.format_date(value, re.sub(r"[\s,.]*\by+\s*$", "", pattern), locale=locale)


def full_month_name(value: datetime.date) -> str:
    """November: a month's name on its own, as a column heading."""
    return dates.format_date(value, "LLLL", locale=_words())


def month_and_year(value: datetime.date) -> str:
    """Nov 2026."""
    return dates.format_skeleton("yMMM", value, locale=_words())


def month_and_year_in_full(value: datetime.date) -> str:
    """November 2026."""
    return dates.format_skeleton("yMMMM", value, locale=_words())


def month_name(value: datetime.date) -> str:
    """The month's abbreviated name: Nov."""
    return dates.format_date(value, "LLL", locale=_words())


def year(value: datetime.date) -> str:
    """The year alone, as the owner's locale writes it: 2026."""
    return dates.format_date(value, "y", locale=_words())


def economy_value(ratio: Decimal, distance_unit: str, fuel_unit: str) -> Decimal:
    """A vehicle's economy as distance per unit of fuel in its own units (how statistics keep
    it), in the unit the owner reads that vehicle in."""
    regional = current()
    unit = units.economy_unit_for(fuel_unit, regional.economy_unit, regional.electric_economy_unit)
    return units.economy(
        ratio, Decimal(1), distance_unit=distance_unit, fuel_unit=fuel_unit, economy_unit=unit
    )


def economy_abbreviation(fuel_unit: str) -> str:
    """ "MPG", "L/100 km" or "mi/kWh": what the owner reads a vehicle with `fuel_unit` in."""
    regional = current()
    unit = units.economy_unit_for(fuel_unit, regional.economy_unit, regional.electric_economy_unit)
    return units.ECONOMY_ABBREVIATIONS[unit]


_SPACES = re.compile(r"[\s\u00a0\u202f']")


def parse_decimal(text: str) -> Decimal:
    """What the owner typed, read by their locale: "40,5" is 40.5 and "1.234,5" is 1234.5 in
    de-DE; "1.234" is 1.234 in en-US. Raises ValueError for anything it cannot read with
    certainty, rather than guessing: "1,2,3", "12.34.5", "1,5" in en-US."""
    locale = babel_locale(current().locale)
    cleaned = text.strip()
    group = numbers.get_group_symbol(locale)
    decimal = numbers.get_decimal_symbol(locale)
    # Spaces group digits in fr-FR and sv-SE (CLDR says a narrow no-break space; people type a
    # space), and an apostrophe in de-CH.
    if _SPACES.fullmatch(group):
        cleaned = _SPACES.sub(group, cleaned)
    # Digits and separators only: Babel would also read "1e5", "NaN" and "Infinity".
    allowed = re.escape(group + decimal + ".")
    if not re.fullmatch(rf"[-+]?\d[\d{allowed}]*", cleaned) or cleaned.count(decimal) > 1:
        raise ValueError(text)
    try:
        return numbers.parse_decimal(cleaned, locale=locale, strict=True)
    except numbers.NumberFormatError:
        pass
    # A point where the locale writes a comma, from a phone keyboard that offers only a point:
    # a decimal point when it cannot be grouping (grouping is always three digits after it).
    if decimal != "." and re.fullmatch(r"\d+\.(\d{1,2}|\d{4,})", cleaned):
        try:
            return Decimal(cleaned)
        except InvalidOperation:
            pass
    raise ValueError(text)


def number_example() -> str:
    """How a number is typed in the owner's locale, for error messages: 1,234.5 / 1.234,5."""
    return number(Decimal("1234.5"), 1)
