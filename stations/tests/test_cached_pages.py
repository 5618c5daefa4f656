"""The stations pages are cached whole like the other main pages (motovault/pagecache.py), under
the owner's count, the count of the stations every owner sees, and the search provider's cached
answer: a change shows on the next request, and a search that stores new places leaves the
owner's other pages cached."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from motovault.changes import data_version
from motovault.tests.test_pagecache import HIT_QUERIES, cache_it, view
from stations import places
from stations.models import FavoriteStation, Station
from stations.search import GOOGLE_FAILED_NOTICE
from stations.tests.conftest import SEARCH_URL
from stations.tests.places_bodies import places_response

SEARCH = reverse("stations:index") + "?q=gas"
SAVED = reverse("stations:index")


@pytest.fixture
def searched(owner, mocked):
    """Google answered "gas" with three places (now stored and its answer cached); the owner
    saved the first."""
    mocked.post(SEARCH_URL, json=places_response(3))
    found = places.search("gas")
    FavoriteStation.objects.create(user=owner, station=found[0], note="Cheapest diesel")
    return found


@pytest.mark.parametrize("url", [SEARCH, SAVED])
def test_a_stations_page_seen_again_is_served_from_the_cache(owner_client, searched, url):
    made = cache_it(owner_client, url)

    with CaptureQueriesContext(connection) as queries:
        again = view(owner_client, url)

    assert again == made
    assert len(queries) == HIT_QUERIES


def test_a_change_to_a_shown_station_shows_on_the_next_request(owner_client, searched):
    first, second, _third = searched
    cache_it(owner_client, SEARCH), cache_it(owner_client, SAVED)

    Station.objects.filter(pk=first.pk).update(phone="(650) 555-9999")
    with connection.cursor() as cursor:  # as psql would: no code of ours sees it
        cursor.execute(
            "UPDATE stations SET name = 'Renamed by hand' WHERE id = %s",
            [Station._meta.pk.get_db_prep_value(second.pk, connection)],
        )

    assert "(650) 555-9999" in view(owner_client, SEARCH)
    assert "(650) 555-9999" in view(owner_client, SAVED)
    assert "Renamed by hand" in view(owner_client, SEARCH)


def test_saving_a_station_and_its_note_show_on_the_next_request(owner_client, searched):
    second = searched[1]
    assert view(owner_client, SEARCH).count("Saved</span>") == 1
    cache_it(owner_client, SAVED)

    owner_client.post(reverse("stations:save", args=[second.pk]), {"next": SEARCH})
    FavoriteStation.objects.filter(station=searched[0]).update(note="Closed on Sundays")

    assert view(owner_client, SEARCH).count("Saved</span>") == 2
    assert "Closed on Sundays" in view(owner_client, SAVED)


def test_a_new_answer_from_google_shows_on_the_next_request(owner_client, searched, mocked):
    cache_it(owner_client, SEARCH)
    # The hour is up, and another owner's search asked Google again: it now answers with one of
    # the stored places, unchanged, so no station row is written.
    places.cache.delete(places.search_cache_key("gas"), version=places.CACHE_VERSION)
    mocked.replace(mocked.POST, SEARCH_URL, json=places_response(1, start=2))
    places.search("gas")

    page = view(owner_client, SEARCH)

    assert page.count('class="card station"') == 1
    assert "555-0002" in page and "555-0000" not in page


def test_a_page_made_while_google_fails_is_not_kept(owner_client, mocked, settings):
    mocked.post(SEARCH_URL, status=503)
    assert GOOGLE_FAILED_NOTICE in view(owner_client, SEARCH)
    assert GOOGLE_FAILED_NOTICE in view(owner_client, SEARCH)  # with the CSRF cookie

    mocked.replace(mocked.POST, SEARCH_URL, json=places_response(2))

    page = view(owner_client, SEARCH)
    assert GOOGLE_FAILED_NOTICE not in page
    assert page.count('class="card station"') == 2


def test_a_page_whose_answer_went_while_it_was_made_is_not_kept(
    owner_client, searched, mocked, monkeypatch
):
    """The answer is read for the key, then again by the search: if it expired in between and
    Google failed, the failure's page must not be kept under the answer's key."""
    view(owner_client, SEARCH)  # the CSRF cookie
    mocked.replace(mocked.POST, SEARCH_URL, status=503)
    reads = []

    def expiring_on_the_searchs_read(text, near=None):
        reads.append(text)
        if len(reads) == 2:
            places.cache.delete(places.search_cache_key(text, near), version=places.CACHE_VERSION)
        return cached_ids(text, near)

    cached_ids = places.cached_ids
    monkeypatch.setattr(places, "cached_ids", expiring_on_the_searchs_read)
    assert GOOGLE_FAILED_NOTICE in view(owner_client, SEARCH)
    monkeypatch.setattr(places, "cached_ids", cached_ids)
    # Google is back with the same answer, which writes no row: the same key as before.
    mocked.replace(mocked.POST, SEARCH_URL, json=places_response(3))
    places.search("gas")

    page = view(owner_client, SEARCH)

    assert GOOGLE_FAILED_NOTICE not in page
    assert page.count('class="card station"') == 3


def test_a_found_place_that_became_another_owners_station_is_not_shown(
    owner_client, other_user, searched
):
    Station.objects.filter(pk=searched[2].pk).update(owner=other_user)

    page = view(owner_client, SEARCH)

    assert page.count('class="card station"') == 2
    assert searched[2].name not in page


def test_stored_places_leave_the_owners_other_pages_cached(owner, owner_client, searched):
    """A search stores what Google found: the stations pages count it, the others need not."""
    dashboard = reverse("dashboard")
    cache_it(owner_client, dashboard)
    before = data_version(owner.pk, stations=True)

    Station.objects.create(name="Found by someone else", google_place_id="ChIJelsewhere")

    after = data_version(owner.pk, stations=True)
    assert after.stations > before.stations
    assert (after.own, after.shared) == (before.own, before.shared)
    with CaptureQueriesContext(connection) as queries:
        view(owner_client, dashboard)
    assert len(queries) == HIT_QUERIES


def test_a_private_station_counts_for_its_owner_alone(owner, other_user):
    mine, theirs = data_version(owner.pk, stations=True), data_version(other_user.pk, stations=True)

    Station.objects.create(name="Bob's barn pump", owner=other_user)

    assert data_version(owner.pk, stations=True) == mine
    changed = data_version(other_user.pk, stations=True)
    assert changed.own > theirs.own and changed.stations == theirs.stations
