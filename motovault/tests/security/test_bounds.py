"""Values no vehicle has (issue 12): dates before 1900 or before the vehicle could be bought,
services due centuries ahead, control characters in names, a megabyte of notes. The owner's
forms and the admin refuse them or clean them; the database refuses what gets around both."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord, latest_due_date
from motovault.text import MAX_TEXT_LENGTH
from stations.models import Station

MEGABYTE_OF_NOTES = "x" * 1_000_000


def scheduled(world, **fields) -> dict:
    """A maintenance add-form post scheduling a battery check (unless `fields` say otherwise)."""
    return {
        "vehicle": str(world.vehicle.pk),
        "kind": "scheduled",
        "type": "battery",
        "due_date": (timezone.localdate() + dt.timedelta(days=30)).isoformat(),
        **fields,
    }


# ---- dates ----------------------------------------------------------------------------------


def test_it_refuses_a_fill_up_dated_0001_01_01(owner_client, world):
    response = owner_client.post(reverse("fuellogs:add"), world.fill_up(date="0001-01-01"))

    assert response.status_code == 200
    assert response.context["form"].errors["date"] == [
        "The date cannot be before Jan 1, 2009: Daily driver is a 2010 model."
    ]
    assert FuelLog.objects.count() == 1


def test_it_refuses_a_fill_up_before_1900_for_a_vehicle_without_a_model_year(owner_client, world):
    world.vehicle.year = None
    world.vehicle.save()

    response = owner_client.post(reverse("fuellogs:add"), world.fill_up(date="1899-12-31"))

    assert response.context["form"].errors["date"] == ["The date cannot be before Jan 1, 1900."]
    assert FuelLog.objects.count() == 1


def test_it_accepts_a_fill_up_in_the_year_before_the_model_year(owner_client, world):
    world.log.delete()

    response = owner_client.post(
        reverse("fuellogs:add"), world.fill_up(date="2009-01-01", odometer_reading="10")
    )

    assert response.status_code == 302
    assert FuelLog.objects.get().date == dt.date(2009, 1, 1)


def test_it_offers_only_possible_dates_in_the_date_picker(owner_client, world):
    html = owner_client.get(reverse("fuellogs:add")).content.decode()

    assert f'min="1900-01-01" max="{timezone.localdate().isoformat()}"' in html


def test_it_refuses_a_service_due_9999_12_31(owner_client, world):
    latest = latest_due_date()

    response = owner_client.post(
        reverse("maintenance:add"), scheduled(world, due_date="9999-12-31")
    )

    assert response.status_code == 200
    assert response.context["form"].errors["due_date"] == [
        f"A service can be due at most 30 years ahead, by {latest:%b} {latest.day}, {latest.year}."
    ]
    assert MaintenanceRecord.objects.count() == 1


def test_it_accepts_a_service_due_30_years_ahead_and_not_a_day_more(owner_client, world):
    latest = latest_due_date()
    assert latest.year == timezone.localdate().year + 30

    refused = owner_client.post(
        reverse("maintenance:edit", args=[world.record.pk]),
        scheduled(world, due_date=(latest + dt.timedelta(days=1)).isoformat()),
    )
    saved = owner_client.post(
        reverse("maintenance:edit", args=[world.record.pk]),
        scheduled(world, due_date=latest.isoformat()),
    )

    assert "due_date" in refused.context["form"].errors
    assert saved.status_code == 302
    world.record.refresh_from_db()
    assert world.record.due_date == latest


def test_it_refuses_a_service_done_before_the_vehicle_could_be_bought(owner_client, world):
    response = owner_client.post(
        reverse("maintenance:add"),
        scheduled(world, kind="done", completed_date="2008-12-31", due_date=""),
    )

    assert response.context["form"].errors["completed_date"] == [
        "The date cannot be before Jan 1, 2009: Daily driver is a 2010 model."
    ]
    assert MaintenanceRecord.objects.count() == 1


def test_it_refuses_to_mark_a_service_done_in_year_one(owner_client, world):
    response = owner_client.post(
        reverse("maintenance:complete", args=[world.record.pk]), {"completed_date": "0001-01-01"}
    )

    assert response.context["form"].errors["completed_date"] == [
        "The date cannot be before Jan 1, 2009: Daily driver is a 2010 model."
    ]
    world.record.refresh_from_db()
    assert not world.record.is_completed


def test_it_refuses_the_same_dates_in_the_admin(admin_client, world):
    fuel = admin_client.post(
        reverse("admin:fuellogs_fuellog_add"),
        {**world.fill_up(date="0001-01-01"), "total_cost": "", "notes": ""},
    )
    service = admin_client.post(
        reverse("admin:maintenance_maintenancerecord_add"),
        {
            "user": world.vehicle.user.pk,
            "vehicle": world.vehicle.pk,
            "type": "battery",
            "due_date": "9999-12-31",
        },
    )

    assert "The date cannot be before Jan 1, 2009" in fuel.content.decode()
    assert "A service can be due at most 30 years ahead" in service.content.decode()
    assert FuelLog.objects.count() == 1
    assert MaintenanceRecord.objects.count() == 1


# ---- control characters ---------------------------------------------------------------------


def test_it_strips_control_characters_from_a_nickname(owner_client, world):
    vehicle = world.vehicle
    response = owner_client.post(
        reverse("vehicles:edit", args=[vehicle.pk]),
        {
            "vin": vehicle.vin,
            "year": "2010",
            "make": "Hon\x00da",
            "model": "Accord\x7f",
            "nickname": "Daily\x1b[31m\ndriver\x9b",
            "odometer_reading": "42000",
            "is_active": "on",
        },
    )

    assert response.status_code == 302
    vehicle.refresh_from_db()
    assert [vehicle.make, vehicle.model] == ["Honda", "Accord"]
    assert vehicle.nickname == "Daily[31m driver"


def test_it_strips_control_characters_from_station_names(owner_client, world):
    owner_client.post(
        reverse("fuellogs:add"), world.fill_up(station_name="\x00Shell\tMain\x08 St\r\n")
    )
    owner_client.post(
        reverse("stations:edit", args=[world.favorite.pk]), {"note": "cheap\x00\x07 diesel"}
    )

    assert FuelLog.objects.filter(station_name="Shell Main St").exists()
    world.favorite.refresh_from_db()
    assert world.favorite.note == "cheap diesel"


def test_it_strips_invisible_characters_from_station_names(owner_client, world):
    # A zero-width space and a right-to-left override ("Shell AB" showed as "Shell BA").
    owner_client.post(
        reverse("fuellogs:add"),
        world.fill_up(station_name="Shell\x00\x07\u200b A\u202eB", notes="Paid\u2066 cash\u2069"),
    )

    assert FuelLog.objects.filter(station_name="Shell AB", notes="Paid cash").exists()


def test_it_strips_control_characters_in_the_admin(admin_client, db):
    response = admin_client.post(
        reverse("admin:stations_station_add"),
        {"name": "Shell\x00 Main\x1b St", "address": "100 Main St\r\nSpringfield\x00"},
    )

    assert response.status_code == 302
    station = Station.objects.get()
    assert (station.name, station.address) == ("Shell Main St", "100 Main St\nSpringfield")


def test_it_keeps_notes_with_a_nul_character_without_it(owner_client, world):
    response = owner_client.post(
        reverse("fuellogs:add"), world.fill_up(notes="Paid\x00 cash.\r\nReceipt:\tkept\x0c")
    )

    assert response.status_code == 302
    assert FuelLog.objects.filter(notes="Paid cash.\nReceipt:\tkept").exists()


# ---- length ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "post"),
    [
        ("fuellogs:add", lambda world: world.fill_up(notes=MEGABYTE_OF_NOTES)),
        ("maintenance:add", lambda world: scheduled(world, notes=MEGABYTE_OF_NOTES)),
        ("maintenance:add", lambda world: scheduled(world, description=MEGABYTE_OF_NOTES)),
    ],
    ids=["fuel notes", "maintenance notes", "maintenance description"],
)
def test_it_refuses_a_megabyte_of_notes(owner_client, world, url, post):
    response = owner_client.post(reverse(url), post(world))

    assert response.status_code == 200
    assert "Keep this to 10,000 characters; it has 1000000." in response.content.decode()
    assert FuelLog.objects.count() == MaintenanceRecord.objects.count() == 1


def test_it_lets_the_browser_stop_typing_at_the_limit(owner_client, world):
    html = owner_client.get(reverse("fuellogs:add")).content.decode()

    assert f'maxlength="{MAX_TEXT_LENGTH}"' in html


def test_it_accepts_notes_of_exactly_the_limit(owner_client, world):
    notes = "Receipt\r\n" + "x" * (MAX_TEXT_LENGTH - len("Receipt\n"))

    response = owner_client.post(reverse("fuellogs:add"), world.fill_up(notes=notes))

    assert response.status_code == 302
    assert len(FuelLog.objects.get(notes__startswith="Receipt").notes) == MAX_TEXT_LENGTH


def test_it_refuses_a_megabyte_of_notes_in_the_admin(admin_client, world):
    response = admin_client.post(
        reverse("admin:maintenance_maintenancerecord_add"),
        {
            "user": world.vehicle.user.pk,
            "vehicle": world.vehicle.pk,
            "type": "battery",
            "due_date": world.record.due_date.isoformat(),
            "notes": MEGABYTE_OF_NOTES,
        },
    )

    assert "Keep this to 10,000 characters" in response.content.decode()
    assert MaintenanceRecord.objects.count() == 1


# ---- the database's own checks --------------------------------------------------------------


def fuel_log(world, **fields) -> FuelLog:
    fields = {"date": world.log.date, "odometer_reading": 42_100, "gallons": Decimal(1), **fields}
    return FuelLog(user=world.vehicle.user, vehicle=world.vehicle, **fields)


def record(world, **fields) -> MaintenanceRecord:
    return MaintenanceRecord(
        user=world.vehicle.user, vehicle=world.vehicle, type="battery", due_mileage=50_000, **fields
    )


@pytest.mark.parametrize(
    "row",
    [
        lambda world: fuel_log(world, notes="x" * (MAX_TEXT_LENGTH + 1)),
        lambda world: fuel_log(world, date=dt.date(1, 1, 1)),
        lambda world: record(world, notes="x" * (MAX_TEXT_LENGTH + 1)),
        lambda world: record(world, description="x" * (MAX_TEXT_LENGTH + 1)),
        lambda world: record(world, due_date=dt.date(1899, 12, 31)),
        lambda world: record(world, due_date=dt.date(2201, 1, 1)),
        lambda world: record(world, is_completed=True, completed_date=dt.date(1, 1, 1)),
        lambda world: Station(name="Shell", address="x" * (MAX_TEXT_LENGTH + 1)),
    ],
    ids=[
        "fuel notes",
        "fill-up date",
        "maintenance notes",
        "maintenance description",
        "due date",
        "due date after 2200",
        "date done",
        "station address",
    ],
)
def test_it_refuses_rows_written_around_the_forms(world, row):
    with pytest.raises(IntegrityError), transaction.atomic():
        row(world).save()


def test_it_refuses_an_update_to_a_due_date_in_year_9999(world):
    service = record(world, due_date=dt.date(2030, 1, 1))
    service.save()

    with pytest.raises(IntegrityError), transaction.atomic():
        MaintenanceRecord.objects.filter(pk=service.pk).update(due_date=dt.date(9999, 12, 31))
    service.refresh_from_db()
    assert service.due_date == dt.date(2030, 1, 1)


def test_it_counts_characters_not_bytes_in_the_database(world):
    fuel_log(world, notes="é" * MAX_TEXT_LENGTH).save()

    assert FuelLog.objects.filter(notes__startswith="é").count() == 1
