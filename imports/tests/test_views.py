"""The import pages: upload → preview → confirm, with stored values asserted."""

import io
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from accounts.models import Preferences
from fuellogs.models import FuelLog
from imports import archive
from imports.models import Upload
from imports.tests.files import sample
from vehicles.models import Vehicle


def upload(client, name: str, content: bytes, format: str = ""):
    return client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile(name, content, "text/csv"), "format": format},
    )


def test_it_previews_then_imports_a_fuelly_file_into_the_vehicle_chosen(
    owner_client, owner, make_vehicle
):
    car = make_vehicle(owner, nickname="Weekend car")
    response = upload(owner_client, "fuelly.csv", sample("fuelly-us.csv"))
    stored = Upload.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("imports:preview", args=[stored.pk])

    page = owner_client.get(response["Location"])
    text = page.content.decode()
    assert "Create a new vehicle" in text and "Weekend car" in text
    assert FuelLog.objects.count() == 0
    # The economy MotoVault computes next to Fuelly's: 29.99, 32.43 and 30.76 MPG agree.
    assert [
        (e.line, e.source_economy.quantize(Decimal("0.01")))
        for e in page.context["plan"].entries
        if e.source_economy
    ] == [(3, Decimal("29.99")), (5, Decimal("32.43")), (7, Decimal("30.76"))]
    for entry in page.context["plan"].entries:
        if entry.source_economy and entry.economy:
            assert (
                abs(entry.economy - entry.source_economy) <= Decimal("0.01") * entry.source_economy
            )

    response = owner_client.post(
        reverse("imports:confirm", args=[stored.pk]),
        {"vehicle_0": str(car.pk), "name_0": "", "vin_0": ""},
    )
    assert response.status_code == 302
    assert FuelLog.objects.filter(vehicle=car).count() == 6
    assert Vehicle.objects.filter(user=owner).count() == 1
    assert not Upload.objects.exists()
    car.refresh_from_db()
    assert car.odometer_reading == 42731
    listing = owner_client.get(reverse("fuellogs:index"))
    assert "Imported 6 fill-ups" in listing.content.decode()


def test_it_asks_for_units_and_date_order_a_drivvo_file_leaves_open(owner_client, owner):
    response = upload(owner_client, "drivvo.csv", sample("drivvo.csv"))
    page = owner_client.get(response["Location"])
    choices = page.context["choices"]
    assert "distance_unit_0" in choices.fields and "fuel_unit_0" in choices.fields

    owner_client.post(
        reverse("imports:confirm", args=[Upload.objects.get().pk]),
        {
            "vehicle_0": "new",
            "name_0": "Clio",
            "vin_0": "",
            "distance_unit_0": "km",
            "fuel_unit_0": "l",
        },
    )

    clio = Vehicle.objects.get(nickname="Clio")
    assert (clio.distance_unit, clio.fuel_unit) == ("km", "l")
    assert FuelLog.objects.filter(vehicle=clio).count() == 2


def test_it_imports_the_same_file_twice_adding_nothing(owner_client, owner):
    for _ in range(2):
        upload(owner_client, "fuelly.csv", sample("fuelly-us.csv"))
        owner_client.post(
            reverse("imports:confirm", args=[Upload.objects.get().pk]),
            {
                "vehicle_0": str(Vehicle.objects.first().pk) if Vehicle.objects.exists() else "new",
                "name_0": "Accord",
                "vin_0": "",
            },
        )
    assert FuelLog.objects.count() == 6 and Vehicle.objects.count() == 1


def test_it_refuses_another_owners_vehicle_and_upload(
    owner_client, other_user, make_vehicle, other_client
):
    theirs = make_vehicle(other_user, nickname="Theirs")
    upload(owner_client, "fuelly.csv", sample("fuelly-us.csv"))
    stored = Upload.objects.get()

    forged = owner_client.post(
        reverse("imports:confirm", args=[stored.pk]),
        {"vehicle_0": str(theirs.pk), "name_0": "", "vin_0": ""},
    )
    assert forged.status_code == 404
    assert other_client.get(reverse("imports:preview", args=[stored.pk])).status_code == 404
    assert (
        other_client.post(
            reverse("imports:confirm", args=[stored.pk]), {"vehicle_0": "new", "name_0": "X"}
        ).status_code
        == 404
    )
    assert FuelLog.objects.count() == 0


def test_it_escapes_imported_text(owner_client):
    head, first, *rest = sample("fuelly-us.csv").decode().splitlines()
    cells = first.split(",")
    cells[0], cells[16] = "<b>Accord</b>", "<script>alert(1)</script>"
    text = "\n".join([head, ",".join(cells), *rest])
    response = upload(owner_client, "fuelly.csv", text.encode())
    page = owner_client.get(response["Location"]).content.decode()
    assert "<script>alert(1)" not in page and "&lt;script&gt;alert(1)" in page
    assert "<b>Accord</b>" not in page


