import sys
import uuid

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from accounts.forms import DeleteAccountForm
from fuellogs.panels import vehicle_fuel_panel
from maintenance.panels import vehicle_maintenance_panel
from motovault import database_outage
from motovault.dashboard import dashboard_for
from motovault.erase import delete_account as erase_account
from motovault.request_types import AuthenticatedHttpRequest
from vehicles.models import Vehicle, VinCache


@require_GET
def dashboard(request: AuthenticatedHttpRequest) -> HttpResponse:
    return render(request, "dashboard.html", dashboard_for(request.user))


@require_GET
def vehicle(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    """The vehicle page: its details and decoded specs, with the fuel and maintenance panels."""
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
        },
    )


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
@require_GET
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
