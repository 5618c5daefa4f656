from collections.abc import Callable
from typing import Any, cast

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.html import format_html

from motovault import l10n
from motovault.forms import LocalizedDecimalField, LocalizedIntegerField
from motovault.units import DISTANCE_ABBREVIATIONS, DistanceUnit
from vehicles import rules
from vehicles.cache import invalidate_owner_caches
from vehicles.models import (
    EARLIEST_DATE,
    MAX_ODOMETER,
    READING_FIELDS,
    RESUBMISSION_WINDOW,
    OdometerReading,
    Vehicle,
)
from vehicles.vin import (
    SERIAL_MAX_LENGTH,
    SERIAL_MIN_LENGTH,
    latest_model_year,
    normalize_vin,
    validate_check_digit,
    validate_serial,
    validate_vin,
)

# Longer than a VIN: people paste it with spaces and dashes, which normalizing drops.
MAX_TYPED_VIN_LENGTH = 64


class VinField(forms.CharField):
    """A VIN or older serial number as typed or pasted, cleaned to its normalized form. Which
    rules apply depends on the form's other fields (the serial choice, the check-digit waiver),
    so CheckDigitMixin checks them in the form's clean()."""

    def __init__(self, **kwargs: Any) -> None:
        # Whatever the model field's max_length (17) says: the limit is on what is typed.
        super().__init__(**{**kwargs, "max_length": MAX_TYPED_VIN_LENGTH})

    def clean(self, value: Any) -> str:
        # The checks of CharField (required, max_length) see what was typed, ours the VIN.
        return normalize_vin(super().clean(value))

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {
            **super().widget_attrs(widget),
            "autocomplete": "off",
            "spellcheck": "false",
            "autocapitalize": "characters",
        }


class CheckDigitMixin(forms.BaseForm):
    """For a form with a VinField `vin` and the boxes `vin_check_digit_waived` and
    `vin_is_serial`: a serial is held to vehicles.vin.validate_serial, a VIN to validate_vin,
    its check digit included unless waived."""

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        vin = cleaned.get("vin")
        if not vin:
            return cleaned
        try:
            if cleaned.get("vin_is_serial"):
                validate_serial(vin)
            else:
                validate_vin(vin, allow_invalid_check_digit=True)
                if not cleaned.get("vin_check_digit_waived"):
                    validate_check_digit(vin)
        except ValidationError as error:
            self.add_error("vin", error)
            if error.code == "length" and SERIAL_MIN_LENGTH <= len(vin) <= SERIAL_MAX_LENGTH:
                self.add_error(
                    "vin",
                    "For a vehicle built before 1981, check “This is an older serial number”.",
                )
        return cleaned


