import csv
import datetime as dt
import io
from decimal import Decimal as D

import pytest
from django.urls import reverse

from accounts.models import Preferences
from conftest import make_fill_up
from fuellogs.exports import COLUMNS
from fuellogs.models import FuelLog
from imports import source
from imports.rows import FuelRow

EXPORT = reverse("fuellogs:export")


def body(response) -> str:
    assert response.streaming
    return b"".join(response.streaming_content).decode("utf-8")


def table(response) -> list[dict[str, str]]:
    text = body(response)
    assert text.startswith("\ufeff")
    header, *rows = csv.reader(io.StringIO(text[1:]))
    assert header == list(COLUMNS)
    return [dict(zip(header, row, strict=True)) for row in rows]


def sign_in_with(client, user, **preferences):
    Preferences.objects.update_or_create(user=user, defaults=preferences)
    client.force_login(user)  # the session carries the preferences


@pytest.fixture
def golf(owner, make_vehicle):
    return make_vehicle(
        owner, nickname="Golf", vin="", distance_unit="km", fuel_unit="l", odometer_reading=12_000
    )


def test_it_writes_exactly_the_columns_of_the_issue(owner_client):
    text = body(owner_client.get(EXPORT))
    assert text == (
        "\ufeffvehicle,vin,date,odometer,distance_unit,quantity,fuel_unit,price_per_unit,"
        "total_cost,currency,full_tank,missed_previous,station,notes,economy,economy_unit\r\n"
    )


def test_it_writes_a_us_vehicles_fill_ups_oldest_first(owner_client, vehicle, make_log):
    make_log("2025-01-10", 10_300, price_per_gallon=D("3.129"), total_cost=D("31.29"))
    make_log("2025-01-01", 10_000, station_name="Shell on Main", notes='First, "full"')
    make_log(
        "2025-01-20",
        10_500,
        gallons=D("4.250"),
        is_full_tank=False,
        missed_previous=True,
        total_cost=D("1234.50"),
    )
    first, second, third = table(owner_client.get(EXPORT))
    assert first == {
        "vehicle": "Daily driver",
        "vin": vehicle.vin,
        "date": "2025-01-01",
        "odometer": "10000",
        "distance_unit": "mi",
        "quantity": "10.000",
        "fuel_unit": "gal_us",
        "price_per_unit": "3.000",
        "total_cost": "30.00",
        "currency": "USD",
        "full_tank": "true",
        "missed_previous": "false",
        "station": "Shell on Main",
        "notes": 'First, "full"',
        "economy": "",
        "economy_unit": "mpg_us",
    }
    # 300 mi on 10 gal
    assert (second["price_per_unit"], second["total_cost"], second["economy"]) == (
        "3.129",
        "31.29",
        "30.00",
    )
    # No grouping, partial and missed written out, no economy for a partial fill-up.
    assert (third["total_cost"], third["quantity"]) == ("1234.50", "4.250")
    assert (third["full_tank"], third["missed_previous"], third["economy"]) == (
        "false",
        "true",
        "",
    )


def test_it_writes_a_metric_vehicles_economy_in_the_owners_unit(owner, client, golf):
    make_fill_up(golf, "2025-06-01", 12_000, gallons=D("40"), price_per_gallon=D("1.799"))
    make_fill_up(golf, "2025-06-10", 12_500, gallons=D("40.5"), price_per_gallon=D("1.799"))
    sign_in_with(client, owner, locale="de-DE", currency="EUR", economy_unit="km_l")
    first, last = table(client.get(EXPORT))
    # 500 km / 40.5 L, as stored: no decimal comma, however the owner reads numbers
    assert (last["odometer"], last["quantity"], last["price_per_unit"]) == (
        "12500",
        "40.500",
        "1.799",
    )
    assert (last["distance_unit"], last["fuel_unit"], last["currency"]) == ("km", "l", "EUR")
    assert (last["economy"], last["economy_unit"]) == ("12.35", "km_l")
    assert (first["vehicle"], first["vin"]) == ("Golf", "")

    sign_in_with(client, owner, economy_unit="l_100km")
    assert [row["economy"] for row in table(client.get(EXPORT))] == ["", "8.10"]
    sign_in_with(client, owner, economy_unit="mpg_us")
    # 310.69 mi on 10.699 gal
    assert table(client.get(EXPORT))[1]["economy"] == "29.04"


