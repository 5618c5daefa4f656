"""A repeating cost comes due again (costs.renewals), derived from the latest payment of its
series, and reaches the owner where every reminder does: the upcoming page, the dashboard, the
digest and the calendar feed. Dates are worked by hand across month ends."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from costs.models import Cost
from maintenance.models import MaintenanceRecord
from maintenance.upcoming import upcoming_for
from reminders import calendar
from reminders.items import items_for, owner_context
from reminders.models import NotificationSettings


@pytest.fixture
def on_day(monkeypatch):
    """Make it noon of `day` (UTC, the site's zone in tests), for every timezone.now()."""

    def travel(day: str) -> None:
        moment = dt.datetime.fromisoformat(f"{day}T12:00:00+00:00")
        monkeypatch.setattr(timezone, "now", lambda: moment)

    return travel


def pay(client, vehicle, day: str, **fields):
    """Record a payment through the form, as an owner does."""
    data = {
        "vehicle": str(vehicle.pk),
        "category": "insurance",
        "title": "",
        "date": day,
        "amount": "612.40",
        "odometer_reading": "",
        "repeat_months": "1",
        "notes": "",
        **fields,
    }
    response = client.post(reverse("costs:add"), data)
    assert response.status_code == 302, response.content.decode()
    return Cost.objects.get(
        vehicle=vehicle, date=day, category=data["category"], title=data["title"]
    )


def renewals(user):
    return [
        (item["title"], item["due_date"], item["status"], item["reason"])
        for item in upcoming_for(user)
        if item["kind"] == "renewal"
    ]


def test_a_monthly_cost_of_the_31st_is_due_on_the_last_day_of_february(
    owner, owner_client, vehicle, on_day
):
    on_day("2026-01-31")
    pay(owner_client, vehicle, "2026-01-31")

    on_day("2026-02-20")
    assert renewals(owner) == [
        ("Insurance renewal", dt.date(2026, 2, 28), "due_soon", "due in 8 days")
    ]
    on_day("2026-03-05")
    assert renewals(owner) == [
        ("Insurance renewal", dt.date(2026, 2, 28), "overdue", "5 days overdue")
    ]


def test_recording_the_next_payment_moves_the_reminder_and_deleting_it_brings_it_back(
    owner, owner_client, vehicle, on_day
):
    on_day("2026-01-31")
    pay(owner_client, vehicle, "2026-01-31")
    on_day("2026-02-27")
    assert renewals(owner)[0][1] == dt.date(2026, 2, 28)

    # Paid a day early: the next one is a month after this payment, the 27th of March.
    paid = pay(owner_client, vehicle, "2026-02-27")
    assert renewals(owner) == [
        ("Insurance renewal", dt.date(2026, 3, 27), "due_soon", "due in 28 days")
    ]

    owner_client.post(reverse("costs:delete", args=[paid.pk]))
    assert renewals(owner) == [
        ("Insurance renewal", dt.date(2026, 2, 28), "due_soon", "due tomorrow")
    ]


def test_a_yearly_cost_of_a_leap_day_is_due_on_the_28th(owner, owner_client, vehicle, on_day):
    on_day("2024-02-29")
    pay(owner_client, vehicle, "2024-02-29", repeat_months="12", category="registration")
    on_day("2025-02-01")
    assert renewals(owner) == [
        ("Registration and tax renewal", dt.date(2025, 2, 28), "due_soon", "due in 27 days")
    ]


def test_it_lists_no_renewal_far_ahead_nor_one_the_owner_stopped(
    owner, owner_client, vehicle, on_day
):
    on_day("2026-03-01")
    pay(owner_client, vehicle, "2026-03-01", repeat_months="12")
    assert renewals(owner) == []  # a year ahead: scheduled, not due soon

    # The last registration does not repeat: the owner sold the plates, nothing is due.
    on_day("2026-04-01")
    pay(owner_client, vehicle, "2025-04-15", category="registration", repeat_months="12")
    pay(owner_client, vehicle, "2026-03-20", category="registration", repeat_months="")
    assert renewals(owner) == []


def test_a_series_is_a_vehicle_category_and_title(
    owner, owner_client, vehicle, make_vehicle, on_day
):
    van = make_vehicle(owner, nickname="Van")
    on_day("2026-01-10")
    pay(owner_client, vehicle, "2026-01-10", title="Allianz")
    pay(owner_client, van, "2026-01-10", title="Allianz")
    pay(owner_client, vehicle, "2026-01-10", category="parking", title="Permit")
    # The Golf's Allianz is paid again; the van's and the permit are not.
    on_day("2026-02-15")
    pay(owner_client, vehicle, "2026-02-09", title="Allianz", repeat_months="3")

    assert {(item["vehicle_name"], item["title"]) for item in upcoming_for(owner)} == {
        ("Van", "Allianz renewal"),
        ("Daily driver", "Permit renewal"),
    }


def test_it_leaves_out_inactive_and_deleted_vehicles(owner, vehicle, make_vehicle, make_cost):
    sold = make_vehicle(owner, nickname="Sold", is_active=False)
    gone = make_vehicle(owner, nickname="Gone")
    day = timezone.localdate() - dt.timedelta(days=360)
    for car in (sold, gone):
        make_cost(car, day, repeat_months=12)
    gone.soft_delete()
    assert upcoming_for(owner) == []


def test_renewals_and_services_share_one_order_most_urgent_first(owner, vehicle, make_cost, on_day):
    on_day("2026-06-15")
    MaintenanceRecord.objects.create(
        vehicle=vehicle, type="oil_change", due_date=dt.date(2026, 6, 25)
    )
    MaintenanceRecord.objects.create(
        vehicle=vehicle, type="inspection", due_date=dt.date(2026, 6, 10)
    )
    make_cost(vehicle, "2025-06-20", repeat_months=12)

    assert [(item["kind"], item["title"], item["status"]) for item in upcoming_for(owner)] == [
        ("service", "Inspection", "overdue"),
        ("renewal", "Insurance renewal", "due_soon"),
        ("service", "Oil change", "due_soon"),
    ]


def test_the_upcoming_page_offers_to_record_the_payment(owner_client, vehicle, make_cost, on_day):
    on_day("2026-06-15")  # a fixed day: a year with Feb 29 would make it due in 11 days
    paid = make_cost(
        vehicle,
        "2025-06-25",
        title="Allianz & Co",
        amount=Decimal("612.40"),
        repeat_months=12,
    )

    page = owner_client.get(reverse("maintenance:upcoming")).content.decode()

    assert "Allianz &amp; Co renewal" in page and "due in 10 days" in page
    url = (
        f"/costs/add/?vehicle={vehicle.pk}&amp;category=insurance&amp;title=Allianz+%26+Co"
        f"&amp;amount=612.40&amp;repeat_months=12&amp;next=/maintenance/upcoming/"
    )
    assert f'href="{url}"' in page and "Record payment" in page
    # The form it opens is filled in for the next payment, dated today.
    form = owner_client.get(url.replace("&amp;", "&")).context["form"]
    assert form["vehicle"].value() == str(vehicle.pk) and form["title"].value() == "Allianz & Co"
    assert form["amount"].value() == "612.40" == str(paid.amount)
    assert form["date"].value() == timezone.localdate()


def test_the_dashboard_shows_a_renewal(owner_client, vehicle, make_cost, on_day):
    on_day("2026-06-15")
    make_cost(vehicle, "2025-06-25", repeat_months=12)
    page = owner_client.get(reverse("dashboard")).content.decode()
    assert "Insurance renewal" in page and "Due in 10 days" in page


def test_the_digest_lists_a_renewal_linking_to_its_payment(
    owner, vehicle, make_cost, settings, on_day
):
    settings.SITE_URL = "https://motovault.example.com"
    on_day("2026-06-15")
    paid = make_cost(vehicle, "2025-06-10", repeat_months=12)

    with owner_context(None):
        (item,) = items_for(owner)

    assert (item.key, item.title, item.status) == (
        f"renewal:{paid.pk}",
        "Insurance renewal",
        "overdue",
    )
    assert item.reason == "5 days overdue"
    assert item.url.startswith("https://motovault.example.com/costs/add/?vehicle=")


def test_the_calendar_feed_has_every_pending_renewal_and_follows_payments(
    client, owner, owner_client, vehicle, on_day, settings
):
    settings.SITE_URL = "https://motovault.example.com"
    on_day("2026-01-31")
    first = pay(owner_client, vehicle, "2026-01-31", repeat_months="12")
    token = NotificationSettings.objects.get_or_create(user=owner)[0].calendar_token
    path = reverse("reminders:calendar", kwargs={"token": token})

    (event,) = Calendar.from_ical(client.get(path).content).walk("VEVENT")
    assert str(event["SUMMARY"]) == "Insurance renewal · Daily driver"
    assert event.decoded("DTSTART") == dt.date(2027, 1, 31)
    assert str(event["UID"]) == f"renewal-{first.pk}@motovault.example.com"
    assert str(event["DESCRIPTION"]) == "due in 365 days"

    # A payment made later the same day is in the next answer (the cache's fingerprint).
    pay(owner_client, vehicle, "2026-01-30", title="Other policy", repeat_months="1")
    days = sorted(
        event.decoded("DTSTART")
        for event in Calendar.from_ical(client.get(path).content).walk("VEVENT")
    )
    assert days == [dt.date(2026, 2, 28), dt.date(2027, 1, 31)]


def test_the_calendar_reads_renewals_in_one_query_each(
    owner, vehicle, make_cost, django_assert_num_queries
):
    for n in range(30):
        day = dt.date(2026, 1, 1) + dt.timedelta(days=n)
        make_cost(vehicle, day, title=f"P{n}", repeat_months=3)
    # The services, the readings, the renewals.
    with django_assert_num_queries(3):
        entries = calendar.calendar_entries(owner, timezone.localdate())
    assert len(entries) == 30
