"""The owner's locale, currency and economy units: taken from the browser at sign-up, changed
on the account page, used from the next page on, and shown in the admin."""

import datetime as dt

import pytest
from django.urls import reverse

from accounts.forms import PreferencesForm
from accounts.models import Preferences
from conftest import PASSWORD

GERMAN = {
    "locale": "de-DE",
    "currency": "EUR",
    "economy_unit": "l_100km",
    "electric_economy_unit": "kwh_100km",
    "time_zone": "Europe/Berlin",
}
AMERICAN = {
    "locale": "en-US",
    "currency": "USD",
    "economy_unit": "mpg_us",
    "electric_economy_unit": "mi_kwh",
    "time_zone": "",
}
US_EXAMPLE = '<span class="nowrap">1,234.5</span> · <span class="nowrap">$1,234.50</span>'
NOON_ON_NOVEMBER_29 = dt.datetime(2026, 11, 29, 12, tzinfo=dt.UTC)


def stored(user) -> dict:
    preferences = Preferences.objects.get(user=user)
    return {name: getattr(preferences, name) for name in GERMAN}


@pytest.fixture
def joined(owner):
    """The owner joined on November 29, 2026: the account page says so in their style."""
    owner.date_joined = NOON_ON_NOVEMBER_29
    owner.save(update_fields=["date_joined"])
    return owner


# ---- sign-up -----------------------------------------------------------------------------


def sign_up(client, username: str, **headers):
    return client.post(
        reverse("signup"),
        {"username": username, "password1": PASSWORD, "password2": PASSWORD},
        **headers,
    )


@pytest.mark.parametrize(
    "header, expected",
    [
        ("de-DE,de;q=0.9,en;q=0.8", ("de-DE", "EUR", "l_100km", "kwh_100km")),
        ("en-GB,en;q=0.9", ("en-GB", "GBP", "mpg_uk", "mi_kwh")),
        ("en-US,en;q=0.9", ("en-US", "USD", "mpg_us", "mi_kwh")),
        ("garbage!!", ("en-US", "USD", "mpg_us", "mi_kwh")),
    ],
)
def test_it_takes_the_preferences_from_the_browser_at_sign_up(client, db, header, expected):
    response = sign_up(client, "carol", HTTP_ACCEPT_LANGUAGE=header)
    assert response.status_code == 302
    saved = Preferences.objects.get(user__username="carol")
    assert (saved.locale, saved.currency, saved.economy_unit, saved.electric_economy_unit) == (
        expected
    )
    # And the first page after sign-up is in them.
    assert client.session["regional"]["locale"] == expected[0]


def test_it_signs_up_in_us_formats_without_an_accept_language(client, db):
    sign_up(client, "dave")
    saved = Preferences.objects.get(user__username="dave")
    assert (saved.locale, saved.currency, saved.economy_unit) == ("en-US", "USD", "mpg_us")


# ---- the account page --------------------------------------------------------------------


def test_it_shows_the_preferences_on_the_account_page(owner_client, joined):
    body = owner_client.get(reverse("account")).content.decode()
    assert '<option value="de-DE">Deutsch (Deutschland) — de-DE</option>' in body
    assert '<option value="en-US" selected>English (United States) — en-US</option>' in body
    assert '<option value="USD" selected>USD — US Dollar</option>' in body
    assert '<option value="EUR">EUR — Euro</option>' in body
    assert '<option value="l_100km">Liters per 100 km</option>' in body
    assert '<option value="kwh_100km">kWh per 100 km</option>' in body
    assert 'name="time_zone"' in body
    assert US_EXAMPLE in body
    assert "Save preferences" in body


def test_it_offers_the_owners_own_locale_and_currency_though_not_common(owner_client, owner):
    Preferences.objects.create(user=owner, locale="sr-Latn-RS", currency="RSD")
    body = owner_client.get(reverse("account")).content.decode()
    assert '<option value="sr-Latn-RS" selected>Srpski (latinica, Srbija) — sr-Latn-RS' in body
    assert '<option value="RSD" selected>RSD — Serbian Dinar</option>' in body


def test_it_saves_the_preferences_and_uses_them_on_the_next_page(owner_client, joined):
    response = owner_client.post(reverse("account"), GERMAN, follow=True)
    assert response.redirect_chain == [(reverse("account"), 302)]
    body = response.content.decode()
    assert "Saved your preferences." in body
    assert stored(joined) == GERMAN
    # The page after saving is in the owner's new style, as every page from now on.
    assert "Member since</dt><dd>29.11.2026</dd>" in body
    assert '<span class="nowrap">1.234,5</span> · <span class="nowrap">1.234,50\xa0€</span>' in body
    assert owner_client.session["regional"] == {
        "locale": "de-DE",
        "currency": "EUR",
        "economy_unit": "l_100km",
        "electric_economy_unit": "kwh_100km",
    }
    # And back.
    body = owner_client.post(reverse("account"), AMERICAN, follow=True).content.decode()
    assert stored(joined) == AMERICAN
    assert "Member since</dt><dd>Nov 29, 2026</dd>" in body


