from decimal import Decimal

import pytest

from motovault.spreadsheets import neutralize_formula

# Each would run as a formula in some spreadsheet program, or hides what follows it.
RUNNABLE = [
    "=1+1",
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    '\uff1dHYPERLINK("https://evil.example")',  # full-width =
    "\uff0b1+1",  # full-width +
    "\uff0d2+3",  # full-width -
    "\uff20SUM(A1)",  # full-width @
    "\ufe661+1",  # small form =
    "\u200b=1+1",  # zero-width space
    "\ufeff=1+1",  # byte-order mark
    "\u200bShell",
    "\tShell",
    "\rShell",
    "\n=1+1",
    " =1+1",
    "\u00a0=1+1",  # no-break space
    "\u3000\uff1d1+1",  # ideographic space, full-width =
    " \u200b =1+1",
    # Default-ignorable characters outside Cc and Cf, and blank lookalikes.
    "\u3164=1+1",  # Hangul filler
    "\u115f=1+1",  # Hangul choseong filler
    "\u034f=1+1",  # combining grapheme joiner
    "\u2800=1+1",  # Braille blank
    "\uffa0=1+1",  # half-width Hangul filler
    "\ufe0f=1+1",  # variation selector
    " \u2800 \u3164+1",
]


@pytest.mark.parametrize("text", RUNNABLE)
def test_it_makes_a_formula_plain_text(text):
    assert neutralize_formula(text) == "'" + text


@pytest.mark.parametrize(
    "value",
    [
        "Shell Main St",
        " Shell",
        "Oil change (5W-30)",
        "1+1=2",
        "\u2800Shell",  # a blank lookalike before text: as " Shell"
        "\u2800\u2801 Braille",
        "",
        "   ",
        Decimal("-3.50"),
        -2,
        None,
    ],
)
def test_it_leaves_text_and_numbers_alone(value):
    assert neutralize_formula(value) == value
