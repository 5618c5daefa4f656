import datetime as dt
import io
import json
import zipfile
from decimal import Decimal as D

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.urls import reverse
from django.utils import timezone

from accounts.models import Preferences
from attachments.models import Attachment
from attachments.tests.conftest import MINIMAL_PDF, image_bytes
from conftest import make_fill_up
from fuellogs.models import FuelLog
from fuellogs.services import link_stations
from imports import archive
from imports.reading import ImportFileError
from maintenance.models import MaintenanceRecord
from motovault import l10n
from stations.models import FavoriteStation, Station
from vehicles.models import Vehicle

DOWNLOAD = reverse("archive:download")
TIMESTAMPS = {"id", "created_at", "updated_at"}


@pytest.fixture
def account(owner, make_vehicle):
    """An owner with some of everything: three vehicles in different units (one deleted),
    fill-ups of every kind, services done and due, two saved stations, German preferences."""
    Preferences.objects.update_or_create(
        user=owner,
        defaults={
            "time_zone": "Europe/Berlin",
            "locale": "de-DE",
            "currency": "EUR",
            "economy_unit": "l_100km",
            "electric_economy_unit": "kwh_100km",
        },
    )
    golf = make_vehicle(
        owner,
        vin="",
        make="Volkswagen",
        model="Golf",
        year=2019,
        nickname="Golf",
        color="Blau",
        license_plate="B-MV 123",
        odometer_reading=12_500,
        distance_unit="km",
        fuel_unit="l",
        is_active=True,
    )
    truck = make_vehicle(
        owner,
        nickname="",
        odometer_reading=42_000,
        is_active=False,
        purchase_date=dt.date(2012, 4, 2),
        purchase_price=D("18500.00"),
        purchase_odometer=12,
        sold_date=dt.date(2025, 9, 30),
        sold_price=D("4250.50"),
    )
    classic = make_vehicle(
        owner,
        vin="VIN12345",
        vin_is_serial=True,
        make="Ford",
        model="Mustang",
        year=1965,
        distance_unit="mi",
        fuel_unit="gal_uk",
    )
    gone = make_vehicle(owner, nickname="Sold van", vin_check_digit_waived=True)
    make_fill_up(
        golf,
        "2025-06-01",
        12_000,
        gallons=D("40.000"),
        price_per_gallon=D("1.799"),
        station_name="Aral Hauptstraße",
        notes="Erste Füllung\nmit Zeilenumbruch",
    )
    make_fill_up(golf, "2025-06-05", 12_200, gallons=D("12.5"), is_full_tank=False)
    make_fill_up(
        golf,
        "2025-06-10",
        12_500,
        gallons=D("28.25"),
        price_per_gallon=D("1.859"),
        missed_previous=True,
    )
    make_fill_up(truck, "2025-01-01", 41_700, total_cost=D("30.01"))
    make_fill_up(truck, "2025-01-01", 41_800)
    make_fill_up(classic, "1999-12-31", 80_000, gallons=D("9.123"))
    make_fill_up(gone, "2024-03-01", 5_000)
    kinds = [
        (golf, {"type": "oil_change", "description": "5W-30", "is_completed": True,
                "completed_date": dt.date(2025, 5, 2), "completed_mileage": 11_900,
                "cost": D("89.90"), "service_location": "Werkstatt Müller",
                "interval_months": 12, "interval_miles": 15_000, "notes": "Filter neu"}),
        (golf, {"type": "inspection", "due_date": dt.date(2026, 5, 2), "due_mileage": 30_000}),
        (truck, {"type": "other", "description": "Replace wipers\nboth sides",
                 "due_mileage": 41_900}),
        (gone, {"type": "battery", "is_completed": True, "completed_date": dt.date(2024, 3, 2),
                "completed_mileage": None, "cost": None}),
    ]  # fmt: skip
    for vehicle, fields in kinds:
        MaintenanceRecord.objects.create(user=owner, vehicle=vehicle, **fields)
    gone.soft_delete()
    google = Station.objects.create(
        google_place_id="ChIJ-place-1",
        name="Aral",
        address="Hauptstraße 1\n10115 Berlin",
        latitude=D("52.52000660"),
        longitude=D("13.40495400"),
        phone="+49 30 123",
        website="https://aral.example/berlin",
    )
    by_hand = Station.objects.create(name="Hofladen Tankstelle", address="")
    FavoriteStation.objects.create(user=owner, station=google, note="billig am Dienstag")
    FavoriteStation.objects.create(user=owner, station=by_hand)
    # The fill-ups linked to their stations, as saving them through the app does: a station of
    # the owner's own, "Aral Hauptstraße".
    link_stations(owner, FuelLog.objects.filter(user=owner))
    return owner