def test_it_says_what_is_wrong_with_an_empty_binary_or_too_large_file(owner_client, settings):
    empty = upload(owner_client, "e.csv", b"")
    assert empty.status_code == 400 and "empty" in empty.content.decode()
    binary = upload(owner_client, "p.csv", b"\x89PNG\r\n\x1a\n" + bytes(range(256)))
    assert binary.status_code == 400 and "PNG image" in binary.content.decode()
    settings.IMPORT_MAX_BYTES = 100
    settings.MAX_UPLOAD_BODY_SIZE = 100 + 2_000_000
    large = upload(owner_client, "l.csv", sample("fuelly-us.csv"))
    assert large.status_code == 400 and "at most 100" in large.content.decode()
    assert not Upload.objects.exists() and FuelLog.objects.count() == 0


def test_it_shows_the_preview_in_a_bounded_number_of_queries(
    owner_client, owner, make_vehicle, django_assert_max_num_queries
):
    make_vehicle(owner, nickname="Accord")
    head = sample("fuelly-us.csv").decode().splitlines()[0]

    def fuelly(rows: int) -> bytes:
        return "\n".join(
            [
                head,
                *(
                    f"Accord,Honda,0,{40000 + i * 300},300,10.000,3.000,50,"
                    f"{i // 15 + 1:02}/{13 + i % 15}/2001 0:00,01/01/2020,,,0,0,,,"
                    for i in range(rows)
                ),
            ]
        ).encode()

    counts = []
    for content in (fuelly(2), fuelly(150)):
        response = upload(owner_client, "f.csv", content)
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            owner_client.get(response["Location"])
        counts.append(len(captured))
    # The session, the user, the upload, the vehicles (twice), their fill-ups, odometer
    # readings and services.
    assert counts[0] == counts[1] == 8


def fuelly_with(**changes: str) -> bytes:
    """The Fuelly sample with some rows' mpg column replaced, by line number."""
    head, *rows = sample("fuelly-us.csv").decode().splitlines()
    for line, mpg in changes.items():
        cells = rows[int(line.removeprefix("line")) - 2].split(",")
        cells[2] = mpg
        rows[int(line.removeprefix("line")) - 2] = ",".join(cells)
    return "\n".join([head, *rows]).encode()


def test_it_flags_economy_the_file_states_differently_and_says_why(owner_client):
    response = upload(owner_client, "f.csv", fuelly_with(line5="40.00", line6="30.00"))

    page = owner_client.get(response["Location"])

    notes = {entry.line: entry.economy_note for entry in page.context["plan"].entries}
    assert "partial fill-up" in notes[5]
    assert "missed fill-up" in notes[6]
    assert notes[3] == notes[7] == ""
    text = page.content.decode()
    assert "the segment holds a partial fill-up" in text
    assert page.context["plan"].summaries["Accord"].differences == 2


def test_it_maps_the_columns_of_any_csv_then_imports_it(owner_client, owner):
    content = b"When;Km;Liters;Paid\n2024-03-01;1000;40,5;70,00\n2024-03-15;1500;38,0;66,50\n"
    response = upload(owner_client, "mine.csv", content, format="csv")
    stored = Upload.objects.get()

    page = owner_client.get(response["Location"])
    assert "Which column is what?" in page.content.decode()
    assert "plan" not in page.context

    mapping = {"map_date": "When", "map_odometer": "Km", "map_quantity": "Liters"}
    mapping["map_total_cost"] = "Paid"
    page = owner_client.get(response["Location"], mapping)
    assert page.context["plan"].fill_ups == 2

    owner_client.post(
        reverse("imports:confirm", args=[stored.pk]),
        {**mapping, "vehicle_0": "new", "name_0": "Van", "vin_0": "", "distance_unit_0": "km"}
        | {"fuel_unit_0": "l"},
    )
    van = Vehicle.objects.get(user=owner, nickname="Van")
    assert [log.gallons for log in FuelLog.objects.filter(vehicle=van).in_fill_up_order()] == [
        Decimal("40.500"),
        Decimal("38.000"),
    ]


def test_it_shows_why_a_row_is_refused_and_imports_the_others(owner_client):
    text = sample("fuelly-us.csv").decode().replace("41512", "4x512")
    response = upload(owner_client, "f.csv", text.encode())

    page = owner_client.get(response["Location"])

    assert page.context["shown"][0].line == 3
    assert "cannot be read as a number" in page.content.decode()
    owner_client.post(
        reverse("imports:confirm", args=[Upload.objects.get().pk]),
        {"vehicle_0": "new", "name_0": "Accord", "vin_0": ""},
    )
    assert FuelLog.objects.count() == 5


