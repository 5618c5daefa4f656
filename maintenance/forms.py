import datetime
import json
from collections.abc import Mapping
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from maintenance.models import (
    ENTERED_FIELDS,
    MAX_INTERVAL_MILES,
    MAX_MILEAGE,
    MaintenanceQuerySet,
    MaintenanceRecord,
    MaintenanceType,
    Status,
    latest_due_date,
)
from motovault.forms import LocalizedDecimalField, LocalizedIntegerField
from motovault.text import SingleLineFormField
from motovault.units import DistanceUnit
from vehicles.models import (
    EARLIEST_DATE,
    Vehicle,
    VehicleQuerySet,
    check_history_date,
    not_in_future,
    sole_active,
)

SCHEDULED, DONE = "scheduled", "done"
DUE_FIELDS = ("due_date", "due_mileage")
DONE_FIELDS = ("completed_date", "completed_mileage", "cost", "service_location")


class DateInput(forms.DateInput):
    input_type = "date"


# The labels of the distance fields, for a vehicle in miles (as they always read), in
# kilometers, and while the vehicle is not chosen yet and the owner's vehicles differ (None).
DISTANCE_LABELS: dict[str | None, dict[str, str]] = {
    DistanceUnit.MILES: {
        "due_mileage": "Due mileage",
        "completed_mileage": "Mileage",
        "interval_miles": "Repeat every (miles)",
    },
    DistanceUnit.KILOMETERS: {
        "due_mileage": "Due at (km)",
        "completed_mileage": "Odometer (km)",
        "interval_miles": "Repeat every (km)",
    },
    None: {
        "due_mileage": "Due at (odometer, in the vehicle's unit)",
        "completed_mileage": "Odometer (in the vehicle's unit)",
        "interval_miles": "Repeat every (distance, in the vehicle's unit)",
    },
}
INTERVAL_HELP: dict[str | None, str] = {
    DistanceUnit.MILES: "Optional. The next one is due this many miles after the mileage it was "
    "done at.",
    DistanceUnit.KILOMETERS: "Optional. The next one is due this many kilometers after the "
    "odometer reading it was done at.",
    None: "Optional. The next one is due this far (in the vehicle's unit) after the odometer "
    "reading it was done at.",
}


def label_distance_fields(form: forms.BaseForm, distance_unit: str | None) -> None:
    """Name the unit of the form's distance fields: the vehicle's, or None when unknown."""
    for name, label in DISTANCE_LABELS[distance_unit].items():
        if name in form.fields:
            form.fields[name].label = label
    if "interval_miles" in form.fields:
        form.fields["interval_miles"].help_text = INTERVAL_HELP[distance_unit]


def cost_field() -> LocalizedDecimalField:
    """An amount in the owner's currency, typed their way (1.234,50 in de-DE)."""
    return LocalizedDecimalField(
        min_places=2, max_digits=8, decimal_places=2, min_value=0, required=False, label="Cost"
    )


class VehicleChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, vehicle: Vehicle) -> str:
        return vehicle.display_name if vehicle.is_active else f"{vehicle.display_name} (inactive)"


def owner_vehicles(user: User) -> VehicleQuerySet:
    """The vehicles a record may belong to: the owner's, not deleted. Another user's vehicle id
    is "not one of the available choices"."""
    return Vehicle.objects.for_owner(user)


