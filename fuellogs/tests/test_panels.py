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
    for i, (odometer, gallons) in enumerate([(10_000, "10"), (10_300, "10"), (10_550, "12.5")]):
        make_log(today - dt.timedelta(days=20 - i), odometer, gallons=D(gallons))
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


def test_it_explains_missing_mpg_after_one_fill_up(vehicle, make_log):
    make_log(timezone.localdate(), 42_000)
    html = render(vehicle)
    assert "No MPG yet: it needs two full fill-ups." in html
    assert html.count('<svg class="chart"') == 1


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
