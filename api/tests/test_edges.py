"""What a careless or hostile client sends: ids and offsets out of any range, values of the
wrong JSON type, fields the API does not take, writes without a working token. Each gets a 4xx
in JSON that says what was wrong, never a 500 or a page of HTML."""

import pytest
from django.test import Client

from stations.models import Station

LISTS = ["vehicles", "fuel-logs", "maintenance", "stations/favorites", "upcoming"]


@pytest.mark.parametrize("resource", LISTS)
def test_it_refuses_an_offset_beyond_what_the_database_counts(api, resource):
    response = api.get(f"/api/v1/{resource}/", {"offset": 2**63})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["offset"]


@pytest.mark.parametrize(
    "path",
    ["/api/v1/vehicles/not-a-uuid/", "/api/v1/stations/favorites/abc/", "/api/v1/nothing/"],
)
def test_it_answers_a_path_that_names_nothing_with_a_json_404(api, path):
    response = api.get(path)
    assert response.status_code == 404
    assert response.json() == {"detail": "Not found."}


def test_it_names_the_field_of_a_value_of_the_wrong_json_type(api, vehicle):
    path = f"/api/v1/vehicles/{vehicle.pk}/"
    response = api.patch(path, {"year": [2015], "odometer_reading": {"miles": 1}})
    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"year", "odometer_reading"}


def test_it_words_a_fractional_whole_number_as_the_form_does(api, vehicle):
    response = api.patch(f"/api/v1/vehicles/{vehicle.pk}/", {"year": 2015.5})
    assert response.status_code == 400
    assert response.json()["errors"] == {"year": ["Enter a whole number."]}


def test_it_refuses_a_field_it_does_not_know(api, vehicle):
    response = api.patch(f"/api/v1/vehicles/{vehicle.pk}/", {"nickame": "Typo"})
    assert response.status_code == 400
    assert response.json()["errors"] == {"nickame": ["MotoVault knows no such field."]}
    vehicle.refresh_from_db()
    assert vehicle.nickname == "Daily driver"


@pytest.mark.parametrize("body", [[], 42, "text", None])
def test_it_refuses_a_body_that_is_not_an_object(api, vehicle, body):
    response = api.patch(f"/api/v1/vehicles/{vehicle.pk}/", body)
    assert response.status_code == 400
    assert response.json()["errors"] == {"__all__": ["Send a JSON object of the fields."]}


def test_it_refuses_a_field_this_record_does_not_take(api, vehicle):
    """A scheduled service has no completion date until it is done: sent, it was dropped
    without a word and the answer said 200."""
    scheduled = api.post(
        "/api/v1/maintenance/",
        {
            "kind": "scheduled",
            "vehicle": str(vehicle.pk),
            "type": "oil_change",
            "due_mileage": 45000,
        },
    ).json()
    response = api.patch(
        f"/api/v1/maintenance/{scheduled['id']}/", {"completed_date": "2026-01-02", "notes": "x"}
    )
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["completed_date"]
    assert api.get(f"/api/v1/maintenance/{scheduled['id']}/").json()["notes"] == ""


def test_it_refuses_to_rename_a_shared_station(api, owner):
    shared = Station.objects.create(name="Shell on Main")
    saved = api.post("/api/v1/stations/favorites/", {"station_id": str(shared.pk)}).json()
    response = api.patch(f"/api/v1/stations/favorites/{saved['id']}/", {"name": "Mine now"})
    assert response.status_code == 400
    assert list(response.json()["errors"]) == ["name"]
    shared.refresh_from_db()
    assert shared.name == "Shell on Main"


@pytest.mark.parametrize("method", ["post", "patch", "delete"])
def test_it_answers_a_write_without_a_token_401(method, vehicle):
    path = "/api/v1/vehicles/" if method == "post" else f"/api/v1/vehicles/{vehicle.pk}/"
    # As a real client sends it: the test client skips the CSRF check unless told not to.
    client = Client(enforce_csrf_checks=True)
    response = getattr(client, method)(path, "{}", content_type="application/json")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_it_answers_a_write_with_a_revoked_token_401(owner_token, vehicle):
    token, secret = owner_token
    token.revoke()
    response = Client(enforce_csrf_checks=True).patch(
        f"/api/v1/vehicles/{vehicle.pk}/",
        '{"nickname": "X"}',
        content_type="application/json",
        headers={"Authorization": f"Bearer {secret}"},
    )
    assert response.status_code == 401


def test_it_saves_a_shared_station_with_a_note_and_no_other_field(api, owner):
    """A note sent with `station_id` was dropped without a word, and so was a name."""
    shared = Station.objects.create(name="Shell on Main")
    saved = api.post(
        "/api/v1/stations/favorites/", {"station_id": str(shared.pk), "note": "Open late"}
    )
    assert saved.status_code == 201
    assert saved.json()["note"] == "Open late"
    renamed = api.post(
        "/api/v1/stations/favorites/", {"station_id": str(shared.pk), "name": "Mine now"}
    )
    assert renamed.status_code == 400
    assert list(renamed.json()["errors"]) == ["name"]
    shared.refresh_from_db()
    assert shared.name == "Shell on Main"
    assert owner.favorite_stations.get().note == "Open late"


def test_it_states_a_vehicle_without_fill_ups_amounts_in_their_places(api, vehicle):
    """ "0" beside "60.00" elsewhere: a client comparing strings, or showing them, saw two
    shapes of the same amount."""
    stats = api.get(f"/api/v1/vehicles/{vehicle.pk}/stats/").json()
    assert (stats["total_spent"], stats["total_quantity"]) == ("0.00", "0.000")
    assert {amount for _, amount in stats["spent_per_month"]} == {"0.00"}


def test_it_answers_a_bad_token_401_even_beside_a_signed_in_session(owner, vehicle):
    """A script's wrong token is not made good by a browser's cookie: the request ran as the
    session's owner."""
    client = Client()
    client.force_login(owner)
    response = client.get("/api/v1/vehicles/", headers={"Authorization": "Bearer mvt_wrong"})
    assert response.status_code == 401


@pytest.mark.parametrize("size", ["DATA_UPLOAD_MAX_MEMORY_SIZE", "MAX_REQUEST_BODY_SIZE"])
def test_it_answers_a_body_too_large_with_a_json_413(api, vehicle, settings, size):
    """A JSON body is read whole, so its limit is Django's for form data: one over it was a
    500 (RequestDataTooBig, raised reading the body)."""
    notes = "x" * (getattr(settings, size) + 1)
    response = api.patch(f"/api/v1/vehicles/{vehicle.pk}/", {"notes": notes})
    assert response.status_code == 413
    assert response.json()["detail"].startswith("MotoVault takes at most 1.0")
    assert response.json()["detail"].endswith("MB at once. Nothing was saved.")


def test_it_takes_the_session_beside_a_proxys_basic_login(owner, vehicle):
    """A proxy's HTTP Basic login in front of MotoVault sends its header with every request."""
    client = Client()
    client.force_login(owner)
    response = client.get("/api/v1/vehicles/", headers={"Authorization": "Basic YWxpY2U6cHc="})
    assert response.status_code == 200
