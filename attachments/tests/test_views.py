import io
import re
import uuid

import pytest
from django.conf import settings
from django.contrib.messages import get_messages
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from attachments.models import Attachment
from attachments.tests.conftest import GPS_IFD, MINIMAL_PDF, image_bytes, upload


def upload_url(kind, parent):
    return reverse("attachments:upload", kwargs={"kind": kind, "pk": parent.pk})


def messages_of(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


def post_file(client, kind, parent, data, name="receipt.jpg", content_type="image/jpeg"):
    return client.post(
        upload_url(kind, parent), {"file": upload(data, name, content_type)}, follow=True
    )


@pytest.mark.parametrize("kind", ["vehicle", "fuel", "maintenance"])
def test_it_attaches_a_photo_to_a_vehicle_or_record(owner_client, vehicle, log, record, kind):
    parent = {"vehicle": vehicle, "fuel": log, "maintenance": record}[kind]
    response = post_file(owner_client, kind, parent, image_bytes(gps=True), "Receipt.JPG")
    attachment = Attachment.objects.get()
    assert attachment.parent == parent
    assert attachment.user == vehicle.user
    assert attachment.name == "Receipt.JPG"
    assert "Attached Receipt.JPG." in messages_of(response)
    # Back on the parent's page, which lists the file.
    assert reverse("attachments:download", args=[attachment.pk]) in response.text
    with default_storage.open(attachment.file.name) as stored:
        assert not Image.open(stored).getexif().get_ifd(GPS_IFD)
    assert default_storage.exists(attachment.thumbnail.name)


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (image_bytes("PNG"), "image/png"),
        (image_bytes("WEBP"), "image/webp"),
        (MINIMAL_PDF, "application/pdf"),
    ],
)
def test_it_takes_each_allowed_type_whatever_its_name(owner_client, log, data, content_type):
    post_file(owner_client, "fuel", log, data, name="scan.bin", content_type="text/plain")
    assert Attachment.objects.get().content_type == content_type


def test_it_stores_an_iphones_heic_photo_as_a_jpeg_without_its_location(owner_client, vehicle):
    heic = image_bytes("HEIF", gps=True)
    assert Image.open(io.BytesIO(heic)).getexif().get_ifd(GPS_IFD)  # the test's own premise
    response = post_file(owner_client, "vehicle", vehicle, heic, "IMG_0042.HEIC", "image/heic")
    attachment = Attachment.objects.get()
    assert (attachment.content_type, attachment.name) == ("image/jpeg", "IMG_0042.HEIC")
    assert "Attached IMG_0042.HEIC." in messages_of(response)

    served = owner_client.get(reverse("attachments:download", args=[attachment.pk]))
    assert served["Content-Type"] == "image/jpeg"
    assert 'filename="IMG_0042.jpg"' in served["Content-Disposition"]
    content = b"".join(served.streaming_content)
    assert len(content) == attachment.size
    assert Image.open(io.BytesIO(content)).format == "JPEG"
    assert not Image.open(io.BytesIO(content)).getexif()
    assert b"PhoneMaker" not in content
    assert default_storage.exists(attachment.thumbnail.name)


@pytest.mark.parametrize(
    ("data", "name", "content_type", "words"),
    [
        (b"<html><script>alert(1)</script>", "photo.jpg", "image/jpeg", "not a JPEG"),
        (
            b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'/>",
            "a.svg",
            "image/svg+xml",
            "not a",
        ),
        (
            MINIMAL_PDF.replace(b"/Type /Catalog", b"/Type /Catalog /OpenAction << /JS (x) >>"),
            "invoice.pdf",
            "application/pdf",
            "contains JavaScript",
        ),
    ],
)
def test_it_refuses_disguised_files(owner_client, log, data, name, content_type, words):
    response = post_file(owner_client, "fuel", log, data, name, content_type)
    assert any(words in message for message in messages_of(response))
    assert not Attachment.objects.exists()
    assert not (settings.MEDIA_ROOT / "attachments").exists()


def test_it_refuses_a_file_over_the_limit(owner_client, log, settings):
    settings.ATTACHMENT_MAX_BYTES = 1000
    response = post_file(owner_client, "fuel", log, image_bytes(size=(400, 400)))
    assert any("files can be at most 1000" in message for message in messages_of(response))
    assert not Attachment.objects.exists()


