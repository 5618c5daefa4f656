"""One set of rules: the same bad input gets the same messages, field by field, from the API
as from the page's form."""

import datetime as dt

import pytest
from django.utils import timezone

TOMORROW = str(timezone.localdate() + dt.timedelta(days=2))


def page_errors(response):
    assert response.status_code == 200, "the page shows the form again"
    return {name: list(messages) for name, messages in response.context["form"].errors.items()}


def api_errors(response):
    assert response.status_code == 400, response.content
    return response.json()["errors"]


CASES = {
    "fuel": (
        "/fuel/add/",
        "/api/v1/fuel-logs/",
        lambda vehicle, theirs: {
            "vehicle": str(vehicle.pk),
            "date": TOMORROW,
            "odometer_reading": "-5",
            "gallons": "abc",
            "price_per_gallon": "3.5",
            "total_cost": "99999999",
        },
    ),
    "fuel on another owner's vehicle": (
        "/fuel/add/",
        "/api/v1/fuel-logs/",
        lambda vehicle, theirs: {
            "vehicle": str(theirs.pk),
            "date": "2026-01-01",
            "odometer_reading": "50000",
            "gallons": "10",
            "total_cost": "30",
        },
    ),
    "fuel below the odometer's history": (
        "/fuel/add/",
        "/api/v1/fuel-logs/",
        lambda vehicle, theirs: {
            "vehicle": str(vehicle.pk),
            "date": "1999-01-01",
            "odometer_reading": "10",
            "gallons": "10.1234",
            "total_cost": "30",
        },
    ),
    "maintenance": (
        "/maintenance/add/",
        "/api/v1/maintenance/",
        lambda vehicle, theirs: {
            "vehicle": str(theirs.pk),
            "type": "wash",
            "kind": "scheduled",
            "due_mileage": "-1",
            "interval_months": "0",
        },
    ),
    "maintenance done in the future": (
        "/maintenance/add/",
        "/api/v1/maintenance/",
        lambda vehicle, theirs: {
            "vehicle": str(vehicle.pk),
            "type": "battery",
            "kind": "done",
            "completed_date": TOMORROW,
            "cost": "-3",
        },
    ),
    "vehicle": (
        "/vehicles/add/",
        "/api/v1/vehicles/",
        lambda vehicle, theirs: {
            "vin": "1HGCM8263AA00000",
            "year": "1800",
            "odometer_reading": "x",
        },
    ),
    "vehicle without a name": (
        "/vehicles/add/",
        "/api/v1/vehicles/",
        lambda vehicle, theirs: {"color": "Red"},
    ),
    "station": (
        "/stations/add/",
        "/api/v1/stations/favorites/",
        lambda vehicle, theirs: {"name": "", "latitude": "95", "longitude": "abc"},
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_it_answers_bad_input_with_the_forms_messages(
    case, owner_client, api, vehicle, other_user, make_vehicle
):
    page_path, api_path, make = CASES[case]
    data = make(vehicle, make_vehicle(other_user))
    from_page = page_errors(owner_client.post(page_path, data))
    from_api = api_errors(api.post(api_path, data))
    assert from_page  # the case is a bad input
    assert from_api == from_page


def test_it_answers_a_wrong_json_type_in_the_same_shape(api, vehicle):
    response = api.post("/api/v1/fuel-logs/", {"vehicle": str(vehicle.pk), "is_full_tank": [1]})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["is_full_tank"]


def test_it_answers_a_body_that_is_not_json(api, db):
    response = api.client.post(
        "/api/v1/vehicles/", "{not json", content_type="application/json", headers=api.headers
    )
    assert response.status_code == 400
    assert response.json() == {"detail": "Cannot parse request body"}
