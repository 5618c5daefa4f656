import uuid
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from maintenance import exports, projection, services
from maintenance.forms import CompleteForm, FilterForm, RecordForm
from maintenance.models import MaintenanceRecord, attach_driving, distance_text
from maintenance.upcoming import due_soon_distances, upcoming_for
from motovault import l10n
from motovault.navigation import next_url, redirect_back
from motovault.pagecache import owner_page
from motovault.replica import replica_view
from motovault.request_types import AuthenticatedHttpRequest
from motovault.spreadsheets import csv_lines
from vehicles.models import AlreadySaved, Vehicle

PAGE_SIZE = 25


@require_safe
@owner_page
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    today = timezone.localdate()
    filters = FilterForm(request.GET, user=request.user)
    # The owner's recent driving, for dates projected from it (one query).
    spans = projection.spans_for(request.user.pk, today)
    by_driving = projection.soon_distances(spans, settings.MAINTENANCE_DUE_SOON_DAYS)
    records = filters.apply(
        MaintenanceRecord.objects.for_owner(request.user).select_related("vehicle"),
        today,
        by_driving,
    ).in_list_order(today, by_driving)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    attach_driving(page, spans, today)
    rows = [(record, record.due(today)) for record in page]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "maintenance/index.html",
        {
            "filters": filters,
            "page_obj": page,
            "rows": rows,
            "query_string": query.urlencode(),
            "filtered": any(request.GET.get(name) for name in ("vehicle", "type", "status")),
            "export_vehicle": filters.cleaned_data.get("vehicle"),
            "export_query": _valid_filters(request, filters),
            "upcoming_count": len(upcoming_for(request.user)),
        },
    )


@require_safe
@owner_page
def upcoming(request: AuthenticatedHttpRequest) -> HttpResponse:
    # The cached list is paged in memory: no query, however long it is.
    page = Paginator(upcoming_for(request.user), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "maintenance/upcoming.html",
        {
            "page_obj": page,
            "items": page.object_list,
            "due_soon_days": settings.MAINTENANCE_DUE_SOON_DAYS,
            # Only an empty list says how near "due soon" is: one query, for that page alone.
            "due_soon_distances": None if page.object_list else due_soon_distances(request.user),
        },
    )


