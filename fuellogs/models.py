import datetime
import uuid
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, Self, cast

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, F, OuterRef, Q, Subquery, Value, When, Window
from django.db.models.functions import Length, RowNumber
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from fuellogs import rules
from fuellogs.rules import AMOUNT_FIELDS
from fuellogs.wording import MISSED_PREVIOUS
from motovault import l10n
from motovault.text import MAX_TEXT_LENGTH, MultiLineField, SingleLineField
from motovault.units import DISTANCE_ABBREVIATIONS, FUEL_ABBREVIATIONS, FuelUnit
from stations.models import Station
from stations.prices import PricePaid
from vehicles import readings
from vehicles import rules as vehicle_rules
from vehicles.models import (
    EARLIEST_DATE,
    MAX_ODOMETER,
    RESUBMISSION_WINDOW,
    Vehicle,
    VehicleRecord,
    VehicleRecordQuerySet,
)

# The fields fuel economy is computed from (fuellogs.economy), in the order fill-ups happened.
ECONOMY_FIELDS = (
    "id",
    "vehicle_id",
    "date",
    "odometer_reading",
    "gallons",
    "total_cost",
    "is_full_tank",
    "missed_previous",
)

# What the owner enters for a fill-up (the forms' fields): two submissions alike in all of these
# are one fill-up.
ENTERED_FIELDS = (
    "vehicle",
    "date",
    "odometer_reading",
    "gallons",
    "price_per_gallon",
    "total_cost",
    "is_full_tank",
    "missed_previous",
    "station_name",
    "notes",
)


class FuelLogQuerySet(VehicleRecordQuerySet["FuelLog"]):
    def resubmissions_of(self, log: "FuelLog") -> Self:
        """Logs added within RESUBMISSION_WINDOW with the very values of the unsaved `log`: the
        same submission, sent before (served by fuel_logs_vehicle_date_idx)."""
        return self.filter(
            created_at__gte=timezone.now() - RESUBMISSION_WINDOW,
            **{name: getattr(log, name) for name in ENTERED_FIELDS},
        )

    def flagged_after(self, log: "FuelLog") -> "FuelLog | None":
        """The fill-up right after `log` on its vehicle, when it says the one before it was
        missed: `log` may be that missed fill-up, logged late. One probe of
        fuel_logs_vehicle_odometer_idx."""
        following = (
            self.filter(vehicle_id=log.vehicle_id, odometer_reading__gt=log.odometer_reading)
            .order_by("odometer_reading", "date")
            .first()
        )
        return following if following is not None and following.missed_previous else None

    def newest_first(self) -> Self:
        return self.order_by("-date", "-odometer_reading", "-created_at")

    def in_fill_up_order(self) -> Self:
        """Oldest first. Same-day fill-ups go in odometer order; the odometer rule
        (vehicles.rules.check_odometer) makes this the odometer order too."""
        return self.order_by("date", "odometer_reading", "created_at", "id")

    def economy_rows(self) -> list[dict[str, Any]]:
        """One query: the rows fuellogs.economy computes MPG and statistics from."""
        return list(self.in_fill_up_order().values(*ECONOMY_FIELDS))

    def economy_rows_for(self, logs: Iterable["FuelLog"]) -> list[dict[str, Any]]:
        """Just the rows needed for the MPG of each of `logs` (a page of the list): per vehicle,
        from the last full fill-up before its earliest log on the page up to its latest one,
        instead of the vehicle's whole history. Two small queries."""
        span: dict[uuid.UUID, tuple[int, int]] = {}
        for log in logs:
            low, high = span.get(log.vehicle_id, (log.odometer_reading, log.odometer_reading))
            span[log.vehicle_id] = (min(low, log.odometer_reading), max(high, log.odometer_reading))
        if not span:
            return []
        # Each vehicle's segment start: its last full fill-up below the page, one index probe
        # per vehicle, in one query. Literal bounds then let the rows query use the index too.
        starts = (
            Vehicle.objects.filter(pk__in=span)
            .annotate(
                low=Case(*(When(pk=pk, then=Value(low)) for pk, (low, _high) in span.items()))
            )
            .annotate(
                start=Subquery(
                    FuelLog.objects.filter(
                        vehicle_id=OuterRef("pk"),
                        is_full_tank=True,
                        odometer_reading__lt=OuterRef("low"),
                    )
                    .order_by("-odometer_reading")
                    .values("odometer_reading")[:1]
                )
            )
            .values("pk", "start")
        )
        start_by_vehicle = {row["pk"]: row["start"] or 0 for row in starts}
        condition = Q()
        for vehicle_id, (_low, high) in span.items():
            condition |= Q(
                vehicle_id=vehicle_id,
                odometer_reading__gte=start_by_vehicle[vehicle_id],
                odometer_reading__lte=high,
            )
        return self.filter(condition).economy_rows()

    def prices_paid(self, partition: str, *order: Any) -> list[PricePaid]:
        """Per value of `partition`, the fill-up first in `order` among these (with a price and
        a station), as a PricePaid. One query: a window ranks each partition's rows."""
        rows = (
            self.filter(station__isnull=False, price_per_gallon__isnull=False)
            .annotate(rank=Window(RowNumber(), partition_by=F(partition), order_by=order))
            .filter(rank=1)
            .values_list(
                "station_id", "station__name", "price_per_gallon", "vehicle__fuel_unit", "date"
            )
        )
        # The filter keeps only fill-ups with a price.
        return [
            PricePaid(station_id, name, cast(Decimal, price), fuel_unit, day)
            for station_id, name, price, fuel_unit, day in rows
        ]


