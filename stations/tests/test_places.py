import itertools
import json
import logging
from decimal import Decimal

import pytest
import requests
import responses
from django.core.cache import cache
from hypothesis import given
from hypothesis import strategies as st

from motovault.tests.strategies import PARSE_SETTINGS, VIEW_SETTINGS, json_values
from stations import places
from stations.models import Station
from stations.places import SEARCH_TTL, Near, PlacesError, search_cache_key
from stations.tests.conftest import API_KEY, SEARCH_URL
from stations.tests.places_bodies import error_response, place, places_response


def test_it_sends_a_text_search_for_gas_stations_with_the_key_in_a_header(mocked):
    mocked.post(SEARCH_URL, json=places_response(1))

    places.search_text("  Shell   Main\tStreet ")

    request = mocked.calls[0].request
    assert request.url == SEARCH_URL
    assert request.headers["X-Goog-Api-Key"] == API_KEY
    assert request.headers["X-Goog-FieldMask"] == (
        "places.id,places.displayName,places.formattedAddress,places.location,"
        "places.nationalPhoneNumber,places.websiteUri"
    )
    assert request.headers["Content-Type"] == "application/json"
    assert API_KEY not in request.url
    assert json.loads(request.body) == {
        "textQuery": "Shell Main Street",
        "includedType": "gas_station",
    }


def test_it_sends_a_rounded_location_bias_circle_when_the_owner_shares_a_location(mocked):
    mocked.post(SEARCH_URL, json=places_response(1))

    places.search_text("diesel", Near(37.386123, -122.083877))

    body = json.loads(mocked.calls[0].request.body)
    assert body["locationBias"] == {
        "circle": {"center": {"latitude": 37.39, "longitude": -122.08}, "radius": 5000.0}
    }
    assert body["includedType"] == "gas_station"


def test_it_parses_the_documented_fields_into_places(mocked):
    mocked.post(SEARCH_URL, json=places_response(2))

    found = places.search_text("shell")

    assert [p.place_id for p in found] == [
        "ChIJ0000aBcDeFgHiJkLmNoPqRsTuV",
        "ChIJ0001aBcDeFgHiJkLmNoPqRsTuV",
    ]
    first = found[0]
    assert first.name == "Shell Main St"
    assert first.address == "100 Main St, Mountain View, CA 94043, USA"
    assert first.latitude == Decimal("37.38610000")
    assert first.longitude == Decimal("-122.08390000")
    assert first.phone == "(650) 555-0000"
    assert first.website == "https://www.example-fuel.com/stations/0"


def test_it_reads_a_response_without_places_as_no_results(mocked):
    mocked.post(SEARCH_URL, json={})

    assert places.search_text("nowhere at all") == []


def test_it_skips_places_without_an_id_or_a_name():
    payload = {
        "places": [
            place(0, id=None),
            place(1, id=""),
            place(2, displayName=None),
            place(3, displayName={"text": "   ", "languageCode": "en"}),
            place(4, displayName="Shell"),
            place(5, id="x" * 256),
            "not a place",
            place(6),
        ]
    }

    found = places.parse_places(payload)

    assert [p.place_id for p in found] == ["ChIJ0006aBcDeFgHiJkLmNoPqRsTuV"]


def test_it_cuts_values_longer_than_the_columns():
    payload = {
        "places": [
            place(
                0,
                displayName={"text": "N" * 250, "languageCode": "en"},
                nationalPhoneNumber="+1 650-555-0000 ext. 1234",
                formattedAddress="A" * 5000,
            )
        ]
    }

    (found,) = places.parse_places(payload)

    assert found.name == "N" * 200
    assert found.phone == "+1 650-555-0000 ext."
    assert found.address == "A" * 5000  # the address column is TEXT


