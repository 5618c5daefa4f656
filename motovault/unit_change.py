"""Changing a vehicle's units: what it does to the vehicle's history (`plan`, which the owner
reads and confirms), and the conversion of every number the vehicle has (`change_units`).

Every number of a vehicle is stored in its units as typed (motovault.units). So a new unit never
reinterprets a stored number: 10,000 mi becomes 16,093 km, never 10,000 km. Odometers and
mileages are rounded to the nearest whole unit; quantities and prices per unit to the thousandth
their columns hold; totals and costs are money and stay as they are.

It spans the vehicle, its fill-ups, its services, its odometer readings and its other costs,
hence here rather than in any one app."""

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import cast

from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models import Count, Max, Min, Q
from django.utils import timezone

from costs.models import Cost
from fuellogs.cache import invalidate_vehicle_stats
from fuellogs.models import FuelLog
from maintenance.models import MAX_INTERVAL_MILES, MAX_MILEAGE, MaintenanceRecord
from maintenance.upcoming import invalidate_upcoming
from motovault import l10n, units
from vehicles.cache import invalidate_owner_caches
from vehicles.models import MAX_ODOMETER, OdometerReading, Vehicle

# What one of each unit is called in a sentence ("rounded to the nearest whole kilometer",
# "prices per liter").
DISTANCE_NAMES: dict[str, str] = {
    units.DistanceUnit.MILES: "mile",
    units.DistanceUnit.KILOMETERS: "kilometer",
}
FUEL_NAMES: dict[str, str] = {
    units.FuelUnit.US_GALLONS: "US gallon",
    units.FuelUnit.LITERS: "liter",
    units.FuelUnit.UK_GALLONS: "imperial gallon",
    units.FuelUnit.KWH: "kWh",
}

MILEAGE_FIELDS = ("completed_mileage", "due_mileage", "interval_miles")
BATCH = 1000


def _largest(field_name: str) -> Decimal:
    """The largest value a FuelLog decimal column holds (max_digits, decimal_places)."""
    column = cast(models.DecimalField, FuelLog._meta.get_field(field_name))
    places = column.decimal_places
    return Decimal(10) ** (column.max_digits - places) - Decimal(1).scaleb(-places)


@dataclass(frozen=True)
class UnitChange:
    """From the units a vehicle has to the ones an edit chose, and what that converts."""

    source: dict[str, str]  # {"distance_unit": ..., "fuel_unit": ...}, as the unit filters read
    target: dict[str, str]
    odometer: int  # the vehicle's, in the source unit
    bought: int | None  # its odometer at purchase, in the source unit
    fill_ups: int  # fill-ups whose numbers change
    services: int  # services with a mileage, a due mileage or an interval that changes
    readings: int = 0  # odometer readings, when the distance unit changes
    costs: int = 0  # other costs with an odometer, when the distance unit changes
    # Why it cannot be done, keyed by the form field it is about.
    errors: dict[str, list[str]] = field(default_factory=dict)

    @property
    def distance_changes(self) -> bool:
        return self.source["distance_unit"] != self.target["distance_unit"]

    @property
    def fuel_changes(self) -> bool:
        return self.source["fuel_unit"] != self.target["fuel_unit"]

    @property
    def source_units(self) -> tuple[str, str]:
        return self.source["distance_unit"], self.source["fuel_unit"]

    @property
    def has_history(self) -> bool:
        """Whether records change with it: then the owner confirms first."""
        return bool(self.fill_ups or self.services or self.readings or self.costs)

    @property
    def converted_odometer(self) -> int:
        return units.convert_distance(
            self.odometer, self.source["distance_unit"], self.target["distance_unit"]
        )

    @property
    def converted_bought(self) -> int | None:
        if self.bought is None:
            return None
        return units.convert_distance(
            self.bought, self.source["distance_unit"], self.target["distance_unit"]
        )

    @property
    def source_names(self) -> tuple[str, str]:
        return _names(self.source)

    @property
    def target_names(self) -> tuple[str, str]:
        return _names(self.target)

    @property
    def target_distance_name(self) -> str:
        return DISTANCE_NAMES[self.target["distance_unit"]]

    @property
    def target_fuel_name(self) -> str:
        return FUEL_NAMES[self.target["fuel_unit"]]


def _names(unit_pair: dict[str, str]) -> tuple[str, str]:
    """("miles", "US gallons"): the units in words."""
    return (
        DISTANCE_NAMES[unit_pair["distance_unit"]] + "s",
        FUEL_NAMES[unit_pair["fuel_unit"]] + ("" if unit_pair["fuel_unit"] == "kwh" else "s"),
    )


