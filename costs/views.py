import uuid
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.views.decorators.http import require_http_methods, require_safe

from costs import exports, services
from costs.forms import CostForm, FilterForm, prefill
from costs.models import Cost
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
    filters = FilterForm(request.GET, user=request.user)
    costs = filters.apply(Cost.objects.for_owner(request.user))
    page = Paginator(costs.select_related("vehicle"), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "costs/index.html",
        {
            "filters": filters,
            "page_obj": page,
            # Of every cost the filters let through, not just this page's.
            "total": costs.aggregate(total=Sum("amount"))["total"] if page.object_list else None,
            "query_string": query.urlencode(),
            "filtered": any(query.values()),
            "export_query": _valid_filters(request, filters),
        },
    )


@require_http_methods(["GET", "POST"])
def add(request: AuthenticatedHttpRequest) -> HttpResponse:
    form = CostForm(request.POST or None, initial=prefill(request.GET), user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            cost = services.add_cost(form.save(commit=False))
        except AlreadySaved:
            messages.info(
                request, "This cost was already saved a moment ago; it was not added twice."
            )
            return redirect_back(request, "costs:index")
        except ValidationError as error:
            # The vehicle was deleted meanwhile, in another request.
            form.add_error(None, error)
        else:
            messages.success(request, _saved_message(cost))
            return redirect_back(request, "costs:index")
    return render(request, "costs/form.html", {"form": form, "next": next_url(request)})


@require_http_methods(["GET", "POST"])
def edit(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    cost = Cost.objects.select_related("vehicle").owned_or_404(request.user, pk)
    form = CostForm(request.POST or None, instance=cost, user=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            services.save_cost(form.save(commit=False), fields=form.fields)
        except Cost.DoesNotExist:
            messages.error(request, "This cost was deleted in the meantime.")
            return redirect("costs:index")
        except ValidationError as error:
            # The vehicle was deleted meanwhile, in another request.
            form.add_error(None, error)
        else:
            messages.success(request, f"{cost.label} of {l10n.day(cost.date)} saved.")
            return redirect_back(request, "costs:index")
    return render(
        request, "costs/form.html", {"form": form, "cost": cost, "next": next_url(request)}
    )


@require_http_methods(["GET", "POST"])
def delete(request: AuthenticatedHttpRequest, pk: uuid.UUID) -> HttpResponse:
    cost = Cost.objects.select_related("vehicle").owned_or_404(request.user, pk)
    if request.method == "POST":
        services.delete_cost(cost)
        messages.success(request, f"Deleted {cost.label} of {l10n.day(cost.date)}.")
        return redirect_back(request, "costs:index")
    return render(request, "costs/delete.html", {"cost": cost, "next": next_url(request)})


@require_safe
@replica_view
def export(request: AuthenticatedHttpRequest) -> StreamingHttpResponse:
    """The owner's costs as CSV (costs.exports), filtered as the /costs/ list is by the same
    query parameters; a vehicle that is not the owner's is a 404. Streamed."""
    vehicle = None
    if request.GET.get("vehicle"):
        vehicle = Vehicle.objects.owned_or_404(request.user, request.GET["vehicle"])
    filters = FilterForm(request.GET, user=request.user)
    costs = filters.apply(Cost.objects.for_owner(request.user))
    name = "motovault-costs"
    if vehicle is not None:
        name += f"-{slugify(vehicle.display_name) or 'vehicle'}"
    # The currency is read now: the preferences are the request's, and the rows stream after it.
    table = exports.rows(costs, currency=l10n.current().currency)
    response = StreamingHttpResponse(csv_lines(table), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'
    )
    return response


def _valid_filters(request: AuthenticatedHttpRequest, filters: FilterForm) -> str:
    """The query string of the list's valid filters: the export link's, so that the file holds
    what the list shows."""
    valid = filters.cleaned_data
    return urlencode({name: request.GET[name] for name in filters.fields if valid.get(name)})


def _saved_message(cost: Cost) -> str:
    """ "Insurance of 1 Mar 2026 saved for Golf: 612.00 €. Next payment due 1 Mar 2027." """
    message = (
        f"{cost.label} of {l10n.day(cost.date)} saved for {cost.vehicle.display_name}: "
        f"{l10n.money(cost.amount)}."
    )
    if (due := cost.next_due()) is not None:
        message += f" You will be reminded of the next payment, due {l10n.day(due)}."
    return message
