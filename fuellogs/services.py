"""Writes that span a fuel log and its vehicle."""

from collections.abc import Iterable

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import QuerySet

from fuellogs import rules
from fuellogs.cache import invalidate_vehicle_stats
from fuellogs.models import FuelLog
from stations.linking import name_key, station_named, stations_named
from stations.models import Station
from vehicles import rules as vehicle_rules
from vehicles.cache import invalidate_owner_caches
from vehicles.models import AlreadySaved


def save_fuel_log(log: FuelLog) -> FuelLog:
    """Save a validated log (its owner is the vehicle's: VehicleRecord.save), and move the
    vehicle's odometer up to the log's reading (never down), in one transaction; the log is
    linked to the owner's station its station name names (stations.linking). The vehicle
    invalidates its owner's caches; the statistics of the vehicle (and of the one the log moved
    from) are forgotten.

    Race-free: writes to one vehicle's logs go one at a time (Vehicle.lock), and the vehicle and
    odometer rules are checked again inside the lock, so a fill-up saved meanwhile by another
    request raises the form's ValidationError instead of breaking the odometer order. Saving an
    existing log that was deleted meanwhile raises FuelLog.DoesNotExist; it is not brought back.
    """
    vehicle = log.vehicle
    with transaction.atomic():
        previous_vehicle_id, previous_station_id, same_owners_name = None, None, False
        if not log._state.adding:
            # The log's row lock first, then the vehicle's: every writer takes them in this order.
            previous = (
                FuelLog.objects.select_for_update()
                .filter(pk=log.pk)
                .values_list("vehicle_id", "user_id", "station_name", "station_id")
                .first()
            )
            if previous is None:
                raise FuelLog.DoesNotExist("The fill-up was deleted in the meantime.")
            previous_vehicle_id, previous_user_id, previous_name, previous_station_id = previous
            # Staff may move a fill-up to another owner's vehicle: the first owner's station
            # is none of the new owner's.
            same_owners_name = previous_user_id == vehicle.user_id and name_key(
                log.station_name
            ) == name_key(previous_name)
        vehicle.lock()
        rules.check_vehicle(vehicle)
        vehicle_rules.check_odometer(
            vehicle,
            log.date,
            log.odometer_reading,
            exclude_pk=None if log._state.adding else log.pk,
        )
        # The same owner's same name keeps its station (which the owner may have renamed
        # since), or no station once the owner deleted it (SET_NULL): the fill-up keeps only
        # its name, as the stations page promises, instead of bringing the station back. A new
        # fill-up, another name or another owner is linked to the owner's station of that name.
        keep = same_owners_name and (
            previous_station_id is None
            or Station.objects.visible_to(vehicle.user).filter(pk=previous_station_id).exists()
        )
        log.station_id = (
            previous_station_id if keep else station_named(vehicle.user_id, log.station_name)
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


def link_stations(user: User, logs: "QuerySet[FuelLog]") -> None:
    """Link the owner's fill-ups among `logs` that name a station and are not linked yet to
    their station of that name (stations.linking), creating the stations they lack: what
    imports and restores do after saving in bulk. One UPDATE per distinct name; the names are
    read, not the fill-ups."""
    unlinked = logs.filter(user=user, station__isnull=True).exclude(station_name="")
    names = list(unlinked.order_by().values_list("station_name", flat=True).distinct())
    spellings: dict[str, list[str]] = {}
    for name in names:
        spellings.setdefault(name_key(name), []).append(name)
    for key, station_id in stations_named(user.pk, names).items():
        unlinked.filter(station_name__in=spellings[key]).update(station_id=station_id)


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
