"""A new owner's locale, currency and economy units from their browser's Accept-Language, and
the locales and currencies the account page offers."""

import datetime as dt

import pytest
from babel.numbers import list_currencies

from accounts import regional
from motovault import l10n


@pytest.mark.parametrize(
    "header, expected",
    [
        ("de-DE,de;q=0.9,en;q=0.8", ("de-DE", "EUR", "l_100km", "kwh_100km")),
        ("en-GB", ("en-GB", "GBP", "mpg_uk", "mi_kwh")),
        ("en-GB,en;q=0.9", ("en-GB", "GBP", "mpg_uk", "mi_kwh")),
        ("en-US,en;q=0.9", ("en-US", "USD", "mpg_us", "mi_kwh")),
        ("fr", ("fr-FR", "EUR", "l_100km", "kwh_100km")),
        ("sv-SE", ("sv-SE", "SEK", "l_100km", "kwh_100km")),
        ("ja-JP", ("ja-JP", "JPY", "l_100km", "kwh_100km")),
        ("de-CH", ("de-CH", "CHF", "l_100km", "kwh_100km")),
        ("de", ("de-DE", "EUR", "l_100km", "kwh_100km")),
        ("en", ("en-US", "USD", "mpg_us", "mi_kwh")),
        # Case as browsers never send it, and quality before order.
        ("EN-gb", ("en-GB", "GBP", "mpg_uk", "mi_kwh")),
        ("fr;q=0.5, sv-SE;q=0.8", ("sv-SE", "SEK", "l_100km", "kwh_100km")),
        # A country's own script where it is not the language's usual one.
        ("zh-TW", ("zh-TW", "TWD", "l_100km", "kwh_100km")),
        ("sr-Latn-RS", ("sr-Latn-RS", "RSD", "l_100km", "kwh_100km")),
        # Languages Babel does not know, and a region that is no country, give way to the next.
        ("i-klingon, xx-YY, es-419, nl;q=0.5", ("nl-NL", "EUR", "l_100km", "kwh_100km")),
    ],
)
def test_it_reads_the_browsers_language(header, expected):
    found = regional.from_accept_language(header)
    assert (found.locale, found.currency, found.economy_unit, found.electric_economy_unit) == (
        expected
    )


@pytest.mark.parametrize(
    "header",
    ["*", "", None, "garbage!!", "de_DE", "en-US;q=abc", "i-klingon", "es-419", "x" * 1000],
)
def test_it_falls_back_to_us_formats_without_a_language_it_knows(header):
    assert regional.from_accept_language(header) == l10n.DEFAULT
    assert l10n.Regional("en-US", "USD", "mpg_us", "mi_kwh") == l10n.DEFAULT


def test_it_offers_only_locales_and_currencies_babel_knows():
    assert all(regional.known_locale(tag) == tag for tag in regional.COMMON_LOCALES)
    assert set(regional.COMMON_CURRENCIES) <= set(list_currencies())
    assert regional.locale_label("de-DE") == "Deutsch (Deutschland) — de-DE"
    assert regional.locale_label("en-US") == "English (United States) — en-US"
    assert regional.currency_label("EUR") == "EUR — Euro"


@pytest.mark.parametrize(
    "tag, stored", [("de-DE", "de-DE"), ("de-de", "de-DE"), (" fr-ca ", "fr-CA")]
)
def test_it_stores_a_locale_by_its_tag(tag, stored):
    assert regional.known_locale(tag) == stored


@pytest.mark.parametrize("tag", ["de", "xx-YY", "", "en_US_POSIX_garbage", "12-34"])
def test_it_knows_no_locale_without_a_country(tag):
    assert regional.known_locale(tag) is None


@pytest.mark.parametrize(
    "preferences, example",
    [
        (l10n.DEFAULT, "1,234.5 · $1,234.50 · Nov 29, 2026"),
        (l10n.Regional("de-DE", "EUR"), "1.234,5 · 1.234,50\xa0€ · 29.11.2026"),
        (l10n.Regional("en-GB", "GBP"), "1,234.5 · £1,234.50 · 29 Nov 2026"),
        (l10n.Regional("ja-JP", "JPY"), "1,234.5 · ￥1,235 · 2026/11/29"),
    ],
)
def test_it_shows_how_numbers_amounts_and_dates_will_look(preferences, example):
    assert " · ".join(regional.example(preferences, dt.date(2026, 11, 29))) == example
