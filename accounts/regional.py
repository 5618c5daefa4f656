"""An owner's regional preferences from what their browser says: the locale, currency and
economy units a new account starts with, and the locales and currencies the account page offers.
"""

import datetime
from decimal import Decimal
from functools import cache

from babel import Locale, UnknownLocaleError
from babel.core import get_global
from babel.numbers import get_currency_name, get_territory_currencies, list_currencies
from django.utils.translation.trans_real import parse_accept_lang_header

from motovault import l10n, units

# What the account page offers (any other locale or currency an owner already has is offered
# too). Each is one Babel knows: accounts/tests/test_regional.py checks.
COMMON_LOCALES = [
    "cs-CZ", "da-DK", "de-AT", "de-CH", "de-DE", "el-GR", "en-AU", "en-CA", "en-GB", "en-IE",
    "en-IN", "en-NZ", "en-US", "en-ZA", "es-AR", "es-ES", "es-MX", "fi-FI", "fr-BE", "fr-CA",
    "fr-CH", "fr-FR", "hu-HU", "it-IT", "ja-JP", "ko-KR", "nb-NO", "nl-BE", "nl-NL", "pl-PL",
    "pt-BR", "pt-PT", "ro-RO", "sv-SE", "tr-TR", "uk-UA", "zh-CN", "zh-TW",
]  # fmt: skip
COMMON_CURRENCIES = [
    "USD", "EUR", "GBP", "CAD", "AUD", "NZD", "CHF", "SEK", "NOK", "DKK", "PLN", "CZK", "HUF",
    "RON", "TRY", "UAH", "JPY", "CNY", "TWD", "KRW", "INR", "ZAR", "BRL", "MXN", "ARS",
]  # fmt: skip


def from_accept_language(header: str) -> l10n.Regional:
    """The preferences of a browser that sends `header` (Accept-Language): the first language,
    by quality, that Babel knows in a country (a bare "de" is Germany's, by CLDR's likely
    subtags); that country's currency; its economy units (MPG in the US and the UK, L/100 km
    elsewhere). A header without one is `l10n.DEFAULT`: en-US, dollars, MPG (US)."""
    for tag, _quality in parse_accept_lang_header(header or ""):
        locale = _with_territory(tag)
        if locale is None or locale.territory is None:
            continue
        currencies = get_territory_currencies(locale.territory)
        if not currencies:
            # A region rather than a country (es-419): no currency of its own.
            continue
        economy, electric = _economy_units(locale.territory)
        return l10n.Regional(
            locale=tag_of(locale),
            currency=currencies[0],
            economy_unit=economy,
            electric_economy_unit=electric,
        )
    return l10n.DEFAULT


def _with_territory(tag: str) -> Locale | None:
    """The Babel locale of a BCP 47 tag, in the country its language is most likely spoken in
    when the tag names none; None for a tag Babel does not know."""
    try:
        locale = Locale.parse(tag, sep="-")
        if locale.territory is None:
            likely = get_global("likely_subtags").get(locale.language)
            if likely is None:
                return None
            locale = Locale.parse(likely)
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return locale if locale.territory else None


def _economy_units(territory: str) -> tuple[str, str]:
    if territory == "US":
        return units.EconomyUnit.MPG_US, units.ElectricEconomyUnit.MI_KWH
    if territory == "GB":
        return units.EconomyUnit.MPG_UK, units.ElectricEconomyUnit.MI_KWH
    return units.EconomyUnit.L_100KM, units.ElectricEconomyUnit.KWH_100KM


def tag_of(locale: Locale) -> str:
    """The shortest BCP 47 tag of `locale`: "de-DE", "zh-TW"; the script only where the country
    alone would mean another one ("sr-Latn-RS")."""
    short = f"{locale.language}-{locale.territory}" if locale.territory else locale.language
    if locale.script and Locale.parse(short, sep="-").script != locale.script:
        return "-".join(filter(None, [locale.language, locale.script, locale.territory]))
    return short


def known_locale(tag: str) -> str | None:
    """`tag` as stored, when Babel knows it in a country ("de-de" is "de-DE"); else None."""
    try:
        locale = Locale.parse(tag.strip(), sep="-")
    except (UnknownLocaleError, ValueError, TypeError):
        return None
    return tag_of(locale) if locale.territory else None


def is_known_currency(code: str) -> bool:
    return code in _currencies()


@cache
def _currencies() -> frozenset[str]:
    # Money some country uses today: list_currencies() also holds gold (XAU), test codes (XTS),
    # "no currency" (XXX) and retired ones, which no owner pays in.
    territories = get_global("territory_currencies")
    current = {code for territory in territories for code in get_territory_currencies(territory)}
    return frozenset(current) & frozenset(list_currencies())


@cache
def locale_label(tag: str) -> str:
    """A locale in its own language, and its tag: "Deutsch (Deutschland) — de-DE"."""
    name = Locale.parse(tag, sep="-").get_display_name() or tag
    return f"{name[:1].upper()}{name[1:]} — {tag}"


@cache
def currency_label(code: str) -> str:
    """ "EUR — Euro": the code, and its name in English (the language of MotoVault's pages)."""
    return f"{code} — {get_currency_name(code, locale='en_US')}"


def example(preferences: l10n.Regional, today: datetime.date) -> list[str]:
    """How a number, an amount and a date look with `preferences`: "1.234,5", "1.234,50 €",
    "29.11.2026"."""
    with l10n.override(preferences):
        return [l10n.number(Decimal("1234.5"), 1), l10n.money(Decimal("1234.5")), l10n.day(today)]
