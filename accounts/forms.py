from typing import Any

from django import forms
from django.conf import settings
from django.contrib.auth import authenticate
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import User
from django.http import HttpRequest

from accounts import regional, resets, signin
from accounts.models import Preferences
from accounts.session_preferences import zone_names
from motovault.request_types import AuthenticatedHttpRequest


class TimeZoneField(forms.ChoiceField):
    def __init__(self, **kwargs: Any) -> None:
        site_default = ("", f"The server's time zone ({settings.TIME_ZONE})")
        choices = [site_default, *((name, name.replace("_", " ")) for name in zone_names())]
        super().__init__(choices=choices, required=False, **kwargs)


class SignupForm(auth_forms.UserCreationForm):
    email = forms.EmailField(
        required=False, help_text="Optional. Only used to reset a forgotten password."
    )
    # Filled in by static/js/app.js with the browser's time zone; empty without JavaScript.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta(auth_forms.UserCreationForm.Meta):
        model = User
        fields = ("username", "email")

    def __init__(self, *args: Any, accept_language: str = "", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The locale, currency and economy units start as the browser's language suggests;
        # the account page changes them.
        self.regional = regional.from_accept_language(accept_language)

    def clean_time_zone(self) -> str:
        # Nobody can correct a hidden field: a zone this server does not know means its own.
        name = self.cleaned_data["time_zone"]
        return name if name in zone_names() else ""

    def save(self, commit: bool = True) -> User:
        user = super().save(commit=commit)
        if commit:
            Preferences.objects.create(
                user=user,
                time_zone=self.cleaned_data["time_zone"],
                locale=self.regional.locale,
                currency=self.regional.currency,
                economy_unit=self.regional.economy_unit,
                electric_economy_unit=self.regional.electric_economy_unit,
            )
        return user


class SignInForm(auth_forms.AuthenticationForm):
    def clean(self) -> dict[str, Any]:
        # Before the password is even checked: a username guessed at from many addresses is
        # slowed down for everyone but the addresses its owner signs in from.
        username = self.cleaned_data.get("username")
        if username and self.request is not None:
            wait = signin.seconds_to_wait(
                signin.attempt_username(self.request, {"username": username}),
                signin.client_address(self.request),
            )
            if wait:
                raise forms.ValidationError(
                    "There have been many wrong passwords for this account. Please wait "
                    f"{wait} second{'s' if wait != 1 else ''} and try again.",
                    code="throttled",
                )
        return super().clean()


class PasswordResetForm(auth_forms.PasswordResetForm):
    # Narrower than Django's save(): the client's address is counted, so the request is
    # required (PasswordResetView always passes it).
    def save(self, *, request: HttpRequest, **kwargs: Any) -> None:  # type: ignore[override]
        """Send the reset mail, unless this address or this client asked too often. The page
        that follows is the same either way, so it tells nobody which addresses have accounts."""
        if resets.allow(self.cleaned_data["email"], signin.client_address(request)):
            super().save(request=request, **kwargs)


class LocaleField(forms.ChoiceField):
    """The common locales, labeled in their own language; any other Babel knows in a country
    is accepted too (the one an owner's browser gave them at sign-up is offered)."""

    def __init__(self, *, current: str = "", **kwargs: Any) -> None:
        tags = list(regional.COMMON_LOCALES)
        if regional.known_locale(current) == current and current not in tags:
            tags.insert(0, current)
        choices = [(tag, regional.locale_label(tag)) for tag in tags]
        super().__init__(choices=choices, **kwargs)

    def to_python(self, value: Any) -> str:
        text = super().to_python(value)
        return regional.known_locale(text) or text if text else text

    def valid_value(self, value: str) -> bool:
        return regional.known_locale(value) == value

    def validate(self, value: str) -> None:
        if value and not self.valid_value(value):
            raise forms.ValidationError(
                "MotoVault does not know the locale “%(value)s”; choose one from the list.",
                code="invalid_choice",
                params={"value": value},
            )
        super().validate(value)


class CurrencyField(forms.ChoiceField):
    """Common ISO 4217 currencies by code and name; any other code Babel knows is accepted."""

    def __init__(self, *, current: str = "", **kwargs: Any) -> None:
        codes = sorted(regional.COMMON_CURRENCIES)
        if regional.is_known_currency(current) and current not in codes:
            codes.insert(0, current)
        super().__init__(choices=[(c, regional.currency_label(c)) for c in codes], **kwargs)

    def to_python(self, value: Any) -> str:
        return super().to_python(value).strip().upper()

    def valid_value(self, value: str) -> bool:
        return regional.is_known_currency(value)

    def validate(self, value: str) -> None:
        if value and not self.valid_value(value):
            raise forms.ValidationError(
                "MotoVault does not know the currency “%(value)s”; choose one from the list.",
                code="invalid_choice",
                params={"value": value},
            )
        super().validate(value)


class PreferencesForm(forms.ModelForm):
    time_zone = TimeZoneField(
        label="Your time zone",
        help_text="Decides what “today” is: the latest date a fill-up may have, what is due "
        "in how many days, and this month's spending.",
    )

    class Meta:
        model = Preferences
        fields = ["locale", "currency", "economy_unit", "electric_economy_unit", "time_zone"]
        labels = {
            "economy_unit": "Economy shown as",
            "electric_economy_unit": "Electric economy shown as",
        }
        help_texts = {
            "economy_unit": "For every vehicle that burns fuel, whatever units it is kept in.",
            "electric_economy_unit": "For electric vehicles.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        saved = self.instance
        self.fields["locale"] = LocaleField(
            current=saved.locale,
            label="Language and region",
            help_text="Decides how numbers and dates are written and read: 1,234.5 or 1.234,5.",
        )
        self.fields["currency"] = CurrencyField(
            current=saved.currency,
            label="Currency",
            help_text="Every amount is in it. Changing it converts no amounts.",
        )
        self.order_fields(self.Meta.fields)


class CurrentPasswordForm(forms.Form):
    """A form that changes the account only with its password. The password is checked through
    authenticate(), so wrong ones count towards the sign-in lockout like any other."""

    password = forms.CharField(
        label="Your current password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, request: AuthenticatedHttpRequest, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean_password(self) -> str:
        password = self.cleaned_data["password"]
        user = self.request.user
        if authenticate(self.request, username=user.get_username(), password=password) != user:
            raise forms.ValidationError("That is not your current password.", code="wrong")
        return password


class EmailChangeForm(CurrentPasswordForm):
    email = forms.EmailField(
        label="New email address",
        required=False,
        help_text="Leave it empty to have none; then a forgotten password cannot be reset.",
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    field_order = ["email", "password"]

    def clean_email(self) -> str:
        return User.objects.normalize_email(self.cleaned_data["email"])


class DeleteAccountForm(CurrentPasswordForm):
    confirmation = forms.CharField(
        label="Type your username to confirm",
        strip=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "none"}),
    )
    field_order = ["confirmation", "password"]

    def clean_confirmation(self) -> str:
        typed = self.cleaned_data["confirmation"]
        if typed != self.request.user.get_username():
            raise forms.ValidationError(
                "That is not your username; nothing was deleted.", code="mismatch"
            )
        return typed
