from django import forms
from django.contrib import admin
from django.db import models
from django.http import Http404, HttpRequest

from costs import services
from costs.models import Cost
from maintenance.upcoming import invalidate_upcoming
from vehicles.admin import VehicleRecordAdmin
from vehicles.cache import invalidate_owner_caches


@admin.register(Cost)
class CostAdmin(VehicleRecordAdmin):
    list_display = ["date", "user", "vehicle", "category", "title", "amount", "repeat_months"]
    list_filter = ["category", "date"]
    list_select_related = ["user", "vehicle"]
    search_fields = ["vehicle__vin", "title", "notes"]
    date_hierarchy = "date"

    # The same writes as the owner's pages: odometer, readings, cached upcoming list.
    def save_model(
        self, request: HttpRequest, obj: Cost, form: forms.ModelForm, change: bool
    ) -> None:
        try:
            services.save_cost(obj)
        except Cost.DoesNotExist:
            raise Http404("This cost was deleted in the meantime.") from None

    def delete_model(self, request: HttpRequest, obj: Cost) -> None:
        services.delete_cost(obj)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Cost]) -> None:
        user_ids = set(queryset.values_list("user_id", flat=True))
        super().delete_queryset(request, queryset)
        for user_id in user_ids:
            invalidate_upcoming(user_id)
            invalidate_owner_caches(user_id)
