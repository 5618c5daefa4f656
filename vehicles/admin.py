from typing import Any, cast

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.timesince import timesince

from motovault.units import DISTANCE_ABBREVIATIONS
from vehicles import services, vpic
from vehicles.cache import invalidate_owner_caches
from vehicles.forms import CheckDigitMixin, OdometerReadingRulesForm, VinField
from vehicles.models import OdometerReading, Vehicle, VinCache


class VehicleAdminForm(CheckDigitMixin, forms.ModelForm):
    """The admin follows the owner's VIN rules (vehicles/vin.py)."""

    class Meta:
        model = Vehicle
        fields = [
            "user",
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
            "deleted_at",
        ]
        field_classes = {"vin": VinField}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # A post without the units (they are read-only on a change) keeps the vehicle's.
        for name in ("distance_unit", "fuel_unit"):
            if name in self.fields:
                self.fields[name].required = False

    def clean_distance_unit(self) -> str:
        return self.cleaned_data["distance_unit"] or self.instance.distance_unit

    def clean_fuel_unit(self) -> str:
        return self.cleaned_data["fuel_unit"] or self.instance.fuel_unit


class DeletedFilter(admin.SimpleListFilter):
    title = "deleted"
    parameter_name = "deleted"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple[str, str]]:
        return [("no", "Not deleted"), ("yes", "Deleted")]

    def queryset(
        self, request: HttpRequest, queryset: models.QuerySet[Vehicle]
    ) -> models.QuerySet[Vehicle]:
        if self.value() == "yes":
            return queryset.filter(deleted_at__isnull=False)
        if self.value() == "no":
            return queryset.filter(deleted_at__isnull=True)
        return queryset


