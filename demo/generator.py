"""Realistic demo data at any scale, for `manage.py seed_demo` and the benchmark.

Everything is drawn from one random stream seeded with the seed and the username prefix, ids
included: a seed and prefix give the same data (for the same "today"), and another prefix gives
other ids, so a second run beside the first does not collide with it. Rows stream to the database
in batches of BATCH with bulk inserts, so memory stays flat however many there are.
"""

import datetime as dt
import math
import random
import time
import uuid
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from typing import cast

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User
from django.db import connection, models, transaction
from django.utils import timezone

from costs.models import Category, Cost
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord, MaintenanceType, add_months
from motovault.units import KM_PER_MILE, LITERS_PER_US_GALLON, DistanceUnit, FuelUnit
from stations.models import FavoriteStation, Station
from vehicles.models import OdometerReading, Vehicle, VinCache
from vehicles.vin import check_digit

BATCH = 5_000
FAVORITES = 3  # stations each owner saves
COSTS = 6  # other costs of each vehicle (Generator.costs)
READINGS = 4  # odometer readings of each vehicle with fill-ups (Generator.reading_between)
CENT = Decimal("0.01")
MILLI = Decimal("0.001")


@dataclass(frozen=True)
class Model:
    """A real vehicle: its VIN and what vPIC decodes it to, and how it drives."""

    vin: str
    year: int
    make: str
    model: str
    engine: str
    body: str
    mpg: float
    tank_gallons: float
    color: str
    price: int  # what the demo owner paid for it, used


# VINs whose vPIC decodes are in the test fixtures (and so known to be real and valid).
REAL_VEHICLES = (
    Model(
        "1FTMW1T88MFA00001",
        2021,
        "FORD",
        "F-150",
        "6 cyl 3.5 L Gasoline",
        "Pickup",
        19.5,
        26.0,
        "Agate Black",
        41_500,
    ),
    Model(
        "3VWD07AJ5EM388202",
        2014,
        "VOLKSWAGEN",
        "Jetta",
        "4 cyl 1.8 L Gasoline",
        "Sedan/Saloon",
        31.0,
        14.5,
        "Tornado Red",
        11_900,
    ),
    Model(
        "1GYDE63A740121151",
        2004,
        "CADILLAC",
        "SRX",
        "8 cyl 4.6 L Gasoline",
        "Sport Utility Vehicle (SUV)",
        16.5,
        20.0,
        "Light Platinum",
        6_400,
    ),
    Model(
        "3VV3B7AXXNM077525",
        2022,
        "VOLKSWAGEN",
        "Tiguan",
        "4 cyl 2.0 L Gasoline",
        "Sport Utility Vehicle (SUV)",
        25.5,
        15.3,
        "Pure White",
        29_800,
    ),
)
# The vehicle at this place in each owner's list is kept in kilometers and liters (bought
# abroad), so that the demo shows both kinds; the rest are in miles and US gallons.
METRIC_INDEX = 1
# The vehicle at this place has been sold lately (inactive, with its sale price): the demo shows
# a finished ownership's cost beside the current ones.
SOLD_INDEX = 2
NICKNAMES = ("Work truck", "Commuter", "The old Caddy", "Family SUV", "Weekend car", "Spare")
STATION_NAMES = (
    "Shell Main Street",
    "Costco Gas Station",
    "Chevron Oak Ave",
    "Exxon Riverside",
    "BP Highway 66",
    "Speedway Center",
    "Circle K Elm St",
    "Sunoco Lakeview",
)
SERVICE_PLACES = (
    "Jiffy Lube",
    "Dealer service",
    "Midas",
    "Firestone Complete Auto Care",
    "Home garage",
    "Discount Tire",
)

