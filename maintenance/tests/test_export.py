import csv
import io
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Preferences
from imports import source
from imports.rows import CostRow, RowProblem
from maintenance.exports import COLUMNS
from maintenance.models import MaintenanceRecord
from maintenance.tests.conftest import bulk_records, days

EXPORT = reverse("maintenance:export")


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def table(response) -> list[dict[str, str]]:
    text = body(response)
    assert text.startswith("\ufeff")
    header, *rows = csv.reader(io.StringIO(text[1:]))
    assert header == list(COLUMNS)
    return [dict(zip(header, row, strict=True)) for row in rows]


def test_it_writes_exactly_the_columns_of_the_issue(owner_client):
    assert body(owner_client.get(EXPORT)) == (
        "\ufeffvehicle,vin,type,title,status,due_date,due_odometer,completed_date,"
        "completed_odometer,distance_unit,cost,currency,service_location,interval_months,"
        "interval_distance,notes\r\n"
    )


def test_it_writes_every_vehicles_records_in_the_lists_order(
    owner, owner_client, vehicle, make_vehicle, make_record
):
    make_record(vehicle, type="inspection", due_date=days(5), due_mileage=45_000)
    make_record(
        vehicle,
        type="brake_service",
        description="Front pads",
        is_completed=True,
        completed_date=days(-3),
        completed_mileage=41_900,
        cost=Decimal("1310.00"),
        service_location="Corner Garage",
        interval_months=24,
        notes="Squeaked",
    )
    kombi = make_vehicle(owner, nickname="Kombi", vin="", distance_unit="km", odometer_reading=100)
    make_record(kombi, type="battery", due_mileage=10, interval_miles=15_000)
    make_record(kombi, type="oil_change", due_date=days(200))

    overdue, soon, later, done = table(owner_client.get(EXPORT))
    assert soon == {
        "vehicle": "Daily driver",
        "vin": vehicle.vin,
        "type": "inspection",
        "title": "Inspection",
        "status": "due_soon",
        "due_date": days(5).isoformat(),
        "due_odometer": "45000",
        "completed_date": "",
        "completed_odometer": "",
        "distance_unit": "mi",
        "cost": "",
        "currency": "USD",
        "service_location": "",
        "interval_months": "",
        "interval_distance": "",
        "notes": "",
    }
    assert done == {
        "vehicle": "Daily driver",
        "vin": vehicle.vin,
        "type": "brake_service",
        "title": "Front pads",
        "status": "completed",
        "due_date": "",
        "due_odometer": "",
        "completed_date": days(-3).isoformat(),
        "completed_odometer": "41900",
        "distance_unit": "mi",
        "cost": "1310.00",
        "currency": "USD",
        "service_location": "Corner Garage",
        "interval_months": "24",
        "interval_distance": "",
        "notes": "Squeaked",
    }
    assert (overdue["vehicle"], overdue["vin"], overdue["status"]) == ("Kombi", "", "overdue")
    assert (overdue["distance_unit"], overdue["interval_distance"]) == ("km", "15000")
    assert (later["type"], later["status"]) == ("oil_change", "scheduled")


def test_it_writes_values_as_stored_whatever_the_owners_formats(
    owner, client, vehicle, make_record
):
    make_record(vehicle, is_completed=True, completed_mileage=12_000, cost=Decimal("1234.50"))
    Preferences.objects.create(user=owner, locale="de-DE", currency="EUR")
    client.force_login(owner)
    (row,) = table(client.get(EXPORT))
    assert (row["completed_odometer"], row["cost"], row["currency"]) == ("12000", "1234.50", "EUR")
    assert row["completed_date"] == timezone.localdate().isoformat()


def test_it_filters_exactly_as_the_list_does(
    owner, owner_client, vehicle, make_vehicle, make_record
):
    van = make_vehicle(owner, nickname="Van")
    bulk_records(vehicle, 8)
    bulk_records(van, 8)
    make_record(van, type="battery", due_date=days(400))

    def listed(query):
        page = owner_client.get(reverse("maintenance:index"), query)
        return [
            (record.vehicle.display_name, record.type, due.status)
            for record, due in page.context["rows"]
        ]

    def exported(query):
        return [
            (row["vehicle"], row["type"], row["status"])
            for row in table(owner_client.get(EXPORT, query))
        ]

    for query in (
        {},
        {"vehicle": str(van.pk)},
        {"type": "battery"},
        {"status": "overdue"},
        {"status": "completed", "vehicle": str(vehicle.pk)},
        # An invalid filter is left out, on the list and in the file alike.
        {"status": "whenever", "type": "battery"},
    ):
        assert listed(query) == exported(query), query
    assert len(exported({"status": "due_soon", "vehicle": str(van.pk)})) == 2


