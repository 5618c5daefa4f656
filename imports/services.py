"""Brings a history file into an owner's vehicles.

`plan` reads the file through once (streamed) and decides every row the way saving will: OK, a
warning, an error (refused, with the reason) or a duplicate of a stored fill-up or of an earlier
row. Each fill-up passes the fuel log's own rules (`FuelLog.clean_fields`, the date rule, and the
odometer order, checked in memory against the vehicle's stored fill-ups loaded once), each cost
the maintenance record's (`clean_fields`, `clean`). The preview shows the plan; `save` makes the
same plan inside one transaction, with the vehicles locked, and writes what it accepted in
batches (all of it or nothing), then raises the odometers and forgets the caches as a manual
entry does.

Numbers are converted from the file's units to the vehicle's where the two differ (a file in
kilometers into a vehicle kept in miles), as the unit change converts them.
"""

import bisect
import datetime
import math
import re
from array import array
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import transaction

from fuellogs import rules
from fuellogs.cache import invalidate_vehicle_stats
from fuellogs.economy import ratios_in_order
from fuellogs.models import FuelLog
from fuellogs.services import link_stations
from imports.rows import CostRow, FuelRow, RowProblem, SourceVehicle
from imports.source import ImportFile
from maintenance.models import MaintenanceRecord, MaintenanceType
from maintenance.upcoming import invalidate_upcoming
from motovault import l10n, units
from vehicles.cache import invalidate_owner_caches
from vehicles.models import OdometerReading, Vehicle, check_history_date
from vehicles.vin import validate_vin

OK, WARNING, ERROR, DUPLICATE = "ok", "warning", "error", "duplicate"
BATCH = 1000
# Economy figures further apart than this (relative) are flagged.
ECONOMY_TOLERANCE = Decimal("0.01")
NEW = "new"
# What a preview keeps: the first rows with something to say, and a sample of the OK ones.
PROBLEMS, SAMPLE = 200, 50

# A source's title → MotoVault's maintenance type: the first pattern found in it decides.
TYPE_PATTERNS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(pattern, re.IGNORECASE), kind)
    for pattern, kind in (
        (r"cabin", MaintenanceType.CABIN_AIR_FILTER),
        (r"oil|ölwechsel|vidange", MaintenanceType.OIL_CHANGE),
        (r"rotat", MaintenanceType.TIRE_ROTATION),
        (r"brake|bremse", MaintenanceType.BRAKE_SERVICE),
        (r"air filter|luftfilter", MaintenanceType.AIR_FILTER),
        (r"transmission|gearbox", MaintenanceType.TRANSMISSION_SERVICE),
        (r"coolant|antifreeze", MaintenanceType.COOLANT_SERVICE),
        (r"batter", MaintenanceType.BATTERY),
        (r"spark plug", MaintenanceType.SPARK_PLUGS),
        (r"timing belt", MaintenanceType.TIMING_BELT),
        (r"alignment", MaintenanceType.WHEEL_ALIGNMENT),
        (r"inspection|\bmot\b|tüv|smog", MaintenanceType.INSPECTION),
        (r"wiper", MaintenanceType.WIPER_BLADES),
    )
]


def maintenance_type(title: str, category: str = "") -> str:
    """The maintenance type a cost's title (or the source's own category, when it is one of
    MotoVault's types) names; "other" when none matches."""
    if category in MaintenanceType.values:
        return category
    for pattern, kind in TYPE_PATTERNS:
        if pattern.search(title):
            return kind
    return MaintenanceType.OTHER


@dataclass
class Target:
    """Where a source vehicle's rows go: one of the owner's vehicles, or a new one (`vehicle`
    None until it is created, then its unsaved or saved instance), and the units the file's
    numbers for it are in."""

    source: SourceVehicle
    vehicle: Vehicle | None
    distance_unit: str
    fuel_unit: str
    new_name: str = ""
    new_vin: str = ""

    @property
    def is_new(self) -> bool:
        return self.vehicle is None or self.vehicle._state.adding

    @property
    def units_asked(self) -> bool:
        return self.source.distance_unit is None or self.source.fuel_unit is None

    def vehicle_units(self) -> tuple[str, str]:
        if self.vehicle is not None and not self.vehicle._state.adding:
            return self.vehicle.distance_unit, self.vehicle.fuel_unit
        return self.distance_unit, self.fuel_unit

    @property
    def converted(self) -> bool:
        return self.vehicle_units() != (self.distance_unit, self.fuel_unit)

    @property
    def name(self) -> str:
        if self.vehicle is not None and not self.vehicle._state.adding:
            return self.vehicle.display_name
        return self.new_name


def source_name(source: SourceVehicle) -> str:
    """What the file calls a vehicle: its name, else its make and model, else its VIN."""
    described = " ".join(part for part in (source.make, source.model) if part)
    return source.name or described or source.description or source.vin


