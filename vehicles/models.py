import datetime
import uuid
from collections.abc import Collection, Iterable
from typing import Any, Self, TypeVar

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models, transaction
from django.db.models import F, Q
from django.db.models.functions import Greatest, Length
from django.db.models.lookups import LessThanOrEqual
from django.db.transaction import TransactionManagementError
from django.urls import reverse
from django.utils import timezone

from motovault import l10n
from motovault.ownership import OwnedQuerySet
from motovault.text import MAX_TEXT_LENGTH, MultiLineField, SingleLineField
from motovault.units import DistanceUnit, FuelUnit
from vehicles.cache import invalidate_owner_caches
from vehicles.vin import VIN_LENGTH, latest_model_year, validate_serial, validate_vin

# The first car (Benz Patent-Motorwagen) is from 1886. The database's upper bound is a fixed
# sanity limit because SQLite refuses the current date in a CHECK; `Vehicle.clean` enforces
# "no later than next year".
FIRST_MODEL_YEAR = 1886
LAST_STORABLE_YEAR = 2100

# No date in a vehicle's history (a fill-up, a service done or due) is earlier: the forms say so
# and each date column has a CHECK. Years before it are typing slips (0001 for 2001).
EARLIEST_DATE = datetime.date(1900, 1, 1)
# No service is due later: a fixed bound for the database's CHECK (SQLite refuses the current
# date in one), far beyond the MAX_DUE_YEARS_AHEAD the forms allow. Years after it are slips.
LATEST_DUE_DATE = datetime.date(2200, 12, 31)
# A car can be bought before its model year begins: a 2025 model is on sale from early 2024.
# So a vehicle's history may start on January 1 of the year before its model year.
YEARS_SOLD_BEFORE_MODEL_YEAR = 1

# Seven digits, as odometers show: one limit for a vehicle, its fill-ups and its services, far
# beyond any car and well inside the database's integer columns.
MAX_ODOMETER = 9_999_999

# What a vehicle was bought or sold for: DECIMAL(10,2), a supercar's price with room to spare.
MAX_VEHICLE_PRICE = 99_999_999

# A record identical to one added this recently is the same submission sent twice (a
# double-click, or a post sent again after a timeout), and is not stored again.
RESUBMISSION_WINDOW = datetime.timedelta(minutes=10)


class AlreadySaved(Exception):
    """The record was saved moments ago, by the same submission sent twice: `record` is it."""

    def __init__(self, record: models.Model) -> None:
        super().__init__(record)
        self.record = record


def not_in_future(day: datetime.date) -> None:
    """The validator of every date that has happened (a fill-up, a service done): today at the
    latest, where the owner is (timezone.localdate() is in the time zone their request set)."""
    if day > timezone.localdate():
        raise ValidationError("The date cannot be in the future.", code="future")


def check_history_date(day: datetime.date, vehicle: "Vehicle | None") -> None:
    """Raise ValidationError (not keyed: callers name the field) when `day` is before the
    earliest date in `vehicle`'s history (or EARLIEST_DATE, with no vehicle), naming the limit."""
    earliest = vehicle.earliest_date if vehicle is not None else EARLIEST_DATE
    if day >= earliest:
        return
    limit = l10n.day(earliest)
    if vehicle is None or earliest == EARLIEST_DATE:
        raise ValidationError(f"The date cannot be before {limit}.")
    raise ValidationError(
        f"The date cannot be before {limit}: {vehicle.display_name} is a {vehicle.year} model."
    )


class VehicleQuerySet(OwnedQuerySet["Vehicle"]):
    def for_owner(self, user: User) -> Self:
        """The user's vehicles that are not deleted: what every owner-facing page may show."""
        return self.filter(user=user, deleted_at__isnull=True)

    def deleted_for_owner(self, user: User) -> Self:
        """The user's soft-deleted vehicles, for "Recently deleted"."""
        return self.filter(user=user, deleted_at__isnull=False)

    def update(self, **kwargs: Any) -> int:
        # Bulk updates keep `updated_at` current too, as the original's trigger did.
        kwargs.setdefault("updated_at", timezone.now())
        return super().update(**kwargs)


