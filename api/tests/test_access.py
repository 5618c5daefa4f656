"""Who may reach what: another owner's object is a 404 on every object route, whatever the
method, exactly as on the pages; a bad, revoked or missing token is a 401; the session of a
signed-in owner works, CSRF-checked for writes, while token requests need no CSRF token."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from accounts.models import Preferences
from api.tests.conftest import ApiClient
from conftest import make_fill_up
from costs.models import Cost
from maintenance.models import MaintenanceRecord
from stations.models import FavoriteStation, Station
from vehicles.models import OdometerReading


def api_object_routes():
    """Every /api/v1/ route that names an object, once each."""
    found = set()

    def walk(patterns, prefix):
        for entry in patterns:
            if isinstance(entry, URLResolver):
                yield from walk(entry.url_patterns, prefix + str(entry.pattern))
            elif isinstance(entry, URLPattern):
                yield prefix + str(entry.pattern)

    for route in walk(get_resolver().url_patterns, "/"):
        if route.startswith("/api/v1/") and "<" in route and "<vin>" not in route:
            if "<path:rest>" in route:
                continue  # not_found_elsewhere: no object, a 404 for anyone (test_edges)
            found.add(route)
    return sorted(found)


ROUTES = api_object_routes()


def theirs(other_user, make_vehicle):
    """One object of each kind, of the second owner, by the route segment that names it."""
    vehicle = make_vehicle(other_user, odometer_reading=1_000)
    station = Station.objects.create(name="Their own", owner=other_user)
    return {
        "vehicles": vehicle.pk,
        "fuel-logs": make_fill_up(vehicle, "2026-01-05", 1_200).pk,
        "maintenance": MaintenanceRecord.objects.create(
            vehicle=vehicle, type="battery", due_mileage=5_000, cost=Decimal("99")
        ).pk,
        "favorites": FavoriteStation.objects.create(user=other_user, station=station).pk,
        "odometer-readings": OdometerReading.objects.create(
            vehicle=vehicle, date="2026-01-06", odometer_reading=1_250
        ).pk,
        "costs": Cost.objects.create(
            vehicle=vehicle, category="insurance", date="2026-01-07", amount=Decimal("300")
        ).pk,
    }


def test_it_finds_every_object_route():
    assert "/api/v1/fuel-logs/<uuidstr:pk>/" in ROUTES
    assert "/api/v1/vehicles/<uuidstr:pk>/stats/" in ROUTES
    assert "/api/v1/stations/favorites/<int:pk>/" in ROUTES
    assert "/api/v1/maintenance/<uuidstr:pk>/complete/" in ROUTES
    assert "/api/v1/odometer-readings/<uuidstr:pk>/" in ROUTES
    assert "/api/v1/costs/<uuidstr:pk>/" in ROUTES


# The routes that do one thing to an object, by the one method they take; the others are 405.
ACTIONS = {"/stats/": "get", "/complete/": "post"}


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("method", ["get", "post", "patch", "delete"])
def test_it_answers_404_for_another_owners_object(route, method, api, other_user, make_vehicle):
    objects = theirs(other_user, make_vehicle)
    kind = next(segment for segment in route.split("/") if segment in objects)
    path = re.sub(r"<[^>]+>", str(objects[kind]), route)
    if method in ("post", "patch"):
        response = getattr(api, method)(path, {})
    else:
        response = getattr(api, method)(path)
    action = next((taken for end, taken in ACTIONS.items() if route.endswith(end)), None)
    if method != action and (action is not None or method == "post"):
        assert response.status_code == 405
        return
    assert response.status_code == 404, path
    assert response.json() == {"detail": "Not found."}


def test_it_answers_404_for_a_malformed_key(api):
    assert api.get("/api/v1/vehicles/not-a-uuid/").status_code == 404
    assert api.get("/api/v1/stations/favorites/abc/").status_code == 404


@pytest.mark.parametrize(
    "header", ["Bearer mvt_wrong", "Bearer ", "Token x", "Basic YWxpY2U6cGFzcw=="]
)
def test_it_answers_a_bad_token_401(header, db):
    response = Client().get("/api/v1/vehicles/", headers={"Authorization": header})
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail"]


def test_it_answers_a_revoked_token_401(owner_token, vehicle):
    token, secret = owner_token
    assert ApiClient(secret).get("/api/v1/vehicles/").status_code == 200
    token.revoke()
    assert ApiClient(secret).get("/api/v1/vehicles/").status_code == 401


def test_it_answers_the_token_of_a_deactivated_owner_401(owner, owner_token):
    owner.is_active = False
    owner.save()
    assert ApiClient(owner_token[1]).get("/api/v1/vehicles/").status_code == 401


def test_it_lets_a_read_only_token_read_and_not_write(read_only_api, vehicle):
    assert read_only_api.get("/api/v1/vehicles/").status_code == 200
    assert read_only_api.get(f"/api/v1/vehicles/{vehicle.pk}/").status_code == 200
    writes = [
        read_only_api.post("/api/v1/vehicles/", {"make": "Honda", "model": "Jazz"}),
        read_only_api.patch(f"/api/v1/vehicles/{vehicle.pk}/", {"nickname": "Renamed"}),
        read_only_api.delete(f"/api/v1/vehicles/{vehicle.pk}/"),
    ]
    for response in writes:
        assert response.status_code == 403
        assert "read-only" in response.json()["detail"]
    vehicle.refresh_from_db()
    assert vehicle.nickname == "Daily driver" and not vehicle.is_deleted


def _filled(path, operation, key):
    """The path with its key: `key` where it takes a UUID, 1 where a number (a saved station)."""
    parameters = operation.get("parameters", [])
    takes_uuid = any(parameter["schema"].get("format") == "uuid" for parameter in parameters)
    return re.sub(r"\{[^}]+\}", key if takes_uuid else "1", path)


def test_it_refuses_every_write_of_a_read_only_token(client, read_only_api, vehicle):
    """Every operation that adds, changes or deletes, as the OpenAPI description lists them."""
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    writes = [
        (method, _filled(path, operation, str(vehicle.pk)))
        for path, operations in paths.items()
        for method, operation in operations.items()
        if method in ("post", "put", "patch", "delete")
    ]
    assert ("post", "/api/v1/costs/") in writes
    assert ("delete", f"/api/v1/odometer-readings/{vehicle.pk}/") in writes
    for method, path in writes:
        send = getattr(read_only_api, method)
        response = send(path) if method == "delete" else send(path, {})
        assert response.status_code == 403, (method, path)


def test_it_needs_no_csrf_token_with_a_bearer_token(owner_token, vehicle):
    client = ApiClient(owner_token[1])
    client.client = Client(enforce_csrf_checks=True)
    response = client.patch(f"/api/v1/vehicles/{vehicle.pk}/", {"nickname": "Token"})
    assert response.status_code == 200


def test_it_checks_csrf_on_a_session_write(owner, vehicle):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    assert browser.get("/api/v1/vehicles/").status_code == 200
    path = f"/api/v1/vehicles/{vehicle.pk}/"
    refused = browser.patch(path, '{"nickname": "Forged"}', content_type="application/json")
    assert refused.status_code == 403
    vehicle.refresh_from_db()
    assert vehicle.nickname == "Daily driver"
    # With the token of the page's cookie, as the docs page's "Try it out" sends it.
    browser.get("/api/v1/docs")
    csrf = browser.cookies["csrftoken"].value
    allowed = browser.patch(
        path, '{"nickname": "Mine"}', content_type="application/json", headers={"X-CSRFToken": csrf}
    )
    assert allowed.status_code == 200
    vehicle.refresh_from_db()
    assert vehicle.nickname == "Mine"


def test_it_reads_json_numbers_whatever_the_owners_locale(owner, api, vehicle):
    """A German owner types 40,5 on the pages; JSON says 40.5, which must not become 405."""
    Preferences.objects.update_or_create(user=owner, defaults={"locale": "de-DE"})
    response = api.post(
        "/api/v1/fuel-logs/",
        {
            "vehicle": str(vehicle.pk),
            "date": "2026-11-01",
            "odometer_reading": 42_300,
            "gallons": "10.5",
            "total_cost": 36.75,
        },
    )
    assert response.status_code == 201, response.content
    assert response.json()["gallons"] == "10.500"
    assert response.json()["price_per_gallon"] == "3.500"
