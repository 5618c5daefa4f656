import datetime as dt
from decimal import Decimal

import pytest
import responses
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from fuellogs.models import FuelLog
from fuellogs.services import save_fuel_log
from maintenance.models import MaintenanceRecord
from maintenance.services import save_record
from motovault.erase import delete_account
from reminders import calendar as feed
from reminders.digest import send_due_digests, unsubscribe_token
from reminders.models import Digest, NotificationSettings, NotifiedItem, PushURL

PAGE = "/accounts/notifications/"


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# Notification preferences


def test_it_links_the_notifications_page_from_the_account_page(owner_client):
    response = owner_client.get("/accounts/")
    assert f'href="{PAGE}"' in response.text


def test_it_turns_the_digest_on_by_default_at_eight(owner_client, owner):
    response = owner_client.get(PAGE)

    assert response.status_code == 200
    form = response.context["digest_form"]
    assert form["email_digest"].value() is True
    assert form["digest_hour"].value() == 8
    assert NotificationSettings.objects.get(user=owner).digest_by_email


def test_it_says_so_when_the_account_has_no_email(owner_client, owner):
    owner.email = ""
    owner.save()
    response = owner_client.get(PAGE)
    assert "Your account has no e-mail address, so no digest can be sent." in response.text


def test_it_saves_the_digest_hour(owner_client, owner):
    response = owner_client.post(PAGE, {"email_digest": "on", "digest_hour": "19"}, follow=True)

    assert messages_of(response) == ["Saved your e-mail digest preferences."]
    assert NotificationSettings.objects.get(user=owner).digest_hour == 19


@pytest.mark.parametrize("hour", ["24", "-1", "seven", ""])
def test_it_refuses_an_hour_that_is_not_one(owner_client, owner, hour):
    response = owner_client.post(PAGE, {"email_digest": "on", "digest_hour": hour})

    assert response.status_code == 400
    assert response.context["digest_form"].errors["digest_hour"]
    assert NotificationSettings.objects.get(user=owner).digest_hour == 8


def test_the_page_costs_the_same_queries_however_many_urls(
    owner_client, owner, django_assert_num_queries
):
    owner_client.get(PAGE)  # settings made
    # session, user, settings, push URLs
    with django_assert_num_queries(4):
        owner_client.get(PAGE)
    for number in range(5):
        PushURL.objects.create(user=owner, url=f"json://93.184.215.{number}/hook")
    with django_assert_num_queries(4):
        response = owner_client.get(PAGE)
    assert response.text.count("Send a test") == 5


# Push URLs


@pytest.mark.parametrize(
    "url",
    [
        "json://127.0.0.1/hook",
        "json://10.0.0.5/hook",
        "gotify://169.254.169.254/token",
        "ntfy://localhost/topic",  # a name that resolves to loopback
        "json://[::1]:8080/hook",
        "mailtos://user:pass@localhost?to=me@example.com",
    ],
)
def test_it_refuses_private_notification_addresses(owner_client, owner, url):
    response = owner_client.post(reverse("reminders:add_push"), {"url": url})

    assert response.status_code == 400
    (error,) = response.context["push_form"].errors["url"]
    assert "private, loopback or link-local address" in error
    assert "Loopback, link-local and private network addresses are refused." in response.text
    assert not PushURL.objects.exists()


def test_it_allows_private_addresses_when_the_admin_does(owner_client, owner, settings):
    settings.NOTIFY_ALLOW_PRIVATE_ADDRESSES = True
    response = owner_client.get(PAGE)
    assert "Addresses on private networks are allowed on this server." in response.text

    response = owner_client.post(reverse("reminders:add_push"), {"url": "gotify://10.0.0.5/tok"})

    assert response.status_code == 302
    assert PushURL.objects.get(user=owner).url == "gotify://10.0.0.5/tok"


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://example.com/", "Apprise does not recognize this URL."),
        ("nonsense", "Apprise does not recognize this URL."),
        ("", "This field is required."),
    ],
)
def test_it_refuses_what_apprise_does_not_know(owner_client, url, message):
    response = owner_client.post(reverse("reminders:add_push"), {"url": url})
    assert response.status_code == 400
    assert message in response.context["push_form"].errors["url"][0]


