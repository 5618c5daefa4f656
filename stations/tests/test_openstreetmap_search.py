"""The search page without a Google key: "Search near me" through OpenStreetMap's Overpass API,
and the stored stations when it cannot be asked."""

import itertools
import json
from decimal import Decimal
from pathlib import Path

import pytest
import requests
import responses
from hypothesis import given

from motovault.tests.strategies import VIEW_SETTINGS
from stations import overpass
from stations.models import FavoriteStation, Station
from stations.search import NO_PROVIDER_NOTICE, OPENSTREETMAP_FAILED_NOTICE
from stations.tests.conftest import SEARCH_URL
from stations.tests.test_overpass import answers

FIXTURE = Path(__file__).parent / "fixtures" / "overpass.fuel-berlin.json"
OVERPASS_URL = "https://overpass.test/api/interpreter"
NEAR_ALEXANDERPLATZ = {"q": "", "lat": "52.5219", "lng": "13.4132"}
ATTRIBUTION = (
    'Results from OpenStreetMap: <a href="https://www.openstreetmap.org/copyright" '
    'rel="noopener noreferrer">'
    "© OpenStreetMap contributors</a>, available under the Open Database License (ODbL)."
)


@pytest.fixture(autouse=True)
def _overpass(settings):
    settings.GOOGLE_MAPS_API_KEY = ""
    settings.OVERPASS_ENABLED = True
    settings.OVERPASS_URL = OVERPASS_URL


def berlin_answer(mocked):
    mocked.post(OVERPASS_URL, body=FIXTURE.read_text(), content_type="application/json")


def element(n: int) -> dict:
    return {
        "type": "node",
        "id": 5000 + n,
        "lat": 52.52 + n / 10_000,
        "lon": 13.41,
        "tags": {"amenity": "fuel", "name": f"Tankstelle {n:02d}"},
    }


def result_names(response) -> list[str]:
    return [station.name for station, _own in response.context["results"]]


def test_it_finds_the_fuel_stations_around_the_owner_nearest_first(owner_client, mocked):
    berlin_answer(mocked)

    response = owner_client.get("/stations/", NEAR_ALEXANDERPLATZ)

    html = response.content.decode()
    assert "<title>Near you · Stations · MotoVault</title>" in html
    assert "3 fuel stations near you" in html
    assert ATTRIBUTION in html
    assert result_names(response) == [
        "Aral Alexanderplatz",
        "Freie Tankstelle Prenzlauer Berg",
        "Shell",
    ]
    assert "Alexanderstraße 12, 10178 Berlin" in html
    assert Station.objects.filter(osm_id="way/2200000002", name="Shell").exists()


def test_it_picks_among_the_stations_around_by_the_words_of_the_search(owner_client, mocked):
    berlin_answer(mocked)

    response = owner_client.get("/stations/", {**NEAR_ALEXANDERPLATZ, "q": "shell petrol"})

    assert "1 station for “shell petrol” near you" in response.content.decode()
    assert result_names(response) == ["Shell"]


def test_it_saves_a_station_found_on_openstreetmap(owner_client, owner, mocked):
    berlin_answer(mocked)
    owner_client.get("/stations/", NEAR_ALEXANDERPLATZ)
    aral = Station.objects.get(osm_id="node/1100000001")

    response = owner_client.post(f"/stations/{aral.pk}/save/", follow=True)

    assert "Saved Aral Alexanderplatz to your stations." in response.content.decode()
    assert FavoriteStation.objects.filter(user=owner, station=aral).exists()


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 429, "body": "rate_limited"},
        {"status": 500, "body": "<html>Internal error</html>"},
        {"status": 504, "body": "<html>Gateway Timeout</html>"},
        {"status": 200, "body": "<osm>not json</osm>"},
        {"body": requests.ReadTimeout()},
    ],
    ids=["too-many-requests", "server-error", "gateway-timeout", "garbage", "timeout"],
)
def test_it_answers_from_stored_stations_with_a_notice_when_openstreetmap_fails(
    owner_client, mocked, caplog, answer
):
    Station.objects.create(
        name="Total Mitte", latitude=Decimal("52.5200"), longitude=Decimal("13.4100")
    )
    Station.objects.create(name="Far Away", latitude=Decimal("48.1"), longitude=Decimal("11.5"))
    mocked.post(OVERPASS_URL, **answer)

    response = owner_client.get("/stations/", NEAR_ALEXANDERPLATZ)

    html = response.content.decode()
    assert response.status_code == 200
    assert OPENSTREETMAP_FAILED_NOTICE in html
    assert result_names(response) == ["Total Mitte"]
    assert "Stations saved here." in html
    assert "OpenStreetMap contributors" not in html
    assert "{#" not in html
    assert "answering from stored stations" in caplog.text


