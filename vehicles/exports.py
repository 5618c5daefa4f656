"""The odometer-readings CSV (/vehicles/<id>/odometer/export.csv, and the account archive's
copy): one row per reading, oldest first, in the columns of `COLUMNS`, streamed. Values are
written as motovault.spreadsheets says: ISO dates, odometers in the vehicle's own unit as
stored, the owner's text formula-safe."""

from collections.abc import Iterator

from django.contrib.auth.models import User

from motovault.spreadsheets import text
from vehicles.models import OdometerReading, Vehicle

COLUMNS = ("vehicle", "vin", "date", "odometer", "distance_unit", "notes")
# Rows fetched from the database at a time: memory stays flat however many readings.
CHUNK = 2000


def reading_rows(user: User, *, vehicle: Vehicle | None = None) -> Iterator[list[str]]:
    """The header, then the owner's readings (of `vehicle`) on their vehicles that are not
    deleted, by vehicle, oldest first. Two queries however many rows: the vehicles, then one
    streamed query of the readings."""
    yield list(COLUMNS)
    vehicles = Vehicle.objects.for_owner(user)
    if vehicle is not None:
        vehicles = vehicles.filter(pk=vehicle.pk)
    by_id = {found.pk: found for found in vehicles}
    if not by_id:
        return
    readings = (
        OdometerReading.objects.filter(user=user, vehicle_id__in=by_id)
        .order_by("vehicle_id", "date", "odometer_reading", "created_at")
        .values_list("vehicle_id", "date", "odometer_reading", "notes")
    )
    for vehicle_id, day, odometer, notes in readings.iterator(chunk_size=CHUNK):
        owner_vehicle = by_id[vehicle_id]
        yield [
            text(owner_vehicle.display_name),
            text(owner_vehicle.vin),
            day.isoformat(),
            str(odometer),
            owner_vehicle.distance_unit,
            text(notes),
        ]
