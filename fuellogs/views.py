import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.models import User
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

from fuellogs import exports
from fuellogs.cache import cached_fill_up_count
from fuellogs.economy import (
    FIRST,
    MISSED,
    NO_DISTANCE,
    PARTIAL,
    Segment,
    closed_by,
    segment_ratios,
)
from fuellogs.forms import FilterForm, FuelLogForm
from fuellogs.models import FuelLog
from fuellogs.services import (
    add_fuel_log,
    clear_missed_previous,
    delete_fuel_logs,
    save_fuel_log,
)
from fuellogs.wording import MISSED_PREVIOUS, QUANTITY_WORDS, UNIT_WORDS
from motovault import l10n
from motovault.navigation import back_url, next_url, redirect_back
from motovault.pagecache import owner_page
from motovault.replica import replica_view
from motovault.request_types import AuthenticatedHttpRequest
from motovault.spreadsheets import csv_lines
from motovault.units import DISTANCE_ABBREVIATIONS, FUEL_ABBREVIATIONS, QUANTITY_NAMES
from stations.favorites import Suggestion, favorite_station_suggestions
from vehicles.listing import owner_vehicle_list
from vehicles.models import AlreadySaved, Vehicle

PAGE_SIZE = 25
# How many of the owner's recent station names the form suggests (after their favorites).
RECENT_STATIONS = 15


@require_safe
@owner_page
def index(request: AuthenticatedHttpRequest) -> HttpResponse:
    filters = FilterForm(request.GET or None, user=request.user)
    filters.is_valid()
    logs = filters.apply(FuelLog.objects.for_owner(request.user)).select_related("vehicle")
    paginator = Paginator(logs.newest_first(), PAGE_SIZE)
    # Whole histories are counted in the vehicles' cached statistics: a COUNT over an owner's
    # 50,000 fill-ups took 13 ms of every page view.
    whole = filters.whole_histories(owner_vehicle_list(request.user)["vehicles"])
    if whole is not None and (count := cached_fill_up_count(whole)) is not None:
        paginator.count = count
    page = paginator.get_page(request.GET.get("page"))
    # Economy needs each page row's whole segment: one query of just those segments' rows.
    ratios = segment_ratios(FuelLog.objects.economy_rows_for(page))
    selected = filters.cleaned_data.get("vehicle") if filters.is_bound else None
    listed = [selected] if selected else owner_vehicle_list(request.user)["vehicles"]
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "fuellogs/index.html",
        {
            "filters": filters,
            "page_obj": page,
            "rows": [(log, ratios.get(log.id)) for log in page],
            "headings": _headings(listed),
            "query_string": query.urlencode(),
            "filtered": any(query.values()),
            "export_query": _valid_filters(request, filters),
        },
    )


@require_http_methods(["GET", "POST"])
def add(request: AuthenticatedHttpRequest) -> HttpResponse:
    initial = {"date": timezone.localdate(), "station_name": request.GET.get("station_name", "")}
    vehicle = _owned_vehicle(
        request.user, request.POST.get("vehicle") or request.GET.get("vehicle")
    )
    if vehicle is not None:
        initial["vehicle"] = vehicle
    form = FuelLogForm(request.POST or None, initial=initial, user=request.user)
    form.set_odometer_hint(vehicle or form.preselected)
    if request.method == "POST" and form.is_valid():
        try:
            log = add_fuel_log(form.save(commit=False))
        except AlreadySaved:
            messages.info(
                request, "This fill-up was already saved a moment ago; it was not added twice."
            )
            return redirect_back(request, "fuellogs:index")
        except ValidationError as error:
            # A fill-up another request saved meanwhile breaks a rule the form checked.
            form.add_error(None, error)
        else:
            back = back_url(request, "fuellogs:index")
            messages.success(
                request,
                f"{_saved_message('Logged', log, form.computed)} {_closing_sentence(log)}",
            )
            if (flagged := FuelLog.objects.flagged_after(log)) is not None:
                messages.info(request, _clear_missed_offer(flagged, back))
            return redirect(back)
    return _form_page(request, form, title="Log fuel")


