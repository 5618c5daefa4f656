import calendar
import datetime
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Self, TypedDict, cast

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Case, Count, F, Q, Sum, Value, When, Window
from django.db.models.functions import Greatest, Least, Length, RowNumber
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from maintenance import projection
from maintenance.projection import Driving
from motovault import l10n
from motovault.text import MAX_TEXT_LENGTH, MultiLineField, SingleLineField
from motovault.units import DISTANCE_ABBREVIATIONS, DistanceUnit
from vehicles import readings
from vehicles.models import (
    EARLIEST_DATE,
    LATEST_DUE_DATE,
    MAX_ODOMETER,
    RESUBMISSION_WINDOW,
    Vehicle,
    VehicleRecord,
    VehicleRecordQuerySet,
    check_history_date,
    not_in_future,
)

if TYPE_CHECKING:
    from django_stubs_ext import WithAnnotations

MAX_MILEAGE = MAX_ODOMETER
MAX_INTERVAL_MONTHS = 240
MAX_INTERVAL_MILES = 1_000_000
# A service is scheduled at most this far ahead: beyond any interval (MAX_INTERVAL_MONTHS is 20
# years) and any car's remaining life; 9999-12-31 is a slip, not a plan.
MAX_DUE_YEARS_AHEAD = 30

# What the owner enters for a service (the form's fields; whether it is done is the form's
# choice between the two kinds): two submissions alike in all of these are one service.
ENTERED_FIELDS = (
    "vehicle",
    "type",
    "description",
    "due_date",
    "due_mileage",
    "completed_date",
    "completed_mileage",
    "cost",
    "service_location",
    "interval_months",
    "interval_miles",
    "notes",
)


class MaintenanceType(models.TextChoices):
    OIL_CHANGE = "oil_change", "Oil change"
    TIRE_ROTATION = "tire_rotation", "Tire rotation"
    BRAKE_SERVICE = "brake_service", "Brake service"
    AIR_FILTER = "air_filter", "Air filter"
    CABIN_AIR_FILTER = "cabin_air_filter", "Cabin air filter"
    TRANSMISSION_SERVICE = "transmission_service", "Transmission service"
    COOLANT_SERVICE = "coolant_service", "Coolant service"
    BATTERY = "battery", "Battery"
    SPARK_PLUGS = "spark_plugs", "Spark plugs"
    TIMING_BELT = "timing_belt", "Timing belt"
    WHEEL_ALIGNMENT = "wheel_alignment", "Wheel alignment"
    INSPECTION = "inspection", "Inspection"
    WIPER_BLADES = "wiper_blades", "Wiper blades"
    OTHER = "other", "Other"


class Status(models.TextChoices):
    """Where a record stands; derived from dates and the odometer, never stored."""

    OVERDUE = "overdue", "Overdue"
    DUE_SOON = "due_soon", "Due soon"
    SCHEDULED = "scheduled", "Scheduled"
    COMPLETED = "completed", "Completed"


# Most urgent first: the order of the upcoming list.
STATUS_RANK: dict[str, int] = {
    Status.OVERDUE: 0,
    Status.DUE_SOON: 1,
    Status.SCHEDULED: 2,
    Status.COMPLETED: 3,
}


def latest_due_date(today: datetime.date | None = None) -> datetime.date:
    """The latest due date a service may be given: MAX_DUE_YEARS_AHEAD years after `today`."""
    return add_months(today or timezone.localdate(), 12 * MAX_DUE_YEARS_AHEAD)


def add_months(day: datetime.date, months: int) -> datetime.date:
    """`day` moved by whole months; the 31st becomes the last day of a shorter month."""
    month_index = day.year * 12 + day.month - 1 + months
    year, month = divmod(month_index, 12)
    month += 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def _plural(count: int, word: str) -> str:
    return f"{l10n.number(count)} {word}" if count == 1 else f"{l10n.number(count)} {word}s"


def due_soon_distance(distance_unit: str) -> int:
    """How close, in the vehicle's own unit, a due mileage counts as due soon (inclusive):
    MAINTENANCE_DUE_SOON_MILES for a vehicle in miles, _KM for one in kilometers."""
    if distance_unit == DistanceUnit.KILOMETERS:
        return settings.MAINTENANCE_DUE_SOON_KM
    return settings.MAINTENANCE_DUE_SOON_MILES


