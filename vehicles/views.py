import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse, QueryDict, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from motovault import l10n
from motovault.navigation import next_url
from motovault.pagecache import owner_page
from motovault.replica import replica_view
from motovault.request_types import AuthenticatedHttpRequest
from motovault.spreadsheets import csv_lines
from motovault.units import DISTANCE_ABBREVIATIONS
from vehicles import exports, services, vpic
from vehicles.forms import DecodeForm, OdometerReadingForm, VehicleForm
from vehicles.listing import owner_vehicle_list
from vehicles.models import AlreadySaved, OdometerReading, Vehicle

PAGE_SIZE = 25

# ?show= on the list page: which vehicles each choice keeps.
SHOW_FILTERS: dict[str, Callable[[Vehicle], bool]] = {
    "all": lambda vehicle: True,
    "active": lambda vehicle: vehicle.is_active,
    "inactive": lambda vehicle: not vehicle.is_active,
}


@require_safe
@owner_page
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    listing = owner_vehicle_list(request.user)
    show = request.GET.get("show", "all")
    if show not in SHOW_FILTERS:
        show = "all"
    vehicles = [v for v in listing["vehicles"] if SHOW_FILTERS[show](v)]
    page_obj = Paginator(vehicles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "vehicles/index.html",
        {
            "page_obj": page_obj,
            "show": show,
            "total": len(listing["vehicles"]),
            "active_count": sum(v.is_active for v in listing["vehicles"]),
            "deleted_count": listing["deleted_count"],
            "query_string": f"show={show}" if show != "all" else "",
        },
    )


@require_http_methods(["GET", "POST"])
def add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = VehicleForm(request.POST or None, instance=Vehicle(user=request.user))
    decoded = None
    if request.method == "POST" and request.POST.get("action") == "decode":
        decode_form = DecodeForm(request.POST)
        if decode_form.is_valid():
            decoded = vpic.decode(decode_form.cleaned_data["vin"])
            form = VehicleForm(
                _with_decoded(request.POST, decoded), instance=Vehicle(user=request.user)
            )
        # Not saved: validating shows what is wrong with the VIN next to the field, and why it
        # cannot be decoded (none given, or an older serial number).
        form.is_valid()
        if not form.has_error("vin"):
            for error in decode_form.errors.get("vin", []):
                form.add_error("vin", error)
    elif request.method == "POST":
        if form.is_valid() and (saved := save_vehicle_form(request, form, "Added")):
            return saved
        if form.resubmission_of is not None:
            messages.info(
                request, "This vehicle was already saved a moment ago; it was not added twice."
            )
            return redirect(form.resubmission_of)
    return render(request, "vehicles/add.html", {"form": form, "decoded": decoded})


def save_vehicle_form(
    request: AuthenticatedHttpRequest, form: VehicleForm, verb: str
) -> HttpResponse | None:
    """Save the vehicle and go to its page; None, with the VIN error on the form, when the
    database refused a VIN the owner already has. An edit writes only what the owner changed;
    for a vehicle deleted meanwhile it writes nothing and goes to the list."""
    try:
        vehicle = form.save_vehicle()
    except Vehicle.DoesNotExist:
        messages.error(request, "This vehicle was deleted in the meantime.")
        return redirect("vehicles:index")
    if vehicle is None:
        return None
    messages.success(request, f"{verb} {vehicle.display_name}.")
    return redirect(vehicle)


def _with_decoded(data: QueryDict, decoded: vpic.VinDecode) -> QueryDict:
    """The posted form with the VIN normalized and the decoded make, model and year filled in;
    what the decode does not know keeps what the owner typed."""
    data = data.copy()
    data["vin"] = decoded.vin
    for name in ("make", "model", "year"):
        if value := getattr(decoded, name):
            data[name] = str(value)
    return data


@require_safe
def decode(request: AuthenticatedHttpRequest) -> JsonResponse:
    """JSON for the add page's Decode button (static/js/vehicles.js)."""
    form = DecodeForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.errors.get_json_data()}, status=400)
    decoded = vpic.decode(form.cleaned_data["vin"])
    return JsonResponse(
        {
            "vin": decoded.vin,
            "make": decoded.make,
            "model": decoded.model,
            "year": decoded.year,
            "engine_type": decoded.engine_type,
            "body_type": decoded.body_type,
            "source": decoded.source,
            "notes": list(decoded.notes),
        }
    )


@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    vehicle = Vehicle.objects.owned_or_404(request.user, pk)
    if request.method == "POST":
        vehicle.soft_delete()
        messages.success(
            request,
            f"Deleted {vehicle.display_name}. You can restore it from “Recently deleted”.",
        )
        return redirect("vehicles:index")
    return render(request, "vehicles/delete.html", {"vehicle": vehicle})