def matches(user: User, sources: Iterable[SourceVehicle]) -> dict[str, Vehicle | None]:
    """Each source vehicle's match among the owner's vehicles: the one with its VIN, else the
    one whose nickname is its name (case aside); None without one. One query."""
    owned = list(Vehicle.objects.for_owner(user))
    by_vin = {vehicle.vin.upper(): vehicle for vehicle in owned if vehicle.vin}
    by_name: dict[str, Vehicle] = {}
    for vehicle in owned:
        by_name.setdefault(vehicle.display_name.casefold(), vehicle)
        if vehicle.nickname:
            by_name.setdefault(vehicle.nickname.casefold(), vehicle)
    found: dict[str, Vehicle | None] = {}
    for source in sources:
        match = by_vin.get(source.vin.upper()) if source.vin else None
        name = source_name(source).casefold()
        found[source.key] = match or (by_name.get(name) if name else None)
    return found


def default_units(
    source: SourceVehicle, vehicle: Vehicle | None, regional: l10n.Regional
) -> tuple[str, str]:
    """The units of a source vehicle's numbers: the file's where it says them, else the
    matched vehicle's, else those the owner's preferences give a new vehicle."""
    fallback = (
        (vehicle.distance_unit, vehicle.fuel_unit)
        if vehicle is not None
        else regional.vehicle_units()
    )
    return source.distance_unit or fallback[0], source.fuel_unit or fallback[1]


@dataclass(slots=True)
class Entry:
    """One row of the file, as decided. (Slots: a 200,000-row file holds as many.)"""

    line: int
    vehicle: str  # a source key
    kind: str  # fuel, cost or problem
    status: str = OK
    messages: tuple[str, ...] = ()
    date: datetime.date | None = None
    odometer: int | None = None
    quantity: Decimal | None = None
    price_per_unit: Decimal | None = None
    total_cost: Decimal | None = None
    full: bool = True
    missed: bool = False
    station: str = ""
    notes: str = ""
    title: str = ""
    type: str = ""
    repeat_months: int = 0
    # In the owner's economy unit for the vehicle.
    economy: Decimal | None = None
    source_economy: Decimal | None = None
    economy_note: str = ""

    @property
    def accepted(self) -> bool:
        return self.status in (OK, WARNING)

    def refuse(self, status: str, message: str) -> None:
        self.status = status
        self.messages = (message,)

    def warn(self, message: str) -> None:
        if self.status == OK:
            self.status = WARNING
        self.messages = (*self.messages, message)


@dataclass
class VehicleSummary:
    target: Target
    fill_ups: int = 0
    costs: int = 0
    next_services: int = 0
    duplicates: int = 0
    errors: int = 0
    warnings: int = 0
    differences: int = 0
    first: datetime.date | None = None
    last: datetime.date | None = None
    top_odometer: int = 0

    def see(self, entry: Entry) -> None:
        if entry.status == ERROR:
            self.errors += 1
        elif entry.status == DUPLICATE:
            self.duplicates += 1
        else:
            if entry.status == WARNING:
                self.warnings += 1
            if entry.kind == "fuel":
                self.fill_ups += 1
            else:
                self.costs += 1
            if entry.date is not None:
                self.first = min(self.first or entry.date, entry.date)
                self.last = max(self.last or entry.date, entry.date)
            self.top_odometer = max(self.top_odometer, entry.odometer or 0)
        if entry.economy_note:
            self.differences += 1


@dataclass
class Plan:
    """What importing the file does: per source vehicle (in the file's order) what is created,
    the counts, and the rows a page shows, not every row's decision (bounded memory, however
    long the file): the first `PROBLEMS` rows with something to say (refused, duplicate,
    warned, economy flagged) and the first `SAMPLE` OK rows, `entries` holding both in the
    file's order; `refused` the first `PROBLEMS` refused rows."""

    targets: dict[str, Target]
    summaries: dict[str, VehicleSummary]
    entries: list[Entry] = field(default_factory=list)
    notable: list[Entry] = field(default_factory=list)
    plain: list[Entry] = field(default_factory=list)
    refused: list[Entry] = field(default_factory=list)
    rows: int = 0
    errors: int = 0
    # Rows with something to say, shown or not.
    notable_rows: int = 0
    # (source key, type, title) → the date of its latest accepted recurring cost.
    recurring: dict[tuple[str, str, str], datetime.date] = field(default_factory=dict)

    def see(self, entry: Entry) -> None:
        """Count a decided row, and keep it if the page shows it."""
        self.rows += 1
        if entry.vehicle in self.summaries:
            self.summaries[entry.vehicle].see(entry)
        if entry.status == ERROR:
            self.errors += 1
            if len(self.refused) < PROBLEMS:
                self.refused.append(entry)
        if entry.status != OK or entry.economy_note:
            self.notable_rows += 1
            if len(self.notable) < PROBLEMS:
                self.notable.append(entry)
        elif len(self.plain) < SAMPLE:
            self.plain.append(entry)
        if entry.kind == "cost" and entry.accepted and entry.repeat_months:
            assert entry.date is not None
            series = (entry.vehicle, entry.type, entry.title.casefold())
            if series not in self.recurring or self.recurring[series] < entry.date:
                if series not in self.recurring:
                    self.summaries[entry.vehicle].next_services += 1
                self.recurring[series] = entry.date

    def finish(self) -> None:
        self.entries = sorted(self.notable + self.plain, key=lambda entry: entry.line)

    @property
    def fill_ups(self) -> int:
        return sum(summary.fill_ups for summary in self.summaries.values())

    @property
    def costs(self) -> int:
        return sum(summary.costs for summary in self.summaries.values())

    @property
    def next_services(self) -> int:
        return sum(summary.next_services for summary in self.summaries.values())

    @property
    def duplicates(self) -> int:
        return sum(summary.duplicates for summary in self.summaries.values())

    @property
    def new_vehicles(self) -> list[Target]:
        return [target for target in self.targets.values() if target.is_new]

    @property
    def first(self) -> datetime.date | None:
        days = [summary.first for summary in self.summaries.values() if summary.first]
        return min(days) if days else None

    @property
    def last(self) -> datetime.date | None:
        days = [summary.last for summary in self.summaries.values() if summary.last]
        return max(days) if days else None

    @property
    def hidden_all_ok(self) -> bool:
        """Whether the rows not shown are all OK."""
        return self.notable_rows == len(self.notable)

    def shown(self) -> tuple[list[Entry], int]:
        """The rows a page shows: those with something to say first, then the sample of OK
        rows; and how many rows are not shown."""
        return self.notable + self.plain, self.rows - len(self.notable) - len(self.plain)