def test_a_ten_megabyte_file_gets_past_the_body_cap(owner_client, log):
    # A PDF padded to just under the 10 MB default: the request is over the 2 MB body cap of
    # other pages, but within the upload path's.
    pdf = MINIMAL_PDF + b"%" + b"0" * (settings.ATTACHMENT_MAX_BYTES - len(MINIMAL_PDF) - 2) + b"\n"
    response = post_file(owner_client, "fuel", log, pdf, "big.pdf", "application/pdf")
    assert response.status_code == 200
    assert Attachment.objects.get().size == settings.ATTACHMENT_MAX_BYTES


def test_a_body_far_over_the_limit_is_refused_before_it_is_read(owner_client, log):
    response = owner_client.post(
        upload_url("fuel", log),
        b"x",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(settings.MAX_ATTACHMENT_BODY_SIZE + 1),
    )
    assert response.status_code == 413
    assert "10.0\xa0MB" in response.text


def test_it_stops_at_the_files_per_record_limit(owner_client, log, settings):
    settings.ATTACHMENTS_PER_RECORD = 2
    for _ in range(3):
        response = post_file(owner_client, "fuel", log, MINIMAL_PDF, "a.pdf", "application/pdf")
    assert Attachment.objects.count() == 2
    assert "This already has 2 files, the most it can have. Delete one first." in messages_of(
        response
    )


def test_it_stops_at_the_owners_quota(owner_client, vehicle, log, record, settings):
    settings.ATTACHMENT_QUOTA_BYTES = 2 * len(MINIMAL_PDF) + 10
    post_file(owner_client, "fuel", log, MINIMAL_PDF, "a.pdf", "application/pdf")
    post_file(owner_client, "vehicle", vehicle, MINIMAL_PDF, "b.pdf", "application/pdf")
    response = post_file(
        owner_client, "maintenance", record, MINIMAL_PDF, "c.pdf", "application/pdf"
    )
    assert Attachment.objects.count() == 2
    assert any("more than your" in message for message in messages_of(response))
    assert len(list((settings.MEDIA_ROOT / "attachments" / str(vehicle.user_id)).iterdir())) == 2


def test_it_serves_the_file_to_its_owner_inert(owner_client, log):
    post_file(owner_client, "fuel", log, MINIMAL_PDF, 'my "invoice".pdf', "application/pdf")
    attachment = Attachment.objects.get()
    response = owner_client.get(reverse("attachments:download", args=[attachment.pk]))
    assert b"".join(response.streaming_content) == MINIMAL_PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline; filename=")
    assert "invoice" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == "sandbox"
    assert response["Cache-Control"].startswith("private")


def test_it_serves_a_thumbnail_cached_privately(owner_client, vehicle):
    post_file(owner_client, "vehicle", vehicle, image_bytes())
    attachment = Attachment.objects.get()
    response = owner_client.get(reverse("attachments:thumbnail", args=[attachment.pk]))
    assert response["Content-Type"] == "image/webp"
    assert response["Cache-Control"] == "private, max-age=86400"
    assert "sandbox" in response["Content-Security-Policy"]
    assert Image.open(io.BytesIO(b"".join(response.streaming_content))).format == "WEBP"


def test_another_owner_gets_a_404(owner_client, other_client, log):
    post_file(owner_client, "fuel", log, MINIMAL_PDF, "a.pdf", "application/pdf")
    attachment = Attachment.objects.get()
    for name in ("download", "thumbnail", "delete"):
        assert (
            other_client.get(reverse(f"attachments:{name}", args=[attachment.pk])).status_code
            == 404
        )
    assert other_client.post(reverse("attachments:delete", args=[attachment.pk])).status_code == 404
    assert post_file(other_client, "fuel", log, MINIMAL_PDF).status_code == 404
    assert Attachment.objects.count() == 1