class RecordForm(forms.ModelForm):
    """Add or edit a record. When adding, the owner chooses between a scheduled service and one
    already done (logged in one step); an existing record keeps what it is."""

    kind = forms.ChoiceField(
        label="This service is",
        choices=[(SCHEDULED, "Scheduled: remind me when it is due"), (DONE, "Already done")],
        initial=SCHEDULED,
        widget=forms.RadioSelect,
    )
    # Odometer readings and distances in the vehicle's unit, typed the owner's way (12.000 in
    # de-DE); the labels name the unit (label_distance_fields).
    due_mileage = LocalizedIntegerField(
        min_value=0,
        max_value=MAX_MILEAGE,
        required=False,
        help_text="The odometer reading at which it is due.",
    )
    completed_mileage = LocalizedIntegerField(
        min_value=0,
        max_value=MAX_MILEAGE,
        required=False,
        help_text="Leave empty to use the vehicle's current odometer.",
    )
    interval_miles = LocalizedIntegerField(
        min_value=1, max_value=MAX_INTERVAL_MILES, required=False
    )
    cost = cost_field()

    class Meta:
        model = MaintenanceRecord
        fields = ENTERED_FIELDS
        field_classes = {"vehicle": VehicleChoiceField}
        widgets = {
            "due_date": DateInput,
            "completed_date": DateInput,
            "description": forms.Textarea(attrs={"rows": 2}),
            "notes": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "interval_months": "Optional. Once it is done, the next one is scheduled this many "
            "months later.",
        }

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The fields Meta.field_classes and the model's choices made.
        vehicle = cast(VehicleChoiceField, self.fields["vehicle"])
        vehicle.queryset = owner_vehicles(user)
        vehicle.empty_label = "Choose a vehicle"
        cast(forms.ChoiceField, self.fields["type"]).choices = [
            ("", "Choose a service"),
            *MaintenanceType.choices,
        ]
        # The unit of each of the owner's vehicles, when a new record may go to any of them.
        self.unit_by_vehicle: dict[str, str] = {}
        self.distance_unit = self._distance_unit(vehicle.queryset)
        label_distance_fields(self, self.distance_unit)
        if self.instance._state.adding:
            self.fields["completed_date"].initial = timezone.localdate
        else:
            # An existing record keeps its kind; "Mark complete" turns scheduled into done.
            del self.fields["kind"]
            hidden = DUE_FIELDS if self.instance.is_completed else DONE_FIELDS
            for name in hidden:
                del self.fields[name]
        # The browser's date pickers offer only dates MaintenanceRecord.clean accepts.
        today = timezone.localdate()
        latest = {"due_date": latest_due_date(today), "completed_date": today}
        for name, day in latest.items():
            if name in self.fields:
                self.fields[name].widget.attrs.update(
                    min=EARLIEST_DATE.isoformat(), max=day.isoformat()
                )

    def _distance_unit(self, vehicles: VehicleQuerySet) -> str | None:
        """The unit the distance fields are in: the record's vehicle's, the chosen one's, the
        one all the owner's vehicles share, or None (the vehicle is not chosen yet and the
        owner's vehicles differ)."""
        if not self.instance._state.adding:
            # Loaded with the record (select_related).
            return self.instance.vehicle.distance_unit
        loaded = list(vehicles)
        self.unit_by_vehicle = {str(vehicle.pk): vehicle.distance_unit for vehicle in loaded}
        # A new record of an owner with one active vehicle goes to it, unless they chose.
        sole = None if self.is_bound or self.initial.get("vehicle") else sole_active(loaded)
        if sole is not None:
            self.initial["vehicle"] = sole.pk
        chosen = (self.data if self.is_bound else self.initial).get("vehicle")
        if (unit := self.unit_by_vehicle.get(str(chosen))) is not None:
            return unit
        return self._shared_unit()

    def _shared_unit(self) -> str | None:
        in_use = set(self.unit_by_vehicle.values())
        return in_use.pop() if len(in_use) == 1 else None

    def distance_labels_json(self) -> str:
        """What static/js/maintenance.js needs to label the distance fields after the vehicle
        the owner picks: each vehicle's unit, the unit for none picked, and each unit's labels.
        Empty for an existing record (labeled with its vehicle's unit)."""
        if not self.unit_by_vehicle:
            return ""
        return json.dumps(
            {
                "units": self.unit_by_vehicle,
                "fallback": self._shared_unit() or "",
                "labels": {
                    unit or "": {"fields": labels, "interval_help": INTERVAL_HELP[unit]}
                    for unit, labels in DISTANCE_LABELS.items()
                },
            }
        )

    def clean(self) -> dict[str, Any]:
        super().clean()
        cleaned = self.cleaned_data
        if "kind" in self.fields:
            self.instance.is_completed = cleaned.get("kind") == DONE
            # The other kind's fields may still hold input when the browser ran no script.
            ignored = DUE_FIELDS if self.instance.is_completed else DONE_FIELDS
            for name in ignored:
                cleaned[name] = "" if name == "service_location" else None
                self.errors.pop(name, None)
        return cleaned


class CompleteForm(forms.Form):
    """Mark a scheduled record of `vehicle` done."""

    completed_date = forms.DateField(
        label="Date done", widget=DateInput, validators=[not_in_future], initial=timezone.localdate
    )
    completed_mileage = LocalizedIntegerField(
        label="Mileage",
        min_value=0,
        max_value=MAX_MILEAGE,
        required=False,
        help_text="A reading above the vehicle's odometer updates it.",
    )
    cost = cost_field()
    service_location = SingleLineFormField(label="Where", max_length=200, required=False)

    def __init__(self, *args: Any, vehicle: Vehicle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vehicle = vehicle
        label_distance_fields(self, vehicle.distance_unit)
        self.fields["completed_date"].widget.attrs.update(
            min=EARLIEST_DATE.isoformat(), max=timezone.localdate().isoformat()
        )

    def clean_completed_date(self) -> datetime.date:
        day = self.cleaned_data["completed_date"]
        check_history_date(day, self.vehicle)
        return day


STATUS_FILTER_CHOICES = [("", "Any status"), *Status.choices]


class FilterForm(forms.Form):
    """The list's filters. An invalid value is reported and that filter is left out."""

    vehicle = VehicleChoiceField(queryset=Vehicle.objects.none(), required=False)
    type = forms.ChoiceField(
        label="Service", choices=[("", "Any service"), *MaintenanceType.choices], required=False
    )
    status = forms.ChoiceField(choices=STATUS_FILTER_CHOICES, required=False)

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The form's copy of the field declared above.
        vehicle = cast(VehicleChoiceField, self.fields["vehicle"])
        vehicle.queryset = owner_vehicles(user)
        vehicle.empty_label = "All vehicles"

    def apply(
        self,
        records: MaintenanceQuerySet,
        today: datetime.date,
        by_driving: Mapping[Any, int] = {},
    ) -> MaintenanceQuerySet:
        self.is_valid()
        data = self.cleaned_data
        if data.get("vehicle"):
            records = records.filter(vehicle=data["vehicle"])
        if data.get("type"):
            records = records.filter(type=data["type"])
        if data.get("status"):
            records = records.with_status(data["status"], today, by_driving)
        return records
