"""Every string a user typed is shown HTML-escaped, on every page that shows it; CSV exports
neutralize cells a spreadsheet would run as a formula."""

import csv
import datetime as dt
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from conftest import make_fill_up, make_vin
from maintenance.models import MaintenanceRecord
from stations.models import FavoriteStation, Station
from vehicles.models import Vehicle


def markup(field: str) -> str:
    """Markup that would run if shown raw, named after the field it is stored in."""
    return f"<script>alert({field})</script>\"'&"


# The plate column holds 20 characters.
PLATE = "<b>plate</b>\"'&"


@pytest.fixture
def marked(owner, db):
    """One of everything, with markup in every text field a user fills."""
    today = timezone.localdate()
    vehicle = Vehicle.objects.create(
        user=owner,
        vin=make_vin(),
        year=2015,
        nickname=markup("nickname"),
        make=markup("make"),
        model=markup("model"),
        color=markup("color"),
        license_plate=PLATE,
        odometer_reading=42_000,
    )
    # Without a nickname a vehicle is called by year, make and model.
    unnamed = Vehicle.objects.create(
        user=owner, vin=make_vin(), year=2012, make=markup("make2"), model=markup("model2")
    )
    deleted = Vehicle.objects.create(
        user=owner, vin=make_vin(), nickname=markup("deleted"), deleted_at=timezone.now()
    )
    log = make_fill_up(
        vehicle,
        today - dt.timedelta(days=2),
        41_900,
        station_name=markup("station_name"),
        notes=markup("fuel_notes"),
    )
    record = MaintenanceRecord.objects.create(
        user=owner,
        vehicle=vehicle,
        type="other",
        description=markup("description"),
        notes=markup("maintenance_notes"),
        due_date=today + dt.timedelta(days=3),
    )
    done = MaintenanceRecord.objects.create(
        user=owner,
        vehicle=unnamed,
        type="battery",
        description=markup("done_description"),
        is_completed=True,
        completed_date=today,
        completed_mileage=1000,
        service_location=markup("service_location"),
    )
    station = Station.objects.create(name=markup("station"), address=markup("address"))
    favorite = FavoriteStation.objects.create(user=owner, station=station, note=markup("note"))
    return {
        "vehicle": vehicle,
        "unnamed": unnamed,
        "deleted": deleted,
        "log": log,
        "record": record,
        "done": done,
        "station": station,
        "favorite": favorite,
    }


def pages(m) -> dict[str, set[str]]:
    """Each page, and the fields whose markup it shows."""
    vehicle, unnamed = m["vehicle"].pk, m["unnamed"].pk
    return {
        reverse("dashboard"): {"nickname", "make2", "model2"},
        reverse("vehicles:index"): {"nickname", "make", "model", "make2", "model2", "plate"},
        reverse("vehicles:detail", args=[vehicle]): {
            "nickname",
            "make",
            "model",
            "color",
            "plate",
            "station_name",
            "description",
        },
        reverse("vehicles:detail", args=[unnamed]): {"make2", "model2"},
        reverse("vehicles:edit", args=[vehicle]): {
            "nickname",
            "make",
            "model",
            "color",
            "plate",
        },
        reverse("vehicles:delete", args=[vehicle]): {"nickname"},
        reverse("vehicles:deleted"): {"deleted"},
        reverse("fuellogs:index"): {"nickname", "station_name"},
        reverse("fuellogs:add"): {"nickname", "make2", "model2", "station_name", "station"},
        reverse("fuellogs:edit", args=[m["log"].pk]): {
            "nickname",
            "station_name",
            "fuel_notes",
            "station",
        },
        reverse("fuellogs:delete", args=[m["log"].pk]): {"nickname"},
        reverse("maintenance:index"): {"nickname", "description", "make2", "done_description"},
        reverse("maintenance:upcoming"): {"nickname", "description"},
        reverse("maintenance:edit", args=[m["record"].pk]): {
            "nickname",
            "description",
            "maintenance_notes",
        },
        reverse("maintenance:edit", args=[m["done"].pk]): {
            "make2",
            "done_description",
            "service_location",
        },
        reverse("maintenance:delete", args=[m["record"].pk]): {"nickname"},
        reverse("maintenance:complete", args=[m["record"].pk]): {"nickname"},
        reverse("stations:index"): {"station", "address", "note"},
        reverse("stations:index") + "?q=alert": {"station", "address"},
        reverse("stations:edit", args=[m["favorite"].pk]): {"station", "note"},
        reverse("stations:delete", args=[m["favorite"].pk]): {"station"},
    }