def _messages(error: ValidationError) -> str:
    if hasattr(error, "error_dict"):
        return " ".join(message for messages in error.message_dict.values() for message in messages)
    return " ".join(error.messages)


def _convert(entry: Entry, target: Target) -> None:
    """The row's numbers from the file's units into the vehicle's."""
    distance_unit, fuel_unit = target.vehicle_units()
    if entry.odometer is not None and distance_unit != target.distance_unit:
        entry.odometer = units.convert_distance(entry.odometer, target.distance_unit, distance_unit)
    if fuel_unit != target.fuel_unit and units.can_convert_fuel(target.fuel_unit, fuel_unit):
        if entry.quantity is not None:
            entry.quantity = units.convert_quantity(entry.quantity, target.fuel_unit, fuel_unit)
        if entry.price_per_unit is not None:
            entry.price_per_unit = units.convert_price(
                entry.price_per_unit, target.fuel_unit, fuel_unit
            )


def _source_economy(row: FuelRow, target: Target, economy_unit: str) -> Decimal | None:
    """The file's economy for the row, in `economy_unit`. A file that does not name its
    economy's unit (LubeLogger) states it in its own units: MPG for miles, L/100 km (kWh/100
    km) for kilometers."""
    value = row.source_economy
    if value is None or value <= 0:
        return None
    unit = row.source_economy_unit
    if unit is None:
        electric = units.is_electric(target.fuel_unit)
        if target.distance_unit == units.DistanceUnit.KILOMETERS:
            unit = units.ElectricEconomyUnit.KWH_100KM if electric else units.EconomyUnit.L_100KM
        elif electric:
            unit = units.ElectricEconomyUnit.MI_KWH
        elif target.fuel_unit == units.FuelUnit.UK_GALLONS:
            unit = units.EconomyUnit.MPG_UK
        else:
            unit = units.EconomyUnit.MPG_US
    table: dict[str, tuple[Decimal, Decimal, str, str]] = {
        units.EconomyUnit.MPG_US: (value, Decimal(1), "mi", "gal_us"),
        units.EconomyUnit.MPG_UK: (value, Decimal(1), "mi", "gal_uk"),
        units.EconomyUnit.KM_L: (value, Decimal(1), "km", "l"),
        units.EconomyUnit.L_100KM: (Decimal(100), value, "km", "l"),
        units.ElectricEconomyUnit.MI_KWH: (value, Decimal(1), "mi", "kwh"),
        units.ElectricEconomyUnit.KWH_100KM: (Decimal(100), value, "km", "kwh"),
    }
    distance, quantity, distance_unit, fuel_unit = table[unit]
    if units.is_electric(fuel_unit) != units.is_electric(target.fuel_unit):
        return None
    return units.economy(
        distance,
        quantity,
        distance_unit=distance_unit,
        fuel_unit=fuel_unit,
        economy_unit=economy_unit,
    )


