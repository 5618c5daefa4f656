import pytest
from django.core.exceptions import ValidationError

from vehicles.tests.conftest import load_fixture
from vehicles.vin import check_digit, decode_offline, model_year, normalize_vin, validate_vin

# Real VINs: vPIC decodes them cleanly (recorded responses, or published examples).
REAL_VINS = ["1FTMW1T88MFA00001", "1GYDE63A740121151", "3VWD07AJ5EM388202", "3VV3B7AXXNM077525"]
# A real 2012 BMW 328i built for outside North America: vPIC says ErrorCode 1 (check digit).
BMW_VIN = "WBA3A5C51CF256987"


def messages_for(vin, **kwargs):
    with pytest.raises(ValidationError) as caught:
        validate_vin(vin, **kwargs)
    return caught.value.messages


def test_it_normalizes_pasted_vins():
    assert normalize_vin("  1ftmw1t88-mfa 00001\n") == "1FTMW1T88MFA00001"
    assert normalize_vin("1FT-MW1-T88-MFA-00001") == "1FTMW1T88MFA00001"


def test_it_does_not_fold_unicode_into_valid_characters():
    # Full-width digit one, Cyrillic capital A, dotless i, long s.
    assert normalize_vin("\uff11\u0410\u0131\u017f") == "\uff11\u0410\u0131\u017f"


@pytest.mark.parametrize("vin", REAL_VINS)
def test_it_accepts_real_vins(vin):
    validate_vin(vin)


@pytest.mark.parametrize(
    "name", ["1GYDE63A740121151.decodevin.json", "3VWD07AJ5EM388202.decodevin.json"]
)
def test_it_agrees_with_vpic_on_recorded_clean_decodes(name):
    recorded = load_fixture(name)
    vin = recorded["SearchCriteria"].removeprefix("VIN:")
    error_code = next(r["Value"] for r in recorded["Results"] if r["Variable"] == "Error Code")
    assert error_code.startswith("0")
    validate_vin(vin)


def test_it_agrees_with_vpic_on_a_recorded_invalid_vin():
    recorded = load_fixture("3VW3564650M388202.decodevin.error.json")
    vin = recorded["SearchCriteria"].removeprefix("VIN:")
    error_text = next(r["Value"] for r in recorded["Results"] if r["Variable"] == "Error Text")
    assert "1 - Check Digit (9th position) does not calculate properly" in error_text
    assert "11 - Incorrect Model Year" in error_text
    # The model year is reported first; the check digit is wrong too.
    assert messages_for(vin) == [
        "Position 10 of a North American VIN is the model-year code, and “0” is not one "
        "(U, Z and 0 are never used)."
    ]
    assert check_digit(vin) != vin[8]


def test_it_names_the_expected_check_digit():
    assert messages_for(BMW_VIN) == [
        "The check digit (position 9) should be “7”, not “1”: look for a mistyped character. "
        "Vehicles built for markets outside North America may have no check digit."
    ]


def test_it_accepts_a_bad_check_digit_only_with_the_override():
    validate_vin(BMW_VIN, allow_invalid_check_digit=True)


def test_it_still_checks_everything_else_with_the_override():
    assert "position 5" in messages_for("WBA3O5C51CF256987", allow_invalid_check_digit=True)[0]


