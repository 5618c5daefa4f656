"""NHTSA safety recall campaigns, shared per make, model and model year, and where each of an
owner's vehicles stands with them."""

import datetime
import uuid
from typing import Self

from django.contrib.auth.models import User
from django.db import models
from django.db.models import F
from django.db.models.functions import Trim, Upper
from django.utils import timezone

from motovault.ownership import OwnedQuerySet
from vehicles.models import Vehicle


def recall_key(make: str, model: str, year: int | None) -> tuple[str, str, int] | None:
    """The make, model and year NHTSA is asked about (upper case, as it spells them), or None
    for a vehicle without all three."""
    make, model = make.strip().upper(), model.strip().upper()
    if not (make and model and year):
        return None
    return make, model, year


def key_of(vehicle: Vehicle) -> tuple[str, str, int] | None:
    return recall_key(vehicle.make, vehicle.model, vehicle.year)


class Campaign(models.Model):
    """One recall campaign as NHTSA lists it for one make, model and year."""

    make = models.CharField(max_length=100)
    model = models.CharField(max_length=100)
    model_year = models.IntegerField()
    campaign_number = models.CharField(max_length=20)
    component = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    consequence = models.TextField(blank=True)
    remedy = models.TextField(blank=True)
    report_date = models.DateField(null=True, blank=True)
    # "Do not drive" and "park outside: fire risk": the warnings that matter most.
    park_it = models.BooleanField(default=False)
    park_outside = models.BooleanField(default=False)
    first_seen_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "recall_campaigns"
        ordering = ["-park_it", "-park_outside", "-report_date", "campaign_number"]
        constraints = [
            models.UniqueConstraint(
                fields=["make", "model", "model_year", "campaign_number"],
                name="recall_campaign_unique_per_vehicle_kind",
            )
        ]

    def __str__(self) -> str:
        return f"{self.campaign_number} ({self.model_year} {self.make} {self.model})"

    @property
    def component_name(self) -> str:
        """NHTSA's "AIR BAGS:FRONTAL:DRIVER SIDE" as a person reads it: "Air bags / Frontal /
        Driver side"; "Recall" without one."""
        parts = [part.strip().lower() for part in self.component.split(":") if part.strip()]
        return " / ".join(part[0].upper() + part[1:] for part in parts) or "Recall"


class RecallCheck(models.Model):
    """When a make, model and year was last asked about successfully."""

    make = models.CharField(max_length=100)
    model = models.CharField(max_length=100)
    model_year = models.IntegerField()
    checked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "recall_checks"
        constraints = [
            models.UniqueConstraint(
                fields=["make", "model", "model_year"], name="recall_check_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.model_year} {self.make} {self.model}"


class RecallStatus(models.TextChoices):
    OPEN = "open", "Open"
    DONE = "done", "Done"
    NOT_APPLICABLE = "not_applicable", "Not applicable"


class VehicleRecallQuerySet(OwnedQuerySet["VehicleRecall"]):
    def for_owner(self, user: User) -> Self:
        return self.filter(vehicle__user=user, vehicle__deleted_at__isnull=True)

    def current(self) -> Self:
        """Recalls of the campaigns of each vehicle's present make, model and year (an edit of
        the vehicle leaves the older ones stored, out of sight)."""
        return self.filter(
            campaign__make=Upper(Trim("vehicle__make")),
            campaign__model=Upper(Trim("vehicle__model")),
            campaign__model_year=F("vehicle__year"),
        )

    def open(self) -> Self:
        return self.filter(status=RecallStatus.OPEN)

    def dismissed(self) -> Self:
        return self.exclude(status=RecallStatus.OPEN)

    def new_for_digest(self, user: User, since: datetime.datetime | None) -> Self:
        """The owner's open recalls on their active vehicles first seen after `since` (all of
        them when None), oldest first, each with its campaign and vehicle: what the next
        reminder digest lists."""
        recalls = self.for_owner(user).current().open().filter(vehicle__is_active=True)
        if since is not None:
            recalls = recalls.filter(first_seen_at__gt=since)
        return recalls.select_related("campaign", "vehicle").order_by("first_seen_at", "pk")


class VehicleRecall(models.Model):
    """A campaign that concerns one of the owner's vehicles, and whether it is dealt with."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    vehicle = models.ForeignKey(Vehicle, on_delete=models.CASCADE, related_name="recalls")
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(
        max_length=20, choices=RecallStatus.choices, default=RecallStatus.OPEN
    )
    # When MotoVault first found the campaign for this vehicle (the digest's "new").
    first_seen_at = models.DateTimeField(default=timezone.now)
    status_changed_at = models.DateTimeField(null=True, blank=True)

    objects = VehicleRecallQuerySet.as_manager()

    class Meta:
        db_table = "vehicle_recalls"
        constraints = [
            models.UniqueConstraint(fields=["vehicle", "campaign"], name="vehicle_recall_unique"),
            models.CheckConstraint(
                condition=models.Q(status__in=RecallStatus.values),
                name="vehicle_recall_status_known",
            ),
        ]
        indexes = [models.Index(fields=["first_seen_at"], name="vehicle_recall_seen_idx")]

    def __str__(self) -> str:
        return f"{self.campaign.campaign_number} on {self.vehicle}"