def test_it_writes_an_electric_vehicles_economy_in_the_owners_electric_unit(
    owner, client, make_vehicle
):
    tesla = make_vehicle(owner, nickname="Tesla", distance_unit="km", fuel_unit="kwh")
    make_fill_up(tesla, "2025-06-01", 1_000, gallons=D("50"))
    make_fill_up(tesla, "2025-06-05", 1_300, gallons=D("45"))
    sign_in_with(client, owner, economy_unit="l_100km", electric_economy_unit="kwh_100km")
    last = table(client.get(EXPORT))[-1]
    assert (last["economy"], last["economy_unit"]) == ("15.00", "kwh_100km")


def test_it_filters_exactly_as_the_list_does(
    owner, owner_client, vehicle, make_vehicle, no_page_cache
):
    van = make_vehicle(owner, nickname="Van")
    for day in range(10):
        make_fill_up(vehicle, dt.date(2025, 3, 1 + day), 10_000 + 300 * day)
        make_fill_up(van, dt.date(2025, 3, 1 + day), 50_000 + 200 * day, gallons=D("8"))

    def listed(query):
        page = owner_client.get(reverse("fuellogs:index"), query)
        return sorted(
            (log.vehicle.display_name, log.date.isoformat(), str(log.odometer_reading))
            for log, _ratio in page.context["rows"]
        )

    def exported(query):
        return sorted(
            (row["vehicle"], row["date"], row["odometer"])
            for row in table(owner_client.get(EXPORT, query))
        )

    for query in (
        {},
        {"vehicle": str(van.pk)},
        {"date_from": "2025-03-04"},
        {"date_to": "2025-03-03"},
        {"vehicle": str(vehicle.pk), "date_from": "2025-03-03", "date_to": "2025-03-05"},
        # An invalid filter is left out, on the list and in the file alike.
        {"date_from": "soon", "date_to": "2025-03-02"},
        {"date_from": "2025-03-09", "date_to": "2025-03-02"},
    ):
        assert listed(query) == exported(query), query
        assert len(listed(query)) <= 20
    assert len(exported({"vehicle": str(van.pk), "date_from": "2025-03-09"})) == 2


def test_the_list_links_to_the_export_of_what_it_shows(owner_client, vehicle):
    page = owner_client.get(
        reverse("fuellogs:index"),
        {"vehicle": str(vehicle.pk), "date_from": "2025-01-01", "date_to": "never", "page": "2"},
    ).content.decode()
    assert f'href="{EXPORT}?vehicle={vehicle.pk}&amp;date_from=2025-01-01"' in page


def test_it_gives_a_rows_economy_from_before_the_first_date(owner_client, vehicle, make_log):
    make_log("2025-01-01", 10_000)
    make_log("2025-01-05", 10_100, gallons=D("5"), is_full_tank=False)
    make_log("2025-01-10", 10_400)
    make_log("2025-01-20", 10_700)
    rows = table(owner_client.get(EXPORT, {"date_from": "2025-01-08"}))
    # 400 mi on 15 gal, from the full tank of January 1
    assert [(row["date"], row["economy"]) for row in rows] == [
        ("2025-01-10", "26.67"),
        ("2025-01-20", "30.00"),
    ]


def test_it_never_writes_another_owners_fill_ups(
    owner_client, other_user, vehicle, make_vehicle, make_log
):
    make_log("2025-01-01", 10_000)
    theirs = make_vehicle(other_user, nickname="Theirs")
    make_fill_up(theirs, "2025-01-01", 1_000, station_name="Their station")
    text = body(owner_client.get(EXPORT))
    assert "Theirs" not in text and "Their station" not in text and theirs.vin not in text
    assert owner_client.get(EXPORT, {"vehicle": str(theirs.pk)}).status_code == 404