@pytest.mark.parametrize(
    ("vin", "message"),
    [
        ("1FTMW1T88MFA0000", "A VIN has 17 characters; this one has 16."),
        ("1FTMW1T88MFA000011", "A VIN has 17 characters; this one has 18."),
        ("", "A VIN has 17 characters; this one has 0."),
        (
            "1FTMW1T88MFO00001",
            "VINs never contain the letters I, O or Q (they look like 1 and 0): "
            "found “O” at position 12.",
        ),
        (
            "IFTMW1T88MFA00001",
            "VINs never contain the letters I, O or Q (they look like 1 and 0): "
            "found “I” at position 1.",
        ),
        (
            "1FTMW1T88MFA0000Q",
            "VINs never contain the letters I, O or Q (they look like 1 and 0): "
            "found “Q” at position 17.",
        ),
        (
            "1FTMW1T88MFA0000*",
            "“*” at position 17 cannot be part of a VIN: use only the letters A to Z and "
            "the digits 0 to 9.",
        ),
        (
            "1FTMW1T88MFA0000\uff11",
            "“\uff11” (U+FF11) at position 17 cannot be part of a VIN: use only the letters "
            "A to Z and the digits 0 to 9.",
        ),
        (
            "1FTMW1T88MF\u0410\u00a00001",
            "“\u0410” (U+0410) at position 12 cannot be part of a VIN: use only the letters "
            "A to Z and the digits 0 to 9.",
        ),
        (
            "1FTMW1T88MFa00001",
            "“a” at position 12 cannot be part of a VIN: use only the letters A to Z and "
            "the digits 0 to 9.",
        ),
        ("0FTMW1T88MFA00001", "A VIN cannot start with 0: no region of the world has that code."),
        (
            "1FTMW1T88UFA00001",
            "Position 10 of a North American VIN is the model-year code, and “U” is not one "
            "(U, Z and 0 are never used).",
        ),
    ],
)
def test_it_names_each_problem(vin, message):
    assert messages_for(vin) == [message]


def test_it_allows_any_position_10_outside_north_america():
    # A European VIN may carry 0 (no model year) in position 10.
    validate_vin("WBA3A5C5X0F256987", allow_invalid_check_digit=True)


@pytest.mark.parametrize(
    ("vin", "year", "make", "model", "manufacturer", "country"),
    [
        ("1FTMW1T88MFA00001", 2021, "Ford", "F-150", "Ford Motor Company", "United States"),
        ("1GYDE63A740121151", 2004, "Cadillac", "SRX", "General Motors LLC", "United States"),
        ("3VWD07AJ5EM388202", 2014, "Volkswagen", "Jetta", "Volkswagen de Mexico", "Mexico"),
        ("3VV3B7AXXNM077525", 2022, "Volkswagen", "Tiguan", "Volkswagen de Mexico", "Mexico"),
        (BMW_VIN, 2012, "BMW", "328i", "BMW AG", "Germany"),
    ],
)
def test_it_decodes_offline(vin, year, make, model, manufacturer, country):
    decoded = decode_offline(vin)
    assert decoded == type(decoded)(year, make, model, manufacturer, country)


def test_it_decodes_the_model_offline_despite_a_waived_check_digit():
    assert decode_offline("1FTMW1T80MFA00001").model == "F-150"


def test_it_knows_the_maker_but_not_the_model_of_an_unknown_vehicle_descriptor():
    decoded = decode_offline("1FTZZZZZ8MFA00001")
    assert (decoded.make, decoded.model, decoded.year) == ("Ford", None, 2021)


def test_it_knows_nothing_offline_about_an_unlisted_wmi():
    decoded = decode_offline("0ZZZZZZZZ0Z000000")
    assert decoded == type(decoded)(None, None, None, None, None)


def test_it_picks_the_model_year_cycle_by_position_7_in_north_america():
    assert model_year("1GYDE63A740121151", latest=2027) == 2004  # digit: 1980-2009
    assert model_year("1FTMW1T88AFA00001", latest=2027) == 2010  # letter: 2010-2039
    assert model_year("1FTMW1388EFA00001", latest=2027) == 1984
    assert model_year("1FTMW13885FA00001", latest=2027) == 2005


def test_it_reads_a_vin_made_abroad_for_north_america_by_position_7():
    # A 1994 Acura Integra made in Japan for the US: the valid check digit (6) says 49 CFR 565
    # applies, and the digit in position 7 chooses 1980-2009 for the "R".
    assert check_digit("JH4DA9356RS000000") == "6"
    assert model_year("JH4DA9356RS000000", latest=2027) == 1994
    assert decode_offline("JH4DA9356RS000000").year == 1994
    # Without a check digit, position 7 means nothing: the latest possible year.
    assert model_year("JH4DA9350RS000000", latest=2027) == 2024


def test_it_has_no_model_year_for_position_10_zero():
    assert model_year("WBA3A5C5X0F256987", latest=2027) is None


def test_it_takes_the_latest_possible_year_outside_north_america():
    assert model_year("WBA3A5C51CF256987", latest=2027) == 2012
    assert model_year("WBA3A5C51YF256987", latest=2027) == 2000
    assert model_year("WBA3A5C51YF256987", latest=2031) == 2030
