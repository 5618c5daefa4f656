import json
from decimal import Decimal

import pytest
import requests
from django.core.cache import cache

from stations import places
from stations.models import FavoriteStation, Station
from stations.places import search_cache_key
from stations.search import GOOGLE_FAILED_NOTICE, NEAR_ME_NOTICE, NO_PROVIDER_NOTICE
from stations.tests.conftest import API_KEY, SEARCH_URL
from stations.tests.places_bodies import error_response, places_response


@pytest.fixture
def stored_shell(make_station):
    """A station saved by an earlier search: what the page falls back to."""
    return make_station(
        "Shell Main St",
        google_place_id="ChIJstored",
        latitude=Decimal("37.3861"),
        longitude=Decimal("-122.0839"),
    )


def test_it_shows_google_results_with_contact_map_and_fuel_links(owner_client, mocked):
    mocked.post(SEARCH_URL, json=places_response(2))

    response = owner_client.get("/stations/", {"q": "shell"})

    html = response.content.decode()
    assert "2 stations for “shell”" in html
    assert "Shell Main St" in html
    assert "100 Main St, Mountain View, CA 94043, USA" in html
    assert 'href="tel:(650)555-0000"' in html
    assert 'href="https://www.example-fuel.com/stations/0"' in html
    assert (
        'href="https://www.openstreetmap.org/?mlat=37.3861&amp;mlon=-122.0839'
        '#map=17/37.3861/-122.0839"'
    ) in html
    # Not saved yet: "Log fuel here" saves the station on its way to the fuel form.
    assert 'name="next" value="/fuel/add/?station_name=Shell%20Main%20St"' in html
    assert "Results from Google Maps." in html
    assert "notice" not in html
    assert API_KEY not in html
    assert Station.objects.count() == 2


def test_it_encodes_any_station_name_into_the_fuel_link(owner_client, make_station, settings):
    settings.GOOGLE_MAPS_API_KEY = ""
    make_station("Bob & Sue's Gas #1 / Café", address="1 Elm St")

    html = owner_client.get("/stations/", {"q": "bob"}).content.decode()

    assert "/fuel/add/?station_name=Bob%20%26%20Sue%27s%20Gas%20%231%20%2F%20Caf%C3%A9" in html


def test_it_searches_near_the_owner_when_the_browser_shares_a_location(owner_client, mocked):
    mocked.post(SEARCH_URL, json=places_response(1))

    response = owner_client.get(
        "/stations/", {"q": "diesel", "lat": "37.38612", "lng": "-122.08388"}
    )

    body = json.loads(mocked.calls[0].request.body)
    assert body["locationBias"]["circle"]["center"] == {"latitude": 37.39, "longitude": -122.08}
    assert "1 station for “diesel” near you" in response.content.decode()


@pytest.mark.parametrize(
    "location",
    [
        {"lat": "abc", "lng": "1"},
        {"lat": "95", "lng": "1"},
        {"lat": "nan", "lng": "inf"},
        {"lat": "1"},
    ],
)
def test_it_ignores_a_location_it_cannot_use(owner_client, mocked, location):
    mocked.post(SEARCH_URL, json=places_response(1))

    response = owner_client.get("/stations/", {"q": "diesel", **location})

    assert "locationBias" not in json.loads(mocked.calls[0].request.body)
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("", "Enter a station name, brand or place to search for."),
        ("   ", "Enter a station name, brand or place to search for."),
        ("x" * 201, "Ensure this value has at most 200 characters (it has 201)."),
        ("\x00\x1b", "Enter a station name, brand or place to search for."),
    ],
    ids=["empty", "blank", "too-long", "only-control-characters"],
)
def test_it_shows_a_form_error_for_a_query_it_cannot_search(owner_client, mocked, query, error):
    response = owner_client.get("/stations/", {"q": query})

    assert response.status_code == 200
    assert error in response.content.decode()
    assert len(mocked.calls) == 0


