"""The costs per month, stacked (the dashboard's, and the vehicle page's cost of ownership): the
chart's geometry on hand-worked amounts, then the dashboard's figures from stored fill-ups,
services and other costs."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone

from costs.models import Category, Cost
from fuellogs.charts import TOP, Tick
from maintenance.models import MaintenanceRecord, MaintenanceType
from motovault.charts import FUEL, MAINTENANCE, monthly_costs_chart
from motovault.tests.test_dashboard import log

D = Decimal


def months_back(today: dt.date, count: int) -> dt.date:
    """The first day of the month `count` months before today's."""
    month = today.month - count
    return dt.date(today.year + (month - 1) // 12, (month - 1) % 12 + 1, 1)


def service(vehicle, completed_date, cost, *, completed=True):
    return MaintenanceRecord.objects.create(
        user=vehicle.user,
        vehicle=vehicle,
        type=MaintenanceType.OIL_CHANGE,
        is_completed=completed,
        completed_date=completed_date if completed else None,
        due_date=None if completed else completed_date,
        cost=D(cost),
    )


def other_cost(vehicle, day, amount, category=Category.INSURANCE):
    return Cost.objects.create(vehicle=vehicle, category=category, date=day, amount=D(amount))


def test_it_stacks_maintenance_on_fuel_from_the_first_month_with_costs():
    monthly = [(dt.date(2025, m, 1), (D(0), D(0))) for m in range(1, 10)] + [
        (dt.date(2025, 10, 1), (D(50), D(50))),
        (dt.date(2025, 11, 1), (D(0), D(25))),
        (dt.date(2025, 12, 1), (D(100), D(0))),
    ]
    chart = monthly_costs_chart(monthly, series=(FUEL, MAINTENANCE))
    # Totals 100, 25 and 100 on an axis from 0 to 100 in steps of 50, 140 units tall above the
    # axis at 152: October's $50 of fuel from 152 up to 82, its $50 of maintenance on top, to 12.
    assert [tick.label for tick in chart.y_ticks] == ["0", "50", "100"]
    assert [(m.label, m.value, m.y, m.height, m.css_class) for m in chart.marks] == [
        ("October 2025, fuel", "$50.00", 82, 70, "bar"),
        ("October 2025, maintenance", "$50.00", TOP, 70, "bar bar-maintenance"),
        ("November 2025, fuel", "$0.00", 152, 0, "bar"),
        ("November 2025, maintenance", "$25.00", 117, 35, "bar bar-maintenance"),
        ("December 2025, fuel", "$100.00", TOP, 140, "bar"),
        ("December 2025, maintenance", "$0.00", TOP, 0, "bar bar-maintenance"),
    ]
    assert chart.x_ticks == [Tick(91, "Oct", "2025"), Tick(177, "Nov"), Tick(263, "Dec")]
    assert [series.name for series in chart.legend] == ["Fuel", "Maintenance"]
    assert chart.headings == ("Month", "Fuel", "Maintenance", "Total")
    assert chart.table == (
        ("October 2025", "$50.00", "$50.00", "$100.00"),
        ("November 2025", "$0.00", "$25.00", "$25.00"),
        ("December 2025", "$100.00", "$0.00", "$100.00"),
    )
    assert chart.summary == (
        "Fuel and maintenance costs per month, all vehicles, October 2025 to December 2025."
    )


def test_it_has_no_chart_for_one_month_or_none():
    empty = [(dt.date(2025, m, 1), (D(0), D(0), D(0))) for m in range(1, 13)]
    assert monthly_costs_chart(empty) is None
    assert monthly_costs_chart([*empty[:-1], (dt.date(2025, 12, 1), (D(0), D(80), D(0)))]) is None


def test_it_stacks_other_costs_on_fuel_and_maintenance():
    chart = monthly_costs_chart(
        [
            (dt.date(2025, 11, 1), (D(20), D(30), D(50))),
            (dt.date(2025, 12, 1), (D(0), D(0), D("12.50"))),
        ],
        of="this vehicle",
    )
    # Totals 100 and 12.50 on an axis from 0 to 100: November's fuel from 152 up 28 units, its
    # maintenance 42 above that, its other costs the last 70, up to the top.
    assert [(m.label, m.y, m.height, m.css_class) for m in chart.marks[:3]] == [
        ("November 2025, fuel", 124, 28, "bar"),
        ("November 2025, maintenance", 82, 42, "bar bar-maintenance"),
        ("November 2025, other costs", TOP, 70, "bar bar-other"),
    ]
    assert [series.name for series in chart.legend] == ["Fuel", "Maintenance", "Other costs"]
    assert chart.headings == ("Month", "Fuel", "Maintenance", "Other costs", "Total")
    assert chart.table[1] == ("December 2025", "$0.00", "$0.00", "$12.50", "$12.50")
    assert chart.summary == (
        "Fuel, maintenance and other costs per month, this vehicle, November 2025 to December 2025."
    )


def test_it_charts_every_vehicles_fuel_and_maintenance_per_month(
    owner_client, owner, vehicle, make_vehicle, other_user
):
    today = timezone.localdate()
    two_ago, last, this = (months_back(today, n) for n in (2, 1, 0))
    sold = make_vehicle(owner, nickname="Sold car", is_active=False)
    # Two months ago: $30.00 + $40.00 of fuel.
    log(vehicle, two_ago, 40_000, total="30.00")
    log(vehicle, two_ago + dt.timedelta(days=1), 40_300, total="40.00")
    # Last month: $12.25 of fuel and a $100.00 service for the sold car.
    log(sold, last, 90_000, total="12.25")
    service(sold, last, "100.00")
    # This month: $25.50 of fuel and an $80.00 service; a service still to do costs nothing yet.
    log(vehicle, today, 40_600, total="25.50")
    service(vehicle, today, "80.00")
    service(vehicle, today + dt.timedelta(days=30), "999.00", completed=False)
    # Thirteen months ago is before the chart.
    service(vehicle, months_back(today, 13), "500.00")
    # Another owner's costs are theirs.
    theirs = make_vehicle(other_user, nickname="Theirs")
    log(theirs, last, 10_000, total="1000.00")
    service(theirs, today, "2000.00")
    other_cost(theirs, today, "3000.00")
    # Other costs: $45.00 of parking last month, $300.00 of insurance this one.
    other_cost(sold, last, "45.00", Category.PARKING)
    other_cost(vehicle, today, "300.00")

    page = owner_client.get("/").content.decode()

    def row(month, *amounts):
        return f"<tr><td>{month:%B %Y}</td>" + "".join(f"<td>{a}</td>" for a in amounts) + "</tr>"

    # From two months ago, the first with costs, to this one.
    assert page.count("<tr><td>") == 3
    assert row(two_ago, "$70.00", "$0.00", "$0.00", "$70.00") in page
    assert row(last, "$12.25", "$100.00", "$45.00", "$157.25") in page
    assert row(this, "$25.50", "$80.00", "$300.00", "$405.50") in page
    assert "<caption>Costs per month</caption>" in page
    assert '<span class="swatch bar bar-maintenance" aria-hidden="true"></span>Maintenance' in page
    assert "style=" not in page


def test_it_tells_a_new_owner_the_chart_comes_next_month(owner_client, vehicle):
    log(vehicle, timezone.localdate(), 40_000, total="30.00")
    page = owner_client.get("/").content.decode()
    assert 'class="chart"' not in page
    assert "charted month by month from your second month" in page


def test_it_tells_an_owner_without_costs_what_the_chart_will_show(owner_client, vehicle):
    page = owner_client.get("/").content.decode()
    assert "No costs logged in the last 12 months." in page


@pytest.mark.parametrize("vehicles", [1, 6])
def test_it_costs_the_dashboard_no_query(
    owner_client, owner, make_vehicle, vehicles, django_assert_num_queries
):
    today = timezone.localdate()
    for i in range(vehicles):
        car = make_vehicle(owner, nickname=f"Car {i}")
        for n in range(12):
            log(car, months_back(today, 11 - n), 1_000 + 300 * n, total="10.00")
            service(car, months_back(today, 11 - n), "5.00")
            other_cost(car, months_back(today, 11 - n), "2.50")
    # The same ten queries as without the chart (test_dashboard pins them): the fuel comes
    # with the cached statistics, the maintenance and other costs with the sums the spending
    # table reads.
    with django_assert_num_queries(10):
        response = owner_client.get("/")
    chart = response.context["cost_chart"]
    assert len(chart.table) == 12
    total = D("17.50") * vehicles
    assert all(row[4] == f"${total:.2f}" for row in chart.table)


def test_it_leaves_out_the_axis_title_where_amounts_of_four_digits_would_run_into_it():
    months = [dt.date(2025, m, 1) for m in (10, 11)]
    small = monthly_costs_chart(
        [(months[0], (D(50), D(50), D(0))), (months[1], (D(0), D(25), D(0)))]
    )
    large = monthly_costs_chart(
        [(months[0], (D(900), D(600), D(0))), (months[1], (D(400), D(0), D(0)))]
    )

    assert small.shows_y_label
    assert [tick.label for tick in large.y_ticks][-1] == "1,500"
    assert not large.shows_y_label