def written(user) -> bytes:
    out = io.BytesIO()
    archive.write(user, out)
    return out.getvalue()


def document(content: bytes) -> dict:
    with zipfile.ZipFile(io.BytesIO(content)) as opened:
        return json.loads(opened.read(archive.DOCUMENT))


def zipped(entries: dict[str, bytes | str]) -> io.BytesIO:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as made:
        for name, data in entries.items():
            made.writestr(name, data)
    out.seek(0)
    return out


def fields(instance, *, leave_out=()) -> dict:
    """Every concrete field's value but ids, owners (and a station's name key, which follows
    its owner) and timestamps; the vehicle by name."""
    values = {}
    left_out = {"user", "owner", "name_key", "vehicle", "station", *leave_out}
    for field in instance._meta.concrete_fields:
        if field.name in TIMESTAMPS | left_out:
            continue
        values[field.name] = getattr(instance, field.name)
    if hasattr(instance, "vehicle_id"):
        values["vehicle"] = (instance.vehicle.vin, instance.vehicle.nickname)
    return values


def snapshot(user) -> dict:
    return {
        "preferences": fields(Preferences.objects.get(user=user), leave_out={"user"}),
        "vehicles": sorted(
            (fields(vehicle) for vehicle in Vehicle.objects.filter(user=user)), key=repr
        ),
        "fuel_logs": sorted(
            (fields(log) for log in FuelLog.objects.filter(user=user).select_related("vehicle")),
            key=repr,
        ),
        "records": sorted(
            (
                fields(record)
                for record in MaintenanceRecord.objects.filter(user=user).select_related("vehicle")
            ),
            key=repr,
        ),
        "favorites": sorted(
            (
                {**fields(favorite), "station": fields(favorite.station)}
                for favorite in FavoriteStation.objects.filter(user=user).select_related("station")
            ),
            key=repr,
        ),
    }


def counts() -> tuple[int, ...]:
    return (
        Vehicle.objects.count(),
        FuelLog.objects.count(),
        MaintenanceRecord.objects.count(),
        FavoriteStation.objects.count(),
        Station.objects.count(),
    )


def test_it_restores_every_field_but_ids_and_timestamps(account, django_user_model):
    before = snapshot(account)
    content = written(account)
    # Gone entirely, shared stations too: the archive alone brings everything back.
    account.delete()
    Station.objects.all().delete()
    newcomer = django_user_model.objects.create_user("carol")

    summary = archive.restore(user=newcomer, file=io.BytesIO(content))

    after = snapshot(newcomer)
    assert after == before
    # Stations not from Google come back as the restorer's own, and fill-ups linked to them.
    restored = Station.objects.filter(favorites__user=newcomer)
    assert sorted(restored.filter(owner=newcomer).values_list("name", flat=True)) == [
        "Aral Hauptstraße",
        "Hofladen Tankstelle",
    ]
    assert FuelLog.objects.get(station_name="Aral Hauptstraße").station.owner == newcomer
    assert after["vehicles"][0]  # the comparison compared something
    assert len(after["fuel_logs"]) == 7 and len(after["records"]) == 4
    assert summary == archive.RestoreSummary(
        vehicles=4,
        deleted_vehicles=1,
        fuel_logs=7,
        maintenance_records=4,
        favorite_stations=3,
        preferences=True,
    )
    assert str(summary) == (
        "4 vehicles (1 deleted), 7 fill-ups, 4 maintenance records, 3 saved stations "
        "and your preferences"
    )
    gone = Vehicle.objects.get(user=newcomer, nickname="Sold van")
    assert gone.is_deleted
    assert gone.fuel_logs.count() == 1 and gone.maintenance_records.count() == 1


