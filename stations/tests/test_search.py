from decimal import Decimal

import pytest

from stations.models import LOCAL_RESULTS_LIMIT, Station
from stations.places import Near
from stations.search import ranked, search_words, stored_stations

SPRINGFIELD = Near(39.7990, -89.6440)


@pytest.fixture
def springfield(db):
    """Stations in two towns; the first two a few blocks apart in Springfield."""
    for name, address, latitude, longitude in [
        ("Main Street Gas", "1 Elm St, Springfield", "39.8100", "-89.6440"),
        ("Chevron", "5 Shell Rd, Springfield", "39.8000", "-89.6440"),
        ("Shell Express", "2 Oak St, Springfield", None, None),
        ("Downtown Shell", "3 Pine St, Springfield", "39.7000", "-89.6440"),
        ("Shell", "4 Main St, Springfield", "39.7700", "-89.6440"),
        ("Arco", "9 Maple St, Shelbyville", "41.0000", "-88.0000"),
    ]:
        Station.objects.create(
            name=name,
            address=address,
            latitude=latitude and Decimal(latitude),
            longitude=longitude and Decimal(longitude),
        )


def names(stations: list[Station]) -> list[str]:
    return [station.name for station in stations]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("fuel in Springfield", ["springfield"]),
        ("Gas stations near Main St.", ["main", "st"]),
        ("  SHELL, Springfield ", ["shell", "springfield"]),
        ("“Petrol” at the Shell", ["shell"]),
        # Nothing but filler: the words themselves, or nothing could be found.
        ("gas station", ["gas", "station"]),
        ("... !!", []),
        ("shell shell Shell", ["shell"]),
    ],
)
def test_it_searches_the_words_that_tell_stations_apart(text, words):
    assert search_words(text) == words


def test_it_searches_no_filler_words_around_a_point():
    assert search_words("gas station near me", near=True) == []
    assert search_words("diesel near me", near=True) == ["diesel"]


def test_it_finds_the_placeholders_example_by_its_town(springfield, owner):
    found = stored_stations("fuel in Springfield", None, owner)

    assert set(names(found)) == {
        "Main Street Gas",
        "Chevron",
        "Shell Express",
        "Downtown Shell",
        "Shell",
    }


def test_it_ranks_local_matches_best_first(springfield, owner):
    assert names(stored_stations("  SHELL ", None, owner)) == [
        "Shell",
        "Shell Express",
        "Downtown Shell",
        "Chevron",
    ]
    # Both words before one, and a word in the name before one in the address.
    assert names(stored_stations("shell springfield", None, owner)) == [
        "Downtown Shell",
        "Shell",
        "Shell Express",
        "Chevron",
        "Main Street Gas",
    ]


def test_it_ranks_equal_matches_nearest_first_and_those_without_coordinates_last(
    springfield, owner
):
    found = stored_stations("springfield", SPRINGFIELD, owner)

    assert names(found) == [
        "Chevron",
        "Main Street Gas",
        "Shell",
        "Downtown Shell",
        "Shell Express",
    ]


def test_it_finds_the_stations_around_when_there_are_no_words(springfield, owner):
    # Within about 5 km: not the one 11 km south, nor Shelbyville, nor the one without a place.
    found = stored_stations("fuel station", SPRINGFIELD, owner)

    assert names(found) == ["Chevron", "Main Street Gas", "Shell"]
    assert stored_stations("", SPRINGFIELD, owner) == found
    assert stored_stations("...", None, owner) == []


@pytest.mark.parametrize("query", ["100%", "a_b", "'; DROP TABLE stations; --", "\\", "ü"])
def test_it_matches_any_characters_literally(db, owner, query):
    Station.objects.create(name="Plain Station", address="1 Road")

    assert stored_stations(query, None, owner) == []


def test_it_answers_with_a_bounded_list_in_one_query(db, owner, django_assert_num_queries):
    Station.objects.bulk_create(
        Station(name=f"Shell {n}", latitude=Decimal("39.8"), longitude=Decimal("-89.6"))
        for n in range(LOCAL_RESULTS_LIMIT + 5)
    )

    with django_assert_num_queries(1):
        found = ranked(Station.objects.all(), "shell in springfield", SPRINGFIELD)

    assert len(found) == LOCAL_RESULTS_LIMIT