def test_it_drops_what_cannot_be_stored_safely():
    payload = {
        "places": [
            place(0, websiteUri="https://example.com/" + "p" * 300, location={"latitude": 91}),
            place(1, websiteUri="javascript:alert(1)", location="here", nationalPhoneNumber=5),
            place(2, location={"latitude": True, "longitude": 2}),
            place(3, location={"latitude": 10.5, "longitude": -181.0}),
        ]
    }

    found = places.parse_places(payload)

    assert [(p.website, p.latitude, p.longitude, p.phone) for p in found] == [
        ("", None, None, "(650) 555-0000"),
        ("", None, None, ""),
        ("https://www.example-fuel.com/stations/2", None, None, "(650) 555-0002"),
        ("https://www.example-fuel.com/stations/3", None, None, "(650) 555-0003"),
    ]


@pytest.mark.parametrize(
    ("status", "body", "calls"),
    [
        (400, error_response(400, "INVALID_ARGUMENT", "API key not valid."), 1),
        (403, error_response(403, "PERMISSION_DENIED", "Places API (New) is not enabled."), 1),
        (429, error_response(429, "RESOURCE_EXHAUSTED", "Quota exceeded."), 1),
        (500, error_response(500, "INTERNAL", "Internal error encountered."), 2),
    ],
    ids=["invalid-key", "forbidden", "quota", "server-error"],
)
def test_it_turns_http_errors_into_one_exception_retrying_only_5xx(
    mocked, caplog, status, body, calls
):
    mocked.post(SEARCH_URL, json=body, status=status)
    caplog.set_level(logging.DEBUG)

    with pytest.raises(PlacesError) as raised:
        places.search_text("shell")

    assert str(status) in str(raised.value)
    assert len(mocked.calls) == calls
    assert API_KEY not in str(raised.value)
    assert API_KEY not in caplog.text


def test_it_retries_a_timeout_once_then_gives_up(mocked, caplog):
    mocked.post(SEARCH_URL, body=requests.ReadTimeout())
    caplog.set_level(logging.DEBUG)

    with pytest.raises(PlacesError, match="did not answer in time"):
        places.search_text("shell")

    assert len(mocked.calls) == 2
    assert API_KEY not in caplog.text


@pytest.mark.parametrize(
    "body",
    ["<html>Service Unavailable</html>", "[1, 2]", '{"places": {"id": "x"}}', ""],
    ids=["html", "list", "places-not-a-list", "empty"],
)
def test_it_treats_a_garbage_body_as_an_error(mocked, body):
    mocked.post(SEARCH_URL, body=body, content_type="application/json")

    with pytest.raises(PlacesError):
        places.search_text("shell")


def test_it_refuses_to_search_without_an_api_key(mocked, settings):
    settings.GOOGLE_MAPS_API_KEY = ""

    with pytest.raises(PlacesError, match="not configured"):
        places.search_text("shell")

    assert len(mocked.calls) == 0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Shell", "  shell "),
        ("Shell  Main\tStreet", "shell main street"),
        ("STRASSE", "straße"),  # case-folding, not just lower-casing
    ],
)
def test_it_normalizes_queries_into_one_cache_key(a, b):
    assert search_cache_key(a) == search_cache_key(b)


def test_it_builds_readable_keys_for_plain_queries_and_rounds_the_location():
    assert search_cache_key(" Shell  Main ") == "stations:search:shell+main"
    assert search_cache_key("shell", Near(37.38612, -122.08388)) == (
        "stations:search:shell@37.39,-122.08"
    )
    assert search_cache_key("shell", Near(37.3861, -122.0839)) == search_cache_key(
        "shell", Near(37.3899, -122.0801)
    )
    assert search_cache_key("shell") != search_cache_key("shell", Near(37.39, -122.08))


@pytest.mark.parametrize(
    "query",
    ["x" * 200, "café près de moi", "shell+main", "a@b", "50% off; DROP TABLE", "tab\x01char"],
)
def test_it_hashes_long_or_unsafe_queries_into_short_safe_keys(query):
    key = search_cache_key(query)

    assert key.startswith("stations:search:sha256:")
    assert len(key) < 100
    assert all(33 <= ord(c) < 127 for c in key)
    assert search_cache_key(query) != search_cache_key(query + "x")


