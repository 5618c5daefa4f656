import sys

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from fuellogs.cache import invalidate_vehicle_stats
from motovault import database_outage, timezones
from motovault.dashboard import dashboard_for
from motovault.forms import PreferencesForm, SignupForm
from motovault.models import Preferences
from vehicles.cache import invalidate_owner_caches


@require_GET
def dashboard(request):
    return render(request, "dashboard.html", dashboard_for(request.user))


@login_not_required
def signup(request):
    if request.user.is_authenticated:
        return redirect("dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user, backend="django.contrib.auth.backends.ModelBackend")
        messages.success(request, f"Welcome to MotoVault, {user.username}.")
        return redirect("dashboard")
    return render(request, "registration/signup.html", {"form": form})


@require_http_methods(["GET", "POST"])
def preferences(request):
    saved, _ = Preferences.objects.get_or_create(user=request.user)
    form = PreferencesForm(request.POST or None, instance=saved)
    if request.method == "POST" and form.is_valid():
        form.save()
        timezones.remember(request, saved.time_zone)
        # What was cached for this owner counted days and months from their old "today".
        invalidate_owner_caches(request.user.pk)
        invalidate_vehicle_stats(*request.user.vehicles.values_list("pk", flat=True))
        messages.success(request, "Saved your preferences.")
        return redirect("dashboard")
    return render(request, "registration/preferences.html", {"form": form})


@login_not_required
@require_GET
@never_cache
def healthz(request):
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
def server_error(request):
    """The 500 handler. It runs inside the failed request's `except` block, so it can tell a
    database outage (a temporary 503 worth retrying) from a bug."""
    # Only a lost or refused connection is an outage; other database errors are bugs.
    if isinstance(error := sys.exception(), OperationalError | InterfaceError):
        database_outage.outage.began(error)
        return database_outage.unavailable(request)
    return render(request, "500.html", status=500)