def test_it_restores_an_archive_written_before_purchase_and_sale(account, django_user_model):
    def older(found):
        for vehicle in found["vehicles"]:
            for key in archive.VEHICLE_KEYS_ADDED_LATER:
                del vehicle[key]

    newcomer = django_user_model.objects.create_user("carol")

    archive.restore(user=newcomer, file=edited(written(account), older))

    truck = Vehicle.objects.get(user=newcomer, odometer_reading=42_000)
    assert (truck.purchase_date, truck.purchase_price, truck.sold_date) == (None, None, None)
    assert not truck.is_active


def test_its_summary_counts_in_the_owners_number_format():
    summary = archive.RestoreSummary(vehicles=2, fuel_logs=12_345, maintenance_records=1_001)
    with l10n.override(l10n.Regional(locale="de-DE", currency="EUR")):
        assert str(summary) == (
            "2 vehicles, 12.345 fill-ups, 1.001 maintenance records and 0 saved stations"
        )


def test_it_keeps_a_shared_station_as_it_is_stored(account, other_user):
    content = written(account)
    stations = counts()[-1]
    Station.objects.filter(google_place_id="ChIJ-place-1").update(phone="+49 30 999")
    archive.restore(user=other_user, file=io.BytesIO(content))
    # One more: alice's own "Aral Hauptstraße" is restored as the restorer's own, never shared.
    assert Station.objects.count() == stations + 1
    assert Station.objects.get(owner=other_user).name == "Aral Hauptstraße"
    favorite = FavoriteStation.objects.get(user=other_user, note="billig am Dienstag")
    assert favorite.station.phone == "+49 30 999"


def test_it_writes_a_versioned_document_with_the_two_csvs(account, other_user, make_vehicle):
    make_vehicle(other_user, nickname="Not theirs")
    content = written(account)
    with zipfile.ZipFile(io.BytesIO(content)) as opened:
        assert opened.namelist() == [
            "motovault-archive.json",
            "fuel.csv",
            "maintenance.csv",
            "odometer.csv",
            "costs.csv",
        ]
        fuel = opened.read("fuel.csv").decode("utf-8")
        maintenance = opened.read("maintenance.csv").decode("utf-8")
    found = document(content)
    assert (found["format"], found["version"], found["username"]) == (
        "motovault-archive",
        1,
        "alice",
    )
    assert found["preferences"]["currency"] == "EUR"
    assert [vehicle["nickname"] for vehicle in found["vehicles"]] == [
        "Golf",
        "",
        "",
        "Sold van",
    ]
    assert found["vehicles"][3]["deleted_at"] is not None
    first = found["fuel_logs"][0]
    assert first["vehicle"] == found["vehicles"][0]["id"]
    assert (first["odometer"], first["quantity"], first["price_per_unit"]) == (
        12000,
        "40.000",
        "1.799",
    )
    assert found["favorite_stations"][0]["station"]["latitude"] == "52.52000660"
    assert found["attachments"] == []
    assert "Not theirs" not in content.decode("latin-1")
    assert fuel.startswith("\ufeffvehicle,vin,date,")
    # In the owner's saved units: the Golf's 300 km on 40.75 L... after a missed fill-up, none.
    assert "Golf,,2025-06-01,12000,km,40.000,l,1.799,71.96,EUR,true,false" in fuel
    assert maintenance.startswith("\ufeffvehicle,vin,type,title,status,")
    assert "Sold van" not in fuel  # the CSVs are the exports: deleted vehicles aside


