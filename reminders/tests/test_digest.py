import datetime as dt
import re
import threading
import time
from io import StringIO

import pytest
import responses
from django.core import mail
from django.core.management import call_command
from django.db import connection

from maintenance.models import MaintenanceType
from maintenance.services import save_record
from recalls.models import Campaign, VehicleRecall
from reminders.digest import send_due_digests
from reminders.models import Delivery, Digest, NotificationSettings, NotifiedItem, PushURL

# 14:30 UTC: 23:30 in Tokyo, 06:30 in Los Angeles.
MOMENT = dt.datetime(2026, 11, 30, 14, 30, tzinfo=dt.UTC)


def test_it_sends_at_each_owners_own_hour(owner, other_user, make_vehicle, schedule, living_in):
    living_in(owner, "Asia/Tokyo", hour=8)
    living_in(other_user, "America/Los_Angeles", hour=8)
    schedule(make_vehicle(owner, nickname="Commuter"), days=-3)
    schedule(make_vehicle(other_user, nickname="Van"), days=-3)

    send_due_digests(now=MOMENT)

    assert [message.to for message in mail.outbox] == [["alice@example.com"]]
    assert Digest.objects.get().day == dt.date(2026, 11, 30)  # Tokyo's date
    # Two hours later it is 08:30 in Los Angeles, on the 30th there too.
    send_due_digests(now=MOMENT + dt.timedelta(hours=2))
    assert [message.to for message in mail.outbox] == [["alice@example.com"], ["bob@example.com"]]
    assert set(Digest.objects.values_list("user__username", "day")) == {
        ("alice", dt.date(2026, 11, 30)),
        ("bob", dt.date(2026, 11, 30)),
    }


def test_it_lists_the_vehicle_item_reason_and_link_in_both_parts(
    owner, make_vehicle, schedule, living_in, settings
):
    settings.SITE_URL = "https://motovault.example.com"
    living_in(owner, "UTC", hour=0)
    commuter = make_vehicle(owner, nickname="Commuter", odometer_reading=50_412)
    record = schedule(commuter, due_mileage=50_000)

    send_due_digests()

    (message,) = mail.outbox
    link = f"https://motovault.example.com/maintenance/{record.pk}/edit/"
    assert message.subject == "MotoVault: 1 maintenance reminder, 1 overdue"
    assert "Oil change · Commuter: 412 miles over" in message.body
    assert link in message.body
    html, mimetype = message.alternatives[0]
    assert mimetype == "text/html"
    assert f'<a href="{link}"><strong>Oil change</strong> · Commuter</a>: 412 miles over' in html


def test_it_sends_nothing_when_nothing_is_new(owner, vehicle, schedule, living_in):
    living_in(owner, "UTC", hour=0)
    schedule(vehicle, days=200)  # scheduled, not due soon

    out = StringIO()
    call_command("send_reminders", stdout=out)

    assert mail.outbox == []
    assert out.getvalue() == "Sent 0 digest(s).\n"


def test_it_repeats_an_overdue_item_weekly_not_daily(owner, vehicle, schedule, living_in):
    living_in(owner, "UTC", hour=0)
    schedule(vehicle, days=-10)
    first = dt.datetime.now(dt.UTC)

    for day in range(8):
        send_due_digests(now=first + dt.timedelta(days=day))

    assert len(mail.outbox) == 2  # day 0, and day 7
    assert sorted(Digest.objects.exclude(items=[]).values_list("day", flat=True)) == [
        first.date(),
        first.date() + dt.timedelta(days=7),
    ]


def test_it_announces_an_item_that_becomes_overdue_after_due_soon(
    owner, vehicle, schedule, living_in
):
    living_in(owner, "UTC", hour=0)
    record = schedule(vehicle, days=5)
    now = dt.datetime.now(dt.UTC)
    send_due_digests(now=now)
    send_due_digests(now=now + dt.timedelta(days=1))
    assert len(mail.outbox) == 1
    assert "due in 5 days" in mail.outbox[0].body

    record.due_date = record.due_date - dt.timedelta(days=30)
    save_record(record)  # as the edit page does: the upcoming list is recomputed
    send_due_digests(now=now + dt.timedelta(days=2))

    assert len(mail.outbox) == 2
    assert "25 days overdue" in mail.outbox[1].body
    assert NotifiedItem.objects.get().status == "overdue"


def test_it_sends_once_however_often_it_runs(owner, vehicle, schedule, living_in):
    living_in(owner, "UTC", hour=0)
    schedule(vehicle, days=-1)

    for _ in range(3):
        call_command("send_reminders", stdout=StringIO())

    assert len(mail.outbox) == 1
    assert Delivery.objects.get().channel == "email"


