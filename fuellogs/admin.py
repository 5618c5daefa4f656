from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db import models
from django.http import Http404, HttpRequest

from fuellogs.forms import FuelLogRulesForm
from fuellogs.models import FuelLog
from fuellogs.services import delete_fuel_logs, save_fuel_log
from vehicles.admin import VehicleRecordAdmin
from vehicles.models import Vehicle


class FuelLogAdminForm(FuelLogRulesForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Staff may log fuel for any owner's vehicle, never for a deleted one. (The ModelForm
        # made the field from the ForeignKey.)
        vehicle = cast("forms.ModelChoiceField[Vehicle]", self.fields["vehicle"])
        vehicle.queryset = Vehicle.objects.filter(deleted_at__isnull=True)


@admin.register(FuelLog)
class FuelLogAdmin(VehicleRecordAdmin):
    form = FuelLogAdminForm
    list_display = ["date", "user", "vehicle", "odometer_reading", "gallons", "total_cost"]
    list_filter = ["date", ("vehicle", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "vehicle"]
    search_fields = ["station_name", "vehicle__vin"]
    date_hierarchy = "date"

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
