"""Reads the values of imported cells: numbers with a decimal point or a decimal comma (and
grouping: `1,234.56`, `1.234,56`), dates month first, day first or year first, and yes/no words
in the languages the apps export in.

Which decimal separator and which date order a file uses is decided from all its values at once
(`NumberStyle`, `DateOrder`): a single value that can only be read one way decides; a file
where no value decides keeps the decimal point, and leaves the date order to the owner.
"""

import datetime
import re
from decimal import ROUND_HALF_UP, Decimal

from motovault import l10n

# Read with Babel through motovault.l10n, as the owner's own typing is.
POINT = l10n.Regional(locale="en-US")
COMMA = l10n.Regional(locale="de-DE")

# Values that can only have a decimal comma (45,2 / 0,123 / 1234,5 / 1.234,56), or only a
# decimal point; "1,234" and "1.234" could have either.
_DECIMAL_COMMA = re.compile(
    r"[-+]?(?:\d{1,3}(?:\.\d{3})+,\d+|\d+,(?:\d{1,2}|\d{4,})|0,\d+|\d{4,},\d+)"
)
_DECIMAL_POINT = re.compile(
    r"[-+]?(?:\d{1,3}(?:,\d{3})+\.\d+|\d+\.(?:\d{1,2}|\d{4,})|0\.\d+|\d{4,}\.\d+)"
)
_PLAIN_POINT = re.compile(r"[-+]?\d+(?:\.\d+)?")
_PLAIN_COMMA = re.compile(r"[-+]?\d+(?:,\d+)?")
_CURRENCY = "$€£¥ \u00a0"
MAX_NUMBER_LENGTH = 24


class NumberStyle:
    """Whether a file writes a decimal comma, decided from its values: `see` each number, then
    read `decimal_comma`."""

    def __init__(self) -> None:
        self.commas = 0
        self.points = 0

    def see(self, text: str) -> None:
        if not text:
            return
        cleaned = text.strip(_CURRENCY)
        if _DECIMAL_COMMA.fullmatch(cleaned):
            self.commas += 1
        elif _DECIMAL_POINT.fullmatch(cleaned):
            self.points += 1

    @property
    def decimal_comma(self) -> bool:
        """A decimal comma when more values can only have one than can only have a point."""
        return self.commas > self.points


def number(text: str, decimal_comma: bool) -> Decimal:
    """A cell's number, read with the file's decimal separator; a currency symbol around it is
    ignored. Raises ValueError for anything else (never a guess)."""
    cleaned = text.strip(_CURRENCY)
    if len(cleaned) > MAX_NUMBER_LENGTH:
        raise ValueError(text)
    if decimal_comma:
        if _PLAIN_COMMA.fullmatch(cleaned):
            return Decimal(cleaned.replace(",", "."))
    elif _PLAIN_POINT.fullmatch(cleaned):
        return Decimal(cleaned)
    with l10n.override(COMMA if decimal_comma else POINT):
        return l10n.parse_decimal(cleaned)


def whole_number(text: str, decimal_comma: bool) -> int:
    """An odometer reading or a count, to the nearest whole number (Fuelio writes 120450.0)."""
    return int(number(text, decimal_comma).quantize(Decimal(1), ROUND_HALF_UP))


MDY, DMY, YMD = "mdy", "dmy", "ymd"
DATE_ORDERS = (MDY, DMY, YMD)
_DATE = re.compile(
    r"(\d{1,4})[./-](\d{1,2})[./-](\d{1,4})"
    r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?: ?[AaPp][Mm])?)?"
)


def _parts(text: str) -> tuple[str, str, str]:
    match = _DATE.fullmatch(text.strip())
    if not match:
        raise ValueError(text)
    first, second, third = match.groups()
    return first, second, third


class DateOrder:
    """The order of a file's dates, decided from its values: `see` each date, then read
    `order` (None when no value decides, or when values decide both ways) and `example`
    (a date that could be read both ways, to ask the owner with)."""

    def __init__(self) -> None:
        self.month_first = 0
        self.day_first = 0
        self.year_first = 0
        self.either_way = 0
        self.example = ""

    def see(self, text: str) -> None:
        try:
            first, second, _ = _parts(text)
        except ValueError:
            return
        if len(first) == 4:
            self.year_first += 1
        elif int(first) > 12 >= int(second):
            self.day_first += 1
        elif int(second) > 12 >= int(first):
            self.month_first += 1
        elif int(first) == int(second):
            self.either_way += 1
        elif not self.example:
            self.example = text.strip().split(" ")[0]

    @property
    def order(self) -> str | None:
        if self.conflicting:
            return None
        if self.month_first:
            return MDY
        if self.day_first:
            return DMY
        if self.example:
            return None
        # Every date reads the same in either order (1/1/2024), or has its year first.
        return MDY if self.either_way else YMD

    @property
    def conflicting(self) -> bool:
        return bool(self.month_first and self.day_first)


def date(text: str, order: str) -> datetime.date:
    """A cell's date (a time after it is ignored): 2024-05-04, 05/04/2024 or 4.5.2024 as
    `order` says, a year first whatever it says. Two-digit years are this century's up to
    next year, the last century's after. Raises ValueError for anything else."""
    first, second, third = _parts(text)
    if len(first) == 4:
        year, month, day = first, second, third
    elif order == DMY:
        day, month, year = first, second, third
    elif order == MDY:
        month, day, year = first, second, third
    else:
        raise ValueError(text)
    if len(year) not in (2, 4) or len(day) > 2:
        raise ValueError(text)
    full_year = int(year)
    if len(year) == 2:
        next_year = (datetime.date.today().year + 1) % 100
        full_year += 2000 if full_year <= next_year else 1900
    return datetime.date(full_year, int(month), int(day))


# Yes and no as the apps write them, in the languages Drivvo exports in.
YES = {"1", "true", "yes", "y", "x", "sí", "si", "sim", "oui", "ja", "sì", "tak", "da", "evet"}
NO = {"0", "false", "no", "n", "não", "nao", "non", "nein", "nie", "ne", "hayir"}


def flag(text: str, empty: bool = False) -> bool:
    """A yes/no cell: 1/0, True/False, Yes/No and their translations; `empty` for an empty
    cell. Raises ValueError for anything else."""
    word = text.strip().casefold()
    if not word:
        return empty
    if word in YES:
        return True
    if word in NO:
        return False
    raise ValueError(text)