def _fuel_entry(row: FuelRow, target: Target, vehicle: Vehicle, log: FuelLog) -> Entry:
    """The row, checked by the fuel log's rules on `log` (one unsaved FuelLog reused for every
    row: building a model instance per row cost a third of a 20,000-row preview)."""
    entry = Entry(
        row.line,
        row.vehicle,
        "fuel",
        date=row.date,
        odometer=row.odometer,
        quantity=row.quantity,
        price_per_unit=row.price_per_unit,
        total_cost=row.total_cost,
        full=row.full,
        missed=row.missed,
        station=row.station,
        notes=row.notes,
    )
    fuel_unit = target.vehicle_units()[1]
    if not units.can_convert_fuel(target.fuel_unit, fuel_unit):
        entry.refuse(
            ERROR,
            f"The file's fill-ups are in {units.FuelUnit(target.fuel_unit).label}, "
            f"{target.name}'s in {units.FuelUnit(fuel_unit).label}: import them into another "
            "vehicle.",
        )
        return entry
    _convert(entry, target)
    # The fill-up's own fields and rules, as the forms check them; the vehicle's (deleted? the
    # odometer order) are checked once per vehicle and in memory (_check_order).
    log.date = entry.date  # type: ignore[assignment]
    log.odometer_reading = entry.odometer  # type: ignore[assignment]
    log.gallons = entry.quantity  # type: ignore[assignment]
    log.price_per_gallon = entry.price_per_unit
    log.total_cost = entry.total_cost
    log.is_full_tank = entry.full
    log.missed_previous = entry.missed
    log.station_name = entry.station
    log.notes = entry.notes
    try:
        # Without the vehicle: its rules need queries, and are checked once per vehicle and in
        # memory instead (save's check_vehicle, _check_order); the date's bound by model year
        # is the vehicle's one rule left.
        log.clean_fields(exclude={"vehicle"})
        assert entry.date is not None
        check_history_date(entry.date, vehicle)
    except ValidationError as error:
        entry.refuse(ERROR, _messages(error))
        return entry
    entry.quantity, entry.price_per_unit, entry.total_cost = (
        log.gallons,
        log.price_per_gallon,
        log.total_cost,
    )
    try:
        rules.check_plausible_quantity(log.gallons, fuel_unit, None)
    except ValidationError:
        entry.warn(
            f"{l10n.plain(log.gallons, 3)} {units.FUEL_ABBREVIATIONS[fuel_unit]} is more than "
            "the largest tank MotoVault expects; it is imported as the file states it."
        )
    return entry


def _cost_entry(row: CostRow, target: Target, vehicle: Vehicle) -> Entry:
    kind = maintenance_type(row.title, row.category)
    entry = Entry(
        row.line,
        row.vehicle,
        "cost",
        date=row.date,
        odometer=row.odometer,
        total_cost=row.cost,
        notes=row.notes,
        title=row.title,
        type=kind,
        repeat_months=row.repeat_months,
    )
    _convert(entry, target)
    record = _record(entry, vehicle if not vehicle._state.adding else None)
    try:
        record.clean_fields(exclude={"vehicle", "user"})
        record.clean()
        if vehicle._state.adding:
            check_history_date(row.date, vehicle)
    except ValidationError as error:
        entry.refuse(ERROR, _messages(error))
        return entry
    if entry.odometer is None:
        entry.warn("The file gives no odometer reading: stored without one.")
    return entry


def _record(entry: Entry, vehicle: Vehicle | None) -> MaintenanceRecord:
    label = MaintenanceType(entry.type).label if entry.type else ""
    description = entry.title if entry.title.casefold() != label.casefold() else ""
    record = MaintenanceRecord(
        type=entry.type,
        description=description,
        is_completed=True,
        completed_date=entry.date,
        completed_mileage=entry.odometer,
        cost=entry.total_cost,
        notes=entry.notes,
        interval_months=entry.repeat_months or None,
    )
    if vehicle is not None:
        record.vehicle = vehicle
    return record


def _fuel_key(date: datetime.date, odometer: int, quantity: Decimal) -> int:
    """A fill-up's duplicate key packed in one integer (date, odometer, quantity in
    thousandths): a set of these per vehicle is what duplicates are found with."""
    thousandths = int(quantity.scaleb(3).to_integral_value())
    return ((date.toordinal() << 32) + odometer << 40) + thousandths


def _cost_key(entry_or_record: Any) -> tuple[Any, ...]:
    if isinstance(entry_or_record, Entry):
        record = _record(entry_or_record, None)
    else:
        record = entry_or_record
    cost = record.cost.normalize() if record.cost is not None else None
    return (
        record.completed_date,
        record.completed_mileage,
        cost,
        record.type,
        record.description.casefold(),
    )


FULL, MISSED = 1, 2
# Why a fill-up breaks the order of readings: a stored reading before it is as high, one after
# it as low, or it is out of the longest run of the file's readings in order.
ABOVE_STORED, BELOW_STORED, OUT_OF_RUN = 1, 2, 3


class _Fills:
    """A vehicle's fill-ups in compact arrays (16 bytes and a little more a row, not objects):
    the file's accepted ones in the file's order, or the stored ones in fill-up order."""

    def __init__(self) -> None:
        self.lines = array("q")
        self.odometers = array("q")
        self.days = array("l")
        self.quantities = array("q")  # thousandths
        self.flags = array("b")
        # After _analyze, for the file's: the ratio of the segment each closes (NaN for none)
        # and what the economy note needs (partial before, missed before, a full one seen).
        self.ratios = array("d")
        self.before = array("b")

    def add(self, line: int, day: int, odometer: int, quantity: Decimal, flags: int) -> None:
        self.lines.append(line)
        self.days.append(day)
        self.odometers.append(odometer)
        self.quantities.append(int(quantity.scaleb(3).to_integral_value()))
        self.flags.append(flags)

    def __len__(self) -> int:
        return len(self.odometers)

    def index(self, line: int) -> int:
        return bisect.bisect_left(self.lines, line)


