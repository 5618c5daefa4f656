"""/api/v1/costs/: the /costs/ pages' form, filters and services, as JSON; the renewals of
repeating costs on the upcoming list; a vehicle's purchase, sale and cost of ownership."""

import datetime as dt
from decimal import Decimal

import pytest
from django.utils import timezone
from openapi_spec_validator import validate

from api.tests.test_validation_parity import api_errors, page_errors
from conftest import make_fill_up
from costs.models import Cost
from maintenance.models import add_months


def test_it_adds_changes_and_deletes_a_cost(api, vehicle):
    created = api.post(
        "/api/v1/costs/",
        {
            "vehicle": str(vehicle.pk),
            "category": "insurance",
            "date": "2026-03-01",
            "amount": 612,
            "repeat_months": 12,
            "odometer_reading": 42_700,
        },
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert (body["amount"], body["next_due"]) == ("612.00", "2027-03-01")
    assert body["label"] == "Insurance"
    assert (body["currency"], body["distance_unit"], body["repeat_months"]) == ("USD", "mi", 12)
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 42_700  # through the service, as on the page
    path = f"/api/v1/costs/{body['id']}/"
    changed = api.patch(path, {"title": "Full cover", "amount": "640.5"})
    assert changed.status_code == 200, changed.content
    cost = Cost.objects.get(pk=body["id"])
    assert (cost.title, cost.amount, cost.repeat_months) == ("Full cover", Decimal("640.50"), 12)
    assert api.get(path).json()["label"] == "Full cover"
    assert api.delete(path).status_code == 204
    assert not Cost.objects.exists()


def test_it_stores_a_cost_sent_twice_once(api, vehicle):
    payload = {
        "vehicle": str(vehicle.pk),
        "category": "parking",
        "date": "2026-03-01",
        "amount": "4.50",
    }
    first, again = api.post("/api/v1/costs/", payload), api.post("/api/v1/costs/", payload)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"] and Cost.objects.count() == 1


@pytest.mark.parametrize(
    "data",
    [
        {"category": "other", "date": "2026-03-01", "amount": "20"},
        {"category": "fines", "date": "2099-01-01", "amount": "-3", "repeat_months": "0"},
    ],
    ids=["other without a title", "future, negative, never"],
)
def test_it_answers_a_bad_cost_with_the_forms_messages(api, owner_client, vehicle, data):
    data = {"vehicle": str(vehicle.pk), **data}
    from_page = page_errors(owner_client.post("/costs/add/", data))
    from_api = api_errors(api.post("/api/v1/costs/", data))
    assert from_page
    assert from_api == from_page
    assert not Cost.objects.exists()


def test_it_says_other_needs_a_title(api, vehicle):
    response = api.post(
        "/api/v1/costs/",
        {"vehicle": str(vehicle.pk), "category": "other", "date": "2026-03-01", "amount": "20"},
    )
    assert api_errors(response) == {"title": ["Say what this cost was: “Other” needs a title."]}


def test_it_filters_costs_as_the_costs_page_does(api, vehicle, owner, make_vehicle, make_cost):
    truck = make_vehicle(owner, nickname="Truck")
    make_cost(vehicle, "2026-01-10", category="insurance")
    make_cost(vehicle, "2026-03-10", category="tolls")
    make_cost(vehicle, "2026-03-12", category="insurance")
    make_cost(truck, "2026-03-11", category="insurance")
    listed = api.get(
        "/api/v1/costs/",
        {"vehicle": str(vehicle.pk), "category": "insurance", "date_from": "2026-02-01"},
    ).json()
    assert [item["date"] for item in listed["items"]] == ["2026-03-12"]
    assert listed["count"] == 1
    assert api.get("/api/v1/costs/").json()["count"] == 4
    wrong = api.get("/api/v1/costs/", {"category": "snacks"})
    assert wrong.status_code == 400 and list(wrong.json()["errors"]) == ["category"]


@pytest.mark.parametrize("count", [1, 1000])
def test_it_lists_costs_in_a_fixed_number_of_queries(
    api, vehicle, django_assert_num_queries, count
):
    Cost.objects.bulk_create(
        Cost(
            user=vehicle.user,
            vehicle=vehicle,
            category="parking",
            amount=Decimal("2.50"),
            date=dt.date(2020, 1, 1) + dt.timedelta(days=i),
            repeat_months=1,
        )
        for i in range(count)
    )
    api.get("/api/v1/vehicles/")  # the token's last use is written at most once a minute
    # the token with its owner, the owner's preferences, the page with vehicles, the count
    with django_assert_num_queries(4):
        response = api.get("/api/v1/costs/")
    assert len(response.json()["items"]) == min(count, 25)


def test_it_lists_a_renewal_due_as_the_upcoming_page_does(api, owner_client, vehicle, make_cost):
    today = timezone.localdate()
    cost = make_cost(vehicle, add_months(today, -12) + dt.timedelta(days=5), repeat_months=12)
    items = api.get("/api/v1/upcoming/").json()["items"]
    assert [(item["kind"], item["id"], item["title"]) for item in items] == [
        ("renewal", str(cost.pk), "Insurance renewal")
    ]
    assert items[0]["action"] == "Record payment"
    assert items[0]["url"].startswith("/costs/add/?")
    assert owner_client.get(items[0]["url"]).status_code == 200
    assert "Insurance renewal" in owner_client.get("/maintenance/upcoming/").content.decode()


# A vehicle's purchase and sale, and what it cost to own


def test_it_records_a_vehicles_purchase_and_sale(api, vehicle):
    path = f"/api/v1/vehicles/{vehicle.pk}/"
    bought = api.patch(
        path, {"purchase_date": "2020-05-01", "purchase_price": 18500, "purchase_odometer": 12}
    )
    assert bought.status_code == 200, bought.content
    assert (bought.json()["purchase_price"], bought.json()["currency"]) == ("18500.00", "USD")
    sold = api.patch(path, {"sold_date": "2026-06-01", "sold_price": "9000"})
    assert sold.status_code == 200, sold.content
    assert (sold.json()["sold_price"], sold.json()["is_active"]) == ("9000.00", False)
    vehicle.refresh_from_db()
    assert (vehicle.sold_date, vehicle.is_active, vehicle.purchase_odometer) == (
        dt.date(2026, 6, 1),
        False,
        12,
    )


def test_it_answers_a_bad_sale_with_the_forms_messages(api, owner_client, vehicle):
    response = api.patch(
        f"/api/v1/vehicles/{vehicle.pk}/",
        {"purchase_date": "2024-01-01", "sold_date": "2023-01-01"},
    )
    assert api_errors(response) == {"sold_date": ["The sale cannot be before the purchase."]}


def test_it_answers_the_vehicle_pages_cost_of_ownership(api, owner_client, vehicle, make_cost):
    vehicle.purchase_date = dt.date(2024, 1, 1)
    vehicle.purchase_price = Decimal("20000.00")
    vehicle.purchase_odometer = 40_000
    vehicle.save()
    make_fill_up(vehicle, "2025-10-01", 41_000)  # 30.00
    make_cost(vehicle, "2025-02-01", category="insurance", amount=Decimal("600.00"))
    make_cost(vehicle, "2023-02-01", category="tolls", amount=Decimal("9.00"))  # before buying
    ownership = api.get(f"/api/v1/vehicles/{vehicle.pk}/stats/").json()["ownership"]
    assert ownership["fuel"] == "30.00" and ownership["other"] == "600.00"
    assert ownership["other_by_category"] == [["Insurance", "600.00"]]
    assert (ownership["depreciation"], ownership["total"]) == ("20000.00", "20630.00")
    assert (ownership["distance"], ownership["per_distance"]) == (2_000, "10.315")
    page = owner_client.get(f"/vehicles/{vehicle.pk}/").context["ownership"]["cost"]
    assert ownership["per_year"] == str(page.per_year)
    assert ownership["total"] == str(page.total)


def test_it_describes_readings_costs_and_ownership_in_valid_openapi(client, db):
    document = client.get("/api/v1/openapi.json").json()
    validate(document)
    assert {
        "/api/v1/odometer-readings/",
        "/api/v1/odometer-readings/{pk}/",
        "/api/v1/costs/",
        "/api/v1/costs/{pk}/",
    } <= set(document["paths"])
    schemas = document["components"]["schemas"]
    assert schemas["CostOut"]["properties"]["amount"]["type"] == "string"
    assert "ownership" in schemas["FuelStatsOut"]["properties"]
    assert {"kind", "url", "action"} <= set(schemas["UpcomingOut"]["properties"])


def test_it_adds_a_sold_vehicle_as_inactive(api):
    created = api.post(
        "/api/v1/vehicles/",
        {
            "make": "Honda",
            "model": "Jazz",
            "odometer_reading": 90_000,
            "purchase_date": "2015-04-01",
            "sold_date": "2021-01-01",
            "sold_price": 5000,
        },
    )
    assert created.status_code == 201, created.content
    assert (created.json()["is_active"], created.json()["sold_price"]) == (False, "5000.00")


@pytest.mark.parametrize("count", [1, 1000])
def test_it_answers_a_vehicles_figures_in_a_fixed_number_of_queries(
    api, vehicle, django_assert_num_queries, count
):
    Cost.objects.bulk_create(
        Cost(
            user=vehicle.user,
            vehicle=vehicle,
            category="tolls",
            amount=Decimal("1.25"),
            date=dt.date(2020, 1, 1) + dt.timedelta(days=i),
        )
        for i in range(count)
    )
    path = f"/api/v1/vehicles/{vehicle.pk}/stats/"
    api.get(path)  # the fuel figures are cached; the token's last use is written
    # the token with its owner, the owner's preferences, the vehicle (its fuel figures come from
    # the cache), and the cost of ownership's sums per month of fill-ups, services and costs
    # and its odometer readings, in one query
    with django_assert_num_queries(4):
        response = api.get(path)
    assert response.json()["ownership"]["other"] == str(Decimal("1.25") * count)
