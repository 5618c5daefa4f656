import datetime as dt
from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import RestrictedError
from django.forms import modelform_factory
from django.utils import timezone

from fuellogs.models import FuelLog
from fuellogs.services import save_fuel_log

D = Decimal


def fill_up_on_jan_5(vehicle, **fields) -> FuelLog:
    """An unsaved fill-up of Jan 5, 2025 at 42,400 miles."""
    return FuelLog(vehicle=vehicle, date=dt.date(2025, 1, 5), odometer_reading=42_400, **fields)


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("gallons", D("0")),
        ("gallons", D("-1")),
        ("price_per_gallon", D("-0.001")),
        ("total_cost", D("-0.01")),
        ("odometer_reading", -1),
    ],
)
def test_it_never_stores_impossible_values(vehicle, make_log, field, value):
    fields = {"odometer_reading": 10_000, field: value}
    with pytest.raises(IntegrityError), transaction.atomic():
        make_log("2025-01-01", **fields)
    assert not FuelLog.objects.exists()


def test_it_keeps_a_vehicle_with_logs_from_being_deleted(vehicle, make_log):
    make_log("2025-01-01", 10_000)
    with pytest.raises(RestrictedError):
        vehicle.delete()
    assert FuelLog.objects.exists()


def test_it_deletes_a_users_logs_with_the_user(owner, vehicle, make_log):
    make_log("2025-01-01", 10_000)
    owner.delete()
    assert not FuelLog.objects.exists()
    assert not User.objects.filter(pk=owner.pk).exists()


def test_it_always_saves_a_log_as_its_vehicles_owner(owner, other_user, vehicle):
    log = FuelLog(
        user=other_user,
        vehicle=vehicle,
        date=dt.date(2025, 1, 1),
        odometer_reading=43_000,
        gallons=D("10"),
    )
    save_fuel_log(log)
    log.refresh_from_db()
    assert log.user == owner
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 43_000


def test_it_does_not_bring_back_a_log_deleted_before_an_edit_is_saved(vehicle, make_log):
    log = make_log("2025-01-01", 42_100)
    FuelLog.objects.filter(pk=log.pk).delete()  # by another request, after the edit page loaded
    log.notes = "Edited"
    with pytest.raises(FuelLog.DoesNotExist):
        save_fuel_log(log)
    assert not FuelLog.objects.exists()


def test_it_checks_the_odometer_order_again_when_saving(vehicle, make_log):
    make_log("2025-01-10", 42_300)  # saved by another request after this form was checked
    log = fill_up_on_jan_5(vehicle, gallons=10)
    with pytest.raises(ValidationError) as raised:
        save_fuel_log(log)
    assert raised.value.message_dict["odometer_reading"] == [
        "Must be less than 42,300 mi, the reading of your fill-up on Jan 10, 2025."
    ]
    assert FuelLog.objects.count() == 1


# ---- the fuel rules are the model's: full_clean() and any ModelForm run them ----


def test_it_completes_the_amounts_when_cleaned(vehicle):
    log = fill_up_on_jan_5(vehicle, price_per_gallon=D("3.299"), total_cost=D("45.00"))
    log.full_clean()
    assert log.gallons == D("13.640")


def test_it_reports_every_broken_fuel_rule_when_cleaned(vehicle, make_log):
    make_log("2025-01-10", 42_300)
    log = fill_up_on_jan_5(
        vehicle, gallons=D("10"), price_per_gallon=D("3.5"), total_cost=D("40.00")
    )
    with pytest.raises(ValidationError) as raised:
        log.full_clean()
    assert raised.value.message_dict == {
        "odometer_reading": [
            "Must be less than 42,300 mi, the reading of your fill-up on Jan 10, 2025."
        ],
        "total_cost": [
            "10 gal at $3.5 a gallon comes to $35.00, more than 1 % away from $40.00. Correct "
            "one of the three, or leave one blank and MotoVault computes it."
        ],
    }


def test_it_refuses_a_fill_up_for_a_deleted_vehicle_when_cleaned(vehicle):
    vehicle.soft_delete()
    log = fill_up_on_jan_5(vehicle, gallons=10)
    log.total_cost = D("35.00")
    with pytest.raises(ValidationError) as raised:
        log.full_clean()
    assert raised.value.message_dict["vehicle"] == [
        "This vehicle is deleted; restore it to log fuel."
    ]


def test_it_applies_the_fuel_rules_in_any_model_form(vehicle, make_log):
    make_log("2025-01-10", 42_300)
    form_class = modelform_factory(FuelLog, fields="__all__")
    form = form_class(
        {
            "vehicle": vehicle.pk,
            "date": (timezone.localdate() + dt.timedelta(days=1)).isoformat(),
            "odometer_reading": "42200",
            "gallons": "10",
            "total_cost": "35",
            "is_full_tank": "on",
        }
    )
    assert form.errors == {
        "date": ["The date cannot be in the future."],
        "odometer_reading": [
            "Must be more than 42,300 mi, the reading of your fill-up on Jan 10, 2025."
        ],
    }
    form = form_class(
        {
            "vehicle": vehicle.pk,
            "date": "2025-01-11",
            "odometer_reading": "42600",
            "total_cost": "35",
            "is_full_tank": "on",
        }
    )
    assert form.errors == {
        "gallons": [
            "Enter at least two of gallons, price per gallon and total cost; MotoVault "
            "computes the third."
        ]
    }


def test_it_applies_the_odometer_limits_to_every_full_clean(vehicle):
    """The admin, an import or the API reach the limits the owner's form shows."""
    for reading, message in (
        (-1, "The odometer cannot be negative."),
        (10_000_000, "The largest reading MotoVault stores is 9,999,999 mi."),
    ):
        log = FuelLog(vehicle=vehicle, date=dt.date(2025, 1, 1), odometer_reading=reading)
        log.gallons, log.total_cost = Decimal("10"), Decimal("35")
        with pytest.raises(ValidationError) as error:
            log.full_clean()
        assert error.value.message_dict["odometer_reading"] == [message]