def _stored_fills(vehicles: list[Vehicle]) -> dict[Any, _Fills]:
    """The vehicles' stored fill-ups, each vehicle's in fill-up order, by vehicle id: one
    query, read through an iterator."""
    fills: dict[Any, _Fills] = defaultdict(_Fills)
    if vehicles:
        for vehicle_id, day, odometer, gallons, full, missed in (
            FuelLog.objects.filter(vehicle__in=vehicles)
            .order_by("vehicle_id", "date", "odometer_reading", "created_at", "id")
            .values_list(
                "vehicle_id",
                "date",
                "odometer_reading",
                "gallons",
                "is_full_tank",
                "missed_previous",
            )
            .iterator(chunk_size=BATCH)
        ):
            flags = FULL * full | MISSED * missed
            fills[vehicle_id].add(0, day.toordinal(), odometer, gallons, flags)
    return fills


def _stored_costs(vehicles: list[Vehicle]) -> dict[Any, set[tuple[Any, ...]]]:
    """The keys of the vehicles' completed services, by vehicle id: one query."""
    keys: dict[Any, set[tuple[Any, ...]]] = defaultdict(set)
    if vehicles:
        for record in (
            MaintenanceRecord.objects.filter(vehicle__in=vehicles, is_completed=True)
            .only("vehicle_id", "completed_date", "completed_mileage", "cost", "type")
            .only("description")
            .iterator(chunk_size=BATCH)
        ):
            keys[record.vehicle_id].add(_cost_key(record))
    return keys


def _stored_readings(vehicles: list[Vehicle]) -> dict[Any, list[tuple[int, int]]]:
    """The vehicles' stored odometer readings as (day's ordinal, odometer), by vehicle id: one
    query. Fill-ups keep their order (vehicles.rules.check_odometer)."""
    found: dict[Any, list[tuple[int, int]]] = defaultdict(list)
    if vehicles:
        for vehicle_id, day, odometer in (
            OdometerReading.objects.filter(vehicle__in=vehicles)
            .order_by()
            .values_list("vehicle_id", "date", "odometer_reading")
            .iterator(chunk_size=BATCH)
        ):
            found[vehicle_id].append((day.toordinal(), odometer))
    return found


def _with_readings(stored: _Fills, readings: list[tuple[int, int]]) -> _Fills:
    """The stored fill-ups and odometer readings together, in date and odometer order: what
    _check_order holds the file's fill-ups to (it reads only their days and odometers)."""
    if not readings:
        return stored
    merged = _Fills()
    rows = sorted([*zip(stored.days, stored.odometers, strict=True), *readings])
    for day, odometer in rows:
        merged.add(0, day, odometer, Decimal(0), 0)
    return merged


def _check_order(fills: _Fills, stored: _Fills) -> dict[int, int]:
    """The file's fill-ups (by line) whose odometer breaks the order of readings
    (rules.check_odometer), each with its reason and the reading it breaks, packed
    (reading * 4 + reason): against the vehicle's stored fill-ups first, then among the file's
    own rows, where the longest run of readings in order is kept and the rows out of it are
    refused (one mistyped reading refuses itself, not every row after it)."""
    refused: dict[int, int] = {}
    if len(stored):
        highest = array("q")
        for reading in stored.odometers:
            highest.append(max(highest[-1], reading) if highest else reading)
        lowest = array("q", stored.odometers)
        for index in range(len(lowest) - 2, -1, -1):
            lowest[index] = min(lowest[index], lowest[index + 1])
        for index in range(len(fills)):
            day, reading = fills.days[index], fills.odometers[index]
            before = bisect.bisect_left(stored.days, day)
            after = bisect.bisect_right(stored.days, day)
            if before and highest[before - 1] >= reading:
                refused[fills.lines[index]] = highest[before - 1] * 4 + ABOVE_STORED
            elif after < len(stored) and lowest[after] <= reading:
                refused[fills.lines[index]] = lowest[after] * 4 + BELOW_STORED
    candidates = [i for i in range(len(fills)) if fills.lines[i] not in refused]
    candidates.sort(key=lambda i: (fills.days[i], fills.odometers[i], fills.lines[i]))
    # The longest sequence with readings rising (as the dates do): patience sorting.
    tails = array("q")
    tail_index = array("q")
    previous = array("q", [-1]) * len(candidates)
    for position_in_run, index in enumerate(candidates):
        reading = fills.odometers[index]
        position = bisect.bisect_left(tails, reading)
        previous[position_in_run] = tail_index[position - 1] if position else -1
        if position == len(tails):
            tails.append(reading)
            tail_index.append(position_in_run)
        else:
            tails[position] = reading
            tail_index[position] = position_in_run
    kept = array("b", [0]) * len(candidates)
    at = tail_index[-1] if tail_index else -1
    while at >= 0:
        kept[at] = 1
        at = previous[at]
    for position_in_run, index in enumerate(candidates):
        if not kept[position_in_run]:
            refused[fills.lines[index]] = fills.odometers[index] * 4 + OUT_OF_RUN
    return refused


