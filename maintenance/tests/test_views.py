import datetime
import json
from decimal import Decimal

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from accounts.models import Preferences
from maintenance.models import MaintenanceRecord, add_months
from maintenance.tests.conftest import GERMAN, bulk_records, days
from maintenance.upcoming import upcoming_cache_key

INDEX = reverse("maintenance:index")
ADD = reverse("maintenance:add")
UPCOMING = reverse("maintenance:upcoming")


def url(name, record):
    return reverse(f"maintenance:{name}", args=[record.pk])


def flashes(response):
    return [str(message) for message in get_messages(response.wsgi_request)]


# ---- the list ----


def test_it_lists_schedule_then_history_with_status(owner_client, vehicle, make_record):
    make_record(vehicle, type="inspection", due_date=days(40))
    make_record(vehicle, type="battery", due_mileage=41_588)
    make_record(
        vehicle,
        type="brake_service",
        is_completed=True,
        completed_date=days(-10),
        cost=Decimal("1234.50"),
        service_location="Corner Garage",
    )
    response = owner_client.get(INDEX)
    assert response.status_code == 200
    page = response.content.decode()
    page = page[page.index("<tbody>") :]
    assert page.index("Battery") < page.index("Inspection") < page.index("Brake service")
    assert "412 miles over" in page
    assert "due in 40 days" in page
    assert "$1,234.50" in page
    assert "Corner Garage" in page
    assert "1 service overdue or due soon" in response.content.decode()


def test_it_filters_by_vehicle_type_and_status(
    owner, owner_client, vehicle, make_vehicle, make_record
):
    truck = make_vehicle(owner, nickname="Truck", odometer_reading=10_000)
    make_record(vehicle, type="battery", due_date=days(-1))
    make_record(truck, type="battery", due_date=days(100))
    make_record(truck, type="spark_plugs", due_date=days(-2))

    def titles(**query):
        response = owner_client.get(INDEX, query)
        return [
            (record.vehicle.display_name, record.title) for record, _ in response.context["rows"]
        ]

    assert titles(vehicle=truck.pk) == [("Truck", "Spark plugs"), ("Truck", "Battery")]
    assert titles(type="battery") == [("Daily driver", "Battery"), ("Truck", "Battery")]
    assert titles(status="overdue") == [("Truck", "Spark plugs"), ("Daily driver", "Battery")]
    assert titles(vehicle=truck.pk, type="battery", status="scheduled") == [("Truck", "Battery")]
    assert titles(status="completed") == []


def test_it_reports_a_bad_filter_and_ignores_it(
    owner_client, vehicle, other_user, make_vehicle, make_record
):
    make_record(vehicle)
    theirs = make_vehicle(other_user)
    response = owner_client.get(INDEX, {"vehicle": theirs.pk, "status": "nonsense"})
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert len(response.context["rows"]) == 1


def test_it_paginates_by_25(owner_client, vehicle):
    bulk_records(vehicle, 30)
    first = owner_client.get(INDEX)
    second = owner_client.get(INDEX, {"page": 2})
    assert len(first.context["rows"]) == 25
    assert len(second.context["rows"]) == 5
    assert "Page 1 of 2" in first.content.decode()
    assert owner_client.get(INDEX, {"page": "nope"}).status_code == 200


def test_it_keeps_filters_across_pages(owner_client, vehicle):
    bulk_records(vehicle, 120)
    response = owner_client.get(INDEX, {"type": "oil_change"})
    assert "type=oil_change&amp;page=2" in response.content.decode()


def test_it_hides_other_owners_and_deleted_vehicles_records(
    owner, owner_client, other_user, make_vehicle, make_record
):
    make_record(make_vehicle(other_user), type="battery")
    make_record(make_vehicle(owner, deleted_at=timezone.now()), type="spark_plugs")
    response = owner_client.get(INDEX)
    assert response.context["rows"] == []
    assert "No maintenance yet" in response.content.decode()


def test_it_says_when_no_record_matches(owner_client, vehicle, make_record):
    make_record(vehicle)
    response = owner_client.get(INDEX, {"status": "completed"})
    assert "No records match" in response.content.decode()


