"""The whole account, out and back: `write` puts everything an owner has into a ZIP file, and
`restore` recreates it in an account without vehicles.

The ZIP holds `motovault-archive.json` (the document; docs/archive.md describes its layout, for
other programs), `fuel.csv`, `maintenance.csv`, `odometer.csv` and `costs.csv` (the exports of
fuellogs.exports, maintenance.exports, vehicles.exports and costs.exports, for people), and the
attached files under `attachments/`. A restore reads the document, then the attached files it
names, each through an upload's checks and limits (attachments.content.prepare,
attachments.services.attach); a file that fails them is skipped and counted in the summary.

`restore` trusts nothing in the file: its sizes are checked before anything is decompressed (a
ZIP bomb is refused unread), the document's version must be one this code reads, and every
object passes the rules the forms and the models apply (full_clean, the fuel rules, the
preferences form). Nothing is saved unless everything in the document is valid.
"""

import datetime
import io
import json
import shutil
import zipfile
import zlib
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any, cast

from django.conf import settings
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, models, transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone

from accounts.forms import PreferencesForm
from accounts.models import Preferences
from accounts.session_preferences import zone_names
from attachments import services as attachment_services
from attachments.content import EXTENSIONS, Refused, prepare
from attachments.forms import display_name
from attachments.models import Attachment, Parent, delete_files
from costs import exports as cost_exports
from costs.models import Cost
from fuellogs import exports as fuel_exports
from fuellogs import rules
from fuellogs.cache import invalidate_vehicle_stats
from fuellogs.models import AMOUNT_FIELDS, FuelLog
from fuellogs.services import link_stations
from imports.reading import ImportFileError
from maintenance import exports as maintenance_exports
from maintenance import projection
from maintenance.models import MaintenanceRecord
from maintenance.upcoming import invalidate_upcoming
from motovault import l10n
from motovault.spreadsheets import csv_lines
from motovault.text import MultiLineField, SingleLineField, multi_line, single_line
from stations.models import FavoriteStation, Station, name_key
from vehicles import exports as vehicle_exports
from vehicles import rules as vehicle_rules
from vehicles.cache import invalidate_owner_caches
from vehicles.models import OdometerReading, Vehicle

FORMAT = "motovault-archive"
VERSION = 1
DOCUMENT = "motovault-archive.json"
FUEL_CSV = "fuel.csv"
MAINTENANCE_CSV = "maintenance.csv"
ODOMETER_CSV = "odometer.csv"
COSTS_CSV = "costs.csv"
# The attached files, each named by its id in the document.
ATTACHMENTS_DIR = "attachments/"
# The records a file may be on: the keys of an attachment in the document, each the name of its
# foreign key, and of the restored records a restore keeps by their archive ids (_Restorer._keep).
# A kind of record added later is one line here, and one call to _keep where it is restored.
ATTACHMENT_PARENTS = ("vehicle", "fuel_log", "maintenance_record", "odometer_reading", "cost")

# What a ZIP may hold before a byte of it is decompressed: its central directory says each
# entry's sizes, and the reader stops at the size it says. An archive MotoVault writes has three
# entries; its JSON compresses about 8 to 1 (50,000 fill-ups: 16 MB of JSON, a 2.2 MB file).
MAX_ENTRIES = 16
MAX_UNCOMPRESSED = 64 * 1024 * 1024
MAX_RATIO = 100
# JSON objects the document may have: a fill-up, a service or a vehicle is one. Counted as they
# are read, so that a small document of empty objects cannot fill the memory.
MAX_OBJECTS = 1_000_000
# Rows written or saved at a time.
CHUNK = 2000

# Each object's keys in the document, and the model field each holds. Ids are the archive's
# own (references between its objects); timestamps are written for the record, not restored.
VEHICLE_KEYS = {
    "vin": "vin",
    "vin_check_digit_waived": "vin_check_digit_waived",
    "vin_is_serial": "vin_is_serial",
    "make": "make",
    "model": "model",
    "year": "year",
    "nickname": "nickname",
    "color": "color",
    "license_plate": "license_plate",
    "odometer": "odometer_reading",
    "distance_unit": "distance_unit",
    "fuel_unit": "fuel_unit",
    "is_active": "is_active",
    "purchase_date": "purchase_date",
    "purchase_price": "purchase_price",
    "purchase_odometer": "purchase_odometer",
    "sold_date": "sold_date",
    "sold_price": "sold_price",
    "deleted_at": "deleted_at",
}
# Archives written before purchase and sale were recorded lack their keys: none was known.
VEHICLE_KEYS_ADDED_LATER = dict.fromkeys(
    ("purchase_date", "purchase_price", "purchase_odometer", "sold_date", "sold_price")
)
FUEL_KEYS = {
    "date": "date",
    "odometer": "odometer_reading",
    "quantity": "gallons",
    "price_per_unit": "price_per_gallon",
    "total_cost": "total_cost",
    "full_tank": "is_full_tank",
    "missed_previous": "missed_previous",
    "station": "station_name",
    "notes": "notes",
}
MAINTENANCE_KEYS = {
    "type": "type",
    "description": "description",
    "completed": "is_completed",
    "due_date": "due_date",
    "due_odometer": "due_mileage",
    "completed_date": "completed_date",
    "completed_odometer": "completed_mileage",
    "cost": "cost",
    "service_location": "service_location",
    "interval_months": "interval_months",
    "interval_distance": "interval_miles",
    "notes": "notes",
}
COST_KEYS = {
    "category": "category",
    "title": "title",
    "date": "date",
    "amount": "amount",
    "odometer": "odometer_reading",
    "repeat_months": "repeat_months",
    "notes": "notes",
}
STATION_KEYS = {
    "google_place_id": "google_place_id",
    "name": "name",
    "address": "address",
    "latitude": "latitude",
    "longitude": "longitude",
    "phone": "phone",
    "website": "website",
}
READING_KEYS = {"date": "date", "odometer": "odometer_reading", "notes": "notes"}
PREFERENCE_KEYS = ("time_zone", "locale", "currency", "economy_unit", "electric_economy_unit")