class FuelLog(VehicleRecord):
    """A fill-up. Its numbers are in its vehicle's units, as typed (Vehicle.distance_unit and
    fuel_unit): the odometer in miles or kilometers, `gallons` is the quantity in US gallons,
    liters, imperial gallons or kWh, and `price_per_gallon` the price per that unit. The
    columns keep their first names; forms, lists, the admin and the export name the units."""

    date = models.DateField()
    odometer_reading = models.IntegerField(
        "odometer (mi)",
        validators=[
            MinValueValidator(0, "The odometer cannot be negative."),
            MaxValueValidator(
                MAX_ODOMETER, f"The largest reading MotoVault stores is {MAX_ODOMETER:,} mi."
            ),
        ],
    )
    # May be left blank when the price and total are given: clean_fields computes it.
    gallons = models.DecimalField(max_digits=8, decimal_places=3, blank=True)
    price_per_gallon = models.DecimalField(
        "price per gallon", max_digits=6, decimal_places=3, null=True, blank=True
    )
    total_cost = models.DecimalField(max_digits=8, decimal_places=2, null=True, blank=True)
    station_name = SingleLineField(max_length=200, blank=True)
    # The owner's station this name names (stations.linking), set whenever the log is saved.
    station = models.ForeignKey(
        Station, on_delete=models.SET_NULL, null=True, blank=True, db_index=False
    )
    notes = MultiLineField(blank=True)
    # A partial fill-up cannot close an MPG segment: the tank level afterwards is unknown.
    is_full_tank = models.BooleanField("filled the tank", default=True)
    # The fill-up before this one was never logged, so the segment this one closes has no MPG.
    missed_previous = models.BooleanField(MISSED_PREVIOUS.lower(), default=False)
    # Which of the three amounts MotoVault computed from the other two when the fill-up was
    # saved: the one that follows when the owner later corrects another
    # (rules.amount_to_recompute). Empty when all three were typed, and for fill-ups saved
    # before it was recorded. db_default: code that predates the field still inserts rows.
    computed_amount = models.CharField(
        max_length=16,
        choices=[(name, name) for name in AMOUNT_FIELDS],
        blank=True,
        default="",
        db_default="",
        editable=False,
    )

    objects = FuelLogQuerySet.as_manager()

    class Meta:
        db_table = "fuel_logs"
        default_related_name = "fuel_logs"
        ordering = ["-date", "-odometer_reading", "-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(gallons__gt=0), name="fuel_log_gallons_positive"),
            models.CheckConstraint(
                condition=Q(price_per_gallon__isnull=True) | Q(price_per_gallon__gte=0),
                name="fuel_log_price_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(total_cost__isnull=True) | Q(total_cost__gte=0),
                name="fuel_log_total_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(odometer_reading__gte=0), name="fuel_log_odometer_not_negative"
            ),
            # No fill-up from before motoring: a year typed short (0001) or a forged post.
            models.CheckConstraint(
                condition=Q(date__gte=EARLIEST_DATE),
                name="fuel_log_date_not_before_1900",
                violation_error_message="The date cannot be before January 1, 1900.",
            ),
            # Notes as long as a person writes, not a megabyte posted around the form.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), MAX_TEXT_LENGTH),
                name="fuel_log_notes_length",
                violation_error_message=f"Keep the notes to {MAX_TEXT_LENGTH:,} characters.",
            ),
        ]
        indexes = [
            # /fuel/: the owner's logs newest first (and every user_id look-up).
            models.Index(
                fields=["user", "-date", "-odometer_reading"], name="fuel_logs_user_date_idx"
            ),
            # A vehicle's logs in fill-up order (economy rows, the panel's latest logs), the
            # odometer neighbors of a date (vehicles.rules.check_odometer), vehicle_id look-ups.
            models.Index(
                fields=["vehicle", "date", "odometer_reading"], name="fuel_logs_vehicle_date_idx"
            ),
            # A page's MPG segments: a vehicle's logs between two odometer readings.
            models.Index(
                fields=["vehicle", "odometer_reading"], name="fuel_logs_vehicle_odometer_idx"
            ),
            # The admin's date filter and date hierarchy across all owners.
            models.Index(fields=["date"], name="fuel_logs_date_idx"),
            # The latest price an owner paid at a station (stations.prices), and station_id
            # look-ups when a station is deleted.
            models.Index(fields=["station", "user", "-date"], name="fuel_logs_station_date_idx"),
        ]

    def __str__(self) -> str:
        # A log not yet given a vehicle reads in the defaults, miles and US gallons.
        vehicle = self.vehicle if self.vehicle_id else Vehicle()
        quantity = FUEL_ABBREVIATIONS[vehicle.fuel_unit]
        distance = DISTANCE_ABBREVIATIONS[vehicle.distance_unit]
        return (
            f"{self.date:%Y-%m-%d} · {self.gallons} {quantity} at "
            f"{self.odometer_reading:,} {distance}"
        )

    def clean_fields(self, exclude: Iterable[str] | None = None) -> None:
        """Each field's own checks, then the fuel rules (fuellogs.rules) on the values that
        passed them: what the owner's form, the admin's, an import and the API all check. Two
        of the three amounts complete the third. Every problem is reported at once, keyed by
        field. (Here rather than in clean(): only here is known which fields a form refused,
        and a rule must not judge the stale value such a field still holds.)"""
        exclude = set(exclude or ())
        errors: dict[str, list[ValidationError]] = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        refused = exclude | errors.keys()

        def check(rule: Callable[..., object], *args: Any, **kwargs: Any) -> None:
            try:
                rule(*args, **kwargs)
            except ValidationError as error:
                error.update_error_dict(errors)

        vehicle = None if "vehicle" in refused else self.vehicle
        if not refused & set(AMOUNT_FIELDS):
            # Messages name the vehicle's fuel unit; US gallons while no vehicle is known.
            fuel_unit = vehicle.fuel_unit if vehicle is not None else FuelUnit.US_GALLONS
            check(self._complete_amounts, fuel_unit)
        if "date" not in refused:
            check(rules.check_date, self.date, vehicle)
        if vehicle is not None:
            check(rules.check_vehicle, vehicle)
            if not refused & {"date", "odometer_reading"}:
                check(
                    vehicle_rules.check_odometer,
                    vehicle,
                    self.date,
                    self.odometer_reading,
                    exclude_pk=None if self._state.adding else self.pk,
                )
        if errors:
            raise ValidationError(errors)

    def _complete_amounts(self, fuel_unit: str) -> None:
        amounts = rules.complete_amounts(
            self.gallons, self.price_per_gallon, self.total_cost, fuel_unit=fuel_unit
        )
        self.gallons = amounts.gallons
        self.price_per_gallon = amounts.price_per_gallon
        self.total_cost = amounts.total_cost
        # An edit that leaves the amounts as they were keeps what was computed when it was saved.
        if amounts.computed is not None or self._state.adding:
            self.computed_amount = amounts.computed or ""


