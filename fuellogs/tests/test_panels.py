import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from fuellogs.panels import vehicle_fuel_panel

D = Decimal


def render(vehicle):
    return render_to_string("fuellogs/_vehicle_panel.html", {"fuel": vehicle_fuel_panel(vehicle)})


def test_it_shows_statistics_latest_logs_and_charts(vehicle, make_log):
    today = timezone.localdate()
    # 62, 41 and 20 days ago: two months at least, so that spending has a chart.
    for i, (odometer, gallons) in enumerate([(10_000, "10"), (10_300, "10"), (10_550, "12.5")]):
        make_log(today - dt.timedelta(days=62 - 21 * i), odometer, gallons=D(gallons))
    fuel = vehicle_fuel_panel(vehicle)
    assert fuel["stats"].fill_ups == 3
    # (300 + 250) / (10 + 12.5)
    assert f"{fuel['stats'].average_economy:.2f}" == "24.44"
    assert [mpg for _, mpg in fuel["latest"]] == [20, 30, None]
    html = render(vehicle)
    assert "<dt>Average MPG</dt><dd>24.4</dd>" in html
    assert "<dt>Best MPG</dt><dd>30.0</dd>" in html
    assert "<dt>Total spent</dt><dd>$97.50</dd>" in html
    assert "<dt>Fill-ups</dt><dd>3</dd>" in html
    assert "10,550 mi" in html
    assert html.count('<svg class="chart"') == 2
    assert "<caption>MPG over time</caption>" in html
    assert "<caption>Spending per month</caption>" in html
    assert f'href="/fuel/add/?vehicle={vehicle.pk}&amp;next=/vehicles/{vehicle.pk}/"' in html
    assert f'href="/fuel/?vehicle={vehicle.pk}"' in html
    assert "style=" not in html


def test_it_shows_only_the_latest_five_logs(vehicle, many_logs):
    many_logs(8)
    fuel = vehicle_fuel_panel(vehicle)
    assert [log.odometer_reading for log, _ in fuel["latest"]] == [
        1_000 + 300 * i for i in range(7, 2, -1)
    ]


def test_it_invites_the_first_fill_up(vehicle):
    html = render(vehicle)
    assert "No fill-ups logged for this vehicle yet." in html
    assert "<svg" not in html


def test_it_shows_a_new_owner_no_empty_months(vehicle, make_log):
    make_log(timezone.localdate(), 42_000)
    html = render(vehicle)
    assert "No MPG yet: it needs two full fill-ups." in html
    # One month of spending is no chart: eleven empty bars and one full one said nothing.
    assert "<svg" not in html
    assert (
        "$30.00 on fuel so far this month; the chart of spending per month starts next month."
        in html
    )


def test_it_draws_no_line_through_one_point(vehicle, make_log):
    today = timezone.localdate()
    make_log(today - dt.timedelta(days=7), 42_000)
    make_log(today, 42_300)
    html = render(vehicle)
    assert "One MPG so far, 30.0: the line starts with the next full fill-up." in html
    assert "<caption>MPG over time</caption>" not in html


def test_it_charts_spending_from_the_first_month_with_any(vehicle, make_log):
    today = timezone.localdate()
    last_month = (today.replace(day=1) - dt.timedelta(days=1)).replace(day=1)
    make_log(last_month, 42_000)
    html = render(vehicle)
    # Last month's $30.00 and this month's nothing: two bars, not twelve.
    assert html.count('<rect class="bar"') == 2
    assert f"<td>{last_month:%B %Y}</td><td>$30.00</td>" in html
    assert f"<td>{today:%B %Y}</td><td>$0.00</td>" in html


@pytest.mark.parametrize("count", [5, 5000])
def test_it_costs_two_queries_however_many_logs(
    vehicle, many_logs, django_assert_num_queries, count
):
    many_logs(count)
    # the economy rows and the latest five
    with django_assert_num_queries(2):
        html = render(vehicle)
    assert f"<dt>Fill-ups</dt><dd>{count:,}</dd>" in html


def test_it_is_on_the_vehicle_page(owner_client, vehicle, make_log):
    make_log("2025-01-01", 10_000)
    make_log("2025-01-10", 10_300)
    html = owner_client.get(f"/vehicles/{vehicle.pk}/").content.decode()
    assert 'id="fuel-panel-title"' in html
    assert "<dt>Last MPG</dt><dd>30.0</dd>" in html


def test_it_does_not_show_another_users_vehicle_page(other_client, vehicle, make_log):
    make_log("2025-01-01", 10_000)
    assert other_client.get(f"/vehicles/{vehicle.pk}/").status_code == 404