def test_it_keeps_the_secret_parts_of_a_url_out_of_the_page(owner_client, owner):
    owner_client.post(
        reverse("reminders:add_push"), {"url": "tgram://123456789:SECRETtoken123/987654"}
    )
    response = owner_client.get(PAGE)
    assert PushURL.objects.filter(user=owner).count() == 1
    assert "SECRETtoken123" not in response.text
    assert "tgram://" in response.text


@responses.activate
def test_send_a_test_reports_success(owner_client, owner):
    push_url = PushURL.objects.create(user=owner, url="json://93.184.215.14/hook")
    responses.post("http://93.184.215.14/hook", status=200)

    response = owner_client.post(
        reverse("reminders:test_push", kwargs={"pk": push_url.pk}), follow=True
    )

    (message,) = messages_of(response)
    assert message.startswith("Sent a test to json://93.184.215.14/hook")
    body = responses.calls[0].request.body
    assert "This is a test from MotoVault" in (body.decode() if isinstance(body, bytes) else body)


@responses.activate
def test_send_a_test_reports_the_error(owner_client, owner):
    push_url = PushURL.objects.create(user=owner, url="json://93.184.215.14/hook")
    responses.post("http://93.184.215.14/hook", status=503)

    response = owner_client.post(
        reverse("reminders:test_push", kwargs={"pk": push_url.pk}), follow=True
    )

    (message,) = messages_of(response)
    assert message.startswith("The test did not arrive. Not delivered: ")
    assert "503" in message
    # Apprise's reason, without its log line's time stamp and level.
    assert " - WARNING - " not in message and "2026-" not in message


def test_send_a_test_refuses_a_url_that_turned_private(owner_client, owner):
    push_url = PushURL.objects.create(user=owner, url="json://127.0.0.1:9/hook")
    response = owner_client.post(
        reverse("reminders:test_push", kwargs={"pk": push_url.pk}), follow=True
    )
    (message,) = messages_of(response)
    assert "private, loopback or link-local address" in message


def test_another_owners_url_is_not_found(owner_client, other_user):
    theirs = PushURL.objects.create(user=other_user, url="json://93.184.215.14/hook")
    for name in ("test_push", "delete_push"):
        url = reverse(f"reminders:{name}", kwargs={"pk": theirs.pk})
        assert owner_client.post(url).status_code == 404
    assert PushURL.objects.filter(pk=theirs.pk).exists()


def test_removing_a_url_asks_first(owner_client, owner):
    push_url = PushURL.objects.create(user=owner, url="json://93.184.215.14/hook")
    url = reverse("reminders:delete_push", kwargs={"pk": push_url.pk})

    assert "Remove this notification URL?" in owner_client.get(url).text
    assert PushURL.objects.exists()
    response = owner_client.post(url, follow=True)

    assert messages_of(response) == ["Removed the notification URL."]
    assert not PushURL.objects.exists()


@pytest.mark.parametrize("name", ["add_push", "renew_calendar"])
def test_mutations_take_no_get(owner_client, name):
    assert owner_client.get(reverse(f"reminders:{name}")).status_code == 405


# Unsubscribe


@pytest.fixture
def digest_mail(owner, vehicle, schedule, living_in):
    living_in(owner, "UTC", hour=0)
    schedule(vehicle, days=-1)
    send_due_digests()
    (message,) = mail.outbox
    return message


