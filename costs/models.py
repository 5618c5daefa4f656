"""The costs of a vehicle that are neither fuel nor service: registration and tax, insurance,
parking, tolls, tires, accessories, fines, washing, and other (with a title)."""

import datetime
from decimal import Decimal
from typing import Any, Self

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual
from django.utils import timezone

from maintenance.models import add_months
from motovault.text import MAX_TEXT_LENGTH, MultiLineField, SingleLineField
from vehicles import readings
from vehicles.models import (
    EARLIEST_DATE,
    MAX_ODOMETER,
    RESUBMISSION_WINDOW,
    VehicleRecord,
    VehicleRecordQuerySet,
    check_history_date,
    not_in_future,
)

# DECIMAL(8,2), as a service's cost and a fill-up's total.
MAX_AMOUNT = Decimal("999999.99")
# A cost repeats at most every 20 years, as a service's interval (maintenance's
# MAX_INTERVAL_MONTHS).
MAX_REPEAT_MONTHS = 240


class Category(models.TextChoices):
    REGISTRATION = "registration", "Registration and tax"
    INSURANCE = "insurance", "Insurance"
    PARKING = "parking", "Parking"
    TOLLS = "tolls", "Tolls"
    TIRES = "tires", "Tires"
    ACCESSORIES = "accessories", "Accessories"
    FINES = "fines", "Fines"
    WASHING = "washing", "Washing"
    OTHER = "other", "Other"


# What the owner types (the owner's form, the archive, the export's columns).
ENTERED_FIELDS = [
    "vehicle",
    "category",
    "title",
    "date",
    "amount",
    "odometer_reading",
    "repeat_months",
    "notes",
]


class CostQuerySet(VehicleRecordQuerySet["Cost"]):
    def resubmissions_of(self, cost: "Cost") -> Self:
        """Costs added within RESUBMISSION_WINDOW with the very values of the unsaved `cost`:
        the same submission, sent before (served by costs_vehicle_date_idx)."""
        values = {name: getattr(cost, name) for name in ENTERED_FIELDS}
        return self.filter(created_at__gte=timezone.now() - RESUBMISSION_WINDOW, **values)

    def latest_of_their_series(self) -> Self:
        """The costs no later cost of their series follows: a series is one vehicle's costs of
        one category and title (its insurance, its "Parking permit"). Later is a later date,
        or the same date entered later. One query (an anti-join on costs_vehicle_date_idx)."""
        later = Cost.objects.filter(
            vehicle_id=OuterRef("vehicle_id"),
            category=OuterRef("category"),
            title=OuterRef("title"),
        ).filter(
            Q(date__gt=OuterRef("date"))
            | Q(date=OuterRef("date"), created_at__gt=OuterRef("created_at"))
            | Q(date=OuterRef("date"), created_at=OuterRef("created_at"), pk__gt=OuterRef("pk"))
        )
        return self.exclude(Exists(later))

    def renewals_pending(self) -> Self:
        """The repeating costs whose next payment is not recorded yet: each is due again at
        its `next_due()` (costs.renewals says why this is derived, not stored)."""
        return self.filter(repeat_months__isnull=False).latest_of_their_series()


class Cost(VehicleRecord):
    category = models.CharField(max_length=20, choices=Category.choices)
    # Required for "Other" (what it was); optional for the rest ("Winter tires").
    title = SingleLineField(max_length=100, blank=True)
    date = models.DateField(validators=[not_in_future])
    amount = models.DecimalField(
        max_digits=8,
        decimal_places=2,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_AMOUNT)],
    )
    odometer_reading = models.IntegerField(
        "odometer",
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(MAX_ODOMETER)],
    )
    notes = MultiLineField(blank=True)
    # A cost that comes back (an insurance renewal) every this many months.
    repeat_months = models.IntegerField(
        "repeats every (months)",
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_REPEAT_MONTHS)],
    )

    objects = CostQuerySet.as_manager()

    class Meta:
        db_table = "costs"
        default_related_name = "costs"
        ordering = ["-date", "-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(category__in=Category.values), name="cost_category_known"
            ),
            models.CheckConstraint(
                condition=~Q(category=Category.OTHER) | ~Q(title=""),
                name="cost_other_has_title",
            ),
            models.CheckConstraint(condition=Q(amount__gte=0), name="cost_amount_not_negative"),
            models.CheckConstraint(
                condition=Q(odometer_reading__isnull=True) | Q(odometer_reading__gte=0),
                name="cost_odometer_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(repeat_months__isnull=True) | Q(repeat_months__gte=1),
                name="cost_repeat_months_positive",
            ),
            models.CheckConstraint(
                condition=Q(date__gte=EARLIEST_DATE),
                name="cost_date_not_before_1900",
                violation_error_message="The date cannot be before January 1, 1900.",
            ),
            models.CheckConstraint(
                condition=LessThanOrEqual(Length("notes"), MAX_TEXT_LENGTH),
                name="cost_notes_length",
                violation_error_message=f"Keep the notes to {MAX_TEXT_LENGTH:,} characters.",
            ),
        ]
        indexes = [
            # /costs/: the owner's costs newest first (and every user_id look-up); the
            # dashboard's and the vehicle page's sums per month.
            models.Index(fields=["user", "-date"], name="costs_user_date_idx"),
            # A vehicle's costs (its page, its export) and vehicle_id look-ups.
            models.Index(fields=["vehicle", "-date"], name="costs_vehicle_date_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} · {self.label} · {self.amount}"

    @property
    def label(self) -> str:
        """What the owner calls it: the title, else the category ("Insurance")."""
        return self.title or self.get_category_display()

    def clean(self) -> None:
        super().clean()
        errors: dict[str, Any] = {}
        if self.category == Category.OTHER and not self.title:
            errors["title"] = "Say what this cost was: “Other” needs a title."
        if self.date is not None:
            try:
                check_history_date(self.date, self.vehicle if self.vehicle_id else None)
            except ValidationError as error:
                errors["date"] = error.messages
        if errors:
            raise ValidationError(errors)

    @property
    def repeats(self) -> bool:
        return self.repeat_months is not None

    def next_due(self) -> datetime.date | None:
        """When a repeating cost comes back: its date moved by `repeat_months`."""
        if self.repeat_months is None:
            return None
        return add_months(self.date, self.repeat_months)


def odometer_readings(user_id: int, since: datetime.date) -> "models.QuerySet[Any]":
    """The owner's costs from `since` on that carry an odometer, as odometer readings per
    vehicle (vehicles.readings, registered in CostsConfig.ready)."""
    costs = Cost.objects.filter(user_id=user_id, date__gte=since, odometer_reading__isnull=False)
    return readings.aggregate(costs, "date", "odometer_reading")