def test_it_refuses_a_broken_archive_with_the_restores_reason(owner_client):
    response = upload(owner_client, "all.zip", b"PK\x03\x04" + b"\x00" * 100)

    assert response.status_code == 400
    assert "ZIP" in response.content.decode()
    assert not Upload.objects.exists()
    assert not Vehicle.objects.exists()


def test_it_restores_an_archive_and_its_formats_apply_at_once(
    client, owner, other_user, make_vehicle
):
    # Another account's archive (de-DE, euros, one vehicle), restored into an empty account.
    Preferences.objects.update_or_create(
        user=other_user, defaults={"locale": "de-DE", "currency": "EUR"}
    )
    make_vehicle(other_user, nickname="Golf", odometer_reading=123_456)
    file = io.BytesIO()
    archive.write(other_user, file)
    client.force_login(owner)

    response = upload(client, "motovault.zip", file.getvalue())

    assert response["Location"] == reverse("dashboard")
    assert Vehicle.objects.get(user=owner).nickname == "Golf"
    page = client.get(reverse("vehicles:index")).content.decode()
    assert "123.456" in page


def test_it_deletes_uploads_older_than_a_day_on_the_next_upload(owner_client, owner):
    import datetime as dt

    from django.utils import timezone

    upload(owner_client, "f.csv", sample("fuelly-us.csv"))
    old = Upload.objects.get()
    Upload.objects.filter(pk=old.pk).update(created_at=timezone.now() - dt.timedelta(days=2))
    assert owner_client.get(reverse("imports:preview", args=[old.pk])).status_code == 404

    upload(owner_client, "f.csv", sample("fuelly-us.csv"))

    assert not Upload.objects.filter(pk=old.pk).exists()
    assert not old.file.storage.exists(old.file.name)
    assert Upload.objects.count() == 1


def test_it_refuses_a_vehicle_deleted_since_the_preview(owner_client, owner, make_vehicle):
    car = make_vehicle(owner, nickname="Accord")
    upload(owner_client, "f.csv", sample("fuelly-us.csv"))
    stored = Upload.objects.get()
    page = owner_client.get(reverse("imports:preview", args=[stored.pk]))
    assert page.context["plan"].fill_ups == 6
    car.soft_delete()

    response = owner_client.post(
        reverse("imports:confirm", args=[stored.pk]),
        {"vehicle_0": str(car.pk), "name_0": "", "vin_0": ""},
    )

    assert response.status_code == 404
    assert FuelLog.objects.count() == 0


def test_it_refuses_fill_ups_in_liters_for_an_electric_vehicle(owner_client, owner, make_vehicle):
    tesla = make_vehicle(owner, nickname="Golf", fuel_unit="kwh", distance_unit="km")
    response = upload(owner_client, "f.csv", sample("fuelly-metric.csv"))

    page = owner_client.get(response["Location"])

    assert page.context["plan"].fill_ups == 0
    assert "import them into another vehicle" in page.content.decode()
    assert FuelLog.objects.filter(vehicle=tesla).count() == 0


def test_it_asks_for_the_file_again_when_its_upload_is_gone(owner_client):
    response = upload(owner_client, "f.csv", sample("fuelly-us.csv"))
    stored = Upload.objects.get()
    stored.file.storage.delete(stored.file.name)

    page = owner_client.get(response["Location"])

    assert page.status_code == 400
    assert "upload it again" in page.content.decode()
    assert not Upload.objects.exists()


def test_it_previews_other_choices_posted_without_saving(owner_client, owner, make_vehicle):
    car = make_vehicle(owner, nickname="Weekend car")
    upload(owner_client, "f.csv", sample("fuelly-us.csv"))
    stored = Upload.objects.get()

    page = owner_client.post(
        reverse("imports:preview", args=[stored.pk]),
        {"vehicle_0": str(car.pk), "name_0": "", "vin_0": ""},
    )

    assert page.status_code == 200
    assert page.context["plan"].summaries["Accord"].target.vehicle == car
    assert FuelLog.objects.count() == 0 and Upload.objects.filter(pk=stored.pk).exists()


def test_it_asks_the_date_order_when_no_date_decides_it(owner_client):
    head, *rows = sample("fuelly-us.csv").decode().splitlines()
    response = upload(owner_client, "f.csv", "\n".join([head, *rows[:2]]).encode())
    stored = Upload.objects.get()

    page = owner_client.get(response["Location"])
    assert "The file&#x27;s dates are" in page.content.decode()
    assert "plan" not in page.context

    page = owner_client.post(
        reverse("imports:preview", args=[stored.pk]),
        {"date_order": "dmy", "vehicle_0": "new", "name_0": "Accord", "vin_0": ""},
    )
    # 01/12/2024 read day first is the 1st of December.
    assert [entry.date.isoformat() for entry in page.context["plan"].entries] == [
        "2024-03-01",
        "2024-12-01",
    ]
