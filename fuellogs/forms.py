from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.forms.models import ModelChoiceIterator
from django.utils import timezone
from django.utils.html import format_html

from fuellogs import rules
from fuellogs.models import AMOUNT_FIELDS, ENTERED_FIELDS, FuelLog, FuelLogQuerySet
from fuellogs.wording import QUANTITY_WORDS, UNIT_WORDS, as_typed
from motovault import l10n
from motovault.forms import LocalizedDecimalField, LocalizedIntegerField
from motovault.units import DISTANCE_ABBREVIATIONS, FUEL_ABBREVIATIONS, QUANTITY_NAMES
from vehicles.models import EARLIEST_DATE, MAX_ODOMETER, Vehicle, sole_active


@dataclass(frozen=True)
class Units:
    """A vehicle's distance and fuel units."""

    distance_unit: str
    fuel_unit: str

    @classmethod
    def of(cls, vehicle: Vehicle) -> "Units":
        return cls(vehicle.distance_unit, vehicle.fuel_unit)


def _size_messages(noun: str, decimals: int, largest: str) -> dict[str, str]:
    """Django's DecimalValidator messages, in the owner's words (keyed by the validator's codes)."""
    return {
        "max_digits": f"The largest {noun} MotoVault stores is {largest}.",
        "max_whole_digits": f"The largest {noun} MotoVault stores is {largest}.",
        "max_decimal_places": f"Enter the {noun} with at most {decimals} decimal places.",
        "min_value": f"The {noun} cannot be negative.",
    }


def _labels(units: Units | None) -> dict[str, str]:
    """The amount fields' labels, with the vehicle's units when they are known (generic
    otherwise: the owner has yet to choose among vehicles in different units)."""
    symbol = l10n.currency_symbol()
    if units is None:
        return {
            "odometer_reading": "Odometer",
            "gallons": "Quantity",
            "price_per_gallon": f"Price per unit ({symbol})",
            "total_cost": f"Total cost ({symbol})",
        }
    return {
        "odometer_reading": f"Odometer ({DISTANCE_ABBREVIATIONS[units.distance_unit]})",
        "gallons": QUANTITY_NAMES[units.fuel_unit],
        "price_per_gallon": f"Price per {UNIT_WORDS[units.fuel_unit]} ({symbol})",
        "total_cost": f"Total cost ({symbol})",
    }


