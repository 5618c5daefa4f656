"""The attached files in the account archive: restored on their records through an upload's
checks and limits, skipped and counted when they fail them, and never left behind in storage."""

import datetime as dt
import io
import json
import os
import time
import zipfile
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.contrib.messages import get_messages
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import connection, models, transaction
from django.template.defaultfilters import filesizeformat
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from attachments import services
from attachments.content import prepare
from attachments.models import Attachment
from attachments.tests.conftest import MINIMAL_PDF, image_bytes
from conftest import PASSWORD, make_fill_up
from imports import archive
from imports.reading import ImportFileError
from maintenance.models import MaintenanceRecord
from motovault.erase import delete_account
from vehicles.models import Vehicle

PDF_WITH_SCRIPT = MINIMAL_PDF.replace(
    b"/Type /Catalog", b"/Type /Catalog /OpenAction << /JS (x) >>"
)


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    """Every test stores its files in a directory of its own."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    }


@pytest.fixture
def filed(owner, make_vehicle):
    """An owner whose car has a photo (its vehicle photo) and a PNG of its papers, a fill-up
    with a PDF receipt, a service with a JPEG invoice, and a deleted van with a receipt."""
    car = make_vehicle(owner, nickname="Car", odometer_reading=42_000)
    van = make_vehicle(owner, nickname="Van", odometer_reading=9_000)
    log = make_fill_up(car, dt.date(2026, 5, 3), 41_900, notes="the one with the receipt")
    make_fill_up(car, dt.date(2026, 5, 20), 42_000)
    service = MaintenanceRecord.objects.create(
        user=owner,
        vehicle=car,
        type="brake_service",
        is_completed=True,
        completed_date=dt.date(2026, 6, 1),
        cost=D("310.00"),
    )
    van_log = make_fill_up(van, dt.date(2026, 4, 1), 8_900)
    photo = attach(car, image_bytes(size=(1200, 900)), "car.jpg")
    services.set_vehicle_photo(photo)
    attach(car, image_bytes("PNG", size=(300, 200)), "papers.png")
    attach(log, MINIMAL_PDF, "receipt.pdf")
    attach(service, image_bytes(size=(640, 480)), "invoice.jpg")
    attach(van_log, MINIMAL_PDF, "van receipt.pdf")
    van.soft_delete()
    return owner


def attach(parent, data: bytes, name: str) -> Attachment:
    return services.attach(parent, name, prepare(data))


def written(user) -> bytes:
    out = io.BytesIO()
    archive.write(user, out)
    return out.getvalue()


def rewritten(content: bytes, files: dict[str, bytes | None], edit=None) -> bytes:
    """The archive with some attached files replaced (None: left out), its document edited."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(content)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as made,
    ):
        for entry in source.infolist():
            data = files.get(entry.filename, source.read(entry))
            if entry.filename == archive.DOCUMENT and edit is not None:
                document = json.loads(data)
                edit(document)
                data = json.dumps(document).encode()
            if data is not None:
                made.writestr(entry.filename, data, zipfile.ZIP_STORED)
    return out.getvalue()


def entry_of(content: bytes, name: str) -> str:
    """The ZIP entry of the attached file of this name."""
    with zipfile.ZipFile(io.BytesIO(content)) as opened:
        listed = json.loads(opened.read(archive.DOCUMENT))["attachments"]
    return next(item["file"] for item in listed if item["name"] == name)


def restored_files(user) -> dict[str, Attachment]:
    return {
        attachment.name: attachment
        for attachment in Attachment.objects.filter(user=user).select_related(
            "vehicle", "fuel_log", "maintenance_record"
        )
    }


def read(attachment: Attachment, field: str = "file") -> bytes:
    with default_storage.open(getattr(attachment, field).name) as stored:
        return stored.read()


