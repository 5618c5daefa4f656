import sys
import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import DatabaseError, IntegrityError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_safe

from accounts.forms import DeleteAccountForm
from costs.panels import vehicle_costs_panel
from fuellogs.panels import vehicle_fuel_panel
from maintenance.panels import vehicle_maintenance_panel
from motovault import database_outage, unit_change
from motovault.dashboard import dashboard_for
from motovault.erase import delete_account as erase_account
from motovault.ownership_cost import vehicle_ownership_panel
from motovault.pagecache import owner_page
from motovault.request_types import AuthenticatedHttpRequest
from recalls.panels import vehicle_recalls_panel
from vehicles.forms import VehicleForm
from vehicles.models import Vehicle, VinCache
from vehicles.panels import vehicle_odometer_panel
from vehicles.views import save_vehicle_form


@require_safe
@owner_page
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "dashboard.html", dashboard_for(request.user))


@require_safe
@owner_page
def vehicle(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The vehicle page: its details and decoded specs, with the fuel, maintenance and recalls
    panels (the recalls stored by refresh_recalls: the page never waits for NHTSA) and its cost
    of ownership."""
    vehicle = Vehicle.objects.owned_or_404(request.user, pk)
    return render(
        request,
        "vehicle.html",
        {
            "vehicle": vehicle,
            # Only a 17-character VIN was ever decoded; a serial or no VIN has no specs.
            "specs": VinCache.objects.filter(vin=vehicle.vin).first()
            if vehicle.has_modern_vin
            else None,
            "fuel": vehicle_fuel_panel(vehicle),
            "maintenance": vehicle_maintenance_panel(vehicle),
            "odometer": vehicle_odometer_panel(vehicle),
            "costs": vehicle_costs_panel(vehicle),
            "recalls": vehicle_recalls_panel(vehicle),
            "ownership": vehicle_ownership_panel(vehicle),
        },
    )


@require_http_methods(["GET", "POST"])
def edit_vehicle(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Edit a vehicle. A change of its units converts its numbers (motovault.unit_change): with
    fill-ups or services, only once the owner has read what it does and confirmed (a post with
    `confirm` that carries the edit's values again)."""
    vehicle = Vehicle.objects.owned_or_404(request.user, pk)
    source = (vehicle.distance_unit, vehicle.fuel_unit)
    confirmed = request.POST.get("confirm")
    if confirmed and (request.POST.get("from_distance"), request.POST.get("from_fuel")) != source:
        # Confirmed twice (a double-click), or the units changed since the page was shown: its
        # odometer is in units the vehicle no longer has. Nothing is saved.
        messages.info(
            request,
            f"The units of {vehicle.display_name} changed since you confirmed: nothing was "
            "saved again.",
        )
        return redirect(vehicle)
    form = VehicleForm(request.POST or None, instance=vehicle)
    if request.method == "POST" and form.is_valid():
        if not form.units_changed:
            if saved := save_vehicle_form(request, form, "Saved"):
                return saved
        else:
            change = unit_change.plan(
                vehicle, source=source, odometer=form.cleaned_data["odometer_reading"]
            )
            for name, problems in change.errors.items():
                for problem in problems:
                    form.add_error(name, problem)
            if not change.errors:
                if change.has_history and not confirmed:
                    return render(
                        request,
                        "vehicle_units.html",
                        {"form": form, "vehicle": vehicle, "change": change},
                    )
                if saved := _change_units(request, form, change):
                    return saved
    return render(request, "vehicles/edit.html", {"form": form, "vehicle": vehicle})


def _change_units(
    request: AuthenticatedHttpRequest, form: VehicleForm, change: unit_change.UnitChange
) -> HttpResponse | None:
    """Save the edit and convert the vehicle's numbers; None, with the errors on the form, when
    the database or a change made meanwhile refused it."""
    vehicle = form.instance
    try:
        if not unit_change.change_units(vehicle, form.changed_data, source=change.source_units):
            messages.error(request, "This vehicle was deleted in the meantime.")
            return redirect("vehicles:index")
    except ValidationError as error:
        for name, problems in error.message_dict.items():
            for problem in problems:
                form.add_error(name if name in form.fields else None, problem)
        return None
    except IntegrityError:
        form.add_error("vin", "You already have a vehicle with this VIN.")
        return None
    distance, fuel = change.target_names
    messages.success(
        request,
        f"Saved {vehicle.display_name}: its numbers are now in {distance} and {fuel}.",
    )
    return redirect(vehicle)


@require_http_methods(["GET", "POST"])
def delete_account(request: AuthenticatedHttpRequest) -> HttpResponse:
    """Delete the account and every row the owner has in every app, after a typed confirmation."""
    form = DeleteAccountForm(request.POST or None, request=request)
    if request.method == "POST" and form.is_valid():
        username = request.user.get_username()
        erase_account(request.user)
        logout(request)
        messages.success(request, f"The account {username} and everything in it are deleted.")
        return redirect("login")
    return render(request, "accounts/delete.html", {"form": form})


@login_not_required
@require_safe
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and monitors: 200 while the database answers, 503 when it does not.
    The cache is reported but optional: without Redis the site runs on cache misses."""
    database = "down"
    # While an outage is known, don't wait the pool's timeout again: monitors poll often.
    if not database_outage.outage.is_down():
        try:
            with connection.cursor() as cursor:
                cursor.execute("SELECT 1")
            database = "ok"
        except DatabaseError as error:
            database_outage.outage.began(error)

    cache.set("healthz:probe", "ok", 10)
    cache_state = "ok" if cache.get("healthz:probe") == "ok" else "down"

    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database, "cache": cache_state}, status=status)


@login_not_required
def server_error(request: HttpRequest) -> HttpResponse:
    """The 500 handler. It runs inside the failed request's `except` block, so it can tell a
    database outage (a temporary 503 worth retrying) from a bug."""
    # Only a lost or refused connection is an outage; other database errors are bugs.
    if isinstance(error := sys.exception(), OperationalError | InterfaceError):
        database_outage.outage.began(error)
        return database_outage.unavailable(request)
    return render(request, "500.html", status=500)
