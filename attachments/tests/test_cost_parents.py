"""Files on costs (and the constraint that gives every file exactly one parent): uploaded from
the cost's form, refused to a stranger, counted per cost, deleted with the cost or the account."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from attachments.models import Attachment
from attachments.tests.conftest import MINIMAL_PDF, upload
from attachments.tests.test_deletion import attach, stored
from costs.models import Cost
from motovault.erase import delete_account
from vehicles.models import OdometerReading


@pytest.fixture
def cost(vehicle):
    return Cost.objects.create(
        vehicle=vehicle, category="insurance", date=dt.date(2026, 3, 1), amount=Decimal("612.40")
    )


def test_it_uploads_a_receipt_to_a_cost_and_goes_back_to_its_form(owner_client, cost):
    response = owner_client.post(
        reverse("attachments:upload", kwargs={"kind": "cost", "pk": cost.pk}),
        {"file": upload(MINIMAL_PDF, "policy.pdf", "application/pdf")},
    )
    assert response["Location"] == reverse("costs:edit", args=[cost.pk])
    (attachment,) = Attachment.objects.on(cost)
    assert (attachment.parent, attachment.user, attachment.name) == (cost, cost.user, "policy.pdf")
    page = owner_client.get(response["Location"]).content.decode()
    assert "policy.pdf" in page


def test_it_refuses_a_strangers_upload_to_a_cost(other_client, cost):
    response = other_client.post(
        reverse("attachments:upload", kwargs={"kind": "cost", "pk": cost.pk}),
        {"file": upload(MINIMAL_PDF, "x.pdf", "application/pdf")},
    )
    assert response.status_code == 404
    assert not Attachment.objects.exists()


def test_it_holds_at_most_the_files_per_record_on_a_cost(owner_client, cost, settings):
    settings.ATTACHMENTS_PER_RECORD = 1
    url = reverse("attachments:upload", kwargs={"kind": "cost", "pk": cost.pk})
    owner_client.post(url, {"file": upload(MINIMAL_PDF, "a.pdf", "application/pdf")})
    response = owner_client.post(
        url, {"file": upload(MINIMAL_PDF, "b.pdf", "application/pdf")}, follow=True
    )
    assert "This already has 1 files, the most it can have." in response.content.decode()
    assert Attachment.objects.count() == 1


def test_deleting_a_cost_deletes_its_files_on_commit(
    owner_client, cost, django_capture_on_commit_callbacks
):
    attachment = attach(cost)
    with django_capture_on_commit_callbacks(execute=True):
        owner_client.post(reverse("costs:delete", args=[cost.pk]))
    assert not Cost.objects.exists() and not Attachment.objects.exists()
    assert stored(attachment) == [False, False]


def test_deleting_the_account_deletes_its_costs_and_their_files(
    owner, cost, django_capture_on_commit_callbacks
):
    attachment = attach(cost, image=False)
    with django_capture_on_commit_callbacks(execute=True):
        delete_account(owner)
    assert not Cost.objects.exists() and not Attachment.objects.exists()
    assert stored(attachment) == [False]


def test_a_file_on_an_odometer_reading_belongs_to_the_readings_owner(vehicle):
    reading = OdometerReading.objects.create(
        vehicle=vehicle, date=dt.date(2026, 5, 3), odometer_reading=52_310
    )
    attachment = attach(reading, image=False)
    assert attachment.parent == reading and attachment.user == vehicle.user
    assert Attachment.parent_field(reading) == "odometer_reading"
    assert list(Attachment.objects.for_owner(vehicle.user)) == [attachment]


@pytest.mark.parametrize("parents", [(), ("vehicle", "cost"), ("cost", "odometer_reading")])
def test_every_file_has_exactly_one_parent(vehicle, cost, parents):
    reading = OdometerReading.objects.create(
        vehicle=vehicle, date=dt.date(2026, 5, 3), odometer_reading=52_310
    )
    objects = {"vehicle": vehicle, "cost": cost, "odometer_reading": reading}
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.bulk_create(
            [
                Attachment(
                    user=vehicle.user,
                    name="x.pdf",
                    content_type="application/pdf",
                    size=1,
                    file="attachments/x.pdf",
                    **{name: objects[name] for name in parents},
                )
            ]
        )
