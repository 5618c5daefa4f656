"""Writes that span storage and the database: a file is stored, then its row saved under the
owner's lock, and the stored files removed again if the row is not."""

from django.conf import settings
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction
from django.template.defaultfilters import filesizeformat

from attachments.content import EXTENSIONS, Prepared
from attachments.models import Attachment, Parent, delete_files


class LimitReached(Exception):
    """A limit of the settings (files per record, the owner's quota) forbids another file;
    the message says which, to the owner, and `reason` in a few words, for a summary of many
    files (an archive's restore)."""

    def __init__(self, message: str, reason: str) -> None:
        super().__init__(message)
        self.reason = reason


class ParentGone(Exception):
    """The record or vehicle was deleted while the file was being stored."""


def attach(parent: Parent, name: str, prepared: Prepared) -> Attachment:
    """Store a prepared upload on a vehicle or record, within the limits of the settings."""
    attachment = Attachment(
        **{Attachment.parent_field(parent): parent},
        name=name,
        content_type=prepared.content_type,
        size=len(prepared.content),
    )
    attachment.user_id = parent.user_id
    attachment.file.save(
        f"upload.{EXTENSIONS[prepared.content_type]}", ContentFile(prepared.content), save=False
    )
    try:
        if prepared.thumbnail is not None:
            attachment.thumbnail.save("thumb.webp", ContentFile(prepared.thumbnail), save=False)
        with transaction.atomic():
            # One upload at a time per owner, so two at once cannot both pass the quota.
            User.objects.select_for_update().filter(pk=parent.user_id).exists()
            if not type(parent).objects.filter(pk=parent.pk).exists():
                raise ParentGone
            _check_limits(parent, attachment.size)
            attachment.save()
    except BaseException:
        delete_files(attachment.stored_names())
        raise
    return attachment


def _check_limits(parent: Parent, size: int) -> None:
    per_record = settings.ATTACHMENTS_PER_RECORD
    if Attachment.objects.on(parent).count() >= per_record:
        raise LimitReached(
            f"This already has {per_record} files, the most it can have. Delete one first.",
            f"more than {per_record} on one record",
        )
    quota = settings.ATTACHMENT_QUOTA_BYTES
    used = Attachment.objects.bytes_used(parent.user)
    if used + size > quota:
        raise LimitReached(
            f"Your files would take more than your {filesizeformat(quota)} of storage "
            f"({filesizeformat(used)} used). Delete some files first.",
            "over your storage quota",
        )


def set_vehicle_photo(attachment: Attachment) -> None:
    """Make one of a vehicle's own images its photo, in place of any other."""
    assert attachment.vehicle is not None and attachment.is_image
    with transaction.atomic():
        attachment.vehicle.lock()
        Attachment.objects.filter(vehicle=attachment.vehicle, is_vehicle_photo=True).update(
            is_vehicle_photo=False
        )
        attachment.is_vehicle_photo = True
        attachment.save(update_fields=["is_vehicle_photo"])
