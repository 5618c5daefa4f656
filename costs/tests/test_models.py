"""A cost's rules, its next due date, and which costs are the latest of their series."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from costs.models import Cost, odometer_readings


@pytest.mark.parametrize(
    ("paid", "months", "due"),
    [
        # The 31st becomes the last day of a shorter month, leap years included.
        ("2027-01-31", 1, "2027-02-28"),
        ("2028-01-31", 1, "2028-02-29"),
        ("2026-03-31", 1, "2026-04-30"),
        ("2024-02-29", 12, "2025-02-28"),
        ("2026-08-31", 6, "2027-02-28"),
        ("2026-11-30", 3, "2027-02-28"),
        ("2026-12-15", 1, "2027-01-15"),
        ("2026-03-01", 12, "2027-03-01"),
        ("2026-05-10", 240, "2046-05-10"),
    ],
)
def test_it_is_due_again_repeat_months_after_it_was_paid(paid, months, due):
    cost = Cost(date=dt.date.fromisoformat(paid), repeat_months=months)
    assert cost.next_due() == dt.date.fromisoformat(due)


def test_it_is_not_due_again_when_it_does_not_repeat():
    assert Cost(date=dt.date(2026, 1, 1)).next_due() is None


def test_it_requires_a_title_for_other(vehicle):
    cost = Cost(vehicle=vehicle, category="other", date=dt.date(2026, 1, 5), amount=Decimal(5))
    with pytest.raises(ValidationError) as raised:
        cost.full_clean()
    assert raised.value.message_dict["title"] == ["Say what this cost was: “Other” needs a title."]
    cost.title = "Ferry"
    cost.full_clean()


def test_it_refuses_a_date_before_the_vehicles_model_year(vehicle):
    cost = Cost(vehicle=vehicle, category="tolls", date=dt.date(2005, 1, 5), amount=Decimal(5))
    with pytest.raises(ValidationError) as raised:
        cost.full_clean()
    assert "Daily driver is a 2010 model" in raised.value.message_dict["date"][0]


def test_it_is_labeled_by_its_title_else_its_category():
    assert Cost(category="insurance").label == "Insurance"
    assert Cost(category="tires", title="Winter tires").label == "Winter tires"
    assert Cost(category="registration").label == "Registration and tax"


def test_it_finds_the_latest_cost_of_each_series(vehicle, make_vehicle, owner, make_cost):
    van = make_vehicle(owner, nickname="Van")
    old = make_cost(vehicle, "2025-03-01", repeat_months=12)
    latest = make_cost(vehicle, "2026-03-01", repeat_months=12)
    # Another title, another vehicle, another category: series of their own.
    parking = make_cost(vehicle, "2025-01-10", category="parking", title="Garage")
    other_parking = make_cost(vehicle, "2025-01-05", category="parking", title="Airport")
    vans = make_cost(van, "2024-06-01", repeat_months=12)
    # The same day: the one entered later is the later one.
    first_today = make_cost(vehicle, "2026-05-05", category="tolls")
    second_today = make_cost(vehicle, "2026-05-05", category="tolls")

    found = set(Cost.objects.latest_of_their_series())

    assert found == {latest, parking, other_parking, vans, second_today}
    assert old not in found and first_today not in found


def test_it_finds_the_renewals_not_paid_yet(vehicle, make_cost):
    make_cost(vehicle, "2025-03-01", repeat_months=12)
    renewed = make_cost(vehicle, "2026-03-01", repeat_months=12)
    make_cost(vehicle, "2025-04-01", category="registration", repeat_months=12)
    # The owner stopped: the last registration does not repeat, so nothing is due.
    make_cost(vehicle, "2026-04-01", category="registration")
    make_cost(vehicle, "2026-02-01", category="parking")

    assert list(Cost.objects.renewals_pending()) == [renewed]


def test_its_odometer_readings_feed_the_projection(vehicle, make_cost):
    make_cost(vehicle, "2026-01-10", odometer_reading=43_000)
    make_cost(vehicle, "2026-02-10", odometer_reading=44_000)
    make_cost(vehicle, "2026-03-10")  # no reading
    make_cost(vehicle, "2025-01-10", odometer_reading=40_000)  # before the window

    rows = list(odometer_readings(vehicle.user_id, dt.date(2026, 1, 1)))

    assert rows == [(vehicle.pk, dt.date(2026, 1, 10), dt.date(2026, 2, 10), 43_000, 44_000)]
