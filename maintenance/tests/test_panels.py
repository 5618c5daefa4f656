import random
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from django.utils.html import strip_tags

from maintenance.models import MaintenanceRecord
from maintenance.panels import vehicle_maintenance_panel
from maintenance.tests.conftest import GERMAN, bulk_records, days
from motovault import l10n


def render_panel(vehicle):
    request = RequestFactory().get(f"/vehicles/{vehicle.pk}/")
    return render_to_string(
        "maintenance/_vehicle_panel.html",
        {"maintenance": vehicle_maintenance_panel(vehicle)},
        request=request,
    )


@pytest.fixture
def history(vehicle, make_vehicle, owner, make_record):
    """Two years of services on the owner's car, and one on another car that must not count."""
    make_record(vehicle, type="battery", due_mileage=41_588)
    make_record(vehicle, type="inspection", due_date=days(9))
    make_record(vehicle, type="timing_belt", due_date=days(400))
    for date, kind, cost in [
        ("2024-03-01", "oil_change", "40.00"),
        ("2024-09-01", "oil_change", "45.50"),
        ("2025-02-10", "brake_service", "300.00"),
        ("2025-06-01", "wiper_blades", None),
    ]:
        make_record(
            vehicle,
            type=kind,
            is_completed=True,
            completed_date=date,
            cost=cost and Decimal(cost),
        )
    make_record(make_vehicle(owner), type="oil_change", is_completed=True, cost=Decimal("999"))


def test_it_sums_spending_in_total_per_type_and_per_year(vehicle, history):
    panel = vehicle_maintenance_panel(vehicle)
    assert panel["total_spent"] == Decimal("385.50")
    assert panel["service_count"] == 4
    assert [(row["label"], row["count"], row["total"]) for row in panel["per_type"]] == [
        ("Brake service", 1, Decimal("300.00")),
        ("Oil change", 2, Decimal("85.50")),
        ("Wiper blades", 1, None),
    ]
    assert [(row["year"], row["total"]) for row in panel["per_year"]] == [
        (2025, Decimal("300.00")),
        (2024, Decimal("85.50")),
    ]


def test_it_lists_the_schedule_most_urgent_first_and_recent_services(vehicle, history):
    page = render_panel(vehicle)
    assert page.index("412 miles over") < page.index("due in 9 days") < page.index("Timing belt")
    recent = page[page.index("Recent services") :]
    assert recent.index("Wiper blades") < recent.index("Brake service")
    assert "$385.50" in page
    assert "$300.00" in page
    assert f"/maintenance/add/?vehicle={vehicle.pk}&amp;next=/vehicles/{vehicle.pk}/" in page
    assert f"/maintenance/export.csv?vehicle={vehicle.pk}" in page


def test_it_says_what_to_do_for_a_vehicle_without_records(vehicle):
    page = render_panel(vehicle)
    assert "Nothing scheduled" in page
    assert "No services logged yet" in page
    assert "Add maintenance" in page


@pytest.mark.parametrize("count", [5, 2_000])
def test_it_builds_the_panel_in_fixed_queries(vehicle, count, django_assert_num_queries):
    bulk_records(vehicle, count)
    with django_assert_num_queries(5):
        page = render_panel(vehicle)
    assert page.count("Complete<span") == min(5, count - count // 4)


def test_it_shows_the_most_urgent_of_many_scheduled_records(vehicle, make_record):
    """Dates and mileages at every distance, so that urgency by date and by mileage interleave;
    the panel must pick what sorting every record would."""
    rng = random.Random(7)
    for _ in range(60):
        due = {
            "due_date": days(rng.randint(-90, 400)),
            "due_mileage": vehicle.odometer_reading + rng.randint(-3_000, 20_000),
        }
        kept = rng.choice([["due_date"], ["due_mileage"], ["due_date", "due_mileage"]])
        make_record(vehicle, **{name: due[name] for name in kept})
    today = timezone.localdate()
    every = sorted(
        (record.due(today).urgency, record.pk)
        for record in MaintenanceRecord.objects.filter(vehicle=vehicle).scheduled()
    )

    panel = vehicle_maintenance_panel(vehicle)

    assert [due.urgency for _, due in panel["schedule"]] == [urgency for urgency, _ in every[:5]]
    assert panel["more_scheduled"] == len(every) - 5


def test_it_shows_on_the_vehicle_page(owner_client, vehicle, history):
    page = owner_client.get(reverse("vehicles:detail", args=[vehicle.pk])).content.decode()
    assert "412 miles over" in page
    assert "$385.50" in page


def test_it_shows_a_vehicle_in_kilometers_in_the_owners_formats(owner, make_vehicle, make_record):
    kombi = make_vehicle(owner, nickname="Kombi", odometer_reading=80_000, distance_unit="km")
    make_record(kombi, type="battery", due_mileage=79_588, due_date=days(200))
    make_record(
        kombi,
        type="brake_service",
        is_completed=True,
        completed_date="2025-02-10",
        completed_mileage=75_500,
        cost=Decimal("1234.50"),
    )
    with l10n.override(GERMAN):
        page = render_panel(kombi)
    assert "412 km over" in page
    text = strip_tags(page)
    assert f"{days(200):%d.%m.%Y} · 79.588 km" in text
    assert "10.02.2025 · 75.500 km" in text
    assert page.count("1.234,50\xa0€") == 4  # the service, the total, per type, per year
    assert "$" not in page
