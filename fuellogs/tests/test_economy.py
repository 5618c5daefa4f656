"""MPG and statistics on hand-worked sequences (the arithmetic is in each test's comments)."""

import datetime as dt
import itertools
from decimal import Decimal

import pytest

from fuellogs.economy import (
    FIRST,
    MISSED,
    NO_DISTANCE,
    PARTIAL,
    closed_by,
    last_twelve_months,
    segment_ratios,
    vehicle_stats,
)
from fuellogs.models import FuelLog

D = Decimal
_ids = itertools.count(1)


def row(date, odometer, gallons, *, cost=None, full=True, missed=False, vehicle="car"):
    return {
        "id": next(_ids),
        "vehicle_id": vehicle,
        "date": dt.date.fromisoformat(date),
        "odometer_reading": odometer,
        "gallons": D(gallons),
        "total_cost": D(cost) if cost is not None else None,
        "is_full_tank": full,
        "missed_previous": missed,
    }


def mpgs(rows) -> list[str | None]:
    """Each row's MPG to two decimals, None where it closes no segment."""
    by_id = segment_ratios(rows)
    return [f"{by_id[r['id']]:.2f}" if r["id"] in by_id else None for r in rows]


def test_it_computes_mpg_between_full_fill_ups():
    rows = [
        row("2025-01-01", 10_000, "10"),  # the first fill-up: nothing to measure yet
        row("2025-01-10", 10_300, "10"),  # 300 mi / 10 gal = 30
        row("2025-01-20", 10_550, "12.5"),  # 250 mi / 12.5 gal = 20
    ]
    assert mpgs(rows) == [None, "30.00", "20.00"]


def test_it_adds_partial_fill_ups_to_the_next_full_one():
    rows = [
        row("2025-01-01", 10_000, "10"),
        row("2025-01-05", 10_150, "5", full=False),  # partial: closes nothing
        row("2025-01-10", 10_400, "7.5"),  # 400 mi / (5 + 7.5) gal = 32
    ]
    assert mpgs(rows) == [None, None, "32.00"]


def test_it_ignores_partial_fill_ups_before_the_first_full_one():
    rows = [
        row("2025-01-01", 9_900, "4", full=False),
        row("2025-01-02", 10_000, "10"),  # the first full fill-up starts the first segment
        row("2025-01-10", 10_330, "11"),  # 330 / 11 = 30
    ]
    assert mpgs(rows) == [None, None, "30.00"]


def test_it_gives_no_mpg_to_a_segment_with_a_missed_fill_up():
    rows = [
        row("2025-01-01", 10_000, "10"),
        row("2025-01-10", 10_300, "10"),  # 30
        row("2025-01-30", 10_900, "10", missed=True),  # a fill-up in between was never logged
        row("2025-02-10", 11_200, "12"),  # a fresh segment: 300 / 12 = 25
    ]
    assert mpgs(rows) == [None, "30.00", None, "25.00"]


def test_it_marks_the_segment_after_a_missed_fill_up_so_charts_break_the_line():
    rows = [
        row("2025-01-01", 10_000, "10"),
        row("2025-01-10", 10_300, "10"),  # 30, joined to nothing before it
        row("2025-01-20", 10_600, "10"),  # 30, joined to the one before
        row("2025-01-30", 10_900, "10", missed=True),  # no MPG: the gap
        row("2025-02-05", 10_900, "2"),  # a same-day top-up: no MPG, still after the gap
        row("2025-02-10", 11_200, "12"),  # 300 / 12 = 25, after the gap
        row("2025-02-20", 11_500, "10", full=False),
        row("2025-02-25", 11_800, "10"),  # 600 / 20 = 30: a partial fill-up is no gap
    ]
    stats = vehicle_stats(rows, today=dt.date(2025, 3, 1))
    assert [(s.date.isoformat(), s.after_gap) for s in stats.segments] == [
        ("2025-01-10", False),
        ("2025-01-20", False),
        ("2025-02-10", True),
        ("2025-02-25", False),
    ]


def test_it_gives_no_mpg_when_a_partial_fill_up_in_the_segment_missed_one():
    rows = [
        row("2025-01-01", 10_000, "10"),
        row("2025-01-05", 10_200, "5", full=False, missed=True),
        row("2025-01-10", 10_400, "8"),  # its segment contains the gap
        row("2025-01-20", 10_700, "10"),  # 300 / 10 = 30
    ]
    assert mpgs(rows) == [None, None, None, "30.00"]


def test_it_handles_several_fill_ups_on_one_day():
    rows = [
        row("2025-01-01", 10_000, "10"),
        row("2025-01-08", 10_200, "4", full=False),  # the pump stopped early
        row("2025-01-08", 10_210, "4"),  # 210 / (4 + 4) = 26.25
        row("2025-01-08", 10_210, "0.5"),  # a top-up at the same reading: no distance, no MPG
        row("2025-01-15", 10_510, "10"),  # 300 / 10 = 30
    ]
    assert mpgs(rows) == [None, None, "26.25", None, "30.00"]


def test_it_follows_each_vehicle_separately_in_mixed_rows():
    rows = [
        row("2025-01-01", 10_000, "10", vehicle="a"),
        row("2025-01-02", 50_000, "20", vehicle="b"),
        row("2025-01-05", 10_300, "10", vehicle="a"),  # 30
        row("2025-01-06", 50_400, "20", vehicle="b"),  # 20
    ]
    assert mpgs(rows) == [None, None, "30.00", "20.00"]