# Writing ------------------------------------------------------------------------------------


def write(user: User, file: IO[bytes]) -> None:
    """Write `user`'s archive, a ZIP file, to `file` (a binary file object open for writing).
    Everything is streamed: memory stays flat however long the history. The CSVs are in the
    owner's saved preferences (currency, economy units, time zone), whoever asks for them."""
    preferences = Preferences.objects.filter(user=user).first() or Preferences(user=user)
    now = timezone.now().replace(microsecond=0)
    stamp = now.timetuple()[:6]
    with (
        zipfile.ZipFile(file, "w", zipfile.ZIP_DEFLATED) as archive,
        timezone.override(_zone(preferences.time_zone)),
        l10n.override(preferences.regional),
    ):
        with _entry(archive, DOCUMENT, stamp) as out:
            for piece in _document(user, preferences, now):
                out.write(piece)
        with _entry(archive, FUEL_CSV, stamp) as out:
            table = fuel_exports.rows(user, regional=preferences.regional)
            for line in csv_lines(table):
                out.write(line)
        with _entry(archive, MAINTENANCE_CSV, stamp) as out:
            today = timezone.localdate()
            spans = projection.spans_for(user.pk, today)
            by_driving = projection.soon_distances(spans, settings.MAINTENANCE_DUE_SOON_DAYS)
            records = MaintenanceRecord.objects.for_owner(user).in_list_order(today, by_driving)
            table = maintenance_exports.rows(
                records, today=today, regional=preferences.regional, spans=spans
            )
            for line in csv_lines(table):
                out.write(line)
        _write_readings_csv(archive, user, stamp)
        _write_costs_csv(archive, user, preferences, stamp)
        for attachment in _attachments(user).iterator(CHUNK):
            _write_file(archive, attachment, stamp)


def _write_readings_csv(archive: zipfile.ZipFile, user: User, stamp: tuple[int, ...]) -> None:
    with _entry(archive, ODOMETER_CSV, stamp) as out:
        for line in csv_lines(vehicle_exports.reading_rows(user)):
            out.write(line)


def _write_costs_csv(
    archive: zipfile.ZipFile, user: User, preferences: Preferences, stamp: tuple[int, ...]
) -> None:
    with _entry(archive, COSTS_CSV, stamp) as out:
        costs = Cost.objects.for_owner(user)
        for line in csv_lines(cost_exports.rows(costs, currency=preferences.currency)):
            out.write(line)


def _attachments(user: User) -> "models.QuerySet[Attachment]":
    return Attachment.objects.filter(user=user).order_by("created_at", "pk")


def _file_entry(attachment: Attachment) -> str:
    return f"{ATTACHMENTS_DIR}{attachment.pk}.{EXTENSIONS[attachment.content_type]}"


def _write_file(archive: zipfile.ZipFile, attachment: Attachment, stamp: tuple[int, ...]) -> None:
    """Copy one attached file into the archive, a piece at a time. A file missing from storage
    is left out (cleanup_attachments reports it); its document entry still names it."""
    try:
        source = attachment.file.open("rb")
    except FileNotFoundError:
        return
    info = zipfile.ZipInfo(_file_entry(attachment), date_time=stamp)  # type: ignore[arg-type]
    # Photos and PDFs are compressed already.
    info.compress_type = zipfile.ZIP_STORED
    with source, archive.open(info, "w") as out:
        shutil.copyfileobj(source, out)


def _zone(name: str) -> Any:
    """The owner's time zone, or the site's."""
    if name in zone_names():
        return name
    return settings.TIME_ZONE


def _entry(archive: zipfile.ZipFile, name: str, stamp: tuple[int, ...]) -> io.TextIOWrapper:
    info = zipfile.ZipInfo(name, date_time=stamp)  # type: ignore[arg-type]
    info.compress_type = zipfile.ZIP_DEFLATED
    return io.TextIOWrapper(archive.open(info, "w", force_zip64=True), encoding="utf-8", newline="")


