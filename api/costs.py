"""/api/v1/costs/: a vehicle's costs that are neither fuel nor service (issue 18), read and
written as the /costs/ pages do: their form and filters (costs.forms), their services (the
vehicle lock, an odometer reading raising the vehicle's odometer, the upcoming list forgotten
so that a repeating cost's renewal moves on)."""

import datetime
import uuid
from typing import Any, cast

from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from api.auth import owner
from api.payloads import FormInvalid, errors_of, form_data, validated
from api.schemas import (
    DateIn,
    DecimalIn,
    DecimalString,
    IdIn,
    IntegerIn,
    Invalid,
    Message,
    PageQuery,
    page,
)
from costs import services
from costs.forms import CostForm, FilterForm
from costs.models import Cost
from motovault import l10n
from vehicles.models import AlreadySaved

costs = Router(tags=["costs"])


class CostOut(Schema):
    id: uuid.UUID
    vehicle_id: uuid.UUID
    distance_unit: str = Field(description="mi or km: the odometer's unit.", examples=["mi"])
    currency: str = Field(description="The amount's: your currency.", examples=["USD"])
    category: str = Field(examples=["insurance"])
    category_label: str = Field(examples=["Insurance"])
    title: str
    label: str = Field(description="The title, else the category's name.")
    date: datetime.date
    amount: DecimalString
    odometer_reading: int | None = Field(description="In the vehicle's distance unit.")
    repeat_months: int | None = Field(description="It comes back every this many months.")
    next_due: datetime.date | None = Field(
        description="A repeating cost's next payment: its date plus repeat_months. The "
        "upcoming list reminds of the latest payment of each series (vehicle, category, title)."
    )
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class CostIn(Schema):
    """`category` is registration, insurance, parking, tolls, tires, accessories, fines,
    washing or other; "other" needs a `title`."""

    vehicle: IdIn = None
    category: str | None = Field(None, examples=["insurance"])
    title: str | None = None
    date: DateIn = None
    amount: DecimalIn = None
    odometer_reading: IntegerIn = None
    repeat_months: IntegerIn = None
    notes: str | None = None


class CostPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[CostOut]


class CostFilters(Schema):
    vehicle: str | None = Field(None, description="A vehicle's id.")
    category: str | None = Field(None, description="A category, e.g. insurance.")
    date_from: str | None = Field(None, description="ISO date, inclusive.")
    date_to: str | None = Field(None, description="ISO date, inclusive.")


def cost_out(cost: Cost) -> dict[str, Any]:
    return {
        "id": cost.pk,
        "vehicle_id": cost.vehicle_id,
        "distance_unit": cost.vehicle.distance_unit,
        "currency": l10n.current().currency,
        "category": cost.category,
        "category_label": cost.get_category_display(),
        "title": cost.title,
        "label": cost.label,
        "date": cost.date,
        "amount": str(cost.amount),
        "odometer_reading": cost.odometer_reading,
        "repeat_months": cost.repeat_months,
        "next_due": cost.next_due(),
        "notes": cost.notes,
        "created_at": cost.created_at,
        "updated_at": cost.updated_at,
    }


def _one_cost(request: HttpRequest, pk: uuid.UUID) -> Cost:
    return Cost.objects.select_related("vehicle").owned_or_404(owner(request), pk)


@costs.get("/", response={200: CostPage, 400: Invalid})
def list_costs(
    request: HttpRequest, filters: Query[CostFilters], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The owner's costs, newest first, filtered as the /costs/ page is."""
    form = validated(FilterForm(request.GET, user=owner(request)))
    found = form.apply(Cost.objects.for_owner(owner(request))).select_related("vehicle")
    rows = found[paging.offset : paging.offset + paging.limit]
    return page([cost_out(cost) for cost in rows], found.count(), paging)


@costs.get("/{uuid:pk}/", response={200: CostOut, 404: Message})
def read_cost(request: HttpRequest, pk: uuid.UUID) -> dict[str, Any]:
    return cost_out(_one_cost(request, pk))


@costs.post("/", response={201: CostOut, 200: CostOut, 400: Invalid, 404: Message})
def create_cost(request: HttpRequest, payload: CostIn) -> Status:
    """Add a cost. The same cost sent twice within moments is stored once: the second answer
    is 200 with the first one."""
    data = form_data(payload.dict(exclude_unset=True))
    form = validated(CostForm(data, user=owner(request)))
    try:
        cost = services.add_cost(form.save(commit=False))
    except AlreadySaved as saved:
        return Status(200, cost_out(cast(Cost, saved.record)))
    except DjangoValidationError as error:
        # The vehicle was deleted meanwhile, in another request.
        form.add_error(None, error)
        raise FormInvalid(errors_of(form)) from None
    cost.refresh_from_db()  # the amount as stored: "612.00", not the "612" sent
    return Status(201, cost_out(cost))


@costs.patch("/{uuid:pk}/", response={200: CostOut, 400: Invalid, 404: Message})
def update_cost(request: HttpRequest, pk: uuid.UUID, payload: CostIn) -> dict[str, Any]:
    cost = _one_cost(request, pk)
    unbound = CostForm(instance=cost, user=owner(request))
    data = form_data(payload.dict(exclude_unset=True), unbound)
    form = validated(CostForm(data, instance=cost, user=owner(request)))
    try:
        services.save_cost(form.save(commit=False), fields=form.fields)
    except Cost.DoesNotExist:
        raise Http404 from None
    except DjangoValidationError as error:
        form.add_error(None, error)
        raise FormInvalid(errors_of(form)) from None
    cost.refresh_from_db()
    return cost_out(cost)


@costs.delete("/{uuid:pk}/", response={204: None, 404: Message})
def delete_cost(request: HttpRequest, pk: uuid.UUID) -> Status:
    """Deleted for good, with its attachments, as on the page. Deleting the latest payment of a
    repeating cost brings back the reminder of the one before it."""
    services.delete_cost(_one_cost(request, pk))
    return Status(204, None)