@pytest.mark.parametrize(
    "query", ["<script>alert(1)</script>", "'; DROP TABLE stations; --", "100% _off_", "🚗⛽"]
)
def test_it_searches_for_any_characters_safely(owner_client, mocked, query):
    mocked.post(SEARCH_URL, json={})

    response = owner_client.get("/stations/", {"q": query})

    html = response.content.decode()
    assert "No stations found" in html
    assert "<script>alert" not in html
    assert json.loads(mocked.calls[0].request.body)["textQuery"] == query


def test_it_searches_without_control_characters(owner_client, mocked):
    mocked.post(SEARCH_URL, json={})

    owner_client.get("/stations/", {"q": "shell\x00 main\tst\x1b"})

    assert json.loads(mocked.calls[0].request.body)["textQuery"] == "shell main st"


def test_it_answers_a_repeated_search_from_the_cache(owner_client, mocked):
    mocked.post(SEARCH_URL, json=places_response(2))
    owner_client.get("/stations/", {"q": "Shell"})

    response = owner_client.get("/stations/", {"q": "  shell  "})

    assert len(mocked.calls) == 1
    assert "2 stations for “shell”" in response.content.decode()


@pytest.mark.parametrize(
    ("status", "body"),
    [
        (400, error_response(400, "INVALID_ARGUMENT", "API key not valid.")),
        (403, error_response(403, "PERMISSION_DENIED", "The caller does not have permission")),
        (429, error_response(429, "RESOURCE_EXHAUSTED", "Quota exceeded.")),
        (500, error_response(500, "INTERNAL", "Internal error encountered.")),
        (200, "<html>not json</html>"),
        (None, requests.ConnectTimeout()),
    ],
    ids=["invalid-key", "forbidden", "quota", "server-error", "garbage", "timeout"],
)
def test_it_falls_back_to_stored_stations_with_a_notice_when_google_fails(
    owner_client, mocked, caplog, stored_shell, make_station, status, body
):
    make_station("Arco Oak Ave", address="9 Oak Ave")
    if status is None:
        mocked.post(SEARCH_URL, body=body)
    elif isinstance(body, str):
        mocked.post(SEARCH_URL, body=body, status=status, content_type="application/json")
    else:
        mocked.post(SEARCH_URL, json=body, status=status)

    response = owner_client.get("/stations/", {"q": "shell"})

    html = response.content.decode()
    assert response.status_code == 200
    assert GOOGLE_FAILED_NOTICE in html
    assert "1 station for “shell”" in html
    assert "Shell Main St" in html
    assert "Arco Oak Ave" not in html
    assert "Results from Google Maps." not in html
    assert cache.get(search_cache_key("shell"), version=places.CACHE_VERSION) is None
    assert "answering from stored stations" in caplog.text
    assert API_KEY not in caplog.text


def test_it_answers_from_stored_stations_when_no_api_key_is_configured(
    owner_client, mocked, stored_shell, settings
):
    settings.GOOGLE_MAPS_API_KEY = ""

    response = owner_client.get("/stations/", {"q": "main st"})

    html = response.content.decode()
    assert NO_PROVIDER_NOTICE in html
    assert "Shell Main St" in html
    assert "Stations saved here." in html
    # Nothing could search around the owner, so the page does not offer it.
    assert "Search near me" not in html
    assert len(mocked.calls) == 0


def test_it_points_a_text_search_to_near_me_when_only_openstreetmap_is_configured(
    owner_client, mocked, stored_shell, settings
):
    settings.GOOGLE_MAPS_API_KEY = ""
    settings.OVERPASS_ENABLED = True

    html = owner_client.get("/stations/", {"q": "fuel in Mountain View"}).content.decode()

    assert NEAR_ME_NOTICE in html
    assert "1 station for “fuel in Mountain View”" in html
    assert "Shell Main St" in html
    assert "Search near me" in html
    assert len(mocked.calls) == 0


def test_it_says_so_when_nothing_stored_matches_either(owner_client, settings):
    settings.GOOGLE_MAPS_API_KEY = ""

    html = owner_client.get("/stations/", {"q": "nowhere"}).content.decode()

    assert "No stations found" in html
    assert (
        "Only stations stored here are searched: those found by earlier searches, and the ones"
        " you added or named on a fill-up."
    ) in html