def _analyze(fills: _Fills, stored: _Fills, refused: dict[int, int]) -> None:
    """Each kept fill-up's economy under MotoVault's rules (fuellogs.economy, streamed over the
    stored and the file's fill-ups in fill-up order), and what its economy note needs."""
    fills.ratios = array("d", [math.nan]) * len(fills)
    fills.before = array("b", [0]) * len(fills)
    merged = [(stored.days[i], stored.odometers[i], 0, i) for i in range(len(stored))]
    merged += [
        (fills.days[i], fills.odometers[i], 1, i)
        for i in range(len(fills))
        if fills.lines[i] not in refused
    ]
    merged.sort()

    def rows() -> Iterator[dict[str, Any]]:
        for _day, _reading, new, index in merged:
            source = fills if new else stored
            yield {
                "id": index,
                "vehicle_id": None,
                "new": new,
                "odometer_reading": source.odometers[index],
                "gallons": Decimal(source.quantities[index]).scaleb(-3),
                "is_full_tank": bool(source.flags[index] & FULL),
                "missed_previous": bool(source.flags[index] & MISSED),
                "date": None,
            }

    partial = missed = seen_full = False
    for row, ratio in ratios_in_order(rows()):
        partial_before, missed_before = partial, missed or row["missed_previous"]
        if row["is_full_tank"]:
            partial = missed = False
        else:
            partial, missed = True, missed_before
        if row["new"]:
            index = row["id"]
            if ratio is not None:
                fills.ratios[index] = float(ratio)
            fills.before[index] = partial_before | missed_before << 1 | seen_full << 2
        seen_full = seen_full or row["is_full_tank"]


def _order_message(entry: Entry, packed: int, unit: str) -> str:
    reading, reason = divmod(packed, 4)
    distance = units.DISTANCE_ABBREVIATIONS[unit]
    assert entry.date is not None
    if reason == ABOVE_STORED:
        return (
            f"The odometer must be more than {l10n.number(reading)} {distance}, a reading "
            f"stored before {l10n.day(entry.date)}."
        )
    if reason == BELOW_STORED:
        return (
            f"The odometer must be less than {l10n.number(reading)} {distance}, a reading "
            f"stored after {l10n.day(entry.date)}."
        )
    return (
        f"The odometer reading {l10n.number(reading)} {distance} is out of order with the "
        "file's other fill-ups around that date."
    )


def _economy_note(entry: Entry, full: bool, partial: bool, missed: bool, seen_full: bool) -> str:
    ours, theirs = entry.economy, entry.source_economy
    if theirs is None or not full:
        return ""
    if ours is None:
        if missed:
            return (
                "The file states an economy, but MotoVault gives none to a segment with a "
                "missed fill-up."
            )
        if not seen_full:
            return (
                "The file states an economy, but MotoVault needs a full fill-up before this "
                "one to compute it."
            )
        return "The file states an economy where MotoVault computes none."
    if abs(ours - theirs) <= ECONOMY_TOLERANCE * theirs:
        return ""
    if partial:
        return (
            "Differs by more than 1 %: the segment holds a partial fill-up, whose fuel MotoVault "
            "adds to this full one."
        )
    return "Differs by more than 1 % from the file's figure."


def _new_vehicle(target: Target, user: User) -> Vehicle:
    source = target.source
    return Vehicle(
        user=user,
        nickname=(target.new_name or source_name(source) or "Imported vehicle")[:100],
        vin=target.new_vin,
        make=source.make[:100],
        model=source.model[:100],
        year=source.year,
        distance_unit=target.distance_unit,
        fuel_unit=target.fuel_unit,
    )