def test_the_list_links_to_the_export_of_what_it_shows(owner_client, vehicle, make_record):
    make_record(vehicle)
    page = owner_client.get(
        reverse("maintenance:index"),
        {"vehicle": str(vehicle.pk), "type": "oil_change", "status": "nonsense"},
    ).content.decode()
    assert f'href="{EXPORT}?vehicle={vehicle.pk}&amp;type=oil_change"' in page
    assert f'href="{EXPORT}"' in owner_client.get(reverse("maintenance:index")).content.decode()


@pytest.mark.parametrize("text", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_it_neutralizes_spreadsheet_formulas(owner_client, vehicle, make_record, text):
    make_record(vehicle, type="other", description=text, service_location=text, notes=text)
    (row,) = table(owner_client.get(EXPORT))
    assert row["title"] == row["service_location"] == row["notes"] == "'" + text


def test_it_never_writes_another_owners_or_a_deleted_vehicles_records(
    owner, owner_client, other_user, vehicle, make_vehicle, make_record
):
    make_record(vehicle, service_location="Mine")
    theirs = make_vehicle(other_user, nickname="Theirs")
    make_record(theirs, service_location="Their garage")
    gone = make_vehicle(owner, nickname="Gone")
    make_record(gone, service_location="Gone garage")
    gone.soft_delete()
    rows = table(owner_client.get(EXPORT))
    assert [row["service_location"] for row in rows] == ["Mine"]
    for hidden in (theirs, gone):
        assert owner_client.get(EXPORT, {"vehicle": hidden.pk}).status_code == 404
    assert owner_client.post(EXPORT).status_code == 405


@pytest.mark.parametrize("query", [{}, {"vehicle": ""}])
def test_it_writes_all_vehicles_without_a_vehicle(owner_client, vehicle, make_record, query):
    make_record(vehicle)
    assert len(table(owner_client.get(EXPORT, query))) == 1
    assert owner_client.get(EXPORT, {"vehicle": "not-a-uuid"}).status_code == 404


def test_its_queries_stay_flat_as_rows_grow(owner_client, vehicle, django_assert_num_queries):
    def export_with(count):
        MaintenanceRecord.objects.all().delete()
        bulk_records(vehicle, count)
        # The session and user, the vehicle (for the file's name, and the filter's check), the
        # vehicles' recent driving (projected due dates), the records with their vehicles.
        with django_assert_num_queries(6):
            return table(owner_client.get(EXPORT, {"vehicle": vehicle.pk}))

    assert len(export_with(4)) == 4
    assert len(export_with(3000)) == 3000


def test_its_completed_records_are_read_back_by_the_importer(owner_client, vehicle, make_record):
    make_record(vehicle, due_date=days(30))
    make_record(
        vehicle,
        type="brake_service",
        description="Front pads",
        is_completed=True,
        completed_date=days(-3),
        completed_mileage=41_900,
        cost=Decimal("310.00"),
        interval_months=24,
        notes="Squeaked",
    )
    content = b"".join(owner_client.get(EXPORT).streaming_content)
    found = source.read(io.BytesIO(content))
    assert found.format == "motovault"
    ((only_vehicle),) = found.vehicles
    assert (only_vehicle.name, only_vehicle.vin, only_vehicle.distance_unit) == (
        "Daily driver",
        vehicle.vin,
        "mi",
    )
    scheduled, done = found.rows()
    assert isinstance(scheduled, RowProblem)
    assert isinstance(done, CostRow)
    assert (done.date, done.title, done.odometer, done.cost) == (
        days(-3),
        "Front pads",
        41_900,
        Decimal("310.00"),
    )
    assert (done.category, done.repeat_months, done.notes) == ("brake_service", 24, "Squeaked")