def test_it_searches_twenty_places_in_a_fixed_number_of_queries(
    owner_client, owner, mocked, django_assert_num_queries, no_page_cache
):
    mocked.post(SEARCH_URL, json=places_response(20))
    FavoriteStation.objects.create(
        user=owner,
        station=Station.objects.create(
            name="Old", google_place_id="ChIJ0003aBcDeFgHiJkLmNoPqRsTuV"
        ),
    )

    # Session, user, existing stations, savepoint, insert, update, release, the stations read
    # back with the owner's marks.
    with django_assert_num_queries(8):
        response = owner_client.get("/stations/", {"q": "gas"})

    assert response.content.decode().count('class="card station"') == 20
    assert Station.objects.count() == 20
    # A cache hit: session, user, the cached stations with the owner's marks.
    with django_assert_num_queries(3):
        owner_client.get("/stations/", {"q": "gas"})


@pytest.mark.parametrize("count", [1, 20])
def test_it_answers_a_cached_search_in_a_fixed_number_of_queries(
    owner_client, mocked, django_assert_num_queries, count, no_page_cache
):
    mocked.post(SEARCH_URL, json=places_response(count))
    owner_client.get("/stations/", {"q": "gas"})
    # Session, user, the cached stations with the owner's marks.
    with django_assert_num_queries(3):
        response = owner_client.get("/stations/", {"q": "gas"})
    assert response.content.decode().count('class="card station"') == count


def test_it_stores_a_name_with_half_a_unicode_pair_without_failing(owner_client, mocked):
    # Valid JSON, but "\ud800" is no character: neither UTF-8 nor PostgreSQL can hold it.
    body = '{"places": [{"id": "ChIJhalf", "displayName": {"text": "Shell \\ud800 Main"}}]}'
    mocked.post(SEARCH_URL, body=body, content_type="application/json")
    response = owner_client.get("/stations/", {"q": "shell"})
    assert response.status_code == 200
    assert Station.objects.get().name == "Shell \ufffd Main"


def test_it_saves_a_station_as_a_favorite_and_returns_to_the_search(
    owner_client, owner, stored_shell
):
    response = owner_client.post(
        f"/stations/{stored_shell.pk}/save/", {"next": "/stations/?q=shell"}
    )

    assert response["Location"] == "/stations/?q=shell"
    assert FavoriteStation.objects.get(user=owner).station == stored_shell
    owner_client.post(f"/stations/{stored_shell.pk}/save/")
    assert FavoriteStation.objects.filter(user=owner).count() == 1


def test_it_never_redirects_to_another_site_after_saving(owner_client, stored_shell):
    response = owner_client.post(
        f"/stations/{stored_shell.pk}/save/", {"next": "https://evil.example/"}
    )

    assert response["Location"] == "/stations/"


def test_it_marks_saved_stations_in_results(
    owner_client, owner, settings, stored_shell, make_favorite
):
    settings.GOOGLE_MAPS_API_KEY = ""
    favorite = make_favorite(owner, stored_shell)

    html = owner_client.get("/stations/", {"q": "shell"}).content.decode()

    assert "Saved</span>" in html
    assert f"/stations/favorites/{favorite.pk}/delete/" in html
    assert f"/stations/{stored_shell.pk}/save/" not in html


def test_it_marks_only_the_owners_saved_stations_in_googles_results(
    owner_client, owner, other_user, mocked
):
    mocked.post(SEARCH_URL, json=places_response(3))
    owner_client.get("/stations/", {"q": "gas"})  # stores the three places
    first, second, third = Station.objects.order_by("google_place_id")
    mine = FavoriteStation.objects.create(user=owner, station=first)
    FavoriteStation.objects.create(user=other_user, station=second)

    html = owner_client.get("/stations/", {"q": "gas"}).content.decode()

    assert html.count("Saved</span>") == 1
    assert f"/stations/favorites/{mine.pk}/delete/" in html
    # The other owner's saved station, and the one nobody saved, can still be saved here.
    assert f"/stations/{second.pk}/save/" in html
    assert f"/stations/{third.pk}/save/" in html
    assert f"/stations/{first.pk}/save/" not in html


