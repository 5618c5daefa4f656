"""The costs CSV (/costs/export.csv, and the account archive's copy): one row per cost, newest
first as the /costs/ list shows them, in the columns of `COLUMNS`, streamed.

`category` is the category's code (insurance, registration, other...), `title` what the owner
wrote, `repeat_months` the months after which it comes back (empty when it does not). The
odometer is in the vehicle's `distance_unit`; values are written as motovault.spreadsheets
says."""

from collections.abc import Iterator

from costs.models import Cost, CostQuerySet
from motovault.spreadsheets import number, text

COLUMNS = (
    "vehicle", "vin", "date", "category", "title", "amount", "currency", "odometer",
    "distance_unit", "repeat_months", "notes",
)  # fmt: skip
# Rows fetched from the database at a time: memory stays flat however many costs.
CHUNK = 2000


def rows(costs: CostQuerySet, *, currency: str) -> Iterator[list[str]]:
    """The header, then each of `costs` (already filtered), in the list's order. One streamed
    query."""
    yield list(COLUMNS)
    for cost in costs.select_related("vehicle").iterator(chunk_size=CHUNK):
        yield _row(cost, currency)


def _row(cost: Cost, currency: str) -> list[str]:
    vehicle = cost.vehicle
    return [
        text(vehicle.display_name),
        text(vehicle.vin),
        cost.date.isoformat(),
        cost.category,
        text(cost.title),
        number(cost.amount),
        currency,
        number(cost.odometer_reading),
        vehicle.distance_unit,
        number(cost.repeat_months),
        text(cost.notes),
    ]