def test_it_restores_each_file_on_its_record_after_the_account_is_erased(
    filed, django_capture_on_commit_callbacks
):
    before = {a.name: (read(a), a.content_type) for a in Attachment.objects.all()}
    content = written(filed)
    folder = f"attachments/{filed.pk}"
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(filed)
    assert default_storage.listdir(folder) == ([], [])

    newcomer = User.objects.create_user("carol", password=PASSWORD)
    summary = archive.restore(user=newcomer, file=io.BytesIO(content))

    assert summary.files == 5 and not summary.files_skipped
    assert str(summary).endswith("5 files and your preferences")
    files = restored_files(newcomer)
    assert sorted(files) == sorted(before)
    # On the records the archive's ids named, now the newcomer's.
    assert files["car.jpg"].vehicle.nickname == "Car"
    assert files["papers.png"].vehicle.nickname == "Car"
    assert files["receipt.pdf"].fuel_log.notes == "the one with the receipt"
    assert files["invoice.jpg"].maintenance_record.type == "brake_service"
    assert files["van receipt.pdf"].fuel_log.vehicle.is_deleted
    assert [name for name, a in files.items() if a.is_vehicle_photo] == ["car.jpg"]
    assert {a.user_id for a in files.values()} == {newcomer.pk}
    # PDFs and PNGs come back byte for byte; a JPEG is written afresh as an upload is.
    for name in ("receipt.pdf", "van receipt.pdf", "papers.png"):
        assert read(files[name]) == before[name][0]
    for name in ("car.jpg", "invoice.jpg"):
        assert files[name].content_type == "image/jpeg"
        assert (
            Image.open(io.BytesIO(read(files[name]))).size
            == Image.open(io.BytesIO(before[name][0])).size
        )
        assert Image.open(io.BytesIO(read(files[name], "thumbnail"))).format == "WEBP"


def test_the_restored_files_are_served_to_their_new_owner_only(
    filed, other_user, client, other_client
):
    content = written(filed)
    archive.restore(user=other_user, file=io.BytesIO(content))
    receipt = Attachment.objects.get(user=other_user, name="receipt.pdf")
    address = reverse("attachments:download", args=[receipt.pk])

    response = other_client.get(address)
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Security-Policy"] == "sandbox"
    client.force_login(filed)
    assert client.get(address).status_code == 404
    # The car's page shows its restored photo.
    car = Vehicle.objects.get(user=other_user, nickname="Car")
    photo = Attachment.objects.get(vehicle=car, is_vehicle_photo=True)
    page = other_client.get(reverse("vehicles:detail", args=[car.pk])).text
    assert reverse("attachments:thumbnail", args=[photo.pk]) in page


def test_it_skips_the_files_an_upload_would_refuse_and_counts_them(filed, other_user, other_client):
    content = written(filed)
    disguised = rewritten(
        content,
        {
            entry_of(content, "car.jpg"): b"<html><script>alert(1)</script></html>",
            entry_of(content, "receipt.pdf"): PDF_WITH_SCRIPT,
            entry_of(content, "papers.png"): b'<svg xmlns="http://www.w3.org/2000/svg"/>',
            entry_of(content, "van receipt.pdf"): None,
        },
    )
    response = other_client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile("archive.zip", disguised, "application/zip")},
        follow=True,
    )

    assert response.status_code == 200
    assert [str(message) for message in get_messages(response.wsgi_request)] == [
        "Your archive is restored: 2 vehicles (1 deleted), 3 fill-ups, 1 maintenance record, "
        "0 saved stations, 1 file and your preferences; 4 files skipped: not an allowed type "
        "(2), a PDF with JavaScript (1), missing from the archive (1)."
    ]
    assert list(restored_files(other_user)) == ["invoice.jpg"]
    # The car's photo was refused: it has none.
    assert not Attachment.objects.filter(user=other_user, is_vehicle_photo=True).exists()
    assert len(default_storage.listdir(f"attachments/{other_user.pk}")[1]) == 2


