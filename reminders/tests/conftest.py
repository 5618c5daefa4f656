import datetime as dt

import pytest
from django.utils import timezone

from accounts.models import Preferences
from maintenance.models import MaintenanceRecord, MaintenanceType
from reminders.models import NotificationSettings


@pytest.fixture
def schedule(db):
    """Store a scheduled service directly: due in `days` days (negative: overdue) unless other
    fields say otherwise."""

    def make(vehicle, days=None, **fields):
        fields.setdefault("type", MaintenanceType.OIL_CHANGE)
        if days is not None:
            fields["due_date"] = timezone.localdate() + dt.timedelta(days=days)
        return MaintenanceRecord.objects.create(vehicle=vehicle, **fields)

    return make


@pytest.fixture
def living_in(db):
    """Give an owner a time zone and a digest hour."""

    def set_up(user, zone, hour=8):
        Preferences.objects.update_or_create(user=user, defaults={"time_zone": zone})
        NotificationSettings.objects.update_or_create(user=user, defaults={"digest_hour": hour})

    return set_up
