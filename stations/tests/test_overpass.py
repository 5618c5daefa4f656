from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qs

import pytest
import requests
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from motovault.tests.strategies import PARSE_SETTINGS, json_values
from stations import overpass
from stations.models import Station
from stations.overpass import OverpassError
from stations.places import Near

FIXTURE = Path(__file__).parent / "fixtures" / "overpass.fuel-berlin.json"
OVERPASS_URL = "https://overpass.test/api/interpreter"
BERLIN = Near(52.52004, 13.40495)


@pytest.fixture(autouse=True)
def _overpass(db, settings):
    settings.GOOGLE_MAPS_API_KEY = ""
    settings.OVERPASS_ENABLED = True
    settings.OVERPASS_URL = OVERPASS_URL
    settings.OVERPASS_REQUESTS_PER_MINUTE = 3
    settings.SITE_URL = "https://cars.example.org"


def berlin_answer(mocked, **options):
    mocked.post(OVERPASS_URL, body=FIXTURE.read_text(), content_type="application/json", **options)


def test_it_asks_for_fuel_stations_around_a_rounded_position_with_a_descriptive_user_agent(
    mocked,
):
    berlin_answer(mocked)

    overpass.fuel_near(BERLIN)

    request = mocked.calls[0].request
    assert request.url == OVERPASS_URL
    # The form field Overpass reads its query from.
    assert request.headers["Content-Type"] == "application/x-www-form-urlencoded"
    assert parse_qs(request.body) == {
        "data": [
            '[out:json][timeout:3];nwr["amenity"="fuel"](around:5000,52.52,13.40);out center 50;'
        ]
    }
    assert request.headers["User-Agent"] == (
        "MotoVault/1.0 (self-hosted vehicle records) fuel stations near the owner; "
        "+https://cars.example.org"
    )


def test_it_reads_the_recorded_answer_into_stations(mocked):
    berlin_answer(mocked)

    aral, shell, unnamed = overpass.fuel_near(BERLIN)

    assert aral.place_id == "node/1100000001"
    assert aral.name == "Aral Alexanderplatz"
    assert aral.address == "Alexanderstraße 12, 10178 Berlin"
    assert (aral.latitude, aral.longitude) == (Decimal("52.52310000"), Decimal("13.41020000"))
    # A way has its center; with no name, the brand names it.
    assert shell.place_id == "way/2200000002"
    assert shell.name == "Shell"
    assert shell.address == "Leipziger Straße 80, Berlin"
    assert (shell.latitude, shell.longitude) == (Decimal("52.51290000"), Decimal("13.38980000"))
    assert (shell.phone, shell.website) == ("+49 30 1234567", "https://www.shell.de")
    # With neither name nor brand, the operator does; no address at all is no address.
    assert (unnamed.name, unnamed.address) == ("Freie Tankstelle Prenzlauer Berg", "")


def test_it_names_a_station_without_name_brand_or_operator_and_skips_what_is_no_element():
    payload = {
        "elements": [
            {"type": "node", "id": 7, "lat": 1, "lon": 2, "tags": {"amenity": "fuel"}},
            {"type": "node", "id": 8, "lat": 1, "lon": 2},
            {"type": "area", "id": 9, "tags": {"name": "Not an element we store"}},
            {"type": "node", "id": "10", "tags": {"name": "Id as text"}},
            {"type": "node", "id": -11, "tags": {"name": "Negative"}},
            {"type": "way", "id": 12, "tags": {"name": "No center"}},
            {"type": "node", "id": 13, "tags": {"name": "Site", "website": "javascript:alert(1)"}},
            "not an object",
        ]
    }

    found = overpass.parse_elements(payload)

    assert [(p.place_id, p.name) for p in found] == [
        ("node/7", "Fuel station"),
        ("node/8", "Fuel station"),
        ("way/12", "No center"),
        ("node/13", "Site"),
    ]
    assert (found[2].latitude, found[2].longitude) == (None, None)
    assert found[3].website == ""


@pytest.mark.parametrize("payload", [[], {}, {"elements": {}}, "fuel", None])
def test_it_refuses_a_document_that_is_not_an_overpass_answer(payload):
    with pytest.raises(OverpassError):
        overpass.parse_elements(payload)


