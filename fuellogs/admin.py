from dataclasses import replace
from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db import models
from django.http import Http404, HttpRequest

from accounts.models import Preferences
from fuellogs.forms import FuelLogRulesForm
from fuellogs.models import FuelLog
from fuellogs.services import delete_fuel_logs, save_fuel_log
from motovault import l10n
from motovault.units import DISTANCE_ABBREVIATIONS, FUEL_ABBREVIATIONS
from vehicles.admin import VehicleRecordAdmin
from vehicles.models import Vehicle


class FuelLogAdminForm(FuelLogRulesForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        # An owner's amounts are in their currency, whatever the staff member's own is: the
        # labels ("Total cost (€)") name it. Numbers are still typed the staff member's way.
        instance = kwargs.get("instance")
        regional = l10n.current()
        if instance is not None and instance.user_id is not None:
            saved = Preferences.objects.filter(user_id=instance.user_id).values_list(
                "currency", flat=True
            )
            regional = replace(regional, currency=saved.first() or l10n.DEFAULT.currency)
        with l10n.override(regional):
            super().__init__(*args, **kwargs)
        # Staff may log fuel for any owner's vehicle, never for a deleted one. (The ModelForm
        # made the field from the ForeignKey.)
        vehicle = cast("forms.ModelChoiceField[Vehicle]", self.fields["vehicle"])
        vehicle.queryset = Vehicle.objects.filter(deleted_at__isnull=True)


@admin.register(FuelLog)
class FuelLogAdmin(VehicleRecordAdmin):
    form = FuelLogAdminForm
    list_display = ["date", "user", "vehicle", "odometer", "quantity", "total_cost"]
    list_filter = ["date", ("vehicle", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "vehicle"]
    search_fields = ["station_name", "vehicle__vin"]
    # Linked from the station name whenever the fill-up is saved (stations.linking).
    readonly_fields = [*VehicleRecordAdmin.readonly_fields, "station"]
    date_hierarchy = "date"

    # Values as stored, with the vehicle's units ("40.000 L", "123,456 km"): staff see every
    # owner's vehicles, in any units, in one list.
    @admin.display(description="odometer", ordering="odometer_reading")
    def odometer(self, log: FuelLog) -> str:
        return f"{log.odometer_reading:,} {DISTANCE_ABBREVIATIONS[log.vehicle.distance_unit]}"

    @admin.display(description="quantity", ordering="gallons")
    def quantity(self, log: FuelLog) -> str:
        return f"{log.gallons} {FUEL_ABBREVIATIONS[log.vehicle.fuel_unit]}"

    def save_model(
        self, request: HttpRequest, obj: FuelLog, form: forms.ModelForm, change: bool
    ) -> None:
        try:
            save_fuel_log(obj)
        except FuelLog.DoesNotExist:
            raise Http404("This fill-up was deleted in the meantime.") from None

    def delete_model(self, request: HttpRequest, obj: FuelLog) -> None:
        delete_fuel_logs([obj])

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[FuelLog]) -> None:
        delete_fuel_logs(queryset)