@admin.register(Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    form = VehicleAdminForm
    # The default manager includes soft-deleted vehicles, so admins see them too.
    list_display = [
        "__str__",
        "user",
        "vin",
        "year",
        "make",
        "model",
        "distance_unit",
        "fuel_unit",
        "is_active",
        "is_deleted",
    ]
    list_filter = ["is_active", DeletedFilter, "distance_unit", "fuel_unit", "year"]
    list_select_related = ["user"]
    search_fields = ["vin", "license_plate", "user__username", "user__email"]
    readonly_fields = ["id", "created_at", "updated_at"]
    autocomplete_fields = ["user"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Vehicle | None = None
    ) -> list[str] | tuple[str, ...]:
        # A vehicle's fuel logs and maintenance belong to its owner too: changing the owner
        # here would leave them behind, visible to the old owner only. Its units too: every
        # number it has is in them, and only the owner's edit page converts them.
        if obj is not None:
            return [*self.readonly_fields, "user", "distance_unit", "fuel_unit"]
        return self.readonly_fields

    @admin.display(boolean=True, description="Deleted")
    def is_deleted(self, vehicle: Vehicle) -> bool:
        return vehicle.is_deleted

    def save_model(
        self, request: HttpRequest, obj: Vehicle, form: forms.ModelForm, change: bool
    ) -> None:
        # Only what the admin changed: an owner's delete, or a fill-up's odometer, that came in
        # since the page was loaded stays.
        obj.save(update_fields=form.changed_data if change else None)
        invalidate_owner_caches(obj.user_id)

    def delete_model(self, request: HttpRequest, obj: Vehicle) -> None:
        super().delete_model(request, obj)
        invalidate_owner_caches(obj.user_id)

    def delete_queryset(self, request: HttpRequest, queryset: models.QuerySet[Vehicle]) -> None:
        owners = set(queryset.values_list("user_id", flat=True))
        super().delete_queryset(request, queryset)
        for user_id in owners:
            invalidate_owner_caches(user_id)


class VehicleRecordAdmin(admin.ModelAdmin):
    """The admin of a kind of record that belongs to a vehicle (VehicleRecord): the owner is
    shown, never chosen (it follows the vehicle), and a save that a change made meanwhile
    makes invalid is refused with a message, not an error page."""

    raw_id_fields = ["vehicle"]
    readonly_fields = ["user", "created_at", "updated_at"]

    def changeform_view(
        self,
        request: HttpRequest,
        object_id: str | None = None,
        form_url: str = "",
        extra_context: dict[str, Any] | None = None,
    ) -> HttpResponse:
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            # The services check their rules again inside the vehicle's lock, and find a record
            # saved or the vehicle deleted since the form was checked. The admin's transaction
            # is rolled back: nothing is saved, and the form is shown again with why.
            self.message_user(request, _conflict_message(self.model, error), messages.ERROR)
            return HttpResponseRedirect(request.get_full_path())


def _conflict_message(model: type[models.Model], error: ValidationError) -> str:
    """The error in words, each message after the name of the field it is about."""
    problems = error.message_dict if hasattr(error, "error_dict") else {None: error.messages}

    def label(field: str) -> str:
        # Errors are keyed by the model's own fields, never by a reverse relation.
        return str(capfirst(cast(models.Field, model._meta.get_field(field)).verbose_name))

    details = [
        message if field in (None, NON_FIELD_ERRORS) else f"{label(field)}: {message}"
        for field, field_messages in problems.items()
        for message in field_messages
    ]
    return "Nothing was saved: a change made meanwhile conflicts with it. " + " ".join(details)


class OdometerReadingAdminForm(OdometerReadingRulesForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Staff may record a reading for any owner's vehicle, never for a deleted one. (The
        # ModelForm made the field from the ForeignKey.)
        vehicle = cast("forms.ModelChoiceField[Vehicle]", self.fields["vehicle"])
        vehicle.queryset = Vehicle.objects.filter(deleted_at__isnull=True)


@admin.register(OdometerReading)
class OdometerReadingAdmin(VehicleRecordAdmin):
    """Saved and deleted through vehicles.services, under the rules the owner's form applies."""

    form = OdometerReadingAdminForm
    list_display = ["date", "user", "vehicle", "odometer"]
    list_filter = ["date", ("vehicle", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["user", "vehicle"]
    search_fields = ["vehicle__vin", "vehicle__nickname", "user__username", "notes"]
    date_hierarchy = "date"

    @admin.display(description="odometer", ordering="odometer_reading")
    def odometer(self, reading: OdometerReading) -> str:
        return (
            f"{reading.odometer_reading:,} {DISTANCE_ABBREVIATIONS[reading.vehicle.distance_unit]}"
        )

    def save_model(
        self, request: HttpRequest, obj: OdometerReading, form: forms.ModelForm, change: bool
    ) -> None:
        try:
            services.save_reading(obj)
        except OdometerReading.DoesNotExist:
            raise Http404("This reading was deleted in the meantime.") from None

    def delete_model(self, request: HttpRequest, obj: OdometerReading) -> None:
        services.delete_readings([obj])

    def delete_queryset(
        self, request: HttpRequest, queryset: models.QuerySet[OdometerReading]
    ) -> None:
        services.delete_readings(queryset)


@admin.register(VinCache)
class VinCacheAdmin(admin.ModelAdmin):
    """Read-only: rows are written by vehicles.vpic only. Refresh asks vPIC again."""

    list_display = ["vin", "year", "make", "model", "body_type", "age", "is_stale"]
    search_fields = ["vin", "make", "model"]
    ordering = ["-cached_at"]
    actions = ["refresh"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: VinCache | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: VinCache | None = None) -> bool:
        # cleanup_vin_cache deletes by age; a refresh replaces an entry.
        return False

    @admin.display(description="Age", ordering="cached_at")
    def age(self, entry: VinCache) -> str:
        return timesince(entry.cached_at)

    @admin.display(boolean=True, description="Older than 30 days")
    def is_stale(self, entry: VinCache) -> bool:
        return entry.cached_at <= timezone.now() - vpic.MAX_AGE

    @admin.action(description="Refresh selected entries from vPIC", permissions=["view"])
    def refresh(self, request: HttpRequest, queryset: models.QuerySet[VinCache]) -> None:
        refreshed, failures = 0, []
        for vin in queryset.values_list("vin", flat=True):
            try:
                vpic.refresh(vin)
            except vpic.VpicError as exc:
                failures.append(f"{vin}: {exc}")
            else:
                refreshed += 1
        if refreshed:
            self.message_user(
                request, f"Refreshed {refreshed} entr{'y' if refreshed == 1 else 'ies'}."
            )
        if failures:
            self.message_user(
                request, "Could not refresh " + "; ".join(failures), level=messages.ERROR
            )