def shown(body: str, field: str) -> bool:
    text = PLATE if field == "plate" else markup(field)
    return escape(text) in body


def test_it_escapes_every_user_string_on_every_page(owner_client, marked):
    for url, fields in pages(marked).items():
        response = owner_client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert "<script>alert(" not in body, url
        assert "<b>plate</b>" not in body, url
        missing = {field for field in fields if not shown(body, field)}
        assert not missing, f"{url} does not show, escaped: {missing}"


def test_it_escapes_user_strings_in_messages(owner_client, marked):
    """Flash messages quote names ("Saved <nickname>"); they are escaped too."""
    response = owner_client.post(
        reverse("vehicles:delete", args=[marked["vehicle"].pk]), follow=True
    )
    body = response.content.decode()
    assert escape(markup("nickname")) in body
    assert "<script>alert(" not in body
    response = owner_client.post(reverse("stations:save", args=[marked["station"].pk]), follow=True)
    assert "<script>alert(" not in response.content.decode()


# ---- CSV ------------------------------------------------------------------------------------

FORMULAS = [
    '=HYPERLINK("https://evil.example")',
    "+1+1",
    "-2+3",
    "@SUM(A1:A2)",
    # Full-width = + - @, which spreadsheet programs read as the plain ones.
    '\uff1dHYPERLINK("https://evil.example")',
    "\uff0b1+1",
    "\uff0d2+3",
    "\uff20SUM(A1:A2)",
    # Invisible or control characters some programs drop before reading the cell.
    "\u200b=1+1",
    "\ufeff=1+1",
    "\t=1+1",
    "\r=1+1",
    " =1+1",
]


def csv_rows(response) -> list[list[str]]:
    assert response.status_code == 200
    text = b"".join(response.streaming_content if response.streaming else [response.content])
    return list(csv.reader(io.StringIO(text.decode("utf-8-sig"))))


def assert_no_formula_cells(rows):
    for row in rows[1:]:
        for cell in row:
            visible = cell.lstrip(" \t\r\n\u200b\ufeff")
            assert not visible.startswith(
                ("=", "+", "-", "@", "\uff1d", "\uff0b", "\uff0d", "\uff20")
            ), cell


@pytest.mark.parametrize("formula", FORMULAS)
def test_it_neutralizes_formulas_in_the_fuel_export(owner_client, marked, formula):
    log = marked["log"]
    log.station_name, log.notes = formula, formula
    log.save()
    rows = csv_rows(owner_client.get(reverse("fuellogs:export")))
    header, row = rows[0], rows[1]
    assert row[header.index("station")] == "'" + formula
    assert row[header.index("notes")] == "'" + formula
    assert_no_formula_cells(rows)


@pytest.mark.parametrize("formula", FORMULAS)
def test_it_neutralizes_formulas_in_the_maintenance_export(owner_client, marked, formula):
    vehicle = marked["vehicle"]
    vehicle.nickname = formula
    vehicle.save()
    MaintenanceRecord.objects.filter(pk=marked["record"].pk).update(
        description=formula, service_location=formula, notes=formula
    )
    url = reverse("maintenance:export") + f"?vehicle={vehicle.pk}"
    rows = csv_rows(owner_client.get(url))
    header, row = rows[0], rows[1]
    for column in ("vehicle", "title", "notes"):
        assert row[header.index(column)] == "'" + formula, column
    assert_no_formula_cells(rows)