def latest_prices(user_id: int, station_ids: Sequence[uuid.UUID]) -> list[PricePaid]:
    """The latest price the owner paid at each of these stations (stations.prices, registered
    in FuellogsConfig.ready), by cheapest_prices' rules: no free fill, no deleted vehicle's."""
    logs = FuelLog.objects.filter(
        user_id=user_id,
        station_id__in=station_ids,
        price_per_gallon__gt=0,
        vehicle__deleted_at__isnull=True,
    )
    return logs.prices_paid(
        "station_id", F("date").desc(), F("odometer_reading").desc(), F("created_at").desc()
    )


def cheapest_prices(user_id: int, since: datetime.date) -> list[PricePaid]:
    """Per fuel unit, the lowest price the owner paid at a station from `since` on, the latest
    such fill-up of equal ones (stations.prices). A price of zero (a free fill) is no price."""
    logs = FuelLog.objects.filter(
        user_id=user_id, date__gte=since, price_per_gallon__gt=0, vehicle__deleted_at__isnull=True
    )
    return logs.prices_paid("vehicle__fuel_unit", F("price_per_gallon").asc(), F("date").desc())


def odometer_readings(user_id: int, since: datetime.date) -> "models.QuerySet[Any]":
    """The owner's fill-ups from `since` on, as odometer readings per vehicle
    (vehicles.readings, registered in FuellogsConfig.ready)."""
    logs = FuelLog.objects.filter(user_id=user_id, date__gte=since)
    return readings.aggregate(logs, "date", "odometer_reading")


def odometer_conflicts(
    vehicle_id: uuid.UUID, day: datetime.date, reading: int, exclude_pk: uuid.UUID | None
) -> tuple[readings.Conflict | None, readings.Conflict | None]:
    """The vehicle's fill-ups closest to `reading` out of date order with it (vehicles.readings,
    for vehicles.rules.check_odometer; registered in FuellogsConfig.ready)."""
    logs = FuelLog.objects.filter(vehicle_id=vehicle_id)
    if exclude_pk is not None:
        logs = logs.exclude(pk=exclude_pk)
    return readings.closest_conflicts(
        logs, day, reading, lambda found: f"the reading of your fill-up on {l10n.day(found)}"
    )
