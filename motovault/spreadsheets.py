import csv
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal

from motovault.text import is_invisible

# What makes a spreadsheet run a cell as a formula, once full-width and other compatibility
# forms are folded (NFKC turns the full-width U+FF1D into "=", the small U+FE62 into "+").
FORMULA_PREFIXES = frozenset("=+-@")
# Visible characters that look blank: the Braille blank pattern, the Hangul fillers (these are
# default-ignorable as well), which a program may drop or skip as it would a space.
BLANK_LOOKALIKES = frozenset("\u2800\u3164\uffa0\u115f\u1160")


def neutralize_formula(value: object) -> object:
    """Spreadsheets run a cell that starts with = + - @ as a formula (CSV injection); a leading
    ' makes them show it as text. Also caught: the full-width forms (U+FF1D, U+FF0B, U+FF0D,
    U+FF20), a formula behind leading whitespace or blank lookalikes, and any cell that starts
    with a control or invisible character (tab, CR, zero-width space, byte-order mark, Hangul
    filler, combining grapheme joiner: see motovault.text.is_invisible), which some programs
    drop before reading the rest. Only user-entered text is touched, never numbers."""
    if isinstance(value, str) and _runs_as_formula(value):
        return "'" + value
    return value


def _runs_as_formula(text: str) -> bool:
    if text and is_invisible(text[0]):
        return True
    for char in text:
        if not (char.isspace() or is_invisible(char) or char in BLANK_LOOKALIKES):
            return unicodedata.normalize("NFKC", char) in FORMULA_PREFIXES
    return False


# The CSV exports' values, written for programs as much as for people: dot decimals without
# grouping, ISO dates, true/false, and the owner's text formula-safe.


def text(value: str) -> str:
    """What the owner typed, safe to open in a spreadsheet."""
    return str(neutralize_formula(value))


def number(value: Decimal | int | None) -> str:
    """A number as stored: dot decimals, no grouping, no exponent; empty for none."""
    if value is None:
        return ""
    return f"{value:f}" if isinstance(value, Decimal) else str(value)


def flag(value: bool) -> str:
    return "true" if value else "false"


class _Line:
    """What csv.writer writes to: hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_lines(table: Iterable[Sequence[str]]) -> Iterator[str]:
    """A table as CSV text, a line at a time (for a streamed response), after a byte-order
    mark, which tells spreadsheet programs the file is UTF-8. CRLF line ends, as RFC 4180 and
    spreadsheets write them."""
    yield "\ufeff"
    writer = csv.writer(_Line())
    for row in table:
        yield writer.writerow(row)
