from typing import Any, cast

from django import forms
from django.contrib import admin
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone

from maintenance import services
from maintenance.models import MaintenanceQuerySet, MaintenanceRecord, Status
from maintenance.upcoming import invalidate_upcoming
from motovault import l10n
from motovault.units import DISTANCE_ABBREVIATIONS, DistanceUnit
from vehicles.admin import VehicleRecordAdmin

# The columns whose numbers are in the vehicle's distance unit.
DISTANCE_FIELDS = ("due_mileage", "completed_mileage", "interval_miles")


class StatusFilter(admin.SimpleListFilter):
    title = "status"
    parameter_name = "status"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return Status.choices

    def queryset(
        self, request: HttpRequest, queryset: models.QuerySet[MaintenanceRecord]
    ) -> models.QuerySet[MaintenanceRecord]:
        if (status := self.value()) is not None and status in Status.values:
            # The change list's queryset comes from MaintenanceRecord.objects.
            return cast(MaintenanceQuerySet, queryset).with_status(status, timezone.localdate())
        return queryset


@admin.register(MaintenanceRecord)
class MaintenanceRecordAdmin(VehicleRecordAdmin):
    list_display = [
        "title",
        "user",
        "vehicle",
        "type",
        "due_date",
        "due_at",
        "completed_date",
        "done_at",
        "cost",
        "is_completed",
    ]
    list_filter = ["type", StatusFilter, "is_completed"]
    list_select_related = ["user", "vehicle"]
    search_fields = ["vehicle__vin", "description", "service_location"]
    date_hierarchy = "created_at"

    @admin.display(description="Due mileage", ordering="due_mileage")
    def due_at(self, record: MaintenanceRecord) -> str:
        return _with_unit(record.due_mileage, record)

    @admin.display(description="Mileage done", ordering="completed_mileage")
    def done_at(self, record: MaintenanceRecord) -> str:
        return _with_unit(record.completed_mileage, record)

    def get_form(
        self,
        request: HttpRequest,
        obj: MaintenanceRecord | None = None,
        change: bool = False,
        **kwargs: Any,
    ) -> type[forms.ModelForm]:
        form = super().get_form(request, obj, change, **kwargs)
        # Stored as typed, in the vehicle's unit: say which.
        unit = DistanceUnit(obj.vehicle.distance_unit).label.lower() if obj else None
        for name in DISTANCE_FIELDS:
            if name in form.base_fields:
                form.base_fields[name].help_text = (
                    f"In {unit}, this vehicle's distance unit."
                    if unit
                    else "In the vehicle's distance unit (miles or kilometers)."
                )
        return form

    # The same writes as the owner's pages: odometer, next occurrence, cached upcoming list.
    def save_model(
        self, request: HttpRequest, obj: MaintenanceRecord, form: forms.ModelForm, change: bool
    ) -> None:
        try:
            services.save_record(obj)
        except MaintenanceRecord.DoesNotExist:
            raise Http404("This record was deleted in the meantime.") from None

    def delete_model(self, request: HttpRequest, obj: MaintenanceRecord) -> None:
        services.delete_record(obj)

    def delete_queryset(
        self, request: HttpRequest, queryset: models.QuerySet[MaintenanceRecord]
    ) -> None:
        user_ids = set(queryset.values_list("user_id", flat=True))
        super().delete_queryset(request, queryset)
        for user_id in user_ids:
            invalidate_upcoming(user_id)


def _with_unit(value: int | None, record: MaintenanceRecord) -> str:
    """45,000 mi / 12,000 km, as the owner's pages show it; a dash for none."""
    if value is None:
        return "-"
    unit = DISTANCE_ABBREVIATIONS[DistanceUnit(record.vehicle.distance_unit)]
    return f"{l10n.number(value)} {unit}"
