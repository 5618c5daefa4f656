"""Writes that span a fuel log and its vehicle."""

from collections.abc import Iterable

from django.db import transaction

from fuellogs import rules
from fuellogs.cache import invalidate_vehicle_stats
from fuellogs.models import FuelLog
from vehicles.cache import invalidate_owner_caches
from vehicles.models import AlreadySaved


def save_fuel_log(log: FuelLog) -> FuelLog:
    """Save a validated log (its owner is the vehicle's: VehicleRecord.save), and move the
    vehicle's odometer up to the log's reading (never down), in one transaction. The vehicle
    invalidates its owner's caches; the statistics of the vehicle (and of the one the log moved
    from) are forgotten.

    Race-free: writes to one vehicle's logs go one at a time (Vehicle.lock), and the vehicle and
    odometer rules are checked again inside the lock, so a fill-up saved meanwhile by another
    request raises the form's ValidationError instead of breaking the odometer order. Saving an
    existing log that was deleted meanwhile raises FuelLog.DoesNotExist; it is not brought back.
    """
    vehicle = log.vehicle
    with transaction.atomic():
        previous_vehicle_id = None
        if not log._state.adding:
            # The log's row lock first, then the vehicle's: every writer takes them in this order.
            previous_vehicle_id = (
                FuelLog.objects.select_for_update()
                .filter(pk=log.pk)
                .values_list("vehicle_id", flat=True)
                .first()
            )
            if previous_vehicle_id is None:
                raise FuelLog.DoesNotExist("The fill-up was deleted in the meantime.")
        vehicle.lock()
        rules.check_vehicle(vehicle)
        rules.check_odometer(
            vehicle,
            log.date,
            log.odometer_reading,
            exclude_pk=None if log._state.adding else log.pk,
        )
        log.save()
        vehicle.raise_odometer(log.odometer_reading)
    invalidate_vehicle_stats(vehicle.pk, previous_vehicle_id)
    # A fill-up is an odometer reading: what was projected from driving (the upcoming
    # maintenance, under the owner's stamp) changes with it, even when the odometer does not.
    invalidate_owner_caches(vehicle.user_id)
    return log


def add_fuel_log(log: FuelLog) -> FuelLog:
    """Save a new fill-up the owner submitted, as save_fuel_log does, unless the same submission
    was saved moments ago: then raise AlreadySaved with that log, and store nothing."""
    with transaction.atomic():
        log.vehicle.lock()
        if (earlier := FuelLog.objects.resubmissions_of(log).first()) is not None:
            raise AlreadySaved(earlier)
        return save_fuel_log(log)


def delete_fuel_logs(logs: Iterable[FuelLog]) -> None:
    """Delete logs (a queryset or a list) and forget their vehicles' statistics."""
    logs = list(logs)
    FuelLog.objects.filter(pk__in=[log.pk for log in logs]).delete()
    invalidate_vehicle_stats(*{log.vehicle_id for log in logs})
    for user_id in {log.user_id for log in logs}:
        invalidate_owner_caches(user_id)


def clear_missed_previous(log: FuelLog) -> None:
    """Clear "missed the previous fill-up" on `log`, once the owner logged the fill-up that was
    missing: the segment it closes has an economy again, so the vehicle's statistics and what
    the owner's pages cached from them are forgotten."""
    log.missed_previous = False
    log.save(update_fields=["missed_previous"])
    invalidate_vehicle_stats(log.vehicle_id)
    invalidate_owner_caches(log.user_id)