def _document(user: User, preferences: Preferences, now: datetime.datetime) -> Iterator[str]:
    """The JSON document, a piece at a time: one object per line in each list."""
    head = {
        "format": FORMAT,
        "version": VERSION,
        "exported_at": now.isoformat(),
        "username": user.get_username(),
        "preferences": {key: getattr(preferences, key) for key in PREFERENCE_KEYS},
    }
    yield json.dumps(head, ensure_ascii=False, indent=1)[:-2]
    vehicles = Vehicle.objects.filter(user=user).order_by("created_at", "pk")
    yield from _list("vehicles", (_vehicle(vehicle) for vehicle in vehicles.iterator(CHUNK)))
    logs = FuelLog.objects.filter(user=user).order_by(
        "vehicle__created_at", "vehicle_id", "date", "odometer_reading", "created_at", "pk"
    )
    yield from _list("fuel_logs", (_fuel_log(log) for log in logs.iterator(CHUNK)))
    records = MaintenanceRecord.objects.filter(user=user).order_by(
        "vehicle__created_at", "vehicle_id", "created_at", "pk"
    )
    yield from _list("maintenance_records", (_record(record) for record in records.iterator(CHUNK)))
    yield from _list("odometer_readings", _readings(user))
    yield from _list("costs", _costs(user))
    favorites = (
        FavoriteStation.objects.for_owner(user).select_related("station").order_by("created_at")
    )
    yield from _list("favorite_stations", (_favorite(favorite) for favorite in favorites))
    yield from _list("attachments", (_attachment(item) for item in _attachments(user).iterator()))
    yield "\n}\n"


def _list(name: str, objects: Iterator[dict[str, Any]]) -> Iterator[str]:
    yield f',\n "{name}": ['
    separator = "\n  "
    for value in objects:
        yield separator + json.dumps(value, ensure_ascii=False)
        separator = ",\n  "
    yield "\n ]" if separator != "\n  " else "]"


def _values(instance: models.Model, keys: Mapping[str, str]) -> dict[str, Any]:
    return {key: _json(getattr(instance, field)) for key, field in keys.items()}


def _json(value: Any) -> Any:
    """Decimals as strings, exactly as stored; dates and times in ISO 8601."""
    if isinstance(value, Decimal):
        return f"{value:f}"
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _stamps(instance: models.Model) -> dict[str, Any]:
    return {
        name: _json(getattr(instance, name))
        for name in ("created_at", "updated_at")
        if hasattr(instance, name)
    }


def _vehicle(vehicle: Vehicle) -> dict[str, Any]:
    return {"id": str(vehicle.pk), **_values(vehicle, VEHICLE_KEYS), **_stamps(vehicle)}


def _fuel_log(log: FuelLog) -> dict[str, Any]:
    return {
        "id": str(log.pk),
        "vehicle": str(log.vehicle_id),
        **_values(log, FUEL_KEYS),
        **_stamps(log),
    }


def _record(record: MaintenanceRecord) -> dict[str, Any]:
    return {
        "id": str(record.pk),
        "vehicle": str(record.vehicle_id),
        **_values(record, MAINTENANCE_KEYS),
        **_stamps(record),
    }


def _readings(user: User) -> Iterator[dict[str, Any]]:
    readings = OdometerReading.objects.filter(user=user).order_by(
        "vehicle__created_at", "vehicle_id", "date", "odometer_reading", "created_at", "pk"
    )
    for reading in readings.iterator(CHUNK):
        yield {
            "id": str(reading.pk),
            "vehicle": str(reading.vehicle_id),
            **_values(reading, READING_KEYS),
            **_stamps(reading),
        }


def _costs(user: User) -> Iterator[dict[str, Any]]:
    costs = Cost.objects.filter(user=user).order_by(
        "vehicle__created_at", "vehicle_id", "date", "created_at", "pk"
    )
    for cost in costs.iterator(CHUNK):
        yield {
            "id": str(cost.pk),
            "vehicle": str(cost.vehicle_id),
            **_values(cost, COST_KEYS),
            **_stamps(cost),
        }


def _attachment(attachment: Attachment) -> dict[str, Any]:
    def ref(pk: object) -> str | None:
        return None if pk is None else str(pk)

    return {
        "id": str(attachment.pk),
        **{key: ref(getattr(attachment, f"{key}_id")) for key in ATTACHMENT_PARENTS},
        "name": attachment.name,
        "content_type": attachment.content_type,
        "size": attachment.size,
        "vehicle_photo": attachment.is_vehicle_photo,
        "file": _file_entry(attachment),
        "created_at": _json(attachment.created_at),
    }


def _favorite(favorite: FavoriteStation) -> dict[str, Any]:
    return {
        "note": favorite.note,
        "station": _values(favorite.station, STATION_KEYS),
        **_stamps(favorite),
    }


