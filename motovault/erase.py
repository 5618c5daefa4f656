"""Deleting an account: a write that spans the owner's rows in every app, so it is composed
here rather than in the accounts app."""

from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.utils import timezone

from costs.models import Cost
from fuellogs.cache import invalidate_vehicle_stats
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from maintenance.upcoming import invalidate_upcoming
from stations.models import FavoriteStation, Station
from vehicles.cache import invalidate_owner_caches
from vehicles.models import OdometerReading, Vehicle


@transaction.atomic
def delete_account(user: User) -> None:
    """Delete the owner and every row they have, all or nothing: fuel logs, maintenance,
    odometer readings, other costs, vehicles (deleted ones too), favorite stations and their own
    stations, preferences, their sessions on every device and their sign-in records. The shared
    stations they saved stay for everyone else."""
    user_id, username = user.pk, user.get_username()
    vehicle_ids = list(Vehicle.objects.filter(user=user).values_list("pk", flat=True))
    # Children first, in one statement each: deleting the user alone would make Django load
    # every fill-up to check the vehicles' RESTRICT.
    FuelLog.objects.filter(user=user).delete()
    MaintenanceRecord.objects.filter(user=user).delete()
    OdometerReading.objects.filter(user=user).delete()
    Cost.objects.filter(user=user).delete()
    FavoriteStation.objects.filter(user=user).delete()
    Station.objects.filter(owner=user).delete()
    Vehicle.objects.filter(user=user).delete()
    user.delete()  # and with it, by cascade, the preferences
    for model in (AccessAttempt, AccessFailureLog, AccessLog):
        model.objects.filter(username=username).delete()
    # Sessions are not stored by user: the live ones are read to find the owner's.
    mine = [
        session.pk
        for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator()
        if session.get_decoded().get("_auth_user_id") == str(user_id)
    ]
    Session.objects.filter(pk__in=mine).delete()
    # Ids are not given again, but nothing of the owner's should linger until it expires.
    invalidate_owner_caches(user_id)
    invalidate_vehicle_stats(*vehicle_ids)
    invalidate_upcoming(user_id)