def test_it_shows_the_owners_own_stations_in_results_as_theirs(
    owner_client, owner, settings, make_station, make_favorite
):
    settings.GOOGLE_MAPS_API_KEY = ""
    favorite = make_favorite(owner, make_station("Shell by the lake", owner=owner))

    html = owner_client.get("/stations/", {"q": "shell"}).content.decode()

    assert "Yours</span>" in html
    assert "Saved</span>" not in html
    assert 'Delete<span class="visually-hidden"> Shell by the lake</span>' in html
    assert "Remove" not in html
    assert f"/stations/favorites/{favorite.pk}/edit/" in html


def test_it_refuses_to_save_with_get(owner_client, stored_shell):
    response = owner_client.get(f"/stations/{stored_shell.pk}/save/")

    assert response.status_code == 405
    assert not FavoriteStation.objects.exists()


def test_it_lists_favorites_with_notes_when_there_is_no_query(
    owner_client, owner, other_user, make_station, make_favorite, django_assert_num_queries
):
    make_favorite(owner, make_station("Shell Main St"), note="Cheapest diesel in town")
    make_favorite(owner, make_station("Arco Oak Ave"))
    make_favorite(other_user, make_station("Chevron Broadway"))

    # Session, user, count, the page of favorites with their stations, the latest prices paid
    # at them, the cheapest of the last 30 days.
    with django_assert_num_queries(6):
        response = owner_client.get("/stations/")

    html = response.content.decode()
    assert "Cheapest diesel in town" in html
    assert html.index("Arco Oak Ave") < html.index("Shell Main St")
    assert "Chevron Broadway" not in html
    assert "2 saved" in html


def test_it_paginates_favorites_by_25(owner_client, owner):
    stations = Station.objects.bulk_create(Station(name=f"Station {i:02d}") for i in range(30))
    FavoriteStation.objects.bulk_create(FavoriteStation(user=owner, station=s) for s in stations)

    first = owner_client.get("/stations/").content.decode()
    second = owner_client.get("/stations/", {"page": 2}).content.decode()

    assert first.count('class="card station"') == 25
    assert second.count('class="card station"') == 5
    assert "Page 2 of 2" in second


def test_it_says_what_to_do_when_the_owner_has_no_stations(owner_client):
    html = owner_client.get("/stations/").content.decode()

    assert "No stations yet" in html
    assert "Add the station you use by hand, or log fuel with a station name" in html
    assert 'href="/stations/add/"' in html


def test_it_edits_a_favorites_note(owner_client, owner, make_favorite):
    favorite = make_favorite(owner)

    response = owner_client.post(
        f"/stations/favorites/{favorite.pk}/edit/",
        {"note": "Open 24 hours", "next": "/stations/"},
    )

    assert response["Location"] == "/stations/"
    favorite.refresh_from_db()
    assert favorite.note == "Open 24 hours"


def test_it_edits_a_note_only_by_get_and_post(owner_client, owner, make_favorite):
    favorite = make_favorite(owner, note="cheap")
    response = owner_client.put(f"/stations/favorites/{favorite.pk}/edit/", "note=gone")
    assert response.status_code == 405
    favorite.refresh_from_db()
    assert favorite.note == "cheap"


def test_it_shows_an_error_for_a_note_that_is_too_long(owner_client, owner, make_favorite):
    favorite = make_favorite(owner, note="Kept")

    response = owner_client.post(f"/stations/favorites/{favorite.pk}/edit/", {"note": "n" * 201})

    assert "Ensure this value has at most 200 characters" in response.content.decode()
    favorite.refresh_from_db()
    assert favorite.note == "Kept"