def test_it_caches_a_search_for_an_hour(db, mocked):
    mocked.post(SEARCH_URL, json=places_response(3))

    stations = places.search("Shell")

    key = search_cache_key("shell")
    assert cache.get(key, version=places.CACHE_VERSION) == [str(s.pk) for s in stations]
    if hasattr(cache, "ttl"):  # django-redis (CI); the in-memory cache cannot say
        assert SEARCH_TTL - 5 < cache.ttl(key, version=places.CACHE_VERSION) <= SEARCH_TTL


def test_it_answers_a_repeated_search_from_the_cache_without_calling_or_writing(
    db, mocked, django_assert_num_queries
):
    mocked.post(SEARCH_URL, json=places_response(3))
    first = places.search("Shell")

    # One read of the cached stations: no Google call, no INSERT or UPDATE.
    with django_assert_num_queries(1) as captured:
        again = places.search("  SHELL ")

    assert again == first
    assert len(mocked.calls) == 1
    assert captured.captured_queries[0]["sql"].startswith("SELECT")


def test_it_caches_nothing_when_the_search_fails(db, mocked):
    mocked.post(SEARCH_URL, status=503)

    with pytest.raises(PlacesError):
        places.search("shell")

    assert cache.get(search_cache_key("shell"), version=places.CACHE_VERSION) is None
    assert Station.objects.count() == 0


# ---- Answers no search should fail on -------------------------------------------------------

coordinates = st.floats() | st.integers() | json_values
place_entries = st.fixed_dictionaries(
    {},
    optional={
        "id": st.text(max_size=300) | json_values,
        "displayName": st.fixed_dictionaries({"text": st.text() | json_values}) | json_values,
        "formattedAddress": json_values,
        "location": st.fixed_dictionaries({"latitude": coordinates, "longitude": coordinates})
        | json_values,
        "nationalPhoneNumber": json_values,
        "websiteUri": st.text().map(lambda text: "https://" + text) | json_values,
    },
)
# Any JSON at all, and answers shaped as Google's with any values in their fields.
places_answers = json_values | st.fixed_dictionaries(
    {"places": st.lists(place_entries | json_values, max_size=4)}
)


def storable_text(text: str, length: int | None = None) -> bool:
    text.encode()  # raises for half a surrogate pair
    return "\x00" not in text and (length is None or len(text) <= length)


@PARSE_SETTINGS
@given(payload=places_answers)
def test_it_parses_any_answer_into_storable_places_or_a_places_error(payload):
    try:
        found = places.parse_places(payload)
    except PlacesError:
        return
    for station in found:
        assert station.place_id and storable_text(station.place_id, 255)
        assert station.name and storable_text(station.name, 200)
        assert storable_text(station.address) and storable_text(station.phone, 20)
        assert station.website == "" or station.website.startswith(("https://", "http://"))
        assert storable_text(station.website, 255)
        if station.latitude is not None:
            assert -90 <= station.latitude <= 90 and -180 <= station.longitude <= 180
            assert station.latitude.as_tuple().exponent == -8


_searches = itertools.count()


@VIEW_SETTINGS
@given(payload=places_answers)
def test_it_answers_a_search_whatever_google_answers(owner_client, payload):
    with responses.RequestsMock() as mock:
        mock.post(SEARCH_URL, body=json.dumps(payload), content_type="application/json")
        # A new search each time, so none is answered from the cache.
        response = owner_client.get("/stations/", {"q": f"shell {next(_searches)}"})
    assert response.status_code == 200
    # What was stored reads back as it was shown.
    for station, _own in response.context["results"]:
        assert Station.objects.get(pk=station.pk).name == station.name
