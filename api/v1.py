"""/api/v1/: the owner's vehicles, fill-ups, maintenance, odometer readings, other costs and
saved stations (readings and costs in api.readings and api.costs), the upcoming services and
renewals, a vehicle's statistics and VIN decoding, for scripts, phones and home dashboards.

Each operation reads top to bottom as a page's view does: the owner-scoped fetch (another
owner's object is a 404, as on the pages), the page's form bound with the JSON (api.payloads),
the same service the page calls, and the answer as JSON. Lists are paged by `limit` (25 unless
given, at most 100) and `offset`, and say their `count`."""

import uuid
from decimal import Decimal
from typing import Any, NoReturn, cast

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.utils import timezone
from ninja import NinjaAPI, Query, Router
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as SchemaInvalid
from ninja.openapi.schema import OpenAPISchema
from ninja.responses import Status

from api import schemas
from api.auth import OwnerSession, PerToken, TokenAuth, owner
from api.costs import costs
from api.payloads import FormInvalid, errors_of, form_data, validated
from api.readings import readings
from api.schemas import decimal_string, page
from fuellogs.cache import stats_for_vehicle
from fuellogs.forms import FilterForm as FuelFilterForm
from fuellogs.forms import FuelLogForm
from fuellogs.models import FuelLog
from fuellogs.services import add_fuel_log, delete_fuel_logs, save_fuel_log
from maintenance import projection, services
from maintenance.forms import CompleteForm, RecordForm
from maintenance.forms import FilterForm as MaintenanceFilterForm
from maintenance.models import MaintenanceRecord, attach_driving
from maintenance.upcoming import upcoming_for
from motovault import l10n
from motovault.ownership_cost import CENT, OwnershipCost, vehicle_ownership_panel
from motovault.units import PRICE_PLACES
from stations.forms import FavoriteNoteForm, StationForm
from stations.models import FavoriteStation, Station
from vehicles import vpic
from vehicles.forms import DecodeForm, VehicleForm
from vehicles.models import AlreadySaved, Vehicle


def _refusal(description: str) -> dict[str, Any]:
    return {
        "description": description,
        "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Message"}}},
    }


# What any operation may answer before it runs (api.auth), which django-ninja does not describe.
READ_REFUSALS = {
    "401": _refusal("No token, or one that is wrong or revoked."),
    "429": {
        **_refusal("Too many requests from this token in this minute."),
        "headers": {
            "Retry-After": {
                "description": "Seconds until the next minute, when the count starts again.",
                "schema": {"type": "integer"},
            }
        },
    },
}
WRITE_REFUSALS = {
    **READ_REFUSALS,
    "403": _refusal("A read-only token, or a signed-in session's write without its CSRF token."),
}


class MotoVaultApi(NinjaAPI):
    """django-ninja's API, whose description also states each operation's refusals."""

    def get_openapi_schema(self, **kwargs: Any) -> OpenAPISchema:
        schema = super().get_openapi_schema(**kwargs)
        for operations in schema["paths"].values():
            for method, operation in operations.items():
                refusals = READ_REFUSALS if method == "get" else WRITE_REFUSALS
                operation["responses"].update(refusals)
        return schema


api = MotoVaultApi(
    title="MotoVault API",
    version="1",
    description=(
        "Your vehicles, fill-ups, maintenance, odometer readings, other costs and saved "
        "stations. Send a personal access token (made on your account page) as "
        "`Authorization: Bearer <token>`. Amounts are decimal strings, dates ISO 8601, and "
        "every record states its vehicle's units. See docs/api.md."
    ),
    urls_namespace="api",
    auth=[TokenAuth(), OwnerSession()],
    throttle=PerToken(),
)

NOT_FOUND = {404: schemas.Message}
# A field that takes a number or a string holding one, sent an array, an object or true.
WRONG_TYPE = "Send a number, or a string that holds one."
# Pydantic's words for a misspelt field and a body that is no object, said as MotoVault does.
OUR_WORDING = {
    "extra_forbidden": "MotoVault knows no such field.",
    "model_attributes_type": "Send a JSON object of the fields.",
}
INVALID = {400: schemas.Invalid, 404: schemas.Message}