@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    log = FuelLog.objects.select_related("vehicle").owned_or_404(request.user, pk)
    form = FuelLogForm(request.POST or None, instance=log, user=request.user)
    form.set_odometer_hint(_owned_vehicle(request.user, request.POST.get("vehicle")) or log.vehicle)
    if request.method == "POST" and form.is_valid():
        try:
            log = save_fuel_log(form.save(commit=False))
        except FuelLog.DoesNotExist:
            messages.error(request, "This fill-up was deleted in the meantime.")
            return redirect("fuellogs:index")
        except ValidationError as error:
            # A fill-up another request saved meanwhile breaks a rule the form checked.
            form.add_error(None, error)
        else:
            messages.success(request, _saved_message("Saved", log, form.computed))
            return redirect_back(request, "fuellogs:index")
    return _form_page(request, form, title="Edit fill-up", log=log)


@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    log = FuelLog.objects.select_related("vehicle").owned_or_404(request.user, pk)
    if request.method == "POST":
        delete_fuel_logs([log])
        messages.success(
            request,
            f"Deleted the fill-up of {l10n.day(log.date)} for {log.vehicle.display_name}.",
        )
        return redirect_back(request, "fuellogs:index")
    return render(request, "fuellogs/delete.html", {"log": log, "next": next_url(request)})


