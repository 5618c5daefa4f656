"""Cost writes that reach beyond one row: the vehicle's odometer, the readings the projection
uses, and the owner's cached upcoming list (a repeating cost's renewal). Views, the admin and
the archive's restore call these."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction

from costs.models import Cost
from maintenance.upcoming import invalidate_upcoming
from vehicles.cache import invalidate_owner_caches
from vehicles.models import AlreadySaved


def save_cost(cost: Cost, *, fields: Iterable[str] | None = None) -> Cost:
    """Save a cost the owner added or edited (just `fields` for an edit, when given); an
    odometer reading raises the vehicle's odometer.

    Race-free: writes to one vehicle's records go one at a time (Vehicle.lock). A vehicle
    deleted meanwhile raises ValidationError; an edit of a cost deleted meanwhile raises
    Cost.DoesNotExist rather than bringing it back."""
    adding = cost._state.adding
    with transaction.atomic():
        # The cost's row lock first, then the vehicle's: every writer takes them in this order.
        was_reading = False
        if not adding:
            stored = list(
                Cost.objects.select_for_update()
                .filter(pk=cost.pk)
                .values_list("odometer_reading", flat=True)
            )
            if not stored:
                raise Cost.DoesNotExist("The cost was deleted in the meantime.")
            was_reading = stored[0] is not None
        vehicle = cost.vehicle
        vehicle.lock()
        if vehicle.is_deleted:
            raise ValidationError({"vehicle": "This vehicle is deleted; restore it first."})
        cost.save(update_fields=fields)
        if cost.odometer_reading is not None:
            vehicle.raise_odometer(cost.odometer_reading)
    _forget(cost, was_reading=was_reading)
    return cost


def add_cost(cost: Cost) -> Cost:
    """Save a new cost the owner submitted, as save_cost does, unless the same submission was
    saved moments ago: then raise AlreadySaved with that cost, and store nothing."""
    with transaction.atomic():
        cost.vehicle.lock()
        if (earlier := Cost.objects.resubmissions_of(cost).first()) is not None:
            raise AlreadySaved(earlier)
        return save_cost(cost)


def delete_cost(cost: Cost) -> None:
    """Delete a cost; its attachments' files go once this commits (attachments.models)."""
    cost.delete()
    _forget(cost, was_reading=False)


def _forget(cost: Cost, *, was_reading: bool) -> None:
    # A repeating cost's renewal is in the upcoming list, whatever else changed.
    invalidate_upcoming(cost.user_id)
    if was_reading or cost.odometer_reading is not None:
        # An odometer reading: what was projected from driving (the upcoming maintenance,
        # under the owner's stamp) changes with it, even when the odometer does not.
        invalidate_owner_caches(cost.user_id)