def two_vehicles_with(owner, make_vehicle, count):
    """`count` records (the bulk_records mix) split over two of the owner's vehicles."""
    bulk_records(make_vehicle(owner, nickname="First"), count - count // 2)
    bulk_records(make_vehicle(owner, nickname="Second"), count // 2)


def due_in_mix(count):
    """How many of bulk_records(vehicle, count) are overdue or due soon."""
    return sum(1 for i in range(count) if i % 4 < 2)


@pytest.mark.parametrize("count", [5, 2_000])
def test_it_lists_any_number_of_records_in_fixed_queries(
    owner, owner_client, make_vehicle, count, django_assert_num_queries
):
    two_vehicles_with(owner, make_vehicle, count)
    # session, user, readings, vehicles for the filter, count, page rows, upcoming list (cache
    # miss: readings, records, renewals)
    with django_assert_num_queries(9):
        response = owner_client.get(INDEX, {"type": "oil_change", "page": 1})
    assert response.context["page_obj"].paginator.count == count
    assert len(response.context["rows"]) == min(count, 25)
    assert response.context["upcoming_count"] == due_in_mix(count - count // 2) + due_in_mix(
        count // 2
    )


@pytest.mark.parametrize("count", [5, 2_000])
def test_it_shows_upcoming_in_fixed_queries(
    owner, owner_client, make_vehicle, count, django_assert_num_queries, no_page_cache
):
    two_vehicles_with(owner, make_vehicle, count)
    # session, user, the readings, the records, the renewals (cache miss)
    with django_assert_num_queries(5):
        response = owner_client.get(UPCOMING)
    with django_assert_num_queries(2):  # session, user (cache hit)
        owner_client.get(UPCOMING)
    expected = due_in_mix(count - count // 2) + due_in_mix(count // 2)
    assert response.context["page_obj"].paginator.count == expected
    assert response.content.decode().count("Complete<span") == min(expected, 25)


# ---- upcoming ----


def test_it_pages_a_long_upcoming_list_by_25(owner, owner_client, vehicle, make_record):
    for day in range(30):
        make_record(vehicle, due_date=days(day))
    first = owner_client.get(UPCOMING)
    assert "Page 1 of 2" in first.content.decode()
    assert [item["reason"] for item in first.context["items"]][:2] == ["due today", "due tomorrow"]
    second = owner_client.get(UPCOMING, {"page": 2})
    assert len(second.context["items"]) == 5
    assert second.context["items"][-1]["reason"] == "due in 29 days"


def test_it_shows_upcoming_with_reasons(owner_client, vehicle, make_record):
    record = make_record(vehicle, due_mileage=41_588)
    make_record(vehicle, type="inspection", due_date=days(9))
    page = owner_client.get(UPCOMING).content.decode()
    assert page.index("412 miles over") < page.index("due in 9 days")
    assert url("complete", record) in page


def test_it_says_when_nothing_is_due(owner_client, vehicle, make_record):
    make_record(vehicle, due_date=days(100))
    page = owner_client.get(UPCOMING).content.decode()
    assert "Nothing is due" in page
    assert "within 30 days or 500 miles" in page


# ---- add ----


def form_data(vehicle, **fields):
    return {"vehicle": vehicle.pk, "type": "oil_change", "kind": "scheduled", **fields}


def test_it_preselects_the_vehicle_from_the_query(owner_client, vehicle, make_vehicle, owner):
    make_vehicle(owner, nickname="Truck")
    response = owner_client.get(ADD, {"vehicle": vehicle.pk})
    assert response.context["form"]["vehicle"].value() == str(vehicle.pk)
    assert f'<option value="{vehicle.pk}" selected>' in response.content.decode()


def test_it_preselects_the_only_active_vehicle(owner_client, vehicle, make_vehicle, owner):
    make_vehicle(owner, nickname="Laid up", is_active=False, distance_unit="km")
    response = owner_client.get(ADD)
    assert response.context["form"]["vehicle"].value() == vehicle.pk
    html = response.content.decode()
    assert f'<option value="{vehicle.pk}" selected>' in html
    # Its fields speak its unit, though the owner's vehicles differ.
    assert "Due mileage" in html
    # Two active vehicles: the owner chooses.
    make_vehicle(owner, nickname="Truck")
    response = owner_client.get(ADD)
    assert response.context["form"]["vehicle"].value() is None
    assert '<option value="" selected>Choose a vehicle</option>' in response.content.decode()


def test_it_asks_for_a_vehicle_first_when_there_is_none(owner_client):
    assert "Add a vehicle first" in owner_client.get(ADD).content.decode()


def test_it_schedules_a_service(owner, owner_client, vehicle):
    response = owner_client.post(
        ADD,
        form_data(
            vehicle,
            due_date=days(90),
            due_mileage=47_000,
            interval_months=6,
            completed_date=days(0),
            cost="12",
        ),
    )
    assert response.status_code == 302
    record = MaintenanceRecord.objects.get()
    assert (record.user, record.vehicle, record.is_completed) == (owner, vehicle, False)
    assert (record.due_date, record.due_mileage, record.interval_months) == (days(90), 47_000, 6)
    assert (record.completed_date, record.cost) == (None, None)  # the other kind's fields
    assert flashes(response) == ["Oil change scheduled for Daily driver."]


def test_it_stores_a_done_service_posted_again_after_a_timeout_once(owner_client, vehicle):
    data = form_data(vehicle, kind="done", completed_date=days(-1), interval_miles=5_000)
    owner_client.post(ADD, data, follow=True)
    response = owner_client.post(ADD, data)
    assert response["Location"] == INDEX
    assert flashes(response) == [
        "This service was already saved a moment ago; it was not added twice."
    ]
    # The done one, and its next occurrence scheduled once.
    assert MaintenanceRecord.objects.count() == 2


def test_it_logs_a_done_service_in_one_step(owner_client, vehicle):
    response = owner_client.post(
        ADD,
        form_data(
            vehicle,
            kind="done",
            completed_date=days(-1),
            completed_mileage=42_900,
            cost="45.50",
            service_location="Quick Lube",
            interval_miles=5_000,
            due_date=days(5),
        ),
    )
    assert response.status_code == 302
    done = MaintenanceRecord.objects.completed().get()
    assert (done.completed_date, done.completed_mileage, done.cost) == (
        days(-1),
        42_900,
        Decimal("45.50"),
    )
    assert done.due_date is None
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 42_900
    assert MaintenanceRecord.objects.scheduled().get().due_mileage == 47_900
    following = MaintenanceRecord.objects.scheduled().get()
    assert flashes(response) == [
        "Oil change logged for Daily driver.",
        f'Next one due at 47,900 miles: <a href="/maintenance/?vehicle={vehicle.pk}&amp;'
        f'type=oil_change#record-{following.pk}">see it in your records</a>.',
    ]


@pytest.mark.parametrize(
    ("fields", "field", "error"),
    [
        ({}, "due_date", "Enter a due date, a due mileage, or both."),
        (
            {"kind": "done", "completed_date": ""},
            "completed_date",
            "Enter the date the service was done.",
        ),
        (
            {"kind": "done", "completed_date": "2999-01-01"},
            "completed_date",
            "The date cannot be in the future.",
        ),
        ({"kind": "done", "completed_date": "yesterday"}, "completed_date", "Enter a valid date."),
        (
            {"kind": "done", "completed_date": "2025-01-01", "cost": "-1"},
            "cost",
            "Ensure this value is greater than or equal to 0.",
        ),
        (
            {"kind": "done", "completed_date": "2025-01-01", "cost": "1000000"},
            "cost",
            "Ensure that there are no more than 6 digits before the decimal point.",
        ),
        (
            {"due_mileage": "99999999999"},
            "due_mileage",
            "Ensure this value is less than or equal to 9999999.",
        ),
        ({"due_mileage": "-5"}, "due_mileage", "Ensure this value is greater than or equal to 0."),
        (
            {"due_date": "2030-01-01", "interval_months": "0"},
            "interval_months",
            "Ensure this value is greater than or equal to 1.",
        ),
        ({"due_date": "2030-01-01", "type": "other"}, "description", "Describe the service."),
        ({"due_date": "2030-01-01", "type": "teleport"}, "type", "Select a valid choice."),
    ],
)
def test_it_shows_clear_errors_for_bad_input(owner_client, vehicle, fields, field, error):
    response = owner_client.post(ADD, form_data(vehicle, **fields))
    assert response.status_code == 200
    assert any(error in message for message in response.context["form"].errors[field])
    assert not MaintenanceRecord.objects.exists()


def test_it_refuses_another_owners_or_a_deleted_vehicle(
    owner, owner_client, other_user, make_vehicle
):
    for car in (make_vehicle(other_user), make_vehicle(owner, deleted_at=timezone.now())):
        response = owner_client.post(ADD, form_data(car, due_date=days(10)))
        assert response.status_code == 200
        assert "Select a valid choice" in response.context["form"].errors["vehicle"][0]
    assert not MaintenanceRecord.objects.exists()


def test_it_goes_back_to_a_local_next_page_only(owner_client, vehicle):
    back = owner_client.post(ADD, {**form_data(vehicle, due_date=days(3)), "next": "/vehicles/"})
    away = owner_client.post(
        ADD, {**form_data(vehicle, due_date=days(3)), "next": "https://evil.example/"}
    )
    assert back["Location"] == "/vehicles/"
    assert away["Location"] == INDEX


def test_it_shows_a_new_record_in_upcoming_at_once(owner, owner_client, vehicle):
    assert owner_client.get(UPCOMING).context["items"] == []
    owner_client.post(ADD, form_data(vehicle, due_date=days(3)))
    assert [item["reason"] for item in owner_client.get(UPCOMING).context["items"]] == [
        "due in 3 days"
    ]


# ---- edit ----


def test_it_edits_a_scheduled_record(owner_client, vehicle, make_record):
    record = make_record(vehicle, due_date=days(100))
    owner_client.get(UPCOMING)  # cached: nothing due
    page = owner_client.get(url("edit", record)).content.decode()
    assert 'name="completed_date"' not in page
    assert 'name="kind"' not in page
    response = owner_client.post(
        url("edit", record),
        {"vehicle": vehicle.pk, "type": "battery", "due_date": days(2), "notes": "Group 35"},
    )
    assert response.status_code == 302
    record.refresh_from_db()
    assert (record.type, record.due_date, record.notes) == ("battery", days(2), "Group 35")
    assert len(owner_client.get(UPCOMING).context["items"]) == 1


def test_it_edits_a_completed_record(owner_client, vehicle, make_record):
    record = make_record(vehicle, is_completed=True, completed_mileage=40_000)
    page = owner_client.get(url("edit", record)).content.decode()
    assert 'name="due_date"' not in page
    owner_client.post(
        url("edit", record),
        {
            "vehicle": vehicle.pk,
            "type": "oil_change",
            "completed_date": days(-3),
            "completed_mileage": 43_100,
            "cost": "70",
        },
    )
    record.refresh_from_db()
    vehicle.refresh_from_db()
    assert (record.completed_date, record.cost, record.is_completed) == (days(-3), 70, True)
    assert vehicle.odometer_reading == 43_100


# ---- delete ----


def test_it_asks_before_deleting(owner_client, vehicle, make_record):
    record = make_record(vehicle)
    response = owner_client.get(url("delete", record))
    assert "Delete Oil change?" in response.content.decode()
    assert MaintenanceRecord.objects.filter(pk=record.pk).exists()


def test_it_deletes_and_forgets_the_upcoming_list(owner, owner_client, vehicle, make_record):
    record = make_record(vehicle, due_date=days(-2))
    assert len(owner_client.get(UPCOMING).context["items"]) == 1
    response = owner_client.post(url("delete", record))
    assert response["Location"] == INDEX
    assert not MaintenanceRecord.objects.exists()
    assert owner_client.get(UPCOMING).context["items"] == []


# ---- mark complete ----


def test_it_offers_the_odometer_as_the_mileage(owner_client, vehicle, make_record):
    record = make_record(vehicle)
    response = owner_client.get(url("complete", record))
    form = response.context["form"]
    # A text input (typed the owner's way), filled in with the odometer's digits.
    assert form["completed_mileage"].value() == "42000"
    assert 'value="42000"' in response.content.decode()
    assert form["completed_date"].value() == timezone.localdate()


def test_it_marks_complete_and_schedules_the_next(owner_client, vehicle, make_record):
    record = make_record(vehicle, due_date=days(1), interval_months=3, interval_miles=3_000)
    assert len(owner_client.get(UPCOMING).context["items"]) == 1
    response = owner_client.post(
        url("complete", record),
        {
            "completed_date": days(-1),
            "completed_mileage": "43000",
            "cost": "39.99",
            "service_location": "Home",
        },
    )
    assert response.status_code == 302
    record.refresh_from_db()
    vehicle.refresh_from_db()
    assert (record.is_completed, record.cost, record.service_location) == (
        True,
        Decimal("39.99"),
        "Home",
    )
    assert vehicle.odometer_reading == 43_000
    following = MaintenanceRecord.objects.scheduled().get()
    next_due = add_months(days(-1), 3)
    assert (following.due_date, following.due_mileage) == (next_due, 46_000)
    assert flashes(response) == [
        f"Oil change done. Next one due {next_due:%b} {next_due.day}, {next_due.year}"
        " or at 46,000 miles, whichever comes first: "
        f'<a href="/maintenance/?vehicle={vehicle.pk}&amp;type=oil_change#record-{following.pk}">'
        "see it in your records</a>."
    ]
    # Not due soon, so not on the upcoming list: the link leads to the vehicle's oil changes,
    # the new one first and marked as the link's target.
    assert owner_client.get(UPCOMING).context["items"] == []
    listed = owner_client.get(f"/maintenance/?vehicle={vehicle.pk}&type=oil_change")
    assert [record for record, _ in listed.context["rows"]] == [following, record]
    assert f'<tr id="record-{following.pk}">' in listed.content.decode()


def test_it_says_a_completed_service_that_does_not_recur_is_done(
    owner_client, vehicle, make_record
):
    record = make_record(vehicle, due_date=days(1))
    response = owner_client.post(url("complete", record), {"completed_date": days(-1)})
    assert flashes(response) == ["Oil change marked complete."]
    assert not MaintenanceRecord.objects.scheduled().exists()


def test_it_refuses_a_future_completion_date(owner_client, vehicle, make_record):
    record = make_record(vehicle)
    response = owner_client.post(
        url("complete", record), {"completed_date": days(1), "completed_mileage": "1"}
    )
    assert response.context["form"].errors["completed_date"] == [
        "The date cannot be in the future."
    ]
    record.refresh_from_db()
    assert not record.is_completed


def test_it_does_not_complete_twice(owner_client, vehicle, make_record):
    record = make_record(vehicle, is_completed=True, cost=Decimal("10"))
    response = owner_client.post(url("complete", record), {"completed_date": days(0), "cost": "99"})
    assert response["Location"] == INDEX
    assert flashes(response) == ["Oil change is already marked complete."]
    record.refresh_from_db()
    assert record.cost == Decimal("10")


# ---- another owner's records ----

RECORD_URLS = ["edit", "delete", "complete"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", RECORD_URLS)
def test_it_answers_404_for_another_owners_record(other_client, vehicle, make_record, name, method):
    record = make_record(vehicle, due_date=days(1))
    cache.set(upcoming_cache_key(vehicle.user_id), ["cached"])
    response = getattr(other_client, method)(
        url(name, record), {"completed_date": days(0), "type": "battery", "due_date": days(2)}
    )
    assert response.status_code == 404
    stored = MaintenanceRecord.objects.get(pk=record.pk)
    assert (stored.type, stored.is_completed) == ("oil_change", False)
    assert cache.get(upcoming_cache_key(vehicle.user_id)) == ["cached"]


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", RECORD_URLS)
def test_it_answers_404_for_a_record_on_a_deleted_vehicle(
    owner, owner_client, make_vehicle, make_record, name, method
):
    record = make_record(make_vehicle(owner, deleted_at=timezone.now()))
    response = getattr(owner_client, method)(url(name, record))
    assert response.status_code == 404
    assert MaintenanceRecord.objects.filter(pk=record.pk, is_completed=False).exists()


def test_it_shows_nothing_of_another_owner_on_the_lists(other_client, vehicle, make_record):
    make_record(vehicle, type="battery", due_date=days(-1))
    for path in (INDEX, UPCOMING, f"{INDEX}?vehicle={vehicle.pk}"):
        response = other_client.get(path)
        assert "Daily driver" not in response.content.decode()
        assert not response.context.get("rows")
        assert not response.context.get("items")


# ---- an owner in Germany, with vehicles in kilometers ----


@pytest.fixture
def german_client(client, owner):
    """The owner, signed in after choosing German formats and euros (copied into the session at
    sign-in)."""
    Preferences.objects.update_or_create(
        user=owner,
        defaults={
            "locale": GERMAN.locale,
            "currency": GERMAN.currency,
            "economy_unit": GERMAN.economy_unit,
            "electric_economy_unit": GERMAN.electric_economy_unit,
        },
    )
    client.force_login(owner)
    return client


@pytest.fixture
def kombi(owner, make_vehicle):
    return make_vehicle(owner, nickname="Kombi", odometer_reading=12_345, distance_unit="km")


def test_it_lists_in_the_owners_formats_and_the_vehicles_units(german_client, kombi, make_record):
    make_record(kombi, type="battery", due_mileage=11_000)
    make_record(
        kombi,
        type="brake_service",
        is_completed=True,
        completed_date=datetime.date(2026, 3, 1),
        completed_mileage=12_000,
        cost=Decimal("1234.50"),
        interval_miles=15_000,
    )
    page = german_client.get(INDEX).content.decode()
    assert "1.345 km over" in page
    assert "11.000 km" in page
    assert "12.000 km" in page
    assert "01.03.2026" in page
    assert "1.234,50\xa0€" in page
    assert "$" not in page[page.index("<tbody>") :]


def test_it_shows_upcoming_in_the_owners_formats(german_client, kombi, make_record):
    make_record(kombi, type="battery", due_mileage=13_000, due_date=days(200))
    page = german_client.get(UPCOMING).content.decode()
    assert "due in 655 km" in page
    assert "13.000 km" in page
    assert f"{days(200):%d.%m.%Y}" in page


@pytest.mark.parametrize(
    ("units", "says"),
    [
        (["mi"], "within 30 days or 500 miles."),
        (["km"], "within 30 days or 800 km."),
        (["km", "mi"], "within 30 days or 500 miles / 800 km."),
        ([], "within 30 days or 500 miles."),
    ],
)
def test_it_says_how_near_due_soon_is_for_the_owners_vehicles(
    owner, owner_client, make_vehicle, units, says, django_assert_num_queries
):
    for unit in units:
        make_vehicle(owner, distance_unit=unit)
    make_vehicle(owner, distance_unit="km" if units == ["mi"] else "mi", is_active=False)
    # session, user, the records and renewals (cache miss), the units of the owner's active
    # vehicles
    with django_assert_num_queries(6):
        page = owner_client.get(UPCOMING).content.decode()
    assert says in page


@pytest.mark.parametrize("count", [5, 2_000])
def test_it_lists_vehicles_in_both_units_for_a_german_owner_in_fixed_queries(
    owner, german_client, make_vehicle, count, django_assert_num_queries, no_page_cache
):
    bulk_records(make_vehicle(owner, nickname="First"), count - count // 2)
    bulk_records(make_vehicle(owner, nickname="Second", distance_unit="km"), count // 2)
    expected = due_in_mix(count - count // 2) + due_in_mix(count // 2)
    # session, user, readings, vehicles for the filter, count, page rows, upcoming list (cache
    # miss: readings, records, renewals)
    with django_assert_num_queries(9):
        response = german_client.get(INDEX, {"page": 1})
    assert response.context["upcoming_count"] == expected
    with django_assert_num_queries(2):  # session, user (cache hit)
        response = german_client.get(UPCOMING)
    assert response.context["page_obj"].paginator.count == expected


def test_it_reads_numbers_typed_the_owners_way(german_client, kombi):
    response = german_client.post(
        ADD,
        form_data(
            kombi,
            kind="done",
            completed_date=days(-1),
            completed_mileage="12.000",
            cost="1.234,50",
            interval_miles="15.000",
        ),
    )
    assert response.status_code == 302
    done = MaintenanceRecord.objects.completed().get()
    assert (done.completed_mileage, done.cost, done.interval_miles) == (
        12_000,
        Decimal("1234.50"),
        15_000,
    )
    assert MaintenanceRecord.objects.scheduled().get().due_mileage == 27_000
    assert flashes(response)[-1].startswith("Next one due at 27.000 km: <a href=")


@pytest.mark.parametrize(
    ("field", "typed", "error"),
    [
        ("cost", "12,34,5", "MotoVault cannot read “12,34,5” as a number. Type it like 1.234,5."),
        ("cost", "zwölf", "MotoVault cannot read “zwölf” as a number. Type it like 1.234,5."),
        ("completed_mileage", "12.5", "MotoVault cannot read “12.5” as a whole number."),
        ("completed_mileage", "12,5", "MotoVault cannot read “12,5” as a whole number."),
    ],
)
def test_it_quotes_a_number_it_cannot_read(german_client, kombi, field, typed, error):
    data = form_data(kombi, kind="done", completed_date=days(-1), **{field: typed})
    response = german_client.post(ADD, data)
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [error]
    assert not MaintenanceRecord.objects.exists()


def test_it_fills_the_form_in_again_the_owners_way(german_client, kombi, make_record):
    record = make_record(kombi, is_completed=True, completed_mileage=12_000, cost=Decimal("1234.5"))
    page = german_client.get(url("edit", record)).content.decode()
    assert 'value="1234,50"' in page
    assert 'value="12000"' in page
    assert 'inputmode="decimal"' in page


def test_it_completes_with_numbers_typed_the_owners_way(german_client, kombi, make_record):
    record = make_record(kombi, due_date=days(1), interval_miles=10_000)
    page = german_client.get(url("complete", record)).content.decode()
    assert "odometer 12.345 km" in page
    assert "every 10.000 km" in page
    assert "Odometer (km)" in page
    german_client.post(
        url("complete", record),
        {"completed_date": days(0), "completed_mileage": "12.400", "cost": "45,5"},
    )
    record.refresh_from_db()
    kombi.refresh_from_db()
    assert (record.completed_mileage, record.cost) == (12_400, Decimal("45.50"))
    assert kombi.odometer_reading == 12_400


def test_it_labels_distances_with_the_vehicles_unit(
    owner, owner_client, vehicle, kombi, make_record
):
    def labels(response):
        form = response.context["form"]
        return [form.fields[name].label for name in ("due_mileage", "interval_miles")]

    # Not chosen yet, and the owner's vehicles differ: a neutral label.
    assert labels(owner_client.get(ADD)) == [
        "Due at (odometer, in the vehicle's unit)",
        "Repeat every (distance, in the vehicle's unit)",
    ]
    assert labels(owner_client.get(ADD, {"vehicle": kombi.pk})) == [
        "Due at (km)",
        "Repeat every (km)",
    ]
    assert labels(owner_client.get(ADD, {"vehicle": vehicle.pk})) == [
        "Due mileage",
        "Repeat every (miles)",
    ]
    record = make_record(kombi, due_mileage=20_000)
    page = owner_client.get(url("edit", record)).content.decode()
    assert "Due at (km)" in page
    assert "this many kilometers after the odometer reading" in page


def test_it_labels_distances_in_miles_for_an_owner_whose_vehicles_all_are(owner_client, vehicle):
    page = owner_client.get(ADD).content.decode()
    assert '<label for="id_due_mileage">Due mileage</label>' in page
    assert '<label for="id_interval_miles">Repeat every (miles)</label>' in page
    assert "this many miles after the mileage it was done at" in page


def test_it_tells_the_page_each_vehicles_unit_for_relabeling(
    owner_client, vehicle, kombi, make_record
):
    form = owner_client.get(ADD).context["form"]
    labels = json.loads(form.distance_labels_json())
    assert labels["units"] == {str(vehicle.pk): "mi", str(kombi.pk): "km"}
    assert labels["fallback"] == ""
    assert labels["labels"]["km"]["fields"]["due_mileage"] == "Due at (km)"
    assert labels["labels"][""]["fields"]["due_mileage"] == (
        "Due at (odometer, in the vehicle's unit)"
    )
    assert 'data-distance-labels="{&quot;units&quot;' in owner_client.get(ADD).content.decode()
    record = make_record(kombi, due_mileage=20_000)
    assert "data-distance-labels" not in owner_client.get(url("edit", record)).content.decode()
