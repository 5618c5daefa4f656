"""Writes that span a fuel log and its vehicle."""

from django.db import transaction

from fuellogs.models import FuelLog


def save_fuel_log(log: FuelLog) -> FuelLog:
    """Save a validated log as its vehicle's owner's, and move the vehicle's odometer up to the
    log's reading (never down), in one transaction. The vehicle invalidates its owner's caches."""
    vehicle = log.vehicle
    log.user_id = vehicle.user_id
    with transaction.atomic():
        log.save()
        vehicle.raise_odometer(log.odometer_reading)
    return log