@require_http_methods(["GET", "POST"])
def clear_missed(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    """Clear "missed the previous fill-up" on a fill-up, once the owner logged the one that was
    missing: asked on a page of its own, changed only by the owner's POST."""
    log = FuelLog.objects.select_related("vehicle").owned_or_404(request.user, pk)
    if not log.missed_previous:
        messages.info(
            request,
            f"The fill-up of {l10n.day(log.date)} does not say “{MISSED_PREVIOUS}”.",
        )
        return redirect_back(request, "fuellogs:index")
    if request.method == "POST":
        clear_missed_previous(log)
        messages.success(
            request,
            f"Cleared “{MISSED_PREVIOUS}” on the fill-up of {l10n.day(log.date)}. "
            f"{_closing_sentence(log)}",
        )
        return redirect_back(request, "fuellogs:index")
    return render(
        request,
        "fuellogs/clear_missed.html",
        {"log": log, "missed_previous": MISSED_PREVIOUS, "next": next_url(request)},
    )


@require_safe
@replica_view
def export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The owner's fill-ups as CSV (fuellogs.exports), filtered as the /fuel/ list is by the
    same query parameters; a vehicle that is not the owner's is a 404. Streamed."""
    vehicle = None
    if request.GET.get("vehicle"):
        vehicle = Vehicle.objects.owned_or_404(request.user, request.GET["vehicle"])
    filters = FilterForm(request.GET or None, user=request.user)
    # As on the list, a filter whose value is invalid is left out.
    filters.is_valid()
    values = filters.cleaned_data if filters.is_bound else {}
    name = "motovault-fuel"
    if vehicle is not None:
        name += f"-{slugify(vehicle.display_name) or 'vehicle'}"
    table = exports.rows(
        request.user,
        # Read now: the preferences are the request's, and the rows stream after it.
        regional=l10n.current(),
        vehicle=vehicle,
        date_from=values.get("date_from"),
        date_to=values.get("date_to"),
    )
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return response


def _valid_filters(request: AuthenticatedHttpRequest, filters: FilterForm) -> str:
    """The query string of the list's valid filters: the export link's, so that the file holds
    what the list shows."""
    valid = filters.cleaned_data if filters.is_bound else {}
    return urlencode({name: request.GET[name] for name in filters.fields if valid.get(name)})


def _owned_vehicle(user: User, raw_id: object) -> Vehicle | None:
    """The owner's not-deleted vehicle with this id, or None for anything else."""
    try:
        pk = uuid.UUID(str(raw_id))
    except ValueError:
        return None
    return Vehicle.objects.for_owner(user).filter(pk=pk).first()


def _headings(vehicles: list[Vehicle]) -> dict[str, object]:
    """The fuel list's column headings for the vehicles it may show. A heading names a unit
    only when all of them share it ("Gallons", "Price/L", "L/100 km"); otherwise it is generic
    and each cell names its vehicle's unit (`*_in_cells`)."""
    # An owner without vehicles reads the units their first vehicle will start with.
    fuel_units = {vehicle.fuel_unit for vehicle in vehicles} or {l10n.current().vehicle_units()[1]}
    economy_units = {l10n.economy_abbreviation(fuel_unit) for fuel_unit in fuel_units}
    shared_fuel = next(iter(fuel_units)) if len(fuel_units) == 1 else None
    shared_economy = next(iter(economy_units)) if len(economy_units) == 1 else None
    return {
        "quantity": QUANTITY_NAMES[shared_fuel] if shared_fuel else "Quantity",
        "quantity_words": QUANTITY_WORDS[shared_fuel] if shared_fuel else "quantity",
        "price": f"Price/{FUEL_ABBREVIATIONS[shared_fuel]}" if shared_fuel else "Price",
        "economy": shared_economy or "Economy",
        "fuel_in_cells": shared_fuel is None,
        "economy_in_cells": shared_economy is None,
    }


def _saved_message(verb: str, log: FuelLog, computed: str | None) -> str:
    """ "Logged 40.500 L for Golf on 29.11.2026.", in the vehicle's units, with the amount
    MotoVault computed; numbers as the pages show them (3 decimals for a quantity)."""
    fuel_unit = log.vehicle.fuel_unit
    quantity = f"{l10n.number(log.gallons, 3)} {FUEL_ABBREVIATIONS[fuel_unit]}"
    message = f"{verb} {quantity} for {log.vehicle.display_name} on {l10n.day(log.date)}."
    if computed == "total_cost" and log.total_cost is not None:
        message += f" Total cost computed: {l10n.money(log.total_cost)}."
    elif computed == "price_per_gallon" and log.price_per_gallon is not None:
        message += (
            f" Price per {UNIT_WORDS[fuel_unit]} computed: {l10n.unit_price(log.price_per_gallon)}."
        )
    elif computed == "gallons":
        message += f" {QUANTITY_NAMES[fuel_unit]} computed: {l10n.number(log.gallons, 3)}."
    return message


# Why the fill-up just saved shows no economy (fuellogs.economy.closed_by).
NO_ECONOMY = {
    PARTIAL: "No economy yet: a partial fill-up counts toward the next full tank.",
    FIRST: "No economy yet: it is measured from this full tank to the next one.",
    # The fill-up that closes the segment is the one marked: the one before it was missed.
    MISSED: (
        "No economy for this tank: the fill-up before it was missed, so the distance since"
        " the last one is unknown."
    ),
    NO_DISTANCE: "No economy for this tank: the odometer has not moved since the last one.",
}


def _closing_sentence(log: FuelLog) -> str:
    """The economy of the segment the saved `log` closes, "This fill-up closes 312 mi at 31.2
    MPG.", in the owner's unit, or why it has none yet. Two small queries."""
    closed = closed_by(FuelLog.objects.economy_rows_for([log]), log.pk)
    vehicle = log.vehicle
    if isinstance(closed, Segment):
        economy = l10n.economy_value(closed.ratio, vehicle.distance_unit, vehicle.fuel_unit)
        return (
            f"This fill-up closes {l10n.number(closed.distance)} "
            f"{DISTANCE_ABBREVIATIONS[vehicle.distance_unit]} at {l10n.number(economy, 1)} "
            f"{l10n.economy_abbreviation(vehicle.fuel_unit)}."
        )
    return NO_ECONOMY.get(closed or "", "")


def _clear_missed_offer(flagged: FuelLog, back: str) -> SafeString:
    """The offer, after logging a fill-up in the gap before `flagged`, to clear its "missed the
    previous fill-up": a link to the page that asks (clear_missed), which returns to `back`."""
    url = reverse("fuellogs:clear_missed", args=[flagged.pk])
    return format_html(
        'The fill-up of {} says “{}”: if this is that fill-up, <a href="{}?{}">clear it there</a>.',
        l10n.day(flagged.date),
        MISSED_PREVIOUS,
        url,
        urlencode({"next": back}),
    )


def _station_names(user: User) -> list[Suggestion]:
    """Suggestions for the station field: favorites first, with the prices paid there, then
    recently used names."""
    suggestions = favorite_station_suggestions(user)
    recent = (
        FuelLog.objects.for_owner(user)
        .exclude(station_name="")
        .newest_first()
        .values_list("station_name", flat=True)[: RECENT_STATIONS * 4]
    )
    seen = {suggestion.name.casefold() for suggestion in suggestions}
    added = 0
    for name in recent:
        if added == RECENT_STATIONS:
            break
        if name.casefold() not in seen:
            seen.add(name.casefold())
            suggestions.append(Suggestion(name))
            added += 1
    return suggestions


def _form_page(
    request: AuthenticatedHttpRequest,
    form: FuelLogForm,
    *,
    title: str,
    log: FuelLog | None = None,
) -> HttpResponse:
    return render(
        request,
        "fuellogs/form.html",
        {
            "form": form,
            "title": title,
            "log": log,
            "next": next_url(request),
            "station_names": _station_names(request.user),
        },
    )
