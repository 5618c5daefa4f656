"""Saving and deleting costs: the odometer, the readings of the projection, the caches."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils import timezone

from costs import services
from costs.models import Cost
from maintenance.upcoming import upcoming_cache_key
from motovault import unit_change
from vehicles import readings
from vehicles.cache import stamp_key, vehicles_stamp
from vehicles.models import AlreadySaved


def new_cost(vehicle, **fields) -> Cost:
    fields.setdefault("category", "tires")
    fields.setdefault("amount", Decimal("640.00"))
    fields.setdefault("date", timezone.localdate() - dt.timedelta(days=2))
    return Cost(vehicle=vehicle, **fields)


def test_it_raises_the_odometer_never_lowers_it(vehicle):
    services.add_cost(new_cost(vehicle, odometer_reading=43_500))
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 43_500

    services.add_cost(new_cost(vehicle, odometer_reading=41_000, category="washing"))
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 43_500


def test_its_readings_are_in_the_projections_spans(vehicle):
    day = timezone.localdate() - dt.timedelta(days=20)
    services.add_cost(new_cost(vehicle, date=day, odometer_reading=42_500))
    span = readings.spans(vehicle.user_id, day)[vehicle.pk]
    assert (span.first_day, span.lowest) == (day, 42_500)
    assert span.highest == 42_500


def test_it_refuses_a_vehicle_deleted_meanwhile(vehicle):
    cost = new_cost(vehicle)
    vehicle.soft_delete()
    with pytest.raises(ValidationError):
        services.save_cost(cost)
    assert not Cost.objects.exists()


def test_it_does_not_bring_back_a_cost_deleted_meanwhile(vehicle, make_cost):
    cost = make_cost(vehicle, "2026-03-01")
    Cost.objects.filter(pk=cost.pk).delete()
    cost.amount = Decimal(1)
    with pytest.raises(Cost.DoesNotExist):
        services.save_cost(cost, fields=["amount"])
    assert not Cost.objects.exists()


def test_it_tells_a_resubmission_from_a_new_cost(vehicle):
    first = services.add_cost(new_cost(vehicle))
    with pytest.raises(AlreadySaved) as saved:
        services.add_cost(new_cost(vehicle))
    assert saved.value.record == first
    services.add_cost(new_cost(vehicle, amount=Decimal("12.00")))
    assert Cost.objects.count() == 2


def test_it_forgets_the_upcoming_list_on_every_write(vehicle, make_cost):
    cache.set(upcoming_cache_key(vehicle.user_id), "stale")
    cost = services.add_cost(new_cost(vehicle, repeat_months=12, category="insurance"))
    assert cache.get(upcoming_cache_key(vehicle.user_id)) is None

    cache.set(upcoming_cache_key(vehicle.user_id), "stale")
    services.delete_cost(cost)
    assert cache.get(upcoming_cache_key(vehicle.user_id)) is None


def test_it_renews_the_owners_stamp_when_a_reading_changes(vehicle, make_cost):
    """A reading below the odometer raises nothing, yet the projection changes with it."""
    stamp = vehicles_stamp(vehicle.user_id)
    services.add_cost(new_cost(vehicle, odometer_reading=41_000))
    assert cache.get(stamp_key(vehicle.user_id)) != stamp

    cost = Cost.objects.get()
    stamp = vehicles_stamp(vehicle.user_id)
    cost.odometer_reading = None
    services.save_cost(cost, fields=["odometer_reading"])
    assert cache.get(stamp_key(vehicle.user_id)) != stamp

    stamp = vehicles_stamp(vehicle.user_id)
    services.add_cost(new_cost(vehicle, category="parking", amount=Decimal(3)))
    assert cache.get(stamp_key(vehicle.user_id)) == stamp


def test_a_change_of_the_vehicles_units_converts_the_costs_odometers(vehicle, make_cost):
    with_reading = make_cost(vehicle, "2026-01-10", odometer_reading=10_000)
    without = make_cost(vehicle, "2026-02-10", category="parking")
    vehicle.distance_unit = "km"

    assert unit_change.change_units(vehicle, ["distance_unit"], source=("mi", "gal_us"))

    with_reading.refresh_from_db()
    without.refresh_from_db()
    # 10,000 mi = 16,093.44 km; the amount is money and stays.
    assert (with_reading.odometer_reading, with_reading.amount) == (16_093, Decimal("100.00"))
    assert without.odometer_reading is None