def test_it_reads_the_preferences_in_a_new_session(client, joined):
    Preferences.objects.create(user=joined, **GERMAN)
    client.post(reverse("login"), {"username": "alice", "password": PASSWORD})
    assert "Member since</dt><dd>29.11.2026</dd>" in client.get(reverse("account")).content.decode()


def test_it_accepts_a_locale_and_currency_babel_knows_beyond_the_list(owner_client, owner):
    response = owner_client.post(
        reverse("account"), {**GERMAN, "locale": "is-is", "currency": "isk"}
    )
    assert response.status_code == 302
    saved = Preferences.objects.get(user=owner)
    assert (saved.locale, saved.currency) == ("is-IS", "ISK")


def unknown(what: str, value: str) -> str:
    return f"MotoVault does not know the {what} “{value}”; choose one from the list."


def not_a_choice(value: str) -> str:
    return f"Select a valid choice. {value} is not one of the available choices."


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("locale", "xx-YY", unknown("locale", "xx-YY")),
        ("locale", "de", unknown("locale", "de")),
        ("locale", "", "This field is required."),
        ("currency", "XYZ", unknown("currency", "XYZ")),
        ("currency", "EURO", unknown("currency", "EURO")),
        ("currency", "", "This field is required."),
        ("economy_unit", "furlongs", not_a_choice("furlongs")),
        ("electric_economy_unit", "mpg_us", not_a_choice("mpg_us")),
    ],
)
def test_it_refuses_values_it_does_not_know(owner_client, owner, field, value, message):
    response = owner_client.post(reverse("account"), {**GERMAN, field: value})
    assert response.status_code == 200
    assert response.context["form"].errors == {field: [message]}
    assert not Preferences.objects.filter(user=owner, locale="de-DE").exists()
    assert owner_client.session["regional"]["locale"] == "en-US"


def test_it_refuses_a_locale_too_long_to_be_one(owner_client, owner):
    response = owner_client.post(reverse("account"), {**GERMAN, "locale": "de-" + "x" * 5000})
    assert response.status_code == 200
    assert "does not know the locale" in response.content.decode()


def test_it_shows_the_account_page_in_few_queries(owner_client, owner, django_assert_num_queries):
    Preferences.objects.create(user=owner)
    # The session, the user, the preferences.
    with django_assert_num_queries(3):
        owner_client.get(reverse("account"))


# ---- an owner from before the preferences ------------------------------------------------


def test_it_shows_us_formats_to_a_session_from_before_the_preferences(owner_client, joined):
    """A session started before the upgrade carries no regional preferences: the owner sees
    what they always saw."""
    session = owner_client.session
    del session["regional"]
    session.save()
    body = owner_client.get(reverse("account")).content.decode()
    assert "Member since</dt><dd>Nov 29, 2026</dd>" in body
    assert US_EXAMPLE in body


# ---- the admin ---------------------------------------------------------------------------


def test_the_admin_lists_and_filters_the_preferences(admin_client, owner, other_user):
    Preferences.objects.create(user=owner, **GERMAN)
    Preferences.objects.create(user=other_user)
    url = reverse("admin:accounts_preferences_changelist")
    body = admin_client.get(url).content.decode()
    assert "de-DE" in body and "EUR" in body and "Liters per 100 km" in body
    filtered = admin_client.get(url, {"currency": "EUR"})
    assert [p.user for p in filtered.context["cl"].result_list] == [owner]
    filtered = admin_client.get(url, {"economy_unit__exact": "mpg_us"})
    assert [p.user for p in filtered.context["cl"].result_list] == [other_user]


def test_the_admin_changes_preferences_with_the_account_pages_checks(admin_client, owner):
    Preferences.objects.create(user=owner)
    assert admin_client.get(reverse("admin:accounts_preferences_add")).status_code == 200
    url = reverse("admin:accounts_preferences_change", args=[owner.pk])
    assert admin_client.get(url).status_code == 200
    response = admin_client.post(url, {"user": owner.pk, **GERMAN, "locale": "xx-YY"})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors == {"locale": [unknown("locale", "xx-YY")]}
    assert admin_client.post(url, {"user": owner.pk, **GERMAN}).status_code == 302
    assert stored(owner) == GERMAN


@pytest.mark.parametrize("code", ["XXX", "XAU", "XTS", "BTC"])
def test_it_refuses_a_currency_nobody_pays_in(client, owner, code):
    client.force_login(owner)
    form = PreferencesForm(
        {
            "currency": code,
            "locale": "en-US",
            "economy_unit": "mpg_us",
            "electric_economy_unit": "mi_kwh",
            "time_zone": "",
        }
    )
    assert "currency" in form.errors
