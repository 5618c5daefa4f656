import operator
import uuid
from collections.abc import Iterable
from functools import reduce
from typing import Any, Self

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.storage import default_storage
from django.db import models, transaction
from django.db.models import Q, Sum
from django.db.models.signals import post_delete

from attachments.content import EXTENSIONS, PDF
from costs.models import Cost
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from motovault.ownership import OwnedQuerySet
from vehicles.models import OdometerReading, Vehicle

# What a file can be attached to.
type Parent = Vehicle | FuelLog | MaintenanceRecord | Cost | OdometerReading

# The foreign key of each kind of parent: exactly one is set (attachment_has_one_parent).
PARENT_FIELDS: dict[type[models.Model], str] = {
    Vehicle: "vehicle",
    FuelLog: "fuel_log",
    MaintenanceRecord: "maintenance_record",
    Cost: "cost",
    OdometerReading: "odometer_reading",
}

# Where attachments live in storage: nothing else is ever written under it, so whatever is
# there without a row is an orphan (cleanup_attachments).
PREFIX = "attachments/"


class AttachmentQuerySet(OwnedQuerySet["Attachment"]):
    def for_owner(self, user: User) -> Self:
        """The owner's files on vehicles that are not deleted, or on their records (a deleted
        vehicle's history, files included, is kept out of sight until it is restored)."""
        return self.filter(user=user).filter(
            Q(vehicle__isnull=False, vehicle__deleted_at__isnull=True)
            | Q(fuel_log__isnull=False, fuel_log__vehicle__deleted_at__isnull=True)
            | Q(
                maintenance_record__isnull=False,
                maintenance_record__vehicle__deleted_at__isnull=True,
            )
            | Q(cost__isnull=False, cost__vehicle__deleted_at__isnull=True)
            | Q(
                odometer_reading__isnull=False,
                odometer_reading__vehicle__deleted_at__isnull=True,
            )
        )

    def on(self, owner: Parent) -> Self:
        """The files attached to this vehicle (its own, not its records') or record."""
        return self.filter(**{Attachment.parent_field(owner): owner})

    def bytes_used(self, user: User) -> int:
        """What the owner's files take in storage, thumbnails aside: what the quota counts."""
        return self.filter(user=user).aggregate(total=Sum("size"))["total"] or 0


def _file_name(attachment: "Attachment", _filename: str) -> str:
    # A random name: the owner's file name is only ever shown, never part of a path.
    return f"{PREFIX}{attachment.user_id}/{uuid.uuid4().hex}.{EXTENSIONS[attachment.content_type]}"


def _thumbnail_name(attachment: "Attachment", _filename: str) -> str:
    return f"{PREFIX}{attachment.user_id}/{uuid.uuid4().hex}.thumb.webp"


def _one_parent() -> Q:
    """Exactly one of the parents' foreign keys is set."""
    fields = PARENT_FIELDS.values()
    return reduce(
        operator.or_,
        (Q(**{f"{field}__isnull": field != chosen for field in fields}) for chosen in fields),
    )


class Attachment(models.Model):
    """A file (a receipt, an invoice, a photo) on a vehicle or on one of its records: a
    fill-up, a service, a cost or an odometer reading. Each kind of parent has its own nullable
    foreign key, exactly one set (a kind of record added later adds its own to PARENT_FIELDS,
    which the constraint reads). Its owner is its parent's: save() sets it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # Served by attachments_user_idx (quota sums, account deletion).
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, editable=False, db_index=False
    )
    vehicle = models.ForeignKey(
        Vehicle, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    fuel_log = models.ForeignKey(
        FuelLog, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    maintenance_record = models.ForeignKey(
        MaintenanceRecord,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    cost = models.ForeignKey(
        Cost, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments"
    )
    odometer_reading = models.ForeignKey(
        OdometerReading,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="attachments",
    )
    # The photo shown on the vehicle's page: at most one per vehicle, an image.
    is_vehicle_photo = models.BooleanField(default=False)
    file = models.FileField(upload_to=_file_name, max_length=200)
    thumbnail = models.FileField(upload_to=_thumbnail_name, max_length=200, blank=True)
    # As the owner named it, for display and downloads only.
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=40)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(auto_now_add=True)

    objects = AttachmentQuerySet.as_manager()

    class Meta:
        db_table = "attachments"
        ordering = ["created_at"]
        constraints = [
            models.CheckConstraint(condition=_one_parent(), name="attachment_has_one_parent"),
            models.CheckConstraint(
                condition=Q(content_type__in=list(EXTENSIONS)), name="attachment_type_known"
            ),
            # A vehicle's photo is one of its own images.
            models.CheckConstraint(
                condition=Q(is_vehicle_photo=False)
                | (Q(vehicle__isnull=False) & ~Q(content_type=PDF)),
                name="attachment_photo_is_vehicle_image",
            ),
            # Serves the vehicle page's photo look-up too.
            models.UniqueConstraint(
                fields=["vehicle"],
                condition=Q(is_vehicle_photo=True),
                name="attachment_one_photo_per_vehicle",
            ),
        ]
        # The parents' foreign keys have Django's own indexes: a record's files, cascades.
        indexes = [models.Index(fields=["user"], name="attachments_user_idx")]

    def __str__(self) -> str:
        return self.name

    def save(self, *args: Any, **kwargs: Any) -> None:
        # The one place the owner is set: the parent's.
        self.user_id = self.parent.user_id
        super().save(*args, **kwargs)

    @property
    def parent(self) -> Parent:
        parent = (
            self.vehicle
            or self.fuel_log
            or self.maintenance_record
            or self.cost
            or self.odometer_reading
        )
        assert parent is not None  # attachment_has_one_parent
        return parent

    @staticmethod
    def parent_field(parent: Parent) -> str:
        """The foreign key that holds a file on this kind of parent."""
        return PARENT_FIELDS[type(parent)]

    @property
    def is_image(self) -> bool:
        return self.content_type != PDF

    def stored_names(self) -> list[str]:
        return [name for name in (self.file.name, self.thumbnail.name) if name]


def delete_files_on_commit(names: Iterable[str]) -> None:
    """Remove these files from storage once the transaction that dropped their rows commits
    (never before: a rollback keeps the rows, and they need their files)."""
    names = list(names)
    transaction.on_commit(lambda: delete_files(names))


def delete_files(names: Iterable[str]) -> None:
    for name in names:
        # A file already gone is what we want; cleanup_attachments sweeps any that failed.
        default_storage.delete(name)


def _on_delete(sender: type[Attachment], instance: Attachment, **kwargs: Any) -> None:
    delete_files_on_commit(instance.stored_names())


def connect_file_deletion() -> None:
    """Deleting an attachment row, one by one or by cascade from its record, vehicle or owner
    (Django's collector loads the rows, so each is seen here), deletes its files on commit."""
    post_delete.connect(_on_delete, sender=Attachment, dispatch_uid="attachments.files")
