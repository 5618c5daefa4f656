"""What the API reads and answers, as typed schemas: the OpenAPI description is made from them.

Amounts (quantities, prices, costs, coordinates) are answered as decimal strings ("40.500"), never
binary floats, and read as strings or numbers. Dates are ISO 8601. Every record states the units
its numbers are in: its vehicle's distance unit (mi, km) and fuel unit (gal_us, gal_uk, l, kwh).
Inputs are typed loosely on purpose: the pages' forms read them, so that a wrong value gets the
message the form shows, not a second wording of the same rule."""

import datetime
import uuid
from decimal import Decimal
from typing import Annotated, Any

from ninja import Field, Schema
from pydantic import ConfigDict

DecimalString = Annotated[
    str, Field(description="A decimal number as a string, exactly as stored.", examples=["40.500"])
]
DecimalIn = Annotated[
    str | int | float | None,
    Field(description="A decimal number, as a string (preferred) or a number.", examples=["40.5"]),
]
# A float too, so that 42100.5 gets the form's "Enter a whole number.", not pydantic's wording.
IntegerIn = Annotated[str | int | float | None, Field(examples=[42100])]
DateIn = Annotated[str | None, Field(description="An ISO 8601 date.", examples=["2026-11-29"])]
IdIn = Annotated[str | None, Field(description="The id of one of your vehicles (a UUID).")]


