import datetime as dt
from decimal import Decimal

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from demo.generator import REAL_VEHICLES, Generator
from fuellogs.cache import stats_for_vehicle
from fuellogs.economy import segment_ratios
from fuellogs.models import FuelLog


def test_it_serves_cached_statistics_without_a_query(vehicle, make_log, django_assert_num_queries):
    make_log("2024-01-01", 1_000)
    make_log("2024-01-08", 1_300)
    today = timezone.localdate()
    assert stats_for_vehicle(vehicle, today=today).average_economy == Decimal(30)
    with django_assert_num_queries(0):
        assert stats_for_vehicle(vehicle, today=today).average_economy == Decimal(30)


def test_it_shows_fresh_statistics_after_a_log_is_added_edited_and_deleted(
    owner_client, vehicle, make_log
):
    make_log("2024-01-01", 1_000)
    second = make_log("2024-01-08", 1_300)
    detail = reverse("vehicles:detail", args=[vehicle.pk])
    assert "30.0" in owner_client.get(detail).content.decode()

    owner_client.post(
        reverse("fuellogs:edit", args=[second.pk]),
        {
            "vehicle": vehicle.pk,
            "date": "2024-01-08",
            "odometer_reading": 1_250,
            "gallons": "10",
            "price_per_gallon": "3",
            "is_full_tank": "on",
        },
    )
    assert FuelLog.objects.get(pk=second.pk).odometer_reading == 1_250
    assert "25.0" in owner_client.get(detail).content.decode()

    owner_client.post(reverse("fuellogs:delete", args=[second.pk]))
    stats = stats_for_vehicle(vehicle, today=timezone.localdate())
    assert stats.fill_ups == 1
    assert stats.average_economy is None


def test_it_forgets_both_vehicles_when_a_log_moves(
    owner_client, owner, vehicle, make_vehicle, make_log
):
    other = make_vehicle(owner, nickname="Second car", odometer_reading=0)
    make_log("2024-01-01", 1_000)
    moved = make_log("2024-01-08", 1_300)
    today = timezone.localdate()
    assert stats_for_vehicle(vehicle, today=today).fill_ups == 2
    assert stats_for_vehicle(other, today=today).fill_ups == 0

    owner_client.post(
        reverse("fuellogs:edit", args=[moved.pk]),
        {
            "vehicle": other.pk,
            "date": "2024-01-08",
            "odometer_reading": 1_300,
            "gallons": "10",
            "price_per_gallon": "3",
            "is_full_tank": "on",
        },
    )
    assert stats_for_vehicle(vehicle, today=today).fill_ups == 1
    assert stats_for_vehicle(other, today=today).fill_ups == 1


def test_it_computes_a_page_of_mpg_from_just_the_segments_it_needs(owner, vehicle):
    """Partial and missed fill-ups included: every page agrees with the whole history."""
    generator = Generator(seed=7, today=dt.date(2025, 6, 1))
    logs = generator.fuel_logs(vehicle, REAL_VEHICLES[1], 400)
    FuelLog.objects.bulk_create(logs)
    everything = segment_ratios(FuelLog.objects.filter(vehicle=vehicle).economy_rows())
    assert any(log.missed_previous for log in logs) and any(not log.is_full_tank for log in logs)
    paginator = Paginator(FuelLog.objects.filter(vehicle=vehicle).newest_first(), 25)
    for number in paginator.page_range:
        page = paginator.page(number)
        mpg = segment_ratios(FuelLog.objects.economy_rows_for(page))
        assert {log.id: mpg.get(log.id) for log in page} == {
            log.id: everything.get(log.id) for log in page
        }
