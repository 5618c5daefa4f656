"""Writes that span an odometer reading and its vehicle: the reading is checked against the
vehicle's other readings inside the vehicle's lock, and raises its odometer."""

from collections.abc import Iterable

from django.db import transaction

from vehicles import rules
from vehicles.cache import invalidate_owner_caches
from vehicles.models import AlreadySaved, OdometerReading


def save_reading(reading: OdometerReading) -> OdometerReading:
    """Save a validated reading and move the vehicle's odometer up to it (never down), in one
    transaction, then renew the owner's stamp: the upcoming maintenance and its projected dates
    (vehicles.readings) are computed again.

    Race-free: writes of one vehicle's readings and fill-ups go one at a time (Vehicle.lock),
    and the vehicle and the odometer order are checked again inside the lock, so a record saved
    meanwhile by another request raises the form's ValidationError instead of breaking the
    order. Saving a reading that was deleted meanwhile raises OdometerReading.DoesNotExist; it
    is not brought back."""
    vehicle = reading.vehicle
    adding = reading._state.adding
    with transaction.atomic():
        # The reading's row lock first, then the vehicle's: every writer takes them in this order.
        if not adding and not OdometerReading.objects.select_for_update().filter(pk=reading.pk):
            raise OdometerReading.DoesNotExist("The reading was deleted in the meantime.")
        vehicle.lock()
        rules.check_vehicle(vehicle)
        rules.check_odometer(
            vehicle,
            reading.date,
            reading.odometer_reading,
            exclude_pk=None if adding else reading.pk,
        )
        reading.save()
        vehicle.raise_odometer(reading.odometer_reading)
    # Even when the odometer does not move, the pace projected from the readings may.
    invalidate_owner_caches(vehicle.user_id)
    return reading


def add_reading(reading: OdometerReading) -> OdometerReading:
    """Save a new reading the owner submitted, as save_reading does, unless the same submission
    was saved moments ago: then raise AlreadySaved with that reading, and store nothing."""
    with transaction.atomic():
        reading.vehicle.lock()
        if (earlier := OdometerReading.objects.resubmissions_of(reading).first()) is not None:
            raise AlreadySaved(earlier)
        return save_reading(reading)


def delete_readings(readings: Iterable[OdometerReading]) -> None:
    """Delete readings (a queryset or a list). Their vehicles' odometers stay where they are (a
    later reading, or the owner's edit, may have set them); what was projected from the
    readings is forgotten."""
    readings = list(readings)
    OdometerReading.objects.filter(pk__in=[reading.pk for reading in readings]).delete()
    for user_id in {reading.user_id for reading in readings}:
        invalidate_owner_caches(user_id)