def test_it_answers_from_stored_stations_once_the_site_has_asked_enough_this_minute(
    owner_client, mocked, settings, hold_clock
):
    hold_clock(overpass)
    settings.OVERPASS_REQUESTS_PER_MINUTE = 1
    berlin_answer(mocked)
    owner_client.get("/stations/", NEAR_ALEXANDERPLATZ)

    response = owner_client.get("/stations/", {"q": "", "lat": "48.14", "lng": "11.58"})

    assert OPENSTREETMAP_FAILED_NOTICE in response.content.decode()
    assert len(mocked.calls) == 1


@pytest.mark.parametrize("count", [1, 30])
def test_it_searches_and_answers_again_in_a_fixed_number_of_queries(
    owner_client, mocked, django_assert_num_queries, count, no_page_cache
):
    mocked.post(OVERPASS_URL, json={"elements": [element(n) for n in range(count)]})

    # Session, user, existing stations, savepoint, insert, release, the ranked stations with
    # the owner's marks.
    with django_assert_num_queries(7):
        response = owner_client.get("/stations/", NEAR_ALEXANDERPLATZ)
    assert len(response.context["results"]) == min(count, 20)

    # From the cache: session, user, the ranked stations with the owner's marks.
    with django_assert_num_queries(3):
        response = owner_client.get("/stations/", {**NEAR_ALEXANDERPLATZ, "q": "tankstelle"})
    assert len(response.context["results"]) == min(count, 20)
    assert len(mocked.calls) == 1


def test_it_prefers_google_when_a_key_is_set(owner_client, mocked, settings):
    settings.GOOGLE_MAPS_API_KEY = "AIzaSy-test"
    settings.PLACES_BASE_URL = "https://places.test/v1"
    mocked.post(SEARCH_URL, json={})

    html = owner_client.get("/stations/", NEAR_ALEXANDERPLATZ).content.decode()

    assert "0 fuel stations near you" in html
    assert [call.request.url for call in mocked.calls] == [SEARCH_URL]


def test_it_offers_near_me_only_where_a_provider_can_search_around_a_point(owner_client, settings):
    assert "Search near me" in owner_client.get("/stations/").content.decode()

    settings.OVERPASS_ENABLED = False
    html = owner_client.get("/stations/").content.decode()

    assert "Search near me" not in html
    assert "data-near-me" not in html


def test_it_answers_near_me_from_stored_stations_when_openstreetmap_is_off(
    owner_client, mocked, settings
):
    settings.OVERPASS_ENABLED = False
    Station.objects.create(
        name="Total Mitte", latitude=Decimal("52.5200"), longitude=Decimal("13.4100")
    )

    response = owner_client.get("/stations/", NEAR_ALEXANDERPLATZ)

    assert NO_PROVIDER_NOTICE in response.content.decode()
    assert result_names(response) == ["Total Mitte"]
    assert len(mocked.calls) == 0


def test_it_asks_for_words_when_there_is_no_location_either(owner_client, mocked):
    response = owner_client.get("/stations/", {"q": "  ", "lat": "", "lng": ""})

    assert "Enter a station name, brand or place to search for." in response.content.decode()
    assert "results" not in response.context
    assert len(mocked.calls) == 0


_places = itertools.count()


@VIEW_SETTINGS
@given(payload=answers)
def test_it_answers_near_me_whatever_overpass_answers(owner_client, settings, payload):
    settings.OVERPASS_REQUESTS_PER_MINUTE = 1_000
    # A new place each time, so none is answered from the cache.
    near = {"q": "", "lat": "10", "lng": f"{next(_places) % 18_000 / 100:.2f}"}
    with responses.RequestsMock() as mock:
        mock.post(OVERPASS_URL, body=json.dumps(payload), content_type="application/json")
        response = owner_client.get("/stations/", near)
    assert response.status_code == 200
    # What was stored reads back as it was shown.
    for station, _own in response.context["results"]:
        assert Station.objects.get(pk=station.pk).name == station.name
