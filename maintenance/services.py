"""Maintenance writes that reach beyond one record: the vehicle's odometer, the next occurrence
of a recurring service, and the owner's cached upcoming list. Views and the admin call these."""

import datetime
from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from maintenance.models import MaintenanceRecord
from maintenance.upcoming import invalidate_upcoming
from vehicles.models import AlreadySaved


class AlreadyCompleted(Exception):
    """The record was marked complete before (possibly a moment ago, in another request)."""


def save_record(
    record: MaintenanceRecord, *, fields: Iterable[str] | None = None
) -> MaintenanceRecord | None:
    """Save a record the owner added or edited. A completed record without a mileage takes the
    vehicle's odometer; its mileage raises the odometer. A service logged as already done that
    recurs schedules its next occurrence in the same step, which is returned.

    An edit writes just `fields` when given (those of the owner's form), so that what another
    request changed meanwhile (a completion) stays.

    Race-free: writes to one vehicle's records go one at a time (Vehicle.lock). A vehicle
    deleted meanwhile raises ValidationError; an edit of a record deleted meanwhile raises
    MaintenanceRecord.DoesNotExist rather than bringing it back."""
    adding = record._state.adding
    with transaction.atomic():
        # The record's row lock first, then the vehicle's: every writer takes them in this order.
        if not adding and not MaintenanceRecord.objects.select_for_update().filter(pk=record.pk):
            raise MaintenanceRecord.DoesNotExist("The record was deleted in the meantime.")
        vehicle = record.vehicle
        vehicle.lock()
        if vehicle.is_deleted:
            raise ValidationError({"vehicle": "This vehicle is deleted; restore it first."})
        if record.is_completed and record.completed_mileage is None:
            record.completed_mileage = vehicle.odometer_reading
        record.save(update_fields=fields)
        next_record = None
        if record.is_completed and record.completed_mileage is not None:
            vehicle.raise_odometer(record.completed_mileage)
            if adding:
                next_record = _schedule_next(record)
    # After the commit, so that no request can cache the old list again in between.
    invalidate_upcoming(record.user_id)
    return next_record


def add_record(record: MaintenanceRecord) -> MaintenanceRecord | None:
    """Save a new record the owner submitted, as save_record does, unless the same submission
    was saved moments ago: then raise AlreadySaved with that record, and store nothing."""
    with transaction.atomic():
        record.vehicle.lock()
        if (earlier := MaintenanceRecord.objects.resubmissions_of(record).first()) is not None:
            raise AlreadySaved(earlier)
        return save_record(record)


def complete(
    record: MaintenanceRecord,
    *,
    date: datetime.date,
    mileage: int | None,
    cost: Decimal | None,
    location: str = "",
) -> MaintenanceRecord | None:
    """Mark a scheduled record done, raise the vehicle's odometer, and schedule the next
    occurrence of a recurring service (returned). Race-free: of two completions at once, the
    second waits for the first's row lock and then raises AlreadyCompleted, so one next record
    is scheduled, not two. A record deleted meanwhile raises MaintenanceRecord.DoesNotExist."""
    with transaction.atomic():
        locked = MaintenanceRecord.objects.select_for_update().get(pk=record.pk)
        if locked.is_completed:
            raise AlreadyCompleted
        vehicle = locked.vehicle
        vehicle.lock()
        locked.is_completed = True
        locked.completed_date = date
        locked.completed_mileage = vehicle.odometer_reading if mileage is None else mileage
        locked.cost = cost
        locked.service_location = location
        locked.save(
            update_fields=[
                "is_completed",
                "completed_date",
                "completed_mileage",
                "cost",
                "service_location",
            ]
        )
        vehicle.raise_odometer(locked.completed_mileage)
        next_record = _schedule_next(locked)
    invalidate_upcoming(locked.user_id)
    return next_record


def delete_record(record: MaintenanceRecord) -> None:
    record.delete()
    invalidate_upcoming(record.user_id)


def _schedule_next(record: MaintenanceRecord) -> MaintenanceRecord | None:
    next_record = record.build_next()
    if next_record is not None:
        next_record.save()
    return next_record
