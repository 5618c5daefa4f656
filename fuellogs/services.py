"""Writes that span a fuel log and its vehicle."""

from django.db import transaction

from fuellogs.cache import invalidate_vehicle_stats
from fuellogs.models import FuelLog


def save_fuel_log(log: FuelLog) -> FuelLog:
    """Save a validated log as its vehicle's owner's, and move the vehicle's odometer up to the
    log's reading (never down), in one transaction. The vehicle invalidates its owner's caches;
    the statistics of the vehicle (and of the one the log moved from) are forgotten."""
    vehicle = log.vehicle
    log.user_id = vehicle.user_id
    previous_vehicle_id = (
        None
        if log._state.adding
        else FuelLog.objects.filter(pk=log.pk).values_list("vehicle_id", flat=True).first()
    )
    with transaction.atomic():
        log.save()
        vehicle.raise_odometer(log.odometer_reading)
    invalidate_vehicle_stats(vehicle.pk, previous_vehicle_id)
    return log


def delete_fuel_logs(logs) -> None:
    """Delete logs (a queryset or a list) and forget their vehicles' statistics."""
    logs = list(logs)
    FuelLog.objects.filter(pk__in=[log.pk for log in logs]).delete()
    invalidate_vehicle_stats(*{log.vehicle_id for log in logs})