def distance_text(value: int, distance_unit: str) -> str:
    """A distance as a sentence reads it: "47,900 miles" as always for a vehicle in miles,
    "47.900 km" for one in kilometers (in the owner's separators)."""
    if distance_unit == DistanceUnit.KILOMETERS:
        return f"{l10n.number(value)} {DISTANCE_ABBREVIATIONS[DistanceUnit.KILOMETERS]}"
    return _plural(value, "mile")


@dataclass(frozen=True)
class Due:
    """A scheduled record's standing: its status, why, and a sort key (lower is more urgent).

    For a due mileage, `projected_date` is when the vehicle's recent driving reaches it
    (maintenance.projection) and `projection` says so ("due around Mar 14 (at about 1,020 mi a
    month)"); without one, `no_projection` says why."""

    status: str
    reason: str
    urgency: tuple[int, float]
    projected_date: datetime.date | None = None
    projection: str = ""
    no_projection: str = ""

    @property
    def status_label(self) -> str:
        return Status(self.status).label


def _status_for(*, overdue: bool, soon: bool) -> str:
    if overdue:
        return Status.OVERDUE
    return Status.DUE_SOON if soon else Status.SCHEDULED


def date_due(due_date: datetime.date, today: datetime.date) -> Due:
    """The standing of something due on a day (a cost's renewal), as a service due by date has
    it: overdue after it, due soon within MAINTENANCE_DUE_SOON_DAYS (inclusive), scheduled
    before."""
    days = settings.MAINTENANCE_DUE_SOON_DAYS
    days_left = (due_date - today).days
    status = _status_for(overdue=days_left < 0, soon=days_left <= days)
    return Due(status, _days_reason(days_left), (STATUS_RANK[status], days_left / days))


class _Candidate(TypedDict):
    """What MaintenanceQuerySet.urgency_candidates annotates each record with."""

    first_rank: int
    scheduled_count: int