class _Import:
    """One import's state between its two passes over the file: per source vehicle, the
    compact keys of its stored fill-ups and services (duplicates), and its accepted fill-ups'
    readings (the order rule and the economy). The first pass (`survey`) decides what each row
    can decide alone and gathers the readings; the second (`decided`) decides every row for
    good, one at a time, for the preview to count and save to store."""

    def __init__(
        self,
        user: User,
        found: ImportFile,
        targets: dict[str, Target],
        date_order: str | None,
        progress: Callable[[str, int], None] | None,
    ) -> None:
        self.found, self.targets = found, targets
        self.date_order, self.progress = date_order, progress
        self.new = {key: target.is_new for key, target in targets.items()}
        # The rows are checked against these (a new vehicle's unsaved instance, even once saved).
        self.vehicles = {
            key: target.vehicle if target.vehicle is not None else _new_vehicle(target, user)
            for key, target in targets.items()
        }
        regional = l10n.current()
        self.economy_unit_of = {
            key: units.economy_unit_for(
                target.vehicle_units()[1],
                regional.economy_unit,
                regional.electric_economy_unit,
            )
            for key, target in targets.items()
        }
        stored_vehicles = [self.vehicles[key] for key, new in self.new.items() if not new]
        # By vehicle id: two source vehicles may go into one vehicle.
        self.stored = _stored_fills(stored_vehicles)
        self.stored_readings = _stored_readings(stored_vehicles)
        self.stored_fuel_keys = {
            vehicle_id: {
                ((fills.days[i] << 32) + fills.odometers[i] << 40) + fills.quantities[i]
                for i in range(len(fills))
            }
            for vehicle_id, fills in self.stored.items()
        }
        self.stored_costs = _stored_costs(stored_vehicles)
        self.fills: dict[str, _Fills] = defaultdict(_Fills)
        self.refused: dict[str, dict[int, int]] = {}
        # The source keys with a row to store (a new vehicle is created only for those).
        self.used: set[str] = set()

    def _stored_keys(self, key: str) -> set[int]:
        if self.new[key]:
            return set()
        return self.stored_fuel_keys.get(self.vehicles[key].pk, set())

    def _stored_cost_keys(self, key: str) -> set[tuple[Any, ...]]:
        if self.new[key]:
            return set()
        return self.stored_costs.get(self.vehicles[key].pk, set())

    def _rows(self, stage: str) -> Iterator[Entry]:
        """Each row decided as far as it can be alone: its fields and rules, and whether it
        repeats a stored row or an earlier one of the file."""
        targets, vehicles = self.targets, self.vehicles
        fuel_seen: dict[str, set[int]] = defaultdict(set)
        cost_seen: dict[str, set[tuple[Any, ...]]] = defaultdict(set)
        checker = FuelLog()
        for count, row in enumerate(self.found.rows(date_order=self.date_order), start=1):
            if self.progress is not None and count % 10_000 == 0:
                self.progress(stage, count)
            if isinstance(row, RowProblem):
                yield Entry(row.line, row.vehicle, "problem", status=ERROR, messages=(row.reason,))
                continue
            if row.vehicle not in targets:
                continue
            target = targets[row.vehicle]
            if isinstance(row, FuelRow):
                entry = _fuel_entry(row, target, vehicles[row.vehicle], checker)
                entry.source_economy = _source_economy(
                    row, target, self.economy_unit_of[row.vehicle]
                )
                if entry.accepted:
                    assert entry.date and entry.odometer is not None and entry.quantity
                    fuel_key = _fuel_key(entry.date, entry.odometer, entry.quantity)
                    if fuel_key in self._stored_keys(row.vehicle):
                        entry.refuse(DUPLICATE, "Already stored.")
                    elif fuel_key in fuel_seen[row.vehicle]:
                        entry.refuse(DUPLICATE, "The same as an earlier row of the file.")
                    fuel_seen[row.vehicle].add(fuel_key)
            else:
                entry = _cost_entry(row, target, vehicles[row.vehicle])
                if entry.accepted:
                    cost_key = _cost_key(entry)
                    if cost_key in self._stored_cost_keys(row.vehicle):
                        entry.refuse(DUPLICATE, "Already stored.")
                    elif cost_key in cost_seen[row.vehicle]:
                        entry.refuse(DUPLICATE, "The same as an earlier row of the file.")
                    cost_seen[row.vehicle].add(cost_key)
            yield entry

    def survey(self) -> None:
        """The first pass: gather each vehicle's accepted fill-ups' readings, then refuse
        those out of order and compute the economy of the others."""
        for entry in self._rows("checked"):
            if not entry.accepted:
                continue
            self.used.add(entry.vehicle)
            if entry.kind == "fuel":
                assert entry.date and entry.odometer is not None and entry.quantity
                self.fills[entry.vehicle].add(
                    entry.line,
                    entry.date.toordinal(),
                    entry.odometer,
                    entry.quantity,
                    FULL * entry.full | MISSED * entry.missed,
                )
        for key, fills in self.fills.items():
            # Popped: a vehicle's history is let go once its rows are decided.
            stored = _Fills() if self.new[key] else self.stored.pop(self.vehicles[key].pk, _Fills())
            readings = [] if self.new[key] else self.stored_readings.pop(self.vehicles[key].pk, [])
            self.refused[key] = _check_order(fills, _with_readings(stored, readings))
            _analyze(fills, stored, self.refused[key])

    def decided(self, stage: str) -> Iterator[Entry]:
        """The second pass: every row decided for good, in the file's order."""
        for entry in self._rows(stage):
            if entry.kind == "fuel" and entry.accepted:
                self._finish(entry)
            yield entry

    def _finish(self, entry: Entry) -> None:
        target = self.targets[entry.vehicle]
        packed = self.refused[entry.vehicle].get(entry.line)
        if packed is not None:
            entry.refuse(ERROR, _order_message(entry, packed, target.vehicle_units()[0]))
            return
        fills = self.fills[entry.vehicle]
        index = fills.index(entry.line)
        ratio = fills.ratios[index]
        if not math.isnan(ratio):
            distance_unit, fuel_unit = target.vehicle_units()
            entry.economy = units.economy(
                Decimal(ratio),
                Decimal(1),
                distance_unit=distance_unit,
                fuel_unit=fuel_unit,
                economy_unit=self.economy_unit_of[entry.vehicle],
            )
        before = fills.before[index]
        entry.economy_note = _economy_note(
            entry, entry.full, bool(before & 1), bool(before & 2), bool(before & 4)
        )
        if entry.economy_note:
            entry.warn(entry.economy_note)


