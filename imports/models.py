import datetime
import uuid
from typing import Self

from django.conf import settings
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone

from motovault.ownership import OwnedQuerySet

# An upload waits this long for the owner to confirm its preview, then is deleted.
KEPT_FOR = datetime.timedelta(days=1)


class UploadQuerySet(OwnedQuerySet["Upload"]):
    def for_owner(self, user: User) -> Self:
        """The owner's uploads still waiting to be confirmed."""
        return self.filter(user=user, created_at__gte=timezone.now() - KEPT_FOR)

    def expired(self) -> Self:
        return self.filter(created_at__lt=timezone.now() - KEPT_FOR)

    def delete_with_files(self) -> int:
        """Delete these uploads and their stored files."""
        uploads = list(self)
        for upload in uploads:
            upload.file.delete(save=False)
        return self.filter(pk__in=[upload.pk for upload in uploads]).delete()[0]


class Upload(models.Model):
    """A file an owner uploaded to import, kept on the server between the preview and the
    confirmation (never a path posted back), for a day at most."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, db_index=False)
    file = models.FileField(upload_to="imports/")
    # The name the owner's file had, shown on the preview.
    name = models.CharField(max_length=255)
    # A format of imports.source.FORMATS, or empty for the one the file's layout has.
    format = models.CharField(max_length=30, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = UploadQuerySet.as_manager()

    class Meta:
        db_table = "import_uploads"
        indexes = [
            # The owner's pending uploads (for_owner); deleting everyone's expired ones.
            models.Index(fields=["user", "created_at"], name="import_uploads_user_idx"),
            models.Index(fields=["created_at"], name="import_uploads_created_idx"),
        ]

    def __str__(self) -> str:
        return self.name
