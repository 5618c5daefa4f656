import datetime
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.utils import timezone

from maintenance.models import (
    ENTERED_FIELDS,
    MAX_MILEAGE,
    MaintenanceQuerySet,
    MaintenanceRecord,
    MaintenanceType,
    Status,
    latest_due_date,
)
from motovault.text import SingleLineFormField
from vehicles.models import (
    EARLIEST_DATE,
    Vehicle,
    VehicleQuerySet,
    check_history_date,
    not_in_future,
)

SCHEDULED, DONE = "scheduled", "done"
DUE_FIELDS = ("due_date", "due_mileage")
DONE_FIELDS = ("completed_date", "completed_mileage", "cost", "service_location")


class DateInput(forms.DateInput):
    input_type = "date"


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
            "due_mileage": "The odometer reading at which it is due.",
            "completed_mileage": "Leave empty to use the vehicle's current odometer.",
            "interval_months": "Optional. Once it is done, the next one is scheduled this many "
            "months later.",
            "interval_miles": "Optional. The next one is due this many miles after the mileage "
            "it was done at.",
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
        self.fields["cost"].widget.attrs["step"] = "0.01"
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
    completed_mileage = forms.IntegerField(
        label="Mileage",
        min_value=0,
        max_value=MAX_MILEAGE,
        required=False,
        help_text="A reading above the vehicle's odometer updates it.",
    )
    cost = forms.DecimalField(
        max_digits=8,
        decimal_places=2,
        min_value=0,
        required=False,
        widget=forms.NumberInput(attrs={"step": "0.01"}),
    )
    service_location = SingleLineFormField(label="Where", max_length=200, required=False)

    def __init__(self, *args: Any, vehicle: Vehicle, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.vehicle = vehicle
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

    def apply(self, records: MaintenanceQuerySet, today: datetime.date) -> MaintenanceQuerySet:
        self.is_valid()
        data = self.cleaned_data
        if data.get("vehicle"):
            records = records.filter(vehicle=data["vehicle"])
        if data.get("type"):
            records = records.filter(type=data["type"])
        if data.get("status"):
            records = records.with_status(data["status"], today)
        return records