def decimal_string(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


class Payload(Schema):
    """What a write sends: a JSON object of the fields below and no others, so that a
    misspelt field is a 400 that names it rather than a change silently not made."""

    model_config = ConfigDict(extra="forbid")


class Message(Schema):
    detail: str


class Invalid(Schema):
    detail: str = "The request was not valid."
    errors: dict[str, list[str]] = Field(
        description="The messages by field, as the pages' forms show them; `__all__` holds "
        "those about the whole record.",
        examples=[{"gallons": ["Enter a number."]}],
    )


# Far beyond any owner's list, and within what PostgreSQL's and SQLite's OFFSET take (a 64-bit
# integer, with the limit added): a larger one was a 500 from the database.
MAX_OFFSET = 2**31 - 1


class PageQuery(Schema):
    limit: int = Field(25, ge=1, le=100, description="How many items (at most 100).")
    offset: int = Field(0, ge=0, le=MAX_OFFSET, description="How many to skip.")


class Units(Schema):
    distance_unit: str = Field(description="mi or km", examples=["mi"])
    fuel_unit: str = Field(description="gal_us, gal_uk, l or kwh", examples=["gal_us"])


# Vehicles


class VehicleOut(Units):
    id: uuid.UUID
    display_name: str
    vin: str
    vin_is_serial: bool
    vin_check_digit_waived: bool
    year: int | None
    make: str
    model: str
    nickname: str
    color: str
    license_plate: str
    odometer_reading: int = Field(description="In the vehicle's distance unit.")
    is_active: bool
    currency: str = Field(description="The prices': your currency.", examples=["USD"])
    purchase_date: datetime.date | None
    purchase_price: DecimalString | None
    purchase_odometer: int | None = Field(description="In the vehicle's distance unit.")
    sold_date: datetime.date | None
    sold_price: DecimalString | None
    created_at: datetime.datetime
    updated_at: datetime.datetime


class VehicleIn(Payload):
    vin: str | None = None
    vin_is_serial: bool | None = None
    vin_check_digit_waived: bool | None = None
    year: IntegerIn = None
    make: str | None = None
    model: str | None = None
    nickname: str | None = None
    color: str | None = None
    license_plate: str | None = None
    distance_unit: str | None = Field(None, description="mi or km; on create only.")
    fuel_unit: str | None = Field(None, description="gal_us, gal_uk, l or kwh; on create only.")
    odometer_reading: IntegerIn = None
    is_active: bool | None = Field(
        None, description="On update only. A vehicle with a `sold_date` is not in use."
    )
    purchase_date: DateIn = None
    purchase_price: DecimalIn = None
    purchase_odometer: IntegerIn = None
    sold_date: DateIn = None
    sold_price: DecimalIn = None


class VehiclePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[VehicleOut]


class OwnershipOut(Schema):
    """The vehicle page's cost of ownership: fuel, maintenance and other costs from the purchase
    date on (from the first record without one), and depreciation (the purchase price less the
    sale price), in the owner's currency."""

    start: datetime.date | None = Field(description="The purchase date, else the first record's.")
    end: datetime.date = Field(description="The sale date, else today.")
    distance: int | None = Field(description="Driven since, in the vehicle's distance unit.")
    total: DecimalString
    per_year: DecimalString | None = Field(description="Over the years owned, at least one.")
    per_distance: DecimalString | None = Field(
        description="Per unit of the vehicle's distance; null before any driving."
    )
    fuel: DecimalString
    maintenance: DecimalString
    other: DecimalString
    other_by_category: list[tuple[str, DecimalString]] = Field(
        description="Other costs per category, largest first: (its name, the amount)."
    )
    depreciation: DecimalString | None = Field(description="Null without a purchase price.")


class FuelStatsOut(Units):
    """The figures of the vehicle page: its fuel, and the cost of owning it (`ownership`).
    Economy is in the owner's unit for this vehicle (`economy_unit`); amounts in the owner's
    currency; distances in the vehicle's unit."""

    vehicle_id: uuid.UUID
    economy_unit: str = Field(examples=["MPG"])
    currency: str = Field(examples=["USD"])
    fill_ups: int
    last_fill_up: datetime.date | None
    average_economy: DecimalString | None
    last_economy: DecimalString | None
    best_economy: DecimalString | None
    worst_economy: DecimalString | None
    total_spent: DecimalString
    total_quantity: DecimalString
    distance: int
    cost_per_distance: DecimalString | None
    average_price_per_unit: DecimalString | None
    spent_per_month: list[tuple[datetime.date, DecimalString]] = Field(
        description="The last twelve months' fuel spending: (first day of the month, amount)."
    )
    ownership: OwnershipOut


class VinDecodeOut(Schema):
    vin: str
    make: str
    model: str
    year: int | None
    engine_type: str
    body_type: str
    source: str = Field(
        description="vpic (asked just now), cache, stale (vPIC unreachable; an older answer) "
        "or offline (what the VIN itself encodes)."
    )
    notes: list[str]


# Fuel logs


class FuelLogOut(Units):
    id: uuid.UUID
    vehicle_id: uuid.UUID
    date: datetime.date
    odometer_reading: int = Field(description="In the vehicle's distance unit.")
    gallons: DecimalString = Field(description="The quantity, in the vehicle's fuel unit.")
    price_per_gallon: DecimalString | None = Field(description="Per unit of fuel.")
    total_cost: DecimalString | None
    computed_amount: str = Field(
        description="Which amount MotoVault computed from the other two, or empty."
    )
    is_full_tank: bool
    missed_previous: bool
    station_name: str
    station_id: uuid.UUID | None
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class FuelLogIn(Payload):
    """Two of quantity (`gallons`), price per unit and total cost; MotoVault computes the
    third. A quantity far from the vehicle's usual fill-up is refused unless
    `confirm_quantity` is true."""

    vehicle: IdIn = None
    date: DateIn = None
    odometer_reading: IntegerIn = None
    gallons: DecimalIn = None
    price_per_gallon: DecimalIn = None
    total_cost: DecimalIn = None
    is_full_tank: bool | None = None
    missed_previous: bool | None = None
    station_name: str | None = None
    notes: str | None = None
    confirm_quantity: bool | None = None


class FuelLogPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[FuelLogOut]


class FuelLogFilters(Schema):
    vehicle: str | None = Field(None, description="A vehicle's id.")
    date_from: str | None = Field(None, description="ISO date, inclusive.")
    date_to: str | None = Field(None, description="ISO date, inclusive.")


# Maintenance


class MaintenanceOut(Units):
    id: uuid.UUID
    vehicle_id: uuid.UUID
    type: str
    type_label: str
    description: str
    is_completed: bool
    status: str = Field(description="overdue, due_soon, scheduled or completed")
    status_reason: str
    due_date: datetime.date | None
    due_mileage: int | None = Field(description="In the vehicle's distance unit.")
    completed_date: datetime.date | None
    completed_mileage: int | None
    cost: DecimalString | None
    service_location: str
    interval_months: int | None
    interval_miles: int | None = Field(description="In the vehicle's distance unit.")
    notes: str
    created_at: datetime.datetime
    updated_at: datetime.datetime


class MaintenanceIn(Payload):
    """On create, `kind` is "scheduled" (give `due_date` and/or `due_mileage`) or "done"
    (give `completed_date`, `completed_mileage`, `cost`, `service_location`)."""

    kind: str | None = Field(None, description="scheduled or done; on create only.")
    vehicle: IdIn = None
    type: str | None = Field(None, examples=["oil_change"])
    description: str | None = None
    due_date: DateIn = None
    due_mileage: IntegerIn = None
    completed_date: DateIn = None
    completed_mileage: IntegerIn = None
    cost: DecimalIn = None
    service_location: str | None = None
    interval_months: IntegerIn = None
    interval_miles: IntegerIn = None
    notes: str | None = None


class CompleteIn(Payload):
    """All optional: the date done is today, the mileage the vehicle's odometer, unless given."""

    completed_date: DateIn = None
    completed_mileage: IntegerIn = None
    cost: DecimalIn = None
    service_location: str | None = None


class CompletedOut(Schema):
    completed: MaintenanceOut
    next: MaintenanceOut | None = Field(
        description="The next occurrence, scheduled when the service recurs (an interval)."
    )


class MaintenancePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[MaintenanceOut]


class MaintenanceFilters(Schema):
    vehicle: str | None = Field(None, description="A vehicle's id.")
    type: str | None = Field(None, description="A service type, e.g. oil_change.")
    status: str | None = Field(None, description="overdue, due_soon, scheduled or completed")


class UpcomingOut(Schema):
    id: uuid.UUID = Field(description="The service's id; for a renewal, its latest cost's.")
    kind: str = Field(description="service or renewal (a repeating cost's next payment)")
    url: str = Field(description="The page that acts on it, on this site.")
    action: str = Field(examples=["Edit", "Record payment"])
    vehicle_id: uuid.UUID
    vehicle_name: str
    title: str
    status: str = Field(description="overdue or due_soon")
    status_label: str
    reason: str = Field(examples=["Due in 12 days"])
    due_date: datetime.date | None
    due_mileage: int | None
    distance_unit: str
    projected_date: datetime.date | None = Field(
        description="When recent driving reaches the due mileage."
    )


class UpcomingPage(Schema):
    count: int
    limit: int
    offset: int
    items: list[UpcomingOut]


# Stations


class StationOut(Schema):
    id: uuid.UUID
    name: str
    address: str
    latitude: DecimalString | None
    longitude: DecimalString | None
    is_own: bool = Field(description="Your own station (you may change it), or a shared one.")


class FavoriteOut(Schema):
    id: int
    station: StationOut
    note: str
    created_at: datetime.datetime


class FavoriteIn(Payload):
    """Save a shared station by `station_id`, or add a station of your own by `name` (and
    `address`, `latitude`, `longitude`). On update, a shared station takes only `note`."""

    station_id: uuid.UUID | None = None
    name: str | None = None
    address: str | None = None
    latitude: DecimalIn = None
    longitude: DecimalIn = None
    note: str | None = None


class FavoritePage(Schema):
    count: int
    limit: int
    offset: int
    items: list[FavoriteOut]


def page(items: Any, count: int, query: PageQuery) -> dict[str, Any]:
    return {"count": count, "limit": query.limit, "offset": query.offset, "items": items}