def test_it_holds_restored_files_to_the_size_limit_the_quota_and_the_files_per_record(
    filed, other_user, settings
):
    content = written(filed)
    sizes = {a.name: a.size for a in Attachment.objects.all()}
    # Each PDF is small; the papers' PNG is the largest file but for the car's photo.
    settings.ATTACHMENT_MAX_BYTES = sizes["car.jpg"] - 1
    settings.ATTACHMENT_QUOTA_BYTES = 2 * len(MINIMAL_PDF) + sizes["papers.png"]
    summary = archive.restore(user=other_user, file=io.BytesIO(content))
    assert sorted(restored_files(other_user)) == ["papers.png", "receipt.pdf", "van receipt.pdf"]
    assert summary.files_skipped == {
        f"larger than {filesizeformat(sizes['car.jpg'] - 1)}": 1,
        "over your storage quota": 1,
    }

    settings.ATTACHMENT_MAX_BYTES = settings.ATTACHMENT_QUOTA_BYTES = 10 * 1024 * 1024
    settings.ATTACHMENTS_PER_RECORD = 1
    carol = User.objects.create_user("carol")
    summary = archive.restore(user=carol, file=io.BytesIO(content))
    assert summary.files_skipped == {"more than 1 on one record": 1}
    assert Attachment.objects.get(user=carol, vehicle__isnull=False).name == "car.jpg"


def test_it_converts_a_heic_photo_in_an_archive_to_jpeg_without_its_location(filed, other_user):
    content = written(filed)
    heic = image_bytes("HEIF", gps=True)
    archive.restore(
        user=other_user,
        file=io.BytesIO(rewritten(content, {entry_of(content, "invoice.jpg"): heic})),
    )
    invoice = Attachment.objects.get(user=other_user, name="invoice.jpg")
    stored = read(invoice)
    assert invoice.content_type == "image/jpeg"
    assert not Image.open(io.BytesIO(stored)).getexif()
    assert b"PhoneMaker" not in stored


def test_it_refuses_a_zip_bomb_among_the_files_unpacking_nothing(filed, other_user):
    content = written(filed)
    out = io.BytesIO(rewritten(content, {}))
    with zipfile.ZipFile(out, "a", zipfile.ZIP_DEFLATED) as made:
        made.writestr("attachments/bomb.pdf", b"%PDF-1.4\n" + b"0" * (8 * 1024 * 1024))
    with pytest.raises(ImportFileError, match="ZIP bomb"):
        archive.restore(user=other_user, file=out)
    assert not Vehicle.objects.filter(user=other_user).exists()


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        (
            lambda d: d["attachments"][0].update(vehicle="no-such-id"),
            "Attachment 1 of the archive names a vehicle the archive does not hold",
        ),
        (
            lambda d: d["attachments"][0].update(fuel_log=d["fuel_logs"][0]["id"]),
            "Attachment 1 of the archive names no record, or more than one.",
        ),
        (
            lambda d: d["attachments"][0].update(vehicle_photo="yes"),
            "“vehicle_photo” is neither true nor false",
        ),
    ],
    ids=["unknown-record", "two-records", "photo-not-a-boolean"],
)
def test_it_refuses_an_attachment_naming_no_restored_record(filed, other_user, edit, message):
    content = rewritten(written(filed), {}, edit)
    with pytest.raises(ImportFileError, match=message):
        archive.restore(user=other_user, file=io.BytesIO(content))
    assert not Vehicle.objects.filter(user=other_user).exists()
    assert not default_storage.exists(f"attachments/{other_user.pk}")


def test_it_skips_a_file_the_archive_does_not_hold(filed, other_user):
    content = rewritten(
        written(filed), {}, lambda d: d["attachments"][2].update(file={"not": "a name"})
    )
    # The photo's bytes changed in the ZIP, after its checksum was written.
    photo = entry_of(content, "car.jpg")
    with zipfile.ZipFile(io.BytesIO(content)) as opened:
        start = opened.getinfo(photo).header_offset + 30 + len(photo) + 100
    damaged = content[:start] + b"damaged!" + content[start + 8 :]
    summary = archive.restore(user=other_user, file=io.BytesIO(damaged))
    assert summary.files == 3
    assert summary.files_skipped == {"damaged in the archive": 1, "missing from the archive": 1}