def plan(vehicle: Vehicle, *, source: tuple[str, str], odometer: int) -> UnitChange:
    """What changing `vehicle` from `source` (its stored distance and fuel units) to the units it
    now holds (an edit's) converts, and whether it can: a fill-up's energy is no volume of fuel,
    and no converted number may outgrow its column. One query, four when the distance unit
    changes."""
    change = UnitChange(
        source={"distance_unit": source[0], "fuel_unit": source[1]},
        target={"distance_unit": vehicle.distance_unit, "fuel_unit": vehicle.fuel_unit},
        odometer=odometer,
        bought=vehicle.purchase_odometer,
        fill_ups=0,
        services=0,
    )
    logs = FuelLog.objects.filter(vehicle_id=vehicle.pk).aggregate(
        count=Count("id"),
        odometer=Max("odometer_reading"),
        most=Max("gallons"),
        least=Min("gallons"),
        price=Max("price_per_gallon"),
    )
    services: dict[str, int | None] = {"count": 0}
    readings: dict[str, int | None] = {"count": 0}
    costs = 0
    if change.distance_changes:
        readings = OdometerReading.objects.filter(vehicle_id=vehicle.pk).aggregate(
            count=Count("id"), odometer=Max("odometer_reading")
        )
        with_numbers = Q()
        for name in MILEAGE_FIELDS:
            with_numbers |= Q(**{f"{name}__isnull": False})
        services = MaintenanceRecord.objects.filter(with_numbers, vehicle_id=vehicle.pk).aggregate(
            count=Count("id"),
            completed=Max("completed_mileage"),
            due=Max("due_mileage"),
            interval=Max("interval_miles"),
        )
        # Their odometers need no check: each is at most the vehicle's (save_cost raises it).
        costs = Cost.objects.filter(vehicle_id=vehicle.pk, odometer_reading__isnull=False).count()
    errors: dict[str, list[str]] = {}
    if change.distance_changes:
        errors["distance_unit"] = _distance_problems(change, logs, services, readings["odometer"])
    if change.fuel_changes and logs["count"]:
        errors["fuel_unit"] = _fuel_problems(change, logs)
    return UnitChange(
        source=change.source,
        target=change.target,
        odometer=odometer,
        bought=vehicle.purchase_odometer,
        fill_ups=logs["count"] if change.distance_changes or change.fuel_changes else 0,
        services=services["count"] or 0,
        readings=readings["count"] or 0,
        costs=costs,
        errors={name: problems for name, problems in errors.items() if problems},
    )


def _distance_problems(
    change: UnitChange,
    logs: dict[str, object],
    services: dict[str, int | None],
    highest_reading: int | None,
) -> list[str]:
    source, target = change.source["distance_unit"], change.target["distance_unit"]
    readings = [
        change.odometer,
        change.bought,
        logs["odometer"],
        services.get("completed"),
        services.get("due"),
        highest_reading,
    ]
    largest = max(cast(int, reading) for reading in readings if reading is not None)
    problems = []
    name = DISTANCE_NAMES[target]
    if units.convert_distance(largest, source, target) > min(MAX_ODOMETER, MAX_MILEAGE):
        problems.append(
            f"In {name}s, the reading of {l10n.number(largest)} "
            f"{units.DISTANCE_ABBREVIATIONS[source]} would be over "
            f"{l10n.number(MAX_ODOMETER)}, the largest MotoVault stores."
        )
    interval = services.get("interval")
    if interval is not None and units.convert_distance(interval, source, target) > (
        MAX_INTERVAL_MILES
    ):
        problems.append(
            f"In {name}s, the service interval of {l10n.number(interval)} "
            f"{units.DISTANCE_ABBREVIATIONS[source]} would be over "
            f"{l10n.number(MAX_INTERVAL_MILES)}, the longest MotoVault stores."
        )
    return problems


def _fuel_problems(change: UnitChange, logs: dict[str, object]) -> list[str]:
    source, target = change.source["fuel_unit"], change.target["fuel_unit"]
    if not units.can_convert_fuel(source, target):
        count = cast(int, logs["count"])
        return [
            f"{l10n.number(count)} fill-up{'s' if count != 1 else ''} in "
            f"{_names(change.source)[1]} cannot be converted to {_names(change.target)[1]}: "
            "energy charged is no volume of fuel. Keep this unit, or add the vehicle again "
            "with the other."
        ]
    problems = []
    most, least = cast(Decimal, logs["most"]), cast(Decimal, logs["least"])
    price = cast(Decimal | None, logs["price"])
    name = FUEL_NAMES[target]
    if units.convert_quantity(most, source, target) > _largest("gallons"):
        problems.append(
            f"In {name}s, a fill-up of {l10n.number(most, 3)} would be more than MotoVault stores."
        )
    if units.convert_quantity(least, source, target) <= 0:
        problems.append(f"In {name}s, a fill-up of {l10n.number(least, 3)} would round to nothing.")
    if price is not None and units.convert_price(price, source, target) > _largest(
        "price_per_gallon"
    ):
        problems.append(
            f"Per {name}, a price of {l10n.number(price, 3)} would be more than MotoVault stores."
        )
    return problems


