from decimal import Decimal
from typing import Any

from django import forms
from django.forms.renderers import TemplatesSetting

from motovault import l10n


class FormRenderer(TemplatesSetting):
    field_template_name = "forms/field.html"


class LocalizedDecimalField(forms.DecimalField):
    """An amount typed the owner's way (motovault.l10n.parse_decimal): a text input with a
    decimal keypad, since a number input drops what it cannot read (`40,5` became 405).
    A value it cannot read is an error that quotes it, never a guess."""

    widget = forms.TextInput

    def __init__(self, *, min_places: int = 0, **kwargs: Any) -> None:
        # The decimals an amount shows when the form is filled in again (two for money).
        self.min_places = min_places
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        # Not DecimalField's: its min, max and step belong to a number input.
        return {"inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        if value in self.empty_values:
            return None
        if isinstance(value, Decimal):
            return value
        text = str(value)
        try:
            parsed = l10n.parse_decimal(text)
        except ValueError:
            raise forms.ValidationError(
                "MotoVault cannot read “%(value)s” as a number. Type it like %(example)s.",
                code="invalid",
                params={"value": text.strip(), "example": l10n.number_example()},
            ) from None
        if not parsed.is_finite():
            raise forms.ValidationError(self.error_messages["invalid"], code="invalid")
        return parsed

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, Decimal | int):
            return l10n.plain(value, self.decimal_places or 0, self.min_places)
        return value


class LocalizedIntegerField(forms.IntegerField):
    """A whole number (an odometer reading) typed the owner's way: 123,456 in en-US, 123.456 in
    de-DE, or plain digits."""

    widget = forms.TextInput

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {"inputmode": "numeric", "autocomplete": "off"}

    def to_python(self, value: Any) -> int | None:
        if value in self.empty_values:
            return None
        if isinstance(value, int):
            return value
        text = str(value)
        try:
            parsed = l10n.parse_decimal(text)
        except ValueError:
            parsed = None
        if parsed is None or parsed != parsed.to_integral_value():
            raise forms.ValidationError(
                "MotoVault cannot read “%(value)s” as a whole number.",
                code="invalid",
                params={"value": text.strip()},
            )
        return int(parsed)

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, int):
            return str(value)
        return value