class Vehicle(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Served by vehicles_user_idx below (a second, automatic index would duplicate it).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vehicles", db_index=False
    )
    # Empty for a vehicle without one (a classic, a trailer, equipment, a market without VINs).
    vin = models.CharField("VIN", max_length=17, blank=True)
    # Set when the owner declared that the VIN has no North American check digit.
    vin_check_digit_waived = models.BooleanField(default=False)
    # Set when the owner declared `vin` a pre-1981 serial number: checked by
    # vehicles.vin.validate_serial, never decoded.
    # db_default: code that predates the field (a rolling deploy) still inserts rows.
    vin_is_serial = models.BooleanField("older serial number", default=False, db_default=False)
    make = SingleLineField(max_length=100, blank=True)
    model = SingleLineField(max_length=100, blank=True)
    year = models.IntegerField(null=True, blank=True)
    nickname = SingleLineField(max_length=100, blank=True)
    color = SingleLineField(max_length=50, blank=True)
    license_plate = SingleLineField(max_length=20, blank=True)
    odometer_reading = models.IntegerField(default=0)
    # Every number of the vehicle's (its odometer, its fill-ups' quantities and prices per unit,
    # its services' mileages and intervals) is in these units, as the owner typed it.
    distance_unit = models.CharField(
        max_length=2,
        choices=DistanceUnit.choices,
        default=DistanceUnit.MILES,
        db_default=DistanceUnit.MILES,
    )
    fuel_unit = models.CharField(
        max_length=6,
        choices=FuelUnit.choices,
        default=FuelUnit.US_GALLONS,
        db_default=FuelUnit.US_GALLONS,
    )
    is_active = models.BooleanField(default=True)
    # Purchase and sale: what ownership cost (depreciation) and since when it is counted.
    purchase_date = models.DateField(null=True, blank=True, validators=[not_in_future])
    purchase_price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_VEHICLE_PRICE)],
    )
    purchase_odometer = models.IntegerField(
        "odometer at purchase",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_ODOMETER)],
    )
    sold_date = models.DateField(null=True, blank=True, validators=[not_in_future])
    sold_price = models.DecimalField(
        max_digits=10,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_VEHICLE_PRICE)],
    )
    deleted_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = VehicleQuerySet.as_manager()

    class Meta:
        db_table = "vehicles"
        ordering = ["-is_active", "nickname", "-year", "make", "model"]
        constraints = [
            # A VIN may belong to several owners (a car sold between users), to one owner once;
            # any number of an owner's vehicles may have none. Serves restore-on-re-add.
            models.UniqueConstraint(
                fields=["user", "vin"], condition=~Q(vin=""), name="unique_user_vin"
            ),
            # What fuel logs and maintenance records reference with (vehicle, user), so that
            # their owner is always the vehicle's (their migrations add those keys).
            models.UniqueConstraint(fields=["id", "user"], name="vehicle_id_user_unique"),
            models.CheckConstraint(
                condition=Q(odometer_reading__gte=0), name="vehicle_odometer_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(year__isnull=True)
                | Q(year__gte=FIRST_MODEL_YEAR, year__lte=LAST_STORABLE_YEAR),
                name="vehicle_year_plausible",
            ),
            models.CheckConstraint(
                condition=Q(distance_unit__in=DistanceUnit.values),
                name="vehicle_distance_unit_known",
            ),
            models.CheckConstraint(
                condition=Q(fuel_unit__in=FuelUnit.values), name="vehicle_fuel_unit_known"
            ),
            # A sold vehicle is no longer driven: it leaves the active lists and the reminders.
            models.CheckConstraint(
                condition=Q(sold_date__isnull=True) | Q(is_active=False),
                name="vehicle_sold_is_inactive",
            ),
            models.CheckConstraint(
                condition=Q(sold_date__isnull=True)
                | Q(purchase_date__isnull=True)
                | Q(sold_date__gte=F("purchase_date")),
                name="vehicle_sold_after_purchase",
            ),
            models.CheckConstraint(
                condition=(Q(purchase_price__isnull=True) | Q(purchase_price__gte=0))
                & (Q(sold_price__isnull=True) | Q(sold_price__gte=0)),
                name="vehicle_prices_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(purchase_odometer__isnull=True) | Q(purchase_odometer__gte=0),
                name="vehicle_purchase_odometer_not_negative",
            ),
        ]
        indexes = [
            # Owner-scoped lists; VIN look-ups (admin search, restore-on-re-add).
            models.Index(fields=["user"], name="vehicles_user_idx"),
            models.Index(fields=["vin"], name="vehicles_vin_idx"),
            models.Index(fields=["is_active"], name="vehicles_is_active_idx"),
            models.Index(fields=["created_at"], name="vehicles_created_at_idx"),
        ]

    def __str__(self) -> str:
        return self.display_name

    def save(self, *args: Any, update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
        # auto_now only applies to the fields saved: a partial save must still touch updated_at.
        if update_fields is not None:
            update_fields = {*self.fields_to_write(update_fields), "updated_at"}
        super().save(*args, update_fields=update_fields, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("vehicles:detail", args=[self.pk])

    @property
    def display_name(self) -> str:
        """What the owner calls the car: its nickname, else year, make and model, else the VIN
        (clean() requires one of the first two of a vehicle without a VIN)."""
        if self.nickname:
            return self.nickname
        return self.description or self.vin

    @property
    def has_modern_vin(self) -> bool:
        """Whether it has a 17-character VIN, the kind vPIC can decode."""
        return len(self.vin) == VIN_LENGTH and not self.vin_is_serial

    @property
    def description(self) -> str:
        return " ".join(str(part) for part in (self.year, self.make, self.model) if part)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def earliest_date(self) -> datetime.date:
        """The earliest date its history may have: EARLIEST_DATE, or for a vehicle with a model
        year January 1 of the year before (YEARS_SOLD_BEFORE_MODEL_YEAR)."""
        if self.year is None:
            return EARLIEST_DATE
        return max(EARLIEST_DATE, datetime.date(self.year - YEARS_SOLD_BEFORE_MODEL_YEAR, 1, 1))

    def clean_fields(self, exclude: Collection[str] | None = None) -> None:
        # The VIN forms say the same; here too, so that every path to full_clean() (the admin,
        # an import, the API) applies the one VIN rule. Not when a form has already refused the
        # VIN it was given (then `vin` is excluded and holds nothing to judge).
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if "vin" not in (exclude or ()) and "vin" not in errors:
            try:
                self.clean_vin()
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def clean_vin(self) -> None:
        """Raise ValidationError when the VIN breaks its kind's rule (a 17-character VIN, or an
        older serial number), or when a vehicle without one has nothing to be named by."""
        if self.vin:
            try:
                if self.vin_is_serial:
                    validate_serial(self.vin)
                else:
                    validate_vin(self.vin, allow_invalid_check_digit=self.vin_check_digit_waived)
            except ValidationError as error:
                raise ValidationError({"vin": error.messages}) from None
        elif self.vin_is_serial:
            raise ValidationError(
                {"vin": "Enter the serial number, or uncheck “This is an older serial number”."}
            )
        elif not (self.nickname or self.make or self.model):
            # Without a VIN only these name it, on every page.
            raise ValidationError(
                {
                    "nickname": "Give a vehicle without a VIN a nickname, or fill in its make "
                    "and model."
                }
            )

    def clean(self) -> None:
        super().clean()
        if self.year is not None and not FIRST_MODEL_YEAR <= self.year <= latest_model_year():
            raise ValidationError(
                {"year": f"Enter a model year from {FIRST_MODEL_YEAR} to {latest_model_year()}."}
            )
        if self.odometer_reading is not None and self.odometer_reading < 0:
            raise ValidationError({"odometer_reading": "The odometer cannot be negative."})
        if self.sold_date and self.purchase_date and self.sold_date < self.purchase_date:
            raise ValidationError({"sold_date": "The sale cannot be before the purchase."})
        if self.sold_price is not None and self.sold_date is None:
            raise ValidationError({"sold_date": "Enter the date it was sold."})
        if (
            self.purchase_odometer is not None
            and self.odometer_reading is not None
            and self.purchase_odometer > self.odometer_reading
        ):
            raise ValidationError(
                {
                    "purchase_odometer": "The odometer when bought cannot be above its reading "
                    f"now, {l10n.number(self.odometer_reading)}."
                }
            )
        if self.sold_date is not None:
            # Sold is inactive (vehicle_sold_is_inactive): said here, not refused.
            self.is_active = False

    @property
    def is_sold(self) -> bool:
        return self.sold_date is not None

    @staticmethod
    def fields_to_write(changed: Iterable[str]) -> set[str]:
        """What a partial write of `changed` (the fields an edit changed) must write: those, and
        `is_active` with a sale date, which clean() made inactive whatever the form's box said
        (vehicle_sold_is_inactive refuses the one without the other)."""
        fields = set(changed)
        if "sold_date" in fields:
            fields.add("is_active")
        return fields

    def soft_delete(self) -> None:
        """Hide the vehicle from every list and form; its fuel logs and maintenance stay.
        Deleting twice at once keeps the first deletion's time."""
        now = timezone.now()
        if Vehicle.objects.filter(pk=self.pk, deleted_at__isnull=True).update(deleted_at=now):
            self.deleted_at = now
        invalidate_owner_caches(self.user_id)

    def restore(self) -> None:
        self.deleted_at = None
        self.save(update_fields=["deleted_at"])
        invalidate_owner_caches(self.user_id)

    def save_unless_deleted(self, fields: Iterable[str]) -> bool:
        """Write just `fields` (what an edit changed), unless the vehicle was deleted meanwhile:
        then nothing is written and False is returned. An edit that was loaded before a delete
        never brings the vehicle back, nor lowers an odometer that a fill-up raised."""
        values = {name: getattr(self, name) for name in self.fields_to_write(fields)}
        return bool(Vehicle.objects.filter(pk=self.pk, deleted_at__isnull=True).update(**values))

    def lock(self) -> None:
        """Hold this vehicle's row lock until the transaction ends, and reload the odometer and
        deleted state other writers may have changed. Every write of a record that carries an
        odometer reading (a fill-up, a service, and any kind added later) takes it first, so
        those writes go one at a time per vehicle and a rule that compares a record with its
        neighbors, checked after the lock, sees every record committed before. (SQLite has no
        row locks and ignores it.)"""
        if not transaction.get_connection().in_atomic_block:
            raise TransactionManagementError("Vehicle.lock() holds the lock for a transaction.")
        # NO KEY UPDATE: the lock writers take, while inserts that merely reference the vehicle
        # (its foreign keys' KEY SHARE) need not wait.
        current = (
            Vehicle.objects.select_for_update(no_key=True)
            .filter(pk=self.pk)
            .values("odometer_reading", "deleted_at")
            .get()
        )
        self.odometer_reading = current["odometer_reading"]
        self.deleted_at = current["deleted_at"]

    def raise_odometer(self, reading: int) -> None:
        """Move the odometer up to `reading`, never down, and forget what was cached from it.
        Race-free: two fill-ups saved at once both end at the higher reading."""
        if reading <= self.odometer_reading:
            return
        Vehicle.objects.filter(pk=self.pk).update(
            odometer_reading=Greatest(F("odometer_reading"), reading)
        )
        self.refresh_from_db(fields=["odometer_reading", "updated_at"])
        invalidate_owner_caches(self.user_id)


def sole_active(vehicles: Iterable[Vehicle]) -> Vehicle | None:
    """The vehicle a new record most likely belongs to, when the owner has no choice to make:
    the only active one of `vehicles` (the owner's, already loaded), else None. An inactive
    vehicle (sold, laid up) still takes records, but is not the one to assume."""
    active = [vehicle for vehicle in vehicles if vehicle.is_active]
    return active[0] if len(active) == 1 else None


_Record = TypeVar("_Record", bound="VehicleRecord")


class VehicleRecordQuerySet(OwnedQuerySet[_Record]):
    def for_owner(self, user: User) -> Self:
        """The user's records on vehicles that are not deleted: what every owner-facing page
        shows (a deleted vehicle's history is kept, out of sight, until it is restored)."""
        return self.filter(user=user, vehicle__deleted_at__isnull=True)


class VehicleRecord(models.Model):
    """What every kind of record that belongs to a vehicle has: a fill-up, a service, and any
    kind added later. Its owner is its vehicle's owner, always: save() sets it, and on
    PostgreSQL each kind's migration adds a foreign key on (vehicle_id, user_id) to the
    vehicle's (id, user_id) (motovault.owner_keys), so there not even a bulk write can break it.

    Each kind names its reverse accessors with Meta.default_related_name (`vehicle.fuel_logs`,
    `user.fuel_logs`), declares the indexes that serve both foreign keys, and declares
    `objects` from its own QuerySet built on VehicleRecordQuerySet (so `for_owner` is there)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Never chosen (not editable): save() takes it from the vehicle.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, editable=False, db_index=False
    )
    # A vehicle with records is only ever soft-deleted, so its history survives. RESTRICT is
    # PROTECT except when the same delete also removes the records: deleting a user account
    # (which cascades to both its vehicles and its records) works; deleting the vehicle does not.
    vehicle = models.ForeignKey(Vehicle, on_delete=models.RESTRICT, db_index=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        abstract = True

    def save(self, *args: Any, update_fields: Iterable[str] | None = None, **kwargs: Any) -> None:
        # The one place the owner is set, whoever saves: a view, the admin, a service.
        self.user_id = self.vehicle.user_id
        if update_fields is not None:
            # auto_now only applies to the fields saved; a new vehicle brings its owner along.
            update_fields = {*update_fields, "updated_at"}
            if "vehicle" in update_fields:
                update_fields.add("user")
        super().save(*args, update_fields=update_fields, **kwargs)

    def clean_fields(self, exclude: Iterable[str] | None = None) -> None:
        # The owner is no input: save() takes it from the vehicle.
        super().clean_fields(exclude={*(exclude or ()), "user"})


# What the owner enters for an odometer reading: two submissions alike in all of these are one.
READING_FIELDS: tuple[str, ...] = ("vehicle", "date", "odometer_reading", "notes")


class OdometerReadingQuerySet(VehicleRecordQuerySet["OdometerReading"]):
    """`for_owner` and the owned fetches, as every kind of record has them."""

    def resubmissions_of(self, reading: "OdometerReading") -> Self:
        """Readings added within RESUBMISSION_WINDOW with the very values of the unsaved
        `reading`: the same submission, sent before (served by odometer_vehicle_date_idx)."""
        return self.filter(
            created_at__gte=timezone.now() - RESUBMISSION_WINDOW,
            **{name: getattr(reading, name) for name in READING_FIELDS},
        )

    def newest_first(self) -> Self:
        return self.order_by("-date", "-odometer_reading", "-created_at")


class OdometerReading(VehicleRecord):
    """What the odometer showed on a day, with no fill-up or service: "52,310 on 3 May". It
    raises the vehicle's odometer and is a reading of vehicles.readings (the projection)."""

    date = models.DateField(validators=[not_in_future])
    odometer_reading = models.IntegerField(
        "odometer", validators=[MinValueValidator(0), MaxValueValidator(MAX_ODOMETER)]
    )
    notes = MultiLineField(blank=True)

    objects = OdometerReadingQuerySet.as_manager()

    class Meta:
        db_table = "odometer_readings"
        default_related_name = "odometer_readings"
        ordering = ["-date", "-odometer_reading", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(odometer_reading__gte=0), name="odometer_reading_not_negative"
            ),
            models.CheckConstraint(
                condition=Q(date__gte=EARLIEST_DATE),
                name="odometer_reading_date_not_before_1900",
                violation_error_message="The date cannot be before January 1, 1900.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), MAX_TEXT_LENGTH),
                name="odometer_reading_notes_length",
                violation_error_message=f"Keep the notes to {MAX_TEXT_LENGTH:,} characters.",
            ),
        ]
        indexes = [
            # The owner's readings (and every user_id look-up); the readings union per owner.
            models.Index(fields=["user", "-date"], name="odometer_user_date_idx"),
            # A vehicle's readings in order, their neighbors of a date, vehicle_id look-ups.
            models.Index(
                fields=["vehicle", "date", "odometer_reading"],
                name="odometer_vehicle_date_idx",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.odometer_reading:,}"


class VinCacheQuerySet(models.QuerySet["VinCache"]):
    def cached_before(self, moment: datetime.datetime) -> Self:
        """Entries older than `moment`: stale for decoding, and what cleanup deletes."""
        return self.filter(cached_at__lt=moment)


class VinCache(models.Model):
    """The persistent, second-level cache of vPIC decodes (30 days, application-managed)."""

    vin = models.CharField("VIN", max_length=17, primary_key=True)
    make = models.CharField(max_length=100, blank=True)
    model = models.CharField(max_length=100, blank=True)
    year = models.IntegerField(null=True, blank=True)
    engine_type = models.CharField(max_length=100, blank=True)
    body_type = models.CharField(max_length=100, blank=True)
    raw_data = models.JSONField(default=dict)
    cached_at = models.DateTimeField(default=timezone.now)

    objects = VinCacheQuerySet.as_manager()

    class Meta:
        db_table = "vin_cache"
        verbose_name = "VIN cache entry"
        verbose_name_plural = "VIN cache"
        indexes = [
            # cleanup_vin_cache deletes by age.
            models.Index(fields=["cached_at"], name="vin_cache_cached_at_idx"),
        ]

    def __str__(self) -> str:
        return self.vin
