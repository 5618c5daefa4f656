FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralise_formula(value):
    """Spreadsheets run a cell that starts with = + - @ as a formula (CSV injection); a leading
    ' makes them show it as text. Only user-entered text is touched, never numbers."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value
