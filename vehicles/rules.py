"""What makes an odometer reading valid, and the one rule every record with a dated odometer
reading keeps: readings rise with the dates (`check_odometer`, which fill-ups follow too).
OdometerReading.clean_fields runs these, so any ModelForm and full_clean() check them all;
vehicles.services checks the vehicle and the order again inside the vehicle's lock.

Every function raises `ValidationError` keyed by form field, in the owner's number and date
format, with the vehicle's distance unit."""

import datetime
import uuid

from django.core.exceptions import ValidationError

from motovault import l10n
from motovault.units import DISTANCE_ABBREVIATIONS
from vehicles import readings
from vehicles.models import Vehicle, check_history_date, not_in_future


def check_date(date: datetime.date, vehicle: Vehicle | None) -> None:
    """A reading was taken today at the latest (where the owner is), and not before its
    vehicle's history can start (Vehicle.earliest_date)."""
    try:
        not_in_future(date)
        check_history_date(date, vehicle)
    except ValidationError as error:
        raise ValidationError({"date": error.messages}) from None


def check_vehicle(vehicle: Vehicle) -> None:
    """New readings go to vehicles that still exist (a deleted vehicle keeps its history)."""
    if vehicle.is_deleted:
        raise ValidationError(
            {"vehicle": "This vehicle is deleted; restore it to record its odometer."}
        )


def check_odometer(
    vehicle: Vehicle, date: datetime.date, reading: int, *, exclude_pk: uuid.UUID | None = None
) -> None:
    """The reading is above every reading of the vehicle dated before `date` and below every
    one dated after it, whatever kind of record holds it (an odometer reading, a fill-up:
    vehicles.readings.out_of_order). Readings of the same day may come in any order. An edit
    passes its record's id as `exclude_pk`, so that it is not compared with itself."""
    before, after = readings.out_of_order(vehicle.pk, date, reading, exclude_pk)
    unit = DISTANCE_ABBREVIATIONS[vehicle.distance_unit]
    if before is not None:
        raise ValidationError(
            {
                "odometer_reading": f"Must be more than {l10n.number(before.odometer)} "
                f"{unit}, {before.described}."
            }
        )
    if after is not None:
        raise ValidationError(
            {
                "odometer_reading": f"Must be less than {l10n.number(after.odometer)} "
                f"{unit}, {after.described}."
            }
        )
