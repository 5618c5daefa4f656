"""Files leave storage with their rows, after the commit, and nothing is left behind."""

import datetime
import os
import time

from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, default_storage
from django.core.management import call_command
from django.urls import reverse

from attachments.cleanup import Sweep, sweep
from attachments.models import Attachment
from attachments.tests.conftest import MINIMAL_PDF, image_bytes
from motovault.erase import delete_account


def attach(parent, image: bool = True) -> Attachment:
    attachment = Attachment(
        **{Attachment.parent_field(parent): parent},
        name="scan",
        content_type="image/jpeg" if image else "application/pdf",
        size=10,
    )
    attachment.user_id = parent.user_id
    attachment.file.save("a", ContentFile(image_bytes() if image else MINIMAL_PDF), save=False)
    if image:
        attachment.thumbnail.save("t", ContentFile(image_bytes("WEBP")), save=False)
    attachment.save()
    return attachment


def stored(*attachments) -> list[bool]:
    return [default_storage.exists(name) for a in attachments for name in a.stored_names()]


def test_deleting_a_fill_up_deletes_its_files_on_commit(
    owner_client, log, django_capture_on_commit_callbacks
):
    attachment = attach(log)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("fuellogs:delete", args=[log.pk]))
    assert not Attachment.objects.exists()
    assert stored(attachment) == [False, False]


def test_deleting_a_service_deletes_its_files_on_commit(
    owner_client, record, django_capture_on_commit_callbacks
):
    attachment = attach(record, image=False)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("maintenance:delete", args=[record.pk]))
    assert stored(attachment) == [False]


def test_a_rolled_back_delete_keeps_the_files(log, django_capture_on_commit_callbacks):
    attachment = attach(log)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        Attachment.objects.filter(pk=attachment.pk).delete()
    # Nothing happens until the commit: a rollback would drop the callbacks with the delete.
    assert len(callbacks) == 1
    assert stored(attachment) == [True, True]


def test_deleting_the_account_deletes_every_file(
    owner, vehicle, log, record, make_vehicle, django_capture_on_commit_callbacks
):
    deleted = make_vehicle(owner, nickname="Gone")
    deleted.soft_delete()
    files = [attach(vehicle), attach(log), attach(record, image=False), attach(deleted)]
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(owner)
    assert not Attachment.objects.exists()
    assert not any(stored(*files))


def test_cleanup_removes_orphans_and_reports_missing_files(log, capsys):
    kept, lost = attach(log), attach(log, image=False)
    orphan = default_storage.save(f"attachments/{log.user_id}/stray.jpg", ContentFile(b"x"))
    fresh = default_storage.save(f"attachments/{log.user_id}/uploading.jpg", ContentFile(b"x"))
    old = time.time() - 2 * 3600
    os.utime(default_storage.path(orphan), (old, old))
    default_storage.delete(lost.file.name)
    Attachment.objects.filter(pk=lost.pk).update(
        created_at=lost.created_at - datetime.timedelta(days=1)
    )

    call_command("cleanup_attachments")

    out, err = capsys.readouterr()
    assert out.strip() == "Removed 1 orphaned file(s); 1 attachment(s) without their file."
    assert f"Attachment {lost.pk}: its file is missing from storage." in err
    assert not default_storage.exists(orphan)
    # An upload whose row is not committed yet is left alone, and so are files with a row.
    assert default_storage.exists(fresh)
    assert stored(kept) == [True, True]
    call_command("cleanup_attachments")
    assert capsys.readouterr().out.startswith("Removed 0 orphaned file(s)")


def test_cleanup_with_no_files_at_all(db, capsys):
    call_command("cleanup_attachments")
    assert "Removed 0 orphaned file(s); 0 attachment(s)" in capsys.readouterr().out


class RacedStorage(FileSystemStorage):
    """MEDIA_ROOT as a second server's sweep leaves it: each file it lists is removed, by the
    other run, before this one asks its age."""

    def listdir(self, path):
        folders, files = super().listdir(path)
        for name in files:
            self.delete(f"{path}/{name}")
        return folders, files


def test_cleanup_skips_an_orphan_another_run_removed_after_listing_it(db):
    storage = RacedStorage()
    storage.save("attachments/1/stray.jpg", ContentFile(b"x"))

    assert sweep(storage) == Sweep(removed=[], missing=[])
