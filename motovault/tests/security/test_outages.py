"""Outages the owner should barely notice: Redis down, vPIC or Google Places failing or slow."""

import re

import pytest
import requests
from django.test import override_settings
from django.urls import reverse

from conftest import make_vin
from fuellogs.models import FuelLog
from motovault.tests.test_health import UNREACHABLE_REDIS
from stations.places import FAILED_NOTICE

# ---- Redis down -----------------------------------------------------------------------------


def main_pages(world) -> dict[str, str]:
    """Each main page of an owner with data, and something of theirs it must show."""
    return {
        reverse("dashboard"): "Daily driver",
        reverse("vehicles:index"): "Daily driver",
        reverse("vehicles:detail", args=[world.vehicle.pk]): "Shell Main St",
        reverse("fuellogs:index"): "Shell Main St",
        reverse("maintenance:index"): "Oil change",
        reverse("maintenance:upcoming"): "Oil change",
        reverse("stations:index"): "Shell Main St",
        reverse("stations:index") + "?q=shell": "Shell Main St",
    }


def test_it_serves_every_main_page_with_redis_down(owner_client, world):
    with override_settings(CACHES=UNREACHABLE_REDIS):
        for url, shown in main_pages(world).items():
            response = owner_client.get(url)
            assert response.status_code == 200, url
            assert shown in response.content.decode(), url


def test_it_signs_in_and_saves_with_redis_down(client, world):
    """Sessions live in the database, and a write whose cache invalidation fails still
    saves, and shows at once (the cache only misses)."""
    with override_settings(CACHES=UNREACHABLE_REDIS):
        response = client.post(
            reverse("login"), {"username": "alice", "password": "correct-horse-battery-staple"}
        )
        assert response.status_code == 302
        response = client.post(reverse("fuellogs:add"), world.fill_up())
        assert response.status_code == 302
        assert "42,500" in client.get(reverse("vehicles:index")).content.decode()
    assert FuelLog.objects.filter(odometer_reading=42_500).exists()


# ---- vPIC failing or slow ------------------------------------------------------------------

FAILURES = {
    "unreachable": requests.ConnectionError("connection refused"),
    "slow": requests.ReadTimeout("read timed out"),
}


def vpic_pattern(settings):
    return re.compile(re.escape(settings.VPIC_BASE_URL) + r"/vehicles/DecodeVinValues/.*")


def decode_on_the_add_page(owner_client, vin):
    return owner_client.post(
        reverse("vehicles:add"), {"action": "decode", "vin": vin, "odometer_reading": "0"}
    )


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_it_decodes_offline_with_a_message_when_vpic_fails(
    owner_client, world, http, settings, failure
):
    http.add("GET", vpic_pattern(settings), body=FAILURES[failure])
    response = decode_on_the_add_page(owner_client, make_vin())
    assert response.status_code == 200
    body = response.content.decode()
    assert "vPIC could not be reached, so this is what MotoVault knows offline" in body
    assert "Check the fields before saving." in body


def test_it_decodes_offline_when_vpic_answers_garbage(owner_client, world, http, settings):
    http.add("GET", vpic_pattern(settings), body="<html>Service Unavailable</html>", status=200)
    response = owner_client.get(reverse("vehicles:decode"), {"vin": make_vin()})
    assert response.status_code == 200
    assert response.json()["source"] == "offline"
    assert "vPIC could not be reached" in response.json()["notes"][0]


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_it_stops_calling_vpic_after_three_failed_decodes(
    owner_client, world, http, settings, failure
):
    http.add("GET", vpic_pattern(settings), body=FAILURES[failure])
    for _ in range(3):
        assert decode_on_the_add_page(owner_client, make_vin()).status_code == 200
    # Each failed decode tried twice (one retry); then the circuit opened.
    assert len(http.calls) == 6

    response = decode_on_the_add_page(owner_client, make_vin())
    assert response.status_code == 200
    assert "vPIC could not be reached" in response.content.decode()
    assert len(http.calls) == 6


# ---- Google Places failing or slow ---------------------------------------------------------

SEARCH_URL = "https://places.test/v1/places:searchText"


@pytest.fixture
def places(settings):
    settings.PLACES_BASE_URL = "https://places.test/v1"
    settings.GOOGLE_MAPS_API_KEY = "test-key"


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_it_answers_a_search_from_stored_stations_when_places_fails(
    owner_client, world, http, places, failure
):
    http.add("POST", SEARCH_URL, body=FAILURES[failure])
    response = owner_client.get(reverse("stations:index"), {"q": "shell"})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Google could not be reached just now" in body
    assert "Shell Main St" in body


def test_it_answers_from_stored_stations_when_places_answers_garbage(
    owner_client, world, http, places
):
    http.add("POST", SEARCH_URL, body="not json", status=200)
    response = owner_client.get(reverse("stations:index"), {"q": "shell"})
    assert response.status_code == 200
    assert "Shell Main St" in response.content.decode()
    assert response.context["notice"] == FAILED_NOTICE


@pytest.mark.parametrize("failure", sorted(FAILURES))
def test_it_stops_calling_places_after_three_failed_searches(
    owner_client, world, http, places, failure
):
    http.add("POST", SEARCH_URL, body=FAILURES[failure])
    for query in ("shell", "shell main", "main st"):
        assert owner_client.get(reverse("stations:index"), {"q": query}).status_code == 200
    assert len(http.calls) == 6

    response = owner_client.get(reverse("stations:index"), {"q": "shell"})
    assert response.status_code == 200
    assert "Shell Main St" in response.content.decode()
    assert response.context["notice"] == FAILED_NOTICE
    assert len(http.calls) == 6
