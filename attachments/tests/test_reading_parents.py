"""Files on odometer readings (a photo of the dashboard): uploaded from the reading's edit page,
refused to a stranger, shown in one query however many there are, deleted with the reading."""

import datetime as dt

import pytest
from django.urls import reverse

from attachments.models import Attachment
from attachments.tests.conftest import MINIMAL_PDF, image_bytes, upload
from attachments.tests.test_deletion import attach, stored
from vehicles.models import OdometerReading


@pytest.fixture
def reading(vehicle):
    return OdometerReading.objects.create(
        vehicle=vehicle, date=dt.date(2026, 5, 3), odometer_reading=52_310
    )


def upload_url(reading) -> str:
    return reverse("attachments:upload", kwargs={"kind": "reading", "pk": reading.pk})


def test_it_uploads_a_photo_of_the_dashboard_to_a_reading_and_goes_back_to_its_page(
    owner_client, reading
):
    response = owner_client.post(upload_url(reading), {"file": upload(image_bytes(), "dash.jpg")})
    assert response["Location"] == reverse("vehicles:edit_reading", args=[reading.pk])
    (attachment,) = Attachment.objects.on(reading)
    assert (attachment.parent, attachment.user, attachment.name) == (
        reading,
        reading.user,
        "dash.jpg",
    )
    page = owner_client.get(response["Location"]).content.decode()
    assert "dash.jpg" in page and "Attached dash.jpg." in page


def test_it_shows_the_upload_form_on_a_readings_edit_page_only(owner_client, vehicle, reading):
    page = owner_client.get(reverse("vehicles:edit_reading", args=[reading.pk])).content.decode()
    assert f'action="{upload_url(reading)}"' in page
    assert "No files yet: add a photo of the odometer." in page
    added = owner_client.get(reverse("vehicles:add_reading", args=[vehicle.pk])).content.decode()
    assert "/attachments/upload/" not in added


def test_it_reads_a_readings_files_in_one_query_however_many(
    owner_client, reading, django_assert_num_queries
):
    url = reverse("vehicles:edit_reading", args=[reading.pk])
    attach(reading)
    with django_assert_num_queries(4) as one:
        owner_client.get(url)
    for _ in range(4):
        attach(reading, image=False)
    with django_assert_num_queries(len(one.captured_queries)):
        page = owner_client.get(url).content.decode()
    assert page.count("attachment-preview") == 5


def test_it_returns_to_the_readings_page_after_deleting_a_file(owner_client, reading):
    attachment = attach(reading, image=False)
    response = owner_client.post(reverse("attachments:delete", args=[attachment.pk]))
    assert response["Location"] == reverse("vehicles:edit_reading", args=[reading.pk])
    assert not Attachment.objects.exists()


def test_it_refuses_a_strangers_upload_to_a_reading(other_client, reading):
    response = other_client.post(
        upload_url(reading), {"file": upload(MINIMAL_PDF, "x.pdf", "application/pdf")}
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_deleting_a_reading_deletes_its_files_on_commit(
    owner_client, reading, django_capture_on_commit_callbacks
):
    attachment = attach(reading)
    kept = attach(reading.vehicle, image=False)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("vehicles:delete_reading", args=[reading.pk]))
    assert not OdometerReading.objects.exists()
    assert list(Attachment.objects.all()) == [kept]
    assert stored(attachment, kept) == [False, False, True]