def test_it_leaves_out_a_deleted_vehicles_fill_ups(owner, owner_client, make_vehicle):
    gone = make_vehicle(owner, nickname="Gone")
    make_fill_up(gone, "2025-01-01", 1_000)
    gone.soft_delete()
    assert table(owner_client.get(EXPORT)) == []
    assert owner_client.get(EXPORT, {"vehicle": str(gone.pk)}).status_code == 404


@pytest.mark.parametrize("formula", ['=HYPERLINK("http://x")', "+1+1", "-2+3", "@SUM(A1)", "\tx"])
def test_it_neutralizes_formulas(owner, owner_client, make_vehicle, formula):
    car = make_vehicle(owner, nickname=formula)
    make_fill_up(car, "2025-01-01", 1_000, station_name=formula, notes=formula)
    (row,) = table(owner_client.get(EXPORT))
    assert row["vehicle"] == row["station"] == row["notes"] == "'" + formula


def test_it_names_the_file_after_the_vehicle(owner_client, vehicle):
    response = owner_client.get(EXPORT, {"vehicle": str(vehicle.pk)})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(
        'attachment; filename="motovault-fuel-daily-driver-'
    )
    assert owner_client.get(EXPORT)["Content-Disposition"].startswith(
        'attachment; filename="motovault-fuel-20'
    )


def test_it_needs_a_sign_in(client):
    response = client.get(EXPORT)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


@pytest.mark.parametrize("query", [{}, {"date_from": "2010-01-05"}])
def test_its_queries_stay_flat_as_rows_grow(
    owner_client, vehicle, many_logs, django_assert_num_queries, query
):
    def export_with(count):
        FuelLog.objects.all().delete()
        many_logs(count)
        # The session and user, the vehicles, the fill-ups; the segment starts with a date.
        with django_assert_num_queries(4 + bool(query)):
            rows = table(owner_client.get(EXPORT, query))
        return rows

    assert len(export_with(5)) == 5 - 4 * bool(query)
    assert len(export_with(3000)) == 3000 - 4 * bool(query)


def test_it_is_read_back_by_the_importer_as_written(owner, client, golf, vehicle, make_log):
    make_log("2025-01-01", 10_000, notes="Line one\nline two", station_name="Shell; Main")
    make_log("2025-01-10", 10_300, is_full_tank=False, missed_previous=True)
    make_log("2025-01-20", 10_600, price_per_gallon=D("3.129"), total_cost=D("31.29"))
    make_fill_up(golf, "2025-06-01", 12_000, gallons=D("40"), price_per_gallon=D("1.799"))
    make_fill_up(golf, "2025-06-10", 12_500, gallons=D("40.5"), price_per_gallon=D("1.799"))
    sign_in_with(client, owner, economy_unit="l_100km")
    content = b"".join(client.get(EXPORT).streaming_content)

    found = source.read(io.BytesIO(content))
    assert found.format == "motovault"
    by_key = {found_vehicle.key: found_vehicle for found_vehicle in found.vehicles}
    assert {(v.name, v.vin, v.distance_unit, v.fuel_unit) for v in found.vehicles} == {
        ("Daily driver", vehicle.vin, "mi", "gal_us"),
        ("Golf", "", "km", "l"),
    }
    read = [row for row in found.rows() if isinstance(row, FuelRow)]
    assert len(read) == 5 == found.fuel_rows and found.problems == 0
    stored = FuelLog.objects.order_by("date", "odometer_reading")
    rows = table(client.get(EXPORT))
    for row, log, written in zip(read, stored, rows, strict=True):
        assert by_key[row.vehicle].name == log.vehicle.display_name
        assert (row.date, row.odometer, row.quantity) == (
            log.date,
            log.odometer_reading,
            log.gallons,
        )
        assert (row.price_per_unit, row.total_cost) == (log.price_per_gallon, log.total_cost)
        assert (row.full, row.missed) == (log.is_full_tank, log.missed_previous)
        assert (row.station, row.notes) == (log.station_name, log.notes)
        expected_economy = D(written["economy"]) if written["economy"] else None
        assert row.source_economy == expected_economy
        assert row.source_economy_unit == (written["economy_unit"] if expected_economy else None)
    assert read[-1].source_economy == D("8.10")
