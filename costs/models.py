"""The costs of a vehicle that are neither fuel nor service: registration and tax, insurance,
parking, tolls, tires, accessories, fines, washing, and other (with a title)."""

import datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Length
from django.db.models.lookups import LessThanOrEqual

from maintenance.models import add_months
from motovault.text import MAX_TEXT_LENGTH, MultiLineField, SingleLineField
from vehicles.models import (
    EARLIEST_DATE,
    MAX_ODOMETER,
    VehicleRecord,
    VehicleRecordQuerySet,
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


class CostQuerySet(VehicleRecordQuerySet["Cost"]):
    """`for_owner` and the owned fetches, as every kind of record has them."""


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
        if self.category == Category.OTHER and not self.title:
            raise ValidationError({"title": "Say what this cost was."})

    @property
    def repeats(self) -> bool:
        return self.repeat_months is not None

    def next_due(self) -> datetime.date | None:
        """When a repeating cost comes back: its date moved by `repeat_months`."""
        if self.repeat_months is None:
            return None
        return add_months(self.date, self.repeat_months)