def test_it_stores_stations_by_their_openstreetmap_identity_and_caches_them(
    mocked, django_assert_num_queries
):
    berlin_answer(mocked)

    first = overpass.search(BERLIN)
    # A neighbor a few meters away shares the answer: no call, no query.
    with django_assert_num_queries(0):
        again = overpass.search(Near(52.5203, 13.4032))

    assert again == first
    assert len(mocked.calls) == 1
    assert list(Station.objects.order_by("osm_id").values_list("osm_id", flat=True)) == [
        "node/1100000001",
        "node/1100000003",
        "way/2200000002",
    ]
    assert str(Station.objects.get(osm_id="node/1100000001").pk) == first[0]
    key = overpass.cache_key(BERLIN)
    if hasattr(cache, "ttl"):  # django-redis (CI); the in-memory cache cannot say
        ttl = cache.ttl(key, version=overpass.CACHE_VERSION)
        assert overpass.SEARCH_TTL - 5 < ttl <= overpass.SEARCH_TTL


def test_it_updates_a_stored_station_when_openstreetmap_changes_it(mocked):
    station = Station.objects.create(name="Aral", osm_id="node/1100000001")
    berlin_answer(mocked)

    overpass.search(BERLIN)

    station.refresh_from_db()
    assert station.name == "Aral Alexanderplatz"
    assert Station.objects.count() == 3


@pytest.mark.parametrize(
    "answer",
    [
        {"status": 429, "body": "rate_limited"},
        {"status": 504, "body": "<html>Gateway Timeout</html>"},
        {"status": 200, "body": "<osm>not json</osm>"},
        {"status": 200, "body": '{"remark": "runtime error: Query timed out"}'},
        {"body": requests.ConnectTimeout()},
    ],
    ids=["too-many-requests", "gateway-timeout", "garbage", "remark-only", "timeout"],
)
def test_it_raises_and_caches_nothing_when_overpass_fails(mocked, answer):
    mocked.post(OVERPASS_URL, **answer)

    with pytest.raises(OverpassError):
        overpass.search(BERLIN)

    assert cache.get(overpass.cache_key(BERLIN), version=overpass.CACHE_VERSION) is None
    assert not Station.objects.exists()


def test_it_asks_overpass_no_more_than_the_rate_allows(mocked, hold_clock):
    hold_clock(overpass)
    berlin_answer(mocked)
    for latitude in (50.0, 51.0, 52.0):
        overpass.search(Near(latitude, 13.4))

    with pytest.raises(OverpassError, match="asked 3 times this minute"):
        overpass.search(Near(53.0, 13.4))

    assert len(mocked.calls) == 3
    # Answers already had are still answered from the cache.
    assert overpass.search(Near(52.0, 13.4))


def test_it_asks_nothing_when_switched_off(mocked, settings):
    settings.OVERPASS_ENABLED = False

    with pytest.raises(OverpassError, match="switched off"):
        overpass.fuel_near(BERLIN)

    assert len(mocked.calls) == 0


coordinates = st.floats() | st.integers() | json_values
elements = st.fixed_dictionaries(
    {},
    optional={
        "type": st.sampled_from(["node", "way", "relation", "area"]) | json_values,
        "id": st.integers() | json_values,
        "lat": coordinates,
        "lon": coordinates,
        "center": st.fixed_dictionaries({"lat": coordinates, "lon": coordinates}) | json_values,
        "tags": st.dictionaries(
            st.sampled_from(["name", "brand", "operator", "addr:city", "phone", "website"]),
            st.text() | json_values,
        )
        | json_values,
    },
)
answers = json_values | st.fixed_dictionaries(
    {"elements": st.lists(elements | json_values, max_size=4)}
)


@PARSE_SETTINGS
@given(payload=answers)
def test_it_parses_any_answer_into_storable_stations_or_an_overpass_error(payload):
    try:
        found = overpass.parse_elements(payload)
    except OverpassError:
        return
    for station in found:
        assert station.place_id.split("/")[0] in ("node", "way", "relation")
        assert len(station.place_id) <= 40
        assert station.name and len(station.name) <= 200 and "\x00" not in station.name
        station.name.encode()  # raises for half a surrogate pair
        assert len(station.phone) <= 20
        assert station.website == "" or station.website.startswith(("https://", "http://"))
        if station.latitude is not None:
            assert -90 <= station.latitude <= 90 and -180 <= station.longitude <= 180