# Restoring ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RestoreSummary:
    """What a restore created."""

    vehicles: int = 0
    deleted_vehicles: int = 0
    fuel_logs: int = 0
    maintenance_records: int = 0
    costs: int = 0
    favorite_stations: int = 0
    preferences: bool = False
    # The attached files restored, and those skipped by reason ("not an allowed type": 2).
    files: int = 0
    files_skipped: Mapping[str, int] = field(default_factory=dict)
    # What the restore wrote to storage: a caller that rolls it back (a dry run) deletes them.
    files_stored: tuple[str, ...] = ()
    odometer_readings: int = 0

    def __str__(self) -> str:
        def count(number: int, word: str) -> str:
            return f"{l10n.number(number)} {word}{'' if number == 1 else 's'}"

        def some(number: int, word: str) -> list[str]:
            return [count(number, word)] if number else []

        # The kinds of record older archives lack (odometer readings, costs, files) are not
        # said at all when there are none.
        parts = [
            count(self.vehicles, "vehicle")
            + (f" ({l10n.number(self.deleted_vehicles)} deleted)" if self.deleted_vehicles else ""),
            count(self.fuel_logs, "fill-up"),
            count(self.maintenance_records, "maintenance record"),
            *some(self.odometer_readings, "odometer reading"),
            *some(self.costs, "cost"),
            count(self.favorite_stations, "saved station"),
        ]
        if self.files or self.files_skipped:
            parts.append(count(self.files, "file"))
        if self.preferences:
            parts.append("your preferences")
        return ", ".join(parts[:-1]) + " and " + parts[-1] + self._skipped()

    def _skipped(self) -> str:
        """'; 2 files skipped: not an allowed type', or with each reason's count if several."""
        if not self.files_skipped:
            return ""
        total = sum(self.files_skipped.values())
        head = f"; {l10n.number(total)} file{'' if total == 1 else 's'} skipped: "
        if len(self.files_skipped) == 1:
            return head + next(iter(self.files_skipped))
        return head + ", ".join(
            f"{reason} ({l10n.number(number)})" for reason, number in self.files_skipped.items()
        )


NOT_AN_ARCHIVE = (
    "This is not a MotoVault archive. Upload the ZIP file “Download all my data” (on the "
    "account page) gave you."
)


def restore(*, user: User, file: IO[bytes]) -> RestoreSummary:
    """Recreate everything in the archive `file` (a seekable binary file object) for `user`,
    whose account must have no vehicles, deleted ones included. Every field comes back equal,
    but ids and timestamps. Raises ImportFileError, saving nothing, for a file that is not a
    MotoVault archive, is too large or a ZIP bomb, has a version this MotoVault does not read,
    holds invalid data (edited by hand), or for an account that already has vehicles."""
    document = _read_document(file)
    with transaction.atomic():
        # One restore at a time per account: a second waits here, then finds the vehicles.
        list(User.objects.select_for_update().filter(pk=user.pk).values_list("pk"))
        if (count := Vehicle.objects.filter(user=user).count()) > 0:
            raise ImportFileError(
                f"Your account already has {count:,} vehicle{'s' if count != 1 else ''} "
                "(deleted ones count too). An archive is restored only into an account without "
                "any, so that nothing is saved twice: restore it into a new account, or import "
                "the fuel and maintenance CSV files it holds instead."
            )
        zone = _section(document, "preferences", dict).get("time_zone")
        # "Today" is the owner's: a fill-up of this morning in Tokyo is not in the future.
        with timezone.override(_zone(zone if isinstance(zone, str) else "")):
            return _Restorer(user, document, file).run()


def _read_document(file: IO[bytes]) -> dict[str, Any]:
    """The archive's JSON document, its ZIP checked before anything is decompressed."""
    limit = settings.IMPORT_MAX_BYTES
    file.seek(0, io.SEEK_END)
    if file.tell() > limit:
        raise ImportFileError(
            f"This file is larger than {filesizeformat(limit)}, the most MotoVault reads at once."
        )
    file.seek(0)
    head = file.read(4)
    if not head:
        raise ImportFileError("The file is empty.")
    if head not in (b"PK\x03\x04", b"PK\x05\x06"):
        raise ImportFileError(NOT_AN_ARCHIVE + " (This file is not a ZIP file.)")
    file.seek(0)
    try:
        with zipfile.ZipFile(file) as archive:
            # Attached files are unpacked one at a time, each up to the per-file limit
            # (_Restorer._files), so they count toward neither the entries nor the total.
            entries = [
                entry
                for entry in archive.infolist()
                if not entry.filename.startswith(ATTACHMENTS_DIR)
            ]
            _check_sizes(entries)
            _check_ratios(archive.infolist())
            if DOCUMENT not in archive.namelist():
                raise ImportFileError(NOT_AN_ARCHIVE + f" (It holds no {DOCUMENT}.)")
            with archive.open(DOCUMENT) as entry:
                # The reader stops at the size the directory gave, which was checked.
                data = entry.read(MAX_UNCOMPRESSED + 1)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, NotImplementedError, EOFError, OSError):
        raise ImportFileError(
            "This ZIP file is damaged or uses a kind of compression MotoVault does not read. "
            "Download your archive again."
        ) from None
    except RuntimeError:  # an encrypted entry
        raise ImportFileError(
            "This ZIP file is protected by a password; MotoVault reads archives as it wrote them."
        ) from None
    if len(data) > MAX_UNCOMPRESSED:
        raise _bomb()
    try:
        document = json.loads(
            data.decode("utf-8"), parse_float=Decimal, object_pairs_hook=_Counted()
        )
    except (UnicodeDecodeError, ValueError, RecursionError):
        raise ImportFileError(
            f"The archive's {DOCUMENT} is not valid JSON (was it edited by hand?)."
        ) from None
    if not isinstance(document, dict) or document.get("format") != FORMAT:
        raise ImportFileError(NOT_AN_ARCHIVE + f" (Its {DOCUMENT} is not one MotoVault wrote.)")
    version = document.get("version")
    if version != VERSION or isinstance(version, bool):
        raise ImportFileError(
            f"This archive's version is {json.dumps(version)[:20]}; this MotoVault reads "
            f"version {VERSION}. Restore it into the MotoVault that wrote it, or a newer one."
        )
    return document