@api.exception_handler(FormInvalid)
def form_invalid(request: HttpRequest, error: FormInvalid) -> HttpResponse:
    return api.create_response(
        request, {"detail": "The request was not valid.", "errors": error.errors}, status=400
    )


@api.exception_handler(SchemaInvalid)
def schema_invalid(request: HttpRequest, error: SchemaInvalid) -> HttpResponse:
    """A body that is not a JSON object, a field the API does not take, or a value of the
    wrong JSON type: a 400 in the same shape, under the field's name. Where the problem is
    (pydantic's `loc`): "body", "query" or "path", for the body its parameter ("payload"),
    then the field, then for a value that fits none of a field's types, each type tried."""
    errors: dict[str, list[str]] = {}
    for problem in error.errors:
        where = [str(part) for part in problem.get("loc", ())][1:]
        if where[:1] == ["payload"]:
            where = where[1:]
        message = OUR_WORDING.get(
            problem["type"], problem["msg"] if len(where) <= 1 else WRONG_TYPE
        )
        messages = errors.setdefault(where[0] if where else "__all__", [])
        if message not in messages:
            messages.append(message)
    return api.create_response(
        request, {"detail": "The request was not valid.", "errors": errors}, status=400
    )


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return api.create_response(request, {"detail": "Not found."}, status=404)


