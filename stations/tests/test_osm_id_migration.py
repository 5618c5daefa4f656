"""Adding the OpenStreetMap id (issue 17) keeps every stored station and favorite as it was."""

from decimal import Decimal

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import IntegrityError, transaction

from conftest import just_before
from stations.models import FavoriteStation, Station

ADDED = ("stations", "0005_station_osm_id")


@pytest.fixture
def old_apps(apps_before):
    """The apps as they were before the column."""
    return apps_before(just_before(ADDED))


def test_it_keeps_every_station_and_favorite_when_adding_the_openstreetmap_id(old_apps):
    OldStation = old_apps.get_model("stations", "Station")
    OldFavorite = old_apps.get_model("stations", "FavoriteStation")
    owner = old_apps.get_model("auth", "User").objects.create(username="o1")
    google = OldStation.objects.create(
        name="Shell Main St",
        google_place_id="ChIJstored",
        address="100 Main St\nSpringfield",
        latitude=Decimal("39.79901750"),
        longitude=Decimal("-89.64395750"),
        phone="(217) 555-0100",
        website="https://www.shell.us/",
    )
    by_hand = OldStation.objects.create(name="Corner Garage")
    OldFavorite.objects.create(user_id=owner.pk, station_id=google.pk, note="Cheapest diesel")
    fields = ["id", "google_place_id", "name", "address", "latitude", "longitude", "phone"]
    before = list(OldStation.objects.order_by("name").values_list(*fields))

    call_command("migrate", verbosity=0)

    assert list(Station.objects.order_by("name").values_list(*fields)) == before
    assert list(Station.objects.values_list("osm_id", flat=True)) == [None, None]
    favorite = FavoriteStation.objects.get()
    assert (favorite.station_id, favorite.note) == (google.pk, "Cheapest diesel")
    assert favorite.user == User.objects.get(username="o1")
    # Unique among the stations that have one; any number may have none.
    Station.objects.filter(pk=by_hand.pk).update(osm_id="node/1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Station.objects.create(name="Twin", osm_id="node/1")
    Station.objects.create(name="Another by hand")