class _Counted:
    """json's object_pairs_hook: builds each object as a dict, and stops at MAX_OBJECTS."""

    def __init__(self) -> None:
        self.count = 0

    def __call__(self, pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        self.count += 1
        if self.count > MAX_OBJECTS:
            raise ImportFileError(
                f"This archive holds more than {MAX_OBJECTS:,} objects, more than MotoVault "
                "restores at once."
            )
        return dict(pairs)


def _check_sizes(entries: list[zipfile.ZipInfo]) -> None:
    if len(entries) > MAX_ENTRIES:
        raise ImportFileError(
            f"This ZIP file holds {len(entries):,} files; a MotoVault archive holds a few. "
            "Upload the archive as MotoVault wrote it."
        )
    total = 0
    for entry in entries:
        total += entry.file_size
        if total > MAX_UNCOMPRESSED or _too_compressed(entry):
            raise _bomb()


def _check_ratios(entries: list[zipfile.ZipInfo]) -> None:
    if any(_too_compressed(entry) for entry in entries):
        raise _bomb()


def _too_compressed(entry: zipfile.ZipInfo) -> bool:
    return (
        entry.file_size > 1024 * 1024 and entry.file_size / max(entry.compress_size, 1) > MAX_RATIO
    )


def _bomb() -> ImportFileError:
    return ImportFileError(
        f"This ZIP file would unpack to more than {filesizeformat(MAX_UNCOMPRESSED)} or "
        "compresses far more than any archive MotoVault writes (a ZIP bomb?); it was not "
        "unpacked."
    )


def _section[T](document: Mapping[str, Any], name: str, kind: type[T]) -> T:
    value = document.get(name)
    if not isinstance(value, kind):
        what = "an object" if kind is dict else "a list"
        raise ImportFileError(f"The archive's “{name}” is missing or is not {what}.")
    return value


class _Restorer:
    """One restore: validates each object as it is built, saves in bulk, and raises
    ImportFileError on the first invalid one (the caller's transaction then saves nothing)."""

    def __init__(self, user: User, document: Mapping[str, Any], file: IO[bytes]) -> None:
        self.user = user
        self.document = document
        self.file = file
        self.vehicles: dict[str, Vehicle] = {}
        # The records files may be on, by kind (ATTACHMENT_PARENTS) and archive id.
        self.restored: dict[str, dict[str, Parent]] = defaultdict(dict)
        # Kept for the odometer readings' order, which is the fill-ups' too.
        self.fuel_logs: list[FuelLog] = []

    def run(self) -> RestoreSummary:
        preferences = self._preferences()
        # Messages name amounts and dates as the archive's owner reads them.
        with l10n.override(preferences.regional):
            deleted = self._vehicles()
            fuel_logs = self._fuel_logs()
            readings = self._odometer_readings()
            records = self._maintenance_records()
            costs = self._costs()
            favorites = self._favorites()
        # Each fill-up is linked to the owner's station it names (after the restored
        # stations, which it may name), as one logged by hand is.
        link_stations(self.user, FuelLog.objects.filter(user=self.user))
        # Deleted last: a deleted vehicle takes no new records (rules.check_vehicle).
        for vehicle, deleted_at in deleted:
            Vehicle.objects.filter(pk=vehicle.pk).update(deleted_at=deleted_at)
        # Last, as files written to storage are files to remove again if anything fails.
        files = self._files()
        user_id = self.user.pk
        vehicle_ids = [vehicle.pk for vehicle in self.vehicles.values()]
        invalidate_owner_caches(user_id)
        invalidate_vehicle_stats(*vehicle_ids)
        invalidate_upcoming(user_id)
        return RestoreSummary(
            vehicles=len(self.vehicles),
            deleted_vehicles=len(deleted),
            fuel_logs=fuel_logs,
            maintenance_records=records,
            costs=costs,
            favorite_stations=favorites,
            preferences=True,
            files=files.files,
            files_skipped=files.files_skipped,
            files_stored=files.files_stored,
            odometer_readings=readings,
        )

    def _preferences(self) -> Preferences:
        given = _section(self.document, "preferences", dict)
        saved = Preferences.objects.filter(user=self.user).first() or Preferences(user=self.user)
        form = PreferencesForm(
            data={key: _text(given, key, "preferences") for key in PREFERENCE_KEYS},
            instance=saved,
        )
        if not form.is_valid():
            field, errors = next(iter(form.errors.items()))
            raise ImportFileError(f"The archive's preferences: {field}: {errors[0]}")
        return form.save()

    def _vehicles(self) -> list[tuple[Vehicle, datetime.datetime]]:
        deleted = []
        for number, given in _objects(self.document, "vehicles"):
            what = f"Vehicle {number} of the archive"
            key = _text(given, "id", what)
            if key in self.vehicles:
                raise ImportFileError(f"{what} has the id of an earlier one, “{key}”.")
            vehicle = Vehicle(user=self.user)
            _assign(vehicle, {**VEHICLE_KEYS_ADDED_LATER, **given}, VEHICLE_KEYS, what)
            deleted_at, vehicle.deleted_at = vehicle.deleted_at, None
            _validate(vehicle, what)
            vehicle.save()
            self.vehicles[key] = vehicle
            self._keep("vehicle", given, vehicle, what)
            if deleted_at is not None:
                deleted.append((vehicle, deleted_at))
        return deleted

    def _vehicle_of(self, given: Mapping[str, Any], what: str) -> Vehicle:
        key = _text(given, "vehicle", what)
        if key not in self.vehicles:
            raise ImportFileError(f"{what} names a vehicle the archive does not hold, “{key}”.")
        return self.vehicles[key]

    def _fuel_logs(self) -> int:
        logs: list[FuelLog] = []
        for number, given in _objects(self.document, "fuel_logs"):
            what = f"Fill-up {number} of the archive"
            vehicle = self._vehicle_of(given, what)
            log = FuelLog(user=self.user, vehicle=vehicle)
            _assign(log, given, FUEL_KEYS, what)
            # The vehicle is this restore's, just saved: no query to check it, per fill-up. So
            # the rules that need it are run here, as FuelLog.clean_fields runs them; the
            # odometer's order among the vehicle's fill-ups is checked below, on them all.
            _validate(log, what, exclude=("vehicle", *AMOUNT_FIELDS), constraints=False)
            for name in AMOUNT_FIELDS:
                if (value := getattr(log, name)) is not None:
                    field = cast("models.Field[Any, Any]", FuelLog._meta.get_field(name))
                    _check(what, field.clean, value, log)
            amounts = _checked(
                what,
                rules.complete_amounts,
                log.gallons,
                log.price_per_gallon,
                log.total_cost,
                fuel_unit=vehicle.fuel_unit,
            )
            log.gallons, log.price_per_gallon = amounts.gallons, amounts.price_per_gallon
            log.total_cost = amounts.total_cost
            _check(what, rules.check_date, log.date, vehicle)
            logs.append(log)
            self._keep("fuel_log", given, log, what)
        _check_odometer_order(("Fill-up", logs))
        self.fuel_logs = logs
        return _bulk_create(FuelLog, logs, "Fill-up")

    def _odometer_readings(self) -> int:
        """The readings, held to the rules the reading form applies (vehicles.rules), in date
        order with each other and with the vehicle's fill-ups. Archives written before
        odometer readings have none."""
        if "odometer_readings" not in self.document:
            return 0
        readings: list[OdometerReading] = []
        for number, given in _objects(self.document, "odometer_readings"):
            what = f"Odometer reading {number} of the archive"
            vehicle = self._vehicle_of(given, what)
            reading = OdometerReading(user=self.user, vehicle=vehicle)
            _assign(reading, given, READING_KEYS, what)
            _validate(reading, what, exclude=("vehicle",), constraints=False)
            _check(what, vehicle_rules.check_date, reading.date, vehicle)
            readings.append(reading)
            self._keep("odometer_reading", given, reading, what)
        _check_odometer_order(("Fill-up", self.fuel_logs), ("Odometer reading", readings))
        return _bulk_create(OdometerReading, readings, "Odometer reading")

    def _maintenance_records(self) -> int:
        records: list[MaintenanceRecord] = []
        for number, given in _objects(self.document, "maintenance_records"):
            what = f"Maintenance record {number} of the archive"
            vehicle = self._vehicle_of(given, what)
            record = MaintenanceRecord(user=self.user, vehicle=vehicle)
            _assign(record, given, MAINTENANCE_KEYS, what)
            _validate(record, what, exclude=("vehicle",), constraints=False)
            records.append(record)
            self._keep("maintenance_record", given, record, what)
        return _bulk_create(MaintenanceRecord, records, "Maintenance record")

    def _keep(self, kind: str, given: Mapping[str, Any], record: Parent, what: str) -> None:
        """Remember a restored record (its id is set before it is saved) under its archive id,
        for the files that name it."""
        key = _text(given, "id", what)
        if key in self.restored[kind]:
            raise ImportFileError(f"{what} has the id of an earlier one, “{key}”.")
        self.restored[kind][key] = record

    def _files(self) -> RestoreSummary:
        """The attached files the document lists, each stored on its restored record as an
        upload is (the same checks, limits and cleaning); those that fail are skipped, by
        reason. Reads one file at a time, at most the quota in all. Raises ImportFileError for
        a listed file that names no restored record; removes the files it stored if it fails."""
        limit = settings.ATTACHMENT_MAX_BYTES
        budget = settings.ATTACHMENT_QUOTA_BYTES
        restored = 0
        skipped: Counter[str] = Counter()
        stored: list[str] = []
        # Archives written before attachments existed have no list.
        listed = {"attachments": self.document.get("attachments", [])}
        try:
            with zipfile.ZipFile(self.file) as archive:
                entries = {
                    entry.filename: entry
                    for entry in archive.infolist()
                    if entry.filename.startswith(ATTACHMENTS_DIR)
                }
                for number, given in _objects(listed, "attachments"):
                    what = f"Attachment {number} of the archive"
                    parent = self._parent_of_file(given, what)
                    name = display_name(_text(given, "name", what))
                    photo = given.get("vehicle_photo", False)
                    if not isinstance(photo, bool):
                        raise ImportFileError(f"{what}: “vehicle_photo” is neither true nor false.")
                    # Each entry is read once, however many attachments name it.
                    file = given.get("file")
                    entry = entries.pop(file, None) if isinstance(file, str) else None
                    if entry is None:
                        skipped["missing from the archive"] += 1
                        continue
                    if entry.file_size > limit:
                        skipped[f"larger than {filesizeformat(limit)}"] += 1
                        continue
                    if entry.file_size > budget:
                        skipped["over your storage quota"] += 1
                        continue
                    budget -= entry.file_size
                    try:
                        with archive.open(entry) as opened:
                            data = opened.read(limit + 1)
                    except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError):
                        skipped["damaged in the archive"] += 1
                        continue
                    try:
                        attachment = attachment_services.attach(parent, name, prepare(data))
                    except (Refused, attachment_services.LimitReached) as refused:
                        skipped[refused.reason] += 1
                        continue
                    restored += 1
                    stored += attachment.stored_names()
                    if photo and attachment.vehicle_id is not None and attachment.is_image:
                        attachment_services.set_vehicle_photo(attachment)
        except BaseException:
            delete_files(stored)
            raise
        return RestoreSummary(
            files=restored,
            files_skipped=dict(skipped),
            files_stored=tuple(stored),
        )

    def _parent_of_file(self, given: Mapping[str, Any], what: str) -> Parent:
        named = [(kind, given[kind]) for kind in ATTACHMENT_PARENTS if given.get(kind) is not None]
        if len(named) != 1:
            raise ImportFileError(f"{what} names no record, or more than one.")
        kind, key = named[0]
        if not isinstance(key, str) or key not in self.restored[kind]:
            raise ImportFileError(
                f"{what} names a {kind.replace('_', ' ')} the archive does not hold, “{key}”."
            )
        return self.restored[kind][key]

    def _costs(self) -> int:
        # An archive written before costs existed has none.
        if "costs" not in self.document:
            return 0
        costs: list[Cost] = []
        for number, given in _objects(self.document, "costs"):
            what = f"Cost {number} of the archive"
            cost = Cost(user=self.user, vehicle=self._vehicle_of(given, what))
            _assign(cost, given, COST_KEYS, what)
            _validate(cost, what, exclude=("vehicle",), constraints=False)
            costs.append(cost)
            self._keep("cost", given, cost, what)
        return _bulk_create(Cost, costs, "Cost")

    def _favorites(self) -> int:
        created = 0
        for number, given in _objects(self.document, "favorite_stations"):
            what = f"Saved station {number} of the archive"
            station = self._station(_section(given, "station", dict), what)
            favorite = FavoriteStation(user=self.user, station=station)
            _assign(favorite, given, {"note": "note"}, what)
            if FavoriteStation.objects.filter(user=self.user, station=station).exists():
                # Saved already (an account without vehicles may have saved stations).
                continue
            _validate(favorite, what)
            favorite.save()
            created += 1
        return created

    def _station(self, given: Mapping[str, Any], what: str) -> Station:
        """The stored station with the archive's Google place id (shared by every owner, so
        never changed here), or a new one with the archive's data. A station without one is
        the restoring owner's own station of that name, or a shared station an admin added
        with all its data; else it becomes their own (an archive never adds a station others
        see, nor reaches another owner's)."""
        station = Station()
        _assign(station, given, STATION_KEYS, f"{what}: its station")
        station.google_place_id = station.google_place_id or None
        if station.google_place_id:
            found = Station.objects.filter(google_place_id=station.google_place_id).first()
        else:
            own = Station.objects.filter(owner=self.user, name_key=name_key(station.name))
            found = own.first() or (
                Station.objects.filter(
                    google_place_id__isnull=True,
                    owner__isnull=True,
                    **{field: getattr(station, field) for field in STATION_KEYS.values()},
                ).first()
            )
            station.owner = self.user
        if found is not None:
            return found
        _validate(station, f"{what}: its station")
        station.save()
        return station


