from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction

from stations.favorites import Suggestion, favorite_station_suggestions
from stations.models import Station
from stations.places import Place


def shell(**fields) -> Place:
    values = {
        "place_id": "ChIJshell",
        "name": "Shell Main St",
        "address": "100 Main St, Mountain View, CA",
        "latitude": Decimal("37.38610000"),
        "longitude": Decimal("-122.08390000"),
        "phone": "(650) 555-0100",
        "website": "https://www.shell.us/",
    }
    return Place(**(values | fields))


def test_it_inserts_new_places_as_stations(db):
    (station,) = Station.objects.upsert_places([shell()])

    station.refresh_from_db()
    assert station.google_place_id == "ChIJshell"
    assert station.name == "Shell Main St"
    assert station.latitude == Decimal("37.3861")
    assert station.website == "https://www.shell.us/"


def test_it_refreshes_a_changed_place_and_leaves_an_unchanged_one_alone(db):
    changed, unchanged = Station.objects.upsert_places(
        [shell(), shell(place_id="ChIJarco", name="Arco Oak Ave")]
    )
    changed_stamp, unchanged_stamp = changed.updated_at, unchanged.updated_at

    again = Station.objects.upsert_places(
        [
            shell(name="Shell Main Street", phone="(650) 555-0199"),
            shell(place_id="ChIJarco", name="Arco Oak Ave"),
        ]
    )

    assert [s.pk for s in again] == [changed.pk, unchanged.pk]
    assert Station.objects.count() == 2
    changed.refresh_from_db()
    unchanged.refresh_from_db()
    assert (changed.name, changed.phone) == ("Shell Main Street", "(650) 555-0199")
    assert changed.updated_at > changed_stamp
    assert unchanged.updated_at == unchanged_stamp


def test_it_upserts_twenty_places_in_three_queries(db, django_assert_num_queries):
    Station.objects.upsert_places([shell(place_id=f"ChIJ{i}", name=f"Old {i}") for i in range(10)])
    places = [shell(place_id=f"ChIJ{i}", name=f"Station {i}") for i in range(20)]

    # SELECT existing, INSERT 10 new, UPDATE 10 changed, plus the savepoint around them.
    with django_assert_num_queries(5):
        stations = Station.objects.upsert_places(places)

    assert [s.name for s in stations] == [f"Station {i}" for i in range(20)]
    assert Station.objects.filter(name__startswith="Station").count() == 20


def test_it_stores_a_place_listed_twice_once(db):
    stations = Station.objects.upsert_places([shell(), shell()])

    assert stations[0].pk == stations[1].pk
    assert Station.objects.count() == 1


@pytest.mark.parametrize(
    ("latitude", "longitude"),
    [(Decimal("90.5"), Decimal(0)), (Decimal(0), Decimal("-180.5")), (Decimal(10), None)],
)
def test_it_refuses_impossible_coordinates_in_the_database(db, latitude, longitude):
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(name="Nowhere", latitude=latitude, longitude=longitude)


def test_it_lets_admins_add_several_stations_without_a_place_id(db):
    Station.objects.create(name="Farm pump")
    Station.objects.create(name="Marina fuel dock")

    assert Station.objects.filter(google_place_id__isnull=True).count() == 2


def test_it_links_to_openstreetmap_from_the_coordinates(db):
    station = Station.objects.create(
        name="Shell", latitude=Decimal("37.38610000"), longitude=Decimal("-122.08390000")
    )
    station.refresh_from_db()

    assert station.map_url == (
        "https://www.openstreetmap.org/?mlat=37.3861&mlon=-122.0839#map=17/37.3861/-122.0839"
    )
    assert Station(name="No coordinates").map_url == ""


def test_it_lists_favorite_names_alphabetically_once_each(
    owner, other_user, make_station, make_favorite, django_assert_num_queries
):
    make_favorite(owner, make_station("Shell", address="1 Main St"))
    make_favorite(owner, make_station("Shell", address="2 Oak Ave"))
    make_favorite(owner, make_station("Arco"))
    make_favorite(other_user, make_station("Chevron"))

    # The favorites, then the latest and the cheapest prices paid (none here).
    with django_assert_num_queries(3):
        suggestions = favorite_station_suggestions(owner)

    assert suggestions == [Suggestion("Arco"), Suggestion("Shell")]


def test_it_suggests_no_favorites_to_an_anonymous_user(db):
    from django.contrib.auth.models import AnonymousUser

    assert favorite_station_suggestions(AnonymousUser()) == []
