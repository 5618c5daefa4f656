"""Adding costs and odometer readings as parents (attachments 0002) keeps every stored file on
its parent, and the constraint still gives each file one."""

import pytest
from django.core.management import call_command
from django.db import IntegrityError, transaction

from attachments.models import Attachment
from conftest import just_before

ADDED = ("attachments", "0002_cost_and_odometer_reading_parents")


@pytest.fixture
def old_apps(apps_before):
    """The apps just before the migration."""
    return apps_before(just_before(ADDED))


def test_it_keeps_every_file_on_its_parent(old_apps):
    OldAttachment = old_apps.get_model("attachments", "Attachment")
    owner = old_apps.get_model("auth", "User").objects.create(username="o1")
    vehicle = old_apps.get_model("vehicles", "Vehicle").objects.create(
        user_id=owner.pk, make="Honda", model="Accord", year=2010
    )
    log = old_apps.get_model("fuellogs", "FuelLog").objects.create(
        user_id=owner.pk, vehicle_id=vehicle.pk, date="2026-01-02", odometer_reading=1, gallons=1
    )
    common = {"user_id": owner.pk, "content_type": "application/pdf", "size": 3}
    OldAttachment.objects.create(vehicle_id=vehicle.pk, name="papers.pdf", file="a/1", **common)
    OldAttachment.objects.create(fuel_log_id=log.pk, name="receipt.pdf", file="a/2", **common)

    call_command("migrate", verbosity=0)

    assert sorted(
        Attachment.objects.values_list(
            "name", "vehicle_id", "fuel_log_id", "cost_id", "odometer_reading_id"
        )
    ) == [
        ("papers.pdf", vehicle.pk, None, None, None),
        ("receipt.pdf", None, log.pk, None, None),
    ]
    with pytest.raises(IntegrityError), transaction.atomic():
        Attachment.objects.filter(name="papers.pdf").update(fuel_log_id=log.pk)
