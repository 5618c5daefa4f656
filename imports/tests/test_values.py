"""Numbers, dates and yes/no words as the apps write them."""

import datetime as dt
from decimal import Decimal

import pytest

from imports import values


@pytest.mark.parametrize(
    ("text", "decimal_comma", "expected"),
    [
        ("45.2", False, Decimal("45.2")),
        ("45,2", True, Decimal("45.2")),
        ("1,234.56", False, Decimal("1234.56")),
        ("1.234,56", True, Decimal("1234.56")),
        ("1.234", False, Decimal("1.234")),
        ("1.234", True, Decimal("1234")),
        ("1,234", False, Decimal("1234")),
        ("$3.19", False, Decimal("3.19")),
        ("3,19 €", True, Decimal("3.19")),
        ("-2", False, Decimal("-2")),
    ],
)
def test_it_reads_numbers_with_the_files_decimal_separator(text, decimal_comma, expected):
    assert values.number(text, decimal_comma) == expected


@pytest.mark.parametrize(
    "text", ["45,2", "1,2,3", "12.34.5", "1e5", "NaN", "Infinity", "seven", "1" * 30]
)
def test_it_refuses_numbers_it_cannot_read_with_certainty(text):
    with pytest.raises(ValueError):
        values.number(text, decimal_comma=False)


def test_it_rounds_odometer_readings_to_whole_numbers():
    assert values.whole_number("120450.0", False) == 120450
    assert values.whole_number("120450,5", True) == 120451


@pytest.mark.parametrize(
    ("seen", "decimal_comma"),
    [
        (["45,2", "1,789", "85210"], True),
        (["45.20", "1.789"], False),
        (["1.234", "1,234", "85210"], False),  # nothing decides: a point
        (["0,5", "1.234,56", "12.50"], True),  # more values say a comma
    ],
)
def test_it_finds_a_files_decimal_separator_from_the_values_that_decide_it(seen, decimal_comma):
    style = values.NumberStyle()
    for text in seen:
        style.see(text)

    assert style.decimal_comma == decimal_comma


@pytest.mark.parametrize(
    ("text", "order", "expected"),
    [
        ("01/03/2024 0:00", "mdy", dt.date(2024, 1, 3)),
        ("5/3/2024", "dmy", dt.date(2024, 3, 5)),
        ("15.03.2024", "dmy", dt.date(2024, 3, 15)),
        ("2024-05-04 08:12", "mdy", dt.date(2024, 5, 4)),
        ("2024-05-04T08:12:30", "dmy", dt.date(2024, 5, 4)),
        ("3/6/24", "mdy", dt.date(2024, 3, 6)),
        ("3/6/99", "mdy", dt.date(1999, 3, 6)),
        ("1/2/2024 10:15 PM", "mdy", dt.date(2024, 1, 2)),
    ],
)
def test_it_reads_dates_in_the_order_given(text, order, expected):
    assert values.date(text, order) == expected


@pytest.mark.parametrize(
    ("text", "order"),
    [("13/13/2024", "dmy"), ("2/30/2024", "mdy"), ("May 3, 2024", "mdy"), ("5/3/2024", "ymd")],
)
def test_it_refuses_dates_it_cannot_read(text, order):
    with pytest.raises(ValueError):
        values.date(text, order)


@pytest.mark.parametrize(
    ("seen", "order", "example"),
    [
        (["01/03/2024", "01/20/2024"], "mdy", "01/03/2024"),
        (["5/3/2024", "15/3/2024"], "dmy", "5/3/2024"),
        (["2024-05-04"], "ymd", ""),
        (["05/03/2024 0:00", "06/04/2024"], None, "05/03/2024"),
        (["1/1/2024", "2/2/2024"], "mdy", ""),  # either order reads them alike
        (["1/20/2024", "20/1/2024"], None, ""),  # they disagree
    ],
)
def test_it_finds_the_date_order_from_a_date_that_decides_it(seen, order, example):
    found = values.DateOrder()
    for text in seen:
        found.see(text)

    assert (found.order, found.example) == (order, example)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        *[("1", True), ("True", True), ("Yes", True), ("Sí", True), ("Sim", True), ("ja", True)],
        *[("0", False), ("false", False), ("No", False), ("Não", False), ("Nein", False)],
    ],
)
def test_it_reads_yes_and_no_in_the_apps_languages(text, expected):
    assert values.flag(text) is expected


def test_it_refuses_a_word_that_is_neither_yes_nor_no():
    assert values.flag("", empty=True) is True
    with pytest.raises(ValueError):
        values.flag("maybe")
