"""The maintenance CSV (/maintenance/export.csv, and the account archive's copy): one row per
record, in the list's order, in the columns of `COLUMNS`, streamed.

`type` is the service's code (oil_change, other...), `title` what the owner wrote about it (its
description), or the type's name without one; `status` is MaintenanceRecord.due's (completed,
overdue, due_soon, scheduled). Odometer readings and the interval distance are in the vehicle's
`distance_unit`; values are written as motovault.spreadsheets says. imports.formats.generic
reads this layout back.
"""

import datetime
import uuid
from collections.abc import Iterator

from maintenance.models import MaintenanceQuerySet, MaintenanceRecord, attach_driving
from motovault import l10n
from motovault.spreadsheets import number, text
from vehicles import readings

COLUMNS = (
    "vehicle", "vin", "type", "title", "status", "due_date", "due_odometer", "completed_date",
    "completed_odometer", "distance_unit", "cost", "currency", "service_location",
    "interval_months", "interval_distance", "notes",
)  # fmt: skip
# Rows fetched from the database at a time: memory stays flat however many records.
CHUNK = 2000


def rows(
    records: MaintenanceQuerySet,
    *,
    today: datetime.date,
    regional: l10n.Regional,
    spans: dict[uuid.UUID, readings.Span],
) -> Iterator[list[str]]:
    """The header, then each of `records` (already filtered and ordered), with its status on
    `today`, projected from the owner's driving (`spans`: projection.spans_for). One streamed
    query."""
    yield list(COLUMNS)
    for record in records.select_related("vehicle").iterator(chunk_size=CHUNK):
        attach_driving([record], spans, today)
        yield _row(record, today, regional)


def _row(record: MaintenanceRecord, today: datetime.date, regional: l10n.Regional) -> list[str]:
    vehicle = record.vehicle
    return [
        text(vehicle.display_name),
        text(vehicle.vin),
        record.type,
        text(record.description or record.get_type_display()),
        record.due(today).status,
        _day(record.due_date),
        number(record.due_mileage),
        _day(record.completed_date),
        number(record.completed_mileage),
        vehicle.distance_unit,
        number(record.cost),
        regional.currency,
        text(record.service_location),
        number(record.interval_months),
        number(record.interval_miles),
        text(record.notes),
    ]


def _day(value: datetime.date | None) -> str:
    return value.isoformat() if value else ""
