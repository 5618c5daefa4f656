"""The vehicle page's costs panel: the latest costs, this year's total, in two queries however
many costs there are."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from costs.models import Cost
from costs.panels import vehicle_costs_panel


def many_costs(vehicle, count: int) -> None:
    """`count` costs of 10.00, one a day back from today."""
    today = timezone.localdate()
    Cost.objects.bulk_create(
        Cost(
            user=vehicle.user,
            vehicle=vehicle,
            category="parking",
            date=today - dt.timedelta(days=n),
            amount=Decimal("10.00"),
        )
        for n in range(count)
    )


def test_it_shows_the_latest_costs_and_this_years_total(
    owner_client, vehicle, other_user, make_vehicle, make_cost
):
    today = timezone.localdate()
    make_cost(vehicle, today.replace(month=1, day=1), amount=Decimal("612.40"), repeat_months=12)
    make_cost(vehicle, today, category="tolls", title="Bridge", amount=Decimal("7.50"))
    # Last year (a year back from Feb 29 has no such day).
    make_cost(vehicle, today.replace(year=today.year - 1, day=1), amount=Decimal("590"))
    make_cost(make_vehicle(other_user), today, amount=Decimal("999"))

    page = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk])).content.decode()

    assert f"<dt>Total in {today.year}</dt><dd>$619.90</dd>" in page
    assert "<dt>Costs recorded</dt><dd>3</dd>" in page
    assert page.index("Bridge") < page.index("every 12 months") < page.index("Total in")
    back = f"next=/vehicles/{vehicle.pk}/"
    assert f'href="/costs/add/?vehicle={vehicle.pk}&amp;{back}"' in page
    assert f'href="/costs/?vehicle={vehicle.pk}">All costs</a>' in page


def test_it_says_what_to_add_without_costs(owner_client, vehicle):
    page = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk])).content.decode()
    assert "No other costs recorded for this vehicle." in page


@pytest.mark.parametrize("count", [3, 300])
def test_it_builds_the_panel_in_two_queries(vehicle, count, django_assert_num_queries):
    many_costs(vehicle, count)
    with django_assert_num_queries(2):  # the latest five, the count and the year's total
        panel = vehicle_costs_panel(vehicle)
    assert len(panel["latest"]) == min(count, 5) and panel["count"] == count


def test_the_vehicle_page_costs_the_same_queries_with_300_costs(
    owner_client, vehicle, no_page_cache
):
    def page_queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk]))
        assert response.status_code == 200
        return len(captured.captured_queries)

    many_costs(vehicle, 3)
    owner_client.get(reverse("vehicles:detail", args=[vehicle.pk]))  # caches filled
    few = page_queries()
    Cost.objects.all().delete()
    many_costs(vehicle, 300)
    assert page_queries() == few