@require_http_methods(["GET", "POST"])
def add(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {"vehicle": request.GET.get("vehicle")}
    form = RecordForm(request.POST or None, initial=initial, user=request.user)
    if request.method == "POST" and form.is_valid():
        record = form.save(commit=False)
        try:
            next_record = services.add_record(record)
        except AlreadySaved:
            messages.info(
                request, "This service was already saved a moment ago; it was not added twice."
            )
            return redirect_back(request, "maintenance:index")
        except ValidationError as error:
            # The vehicle was deleted meanwhile, in another request.
            form.add_error(None, error)
        else:
            if record.is_completed:
                messages.success(request, f"{record.title} logged for {record.vehicle}.")
            else:
                messages.success(request, f"{record.title} scheduled for {record.vehicle}.")
            if next_record is not None:
                messages.info(request, _next_message(next_record))
            return redirect_back(request, "maintenance:index")
    return render(request, "maintenance/form.html", {"form": form, "next": next_url(request)})


@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    record = MaintenanceRecord.objects.select_related("vehicle").owned_or_404(request.user, pk)
    form = RecordForm(request.POST or None, instance=record, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_record(form.save(commit=False), fields=form.fields)
        except MaintenanceRecord.DoesNotExist:
            messages.error(request, "This service was deleted in the meantime.")
            return redirect("maintenance:index")
        except ValidationError as error:
            # The vehicle was deleted meanwhile, in another request.
            form.add_error(None, error)
        else:
            messages.success(request, f"{record.title} saved.")
            return redirect_back(request, "maintenance:index")
    return render(
        request,
        "maintenance/form.html",
        {"form": form, "record": record, "next": next_url(request)},
    )


@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    record = MaintenanceRecord.objects.select_related("vehicle").owned_or_404(request.user, pk)
    if request.method == "POST":
        services.delete_record(record)
        messages.success(request, f"{record.title} deleted.")
        return redirect_back(request, "maintenance:index")
    return render(
        request,
        "maintenance/delete.html",
        {"record": record, "next": next_url(request)},
    )


@require_http_methods(["GET", "POST"])
def complete(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    record = MaintenanceRecord.objects.select_related("vehicle").owned_or_404(request.user, pk)
    if record.is_completed:
        messages.info(request, f"{record.title} is already marked complete.")
        return redirect("maintenance:index")
    form = CompleteForm(
        request.POST or None,
        vehicle=record.vehicle,
        initial={"completed_mileage": record.vehicle.odometer_reading},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            next_record = services.complete(
                record,
                date=data["completed_date"],
                mileage=data["completed_mileage"],
                cost=data["cost"],
                location=data["service_location"],
            )
        except services.AlreadyCompleted:
            messages.info(request, f"{record.title} is already marked complete.")
            return redirect("maintenance:index")
        except MaintenanceRecord.DoesNotExist:
            messages.error(request, "This service was deleted in the meantime.")
            return redirect("maintenance:index")
        if next_record is None:
            messages.success(request, f"{record.title} marked complete.")
        else:
            # The next one is rarely due soon: the upcoming list the owner may return to does
            # not show it, so the message says when it is due and links to it.
            messages.success(
                request, format_html("{} done. {}", record.title, _next_message(next_record))
            )
        return redirect_back(request, "maintenance:index")
    return render(
        request,
        "maintenance/complete.html",
        {"form": form, "record": record, "next": next_url(request)},
    )


@require_safe
@replica_view
def export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The owner's records as CSV (maintenance.exports), filtered and ordered as the
    /maintenance/ list is by the same query parameters; a vehicle that is not the owner's is a
    404. Streamed."""
    vehicle = None
    if request.GET.get("vehicle"):
        vehicle = Vehicle.objects.owned_or_404(request.user, request.GET["vehicle"])
    today = timezone.localdate()
    spans = projection.spans_for(request.user.pk, today)
    by_driving = projection.soon_distances(spans, settings.MAINTENANCE_DUE_SOON_DAYS)
    filters = FilterForm(request.GET, user=request.user)
    records = filters.apply(MaintenanceRecord.objects.for_owner(request.user), today, by_driving)
    table = exports.rows(
        # Read now: the preferences are the request's, and the rows stream after it.
        records.in_list_order(today, by_driving),
        today=today,
        regional=l10n.current(),
        spans=spans,
    )
    name = "motovault-maintenance"
    if vehicle is not None:
        name += f"-{slugify(vehicle.display_name) or 'vehicle'}"
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}-{today:%Y-%m-%d}.csv"'
    return response


def _valid_filters(request: AuthenticatedHttpRequest, filters: FilterForm) -> str:
    """The query string of the list's valid filters: the export link's, so that the file holds
    what the list shows."""
    valid = filters.cleaned_data
    return urlencode({name: request.GET[name] for name in filters.fields if valid.get(name)})


def _next_message(next_record: MaintenanceRecord) -> SafeString:
    """ "Next one due May 12, 2027 or at 55,000 miles, whichever comes first: see it in your
    records.", the link going to the vehicle's records of that service, the new one marked."""
    due = []
    if next_record.due_date:
        due.append(l10n.day(next_record.due_date))
    if next_record.due_mileage:
        due.append(
            f"at {distance_text(next_record.due_mileage, next_record.vehicle.distance_unit)}"
        )
    first = ", whichever comes first" if len(due) == 2 else ""
    query = urlencode({"vehicle": next_record.vehicle_id, "type": next_record.type})
    return format_html(
        'Next one due {}{}: <a href="{}?{}#record-{}">see it in your records</a>.',
        " or ".join(due),
        first,
        reverse("maintenance:index"),
        query,
        next_record.pk,
    )