def test_the_digest_carries_one_click_unsubscribe(digest_mail, client, owner):
    header = digest_mail.extra_headers["List-Unsubscribe"]
    assert digest_mail.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = header.strip("<>")
    assert link in digest_mail.body
    path = link.removeprefix("http://localhost:8000")

    # The mail client's one-click POST: no session, no CSRF token.
    client.handler.enforce_csrf_checks = True
    response = client.post(path, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 200
    assert "Unsubscribed" in response.text
    assert not NotificationSettings.objects.get(user=owner).email_digest


def test_the_unsubscribe_link_asks_before_it_acts(digest_mail, client, owner):
    path = digest_mail.extra_headers["List-Unsubscribe"].strip("<>")
    response = client.get(path.removeprefix("http://localhost:8000"))

    assert "Stop the reminder e-mails?" in response.text
    assert '<button class="btn btn-primary" type="submit">Unsubscribe</button>' in response.text
    assert NotificationSettings.objects.get(user=owner).email_digest


def test_an_unsubscribed_owner_gets_no_more_digests(owner, vehicle, schedule, living_in, client):
    living_in(owner, "UTC", hour=0)
    client.post(reverse("reminders:unsubscribe", kwargs={"token": unsubscribe_token(owner)}))
    schedule(vehicle, days=-1)

    send_due_digests()

    assert mail.outbox == []


@pytest.mark.parametrize("method", ["get", "post"])
def test_a_tampered_unsubscribe_link_is_refused(client, owner, other_user, method):
    token = unsubscribe_token(owner)
    forged = token.replace(token.split(":")[0], unsubscribe_token(other_user).split(":")[0])
    for bad in (token[:-2] + "xx", forged, "nonsense"):
        response = getattr(client, method)(reverse("reminders:unsubscribe", kwargs={"token": bad}))
        assert response.status_code == 400
        assert "This link does not work" in response.text
    assert NotificationSettings.objects.filter(email_digest=False).count() == 0


# Calendar feed


def feed_path(user):
    token = NotificationSettings.objects.get_or_create(user=user)[0].calendar_token
    return reverse("reminders:calendar", kwargs={"token": token})


def test_the_feed_is_valid_icalendar_with_one_event_per_dated_service(
    client, owner, make_vehicle, schedule, settings
):
    settings.SITE_URL = "https://motovault.example.com"
    commuter = make_vehicle(owner, nickname="Commuter", odometer_reading=10_000)
    dated = schedule(commuter, days=40)
    schedule(commuter, due_mileage=20_000)  # no date: not in a calendar
    schedule(commuter, days=5, is_completed=True, completed_date=dt.date(2026, 1, 2))

    response = client.get(feed_path(owner))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    (event,) = calendar.walk("VEVENT")
    assert str(event["SUMMARY"]) == "Oil change · Commuter"
    assert str(event["DESCRIPTION"]) == "due in 40 days"
    assert str(event["UID"]) == f"{dated.pk}@motovault.example.com"
    assert event.decoded("DTSTART") == dated.due_date  # a date: all day
    assert event.decoded("DTEND") == dated.due_date + dt.timedelta(days=1)
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert str(calendar["VERSION"]) == "2.0"
    assert calendar["PRODID"]


def test_the_uid_stays_and_the_feed_follows_an_edit(client, owner, vehicle, schedule):
    record = schedule(vehicle, days=40)
    path = feed_path(owner)
    (before,) = Calendar.from_ical(client.get(path).content).walk("VEVENT")

    record.due_date += dt.timedelta(days=10)
    save_record(record)
    (after,) = Calendar.from_ical(client.get(path).content).walk("VEVENT")

    assert after["UID"] == before["UID"]
    assert after.decoded("DTSTART") == before.decoded("DTSTART") + dt.timedelta(days=10)
    assert str(after["DESCRIPTION"]) == "due in 50 days"


def test_an_unknown_token_is_not_found(client, owner):
    assert client.get("/calendar/not-a-token.ics").status_code == 404


def test_a_new_secret_address_retires_the_old_one(owner_client, client, owner):
    old = feed_path(owner)
    response = owner_client.post(reverse("reminders:renew_calendar"), follow=True)

    new = feed_path(owner)
    assert new != old
    assert client.get(old).status_code == 404
    assert client.get(new).status_code == 200
    assert f"http://localhost:8000{new}" in response.text
    assert messages_of(response)[0].startswith("Made a new calendar address.")


def test_the_feed_is_cached_and_costs_the_same_queries_for_many_services(
    client, owner, vehicle, schedule, django_assert_num_queries
):
    schedule(vehicle, days=3)
    path = feed_path(owner)
    # settings + owner + preferences, the fingerprint (services, costs), the services, the
    # vehicles' driving, the renewals
    with django_assert_num_queries(6):
        client.get(path)
    # cached: settings + owner + preferences, the fingerprint (services, costs)
    with django_assert_num_queries(3):
        client.get(path)
    for days in range(10, 30):
        schedule(vehicle, days=days)
    with django_assert_num_queries(6):
        response = client.get(path)
    assert len(Calendar.from_ical(response.content).walk("VEVENT")) == 21


def test_the_feed_is_rate_limited_per_token(client, owner, other_user, settings, hold_clock):
    hold_clock(feed)
    settings.CALENDAR_REQUESTS_PER_HOUR = 3
    path = feed_path(owner)
    for _ in range(3):
        assert client.get(path).status_code == 200

    response = client.get(path)

    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 3600
    assert client.get(feed_path(other_user)).status_code == 200


def test_the_feed_is_in_the_owners_time_zone(client, owner, vehicle, schedule, living_in):
    living_in(owner, "Pacific/Kiritimati")  # UTC+14: its today may be UTC's tomorrow
    record = schedule(vehicle, due_date=dt.date(2026, 1, 1))
    (event,) = Calendar.from_ical(client.get(feed_path(owner)).content).walk("VEVENT")
    assert (
        str(event["DESCRIPTION"])
        == record.due(dt.datetime.now(dt.timezone(dt.timedelta(hours=14))).date()).reason
    )


@responses.activate
def test_deleting_the_account_takes_its_reminders_along(client, owner, vehicle, schedule):
    responses.post("http://93.184.215.14/hook")
    schedule(vehicle, days=-1)
    PushURL.objects.create(user=owner, url="json://93.184.215.14/hook")
    path = feed_path(owner)
    NotificationSettings.objects.filter(user=owner).update(digest_hour=0)
    send_due_digests()
    assert len(responses.calls) == 1

    delete_account(owner)

    assert client.get(path).status_code == 404
    for model in (NotificationSettings, PushURL, Digest, NotifiedItem):
        assert not model.objects.exists()


def test_the_feed_dates_a_service_due_by_mileage_from_recent_driving(client, owner, make_vehicle):
    # 1,000 mi in 20 days is 50 mi a day: an oil change due 500 mi on falls 10 days out.
    car = make_vehicle(owner, nickname="Commuter", odometer_reading=11_000)
    today = timezone.localdate()
    for days_ago, reading in ((20, 10_000), (0, 11_000)):
        save_fuel_log(
            FuelLog(
                vehicle=car,
                date=today - dt.timedelta(days=days_ago),
                odometer_reading=reading,
                gallons=Decimal(10),
                price_per_gallon=Decimal(3),
            )
        )
    save_record(MaintenanceRecord(user=owner, vehicle=car, type="oil_change", due_mileage=11_500))

    events = Calendar.from_ical(client.get(feed_path(owner)).content).walk("VEVENT")

    assert [str(event["summary"]) for event in events] == ["Oil change · Commuter"]
    assert events[0].decoded("dtstart") == today + dt.timedelta(days=10)


def test_the_unsubscribe_header_goes_out_as_a_literal_link(digest_mail, settings):
    # A long site address must not fold the header into RFC 2047 encoded words.
    message = digest_mail.message()
    sent = message.as_bytes(policy=message.policy.clone(linesep="\r\n")).decode()
    (line,) = [line for line in sent.split("\r\n") if line.startswith("List-Unsubscribe:")]
    assert line == f"List-Unsubscribe: {digest_mail.extra_headers['List-Unsubscribe']}"
    assert len(line) > 78  # the case the default policy would have encoded
