"""/api/v1/odometer-readings/: what a vehicle's odometer showed on a day, with no fill-up or
service (issue 18), read and written as the vehicle's odometer pages do: the page's form
(vehicles.forms.OdometerReadingForm), the vehicles app's services (the vehicle lock, the
odometer order checked again inside it, the odometer raised, the projection forgotten)."""

import datetime
import uuid
from typing import Any, cast

from django import forms
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.responses import Status

from api.auth import owner
from api.payloads import FormInvalid, errors_of, form_data, validated
from api.schemas import DateIn, IdIn, IntegerIn, Invalid, Message, PageQuery, page
from fuellogs.forms import FilterForm
from maintenance.forms import VehicleChoiceField, owner_vehicles
from vehicles.forms import OdometerReadingForm
from vehicles.models import AlreadySaved, OdometerReading, Vehicle
from vehicles.services import add_reading, delete_readings, save_reading

readings = Router(tags=["odometer readings"])


class ReadingOut(Schema):
    id: uuid.UUID
    vehicle_id: uuid.UUID
    distance_unit: str = Field(description="mi or km", examples=["mi"])
    date: datetime.date
    odometer_reading: int = Field(description="In the vehicle's distance unit.")
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class ReadingIn(Schema):
    """A reading must fit the vehicle's other readings (fill-ups and services included): above
    every earlier one, below every later one. It raises the vehicle's odometer, never lowers it."""

    vehicle: IdIn = Field(None, description="One of your vehicles' ids; on create only.")
    date: DateIn = None
    odometer_reading: IntegerIn = None
    notes: str | None = None


class ReadingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[ReadingOut]


class ReadingFilters(Schema):
    vehicle: str | None = Field(None, description="A vehicle's id.")
    date_from: str | None = Field(None, description="ISO date, inclusive.")
    date_to: str | None = Field(None, description="ISO date, inclusive.")


class VehicleChoice(forms.Form):
    """The vehicle of a new reading. On the pages the address names it (the vehicle's odometer
    page); here the payload does, chosen among the owner's vehicles as every record form's is."""

    vehicle = VehicleChoiceField(queryset=Vehicle.objects.none())

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The form's copy of the field declared above.
        cast(VehicleChoiceField, self.fields["vehicle"]).queryset = owner_vehicles(user)


def reading_out(reading: OdometerReading) -> dict[str, Any]:
    return {
        "id": reading.pk,
        "vehicle_id": reading.vehicle_id,
        "distance_unit": reading.vehicle.distance_unit,
        "date": reading.date,
        "odometer_reading": reading.odometer_reading,
        "notes": reading.notes,
        "created_at": reading.created_at,
        "updated_at": reading.updated_at,
    }


def _one_reading(request: HttpRequest, pk: uuid.UUID) -> OdometerReading:
    return OdometerReading.objects.select_related("vehicle").owned_or_404(owner(request), pk)


@readings.get("/", response={200: ReadingPage, 400: Invalid})
def list_readings(
    request: HttpRequest, filters: Query[ReadingFilters], paging: Query[PageQuery]
) -> dict[str, Any]:
    """The owner's odometer readings, newest first, as a vehicle's odometer page lists them.
    The filters are the fuel page's (a vehicle, a range of dates), with its messages."""
    form = validated(FilterForm(request.GET, user=owner(request)))
    found = OdometerReading.objects.for_owner(owner(request)).select_related("vehicle")
    values = form.cleaned_data
    if values.get("vehicle"):
        found = found.filter(vehicle=values["vehicle"])
    if values.get("date_from"):
        found = found.filter(date__gte=values["date_from"])
    if values.get("date_to"):
        found = found.filter(date__lte=values["date_to"])
    rows = found.newest_first()[paging.offset : paging.offset + paging.limit]
    return page([reading_out(reading) for reading in rows], found.count(), paging)


@readings.get("/{uuid:pk}/", response={200: ReadingOut, 404: Message})
def read_reading(request: HttpRequest, pk: uuid.UUID) -> dict[str, Any]:
    return reading_out(_one_reading(request, pk))


@readings.post("/", response={201: ReadingOut, 200: ReadingOut, 400: Invalid, 404: Message})
def create_reading(request: HttpRequest, payload: ReadingIn) -> Status:
    """Record a reading. The same reading sent twice within moments is stored once: the second
    answer is 200 with the first one."""
    data = form_data(payload.dict(exclude_unset=True))
    # Two forms share the payload: each takes its own fields, and together they take them all.
    chosen = validated(VehicleChoice(data, user=owner(request)), strict=False)
    data.pop("vehicle", None)
    vehicle = chosen.cleaned_data["vehicle"]
    form = validated(OdometerReadingForm(data, instance=OdometerReading(vehicle=vehicle)))
    try:
        reading = add_reading(form.save(commit=False))
    except AlreadySaved as saved:
        return Status(200, reading_out(cast(OdometerReading, saved.record)))
    except DjangoValidationError as error:
        # A record another request saved meanwhile breaks a rule the form checked.
        form.add_rule_error(error)
        raise FormInvalid(errors_of(form)) from None
    return Status(201, reading_out(reading))


@readings.patch("/{uuid:pk}/", response={200: ReadingOut, 400: Invalid, 404: Message})
def update_reading(request: HttpRequest, pk: uuid.UUID, payload: ReadingIn) -> dict[str, Any]:
    """Change its date, odometer or notes; a reading stays with its vehicle, as on the page."""
    reading = _one_reading(request, pk)
    changes = payload.dict(exclude_unset=True, exclude={"vehicle"})
    data = form_data(changes, OdometerReadingForm(instance=reading))
    form = validated(OdometerReadingForm(data, instance=reading))
    try:
        reading = save_reading(form.save(commit=False))
    except OdometerReading.DoesNotExist:
        raise Http404 from None
    except DjangoValidationError as error:
        form.add_rule_error(error)
        raise FormInvalid(errors_of(form)) from None
    return reading_out(reading)


@readings.delete("/{uuid:pk}/", response={204: None, 404: Message})
def delete_reading(request: HttpRequest, pk: uuid.UUID) -> Status:
    """The vehicle's odometer stays where it is, as on the page."""
    delete_readings([_one_reading(request, pk)])
    return Status(204, None)