@require_safe
def deleted(request: AuthenticatedHttpRequest) -> HttpResponse:
    vehicles = Vehicle.objects.deleted_for_owner(request.user).order_by("-deleted_at")
    page_obj = Paginator(vehicles, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "vehicles/deleted.html", {"page_obj": page_obj})


@require_POST
def restore(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    vehicle = get_object_or_404(Vehicle.objects.deleted_for_owner(request.user), pk=pk)
    vehicle.restore()
    messages.success(request, f"Restored {vehicle.display_name}.")
    return redirect(vehicle)


# Odometer readings: a vehicle's list, under the vehicle, and each reading's own pages.


@require_safe
def readings(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    vehicle = Vehicle.objects.owned_or_404(request.user, pk)
    page_obj = Paginator(
        OdometerReading.objects.filter(vehicle=vehicle).newest_first(), PAGE_SIZE
    ).get_page(request.GET.get("page"))
    return render(request, "vehicles/readings.html", {"vehicle": vehicle, "page_obj": page_obj})


@require_http_methods(["GET", "POST"])
def add_reading(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    vehicle = Vehicle.objects.owned_or_404(request.user, pk)
    form = OdometerReadingForm(
        request.POST or None,
        instance=OdometerReading(vehicle=vehicle),
        initial={"date": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            reading = services.add_reading(form.save(commit=False))
        except AlreadySaved:
            messages.info(
                request, "This reading was already saved a moment ago; it was not added twice."
            )
            return redirect(_back(request, vehicle))
        except ValidationError as error:
            # A record another request saved meanwhile breaks a rule the form checked.
            form.add_rule_error(error)
        else:
            messages.success(request, f"Recorded {_reading_words(reading)}.")
            return redirect(_back(request, vehicle))
    return _reading_form(request, form, vehicle, title="Add odometer reading")


@require_http_methods(["GET", "POST"])
def edit_reading(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    reading = OdometerReading.objects.select_related("vehicle").owned_or_404(request.user, pk)
    form = OdometerReadingForm(request.POST or None, instance=reading)
    if request.method == "POST" and form.is_valid():
        try:
            reading = services.save_reading(form.save(commit=False))
        except OdometerReading.DoesNotExist:
            messages.error(request, "This reading was deleted in the meantime.")
            return redirect("vehicles:odometer", reading.vehicle_id)
        except ValidationError as error:
            form.add_rule_error(error)
        else:
            messages.success(request, f"Saved {_reading_words(reading)}.")
            return redirect(_back(request, reading.vehicle))
    return _reading_form(
        request, form, reading.vehicle, title="Edit odometer reading", reading=reading
    )


@require_http_methods(["GET", "POST"])
def delete_reading(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    reading = OdometerReading.objects.select_related("vehicle").owned_or_404(request.user, pk)
    if request.method == "POST":
        services.delete_readings([reading])
        messages.success(request, f"Deleted the reading of {l10n.day(reading.date)}.")
        return redirect(_back(request, reading.vehicle))
    return render(
        request,
        "vehicles/delete_reading.html",
        {"reading": reading, "vehicle": reading.vehicle, "next": next_url(request)},
    )


@require_safe
@replica_view
def export_readings(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> StreamingHttpResponse:
    """The vehicle's odometer readings as CSV (vehicles.exports), streamed."""
    vehicle = Vehicle.objects.owned_or_404(request.user, pk)
    name = f"motovault-odometer-{slugify(vehicle.display_name) or 'vehicle'}"
    response = StreamingHttpResponse(
        csv_lines(exports.reading_rows(request.user, vehicle=vehicle)),
        content_type="text/csv; charset=utf-8",
    )
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return response


def _back(request: AuthenticatedHttpRequest, vehicle: Vehicle) -> str:
    """The validated `next` page (the vehicle page), else the vehicle's readings."""
    return next_url(request) or reverse("vehicles:odometer", args=[vehicle.pk])


def _reading_words(reading: OdometerReading) -> str:
    """ "52,310 mi for Daily driver on May 3, 2026", in the owner's formats."""
    vehicle = reading.vehicle
    return (
        f"{l10n.number(reading.odometer_reading)} {DISTANCE_ABBREVIATIONS[vehicle.distance_unit]}"
        f" for {vehicle.display_name} on {l10n.day(reading.date)}"
    )


def _reading_form(
    request: AuthenticatedHttpRequest,
    form: OdometerReadingForm,
    vehicle: Vehicle,
    *,
    title: str,
    reading: OdometerReading | None = None,
) -> HttpResponse:
    return render(
        request,
        "vehicles/reading_form.html",
        {
            "form": form,
            "title": title,
            "vehicle": vehicle,
            "reading": reading,
            "next": next_url(request),
        },
    )