def test_it_refuses_an_account_that_has_vehicles(account, other_user, make_vehicle):
    content = written(account)
    gone = make_vehicle(other_user, nickname="Old")
    gone.soft_delete()
    before = counts()
    with pytest.raises(ImportFileError) as refused:
        archive.restore(user=other_user, file=io.BytesIO(content))
    assert refused.value.message.startswith(
        "Your account already has 1 vehicle (deleted ones count too). An archive is restored "
        "only into an account without any"
    )
    assert counts() == before


def bomb() -> io.BytesIO:
    return zipped({archive.DOCUMENT: b"\0" * (30 * 1024 * 1024)})


def edited(content: bytes, change) -> io.BytesIO:
    found = document(content)
    change(found)
    return zipped({archive.DOCUMENT: json.dumps(found)})


def set_in(section, index, key, value):
    def change(found):
        found[section][index][key] = value

    return change


BAD_FILES = [
    (lambda content: io.BytesIO(b""), "The file is empty."),
    (lambda content: io.BytesIO(b"date,odometer\n2025-01-01,100\n"), "is not a ZIP file"),
    (lambda content: io.BytesIO(content[:200]), "This ZIP file is damaged"),
    (lambda content: bomb(), "(a ZIP bomb?); it was not unpacked"),
    (
        lambda content: zipped({f"{n}.txt": "x" for n in range(20)}),
        "This ZIP file holds 20 files",
    ),
    (lambda content: zipped({"fuel.csv": "x"}), "It holds no motovault-archive.json"),
    (lambda content: zipped({archive.DOCUMENT: "{not json"}), "is not valid JSON"),
    (
        lambda content: zipped({archive.DOCUMENT: '{"format": "other", "version": 1}'}),
        "is not one MotoVault wrote",
    ),
    (
        lambda content: edited(content, lambda found: found.update(version=2)),
        "This archive's version is 2; this MotoVault reads version 1.",
    ),
    (
        lambda content: edited(content, lambda found: found.pop("version")),
        "This archive's version is null",
    ),
    (
        lambda content: edited(content, lambda found: found.pop("vehicles")),
        "The archive's “vehicles” is missing or is not a list.",
    ),
    (
        lambda content: edited(content, lambda found: found["preferences"].update(currency="XXQ")),
        "The archive's preferences: currency: MotoVault does not know the currency",
    ),
    (
        lambda content: edited(content, set_in("vehicles", 1, "odometer", -5)),
        "Vehicle 2 of the archive: odometer reading: The odometer cannot be negative.",
    ),
    (
        lambda content: edited(content, set_in("vehicles", 1, "vin", "1HGCM82633A00435X")),
        "Vehicle 2 of the archive: vin:",
    ),
    (
        lambda content: edited(content, set_in("vehicles", 0, "distance_unit", "furlong")),
        "Vehicle 1 of the archive: distance unit: Value 'furlong' is not a valid choice.",
    ),
    (
        lambda content: edited(content, set_in("vehicles", 0, "year", "2019")),
        "Vehicle 1 of the archive: “year” is not a whole number.",
    ),
    (
        lambda content: edited(content, set_in("fuel_logs", 1, "vehicle", "someone-else")),
        "Fill-up 2 of the archive names a vehicle the archive does not hold",
    ),
    (
        lambda content: edited(content, set_in("fuel_logs", 1, "date", "2999-01-01")),
        "Fill-up 2 of the archive: date: The date cannot be in the future.",
    ),
    (
        lambda content: edited(content, set_in("fuel_logs", 1, "date", "yesterday")),
        "Fill-up 2 of the archive: “date”:",
    ),
    (
        lambda content: edited(content, set_in("fuel_logs", 1, "odometer", 11_000)),
        # In the archive owner's formats.
        "Fill-up 2 of the archive: odometer: Must be more than 12.000, the reading of fill-up 1 "
        "on 01.06.2025.",
    ),
    (
        lambda content: edited(content, set_in("fuel_logs", 0, "total_cost", "500.00")),
        "Fill-up 1 of the archive: total cost: 40,000 L at 1,799\xa0€ a liter comes to",
    ),
    (
        lambda content: edited(content, set_in("fuel_logs", 0, "full_tank", "yes")),
        "Fill-up 1 of the archive: “full_tank” is neither true nor false.",
    ),
    (
        lambda content: edited(content, set_in("fuel_logs", 3, "price_per_unit", "-3.000")),
        "Fill-up 4 of the archive:",
    ),
    (
        lambda content: edited(content, set_in("fuel_logs", 3, "notes", "x" * 10_001)),
        "Fill-up 4 of the archive: Keep the notes to 10,000 characters.",
    ),
    (
        lambda content: edited(content, set_in("maintenance_records", 2, "type", "teleport")),
        "Maintenance record 3 of the archive: type: Value 'teleport' is not a valid choice.",
    ),
    (
        lambda content: edited(content, set_in("maintenance_records", 2, "due_odometer", None)),
        "Maintenance record 3 of the archive: due date: Enter a due date, a due mileage, or both.",
    ),
    (
        lambda content: edited(content, set_in("favorite_stations", 0, "station", "Aral")),
        "The archive's “station” is missing or is not an object.",
    ),
]


