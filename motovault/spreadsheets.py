import unicodedata

# What makes a spreadsheet run a cell as a formula, once full-width and other compatibility
# forms are folded (NFKC turns the full-width U+FF1D into "=", the small U+FE62 into "+").
FORMULA_PREFIXES = frozenset("=+-@")


def neutralize_formula(value: object) -> object:
    """Spreadsheets run a cell that starts with = + - @ as a formula (CSV injection); a leading
    ' makes them show it as text. Also caught: the full-width forms (U+FF1D, U+FF0B, U+FF0D,
    U+FF20), a formula behind leading whitespace, and any cell that starts with a control or
    invisible character (tab, CR, zero-width space, byte-order mark), which some programs drop
    before reading the rest. Only user-entered text is touched, never numbers."""
    if isinstance(value, str) and _runs_as_formula(value):
        return "'" + value
    return value


def _runs_as_formula(text: str) -> bool:
    if text and _is_invisible(text[0]):
        return True
    for char in text:
        if not (char.isspace() or _is_invisible(char)):
            return unicodedata.normalize("NFKC", char) in FORMULA_PREFIXES
    return False


def _is_invisible(char: str) -> bool:
    # Cc: controls such as tab, CR and LF; Cf: format characters such as U+200B and U+FEFF.
    return unicodedata.category(char) in ("Cc", "Cf")