class MaintenanceQuerySet(VehicleRecordQuerySet["MaintenanceRecord"]):
    def scheduled(self) -> Self:
        return self.filter(is_completed=False)

    def resubmissions_of(self, record: "MaintenanceRecord") -> Self:
        """Records added within RESUBMISSION_WINDOW with the very values of the unsaved
        `record`: the same submission, sent before (served by maintenance_vehicle_idx)."""
        values = {name: getattr(record, name) for name in (*ENTERED_FIELDS, "is_completed")}
        if values["completed_mileage"] is None:
            # A blank mileage took the vehicle's odometer when saved, whatever that was.
            del values["completed_mileage"]
        return self.filter(created_at__gte=timezone.now() - RESUBMISSION_WINDOW, **values)

    def urgency_candidates(
        self, count: int
    ) -> "models.QuerySet[WithAnnotations[MaintenanceRecord, _Candidate]]":
        """The records that can be among the `count` most urgent (Record.due), each annotated
        with `scheduled_count`, how many records this queryset holds.

        Urgency is the more pressing of the due date and the due mileage, so a record among the
        most urgent is among the first `count` by date or by mileage: at most twice `count` rows
        are loaded instead of every scheduled record. (Of records due on the same day or at the
        same mileage, the candidates are some of them, not all.)"""

        def rank_by(field: str) -> Case:
            ranked = Window(RowNumber(), order_by=[F(field).asc(nulls_last=True), "pk"])
            # A record without this due value is no candidate by it.
            return Case(When(**{f"{field}__isnull": False}, then=ranked), default=count + 1)

        candidates = self.annotate(
            first_rank=Least(rank_by("due_date"), rank_by("due_mileage")),
            scheduled_count=Window(Count("pk")),
        ).filter(first_rank__lte=count)
        # The stubs type annotations as Any, in a TypedDict of their own: this one names them.
        return cast("models.QuerySet[WithAnnotations[MaintenanceRecord, _Candidate]]", candidates)

    def summary_by_vehicle(
        self,
        *,
        month_start: datetime.date,
        year_start: datetime.date,
        months: Sequence[datetime.date] = (),
    ) -> dict[uuid.UUID, dict[str, Any]]:
        """One query: per vehicle, the number of open (scheduled) records, and what completed
        services cost since `month_start`, since `year_start` and in each of `months` (first
        days, oldest first, consecutive; the last counts from its first day on, like
        `month_start`) as "by_month", a list in their order."""
        done = Q(is_completed=True)
        # One sum per month in the same query: the dashboard's chart costs no query of its own.
        ends = [*months[1:], None]
        by_month = {
            f"month_{i}": Sum(
                "cost",
                filter=done
                & Q(completed_date__gte=start)
                & (Q(completed_date__lt=end) if end else Q()),
                default=0,
            )
            for i, (start, end) in enumerate(zip(months, ends, strict=True))
        }
        rows = self.values("vehicle_id").annotate(
            open=Count("id", filter=Q(is_completed=False)),
            month=Sum("cost", filter=done & Q(completed_date__gte=month_start), default=0),
            year=Sum("cost", filter=done & Q(completed_date__gte=year_start), default=0),
            **by_month,
        )
        return {
            row["vehicle_id"]: {
                "open": row["open"],
                "month": row["month"],
                "year": row["year"],
                # Names made above, which the stubs' typed rows do not know.
                "by_month": [cast(Mapping[str, Any], row)[name] for name in by_month],
            }
            for row in rows.order_by()
        }

    def completed(self) -> Self:
        return self.filter(is_completed=True)

    # The same rules as `MaintenanceRecord.due`, in SQL, so lists can filter by status.
    @staticmethod
    def _overdue_q(today: datetime.date) -> Q:
        return Q(due_date__lt=today) | Q(due_mileage__lte=F("vehicle__odometer_reading"))

    @staticmethod
    def _due_soon_or_overdue_q(today: datetime.date, by_driving: Mapping[Any, int]) -> Q:
        """`by_driving`: per vehicle id, the largest distance left that its recent driving
        covers within the due-soon days (projection.soon_distances): also due soon."""
        soon = today + datetime.timedelta(days=settings.MAINTENANCE_DUE_SOON_DAYS)
        # The due-soon distance is in the vehicle's unit (due_soon_distance), chosen in SQL so
        # that a list of several vehicles stays one query.
        soon_distance: Any = Case(
            When(
                vehicle__distance_unit=DistanceUnit.KILOMETERS,
                then=Value(due_soon_distance(DistanceUnit.KILOMETERS)),
            ),
            default=Value(due_soon_distance(DistanceUnit.MILES)),
            output_field=models.IntegerField(),
        )
        if by_driving:
            soon_distance = Greatest(
                soon_distance,
                Case(
                    *(
                        When(vehicle_id=vehicle_id, then=Value(distance))
                        for vehicle_id, distance in by_driving.items()
                    ),
                    default=Value(0),
                    output_field=models.IntegerField(),
                ),
            )
        return Q(due_date__lte=soon) | Q(
            due_mileage__lte=F("vehicle__odometer_reading") + soon_distance
        )

    def overdue(self, today: datetime.date, by_driving: Mapping[Any, int] = {}) -> Self:
        return self.scheduled().filter(self._overdue_q(today))

    def due_soon(self, today: datetime.date, by_driving: Mapping[Any, int] = {}) -> Self:
        return (
            self.scheduled()
            .filter(self._due_soon_or_overdue_q(today, by_driving))
            .exclude(self._overdue_q(today))
        )

    def needing_attention(self, today: datetime.date, by_driving: Mapping[Any, int] = {}) -> Self:
        """Overdue or due soon: what the upcoming list shows."""
        return self.scheduled().filter(self._due_soon_or_overdue_q(today, by_driving))

    def scheduled_later(self, today: datetime.date, by_driving: Mapping[Any, int] = {}) -> Self:
        return self.scheduled().exclude(self._due_soon_or_overdue_q(today, by_driving))

    def with_status(
        self, status: str, today: datetime.date, by_driving: Mapping[Any, int] = {}
    ) -> Self:
        by_status: dict[str, Callable[[datetime.date, Mapping[Any, int]], Self]] = {
            Status.OVERDUE: self.overdue,
            Status.DUE_SOON: self.due_soon,
            Status.SCHEDULED: self.scheduled_later,
            Status.COMPLETED: lambda _today, _driving: self.completed(),
        }
        return by_status[status](today, by_driving)

    def in_list_order(self, today: datetime.date, by_driving: Mapping[Any, int] = {}) -> Self:
        """Schedule first (overdue, then due soon, then later; soonest due first), then history
        (latest service first)."""
        urgency = models.Case(
            models.When(is_completed=True, then=3),
            models.When(self._overdue_q(today), then=0),
            models.When(self._due_soon_or_overdue_q(today, by_driving), then=1),
            default=2,
        )
        return self.order_by(
            urgency,
            models.Case(models.When(is_completed=False, then="due_date")).asc(nulls_last=True),
            models.Case(models.When(is_completed=False, then="due_mileage")).asc(nulls_last=True),
            models.Case(models.When(is_completed=True, then="completed_date")).desc(),
            "-created_at",
        )


