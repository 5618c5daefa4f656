"""The cost of ownership (motovault.ownership_cost) on hand-worked amounts: no database, the
vehicle unsaved and the monthly sums made by hand."""

import datetime as dt
from decimal import Decimal

from costs.models import Category
from motovault.ownership_cost import MonthSum, cost_of_ownership, ownership_chart
from vehicles.models import Vehicle

D = Decimal


def month_sum(day, amount, odometer=None, category=""):
    return MonthSum(day.replace(day=1), D(amount), day, odometer, category)


def test_it_counts_fuel_services_other_costs_and_the_whole_price_while_owned():
    car = Vehicle(
        purchase_date=dt.date(2024, 3, 1),
        purchase_price=D("20000.00"),
        purchase_odometer=30_000,
        odometer_reading=42_000,
    )
    cost = cost_of_ownership(
        car,
        fuel=[
            month_sum(dt.date(2024, 3, 5), "1200.50", 30_100),
            month_sum(dt.date(2025, 7, 9), "799.50", 38_000),
        ],
        maintenance=[month_sum(dt.date(2025, 1, 20), "350.25", 35_000)],
        other=[
            month_sum(dt.date(2024, 3, 1), "450.00", None, Category.INSURANCE),
            month_sum(dt.date(2024, 4, 2), "49.75", None, Category.PARKING),
            month_sum(dt.date(2025, 3, 1), "450.00", None, Category.INSURANCE),
        ],
        today=dt.date(2026, 3, 1),
    )

    assert (cost.fuel, cost.maintenance, cost.other) == (D("2000.00"), D("350.25"), D("949.75"))
    assert cost.other_by_category == (("Insurance", D("900.00")), ("Parking", D("49.75")))
    # Owned, not sold: the whole price is lost so far.
    assert cost.depreciation == D("20000.00")
    assert cost.total == D("23300.00")
    # 730 days, 1.9986 years of 365.25 days: 23,300 x 365.25 / 730 = 11,657.979...
    assert cost.days == 730
    assert cost.per_year == D("11657.98")
    # 42,000 - 30,000 = 12,000 mi: 23,300 / 12,000 = 1.94166...
    assert cost.distance == 12_000
    assert cost.per_distance == D("1.942")
    # March 2024 to March 2026: 25 months, each kind's sum in its month.
    assert len(cost.monthly) == 25
    assert cost.monthly[0] == (dt.date(2024, 3, 1), (D("1200.50"), D(0), D("450.00")))
    assert cost.monthly[1] == (dt.date(2024, 4, 1), (D(0), D(0), D("49.75")))
    assert cost.monthly[-1] == (dt.date(2026, 3, 1), (D(0), D(0), D(0)))


def test_it_takes_the_sale_price_off_and_stops_counting_at_the_sale():
    car = Vehicle(
        purchase_date=dt.date(2020, 1, 1),
        purchase_price=D("30000.00"),
        purchase_odometer=10_000,
        sold_date=dt.date(2025, 1, 1),
        sold_price=D("12500.00"),
        odometer_reading=110_000,
        distance_unit="km",
    )
    cost = cost_of_ownership(
        car,
        fuel=[month_sum(dt.date(2022, 6, 1), "8000.00", 50_000)],
        maintenance=[month_sum(dt.date(2023, 6, 1), "2500.00")],
        other=[],
        today=dt.date(2026, 11, 29),
    )

    assert cost.depreciation == D("17500.00")
    assert cost.total == D("28000.00")
    assert cost.other_by_category == ()
    # 2020-01-01 to the sale on 2025-01-01: 1,827 days (two leap years).
    # 28,000 x 365.25 / 1,827 = 5,597.701...
    assert (cost.end, cost.days) == (dt.date(2025, 1, 1), 1827)
    assert cost.per_year == D("5597.70")
    # The odometer at the sale (its last reading) less the one at purchase: 100,000 km.
    assert cost.per_distance == D("0.280")
    assert cost.monthly[-1][0] == dt.date(2025, 1, 1)


def test_it_counts_from_the_first_record_without_a_purchase_and_no_depreciation_without_a_price():
    car = Vehicle(
        sold_date=dt.date(2025, 6, 30),
        sold_price=D("5000.00"),
        odometer_reading=95_000,
    )
    cost = cost_of_ownership(
        car,
        fuel=[
            month_sum(dt.date(2023, 1, 15), "1000.00", 80_400),
            month_sum(dt.date(2024, 2, 3), "2000.00", 88_000),
        ],
        maintenance=[month_sum(dt.date(2023, 3, 1), "1000.00", 81_000)],
        # A cost's odometer is a reading too: the lowest of them all is where driving starts.
        other=[month_sum(dt.date(2023, 2, 1), "0.00", 80_000, Category.WASHING)],
        today=dt.date(2026, 11, 29),
    )

    # Nothing says what it was worth: no depreciation, not a sale price counted as a gain.
    assert cost.depreciation is None
    assert cost.total == D("4000.00")
    # From the first record, January 15, 2023, to the sale: 731 + 166 = 897 days.
    # 4,000 x 365.25 / 897 = 1,628.762...
    assert (cost.start, cost.days) == (dt.date(2023, 1, 15), 897)
    assert cost.per_year == D("1628.76")
    # 95,000 - 80,000 = 15,000 mi: 4,000 / 15,000 = 0.2666...
    assert cost.per_distance == D("0.267")
    # A category whose costs came to nothing is not listed.
    assert cost.other_by_category == ()


def test_it_says_nothing_per_distance_before_any_driving_and_a_first_year_is_one_year():
    car = Vehicle(
        purchase_date=dt.date(2026, 2, 1),
        purchase_price=D("15000.00"),
        purchase_odometer=5_000,
        odometer_reading=5_000,
    )
    cost = cost_of_ownership(
        car,
        fuel=[month_sum(dt.date(2026, 2, 2), "45.00", 5_000)],
        maintenance=[],
        other=[],
        today=dt.date(2026, 3, 1),
    )

    assert cost.distance == 0
    assert cost.per_distance is None  # "not enough driving yet", not a division by zero
    # 28 days owned: counted as one year, not 13 purchases a year.
    assert cost.per_year == cost.total == D("15045.00")
    assert ownership_chart(cost) is not None  # February and March


def test_it_has_nothing_to_count_without_records_or_a_purchase():
    cost = cost_of_ownership(
        Vehicle(odometer_reading=1_000),
        fuel=[],
        maintenance=[],
        other=[],
        today=dt.date(2026, 3, 1),
    )

    assert not cost.has_costs
    assert cost.start is None and cost.per_year is None
    assert cost.distance is None and cost.per_distance is None
    assert cost.monthly == () and ownership_chart(cost) is None


def test_it_charts_the_latest_12_months_of_a_long_ownership():
    car = Vehicle(purchase_date=dt.date(2015, 1, 10), odometer_reading=0)
    cost = cost_of_ownership(
        car,
        fuel=[month_sum(dt.date(2015, 1, 10), "10.00"), month_sum(dt.date(2026, 2, 1), "20.00")],
        maintenance=[],
        other=[month_sum(dt.date(2026, 3, 1), "5.00", None, Category.TOLLS)],
        today=dt.date(2026, 3, 1),
    )

    chart = ownership_chart(cost)

    assert len(cost.monthly) == 135  # January 2015 to March 2026
    # The chart starts at its first month with a cost among the latest 12.
    assert [row[0] for row in chart.table] == ["February 2026", "March 2026"]
    assert chart.table[1] == ("March 2026", "$0.00", "$0.00", "$5.00", "$5.00")
    assert cost.fuel == D("30.00")  # the figures count every month