def test_anonymous_goes_to_login(client, owner_client, log):
    post_file(owner_client, "fuel", log, MINIMAL_PDF, "a.pdf", "application/pdf")
    attachment = Attachment.objects.get()
    client.logout()
    response = client.get(reverse("attachments:download", args=[attachment.pk]))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_a_deleted_vehicles_files_are_out_of_sight(owner_client, vehicle, log):
    post_file(owner_client, "fuel", log, MINIMAL_PDF, "a.pdf", "application/pdf")
    attachment = Attachment.objects.get()
    vehicle.soft_delete()
    assert (
        owner_client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 404
    )
    vehicle.restore()
    assert (
        owner_client.get(reverse("attachments:download", args=[attachment.pk])).status_code == 200
    )


def test_delete_asks_then_removes_the_file_on_commit(
    owner_client, log, django_capture_on_commit_callbacks
):
    post_file(owner_client, "fuel", log, MINIMAL_PDF, "a.pdf", "application/pdf")
    attachment = Attachment.objects.get()
    url = reverse("attachments:delete", args=[attachment.pk])
    assert "Delete this file?" in owner_client.get(url).text
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        owner_client.post(url)
    # The row is gone, and the file stays until the transaction commits.
    assert not Attachment.objects.exists()
    assert default_storage.exists(attachment.file.name)
    for callback in callbacks:
        callback()
    assert not default_storage.exists(attachment.file.name)


def test_a_vehicle_photo_shows_on_its_page(owner_client, vehicle):
    post_file(owner_client, "vehicle", vehicle, image_bytes(), "car.jpg")
    post_file(owner_client, "vehicle", vehicle, image_bytes("PNG"), "other.png")
    first, second = Attachment.objects.order_by("created_at")
    owner_client.post(reverse("attachments:set_photo", args=[first.pk]))
    owner_client.post(reverse("attachments:set_photo", args=[second.pk]))
    page = owner_client.get(vehicle.get_absolute_url()).text
    assert (
        f'class="vehicle-photo" href="{reverse("attachments:download", args=[second.pk])}"' in page
    )
    assert list(Attachment.objects.filter(is_vehicle_photo=True)) == [second]


def test_on_a_phone_one_field_opens_the_camera_and_the_other_still_picks_files(owner_client, log):
    page = owner_client.get(reverse("fuellogs:edit", args=[log.pk])).text
    inputs = re.findall(r'<input type="file"[^>]*>', page)
    # Picking a file (on a phone: the photo library, the files, or the camera too) ...
    assert f'id="attachment-file-{log.pk}" accept="image/*,application/pdf">' in inputs[0]
    # ... or the camera at once; `capture` forces the camera, so only this field has it.
    assert 'accept="image/*" capture="environment"' in inputs[1]
    assert len(inputs) == 2


def test_only_a_vehicles_own_image_can_be_its_photo(owner_client, vehicle, log):
    post_file(owner_client, "vehicle", vehicle, MINIMAL_PDF, "papers.pdf", "application/pdf")
    post_file(owner_client, "fuel", log, image_bytes(), "receipt.jpg")
    for attachment in Attachment.objects.all():
        response = owner_client.post(reverse("attachments:set_photo", args=[attachment.pk]))
        assert response.status_code == 404
    assert not Attachment.objects.filter(is_vehicle_photo=True).exists()


def test_an_unknown_kind_or_key_is_a_404(owner_client, log):
    assert owner_client.post(f"/attachments/upload/station/{log.pk}/").status_code == 404
    assert owner_client.post(f"/attachments/upload/fuel/{uuid.uuid4()}/").status_code == 404
    assert owner_client.post("/attachments/upload/fuel/" + "z" * 36 + "/").status_code == 404


def test_the_record_pages_queries_stay_flat_with_many_files(
    owner_client, vehicle, log, record, django_assert_num_queries, no_page_cache
):
    parents = {
        reverse("fuellogs:edit", args=[log.pk]): log,
        reverse("maintenance:edit", args=[record.pk]): record,
        vehicle.get_absolute_url(): vehicle,
    }
    for url, parent in parents.items():
        _store(parent, image=True)
        owner_client.get(url)  # caches filled
        with CaptureQueriesContext(connection) as one_file:
            owner_client.get(url)
        for _ in range(9):
            _store(parent, image=False)
        with django_assert_num_queries(len(one_file.captured_queries)):
            response = owner_client.get(url)
        assert response.text.count('class="attachment"') == 10


def _store(parent, image: bool) -> None:
    """A file stored directly (no upload), a thumbnailed image or a PDF."""
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
