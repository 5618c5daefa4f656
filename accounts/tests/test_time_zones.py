"""Every owner's "today" is their own: the time zone they chose, or the browser's at sign-up."""

import datetime as dt
import zoneinfo

from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Preferences
from conftest import PASSWORD
from fuellogs.cache import stats_key
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from maintenance.upcoming import upcoming_cache_key

# Twenty-six hours apart: whatever the hour, "today" there is a later date than here.
AHEAD, BEHIND = "Etc/GMT-14", "Etc/GMT+12"


def today_in(name: str) -> dt.date:
    return timezone.now().astimezone(zoneinfo.ZoneInfo(name)).date()


def sign_in(client, user, time_zone: str) -> None:
    Preferences.objects.update_or_create(user=user, defaults={"time_zone": time_zone})
    client.force_login(user)


def preferences(time_zone: str) -> dict:
    """The account page's form: a time zone, and the other preferences as they were."""
    return {
        "locale": "en-US",
        "currency": "USD",
        "economy_unit": "mpg_us",
        "electric_economy_unit": "mi_kwh",
        "time_zone": time_zone,
    }


def fill_up(vehicle, date: dt.date) -> dict:
    return {
        "vehicle": str(vehicle.pk),
        "date": date.isoformat(),
        "odometer_reading": "42500",
        "gallons": "10",
        "price_per_gallon": "3.5",
        "is_full_tank": "on",
    }


def test_it_accepts_a_fill_up_dated_today_where_the_owner_is(client, owner, vehicle):
    sign_in(client, owner, AHEAD)
    response = client.post(reverse("fuellogs:add"), fill_up(vehicle, today_in(AHEAD)))
    assert response.status_code == 302
    assert FuelLog.objects.get().date == today_in(AHEAD)


def test_it_refuses_the_same_date_as_the_future_where_the_owner_is(client, owner, vehicle):
    sign_in(client, owner, BEHIND)
    response = client.post(reverse("fuellogs:add"), fill_up(vehicle, today_in(AHEAD)))
    assert "The date cannot be in the future." in response.content.decode()
    assert not FuelLog.objects.exists()


def test_it_refuses_a_service_done_tomorrow_where_the_owner_is_like_a_fill_up(
    client, owner, vehicle
):
    sign_in(client, owner, BEHIND)
    tomorrow = today_in(AHEAD).isoformat()
    added = client.post(
        reverse("maintenance:add"),
        {"vehicle": vehicle.pk, "type": "battery", "kind": "done", "completed_date": tomorrow},
    )
    record = MaintenanceRecord.objects.create(
        user=owner, vehicle=vehicle, type="battery", due_date=today_in(BEHIND)
    )
    completed = client.post(
        reverse("maintenance:complete", args=[record.pk]), {"completed_date": tomorrow}
    )
    for response in (added, completed):
        assert response.context["form"].errors["completed_date"] == [
            "The date cannot be in the future."
        ]
    record.refresh_from_db()
    assert not record.is_completed and MaintenanceRecord.objects.count() == 1


def test_it_saves_a_chosen_time_zone_and_uses_it_at_once(owner_client, owner):
    response = owner_client.post(reverse("account"), preferences(AHEAD))
    assert response.status_code == 302
    assert Preferences.objects.get(user=owner).time_zone == AHEAD
    assert owner_client.get("/").context["today"] == today_in(AHEAD)
    # Back to the server's own.
    owner_client.post(reverse("account"), preferences(""))
    assert owner_client.get("/").context["today"] == timezone.localdate()


def test_it_does_not_reuse_what_was_cached_for_the_old_today(client, owner, vehicle):
    sign_in(client, owner, BEHIND)
    client.get("/")  # caches the upcoming list and the vehicle's statistics
    assert cache.get(upcoming_cache_key(owner.pk))["day"] == today_in(BEHIND)
    assert cache.get(stats_key(vehicle.pk))["day"] == today_in(BEHIND)
    client.post(reverse("account"), preferences(AHEAD))
    assert client.get("/").context["today"] == today_in(AHEAD)
    # Both were computed again for the new day, two days later.
    assert cache.get(upcoming_cache_key(owner.pk))["day"] == today_in(AHEAD)
    assert cache.get(stats_key(vehicle.pk))["day"] == today_in(AHEAD)


def test_it_refuses_a_time_zone_it_does_not_know(owner_client, owner):
    response = owner_client.post(reverse("account"), preferences("Mars/Olympus_Mons"))
    assert response.status_code == 200
    assert "Select a valid choice." in response.content.decode()


def test_it_keeps_the_browsers_time_zone_from_sign_up(client, db):
    client.post(
        reverse("signup"),
        {"username": "carol", "password1": PASSWORD, "password2": PASSWORD, "time_zone": AHEAD},
    )
    assert Preferences.objects.get(user__username="carol").time_zone == AHEAD
    assert client.get("/").context["today"] == today_in(AHEAD)


def test_it_signs_up_with_a_browser_time_zone_it_does_not_know(client, db):
    response = client.post(
        reverse("signup"),
        {"username": "dave", "password1": PASSWORD, "password2": PASSWORD, "time_zone": "Nowhere"},
    )
    assert response.status_code == 302
    assert Preferences.objects.get(user__username="dave").time_zone == ""


def test_it_falls_back_to_the_servers_zone_for_one_this_machine_no_longer_knows(
    owner_client,
):
    session = owner_client.session
    session["time_zone"] = "Atlantis/Capital"
    session.save()
    response = owner_client.get("/")
    assert response.status_code == 200
    assert response.context["today"] == timezone.localdate()