def test_it_says_what_each_fill_up_closes_or_why_it_closes_nothing():
    rows = [
        row("2025-01-01", 10_000, "10"),
        row("2025-01-05", 10_150, "5", full=False),
        row("2025-01-10", 10_400, "7.5"),
        row("2025-01-10", 10_400, "1"),
        row("2025-01-30", 10_900, "10", missed=True),
    ]
    assert closed_by(rows, rows[0]["id"]) == FIRST
    assert closed_by(rows, rows[1]["id"]) == PARTIAL
    segment = closed_by(rows, rows[2]["id"])
    assert (segment.distance, segment.quantity, segment.ratio) == (400, D("12.5"), 32)
    assert closed_by(rows, rows[3]["id"]) == NO_DISTANCE
    assert closed_by(rows, rows[4]["id"]) == MISSED
    assert closed_by(rows, "not a row") is None


def test_it_computes_a_vehicles_statistics():
    rows = [
        row("2026-01-10", 10_000, "10", cost="30.00"),
        row("2026-02-10", 10_300, "10", cost="35.00"),  # 30 mpg
        row("2026-02-20", 10_400, "2.5", cost="10.00", full=False),
        row("2026-03-10", 10_550, "10", cost="40.00"),  # 250 / 12.5 = 20 mpg
    ]
    stats = vehicle_stats(rows, today=dt.date(2026, 3, 15))
    assert stats.fill_ups == 4
    assert stats.total_spent == D("115.00")
    # (300 + 250) mi / (10 + 12.5) gal
    assert f"{stats.average_economy:.3f}" == "24.444"
    assert (stats.last_economy, stats.best_economy, stats.worst_economy) == (20, 30, 20)
    # What was spent after the first fill-up over the 550 miles since: 85 / 550
    assert f"{stats.cost_per_distance:.4f}" == "0.1545"
    # 115 / 32.5 gal
    assert f"{stats.average_price_per_unit:.3f}" == "3.538"
    assert stats.monthly_spending[-3:] == [
        (dt.date(2026, 1, 1), D("30.00")),
        (dt.date(2026, 2, 1), D("45.00")),
        (dt.date(2026, 3, 1), D("40.00")),
    ]
    assert stats.monthly_spending[0] == (dt.date(2025, 4, 1), D(0))
    assert len(stats.monthly_spending) == 12


def test_it_leaves_out_spending_older_than_twelve_months_from_the_chart_only():
    rows = [row("2024-12-31", 1_000, "10", cost="30.00"), row("2025-12-01", 1_300, "10", cost="31")]
    stats = vehicle_stats(rows, today=dt.date(2025, 12, 31))
    assert stats.total_spent == D("61.00")
    assert sum(amount for _, amount in stats.monthly_spending) == D("31")


def test_it_skips_unknown_costs_in_the_price_average():
    rows = [row("2025-01-01", 1_000, "10", cost="30.00"), row("2025-01-09", 1_300, "10")]
    stats = vehicle_stats(rows, today=dt.date(2025, 1, 31))
    assert stats.total_spent == D("30.00")
    assert stats.average_price_per_unit == D("3")
    assert stats.average_economy == D(30)


def test_it_has_no_numbers_for_a_vehicle_without_logs():
    stats = vehicle_stats([], today=dt.date(2025, 1, 31))
    assert stats.fill_ups == 0
    assert stats.total_spent == 0
    assert stats.average_economy is stats.cost_per_distance is stats.average_price_per_unit is None
    assert [amount for _, amount in stats.monthly_spending] == [D(0)] * 12


def test_it_lists_the_last_twelve_months_across_a_new_year():
    months = last_twelve_months(dt.date(2026, 2, 14))
    assert months[0] == dt.date(2025, 3, 1)
    assert months[-1] == dt.date(2026, 2, 1)
    assert len(set(months)) == 12


class TestStoredLogs:
    """Edits and deletes in the middle are reflected at once: nothing is stored."""

    @pytest.fixture
    def logs(self, make_log):
        return [
            make_log("2025-01-01", 10_000),
            make_log("2025-01-10", 10_300),  # 300 / 10 = 30
            make_log("2025-01-20", 10_600, gallons=D("12")),  # 300 / 12 = 25
        ]

    def current(self, vehicle, logs):
        mpg = segment_ratios(FuelLog.objects.filter(vehicle=vehicle).economy_rows())
        return [f"{mpg[log.id]:.2f}" if log.id in mpg else None for log in logs]

    def test_it_recomputes_after_deleting_a_log_in_the_middle(self, vehicle, logs):
        logs[1].delete()
        # The last fill-up now closes 600 mi on its own 12 gal: 50
        assert self.current(vehicle, [logs[0], logs[2]]) == [None, "50.00"]

    def test_it_recomputes_after_a_log_in_the_middle_becomes_partial(self, vehicle, logs):
        logs[1].is_full_tank = False
        logs[1].save()
        # 600 mi / (10 + 12) gal
        assert self.current(vehicle, logs) == [None, None, "27.27"]

    def test_it_recomputes_after_editing_gallons_in_the_middle(self, vehicle, logs):
        logs[1].gallons = D("12")
        logs[1].save()
        assert self.current(vehicle, logs) == [None, "25.00", "25.00"]

    def test_it_orders_same_day_logs_by_odometer(self, vehicle, make_log, logs):
        # Logged out of order on one day: the later reading first.
        make_log("2025-01-25", 10_800, gallons=D("4"))
        make_log("2025-01-25", 10_700, gallons=D("4"), is_full_tank=False)
        rows = FuelLog.objects.filter(vehicle=vehicle).economy_rows()
        assert [r["odometer_reading"] for r in rows][-2:] == [10_700, 10_800]
        # 200 mi / 8 gal
        assert f"{segment_ratios(rows)[rows[-1]['id']]:.2f}" == "25.00"