def test_an_archive_written_before_attachments_restores_without_them(filed, other_user):
    content = rewritten(written(filed), {}, lambda document: document.pop("attachments"))
    summary = archive.restore(user=other_user, file=io.BytesIO(content))
    assert summary.vehicles == 2 and summary.files == 0
    assert "file" not in str(summary)


def test_a_restore_that_fails_midway_removes_the_files_it_stored(filed, other_user, monkeypatch):
    content = written(filed)
    real = services.attach
    calls = []

    def attach_then_fail(*args, **kwargs):
        if len(calls) == 2:
            raise ConnectionError("the database went away")
        calls.append(real(*args, **kwargs))
        return calls[-1]

    monkeypatch.setattr(services, "attach", attach_then_fail)
    with pytest.raises(ConnectionError):
        archive.restore(user=other_user, file=io.BytesIO(content))
    assert not Vehicle.objects.filter(user=other_user).exists()
    assert not Attachment.objects.filter(user=other_user).exists()
    assert default_storage.listdir(f"attachments/{other_user.pk}") == ([], [])


def test_a_dry_run_of_the_command_leaves_no_files(filed, other_user, tmp_path, capsys):
    path = tmp_path / "archive.zip"
    path.write_bytes(written(filed))
    call_command("import_history", "--user", "bob", "--format", "archive", "--dry-run", path)
    assert "5 files and your preferences (dry run, nothing saved)" in capsys.readouterr().out
    assert not Attachment.objects.filter(user=other_user).exists()
    assert default_storage.listdir(f"attachments/{other_user.pk}") == ([], [])


def test_cleanup_removes_the_files_of_a_restore_killed_midway_and_orphan_thumbnails(
    filed, other_user, capsys
):
    # A restore whose process died before it could remove its files: its rows rolled back.
    with transaction.atomic():
        summary = archive.restore(user=other_user, file=io.BytesIO(written(filed)))
        transaction.set_rollback(True)
    left = list(summary.files_stored)
    assert len(left) == 8 and all(default_storage.exists(name) for name in left)
    # And a thumbnail whose file row is gone (its file kept).
    kept = Attachment.objects.get(name="receipt.pdf")
    photo = Attachment.objects.get(name="car.jpg")
    orphan_thumb = photo.thumbnail.name
    Attachment.objects.filter(pk=photo.pk).update(thumbnail="")
    old = time.time() - 2 * 3600
    for name in [*left, orphan_thumb]:
        os.utime(default_storage.path(name), (old, old))

    call_command("cleanup_attachments")

    assert capsys.readouterr().out.startswith("Removed 9 orphaned file(s); 0 attachment(s)")
    assert not any(default_storage.exists(name) for name in [*left, orphan_thumb])
    assert default_storage.exists(kept.file.name) and default_storage.exists(photo.file.name)


def test_every_kind_of_record_a_file_may_be_on_is_restored():
    parents = {
        field.name
        for field in Attachment._meta.get_fields()
        if isinstance(field, models.ForeignKey) and field.related_model is not User
    }
    assert set(archive.ATTACHMENT_PARENTS) == parents


def test_each_restored_file_costs_the_same_few_queries(filed):
    content = written(filed)

    def queries_with(files: int) -> int:
        newcomer = User.objects.create_user(f"newcomer{files}")
        kept = rewritten(
            content,
            {},
            lambda document: document.update(attachments=document["attachments"][:files]),
        )
        with CaptureQueriesContext(connection) as captured:
            archive.restore(user=newcomer, file=io.BytesIO(kept))
        assert Attachment.objects.filter(user=newcomer).count() == files
        return len(captured)

    one, three = queries_with(1), queries_with(3)
    # The car's photo (first) also takes its vehicle's lock and the photo's update: 4 more.
    # Each file: a savepoint and its release, the owner's lock, its record's existence, the
    # record's files, the owner's bytes, the insert.
    assert three - one == 2 * 7
