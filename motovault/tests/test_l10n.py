import datetime
from decimal import Decimal

import pytest

from motovault import l10n

GERMAN = l10n.Regional(locale="de-DE", currency="EUR", economy_unit="l_100km")
US = l10n.DEFAULT


def read(text, regional):
    with l10n.override(regional):
        return l10n.parse_decimal(text)


@pytest.mark.parametrize(
    ("text", "regional", "expected"),
    [
        ("40,5", GERMAN, Decimal("40.5")),
        ("1.234,5", GERMAN, Decimal("1234.5")),
        ("1234,5", GERMAN, Decimal("1234.5")),
        (" 40 ", GERMAN, Decimal(40)),
        # A phone keypad that offers only a point: unmistakably a decimal point here.
        ("40.5", GERMAN, Decimal("40.5")),
        ("1.234", US, Decimal("1.234")),
        ("1,234.5", US, Decimal("1234.5")),
        ("40.5", US, Decimal("40.5")),
        ("1 234,5", l10n.Regional(locale="fr-FR"), Decimal("1234.5")),
        ("1 234,5", l10n.Regional(locale="sv-SE"), Decimal("1234.5")),
        ("1'234.5", l10n.Regional(locale="de-CH"), Decimal("1234.5")),
    ],
)
def test_it_reads_numbers_the_owners_way(text, regional, expected):
    assert read(text, regional) == expected


@pytest.mark.parametrize(
    ("text", "regional"),
    [
        ("40,5", US),  # a comma in en-US is grouping, and 40,5 is not grouped in threes
        ("1,2,3", US),
        ("12.34.5", GERMAN),
        ("1,2,3", GERMAN),
        ("4O", US),
        ("", US),
        ("1e5", US),
        ("NaN", US),
        ("--4", US),
    ],
)
def test_it_refuses_what_it_cannot_read_with_certainty(text, regional):
    with pytest.raises(ValueError):
        read(text, regional)


def test_it_formats_numbers_money_and_dates_by_locale():
    day = datetime.date(2026, 11, 29)
    with l10n.override(US):
        assert l10n.number(Decimal("1234.55"), 1) == "1,234.6"
        assert l10n.money(Decimal("1234.5")) == "$1,234.50"
        assert l10n.money(Decimal("0.1234"), 3) == "$0.123"
        assert l10n.day(day) == "Nov 29, 2026"
    with l10n.override(GERMAN):
        assert l10n.number(Decimal("1234.55"), 1) == "1.234,6"
        assert l10n.money(Decimal("1234.5")) == "1.234,50\xa0€"
        assert l10n.day(day) == "29.11.2026"
    with l10n.override(l10n.Regional(locale="en-GB", currency="GBP")):
        assert l10n.money(Decimal("1234.5")) == "£1,234.50"
        assert l10n.day(day) == "29 Nov 2026"
    with l10n.override(l10n.Regional(locale="ja-JP", currency="JPY")):
        # The yen has no minor unit.
        assert l10n.money(Decimal("1234.5")) == "￥1,235"


def test_it_rounds_half_up_as_pages_always_did():
    with l10n.override(US):
        assert l10n.number(Decimal("25.25"), 1) == "25.3"
        assert l10n.number(Decimal("0.125"), 2) == "0.13"


def test_it_shows_economy_in_the_owners_unit():
    # 12.5 km per liter, read by a US owner and a German one.
    ratio = Decimal("12.5")
    with l10n.override(US):
        assert l10n.economy_value(ratio, "km", "l").quantize(Decimal("0.01")) == Decimal("29.40")
        assert l10n.economy_abbreviation("l") == "MPG"
    with l10n.override(GERMAN):
        assert l10n.economy_value(ratio, "km", "l") == 8
        assert l10n.economy_abbreviation("l") == "L/100 km"
        assert l10n.economy_abbreviation("kwh") == "mi/kWh"


def test_its_form_fields_are_text_inputs_a_comma_survives():
    # A number input drops what it cannot read: `40,5` reached the server as 405.
    from django import forms

    from motovault.forms import LocalizedDecimalField, LocalizedIntegerField

    class Amounts(forms.Form):
        quantity = LocalizedDecimalField(max_digits=8, decimal_places=3)
        odometer = LocalizedIntegerField()

    html = str(Amounts())
    assert 'type="number"' not in html
    assert 'inputmode="decimal"' in html and 'inputmode="numeric"' in html
    with l10n.override(GERMAN):
        form = Amounts({"quantity": "40,5", "odometer": "123.456"})
        assert form.is_valid()
    assert form.cleaned_data == {"quantity": Decimal("40.5"), "odometer": 123456}


def test_it_writes_dates_with_english_words_in_the_owners_order():
    day = datetime.date(2026, 3, 1)
    with l10n.override(GERMAN):
        # Numeric where the locale is, so no German word sits in an English sentence.
        assert l10n.day(day) == "01.03.2026"
        assert l10n.month_and_year(day) == "Mar 2026"
        assert l10n.day_and_month(day) == "1 Mar"
        assert l10n.weekday_and_day(day) == "Sunday, 1 March"
    with l10n.override(l10n.Regional(locale="sv-SE")):
        assert l10n.day(day) == "2026-03-01"
    with l10n.override(l10n.Regional(locale="fr-FR")):
        assert l10n.day(day) == "01/03/2026"
    with l10n.override(US):
        assert l10n.day(day) == "Mar 1, 2026"
        assert l10n.day_and_month(day) == "Mar 1"
        assert l10n.weekday_and_day(day) == "Sunday, March 1"


def test_it_prices_a_unit_one_decimal_finer_than_the_currency():
    with l10n.override(US):
        assert l10n.unit_price(Decimal("3.459")) == "$3.459"
    with l10n.override(GERMAN):
        assert l10n.unit_price(Decimal("1.799")) == "1,799\xa0€"
    with l10n.override(l10n.Regional(locale="ja-JP", currency="JPY")):
        assert l10n.unit_price(Decimal("180.5")) == "￥180.5"