def change_units(vehicle: Vehicle, changed: Iterable[str], *, source: tuple[str, str]) -> bool:
    """Write an edit that changes the vehicle's units, and convert every number it has: its
    odometer and its odometer at purchase, each fill-up's odometer reading, quantity and price
    per unit, each service's mileage, due mileage and interval, each odometer reading, each other
    cost's odometer reading. One transaction, under the vehicle's lock, so that no fill-up or
    service is written meanwhile in the old units.

    `vehicle` holds the edit's values (the odometer as typed, in the `source` units the form
    showed); `changed` names the fields the edit changed. Returns False, writing nothing, when
    the vehicle was deleted meanwhile. Raises ValidationError (keyed by field) when its units
    changed meanwhile, or its history no longer converts."""
    target = (vehicle.distance_unit, vehicle.fuel_unit)
    values = {
        name: getattr(vehicle, name)
        for name in Vehicle.fields_to_write(changed)
        if name not in ("distance_unit", "fuel_unit", "odometer_reading", "purchase_odometer")
    }
    typed_odometer = vehicle.odometer_reading if "odometer_reading" in changed else None
    with transaction.atomic():
        vehicle.lock()
        if vehicle.is_deleted:
            return False
        stored = Vehicle.objects.filter(pk=vehicle.pk).values_list("distance_unit", "fuel_unit")
        if stored.get() != source:
            raise ValidationError(
                {"distance_unit": "This vehicle's units were changed in the meantime."}
            )
        odometer = vehicle.odometer_reading if typed_odometer is None else typed_odometer
        vehicle.distance_unit, vehicle.fuel_unit = target
        change = plan(vehicle, source=source, odometer=odometer)
        if change.errors:
            raise ValidationError(change.errors)
        _convert_fill_ups(vehicle, source, target)
        if change.distance_changes:
            _convert_services(vehicle, source[0], target[0])
            _convert_readings(vehicle, source[0], target[0])
            _convert_cost_odometers(vehicle, source[0], target[0])
        vehicle.odometer_reading = change.converted_odometer
        # As the edit shows it (typed or kept), in the units the vehicle had.
        if vehicle.purchase_odometer is not None:
            vehicle.purchase_odometer = units.convert_distance(
                vehicle.purchase_odometer, source[0], target[0]
            )
        Vehicle.objects.filter(pk=vehicle.pk).update(
            **values,
            odometer_reading=vehicle.odometer_reading,
            purchase_odometer=vehicle.purchase_odometer,
            distance_unit=target[0],
            fuel_unit=target[1],
        )
    invalidate_owner_caches(vehicle.user_id)
    invalidate_vehicle_stats(vehicle.pk)
    invalidate_upcoming(vehicle.user_id)
    return True


def _convert_fill_ups(vehicle: Vehicle, source: tuple[str, str], target: tuple[str, str]) -> None:
    now = timezone.now()
    logs = FuelLog.objects.filter(vehicle_id=vehicle.pk).only(
        "id", "odometer_reading", "gallons", "price_per_gallon"
    )
    converted = []
    for log in logs.iterator(chunk_size=BATCH):
        log.odometer_reading = units.convert_distance(log.odometer_reading, source[0], target[0])
        log.gallons = units.convert_quantity(log.gallons, source[1], target[1])
        if log.price_per_gallon is not None:
            log.price_per_gallon = units.convert_price(log.price_per_gallon, source[1], target[1])
        log.updated_at = now
        converted.append(log)
    FuelLog.objects.bulk_update(
        converted,
        ["odometer_reading", "gallons", "price_per_gallon", "updated_at"],
        batch_size=BATCH,
    )


def _convert_cost_odometers(vehicle: Vehicle, source: str, target: str) -> None:
    """The odometer readings of the vehicle's other costs. None outgrows its column: each is at
    most the vehicle's odometer (save_cost raises it), whose conversion `plan` checked."""
    now = timezone.now()
    costs = Cost.objects.filter(vehicle_id=vehicle.pk, odometer_reading__isnull=False)
    converted = []
    for cost in costs.only("id", "odometer_reading").iterator(chunk_size=BATCH):
        assert cost.odometer_reading is not None  # the filter's
        cost.odometer_reading = units.convert_distance(cost.odometer_reading, source, target)
        cost.updated_at = now
        converted.append(cost)
    Cost.objects.bulk_update(converted, ["odometer_reading", "updated_at"], batch_size=BATCH)


def _convert_services(vehicle: Vehicle, source: str, target: str) -> None:
    now = timezone.now()
    records = MaintenanceRecord.objects.filter(vehicle_id=vehicle.pk).only("id", *MILEAGE_FIELDS)
    converted = []
    for record in records.iterator(chunk_size=BATCH):
        for name in MILEAGE_FIELDS:
            if (value := getattr(record, name)) is not None:
                setattr(record, name, units.convert_distance(value, source, target))
        record.updated_at = now
        converted.append(record)
    MaintenanceRecord.objects.bulk_update(
        converted, [*MILEAGE_FIELDS, "updated_at"], batch_size=BATCH
    )


def _convert_readings(vehicle: Vehicle, source: str, target: str) -> None:
    now = timezone.now()
    readings = OdometerReading.objects.filter(vehicle_id=vehicle.pk).only("id", "odometer_reading")
    converted = []
    for reading in readings.iterator(chunk_size=BATCH):
        reading.odometer_reading = units.convert_distance(reading.odometer_reading, source, target)
        reading.updated_at = now
        converted.append(reading)
    OdometerReading.objects.bulk_update(
        converted, ["odometer_reading", "updated_at"], batch_size=BATCH
    )