@pytest.mark.parametrize(("make", "message"), BAD_FILES)
def test_it_refuses_a_bad_archive_and_saves_nothing(account, other_user, make, message):
    content = written(account)
    before = counts()
    with pytest.raises(ImportFileError) as refused:
        archive.restore(user=other_user, file=make(content))
    assert message in refused.value.message
    assert counts() == before
    assert not Preferences.objects.filter(user=other_user, currency="EUR").exists()


def test_it_refuses_a_file_over_the_size_limit(account, other_user, settings):
    content = written(account)
    settings.IMPORT_MAX_BYTES = len(content) - 1
    with pytest.raises(ImportFileError, match="larger than"):
        archive.restore(user=other_user, file=io.BytesIO(content))


def test_it_refuses_a_document_of_too_many_objects(account, other_user, monkeypatch):
    content = written(account)
    monkeypatch.setattr(archive, "MAX_OBJECTS", 10)
    with pytest.raises(ImportFileError, match="holds more than 10 objects"):
        archive.restore(user=other_user, file=io.BytesIO(content))
    assert not Vehicle.objects.filter(user=other_user).exists()


def test_the_command_writes_the_file_the_page_downloads(account, client, tmp_path):
    path = tmp_path / "alice.zip"
    call_command("export_account", "--user", "alice", str(path), stdout=io.StringIO())
    client.force_login(account)
    response = client.get(DOWNLOAD)
    downloaded = b"".join(response.streaming_content)
    from_command = path.read_bytes()

    def entries(content):
        with zipfile.ZipFile(io.BytesIO(content)) as opened:
            found = {name: opened.read(name) for name in opened.namelist()}
        found[archive.DOCUMENT] = {**json.loads(found[archive.DOCUMENT]), "exported_at": None}
        return found

    assert entries(from_command) == entries(downloaded)
    assert entries(downloaded)[archive.DOCUMENT]["fuel_logs"]
    assert not (tmp_path / "alice.zip.partial").exists()


def test_the_command_refuses_an_unknown_user(db, tmp_path):
    with pytest.raises(CommandError, match=r"There is no user “nobody”\."):
        call_command("export_account", "--user", "nobody", str(tmp_path / "x.zip"))
    assert not (tmp_path / "x.zip").exists()


def test_the_download_needs_a_sign_in(client):
    response = client.get(DOWNLOAD)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_download_holds_only_the_owners_data(account, other_client, other_user):
    response = other_client.get(DOWNLOAD)
    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="motovault-bob-')
    found = document(b"".join(response.streaming_content))
    assert found["username"] == "bob"
    assert found["vehicles"] == found["fuel_logs"] == found["favorite_stations"] == []
    assert other_client.post(DOWNLOAD).status_code == 405


