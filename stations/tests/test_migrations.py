"""The rename of issue 13 keeps every favorite: a database holding favorites saved under the old
name (FavouriteStation, table favourite_stations) is migrated to the new one, and every row,
note, constraint, content type and permission is still there under the new names."""

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db import IntegrityError, connection, transaction

from stations.models import FavoriteStation, Station

BEFORE = [("stations", "0002_bounds")]
NOTES = ["Cheapest diesel in town", "", "Café “Zur Tankstelle” - open 24 h", "n" * 200]


@pytest.fixture
def old_apps(apps_before):
    """The apps as they were before the rename; the database is migrated forward afterwards
    however the test ends."""
    return apps_before(BEFORE)


def tables() -> set[str]:
    with connection.cursor() as cursor:
        return set(connection.introspection.table_names(cursor))


def test_it_keeps_every_favorite_through_the_rename(old_apps):
    # The content type and permissions as the old code's `migrate` left them (going back
    # without the migrate command did not rename them).
    ContentType.objects.filter(app_label="stations", model="favoritestation").update(
        model="favouritestation"
    )
    for perm in Permission.objects.filter(codename__endswith="_favoritestation"):
        perm.codename = perm.codename.replace("favorite", "favourite")
        perm.save(update_fields=["codename"])
    old_type = ContentType.objects.get(app_label="stations", model="favouritestation")
    can_change = Permission.objects.get(codename="change_favouritestation")
    staff = User.objects.create_user("staff")
    staff.user_permissions.add(can_change)

    OldFavorite = old_apps.get_model("stations", "FavouriteStation")
    OldStation = old_apps.get_model("stations", "Station")
    assert OldFavorite._meta.db_table == "favourite_stations"
    owners = [old_apps.get_model("auth", "User").objects.create(username=f"o{n}") for n in (1, 2)]
    stations = [OldStation.objects.create(name=f"Station {n}") for n in range(len(NOTES))]
    for owner in owners:
        for station, note in zip(stations, NOTES, strict=True):
            OldFavorite.objects.create(user_id=owner.pk, station_id=station.pk, note=note)
    fields = ["id", "user_id", "station_id", "note", "created_at"]
    before = list(OldFavorite.objects.order_by("id").values_list(*fields))

    call_command("migrate", verbosity=0)

    assert list(FavoriteStation.objects.order_by("id").values_list(*fields)) == before
    assert len(before) == 2 * len(NOTES)
    assert "favorite_stations" in tables() and "favourite_stations" not in tables()
    with connection.cursor() as cursor:
        constraints = connection.introspection.get_constraints(cursor, "favorite_stations")
    assert "unique_user_favorite" in constraints and "unique_user_favourite" not in constraints
    # The renamed constraint still refuses a second save, and new rows get fresh ids.
    owner, station = User.objects.get(username="o1"), Station.objects.get(name="Station 0")
    with pytest.raises(IntegrityError), transaction.atomic():
        FavoriteStation.objects.create(user=owner, station=station)
    added = FavoriteStation.objects.create(user=owner, station=Station.objects.create(name="New"))
    assert added.pk > max(row[0] for row in before)
    assert {f.note for f in User.objects.get(username="o2").favorite_stations.all()} == set(NOTES)
    # Admin history and granted permissions follow the model: same rows, new names.
    assert ContentType.objects.get_for_model(FavoriteStation).pk == old_type.pk
    can_change.refresh_from_db()
    assert (can_change.codename, can_change.name) == (
        "change_favoritestation",
        "Can change favorite station",
    )
    assert User.objects.get(pk=staff.pk).has_perm("stations.change_favoritestation")
    assert not Permission.objects.filter(codename__contains="favourite").exists()