# Recurring services: type, every N miles, every N months, typical cost range.
SERVICES = (
    (MaintenanceType.OIL_CHANGE, 5_000, 6, (45, 95)),
    (MaintenanceType.TIRE_ROTATION, 7_500, 12, (25, 45)),
    (MaintenanceType.AIR_FILTER, 15_000, 24, (30, 60)),
    (MaintenanceType.CABIN_AIR_FILTER, 15_000, 24, (30, 70)),
    (MaintenanceType.WIPER_BLADES, None, 12, (25, 45)),
    (MaintenanceType.INSPECTION, None, 12, (20, 60)),
    (MaintenanceType.BRAKE_SERVICE, 30_000, None, (180, 420)),
    (MaintenanceType.BATTERY, None, 48, (140, 260)),
)


def money(value: float) -> Decimal:
    return Decimal(str(value)).quantize(CENT, ROUND_HALF_UP)


def car_price(value: float) -> Decimal:
    """A price as cars are sold for: to the nearest fifty."""
    return Decimal(round(value / 50) * 50).quantize(CENT)


class Generator:
    """Builds one owner's data at a time; every call draws from the same seeded stream."""

    def __init__(self, seed: int, today: dt.date | None = None, prefix: str = "demo"):
        # A string seed is hashed (SHA-512), so this is stable across processes and versions.
        self.rng = random.Random(f"{seed}:{prefix}")
        self.today = today or timezone.localdate()
        self.now = timezone.now()

    def uuid(self) -> uuid.UUID:
        return uuid.UUID(int=self.rng.getrandbits(128), version=4)

    def price_on(self, day: dt.date) -> float:
        """Regular gas: dearer in summer, cheaper in winter, wandering from year to year."""
        season = math.sin((day.timetuple().tm_yday - 100) / 365 * 2 * math.pi)
        drift = 0.45 * math.sin(day.toordinal() / 700) + 0.25 * math.sin(day.toordinal() / 170)
        return max(2.19, 3.25 + 0.22 * season + drift)

    def vehicles(self, user_id: int, count: int) -> list[tuple[Vehicle, Model]]:
        made = []
        for index in range(count):
            model = REAL_VEHICLES[index % len(REAL_VEHICLES)]
            vin = model.vin if index < len(REAL_VEHICLES) else synthetic_vin(self.rng)
            vehicle = Vehicle(
                id=self.uuid(),
                user_id=user_id,
                vin=vin,
                make=model.make.title(),
                model=model.model,
                year=model.year,
                nickname=NICKNAMES[index % len(NICKNAMES)] if index < len(NICKNAMES) else "",
                color=model.color,
                license_plate=f"{self.rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}"
                f"{self.rng.randint(100, 999)}-{self.rng.randint(1000, 9999)}",
                odometer_reading=0,
            )
            if index == METRIC_INDEX:
                vehicle.distance_unit = DistanceUnit.KILOMETERS
                vehicle.fuel_unit = FuelUnit.LITERS
            made.append((vehicle, model))
        return made

    def fuel_logs(self, vehicle: Vehicle, model: Model, count: int) -> list[FuelLog]:
        """The fill-ups of `fill_ups` all at once, for a few hundred of them."""
        return list(self.fill_ups(vehicle, model, count))

    def fill_ups(self, vehicle: Vehicle, model: Model, count: int) -> Iterator[FuelLog]:
        """`count` fill-ups ending recently, one at a time: about weekly, or several a day when
        there are many (the benchmark's 5,000 per vehicle fit in ten years). Partial fill-ups
        (1 in 10) and a missed fill-up now and then, as real logs have. Once they are all
        drawn, `vehicle.odometer_reading` is the last one's. Drawn in miles and US gallons, and
        written in the vehicle's units."""
        if count == 0:
            return
        per_mile = float(KM_PER_MILE) if vehicle.distance_unit == DistanceUnit.KILOMETERS else 1.0
        per_gallon = LITERS_PER_US_GALLON if vehicle.fuel_unit == FuelUnit.LITERS else Decimal(1)
        span_days = min(count * 8, 3650)
        start = self.today - dt.timedelta(days=span_days + self.rng.randint(1, 6))
        odometer = self.rng.randint(3_000, 40_000)
        deficit = 0.0  # gallons a partial fill-up left the tank short
        for index in range(count):
            day = start + dt.timedelta(days=span_days * index // count)
            winter = (1 + math.cos((day.timetuple().tm_yday - 15) / 365 * 2 * math.pi)) / 2
            mpg = model.mpg * (1 - 0.09 * winter) * self.rng.gauss(1, 0.035)
            missed = index > 0 and self.rng.random() < 0.03
            miles = model.tank_gallons * mpg * self.rng.uniform(0.45, 0.85)
            if missed:
                # The unlogged fill-up in between filled the tank; its miles still count.
                odometer += int(model.tank_gallons * mpg * self.rng.uniform(0.5, 0.8) * per_mile)
                deficit = 0.0
            odometer += max(1, int(miles * per_mile))
            used = miles / mpg
            full = index == 0 or self.rng.random() >= 0.1
            gallons = used + deficit if full else used * self.rng.uniform(0.35, 0.7)
            deficit = 0.0 if full else deficit + used - gallons
            gallons_dec = (Decimal(str(max(gallons, 0.5))) * per_gallon).quantize(
                MILLI, ROUND_HALF_UP
            )
            price = (Decimal(str(self.price_on(day))) / per_gallon).quantize(MILLI, ROUND_HALF_UP)
            yield FuelLog(
                id=self.uuid(),
                user_id=vehicle.user_id,
                vehicle_id=vehicle.id,
                date=day,
                odometer_reading=odometer,
                gallons=gallons_dec,
                price_per_gallon=price,
                total_cost=(gallons_dec * price).quantize(CENT, ROUND_HALF_UP),
                station_name=self.rng.choice(STATION_NAMES[:5]),
                is_full_tank=full,
                missed_previous=missed,
                notes="Road trip" if self.rng.random() < 0.02 else "",
            )
        vehicle.odometer_reading = odometer

    def maintenance(
        self, vehicle: Vehicle, logs: list[FuelLog], count: int
    ) -> list[MaintenanceRecord]:
        """Past services dated by fill-ups spread over `logs` (all of the vehicle's, or an
        even sample of them), plus a schedule: an oil change due by mileage (soon, or already
        over), an inspection due by date (overdue, or in a few weeks), and a tire rotation later
        on (all recurring)."""
        if count == 0:
            return []
        oil_in = self.rng.choice((-120, 180, 300, 450))
        inspection_in = self.rng.choice((-9, -3, 12, 40))
        scheduled = [
            {
                "type": MaintenanceType.OIL_CHANGE,
                "due_mileage": vehicle.odometer_reading + oil_in,
                "due_date": add_months(self.today, 2),
                "interval_miles": 5_000,
                "interval_months": 6,
            },
            {
                "type": MaintenanceType.INSPECTION,
                "due_date": self.today + dt.timedelta(days=inspection_in),
                "interval_months": 12,
            },
            {
                "type": MaintenanceType.TIRE_ROTATION,
                "due_mileage": vehicle.odometer_reading + 3_000,
                "interval_miles": 7_500,
            },
        ][:count]
        records = [
            MaintenanceRecord(
                id=self.uuid(),
                user_id=vehicle.user_id,
                vehicle_id=vehicle.id,
                description="",
                **fields,
            )
            for fields in scheduled
        ]
        history = count - len(records)
        points = logs or []
        for index in range(history):
            kind, _miles, _months, (low, high) = SERVICES[index % len(SERVICES)]
            if points:
                log = points[(index * len(points)) // max(history, 1)]
                done_on, mileage = log.date, log.odometer_reading
            else:
                done_on = self.today - dt.timedelta(days=30 * (history - index))
                mileage = max(0, vehicle.odometer_reading - 500 * (history - index))
            records.append(
                MaintenanceRecord(
                    id=self.uuid(),
                    user_id=vehicle.user_id,
                    vehicle_id=vehicle.id,
                    type=kind,
                    description="",
                    is_completed=True,
                    completed_date=min(done_on, self.today),
                    completed_mileage=mileage,
                    cost=money(self.rng.uniform(low, high)),
                    service_location=self.rng.choice(SERVICE_PLACES),
                )
            )
        return records

    def buy(self, vehicle: Vehicle, model: Model, first: FuelLog) -> None:
        """The purchase, a few weeks before the `first` fill-up: about the model's price, the
        odometer a few hundred miles (or kilometers) below that fill-up's."""
        vehicle.purchase_date = first.date - dt.timedelta(days=self.rng.randint(2, 30))
        vehicle.purchase_price = car_price(model.price * self.rng.uniform(0.92, 1.08))
        vehicle.purchase_odometer = first.odometer_reading - self.rng.randint(150, 900)

    def sell(self, vehicle: Vehicle, last: FuelLog) -> None:
        """Sold a few days after the `last` fill-up (today at the latest), for 55 to 80% of
        what it cost: no longer in use."""
        assert vehicle.purchase_price is not None  # bought first (`buy`)
        vehicle.sold_date = min(self.today, last.date + dt.timedelta(days=self.rng.randint(1, 5)))
        vehicle.sold_price = car_price(float(vehicle.purchase_price) * self.rng.uniform(0.55, 0.8))
        vehicle.is_active = False

    def reading_between(self, vehicle: Vehicle, before: FuelLog, after: FuelLog) -> OdometerReading:
        """An odometer reading taken between two consecutive fill-ups, dated and read between
        theirs: so it keeps the order of readings (vehicles.rules.check_odometer), which lets
        readings of a fill-up's own day come in any order."""
        days = (after.date - before.date).days
        return OdometerReading(
            id=self.uuid(),
            user_id=vehicle.user_id,
            vehicle_id=vehicle.id,
            date=before.date + dt.timedelta(days=self.rng.randint(0, days)),
            odometer_reading=self.rng.randint(
                before.odometer_reading + 1, after.odometer_reading - 1
            ),
            notes=self.rng.choice(("", "", "Before the road trip", "For the insurer")),
        )

    def costs(self, vehicle: Vehicle, logs: list[FuelLog]) -> list[Cost]:
        """A handful of other costs: insurance paid yearly for two years (its renewal comes
        due soon, or later on), the yearly registration, two parking tickets, and a set of
        tires bought at a fill-up of `logs` (with its odometer), else without one."""
        renewal_in = self.rng.choice((12, 25, 90, 200))
        insured = add_months(self.today + dt.timedelta(days=renewal_in), -12)
        premium = self.rng.uniform(480, 1_100)
        registered = self.today - dt.timedelta(days=self.rng.randint(60, 300))
        drawn: list[tuple[str, str, dt.date, float, int | None, int | None]] = [
            (Category.INSURANCE, "", add_months(insured, -12), premium * 0.96, 12, None),
            (Category.INSURANCE, "", insured, premium, 12, None),
            (Category.REGISTRATION, "", registered, self.rng.uniform(60, 240), 12, None),
            *(
                (
                    Category.PARKING,
                    self.rng.choice(("Airport parking", "Downtown garage", "Stadium lot")),
                    self.today - dt.timedelta(days=self.rng.randint(3, 80)),
                    self.rng.uniform(8, 45),
                    None,
                    None,
                )
                for _ in range(2)
            ),
        ]
        tires_at = logs[len(logs) // 2] if logs else None
        drawn.append(
            (
                Category.TIRES,
                "Set of four all-season tires",
                tires_at.date if tires_at else self.today - dt.timedelta(days=400),
                self.rng.uniform(520, 980),
                None,
                tires_at.odometer_reading if tires_at else None,
            )
        )
        return [
            Cost(
                id=self.uuid(),
                user_id=vehicle.user_id,
                vehicle_id=vehicle.id,
                category=category,
                title=title,
                date=date,
                amount=money(amount),
                repeat_months=repeat_months,
                odometer_reading=odometer,
            )
            for category, title, date, amount, repeat_months, odometer in drawn
        ]


def synthetic_vin(rng: random.Random) -> str:
    """A valid North American VIN that belongs to no real car's record here."""
    alphabet = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"
    body = (
        "1"
        + "".join(rng.choice(alphabet) for _ in range(7))
        + "0"
        + "L"
        + rng.choice(alphabet)
        + f"{rng.randint(0, 999_999):06d}"
    )
    return body[:8] + check_digit(body) + body[9:]


def insert(model: type[models.Model], objects: list[models.Model]) -> None:
    """Bulk insert. On PostgreSQL, rows with their primary key already set go through COPY,
    several times faster than INSERT for the millions of rows of a benchmark; its errors are
    Django's, as bulk_create's are."""
    fields = model._meta.concrete_fields
    if connection.vendor != "postgresql" or not objects or objects[0].pk is None:
        model._default_manager.bulk_create(objects, batch_size=BATCH)
        return
    now = timezone.now()
    stamped = {"created_at", "updated_at"}
    # A concrete field always has a column.
    columns = ", ".join(connection.ops.quote_name(cast(str, field.column)) for field in fields)
    with (
        connection.wrap_database_errors,
        connection.cursor() as cursor,
        cursor.copy(f"COPY {model._meta.db_table} ({columns}) FROM STDIN") as copy,
    ):
        for obj in objects:
            copy.write_row(
                [
                    now if field.attname in stamped else getattr(obj, field.attname)
                    for field in fields
                ]
            )


def demo_stations() -> list[Station]:
    """The shared stations the demo owners save as favorites (found once through Places)."""
    existing = {
        s.google_place_id: s for s in Station.objects.filter(google_place_id__startswith="demo-")
    }
    stations = []
    for index, name in enumerate(STATION_NAMES):
        place_id = f"demo-{index}"
        if place_id in existing:
            stations.append(existing[place_id])
            continue
        stations.append(
            Station(
                # Not from the seeded stream: whether the stations exist already must not
                # change the rest of the data.
                id=uuid.uuid5(uuid.NAMESPACE_URL, f"motovault:{place_id}"),
                google_place_id=place_id,
                name=name,
                address=f"{100 + 37 * index} {name.split()[-2]} St, Springfield, IL 62701, USA",
                latitude=Decimal("39.78") + Decimal(index) / 100,
                longitude=Decimal("-89.65") - Decimal(index) / 100,
                phone=f"(217) 555-01{index:02d}",
            )
        )
    Station.objects.bulk_create([s for s in stations if s.google_place_id not in existing])
    return stations


class Writer:
    """Writes rows in batches of BATCH and reports after each one, so memory stays flat and a
    long run shows it is moving."""

    def __init__(self, total: int, progress: Callable[[str], None]):
        self.total = total
        self.progress = progress
        self.pending: dict[type, list] = defaultdict(list)
        self.size = 0
        self.written = 0
        self.started = time.monotonic()

    def add(self, row: models.Model) -> None:
        self.pending[type(row)].append(row)
        self.size += 1
        if self.size >= BATCH:
            self.flush()

    def flush(self) -> None:
        if not self.size:
            return
        for model, rows in self.pending.items():
            insert(model, rows)
            rows.clear()
        self.written += self.size
        self.size = 0
        rate = self.written / max(time.monotonic() - self.started, 1e-6)
        self.progress(
            f"{self.written:,}/{self.total:,} rows ({self.written / self.total:.0%}), "
            f"{rate:,.0f} rows/s"
        )


def cache_real_decodes() -> None:
    """What vPIC says of the real VINs, as if each had been looked up once already."""
    VinCache.objects.bulk_create(
        [
            VinCache(
                vin=m.vin,
                make=m.make,
                model=m.model,
                year=m.year,
                engine_type=m.engine,
                body_type=m.body,
                raw_data={"Make": m.make, "Model": m.model, "ModelYear": str(m.year)},
            )
            for m in REAL_VEHICLES
        ],
        ignore_conflicts=True,
    )


def seed(
    *,
    seed: int = 1,
    users: int = 1,
    vehicles_per_user: int = 3,
    fuel_logs_per_vehicle: int = 150,
    maintenance_per_vehicle: int = 12,
    prefix: str = "demo",
    password: str = "demo-motovault",
    progress: Callable[[str], None] = lambda _line: None,
) -> list[User]:
    """Create `users` owners named prefix, prefix2, ... with their data, all or nothing.
    Returns the users."""
    generator = Generator(seed, prefix=prefix)
    names = [prefix if n == 1 else f"{prefix}{n}" for n in range(1, users + 1)]
    password_hash = make_password(password)  # hashed once: hashing per user would dominate
    readings = len(reading_places(fuel_logs_per_vehicle))
    per_vehicle = 1 + fuel_logs_per_vehicle + maintenance_per_vehicle + COSTS + readings
    writer = Writer(users * (FAVORITES + vehicles_per_user * per_vehicle), progress)
    # One transaction, so a run that fails leaves no owner without their data to block a retry.
    # A vehicle is written after its fill-ups (its odometer is their last reading): the foreign
    # keys, deferred as Django makes them, are checked at commit.
    with transaction.atomic():
        owners = User.objects.bulk_create(
            [
                User(username=name, password=password_hash, first_name=name.title())
                for name in names
            ],
            batch_size=BATCH,
        )
        stations = demo_stations()
        cache_real_decodes()
        for owner in owners:
            vehicles = generator.vehicles(owner.id, vehicles_per_user)
            for index, (vehicle, model) in enumerate(vehicles):
                write_vehicle(
                    writer,
                    generator,
                    vehicle,
                    model,
                    fuel_logs_per_vehicle,
                    maintenance_per_vehicle,
                    sold=index == SOLD_INDEX,
                )
            for index, station in enumerate(generator.rng.sample(stations, FAVORITES)):
                writer.add(
                    FavoriteStation(
                        user_id=owner.id,
                        station=station,
                        note="Cheapest in town" if index == 0 else "",
                    )
                )
        writer.flush()
    return owners


def reading_places(fuel_logs: int) -> set[int]:
    """The fill-ups (by index) before each of which an odometer reading is taken: READINGS
    spread evenly, fewer when there are few fill-ups, and never before the first."""
    return {fuel_logs * n // (READINGS + 1) for n in range(1, READINGS + 1)} - {0}


def write_vehicle(
    writer: Writer,
    generator: Generator,
    vehicle: Vehicle,
    model: Model,
    fuel_logs: int,
    maintenance: int,
    *,
    sold: bool = False,
) -> None:
    """One vehicle's fill-ups as they are drawn, with READINGS odometer readings spread among
    them, then the vehicle (bought before its first fill-up, `sold` after its last), then its
    maintenance and other costs, dated by a sample of the fill-ups: keeping them all could be
    hundreds of megabytes."""
    every = max(1, fuel_logs // max(maintenance, 1))
    readings_at = reading_places(fuel_logs)
    sample: list[FuelLog] = []
    first = last = None
    for index, log in enumerate(generator.fill_ups(vehicle, model, fuel_logs)):
        writer.add(log)
        if index in readings_at:
            assert last is not None  # never the first
            writer.add(generator.reading_between(vehicle, last, log))
        if index % every == 0:
            sample.append(log)
        first, last = first or log, log
    if first is not None and last is not None:
        generator.buy(vehicle, model, first)
        if sold:
            generator.sell(vehicle, last)
    writer.add(vehicle)
    for record in generator.maintenance(vehicle, sample, maintenance):
        writer.add(record)
    for cost in generator.costs(vehicle, sample):
        writer.add(cost)