def test_the_account_page_offers_the_download(owner_client):
    page = owner_client.get(reverse("account")).content.decode()
    assert f'href="{DOWNLOAD}" download>Download all my data</a>' in page


def test_the_downloads_queries_stay_flat_as_rows_grow(
    owner, owner_client, vehicle, django_assert_num_queries
):
    def download_with(count):
        FuelLog.objects.all().delete()
        FuelLog.objects.bulk_create(
            FuelLog(
                user=owner,
                vehicle=vehicle,
                date=dt.date(2010, 1, 1) + dt.timedelta(days=i),
                odometer_reading=1_000 + 300 * i,
                gallons=D("10.000"),
                price_per_gallon=D("3.000"),
                total_cost=D("30.00"),
            )
            for i in range(count)
        )
        # The session and user; preferences, vehicles, fill-ups, maintenance, odometer
        # readings, costs, favorites, attachments; the fuel CSV's vehicles and fill-ups, the
        # vehicles' recent driving (projected due dates), the maintenance CSV's records; the
        # odometer CSV's vehicles and readings; the costs CSV's costs; the attached files.
        with django_assert_num_queries(18):
            response = owner_client.get(DOWNLOAD)
        return document(b"".join(response.streaming_content))

    assert len(download_with(3)["fuel_logs"]) == 3
    assert len(download_with(3000)["fuel_logs"]) == 3000


def test_it_holds_the_attached_files_and_restores_around_them(
    account, django_user_model, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    vehicle = Vehicle.objects.filter(user=account).first()
    log = FuelLog.objects.filter(user=account).first()
    photo = _attach(vehicle, image_bytes(), "image/jpeg", "car.jpg")
    receipt = _attach(log, MINIMAL_PDF, "application/pdf", "receipt.pdf")
    Attachment.objects.filter(pk=photo.pk).update(is_vehicle_photo=True)
    content = written(account)

    with zipfile.ZipFile(io.BytesIO(content)) as opened:
        assert opened.read(f"attachments/{receipt.pk}.pdf") == MINIMAL_PDF
        assert opened.read(f"attachments/{photo.pk}.jpg") == image_bytes()
    listed = document(content)["attachments"]
    assert listed[0] == {
        "id": str(photo.pk),
        "vehicle": str(vehicle.pk),
        "fuel_log": None,
        "maintenance_record": None,
        "cost": None,
        "odometer_reading": None,
        "name": "car.jpg",
        "content_type": "image/jpeg",
        "size": photo.size,
        "vehicle_photo": True,
        "file": f"attachments/{photo.pk}.jpg",
        "created_at": photo.created_at.isoformat(),
    }
    assert (listed[1]["fuel_log"], listed[1]["file"]) == (
        str(log.pk),
        f"attachments/{receipt.pk}.pdf",
    )
    # The files come back too (test_archive_files), and do not count against the archive's
    # limit of entries.
    newcomer = django_user_model.objects.create_user("carol")
    summary = archive.restore(user=newcomer, file=io.BytesIO(content))
    assert (summary.fuel_logs, summary.files) == (7, 2)


def _attach(parent, data, content_type, name):
    attachment = Attachment(
        **{Attachment.parent_field(parent): parent},
        name=name,
        content_type=content_type,
        size=len(data),
    )
    attachment.user_id = parent.user_id
    attachment.file.save(name, ContentFile(data), save=False)
    attachment.save()
    return attachment


def test_a_restored_account_reads_as_the_original(account, django_user_model, client):
    content = written(account)
    newcomer = django_user_model.objects.create_user("carol")
    archive.restore(user=newcomer, file=io.BytesIO(content))
    client.force_login(newcomer)
    fuel = client.get(reverse("fuellogs:export"))
    client.force_login(account)
    original = client.get(reverse("fuellogs:export"))
    assert b"".join(fuel.streaming_content) == b"".join(original.streaming_content)
    assert User.objects.get(username="carol").preferences.locale == "de-DE"
    assert timezone.now()
