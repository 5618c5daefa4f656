"""VIN rules: one module used by forms, admin, import and the decoder."""

from dataclasses import dataclass

import vin as bundled_vpic
from django.core.exceptions import ValidationError
from django.utils import timezone

from vehicles import wmi

VIN_LENGTH = 17
# Before 1981 each maker numbered its own way: serials of about 5 to 13 letters and digits, with
# no check digit and nothing a decoder could read.
SERIAL_MIN_LENGTH = 5
SERIAL_MAX_LENGTH = 13

# ISO 3779 / 49 CFR 565: the value of each allowed character and the weight of each position.
TRANSLITERATION = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)

# Position 10 codes in order: the first cycle is 1980-2009, the second 2010-2039.
MODEL_YEAR_CODES = "ABCDEFGHJKLMNPRSTVWXY123456789"
FIRST_CYCLE_START = 1980
CYCLE = 30

# 49 CFR 565 (the check digit, the model-year code) binds vehicles for North America, whose
# VINs start with 1-5.
NORTH_AMERICA = "12345"

# str.upper() would fold some non-ASCII letters into valid ones (dotless i -> "I", long s -> "S").
_ASCII_UPPER = str.maketrans("abcdefghijklmnopqrstuvwxyz", "ABCDEFGHIJKLMNOPQRSTUVWXYZ")


def latest_model_year() -> int:
    """Manufacturers sell next year's models from the summer on."""
    return timezone.localdate().year + 1


def normalize_vin(raw: str) -> str:
    """The VIN as typed or pasted, without whitespace and dashes, in upper case (ASCII only:
    a full-width digit or a Cyrillic letter stays what it is, and so stays invalid)."""
    return "".join(raw.split()).replace("-", "").translate(_ASCII_UPPER)


def check_digit(vin: str) -> str:
    """The check digit (position 9) that a 17-character VIN of allowed characters should carry."""
    total = sum(TRANSLITERATION[char] * weight for char, weight in zip(vin, WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def _shown(char: str) -> str:
    """A character as an error message can show it, even when it is invisible."""
    if char.isascii() and char.isprintable():
        return f"“{char}”"
    return f"“{char}” (U+{ord(char):04X})" if char.isprintable() else f"U+{ord(char):04X}"


def validate_vin(vin: str, *, allow_invalid_check_digit: bool = False) -> None:
    """Raise ValidationError naming the first problem with a normalized VIN.

    `allow_invalid_check_digit` is the owner's declaration that the vehicle was built for a
    market outside North America, where position 9 need not be a check digit."""
    if len(vin) != VIN_LENGTH:
        raise ValidationError(
            f"A VIN has {VIN_LENGTH} characters; this one has {len(vin)}.", code="length"
        )
    for position, char in enumerate(vin, start=1):
        if char in "IOQ":
            raise ValidationError(
                f"VINs never contain the letters I, O or Q (they look like 1 and 0): "
                f"found “{char}” at position {position}.",
                code="forbidden_letter",
            )
        if char not in TRANSLITERATION:
            raise ValidationError(
                f"{_shown(char)} at position {position} cannot be part of a VIN: use only "
                f"the letters A to Z and the digits 0 to 9.",
                code="invalid_character",
            )
    if vin[0] == "0":
        raise ValidationError(
            "A VIN cannot start with 0: no region of the world has that code.", code="region"
        )
    if vin[0] in NORTH_AMERICA and vin[9] not in MODEL_YEAR_CODES:
        raise ValidationError(
            f"Position 10 of a North American VIN is the model-year code, and “{vin[9]}” is "
            f"not one (U, Z and 0 are never used).",
            code="model_year",
        )
    if not allow_invalid_check_digit:
        validate_check_digit(vin)


def validate_check_digit(vin: str) -> None:
    """Raise ValidationError when position 9 of a VIN that passes every other rule of
    validate_vin is not its check digit."""
    expected = check_digit(vin)
    if vin[8] != expected:
        raise ValidationError(
            f"The check digit (position 9) should be “{expected}”, not “{vin[8]}”: look for a "
            f"mistyped character. Vehicles built for markets outside North America may have "
            f"no check digit.",
            code="check_digit",
        )


def validate_serial(serial: str) -> None:
    """Raise ValidationError when a normalized pre-1981 serial number is not SERIAL_MIN_LENGTH
    to SERIAL_MAX_LENGTH letters and digits (the only rule makers shared)."""
    if not SERIAL_MIN_LENGTH <= len(serial) <= SERIAL_MAX_LENGTH:
        raise ValidationError(
            f"An older serial number has {SERIAL_MIN_LENGTH} to {SERIAL_MAX_LENGTH} characters; "
            f"this one has {len(serial)}.",
            code="serial_length",
        )
    for position, char in enumerate(serial, start=1):
        if not (char.isascii() and char.isalnum()):
            raise ValidationError(
                f"{_shown(char)} at position {position} cannot be part of a serial number: use "
                f"only the letters A to Z and the digits 0 to 9.",
                code="invalid_character",
            )


def is_north_american(vin: str) -> bool:
    return vin[:1] in NORTH_AMERICA


def has_valid_check_digit(vin: str) -> bool:
    """Whether position 9 is the check digit: then the VIN was built for North America
    (wherever the factory is), and 49 CFR 565 governs all of it."""
    return (
        len(vin) == VIN_LENGTH
        and all(char in TRANSLITERATION for char in vin)
        and vin[8] == check_digit(vin)
    )


def model_year(vin: str, *, latest: int) -> int | None:
    """The model year position 10 encodes, or None (`0`, or no code at all).

    VINs for North America choose the 30-year cycle by position 7 (49 CFR 565: a digit before
    2010, a letter from 2010): those made there (position 1 is 1-5) and those made anywhere
    else for that market, which the valid check digit betrays (a 1994 Acura from Japan is 1994,
    not 2024). Other VINs need not follow that rule, so the latest year not after `latest`
    (next year's models) is taken."""
    code = vin[9:10]
    if not code or code not in MODEL_YEAR_CODES:
        return None
    first_cycle_year = FIRST_CYCLE_START + MODEL_YEAR_CODES.index(code)
    if is_north_american(vin) or has_valid_check_digit(vin):
        year = first_cycle_year + (CYCLE if vin[6].isalpha() else 0)
    else:
        year = first_cycle_year
        while year + CYCLE <= latest:
            year += CYCLE
    return year if year <= latest else None


@dataclass(frozen=True)
class OfflineDecode:
    """What a VIN tells with no network; each field None when unknown."""

    year: int | None
    make: str | None
    model: str | None
    manufacturer: str | None
    country: str | None


def decode_offline(vin: str) -> OfflineDecode:
    """Decode a normalized, valid VIN from the VIN itself, the WMI table (vehicles/wmi.py) and
    the snapshot of vPIC that the `vin` package bundles, which knows the make and model of cars
    and light trucks sold in North America since 1980."""
    manufacturer, make = wmi.manufacturer_and_make(vin)
    model = None
    try:
        # Our own rules have passed the VIN, an allowed missing check digit included.
        known = bundled_vpic.VIN(vin, fix_check_digit=True)
    except (ValueError, bundled_vpic.DecodingError):
        pass
    else:
        make, model = known.make or make, known.model or None
        manufacturer = manufacturer or known.manufacturer or None
    return OfflineDecode(
        year=model_year(vin, latest=latest_model_year()),
        make=make,
        model=model,
        manufacturer=manufacturer,
        country=wmi.country(vin),
    )