def test_it_confirms_before_removing_a_favorite(owner_client, owner, make_favorite):
    favorite = make_favorite(owner, note="Cheap")

    page = owner_client.get(f"/stations/favorites/{favorite.pk}/delete/").content.decode()
    assert "Remove Shell Main St from your stations?" in page
    assert "Your note “Cheap” will be lost." in page
    assert FavoriteStation.objects.filter(pk=favorite.pk).exists()

    response = owner_client.post(f"/stations/favorites/{favorite.pk}/delete/")

    assert response["Location"] == "/stations/"
    assert not FavoriteStation.objects.filter(pk=favorite.pk).exists()
    assert Station.objects.filter(pk=favorite.station_id).exists()


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "edit/"), ("post", "edit/"), ("get", "delete/"), ("post", "delete/")],
)
def test_it_hides_another_users_favorite(other_client, owner, make_favorite, method, path):
    favorite = make_favorite(owner, note="Mine")

    response = getattr(other_client, method)(
        f"/stations/favorites/{favorite.pk}/{path}", {"note": "Hijacked"}
    )

    assert response.status_code == 404
    favorite.refresh_from_db()
    assert favorite.note == "Mine"


@pytest.mark.parametrize(
    ("old", "new"), [("edit/", "edit/"), ("remove/", "delete/"), ("delete/", "delete/")]
)
def test_it_moves_a_bookmarked_old_address_permanently(
    owner_client, owner, make_favorite, old, new
):
    favorite = make_favorite(owner)

    response = owner_client.get(
        f"/stations/favourites/{favorite.pk}/{old}", {"next": "/stations/?q=shell"}
    )

    assert response.status_code == 301
    assert response["Location"] == (
        f"/stations/favorites/{favorite.pk}/{new}?next=%2Fstations%2F%3Fq%3Dshell"
    )
    assert owner_client.get(response["Location"]).status_code == 200


def test_it_saves_a_note_posted_to_the_old_address(owner_client, owner, make_favorite):
    """A note form opened before the move still saves: a 308 has the browser post it again."""
    favorite = make_favorite(owner, note="Cheap")
    old = f"/stations/favourites/{favorite.pk}/edit/"

    response = owner_client.post(old, {"note": "Open 24 hours", "next": "/fuel/"})

    assert response.status_code == 308
    assert response["Location"] == f"/stations/favorites/{favorite.pk}/edit/"
    favorite.refresh_from_db()
    assert favorite.note == "Cheap"  # nothing is written at the old address itself
    response = owner_client.post(old, {"note": "Open 24 hours", "next": "/fuel/"}, follow=True)
    assert response.redirect_chain[-1] == ("/fuel/", 302)
    favorite.refresh_from_db()
    assert favorite.note == "Open 24 hours"


@pytest.mark.parametrize("old", ["remove/", "delete/"])
def test_it_removes_a_favorite_posted_to_an_old_address(owner_client, owner, make_favorite, old):
    favorite = make_favorite(owner)

    response = owner_client.post(f"/stations/favourites/{favorite.pk}/{old}", follow=True)

    assert response.redirect_chain == [
        (f"/stations/favorites/{favorite.pk}/delete/", 308),
        ("/stations/", 302),
    ]
    assert "Removed Shell Main St from your stations." in response.content.decode()
    assert not FavoriteStation.objects.filter(pk=favorite.pk).exists()


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("old", ["edit/", "remove/", "delete/"])
def test_it_hides_another_users_favorite_behind_an_old_address(
    other_client, owner, make_favorite, method, old
):
    favorite = make_favorite(owner, note="Mine")

    response = getattr(other_client, method)(
        f"/stations/favourites/{favorite.pk}/{old}", {"note": "Hijacked"}, follow=True
    )

    assert response.status_code == 404
    assert FavoriteStation.objects.get(pk=favorite.pk).note == "Mine"


def test_it_loads_the_near_me_script_from_this_site_only(owner_client):
    html = owner_client.get("/stations/").content.decode()

    assert '<script src="/static/js/stations.js" defer></script>' in html
    assert "data-near-me hidden" in html
    assert "<script>" not in html
