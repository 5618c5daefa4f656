import unicodedata

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