def _objects(document: Mapping[str, Any], name: str) -> Iterator[tuple[int, dict[str, Any]]]:
    for number, given in enumerate(_section(document, name, list), start=1):
        if not isinstance(given, dict):
            raise ImportFileError(f"Item {number} of the archive's “{name}” is not an object.")
        yield number, given


def _text(given: Mapping[str, Any], key: str, what: str) -> str:
    value = given.get(key)
    if not isinstance(value, str):
        raise ImportFileError(f"{what} has no text “{key}”.")
    return value


def _assign(
    instance: models.Model, given: Mapping[str, Any], keys: Mapping[str, str], what: str
) -> None:
    """Set each field from its key, converted as the field reads values; the text cleaned as
    the forms clean it. A key left out or of the wrong kind is an ImportFileError."""
    for key, name in keys.items():
        if key not in given:
            raise ImportFileError(f"{what} lacks “{key}”.")
        # The keys name concrete fields, never relations.
        field = cast("models.Field[Any, Any]", instance._meta.get_field(name))
        value = given[key]
        if isinstance(field, models.BooleanField):
            if not isinstance(value, bool):
                raise ImportFileError(f"{what}: “{key}” is neither true nor false.")
        elif isinstance(field, models.CharField | models.TextField):
            if value is None and field.null:
                pass
            elif not isinstance(value, str):
                raise ImportFileError(f"{what}: “{key}” is not text.")
            elif isinstance(field, SingleLineField):
                value = single_line(value)
            elif isinstance(field, MultiLineField):
                value = multi_line(value)
        elif value is not None:
            if isinstance(value, bool) or not isinstance(value, str | int | Decimal):
                raise ImportFileError(f"{what}: “{key}” is not a value MotoVault reads.")
            if isinstance(field, models.IntegerField) and not isinstance(value, int):
                raise ImportFileError(f"{what}: “{key}” is not a whole number.")
            try:
                value = field.to_python(value)
            except ValidationError as error:
                raise ImportFileError(f"{what}: “{key}”: {error.messages[0]}") from None
            if isinstance(field, models.DateTimeField) and timezone.is_naive(value):
                raise ImportFileError(f"{what}: “{key}” has no time zone.")
        setattr(instance, name, value)


