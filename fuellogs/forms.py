from collections.abc import Sequence
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.validators import MinValueValidator
from django.utils import timezone
from django.utils.html import format_html

from fuellogs import rules
from fuellogs.models import AMOUNT_FIELDS, ENTERED_FIELDS, FuelLog, FuelLogQuerySet
from vehicles.models import EARLIEST_DATE, Vehicle


def _size_messages(noun: str, decimals: int, largest: str) -> dict[str, str]:
    """Django's DecimalValidator messages, in the owner's words (keyed by the validator's codes)."""
    return {
        "max_digits": f"The largest {noun} MotoVault stores is {largest}.",
        "max_whole_digits": f"The largest {noun} MotoVault stores is {largest}.",
        "max_decimal_places": f"Enter the {noun} with at most {decimals} decimal places.",
        "min_value": f"The {noun} cannot be negative.",
        "invalid": f"Enter the {noun} as a number.",
    }


class FuelLogRulesForm(forms.ModelForm):
    """A fuel log in the owner's words: the base of the owner's form and the admin's. The rules
    themselves (fuellogs.rules) are the model's: FuelLog.clean_fields runs them for any form."""

    class Meta:
        model = FuelLog
        fields = ENTERED_FIELDS
        help_texts = {
            "is_full_tank": "Uncheck for a partial fill: it adds its gallons to the next full "
            "tank's MPG.",
            "missed_previous": "Check when the fill-up before this one was not logged, so no "
            "wrong MPG is computed from the gap.",
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        fields = self.fields
        fields["gallons"].error_messages.update(
            _size_messages("gallons", 3, f"{rules.MAX_GALLONS:,}")
        )
        fields["price_per_gallon"].error_messages.update(
            _size_messages("price per gallon", 3, f"${rules.MAX_PRICE_PER_GALLON}")
        )
        fields["total_cost"].error_messages.update(
            _size_messages("total cost", 2, f"${rules.MAX_TOTAL_COST:,}")
        )
        for name in ("price_per_gallon", "total_cost"):
            fields[name].validators.append(
                MinValueValidator(0, fields[name].error_messages["min_value"])
            )

    @property
    def computed(self) -> str | None:
        """After validation: the amount computed from the other two ("total_cost"...), if any:
        the one left blank."""
        return next((name for name in AMOUNT_FIELDS if self.cleaned_data.get(name) is None), None)


class VehicleSelect(forms.Select):
    """Each option carries its vehicle's odometer, for the hint next to the odometer field."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            option["attrs"]["data-odometer"] = f"{value.instance.odometer_reading:,}"
        return option


class FuelLogForm(FuelLogRulesForm):
    """The owner's form: only their own vehicles can be chosen."""

    class Meta(FuelLogRulesForm.Meta):
        widgets = {
            "vehicle": VehicleSelect,
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "odometer_reading": forms.NumberInput(attrs={"inputmode": "numeric", "min": 0}),
            "gallons": forms.NumberInput(attrs={"step": "0.001", "min": 0, "inputmode": "decimal"}),
            "price_per_gallon": forms.NumberInput(
                attrs={"step": "0.001", "min": 0, "inputmode": "decimal"}
            ),
            "total_cost": forms.NumberInput(
                attrs={"step": "0.01", "min": 0, "inputmode": "decimal"}
            ),
            "station_name": forms.TextInput(attrs={"list": "station-names", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        labels = {
            "gallons": "Gallons",
            "price_per_gallon": "Price per gallon ($)",
            "total_cost": "Total cost ($)",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The ModelForm made it from the ForeignKey.
        vehicle = cast("forms.ModelChoiceField[Vehicle]", self.fields["vehicle"])
        vehicle.queryset = Vehicle.objects.for_owner(user)
        vehicle.empty_label = "Choose a vehicle"
        vehicle.error_messages["invalid_choice"] = "Choose one of your vehicles."
        self.fields["date"].widget.attrs.update(
            min=EARLIEST_DATE.isoformat(), max=timezone.localdate().isoformat()
        )

    def set_odometer_hint(self, vehicle: Vehicle | None) -> None:
        """Show the chosen vehicle's current reading next to the odometer field (before
        validation: bound fields copy their help text when first used)."""
        field = self.fields["odometer_reading"]
        if vehicle is None:
            field.help_text = "Choose the vehicle to see its current reading."
            return
        # Help text is rendered as HTML, so the owner's nickname must be escaped here.
        field.help_text = format_html(
            "{} currently reads {} mi.", vehicle.display_name, f"{vehicle.odometer_reading:,}"
        )
        field.widget.attrs["placeholder"] = f"{vehicle.odometer_reading}"


class FilterForm(forms.Form):
    """The /fuel/ list's filters; an invalid value is reported and that filter ignored."""

    vehicle = forms.ModelChoiceField(
        queryset=Vehicle.objects.none(),
        required=False,
        empty_label="All vehicles",
        error_messages={"invalid_choice": "Choose one of your vehicles."},
    )
    date_from = forms.DateField(
        label="From", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="To", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The form's copy of the field declared above.
        vehicle = cast("forms.ModelChoiceField[Vehicle]", self.fields["vehicle"])
        vehicle.queryset = Vehicle.objects.for_owner(user)

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def whole_histories(self, owner_vehicles: Sequence[Vehicle]) -> Sequence[Vehicle] | None:
        """The vehicles whose every log the filtered list shows (of `owner_vehicles`, the
        owner's not-deleted ones), or None when dates narrow it."""
        values = self.cleaned_data if self.is_bound else {}
        if values.get("date_from") or values.get("date_to"):
            return None
        return [values["vehicle"]] if values.get("vehicle") else owner_vehicles

    def apply(self, logs: FuelLogQuerySet) -> FuelLogQuerySet:
        """The logs narrowed by the valid filters."""
        values = self.cleaned_data if self.is_bound else {}
        if values.get("vehicle"):
            logs = logs.filter(vehicle=values["vehicle"])
        if values.get("date_from"):
            logs = logs.filter(date__gte=values["date_from"])
        if values.get("date_to"):
            logs = logs.filter(date__lte=values["date_to"])
        return logs