class MaintenanceRecord(VehicleRecord):
    type = models.CharField("Service", max_length=100, choices=MaintenanceType.choices)
    description = MultiLineField(blank=True)
    due_date = models.DateField(null=True, blank=True)
    due_mileage = models.IntegerField(
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_MILEAGE)],
    )
    completed_date = models.DateField(
        "Date done", null=True, blank=True, validators=[not_in_future]
    )
    completed_mileage = models.IntegerField(
        "Mileage",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_MILEAGE)],
    )
    cost = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )
    service_location = SingleLineField("Where", max_length=200, blank=True)
    notes = MultiLineField(blank=True)
    is_completed = models.BooleanField(default=False)
    interval_months = models.IntegerField(
        "Repeat every (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_MONTHS)],
    )
    interval_miles = models.IntegerField(
        "Repeat every (miles)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_INTERVAL_MILES)],
    )

    objects = MaintenanceQuerySet.as_manager()

    class Meta:
        db_table = "maintenance"
        default_related_name = "maintenance_records"
        verbose_name = "maintenance record"
        constraints = [
            models.CheckConstraint(
                condition=Q(is_completed=False) | Q(completed_date__isnull=False),
                name="maintenance_completed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(is_completed=True)
                | Q(due_date__isnull=False)
                | Q(due_mileage__isnull=False),
                name="maintenance_scheduled_has_due",
            ),
            models.CheckConstraint(
                condition=Q(cost__isnull=True) | Q(cost__gte=0),
                name="maintenance_cost_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(due_mileage__isnull=True) | Q(due_mileage__gte=0),
                name="maintenance_due_mileage_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(completed_mileage__isnull=True) | Q(completed_mileage__gte=0),
                name="maintenance_completed_mileage_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(interval_months__isnull=True) | Q(interval_months__gte=1),
                name="maintenance_interval_months_positive",
            ),
            models.CheckConstraint(
                condition=Q(interval_miles__isnull=True) | Q(interval_miles__gte=1),
                name="maintenance_interval_miles_positive",
            ),
            # No service from before motoring: a year typed short (0001) or a forged post.
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__gte=EARLIEST_DATE),
                name="maintenance_due_date_not_before_1900",
                violation_error_message="The date cannot be before January 1, 1900.",
            ),
            # Nor one due after it, however it was written (year 9999 for 2025).
            models.CheckConstraint(
                condition=Q(due_date__isnull=True) | Q(due_date__lte=LATEST_DUE_DATE),
                name="maintenance_due_date_not_after_2200",
                violation_error_message="The date cannot be after December 31, 2200.",
            ),
            models.CheckConstraint(
                condition=Q(completed_date__isnull=True) | Q(completed_date__gte=EARLIEST_DATE),
                name="maintenance_completed_date_not_before_1900",
                violation_error_message="The date cannot be before January 1, 1900.",
            ),
            # Text as long as a person writes, not a megabyte posted around the form.
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("description"), MAX_TEXT_LENGTH),
                name="maintenance_description_length",
                violation_error_message=f"Keep this to {MAX_TEXT_LENGTH:,} characters.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), MAX_TEXT_LENGTH),
                name="maintenance_notes_length",
                violation_error_message=f"Keep the notes to {MAX_TEXT_LENGTH:,} characters.",
            ),
        ]
        indexes = [
            # Every owner-scoped list: /maintenance/, upcoming, admin by owner.
            models.Index(fields=["user"], name="maintenance_user_idx"),
            # The vehicle panel, the CSV export, the vehicle filter and PROTECT's check on delete.
            models.Index(fields=["vehicle"], name="maintenance_vehicle_idx"),
            # "Due by date" filters and the schedule's soonest-first order.
            models.Index(fields=["due_date"], name="maintenance_due_date_idx"),
            # Schedule versus history: upcoming and status filters read only open records.
            models.Index(fields=["is_completed"], name="maintenance_is_completed_idx"),
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def title(self) -> str:
        """What the owner calls the service: the type, or the description for "Other"."""
        if self.type == MaintenanceType.OTHER and self.description:
            return self.description.splitlines()[0][:80]
        return self.get_type_display()

    @property
    def is_recurring(self) -> bool:
        return bool(self.interval_months or self.interval_miles)

    @property
    def interval_text(self) -> str:
        """The distance between services in the vehicle's unit: "15,000 miles", "15.000 km"."""
        if not self.interval_miles:
            return ""
        return distance_text(self.interval_miles, self.vehicle.distance_unit)

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.is_completed:
            if self.completed_date is None:
                errors["completed_date"] = "Enter the date the service was done."
            else:
                errors |= self._date_errors("completed_date")
        elif self.due_date is None and self.due_mileage is None:
            errors["due_date"] = "Enter a due date, a due mileage, or both."
        elif self.due_date is not None:
            errors |= self._date_errors("due_date")
        if self.type == MaintenanceType.OTHER and not self.description.strip():
            errors["description"] = "Describe the service."
        if errors:
            raise ValidationError(errors)

    def _date_errors(self, name: str) -> dict[str, Any]:
        """The bounds of a date the owner sets (the edit form shows only the dates of the
        record's kind: a done service's date done, a scheduled one's due date)."""
        day = getattr(self, name)
        if name == "due_date" and day > (latest := latest_due_date()):
            return {
                name: f"A service can be due at most {MAX_DUE_YEARS_AHEAD} years ahead, by "
                f"{l10n.day(latest)}."
            }
        try:
            check_history_date(day, self.vehicle if self.vehicle_id else None)
        except ValidationError as error:
            return {name: error.messages}
        return {}

    def due(self, today: datetime.date | None = None, driving: Driving | None = None) -> Due:
        """Status of this record against `today` and the vehicle's odometer. A record is overdue
        once its date has passed or the odometer has reached its mileage; due soon within
        MAINTENANCE_DUE_SOON_DAYS, or due_soon_distance in the vehicle's unit (both inclusive),
        or when its due mileage is projected (maintenance.projection, from `driving`, the
        vehicle's recent pace) within MAINTENANCE_DUE_SOON_DAYS. The reason reads in the
        vehicle's unit and the owner's locale: "412 km over".

        Without `driving`, a record due by mileage reads its vehicle's pace (one query, kept on
        the vehicle: attach_driving does it for a page of records in one)."""
        if self.is_completed:
            return Due(Status.COMPLETED, "", (STATUS_RANK[Status.COMPLETED], 0.0))
        today = today or timezone.localdate()
        unit = self.vehicle.distance_unit
        days, miles = settings.MAINTENANCE_DUE_SOON_DAYS, due_soon_distance(unit)
        # Each dimension is (rank, distance in thresholds, reason); the most urgent one decides.
        # Dividing by the threshold makes 30 days, 500 miles and 800 km equally far away.
        candidates: list[tuple[int, float, str, str]] = [
            (STATUS_RANK[Status.SCHEDULED], float("inf"), Status.SCHEDULED, "")
        ]
        if self.due_date is not None:
            days_left = (self.due_date - today).days
            status = _status_for(overdue=days_left < 0, soon=days_left <= days)
            candidates.append(
                (STATUS_RANK[status], days_left / days, status, _days_reason(days_left))
            )
        projected, projection_text, no_projection = None, "", ""
        if self.due_mileage is not None:
            miles_left = self.due_mileage - self.vehicle.odometer_reading
            reason = _distance_reason(miles_left, unit)
            distance = miles_left / miles
            soon = miles_left <= miles
            if miles_left > 0:
                driving = driving or driving_for(self.vehicle, today)
                projected = projection.projected_date(driving, miles_left, today)
                if projected is not None:
                    projected_days = (projected - today).days
                    around = projection.around(projected, today)
                    projection_text = f"{around} ({driving.pace_text})"
                    distance = min(distance, projected_days / days)
                    if not soon and projected_days <= days:
                        soon, reason = True, projection_text
                else:
                    no_projection = driving.why_not or projection.TOO_FAR
            status = _status_for(overdue=miles_left <= 0, soon=soon)
            candidates.append((STATUS_RANK[status], distance, status, reason))
        rank, distance, status, reason = min(candidates)
        return Due(status, reason, (rank, distance), projected, projection_text, no_projection)

    def build_next(self) -> "MaintenanceRecord | None":
        """The next occurrence of a completed recurring service (unsaved), counted from when and
        at what mileage this one was done."""
        # A completed record always has its date (maintenance_completed_has_date).
        if not (self.is_completed and self.is_recurring) or self.completed_date is None:
            return None
        next_record = MaintenanceRecord(
            vehicle=self.vehicle,
            type=self.type,
            description=self.description,
            due_date=add_months(self.completed_date, self.interval_months)
            if self.interval_months
            else None,
            due_mileage=self.completed_mileage + self.interval_miles
            if self.interval_miles and self.completed_mileage is not None
            else None,
            interval_months=self.interval_months,
            interval_miles=self.interval_miles,
        )
        if next_record.due_date is None and next_record.due_mileage is None:
            return None
        return next_record


def _days_reason(days_left: int) -> str:
    if days_left < 0:
        return f"{_plural(-days_left, 'day')} overdue"
    if days_left == 0:
        return "due today"
    if days_left == 1:
        return "due tomorrow"
    return f"due in {_plural(days_left, 'day')}"


def _distance_reason(left: int, distance_unit: str) -> str:
    if left < 0:
        return f"{distance_text(-left, distance_unit)} over"
    if left == 0:
        if distance_unit == DistanceUnit.KILOMETERS:
            return "due odometer reading reached"
        return "due mileage reached"
    return f"due in {distance_text(left, distance_unit)}"


_DRIVING = "_maintenance_driving"


def driving_for(vehicle: "Vehicle", today: datetime.date) -> Driving:
    """The vehicle's recent pace (maintenance.projection), read once per vehicle instance."""
    found = vehicle.__dict__.get(_DRIVING)
    if found is None or found[0] != today:
        spans = projection.spans_for(vehicle.user_id, today)
        found = vehicle.__dict__[_DRIVING] = (today, projection.driving_of(vehicle, spans))
    return cast(Driving, found[1])


def attach_driving(
    records: "Iterable[MaintenanceRecord]",
    spans: dict[uuid.UUID, readings.Span],
    today: datetime.date,
) -> None:
    """Keep each record's vehicle's pace, from `spans` (projection.spans_for, one query for all
    the owner's vehicles), on the vehicle, so that their due() reads none."""
    for record in records:
        record.vehicle.__dict__[_DRIVING] = (today, projection.driving_of(record.vehicle, spans))


def odometer_readings(user_id: int, since: datetime.date) -> "models.QuerySet[Any]":
    """The owner's services done from `since` on, with their mileage, as odometer readings per
    vehicle (vehicles.readings, registered in MaintenanceConfig.ready)."""
    done = MaintenanceRecord.objects.filter(
        user_id=user_id,
        is_completed=True,
        completed_date__gte=since,
        completed_mileage__isnull=False,
    )
    return readings.aggregate(done, "completed_date", "completed_mileage")
