from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from costs.models import ENTERED_FIELDS, MAX_AMOUNT, MAX_REPEAT_MONTHS, Category, Cost, CostQuerySet
from maintenance.forms import DateInput, VehicleChoiceField, owner_vehicles
from motovault import l10n
from motovault.forms import LocalizedDecimalField, LocalizedIntegerField
from motovault.units import DISTANCE_ABBREVIATIONS
from vehicles.models import EARLIEST_DATE, MAX_ODOMETER, Vehicle, sole_active


class CostForm(forms.ModelForm):
    """Add or edit a cost. The amount and odometer are typed the owner's way (1.234,50 in
    de-DE); the rules (a title for "Other", dates in the vehicle's history) are the model's."""

    amount = LocalizedDecimalField(
        min_places=2, max_digits=8, decimal_places=2, min_value=0, max_value=MAX_AMOUNT
    )
    odometer_reading = LocalizedIntegerField(
        label="Odometer",
        min_value=0,
        max_value=MAX_ODOMETER,
        required=False,
        help_text="Optional. A reading above the vehicle's odometer updates it.",
    )
    repeat_months = forms.IntegerField(
        label="Repeats every (months)",
        min_value=1,
        max_value=MAX_REPEAT_MONTHS,
        required=False,
        help_text="Optional. For insurance or registration: you are reminded when the next "
        "payment is due.",
    )

    class Meta:
        model = Cost
        fields = ENTERED_FIELDS
        field_classes = {"vehicle": VehicleChoiceField}
        widgets = {"date": DateInput, "notes": forms.Textarea(attrs={"rows": 3})}
        help_texts = {"title": "Required for “Other”; optional otherwise (“Winter tires”)."}

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The fields Meta.field_classes and the model's choices made.
        vehicle = cast(VehicleChoiceField, self.fields["vehicle"])
        vehicle.queryset = owner_vehicles(user)
        vehicle.empty_label = "Choose a vehicle"
        cast(forms.ChoiceField, self.fields["category"]).choices = [
            ("", "Choose a category"),
            *Category.choices,
        ]
        self.fields["amount"].label = f"Amount ({l10n.currency_symbol()})"
        if self.instance._state.adding:
            self.fields["date"].initial = timezone.localdate
            loaded = list(vehicle.queryset)
            # A new cost of an owner with one active vehicle goes to it, unless they chose.
            sole = None if self.is_bound or self.initial.get("vehicle") else sole_active(loaded)
            if sole is not None:
                self.initial["vehicle"] = sole.pk
            units = {found.distance_unit for found in loaded}
        else:
            units = {self.instance.vehicle.distance_unit}
        # The vehicle's unit, when the owner's vehicles all share one.
        self.fields["odometer_reading"].label = (
            f"Odometer ({DISTANCE_ABBREVIATIONS[units.pop()]})"
            if len(units) == 1
            else "Odometer (in the vehicle's unit)"
        )
        # The browser's date picker offers only dates Cost.clean accepts.
        self.fields["date"].widget.attrs.update(
            min=EARLIEST_DATE.isoformat(), max=timezone.localdate().isoformat()
        )


class FilterForm(forms.Form):
    """The /costs/ list's filters; an invalid value is reported and that filter ignored."""

    vehicle = VehicleChoiceField(
        queryset=Vehicle.objects.none(),
        required=False,
        error_messages={"invalid_choice": "Choose one of your vehicles."},
    )
    category = forms.ChoiceField(choices=[("", "Any category"), *Category.choices], required=False)
    date_from = forms.DateField(label="From", required=False, widget=DateInput)
    date_to = forms.DateField(label="To", required=False, widget=DateInput)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The form's copy of the field declared above.
        vehicle = cast(VehicleChoiceField, self.fields["vehicle"])
        vehicle.queryset = owner_vehicles(user)
        vehicle.empty_label = "All vehicles"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", "The end date is before the start date.")
        return cleaned

    def apply(self, costs: CostQuerySet) -> CostQuerySet:
        """The costs narrowed by the valid filters."""
        self.is_valid()
        values = self.cleaned_data
        if values.get("vehicle"):
            costs = costs.filter(vehicle=values["vehicle"])
        if values.get("category"):
            costs = costs.filter(category=values["category"])
        if values.get("date_from"):
            costs = costs.filter(date__gte=values["date_from"])
        if values.get("date_to"):
            costs = costs.filter(date__lte=values["date_to"])
        return costs


def prefill(query: Mapping[str, str]) -> dict[str, Any]:
    """The add form's initial values from its address (a renewal's "Record payment", a
    vehicle's "Add cost"): those that read. The amount is in dot decimals there
    (costs.renewals.payment_url); the field shows it the owner's way."""
    initial: dict[str, Any] = {
        name: query[name] for name in ("vehicle", "category", "title") if query.get(name)
    }
    try:
        amount = Decimal(query.get("amount", ""))
    except InvalidOperation:
        amount = None
    if amount is not None and amount.is_finite() and 0 <= amount <= MAX_AMOUNT:
        initial["amount"] = amount
    months = query.get("repeat_months", "")
    # ASCII digits only (isdigit() holds for "²", which int() cannot read), and few of them
    # (int() refuses thousands).
    readable = months.isascii() and months.isdigit() and len(months) <= 3
    if readable and 1 <= int(months) <= MAX_REPEAT_MONTHS:
        initial["repeat_months"] = int(months)
    return initial