def _validate(
    instance: models.Model,
    what: str,
    *,
    exclude: Iterable[str] = (),
    constraints: bool = True,
) -> None:
    try:
        # Without constraints, without the uniqueness of the new random id either: each is a
        # query per object, and the database checks both when the rows are inserted.
        instance.full_clean(
            exclude=list(exclude), validate_unique=constraints, validate_constraints=constraints
        )
    except ValidationError as error:
        raise _invalid(what, error) from None


def _invalid(what: str, error: ValidationError) -> ImportFileError:
    if hasattr(error, "error_dict"):
        field, errors = next(iter(error.error_dict.items()))
        message = errors[0].messages[0]
        if field != "__all__":
            return ImportFileError(f"{what}: {field.replace('_', ' ')}: {message}")
        return ImportFileError(f"{what}: {message}")
    return ImportFileError(f"{what}: {error.messages[0]}")


def _check(what: str, rule: Callable[..., object], *args: Any) -> None:
    _checked(what, rule, *args)


def _checked[R](what: str, rule: Callable[..., R], *args: Any, **kwargs: Any) -> R:
    try:
        return rule(*args, **kwargs)
    except ValidationError as error:
        raise _invalid(what, error) from None


def _check_odometer_order(*kinds: tuple[str, list[Any]]) -> None:
    """vehicles.rules.check_odometer on all of a vehicle's records of these kinds at once (each
    kind named, "Fill-up", with its records numbered as in the archive): each reading above
    every one of an earlier day, below every one of a later day."""
    by_vehicle: dict[Any, list[tuple[str, Any]]] = defaultdict(list)
    for name, records in kinds:
        for number, record in enumerate(records, start=1):
            by_vehicle[record.vehicle_id].append((f"{name} {number}", record))
    for named in by_vehicle.values():
        named.sort(key=lambda pair: (pair[1].date, pair[1].odometer_reading))
        # The highest reading of the days before: the last of the day before, as each day's
        # readings are checked to be above all earlier days'.
        before: tuple[str, Any] | None = None
        last: tuple[str, Any] | None = None
        for what, record in named:
            if last is not None and last[1].date != record.date:
                before = last
            if before is not None and before[1].odometer_reading >= record.odometer_reading:
                earlier_what, earlier = before
                raise ImportFileError(
                    f"{what} of the archive: odometer: Must be more than "
                    f"{l10n.number(earlier.odometer_reading)}, the reading of "
                    f"{earlier_what[:1].lower()}{earlier_what[1:]} on {l10n.day(earlier.date)}."
                )
            last = (what, record)


def _bulk_create[M: models.Model](model: type[M], objects: list[M], name: str) -> int:
    """Save in batches. A database constraint the validation could not check cheaply (one
    query per object) stops it: the object that breaks it is found, and named."""
    for start in range(0, len(objects), CHUNK):
        batch = objects[start : start + CHUNK]
        try:
            with transaction.atomic():
                model._default_manager.bulk_create(batch)
        except IntegrityError:
            for number, instance in enumerate(batch, start=start + 1):
                try:
                    instance.validate_constraints()
                except ValidationError as error:
                    raise _invalid(f"{name} {number} of the archive", error) from None
            raise ImportFileError(
                f"A {name.lower()} of the archive breaks a rule of MotoVault's database."
            ) from None
    return len(objects)
