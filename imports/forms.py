from typing import IO, Any, cast

from django import forms
from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat

from imports import services
from imports.formats.generic import FIELDS, NEEDED
from imports.rows import SourceVehicle
from imports.source import FORMATS
from motovault import l10n
from motovault.units import DistanceUnit, FuelUnit
from vehicles.forms import VinField
from vehicles.models import Vehicle
from vehicles.vin import validate_vin

DATE_ORDERS = [
    ("mdy", "Month first (05/03/2024 is May 3)"),
    ("dmy", "Day first (05/03/2024 is March 5)"),
    ("ymd", "Year first (2024-03-05)"),
]


class UploadForm(forms.Form):
    file = forms.FileField(
        label="File",
        error_messages={"empty": "The file is empty.", "required": "Choose the file to import."},
    )
    format = forms.ChoiceField(
        label="From",
        required=False,
        choices=[
            ("", "Find out from the file"),
            *FORMATS.items(),
            ("archive", "A MotoVault account archive (ZIP)"),
        ],
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["file"].help_text = (
            f"A CSV file of at most {filesizeformat(settings.IMPORT_MAX_BYTES)}, or a MotoVault "
            "archive (.zip) to restore into an account without vehicles."
        )
        cast(forms.ChoiceField, self.fields["format"]).choices = [
            ("", "Find out from the file"),
            *((value, label[0].upper() + label[1:]) for value, label in FORMATS.items()),
            ("archive", "A MotoVault account archive (ZIP)"),
        ]

    def clean_file(self) -> IO[bytes]:
        file = self.cleaned_data["file"]
        if file.size == 0:
            raise ValidationError("The file is empty.")
        if file.size > settings.IMPORT_MAX_BYTES:
            raise ValidationError(
                f"The file is {filesizeformat(file.size)}; MotoVault imports files of at most "
                f"{filesizeformat(settings.IMPORT_MAX_BYTES)}. Export a shorter period."
            )
        return file


class MappingForm(forms.Form):
    """For any other CSV: which column holds each field (the fuel export's names)."""

    def __init__(self, *args: Any, headers: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "(not in the file)"), *((header, header) for header in headers)]
        for name in FIELDS:
            self.fields[f"map_{name}"] = forms.ChoiceField(
                label="VIN" if name == "vin" else name.replace("_", " ").capitalize(),
                choices=choices,
                required=name in NEEDED,
            )

    def mapping(self) -> dict[str, str]:
        return {
            name.removeprefix("map_"): column
            for name, column in self.cleaned_data.items()
            if column
        }


class ChoicesForm(forms.Form):
    """What the owner decides on the preview: each source vehicle's match (one of their
    vehicles, or a new one with its name and VIN), the units of a file that does not say them,
    and the order of dates the file does not decide."""

    def __init__(
        self,
        *args: Any,
        user: User,
        sources: list[SourceVehicle],
        date_order: str | None,
        vehicles: list[Vehicle],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.sources = sources
        self.vehicles = {str(vehicle.pk): vehicle for vehicle in vehicles}
        self.order_found = date_order
        if date_order is None:
            self.fields["date_order"] = forms.ChoiceField(
                label="The file's dates are", choices=[("", "Choose…"), *DATE_ORDERS]
            )
        found = services.matches(user, sources) if not self.is_bound else {}
        regional = l10n.current()
        vehicle_choices = [
            *((str(vehicle.pk), vehicle.display_name) for vehicle in vehicles),
            (services.NEW, "Create a new vehicle"),
        ]
        for index, source in enumerate(sources):
            match = found.get(source.key)
            name = services.source_name(source) or "the file's vehicle"
            self.fields[f"vehicle_{index}"] = forms.ChoiceField(
                label=f"Import “{name}” into",
                choices=vehicle_choices,
                initial=str(match.pk) if match else services.NEW,
            )
            distance, fuel = services.default_units(source, match, regional)
            if source.distance_unit is None:
                self.fields[f"distance_unit_{index}"] = forms.ChoiceField(
                    label="Its distances are in", choices=DistanceUnit.choices, initial=distance
                )
            if source.fuel_unit is None:
                self.fields[f"fuel_unit_{index}"] = forms.ChoiceField(
                    label="Its fuel is in", choices=FuelUnit.choices, initial=fuel
                )
            self.fields[f"name_{index}"] = forms.CharField(
                label="New vehicle's nickname",
                help_text="Used when you choose “Create a new vehicle”.",
                max_length=100,
                required=False,
                initial=(services.source_name(source) or "Imported vehicle")[:100],
            )
            self.fields[f"vin_{index}"] = VinField(
                label="New vehicle's VIN (optional)", required=False, initial=_valid(source.vin)
            )

    def unknown_vehicles(self) -> bool:
        """Whether a vehicle posted is none of the owner's: another owner's, or forged."""
        for index in range(len(self.sources)):
            value = self.data.get(f"vehicle_{index}")
            if value and value != services.NEW and value not in self.vehicles:
                return True
        return False

    def rows_of(self, index: int) -> dict[str, Any]:
        """The fields of source vehicle `index`, with the names the template uses."""
        source = self.sources[index]
        units = ""
        if source.distance_unit and source.fuel_unit:
            fuel = FuelUnit(source.fuel_unit).label
            # "liters", but "US gallons".
            fuel = fuel if fuel[:2].isupper() else fuel.lower()
            units = f"{DistanceUnit(source.distance_unit).label.lower()} and {fuel}"
        return {
            "source": source,
            "units": units,
            **{
                name: self[f"{name}_{index}"]
                for name in ("vehicle", "distance_unit", "fuel_unit", "name", "vin")
                if f"{name}_{index}" in self.fields
            },
        }

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for index in range(len(self.sources)):
            if data.get(f"vehicle_{index}") == services.NEW:
                name = data.get(f"name_{index}", "")
                if not name and not data.get(f"vin_{index}"):
                    self.add_error(f"name_{index}", "Give the new vehicle a nickname.")
                if vin := data.get(f"vin_{index}"):
                    try:
                        validate_vin(vin)
                    except ValidationError as error:
                        self.add_error(f"vin_{index}", error)
        return data

    def targets(self) -> dict[str, services.Target]:
        data = self.cleaned_data
        found: dict[str, services.Target] = {}
        for index, source in enumerate(self.sources):
            choice = data[f"vehicle_{index}"]
            vehicle = None if choice == services.NEW else self.vehicles[choice]
            distance, fuel = services.default_units(source, vehicle, l10n.current())
            found[source.key] = services.Target(
                source,
                vehicle,
                data.get(f"distance_unit_{index}") or distance,
                data.get(f"fuel_unit_{index}") or fuel,
                new_name=data.get(f"name_{index}", ""),
                new_vin=data.get(f"vin_{index}", ""),
            )
        return found

    @property
    def chosen_date_order(self) -> str | None:
        return self.cleaned_data.get("date_order") or self.order_found


def _valid(vin: str) -> str:
    try:
        validate_vin(vin)
    except ValidationError:
        return ""
    return vin