def test_it_shows_a_dry_run_and_sends_nothing(owner, vehicle, schedule, living_in):
    living_in(owner, "UTC", hour=0)
    schedule(vehicle, type=MaintenanceType.TIRE_ROTATION, days=-2)

    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)

    assert out.getvalue() == (
        "alice: 1 item(s); via e-mail\n"
        "  - Tire rotation · Daily driver: 2 days overdue\n"
        "Would send 1 digest(s).\n"
    )
    assert mail.outbox == []
    assert not Digest.objects.exists()


@responses.activate
def test_it_retries_a_failing_channel_next_run_without_stopping_others(
    owner, other_user, make_vehicle, schedule, living_in, caplog
):
    for user in (owner, other_user):
        living_in(user, "UTC", hour=0)
        schedule(make_vehicle(user), days=-1)
    hook = "json://93.184.215.14/hook"
    PushURL.objects.create(user=owner, url=hook)
    responses.post("http://93.184.215.14/hook", status=500)

    out = StringIO()
    call_command("send_reminders", stdout=out)

    assert "alice: 1 item(s); via e-mail; failed: push URL #" in out.getvalue()
    assert "bob: 1 item(s); via e-mail" in out.getvalue()
    assert len(mail.outbox) == 2
    assert "93.184.215.14" not in caplog.text  # what failed is logged, never the URL
    assert "The push reminder of owner" in caplog.text

    responses.replace(responses.POST, "http://93.184.215.14/hook", status=200)
    call_command("send_reminders", stdout=StringIO())

    assert len(mail.outbox) == 2  # the e-mails are not sent again
    assert len(responses.calls) == 2
    assert set(Delivery.objects.filter(digest__user=owner).values_list("channel", flat=True)) == {
        "email",
        f"push:{PushURL.objects.get().pk}",
    }


def test_it_sends_no_email_to_an_account_without_an_address(owner, vehicle, schedule, living_in):
    owner.email = ""
    owner.save()
    living_in(owner, "UTC", hour=0)
    schedule(vehicle, days=-1)

    send_due_digests()

    assert mail.outbox == []
    assert not Digest.objects.exists()  # nothing decided: an address added later gets it all


@pytest.mark.django_db(transaction=True)
def test_two_runs_at_once_send_each_message_once(owner, other_user, make_vehicle, schedule, caplog):
    if connection.vendor != "postgresql":
        pytest.skip("SQLite has no row locks: two runs at once are a PostgreSQL matter")
    users = [owner, other_user]
    for user in users:
        schedule(make_vehicle(user), days=-1)
        NotificationSettings.objects.create(user=user, digest_hour=0)
        PushURL.objects.create(user=user, url=f"json://93.184.215.14/{user.username}")

    def slow(request):
        time.sleep(0.3)  # each owner's turn holds their row lock a while
        return (200, {}, "")

    barrier = threading.Barrier(2)
    outcomes, errors = [], []

    def run():
        try:
            barrier.wait()
            outcomes.extend(send_due_digests())
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    with responses.RequestsMock() as mock:
        mock.add_callback(responses.POST, re.compile(r"http://93\.184\.215\.14/.*"), slow)
        threads = [threading.Thread(target=run) for _ in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        pushed = sorted(call.request.url for call in mock.calls)

    assert errors == []
    assert "failed" not in caplog.text
    assert sorted(outcome.username for outcome in outcomes) == ["alice", "bob"]
    assert sorted(message.to[0] for message in mail.outbox) == [
        "alice@example.com",
        "bob@example.com",
    ]
    assert pushed == ["http://93.184.215.14/alice", "http://93.184.215.14/bob"]
    assert Digest.objects.count() == 2
    assert Delivery.objects.count() == 4


def test_it_lists_a_new_safety_recall_once(owner, make_vehicle, living_in):
    living_in(owner, "UTC", hour=0)
    accord = make_vehicle(owner, nickname="Accord", make="HONDA", model="ACCORD", year=2003)
    campaign = Campaign.objects.create(
        make="HONDA",
        model="ACCORD",
        model_year=2003,
        campaign_number="03V123000",
        component="AIR BAGS",
        consequence="The inflator may rupture.",
        park_it=True,
    )
    VehicleRecall.objects.create(vehicle=accord, campaign=campaign)

    send_due_digests()

    (message,) = mail.outbox
    assert message.subject == "MotoVault: 1 safety recall"
    assert (
        "Safety recall 03V123000 (Air Bags) · Accord: Park it: do not drive this vehicle until "
        "it is repaired." in message.body
    )
    # The next day: nothing new, no message.
    send_due_digests(now=dt.datetime.now(dt.UTC) + dt.timedelta(days=1))
    assert len(mail.outbox) == 1
