import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Preferences
from maintenance.tests.conftest import days

EXPORT = reverse("maintenance:export")


def rows(response):
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_it_exports_a_vehicles_records(owner, owner_client, vehicle, make_vehicle, make_record):
    make_record(vehicle, type="inspection", due_date=days(5), due_mileage=45_000)
    make_record(
        vehicle,
        type="brake_service",
        description="Front pads",
        is_completed=True,
        completed_date=days(-3),
        completed_mileage=41_900,
        cost=Decimal("310.00"),
        service_location="Corner Garage",
        interval_months=24,
    )
    make_record(make_vehicle(owner, nickname="Truck"), type="battery")

    response = owner_client.get(EXPORT, {"vehicle": vehicle.pk})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="maintenance-daily-driver.csv"'
    header, scheduled, done = rows(response)
    assert header == [
        "Vehicle",
        "VIN",
        "Service",
        "Description",
        "Status",
        "Due date",
        "Due mileage",
        "Completed date",
        "Completed mileage",
        "Cost",
        "Service location",
        "Repeat every (months)",
        "Repeat every (miles)",
        "Notes",
        "Distance unit",
    ]
    assert scheduled[:7] == [
        "Daily driver",
        vehicle.vin,
        "Inspection",
        "",
        "Due soon",
        str(days(5)),
        "45000",
    ]
    assert done[2:12] == [
        "Brake service",
        "Front pads",
        "Completed",
        "",
        "",
        str(days(-3)),
        "41900",
        "310.00",
        "Corner Garage",
        "24",
    ]
    assert scheduled[-1] == done[-1] == "mi"


def test_it_names_the_vehicles_distance_unit_and_keeps_values_as_stored(
    owner, owner_client, make_vehicle, make_record
):
    kombi = make_vehicle(owner, nickname="Kombi", distance_unit="km")
    make_record(
        kombi,
        is_completed=True,
        completed_mileage=12_000,
        cost=Decimal("1234.50"),
        interval_miles=15_000,
    )
    Preferences.objects.create(user=owner, locale="de-DE", currency="EUR")
    owner_client.force_login(owner)  # German formats on the pages, not in the file
    header, row = rows(owner_client.get(EXPORT, {"vehicle": kombi.pk}))
    assert header[12:] == ["Repeat every (km)", "Notes", "Distance unit"]
    assert (row[8], row[9], row[12], row[14]) == ("12000", "1234.50", "15000", "km")


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_it_neutralizes_spreadsheet_formulas(owner_client, vehicle, make_record, text):
    make_record(vehicle, type="other", description=text, service_location=text, notes=text)
    (_, row) = rows(owner_client.get(EXPORT, {"vehicle": vehicle.pk}))
    assert row[3] == row[10] == row[13] == "'" + text


def test_it_exports_only_a_header_for_a_vehicle_without_records(owner_client, vehicle):
    assert len(rows(owner_client.get(EXPORT, {"vehicle": vehicle.pk}))) == 1


@pytest.mark.parametrize("query", [{}, {"vehicle": "not-a-uuid"}, {"vehicle": ""}])
def test_it_answers_404_without_a_valid_vehicle(owner_client, vehicle, query):
    assert owner_client.get(EXPORT, query).status_code == 404


def test_it_answers_404_for_another_owners_or_a_deleted_vehicle(
    owner, owner_client, other_client, vehicle, make_vehicle, make_record
):
    make_record(vehicle)
    assert other_client.get(EXPORT, {"vehicle": vehicle.pk}).status_code == 404
    assert other_client.post(EXPORT, {"vehicle": vehicle.pk}).status_code == 405
    gone = make_vehicle(owner, deleted_at=timezone.now())
    make_record(gone)
    assert owner_client.get(EXPORT, {"vehicle": gone.pk}).status_code == 404