@api.exception_handler(AuthenticationError)
def unauthorized(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Send a working token: Authorization: Bearer <token>."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="MotoVault"'
    return response


# Vehicles

vehicles = Router(tags=["vehicles"])


def vehicle_out(vehicle: Vehicle) -> dict[str, Any]:
    fields = set(schemas.VehicleOut.model_fields) - {"currency"}
    out = {name: getattr(vehicle, name) for name in fields}
    # Prices are decimal strings, as every amount, in the owner's currency; to the cent, as
    # stored, also when the form's value was typed without cents.
    out.update(
        currency=l10n.current().currency,
        purchase_price=_cents(vehicle.purchase_price),
        sold_price=_cents(vehicle.sold_price),
    )
    return out


def _cents(amount: Decimal | None) -> str | None:
    return None if amount is None else str(amount.quantize(CENT))


@vehicles.get("/", response=schemas.VehiclePage)
def list_vehicles(request: HttpRequest, paging: Query[schemas.PageQuery]) -> dict[str, Any]:
    """The owner's vehicles (not the deleted ones), active first, then by name."""
    found = Vehicle.objects.for_owner(owner(request)).order_by("-is_active", "nickname", "pk")
    rows = found[paging.offset : paging.offset + paging.limit]
    return page([vehicle_out(v) for v in rows], found.count(), paging)


@vehicles.get("/{uuid:pk}/", response={200: schemas.VehicleOut, **NOT_FOUND})
def read_vehicle(request: HttpRequest, pk: uuid.UUID) -> dict[str, Any]:
    return vehicle_out(Vehicle.objects.owned_or_404(owner(request), pk))


@vehicles.post("/", response={201: schemas.VehicleOut, **INVALID})
def create_vehicle(request: HttpRequest, payload: schemas.VehicleIn) -> Status:
    data = form_data(payload.dict(exclude_unset=True))
    form = validated(VehicleForm(data, instance=Vehicle(user=owner(request))))
    if form.resubmission_of is not None:
        return Status(201, vehicle_out(form.resubmission_of))
    vehicle = form.save_vehicle()
    if vehicle is None:
        raise FormInvalid(errors_of(form))
    return Status(201, vehicle_out(vehicle))


@vehicles.patch("/{uuid:pk}/", response={200: schemas.VehicleOut, **INVALID})
def update_vehicle(request: HttpRequest, pk: uuid.UUID, payload: schemas.VehicleIn) -> Any:
    """Change what the payload names. A change of units is made on the vehicle's edit page,
    which shows what converting its numbers does first."""
    vehicle = Vehicle.objects.owned_or_404(owner(request), pk)
    data = form_data(payload.dict(exclude_unset=True), VehicleForm(instance=vehicle))
    form = validated(VehicleForm(data, instance=vehicle))
    if form.units_changed:
        raise FormInvalid(
            {"distance_unit": ["Change a vehicle's units on its edit page, in MotoVault."]}
        )
    try:
        saved = form.save_vehicle()
    except Vehicle.DoesNotExist:
        raise Http404 from None
    if saved is None:
        raise FormInvalid(errors_of(form))
    return vehicle_out(saved)


@vehicles.delete("/{uuid:pk}/", response={204: None, **NOT_FOUND})
def delete_vehicle(request: HttpRequest, pk: uuid.UUID) -> Status:
    """Deleted as on the page: it can be restored from "Recently deleted" there."""
    Vehicle.objects.owned_or_404(owner(request), pk).soft_delete()
    return Status(204, None)


@vehicles.get("/{uuid:pk}/stats/", response={200: schemas.FuelStatsOut, **NOT_FOUND})
def vehicle_stats(request: HttpRequest, pk: uuid.UUID) -> dict[str, Any]:
    """The figures of the vehicle page: its fuel (fuellogs' cached statistics) and its cost of
    ownership (motovault.ownership_cost)."""
    vehicle = Vehicle.objects.owned_or_404(owner(request), pk)
    stats = stats_for_vehicle(vehicle, today=timezone.localdate())

    def economy(ratio: Any) -> str | None:
        if ratio is None:
            return None
        value = l10n.economy_value(ratio, vehicle.distance_unit, vehicle.fuel_unit)
        return str(value.quantize(ECONOMY_PLACES))

    return {
        "vehicle_id": vehicle.pk,
        "distance_unit": vehicle.distance_unit,
        "fuel_unit": vehicle.fuel_unit,
        "economy_unit": l10n.economy_abbreviation(vehicle.fuel_unit),
        "currency": l10n.current().currency,
        "fill_ups": stats.fill_ups,
        "last_fill_up": stats.last_fill_up,
        "average_economy": economy(stats.average_economy),
        "last_economy": economy(stats.last_economy),
        "best_economy": economy(stats.best_economy),
        "worst_economy": economy(stats.worst_economy),
        "total_spent": _as_stored(stats.total_spent, "total_cost"),
        "total_quantity": _as_stored(stats.total_quantity, "gallons"),
        "distance": stats.distance,
        "cost_per_distance": _price(stats.cost_per_distance),
        "average_price_per_unit": _price(stats.average_price_per_unit),
        "spent_per_month": [
            (month, _as_stored(amount, "total_cost")) for month, amount in stats.monthly_spending
        ],
        "ownership": ownership_out(vehicle_ownership_panel(vehicle)["cost"]),
    }


def ownership_out(cost: OwnershipCost) -> dict[str, Any]:
    """The figures to the cent (SQLite sums lose the cents' places), per distance to the tenth
    of a cent, as the vehicle page shows them."""
    return {
        "start": cost.start,
        "end": cost.end,
        "distance": cost.distance,
        "total": _cents(cost.total),
        "per_year": _cents(cost.per_year),
        "per_distance": decimal_string(cost.per_distance),
        "fuel": _cents(cost.fuel),
        "maintenance": _cents(cost.maintenance),
        "other": _cents(cost.other),
        "other_by_category": [(name, _cents(amount)) for name, amount in cost.other_by_category],
        "depreciation": _cents(cost.depreciation),
    }


# Economy to a tenth, as the vehicle page shows it.
ECONOMY_PLACES = Decimal("0.1")


def _as_stored(total: Decimal, field: str) -> str:
    """A sum of a fill-up field in that field's decimal places, as each fill-up states it:
    "0.00", not "0"."""
    column = cast(models.DecimalField, FuelLog._meta.get_field(field))
    return str(total.quantize(Decimal(1).scaleb(-column.decimal_places)))


def _price(value: Decimal | None) -> str | None:
    """A price per unit or per distance, to the tenth of a cent the pages show."""
    return None if value is None else str(value.quantize(PRICE_PLACES))


vin = Router(tags=["vehicles"])


@vin.get("/{vin}/", response={200: schemas.VinDecodeOut, **INVALID})
def decode_vin(request: HttpRequest, vin: str) -> dict[str, Any]:
    """Decode a VIN as the add-vehicle page's Decode button does: from the cache, vPIC, or,
    when vPIC cannot be reached, what the VIN itself encodes (`source` says which)."""
    form = validated(DecodeForm({"vin": vin}))
    decoded = vpic.decode(form.cleaned_data["vin"])
    return {
        "vin": decoded.vin,
        "make": decoded.make,
        "model": decoded.model,
        "year": decoded.year,
        "engine_type": decoded.engine_type,
        "body_type": decoded.body_type,
        "source": decoded.source,
        "notes": list(decoded.notes),
    }


# Fuel logs

fuel_logs = Router(tags=["fuel logs"])


def fuel_log_out(log: FuelLog) -> dict[str, Any]:
    return {
        "id": log.pk,
        "vehicle_id": log.vehicle_id,
        "distance_unit": log.vehicle.distance_unit,
        "fuel_unit": log.vehicle.fuel_unit,
        "date": log.date,
        "odometer_reading": log.odometer_reading,
        "gallons": str(log.gallons),
        "price_per_gallon": decimal_string(log.price_per_gallon),
        "total_cost": decimal_string(log.total_cost),
        "computed_amount": log.computed_amount,
        "is_full_tank": log.is_full_tank,
        "missed_previous": log.missed_previous,
        "station_name": log.station_name,
        "station_id": log.station_id,
        "notes": log.notes,
        "created_at": log.created_at,
        "updated_at": log.updated_at,
    }


def _filters[F: FuelFilterForm | MaintenanceFilterForm](form: F) -> F:
    """The pages' filter form, valid: a filter the page would ignore is a 400 here. Other
    parameters (limit, offset) are not the form's."""
    return validated(form, strict=False)


def _worded(form: FuelLogForm, data: dict[str, Any], *, fallback: Vehicle | None) -> FuelLogForm:
    """The form, valid, its messages worded in the chosen vehicle's units as the page words
    them (fuellogs.views: "Enter the gallons with at most 3 decimal places.")."""
    # The owner's vehicles, loaded by the form already: no query.
    chosen = next(
        (v for v in form.fields["vehicle"].queryset if str(v.pk) == str(data.get("vehicle"))),  # type: ignore[attr-defined]
        None,
    )
    form.set_odometer_hint(chosen or fallback or form.preselected)
    return validated(form)


@fuel_logs.get("/", response={200: schemas.FuelLogPage, 400: schemas.Invalid})
def list_fuel_logs(
    request: HttpRequest,
    filters: Query[schemas.FuelLogFilters],
    paging: Query[schemas.PageQuery],
) -> dict[str, Any]:
    """The owner's fill-ups, newest first, filtered as the fuel page is."""
    form = _filters(FuelFilterForm(request.GET, user=owner(request)))
    logs = form.apply(FuelLog.objects.for_owner(owner(request))).select_related("vehicle")
    rows = logs.newest_first()[paging.offset : paging.offset + paging.limit]
    return page([fuel_log_out(log) for log in rows], logs.count(), paging)


@fuel_logs.get("/{uuid:pk}/", response={200: schemas.FuelLogOut, **NOT_FOUND})
def read_fuel_log(request: HttpRequest, pk: uuid.UUID) -> dict[str, Any]:
    return fuel_log_out(FuelLog.objects.select_related("vehicle").owned_or_404(owner(request), pk))


@fuel_logs.post("/", response={201: schemas.FuelLogOut, 200: schemas.FuelLogOut, **INVALID})
def create_fuel_log(request: HttpRequest, payload: schemas.FuelLogIn) -> Status:
    """Log a fill-up. The same fill-up sent twice within moments is stored once: the second
    answer is 200 with the first one."""
    data = form_data(payload.dict(exclude_unset=True))
    if "is_full_tank" not in data:
        data["is_full_tank"] = True  # the form's checkbox starts ticked
    form = _worded(FuelLogForm(data, user=owner(request)), data, fallback=None)
    try:
        log = add_fuel_log(form.save(commit=False))
    except AlreadySaved as saved:
        return Status(200, fuel_log_out(cast(FuelLog, saved.record)))
    except DjangoValidationError as error:
        # A fill-up another request saved meanwhile breaks a rule the form checked.
        form.add_error(None, error)
        raise FormInvalid(errors_of(form)) from None
    log.refresh_from_db()  # the amounts as stored: "10.500", not the "10.5" sent
    return Status(201, fuel_log_out(log))


@fuel_logs.patch("/{uuid:pk}/", response={200: schemas.FuelLogOut, **INVALID})
def update_fuel_log(request: HttpRequest, pk: uuid.UUID, payload: schemas.FuelLogIn) -> Any:
    log = FuelLog.objects.select_related("vehicle").owned_or_404(owner(request), pk)
    unbound = FuelLogForm(instance=log, user=owner(request))
    data = form_data(payload.dict(exclude_unset=True), unbound)
    form = _worded(FuelLogForm(data, instance=log, user=owner(request)), data, fallback=log.vehicle)
    try:
        log = save_fuel_log(form.save(commit=False))
    except FuelLog.DoesNotExist:
        raise Http404 from None
    except DjangoValidationError as error:
        form.add_error(None, error)
        raise FormInvalid(errors_of(form)) from None
    log.refresh_from_db()
    return fuel_log_out(log)


@fuel_logs.delete("/{uuid:pk}/", response={204: None, **NOT_FOUND})
def delete_fuel_log(request: HttpRequest, pk: uuid.UUID) -> Status:
    delete_fuel_logs([FuelLog.objects.owned_or_404(owner(request), pk)])
    return Status(204, None)


# Maintenance

maintenance = Router(tags=["maintenance"])


def record_out(record: MaintenanceRecord, today: Any) -> dict[str, Any]:
    due = record.due(today)
    return {
        "id": record.pk,
        "vehicle_id": record.vehicle_id,
        "distance_unit": record.vehicle.distance_unit,
        "fuel_unit": record.vehicle.fuel_unit,
        "type": record.type,
        "type_label": record.get_type_display(),
        "description": record.description,
        "is_completed": record.is_completed,
        "status": due.status,
        "status_reason": due.reason,
        "due_date": record.due_date,
        "due_mileage": record.due_mileage,
        "completed_date": record.completed_date,
        "completed_mileage": record.completed_mileage,
        "cost": decimal_string(record.cost),
        "service_location": record.service_location,
        "interval_months": record.interval_months,
        "interval_miles": record.interval_miles,
        "notes": record.notes,
        "created_at": record.created_at,
        "updated_at": record.updated_at,
    }


def _one_record(request: HttpRequest, pk: uuid.UUID) -> MaintenanceRecord:
    return MaintenanceRecord.objects.select_related("vehicle").owned_or_404(owner(request), pk)


@maintenance.get("/", response={200: schemas.MaintenancePage, 400: schemas.Invalid})
def list_maintenance(
    request: HttpRequest,
    filters: Query[schemas.MaintenanceFilters],
    paging: Query[schemas.PageQuery],
) -> dict[str, Any]:
    """The owner's services in the maintenance page's order (what is due first, then history,
    latest first), filtered as that page is."""
    today = timezone.localdate()
    form = _filters(MaintenanceFilterForm(request.GET, user=owner(request)))
    spans = projection.spans_for(owner(request).pk, today)
    by_driving = projection.soon_distances(spans, settings.MAINTENANCE_DUE_SOON_DAYS)
    records = form.apply(
        MaintenanceRecord.objects.for_owner(owner(request)).select_related("vehicle"),
        today,
        by_driving,
    )
    rows = list(
        records.in_list_order(today, by_driving)[paging.offset : paging.offset + paging.limit]
    )
    attach_driving(rows, spans, today)
    return page([record_out(record, today) for record in rows], records.count(), paging)


@maintenance.get("/{uuid:pk}/", response={200: schemas.MaintenanceOut, **NOT_FOUND})
def read_maintenance(request: HttpRequest, pk: uuid.UUID) -> dict[str, Any]:
    return record_out(_one_record(request, pk), timezone.localdate())


@maintenance.post(
    "/", response={201: schemas.MaintenanceOut, 200: schemas.MaintenanceOut, **INVALID}
)
def create_maintenance(request: HttpRequest, payload: schemas.MaintenanceIn) -> Status:
    """Schedule a service, or log one already done (`kind`). A done service that recurs
    schedules its next occurrence, as on the page. The same service sent twice within moments
    is stored once: the second answer is 200 with the first one."""
    data = form_data(payload.dict(exclude_unset=True))
    form = validated(RecordForm(data, user=owner(request)))
    record = form.save(commit=False)
    try:
        services.add_record(record)
    except AlreadySaved as saved:
        return Status(200, record_out(cast(MaintenanceRecord, saved.record), timezone.localdate()))
    except DjangoValidationError as error:
        form.add_error(None, error)
        raise FormInvalid(errors_of(form)) from None
    record.refresh_from_db()
    return Status(201, record_out(record, timezone.localdate()))


@maintenance.patch("/{uuid:pk}/", response={200: schemas.MaintenanceOut, **INVALID})
def update_maintenance(
    request: HttpRequest, pk: uuid.UUID, payload: schemas.MaintenanceIn
) -> dict[str, Any]:
    record = _one_record(request, pk)
    unbound = RecordForm(instance=record, user=owner(request))
    data = form_data(payload.dict(exclude_unset=True), unbound)
    form = validated(RecordForm(data, instance=record, user=owner(request)))
    try:
        services.save_record(form.save(commit=False), fields=form.fields)
    except MaintenanceRecord.DoesNotExist:
        raise Http404 from None
    except DjangoValidationError as error:
        form.add_error(None, error)
        raise FormInvalid(errors_of(form)) from None
    record.refresh_from_db()
    return record_out(record, timezone.localdate())


@maintenance.post("/{uuid:pk}/complete/", response={200: schemas.CompletedOut, **INVALID})
def complete_maintenance(
    request: HttpRequest, pk: uuid.UUID, payload: schemas.CompleteIn
) -> dict[str, Any]:
    """Mark a scheduled service done, as the "Complete" button does: on `completed_date`
    (today unless given) at `completed_mileage` (the vehicle's odometer unless given, raising
    it when higher). A recurring service schedules its next occurrence (`next`)."""
    record = _one_record(request, pk)
    already = f"{record.title} is already marked complete."
    if record.is_completed:
        raise FormInvalid({"__all__": [already]})
    # Unbound, the form holds what the page fills in: today, and the vehicle's odometer.
    unbound = CompleteForm(
        vehicle=record.vehicle, initial={"completed_mileage": record.vehicle.odometer_reading}
    )
    form = validated(
        CompleteForm(form_data(payload.dict(exclude_unset=True), unbound), vehicle=record.vehicle)
    )
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
        raise FormInvalid({"__all__": [already]}) from None
    except MaintenanceRecord.DoesNotExist:
        raise Http404 from None
    record.refresh_from_db()
    today = timezone.localdate()
    return {
        "completed": record_out(record, today),
        "next": None if next_record is None else record_out(next_record, today),
    }


@maintenance.delete("/{uuid:pk}/", response={204: None, **NOT_FOUND})
def delete_maintenance(request: HttpRequest, pk: uuid.UUID) -> Status:
    services.delete_record(_one_record(request, pk))
    return Status(204, None)


upcoming = Router(tags=["maintenance"])


@upcoming.get("/", response={200: schemas.UpcomingPage, **NOT_FOUND})
def list_upcoming(
    request: HttpRequest, paging: Query[schemas.PageQuery], vehicle: uuid.UUID | None = None
) -> dict[str, Any]:
    """The overdue and due-soon services and renewals of repeating costs (`kind`) on active
    vehicles, most urgent first: the upcoming page's list (cached). `vehicle` keeps one
    vehicle's."""
    items = upcoming_for(owner(request))
    if vehicle is not None:
        chosen = Vehicle.objects.owned_or_404(owner(request), vehicle)
        items = [item for item in items if item["vehicle_id"] == chosen.pk]
    return page(items[paging.offset : paging.offset + paging.limit], len(items), paging)


# Saved stations

favorites = Router(tags=["stations"])


def favorite_out(favorite: FavoriteStation) -> dict[str, Any]:
    station = favorite.station
    return {
        "id": favorite.pk,
        "note": favorite.note,
        "created_at": favorite.created_at,
        "station": {
            "id": station.pk,
            "name": station.name,
            "address": station.address,
            "latitude": decimal_string(station.latitude),
            "longitude": decimal_string(station.longitude),
            "is_own": favorite.is_own,
        },
    }


def _one_favorite(request: HttpRequest, pk: int) -> FavoriteStation:
    return FavoriteStation.objects.select_related("station").owned_or_404(owner(request), pk)


@favorites.get("/", response=schemas.FavoritePage)
def list_favorites(request: HttpRequest, paging: Query[schemas.PageQuery]) -> dict[str, Any]:
    """The owner's stations: their own and the shared ones they saved, by name."""
    found = FavoriteStation.objects.for_owner(owner(request)).select_related("station")
    rows = found[paging.offset : paging.offset + paging.limit]
    return page([favorite_out(favorite) for favorite in rows], found.count(), paging)


@favorites.get("/{int:pk}/", response={200: schemas.FavoriteOut, **NOT_FOUND})
def read_favorite(request: HttpRequest, pk: int) -> dict[str, Any]:
    return favorite_out(_one_favorite(request, pk))


@favorites.post("/", response={201: schemas.FavoriteOut, 200: schemas.FavoriteOut, **INVALID})
def create_favorite(request: HttpRequest, payload: schemas.FavoriteIn) -> Status:
    """Save a shared station you can see (`station_id`, and your `note` if you like; 200
    when it was saved already), or add a station of your own (`name`...), as the stations
    page does."""
    user = owner(request)
    if payload.station_id is not None:
        station = Station.objects.visible_to(user).filter(pk=payload.station_id).first()
        if station is None:
            raise Http404
        # A shared station's name and place are everyone's: of the rest, only a note is taken.
        note = validated(
            FavoriteNoteForm(form_data(payload.dict(exclude_unset=True, exclude={"station_id"})))
        )
        favorite, created = FavoriteStation.objects.get_or_create(user=user, station=station)
        if "note" in note.data:
            favorite.note = note.cleaned_data["note"]
            favorite.save(update_fields=["note"])
        return Status((201 if created else 200), favorite_out(favorite))
    data = form_data(payload.dict(exclude_unset=True, exclude={"station_id"}))
    form = validated(StationForm(data, user=user))
    return Status(201, favorite_out(form.save_for()))


@favorites.patch("/{int:pk}/", response={200: schemas.FavoriteOut, **INVALID})
def update_favorite(request: HttpRequest, pk: int, payload: schemas.FavoriteIn) -> Any:
    """Your own station: its name, address, coordinates and note. A shared one: your note."""
    favorite = _one_favorite(request, pk)
    changes = payload.dict(exclude_unset=True, exclude={"station_id"})
    if favorite.is_own:
        unbound = StationForm(user=owner(request), favorite=favorite)
        form = validated(
            StationForm(form_data(changes, unbound), user=owner(request), favorite=favorite)
        )
        form.save_for()
    else:
        note = validated(
            FavoriteNoteForm(
                form_data(changes, FavoriteNoteForm(instance=favorite)), instance=favorite
            )
        )
        note.save()
    return favorite_out(favorite)


@favorites.delete("/{int:pk}/", response={204: None, **NOT_FOUND})
def delete_favorite(request: HttpRequest, pk: int) -> Status:
    """As on the stations page: a shared station leaves your stations; your own is deleted
    (fill-ups that named it keep the name)."""
    _one_favorite(request, pk).remove()
    return Status(204, None)


api.add_router("/vehicles/", vehicles)
api.add_router("/vin/", vin)
api.add_router("/fuel-logs/", fuel_logs)
api.add_router("/maintenance/", maintenance)
api.add_router("/upcoming/", upcoming)
api.add_router("/stations/favorites/", favorites)
api.add_router("/odometer-readings/", readings)
api.add_router("/costs/", costs)


# Last, so that it matches only what no route above does.
elsewhere = Router()


@elsewhere.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def not_found_elsewhere(request: HttpRequest, rest: str) -> NoReturn:
    """An id that is not one ("/vehicles/123/"), a resource there is not: the API's 404 in
    JSON, not the site's page (and 401 first, as everywhere, without a working token)."""
    raise Http404


api.add_router("/", elsewhere)