def plan(
    user: User,
    found: ImportFile,
    targets: dict[str, Target],
    *,
    date_order: str | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Plan:
    """Decide every row of `found` for the owner's `targets` (one per source vehicle): two
    passes over the file, in memory bounded by the rows' readings (compact arrays), however
    long it is. Raises ImportFileError when the file cannot be read (no date order, a broken
    row)."""
    state = _Import(user, found, targets, date_order, progress)
    state.survey()
    made = Plan(targets, {key: VehicleSummary(target) for key, target in targets.items()})
    for entry in state.decided("decided"):
        made.see(entry)
    made.finish()
    return made


@dataclass
class Saved:
    # The source keys whose vehicle was created.
    created: list[str] = field(default_factory=list)
    vehicles: int = 0
    fill_ups: int = 0
    services: int = 0
    next_services: int = 0


def save(
    user: User,
    found: ImportFile,
    targets: dict[str, Target],
    *,
    date_order: str | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> tuple[Plan, Saved]:
    """Make the plan again with the target vehicles locked, and store what it accepts as its
    second pass decides it: new vehicles, fill-ups and completed services in batches (never all
    held), the next occurrence of each recurring cost; then raise each vehicle's odometer and
    forget the caches, as a manual entry does. All of it or nothing (one transaction). Raises
    ValidationError for a target vehicle deleted meanwhile or a new vehicle that cannot be
    created, ImportFileError for an unreadable file."""
    saved = Saved()
    with transaction.atomic():
        for target in targets.values():
            if target.vehicle is not None and not target.vehicle._state.adding:
                target.vehicle.lock()
                rules.check_vehicle(target.vehicle)
        state = _Import(user, found, targets, date_order, progress)
        state.survey()
        made = Plan(targets, {key: VehicleSummary(target) for key, target in targets.items()})
        for key, target in targets.items():
            if target.is_new and key in state.used:
                vehicle = _new_vehicle(target, user)
                vehicle.full_clean()
                vehicle.save()
                target.vehicle = vehicle
                saved.vehicles += 1
                saved.created.append(key)
        logs: list[FuelLog] = []
        records: list[MaintenanceRecord] = []
        latest: dict[tuple[Any, ...], MaintenanceRecord] = {}
        for entry in state.decided("saved"):
            made.see(entry)
            if not entry.accepted or entry.vehicle not in targets:
                continue
            into = targets[entry.vehicle].vehicle
            assert into is not None
            if entry.kind == "fuel":
                logs.append(
                    FuelLog(  # type: ignore[misc]
                        vehicle=into,
                        user_id=into.user_id,
                        date=entry.date,
                        odometer_reading=entry.odometer,
                        gallons=entry.quantity,
                        price_per_gallon=entry.price_per_unit,
                        total_cost=entry.total_cost,
                        is_full_tank=entry.full,
                        missed_previous=entry.missed,
                        station_name=entry.station,
                        notes=entry.notes,
                    )
                )
                if len(logs) >= BATCH:
                    FuelLog.objects.bulk_create(logs)
                    saved.fill_ups += len(logs)
                    logs = []
            else:
                record = _record(entry, into)
                record.user_id = into.user_id
                records.append(record)
                if record.interval_months:
                    series = (record.vehicle_id, record.type, record.description.casefold())
                    if (
                        series not in latest
                        or latest[series].completed_date < record.completed_date  # type: ignore[operator]
                    ):
                        latest[series] = record
                if len(records) >= BATCH:
                    MaintenanceRecord.objects.bulk_create(records)
                    saved.services += len(records)
                    records = []
        made.finish()
        FuelLog.objects.bulk_create(logs)
        saved.fill_ups += len(logs)
        MaintenanceRecord.objects.bulk_create(records)
        saved.services += len(records)
        upcoming = [n for r in latest.values() if (n := r.build_next()) is not None]
        for record in upcoming:
            record.user_id = record.vehicle.user_id
        MaintenanceRecord.objects.bulk_create(upcoming)
        saved.next_services = len(upcoming)
        # Each fill-up is linked to the owner's station it names, as one logged by hand is.
        vehicles = [t.vehicle for t in targets.values() if t.vehicle is not None]
        link_stations(user, FuelLog.objects.filter(vehicle__in=vehicles))
        for key, target in targets.items():
            if target.vehicle is not None and not target.vehicle._state.adding:
                target.vehicle.raise_odometer(made.summaries[key].top_odometer)
    invalidate_vehicle_stats(*(t.vehicle.pk for t in targets.values() if t.vehicle is not None))
    invalidate_upcoming(user.pk)
    invalidate_owner_caches(user.pk)
    return made, saved


def default_targets(
    user: User, sources: list[SourceVehicle], *, vehicle_name: str = ""
) -> dict[str, Target]:
    """Each source vehicle's target as the command chooses it: its match, else a new vehicle
    named after it. `vehicle_name` names the vehicle of a file that names none (or the one
    vehicle of a file that names one): the owner's vehicle of that name, or a new one."""
    found = matches(user, sources)
    named = matches(user, [SourceVehicle("", name=vehicle_name)])[""] if vehicle_name else None
    targets: dict[str, Target] = {}
    for source in sources:
        vehicle = found[source.key]
        new_name = source_name(source)
        if vehicle_name and (len(sources) == 1 or not new_name):
            vehicle, new_name = named, vehicle_name
        distance, fuel = default_units(source, vehicle, l10n.current())
        vin = source.vin if vehicle is None and _valid_vin(source.vin) else ""
        targets[source.key] = Target(source, vehicle, distance, fuel, new_name[:100], vin)
    return targets


def _valid_vin(vin: str) -> bool:
    try:
        validate_vin(vin)
    except ValidationError:
        return False
    return bool(vin)
