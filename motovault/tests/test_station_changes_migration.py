"""Counting the stations' changes (motovault migration 0004) keeps every stored station and
saved station as it was, and counts from then on."""

import pytest
from django.core.management import call_command

from motovault.changes import data_version
from stations.models import FavoriteStation, Station

BEFORE = [("motovault", "0003_data_changes"), ("stations", "0005_station_osm_id")]


@pytest.fixture
def old_apps(apps_before):
    """The apps before migration 0004."""
    return apps_before(BEFORE)


def test_it_keeps_the_stations_and_counts_their_changes_from_then_on(old_apps):
    OldStation = old_apps.get_model("stations", "Station")
    OldFavorite = old_apps.get_model("stations", "FavoriteStation")
    owner = old_apps.get_model("auth", "User").objects.create(username="o1")
    shared = OldStation.objects.create(name="Shell Main St", google_place_id="ChIJstored")
    own = OldStation.objects.create(name="Corner Garage", owner_id=owner.pk)
    OldFavorite.objects.create(user_id=owner.pk, station_id=shared.pk, note="Cheapest diesel")
    OldFavorite.objects.create(user_id=owner.pk, station_id=own.pk)
    stations = list(OldStation.objects.order_by("name").values_list("id", "name", "owner_id"))

    call_command("migrate", verbosity=0)

    assert list(Station.objects.order_by("name").values_list("id", "name", "owner_id")) == stations
    assert sorted(FavoriteStation.objects.values_list("note", flat=True)) == ["", "Cheapest diesel"]
    counted = data_version(owner.pk, stations=True)
    Station.objects.filter(pk=shared.pk).update(phone="(217) 555-0100")
    after_shared = data_version(owner.pk, stations=True)
    assert after_shared.stations > counted.stations and after_shared.own == counted.own
    # The owner's saved stations, and their own station, are theirs.
    FavoriteStation.objects.filter(station_id=own.pk).update(note="Open late")
    after_note = data_version(owner.pk, stations=True)
    assert after_note.own > after_shared.own and after_note.stations == after_shared.stations
    Station.objects.filter(pk=own.pk).update(name="Corner Garage & Tyres")
    after_own = data_version(owner.pk, stations=True)
    assert after_own.own > after_note.own and after_own.stations == after_note.stations
