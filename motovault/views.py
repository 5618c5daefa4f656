import sys

from django.contrib.auth.decorators import login_not_required
from django.core.cache import cache
from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from motovault.dashboard import dashboard_for


@require_GET
def dashboard(request):
    return render(request, "dashboard.html", dashboard_for(request.user))


@login_not_required
@require_GET
@never_cache
def healthz(request):
    """For load balancers and monitors: 200 while the database answers, 503 when it does not.
    The cache is reported but optional: without Redis the site runs on cache misses."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        database = "ok"
    except DatabaseError:
        database = "down"

    cache.set("healthz:probe", "ok", 10)
    cache_state = "ok" if cache.get("healthz:probe") == "ok" else "down"

    status = 200 if database == "ok" else 503
    return JsonResponse({"database": database, "cache": cache_state}, status=status)


@login_not_required
def server_error(request):
    """The 500 handler. It runs inside the failed request's `except` block, so it can tell a
    database outage (a temporary 503 worth retrying) from a bug."""
    # Only a lost or refused connection is an outage; other database errors are bugs.
    if isinstance(sys.exception(), OperationalError | InterfaceError):
        response = render(request, "503.html", status=503)
        response["Retry-After"] = "30"
        return response
    return render(request, "500.html", status=500)
