from typing import cast

from django import forms
from django.contrib import admin
from django.db import models
from django.http import Http404, HttpRequest
from django.utils import timezone

from maintenance import services
from maintenance.models import MaintenanceQuerySet, MaintenanceRecord, Status
from maintenance.upcoming import invalidate_upcoming
from vehicles.admin import VehicleRecordAdmin


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
        "due_mileage",
        "completed_date",
        "cost",
        "is_completed",
    ]
    list_filter = ["type", StatusFilter, "is_completed"]
    list_select_related = ["user", "vehicle"]
    search_fields = ["vehicle__vin", "description", "service_location"]
    date_hierarchy = "created_at"

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