class FuelLogRulesForm(forms.ModelForm):
    """A fuel log in the owner's words: the base of the owner's form and the admin's. The rules
    themselves (fuellogs.rules) are the model's: FuelLog.clean_fields runs them for any form.
    Amounts are typed the owner's way (40,5 in de-DE) and read in the vehicle's units."""

    class Meta:
        model = FuelLog
        fields = ENTERED_FIELDS
        field_classes = {
            "odometer_reading": LocalizedIntegerField,
            "gallons": LocalizedDecimalField,
            "price_per_gallon": LocalizedDecimalField,
            "total_cost": LocalizedDecimalField,
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(LocalizedDecimalField, self.fields["total_cost"]).min_places = 2
        # Each validator's message is the field's error message of its code (set_units words
        # them). The odometer's are checked here, so the message can name the vehicle's unit.
        for name in ("price_per_gallon", "total_cost"):
            self.fields[name].validators.append(MinValueValidator(0))
        self.fields["odometer_reading"].validators += [
            MinValueValidator(0),
            MaxValueValidator(MAX_ODOMETER),
        ]
        self.set_units(self.instance.vehicle if self.instance.vehicle_id else None)

    def set_units(self, units: Units | Vehicle | None) -> None:
        """Label the fields and word their messages with the vehicle's units (generic when
        they are not known yet)."""
        if isinstance(units, Vehicle):
            units = Units.of(units)
        self.units = units
        fields = self.fields
        for name, label in _labels(units).items():
            fields[name].label = label
        fuel_unit = units.fuel_unit if units else None
        quantity = QUANTITY_WORDS[fuel_unit] if fuel_unit else "quantity"
        per_unit = f"price per {UNIT_WORDS[fuel_unit]}" if fuel_unit else "price per unit"
        economy = l10n.economy_abbreviation(fuel_unit) if fuel_unit else "economy"
        fields["gallons"].error_messages.update(
            _size_messages(quantity, 3, as_typed(rules.MAX_GALLONS))
        )
        fields["price_per_gallon"].error_messages.update(
            _size_messages(per_unit, 3, l10n.unit_price(rules.MAX_PRICE_PER_GALLON))
        )
        fields["total_cost"].error_messages.update(
            _size_messages("total cost", 2, l10n.money(rules.MAX_TOTAL_COST))
        )
        distance = f" {DISTANCE_ABBREVIATIONS[units.distance_unit]}" if units else ""
        odometer = fields["odometer_reading"]
        odometer.error_messages["max_value"] = (
            f"The largest reading MotoVault stores is {l10n.number(MAX_ODOMETER)}{distance}."
        )
        odometer.error_messages["min_value"] = "The odometer cannot be negative."
        fields[
            "is_full_tank"
        ].help_text = (
            f"Uncheck for a partial fill: it adds its {quantity} to the next full tank's {economy}."
        )
        fields["missed_previous"].help_text = (
            "Check when the fill-up before this one was not logged, so no wrong "
            f"{economy} is computed from the gap."
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        instance = self.instance
        if instance._state.adding or self.errors.keys() & set(AMOUNT_FIELDS):
            return cleaned
        recompute = rules.amount_to_recompute(
            {name: getattr(instance, name) for name in AMOUNT_FIELDS},
            {name: cleaned.get(name) for name in AMOUNT_FIELDS},
            instance.computed_amount or None,
        )
        if recompute is not None:
            # Left blank, the model computes it from the other two (and records it).
            cleaned[recompute] = None
        elif instance.computed_amount in self.changed_data:
            # The owner typed over the computed amount: from now on it is one they typed.
            instance.computed_amount = ""
        return cleaned

    @property
    def computed(self) -> str | None:
        """After validation: the amount computed from the other two ("total_cost"...), if any:
        the one left blank."""
        return next((name for name in AMOUNT_FIELDS if self.cleaned_data.get(name) is None), None)


class VehicleSelect(forms.Select):
    """Each option carries its vehicle's odometer and units, for the hint next to the odometer
    field and the amounts' labels (static/js/fuellogs.js follows the choice)."""

    def create_option(self, name: str, value: Any, *args: Any, **kwargs: Any) -> dict[str, Any]:
        option = super().create_option(name, value, *args, **kwargs)
        if value:
            vehicle = value.instance
            labels = _labels(Units.of(vehicle))
            option["attrs"].update(
                {
                    "data-odometer": l10n.number(vehicle.odometer_reading),
                    "data-distance-unit": DISTANCE_ABBREVIATIONS[vehicle.distance_unit],
                    "data-odometer-label": labels["odometer_reading"],
                    "data-quantity-label": labels["gallons"],
                    "data-price-label": labels["price_per_gallon"],
                }
            )
        return option


class _LoadedChoices(ModelChoiceIterator):
    """The choices from the rows the form already loaded (Django's iterator queries again)."""

    def __iter__(self) -> Iterator[Any]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for vehicle in self.queryset:
            yield self.choice(vehicle)


class FuelLogForm(FuelLogRulesForm):
    """The owner's form: only their own vehicles can be chosen. The amounts are labeled with the
    vehicle's units once it is known: the log's, the one chosen or posted, or the units all the
    owner's vehicles share. A quantity the plausibility guard questions
    (rules.check_plausible_quantity) is saved only with the confirming tick."""

    confirm_quantity = forms.BooleanField(required=False)

    class Meta(FuelLogRulesForm.Meta):
        widgets = {
            "vehicle": VehicleSelect,
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "station_name": forms.TextInput(attrs={"list": "station-names", "autocomplete": "off"}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The ModelForm made it from the ForeignKey.
        vehicle = cast("forms.ModelChoiceField[Vehicle]", self.fields["vehicle"])
        vehicle.iterator = _LoadedChoices
        vehicle.queryset = Vehicle.objects.for_owner(user)
        vehicle.empty_label = "Choose a vehicle"
        vehicle.error_messages["invalid_choice"] = "Choose one of your vehicles."
        # Loaded once: for the units they share, the choices, and the page's "add a vehicle
        # first" test (exists() on a loaded queryset asks nothing).
        self.owner_units = {Units.of(choice) for choice in vehicle.queryset}
        # A new fill-up of an owner with one active vehicle goes to it, unless they chose.
        self.preselected = None
        if not self.is_bound and self.instance._state.adding and not self.initial.get("vehicle"):
            self.preselected = sole_active(vehicle.queryset)
            self.initial["vehicle"] = self.preselected
        self.asks_to_confirm = False
        self.fields["date"].widget.attrs.update(
            min=EARLIEST_DATE.isoformat(), max=timezone.localdate().isoformat()
        )

    def set_odometer_hint(self, vehicle: Vehicle | None) -> None:
        """Show the chosen vehicle's current reading next to the odometer field, and label the
        fields with its units (before validation: bound fields copy their label and help text
        when first used)."""
        shared = next(iter(self.owner_units)) if len(self.owner_units) == 1 else None
        self.set_units(Units.of(vehicle) if vehicle is not None else shared)
        field = self.fields["odometer_reading"]
        if vehicle is None:
            field.help_text = "Choose the vehicle to see its current reading."
            return
        # Help text is rendered as HTML, so the owner's nickname must be escaped here.
        field.help_text = format_html(
            "{} currently reads {} {}.",
            vehicle.display_name,
            l10n.number(vehicle.odometer_reading),
            DISTANCE_ABBREVIATIONS[vehicle.distance_unit],
        )
        field.widget.attrs["placeholder"] = f"{vehicle.odometer_reading}"

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        vehicle = cleaned.get("vehicle")
        if vehicle is None or self.errors.keys() & set(AMOUNT_FIELDS):
            return cleaned
        adding = self.instance._state.adding
        if not adding and not {"vehicle", "gallons"} & set(self.changed_data):
            return cleaned  # an edit of something else does not question the quantity again
        if cleaned.get("confirm_quantity"):
            return cleaned
        try:
            # The quantity the model will store (computed when left blank): the model reports
            # amounts that do not add up.
            quantity = rules.complete_amounts(
                *(cleaned.get(name) for name in AMOUNT_FIELDS), fuel_unit=vehicle.fuel_unit
            ).gallons
        except ValidationError:
            return cleaned
        usual = rules.usual_fill_up(vehicle, exclude_pk=None if adding else self.instance.pk)
        try:
            rules.check_plausible_quantity(quantity, vehicle.fuel_unit, usual)
        except ValidationError as error:
            self.add_error(None, error)
            self.asks_to_confirm = True
            abbreviation = FUEL_ABBREVIATIONS[vehicle.fuel_unit]
            # On the bound field: it copied the field's label when the fields were cleaned.
            self["confirm_quantity"].label = f"Yes, {as_typed(quantity)} {abbreviation} is right"
        return cleaned


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
