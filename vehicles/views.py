import uuid
from collections.abc import Callable

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from motovault.request_types import AuthenticatedHttpRequest
from vehicles import vpic
from vehicles.forms import DecodeForm, VehicleForm
from vehicles.listing import owner_vehicle_list
from vehicles.models import Vehicle

PAGE_SIZE = 25

# ?show= on the list page: which vehicles each choice keeps.
SHOW_FILTERS: dict[str, Callable[[Vehicle], bool]] = {
    "all": lambda vehicle: True,
    "active": lambda vehicle: vehicle.is_active,
    "inactive": lambda vehicle: not vehicle.is_active,
}


@require_GET
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


@require_GET
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


@require_GET
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