class VehicleForm(CheckDigitMixin, forms.ModelForm):
    """Add and edit. The VIN is normalized and validated here; a VIN the owner already has is
    a form error, and one they deleted is offered for restore (`deleted_match`). A vehicle
    this very form added moments ago (a double-click, or a post sent again after a timeout) is
    `resubmission_of`."""

    vin = VinField(
        label="VIN or serial (optional)",
        required=False,
        help_text="17 characters, on the dashboard by the windshield or on the driver's door "
        "pillar; older vehicles carry a shorter serial number. Spaces and dashes are ignored. "
        "Leave it empty for a vehicle without one.",
    )
    odometer_reading = LocalizedIntegerField(
        label="Odometer", min_value=0, max_value=MAX_ODOMETER, initial=0
    )

    class Meta:
        model = Vehicle
        fields = [
            "vin",
            "vin_is_serial",
            "vin_check_digit_waived",
            "year",
            "make",
            "model",
            "nickname",
            "color",
            "license_plate",
            "distance_unit",
            "fuel_unit",
            "odometer_reading",
            "is_active",
            "purchase_date",
            "purchase_price",
            "purchase_odometer",
            "sold_date",
            "sold_price",
        ]
        field_classes = {
            "purchase_price": LocalizedDecimalField,
            "purchase_odometer": LocalizedIntegerField,
            "sold_price": LocalizedDecimalField,
        }
        labels = {
            "distance_unit": "Distance in",
            "fuel_unit": "Fuel in",
            "vin_is_serial": "This is an older serial number (before 1981)",
            "vin_check_digit_waived": "This VIN has no North American check digit",
            "is_active": "In use",
            "purchase_date": "Bought on",
            "purchase_price": "Price paid",
            "sold_date": "Sold on",
            "sold_price": "Sold for",
        }
        help_texts = {
            "vin_is_serial": "5 to 13 letters and digits, from before 17-character VINs. It is "
            "saved as typed, without a check digit, and cannot be decoded.",
            "vin_check_digit_waived": "Only for vehicles built for markets outside North "
            "America, whose VINs need not carry a check digit in position 9.",
            "nickname": "What you call it, e.g. “Daily driver”. Shown instead of year, make "
            "and model.",
            "is_active": "Uncheck for a vehicle that is stored; it stays listed under "
            "“Inactive”. A vehicle with a sale date is not in use: saving one unchecks this.",
            "purchase_price": "What you paid for it: the start of its depreciation.",
            "sold_date": "A sold vehicle is no longer in use; its history stays.",
        }
        widgets = {
            "year": forms.NumberInput(attrs={"min": 1886}),
            "purchase_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "sold_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        """`instance` is required: a new Vehicle(user=...) to add, the vehicle to edit. A new
        vehicle's units start as the owner's (motovault.l10n.Regional.vehicle_units)."""
        super().__init__(*args, **kwargs)
        self.deleted_match: Vehicle | None = None
        self.resubmission_of: Vehicle | None = None
        self.fields["year"].widget.attrs["max"] = latest_model_year()
        for name in ("purchase_date", "sold_date"):
            self.fields[name].widget.attrs.update(
                min=EARLIEST_DATE.isoformat(), max=timezone.localdate().isoformat()
            )
        symbol = l10n.currency_symbol()
        for name in ("purchase_price", "sold_price"):
            cast(LocalizedDecimalField, self.fields[name]).min_places = 2
            self.fields[name].label = f"{self.fields[name].label} ({symbol})"
        if self.instance._state.adding:
            del self.fields["is_active"]
            distance_unit, fuel_unit = l10n.current().vehicle_units()
            # Not the model's defaults, which model_to_dict has put there.
            self.initial["distance_unit"], self.initial["fuel_unit"] = distance_unit, fuel_unit
        else:
            self.fields[
                "distance_unit"
            ].help_text = "Changing a unit converts this vehicle's numbers, after you confirm."
        # A post without the units (an older page, a script) keeps them as they are.
        for name in ("distance_unit", "fuel_unit"):
            self.fields[name].required = False
        # An edit's odometer is typed in the unit the vehicle has (a unit change converts it);
        # a new vehicle's in the unit chosen beside it (static/js/vehicles.js follows a change).
        unit = DistanceUnit(self.initial["distance_unit"])
        if self.instance._state.adding and self.data.get("distance_unit") in DistanceUnit.values:
            unit = DistanceUnit(self.data["distance_unit"])
        self.fields["odometer_reading"].label = f"Odometer ({unit.label.lower()})"
        self.fields["purchase_odometer"].label = f"Odometer when bought ({unit.label.lower()})"

    def clean_distance_unit(self) -> str:
        return self.cleaned_data["distance_unit"] or self.initial["distance_unit"]

    def clean_fuel_unit(self) -> str:
        return self.cleaned_data["fuel_unit"] or self.initial["fuel_unit"]

    @property
    def units_changed(self) -> bool:
        """Whether an edit changes the vehicle's distance or fuel unit (after is_valid())."""
        return not self.instance._state.adding and (
            self.cleaned_data.get("distance_unit") != self.initial["distance_unit"]
            or self.cleaned_data.get("fuel_unit") != self.initial["fuel_unit"]
        )

    def clean_license_plate(self) -> str:
        return " ".join(self.cleaned_data["license_plate"].split()).upper()

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        vin = cleaned.get("vin")
        if not vin:
            self.check_resubmission_without_vin(cleaned)
            return cleaned
        others = Vehicle.objects.filter(user=self.instance.user, vin=vin).exclude(
            pk=self.instance.pk
        )
        if (same := others.first()) is not None:
            if same.is_deleted:
                self.deleted_match = same
                self.add_error(
                    "vin", "You deleted a vehicle with this VIN. Restore it instead of adding it."
                )
            else:
                self.add_error("vin", f"You already have this vehicle: {same.display_name}.")
                self.check_resubmission(same)
        return cleaned

    def save_vehicle(self) -> Vehicle | None:
        """Save the valid form's vehicle (the page and the API both do): a new one whole, an
        edit only what the owner changed, and forget the owner's cached pages. None, with the
        VIN error on the form, when the database refused a VIN the owner already has; raises
        Vehicle.DoesNotExist, writing nothing, for an edit of a vehicle deleted meanwhile."""
        try:
            with transaction.atomic():
                vehicle = self.save(commit=False)
                if vehicle._state.adding:
                    vehicle.save()
                elif not vehicle.save_unless_deleted(self.changed_data):
                    raise Vehicle.DoesNotExist("The vehicle was deleted in the meantime.")
        except IntegrityError:
            # Two saves of one VIN at once pass the form's check; the constraint stops the
            # second, which sees the first's vehicle once that has committed.
            self.add_error("vin", "You already have a vehicle with this VIN.")
            self.check_resubmission(
                Vehicle.objects.for_owner(vehicle.user).filter(vin=vehicle.vin).first()
            )
            return None
        invalidate_owner_caches(vehicle.user_id)
        return vehicle

    def check_resubmission_without_vin(self, cleaned: dict[str, Any]) -> None:
        """No VIN says which vehicle this is: a vehicle without one that this owner added
        moments ago with every value this form holds is this form, sent twice."""
        if not self.instance._state.adding or self.errors:
            return
        recent = Vehicle.objects.for_owner(self.instance.user).filter(
            vin="", created_at__gte=timezone.now() - RESUBMISSION_WINDOW
        )
        for same in recent:
            if all(getattr(same, name) == value for name, value in cleaned.items()):
                self.resubmission_of = same
                self.add_error(None, "You added this vehicle a moment ago.")
                return

    def check_resubmission(self, same: Vehicle | None) -> None:
        """Note `same`, the owner's vehicle with this VIN, as `resubmission_of` when this form
        added it moments ago: added recently, with every value this form holds."""
        if (
            same is not None
            and self.instance._state.adding
            and same.created_at >= timezone.now() - RESUBMISSION_WINDOW
            # A field in error (other than the VIN, now taken) makes it another submission.
            and not set(self.errors) - {"vin"}
            and all(getattr(same, name) == value for name, value in self.cleaned_data.items())
        ):
            self.resubmission_of = same


class DecodeForm(CheckDigitMixin, forms.Form):
    """The VIN part of the add form, for "Decode" (the JSON endpoint and the no-JavaScript
    re-render); its field names are the add form's."""

    vin = VinField()
    vin_check_digit_waived = forms.BooleanField(required=False)
    vin_is_serial = forms.BooleanField(required=False)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if cleaned.get("vin_is_serial"):
            # vPIC knows nothing of serials: no call is made for one.
            self.add_error(
                "vin",
                "An older serial number cannot be decoded: fill in the year, make and model.",
            )
        return cleaned


class OdometerReadingRulesForm(forms.ModelForm):
    """An odometer reading, typed the owner's way (123,456 in en-US, 123.456 in de-DE): the base
    of the owner's form and the admin's. It runs the reading rules (vehicles.rules) on the
    values that passed their fields' own checks; vehicles.services runs the vehicle's and the
    order's again inside the vehicle's lock."""

    class Meta:
        model = OdometerReading
        fields = READING_FIELDS
        field_classes = {"odometer_reading": LocalizedIntegerField}
        widgets = {
            "date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        odometer = self.fields["odometer_reading"]
        odometer.validators += [MinValueValidator(0), MaxValueValidator(MAX_ODOMETER)]
        odometer.error_messages["min_value"] = "The odometer cannot be negative."
        odometer.error_messages["max_value"] = (
            f"The largest reading MotoVault stores is {l10n.number(MAX_ODOMETER)}."
        )
        self.fields["date"].widget.attrs.update(
            min=EARLIEST_DATE.isoformat(), max=timezone.localdate().isoformat()
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        vehicle = cleaned.get("vehicle") if "vehicle" in self.fields else self.instance.vehicle
        date, reading = cleaned.get("date"), cleaned.get("odometer_reading")

        def check(rule: Callable[..., None], *args: Any, **kwargs: Any) -> None:
            try:
                rule(*args, **kwargs)
            except ValidationError as error:
                self.add_rule_error(error)

        if date is not None:
            check(rules.check_date, date, vehicle)
        if vehicle is not None:
            check(rules.check_vehicle, vehicle)
            if date is not None and reading is not None:
                edited = None if self.instance._state.adding else self.instance.pk
                check(rules.check_odometer, vehicle, date, reading, exclude_pk=edited)
        return cleaned

    def add_rule_error(self, error: ValidationError) -> None:
        """A rule's error next to its field; at the top when this form has no such field (the
        owner's form, whose vehicle is the page's)."""
        for name, problems in error.message_dict.items():
            self.add_error(name if name in self.fields else None, problems)


class OdometerReadingForm(OdometerReadingRulesForm):
    """The owner's form, on one of their vehicle's pages: the vehicle is the page's. The date
    starts at today and the odometer blank, with the vehicle's current reading as the hint."""

    class Meta(OdometerReadingRulesForm.Meta):
        fields: tuple[str, ...] = ("date", "odometer_reading", "notes")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        vehicle = self.instance.vehicle
        field = self.fields["odometer_reading"]
        field.label = f"Odometer ({DISTANCE_ABBREVIATIONS[vehicle.distance_unit]})"
        # Help text is rendered as HTML, so the owner's nickname must be escaped here.
        field.help_text = format_html(
            "{} currently reads {} {}.",
            vehicle.display_name,
            l10n.number(vehicle.odometer_reading),
            DISTANCE_ABBREVIATIONS[vehicle.distance_unit],
        )
        field.widget.attrs["placeholder"] = l10n.number(vehicle.odometer_reading)
