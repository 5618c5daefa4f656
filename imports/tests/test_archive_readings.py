"""Odometer readings in the account archive: written to the document and to `odometer.csv`,
restored under the reading rules and in date order with the fill-ups."""

import datetime as dt
import io
import json
import zipfile

import pytest

from conftest import make_fill_up
from imports import archive
from imports.reading import ImportFileError
from imports.tests.test_archive import document, written
from vehicles.models import OdometerReading, Vehicle


@pytest.fixture
def account(owner, make_vehicle):
    """Two vehicles with fill-ups and readings in between, one of them in kilometers."""
    car = make_vehicle(owner, nickname="Accord", odometer_reading=42_000)
    golf = make_vehicle(owner, vin="", nickname="Golf", distance_unit="km", odometer_reading=9_000)
    make_fill_up(car, "2025-01-01", 40_000)
    OdometerReading.objects.create(vehicle=car, date=dt.date(2025, 2, 1), odometer_reading=40_800)
    make_fill_up(car, "2025-03-01", 41_500)
    OdometerReading.objects.create(
        vehicle=golf, date=dt.date(2025, 3, 3), odometer_reading=8_765, notes="Beim TÜV\nok"
    )
    return owner


def readings_of(user) -> list[tuple]:
    return sorted(
        OdometerReading.objects.filter(user=user).values_list(
            "vehicle__nickname", "date", "odometer_reading", "notes"
        )
    )


def archive_with(content: bytes, change) -> io.BytesIO:
    found = document(content)
    change(found)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as made:
        made.writestr(archive.DOCUMENT, json.dumps(found))
    out.seek(0)
    return out


def test_it_writes_the_readings_to_the_document_and_the_csv(account):
    content = written(account)
    found = document(content)
    golf = next(vehicle for vehicle in found["vehicles"] if vehicle["nickname"] == "Golf")
    assert [
        (reading["vehicle"] == golf["id"], reading["date"], reading["odometer"], reading["notes"])
        for reading in found["odometer_readings"]
    ] == [
        (False, "2025-02-01", 40_800, ""),
        (True, "2025-03-03", 8_765, "Beim TÜV\nok"),
    ]
    with zipfile.ZipFile(io.BytesIO(content)) as opened:
        table = opened.read("odometer.csv").decode("utf-8-sig")
    assert table.startswith("vehicle,vin,date,odometer,distance_unit,notes\r\n")
    assert 'Golf,,2025-03-03,8765,km,"Beim TÜV\nok"' in table


def test_it_restores_every_reading(account, django_user_model):
    before = readings_of(account)
    content = written(account)
    newcomer = django_user_model.objects.create_user("carol")

    summary = archive.restore(user=newcomer, file=io.BytesIO(content))

    assert readings_of(newcomer) == before
    assert summary.odometer_readings == 2
    assert "2 fill-ups, 0 maintenance records, 2 odometer readings, 0 saved" in str(summary)
    restored = OdometerReading.objects.filter(user=newcomer).select_related("vehicle")
    assert {reading.vehicle.user_id for reading in restored} == {newcomer.pk}


def test_it_restores_an_archive_written_before_readings(account, django_user_model):
    content = archive_with(written(account), lambda found: found.pop("odometer_readings"))
    newcomer = django_user_model.objects.create_user("carol")
    summary = archive.restore(user=newcomer, file=content)
    assert summary.odometer_readings == 0 and "odometer" not in str(summary)
    assert Vehicle.objects.filter(user=newcomer).count() == 2


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            # Below the fill-up of the day before.
            lambda found: found["odometer_readings"][0].update(date="2025-03-02"),
            "Odometer reading 1 of the archive: odometer: Must be more than 41,500, the reading "
            "of fill-up 2 on Mar 1, 2025.",
        ),
        (
            lambda found: found["odometer_readings"][1].update(date="2999-01-01"),
            "Odometer reading 2 of the archive: date: The date cannot be in the future.",
        ),
        (
            lambda found: found["odometer_readings"][1].update(vehicle="nope"),
            "Odometer reading 2 of the archive names a vehicle the archive does not hold",
        ),
        (
            lambda found: found["odometer_readings"][1].pop("odometer"),
            "Odometer reading 2 of the archive lacks “odometer”.",
        ),
    ],
)
def test_it_refuses_a_reading_that_breaks_a_rule_and_saves_nothing(
    account, django_user_model, change, message
):
    content = archive_with(written(account), change)
    newcomer = django_user_model.objects.create_user("carol")
    with pytest.raises(ImportFileError) as error:
        archive.restore(user=newcomer, file=content)
    assert message in str(error.value)
    assert not Vehicle.objects.filter(user=newcomer).exists()
    assert not OdometerReading.objects.filter(user=newcomer).exists()
