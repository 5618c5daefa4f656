"""Issue 17: existing fill-ups are linked to their owner's station of the name they carry, as
fuellogs.services.save_fuel_log links every fill-up saved from now on (stations.linking): the
owner's saved station of that name, spaces and case aside, else a new private station saved to
their stations.

The rule is copied here as it stands today, on the historical models, so that this migration
keeps doing what it did whatever the app's code becomes. It reads the distinct names, not the
fill-ups: a few queries per 500 owners, plus one UPDATE per owner and distinct name. A new
station is named the way its owner spelled it most."""

from django.db import migrations
from django.db.models import Count

# Owners handled per round: their names are read together.
OWNERS_PER_BATCH = 500


def name_key(name):
    return " ".join(name.split()).casefold()


def link(apps, schema_editor):
    FuelLog = apps.get_model("fuellogs", "FuelLog")
    Station = apps.get_model("stations", "Station")
    FavoriteStation = apps.get_model("stations", "FavoriteStation")
    named = FuelLog.objects.filter(station__isnull=True).exclude(station_name="")
    owners = list(named.order_by("user_id").values_list("user_id", flat=True).distinct())
    for start in range(0, len(owners), OWNERS_PER_BATCH):
        batch = owners[start : start + OWNERS_PER_BATCH]
        names = {}
        # Each owner's names, the spelling used most first: it names a new station.
        rows = (
            named.filter(user_id__in=batch)
            .values_list("user_id", "station_name")
            .annotate(uses=Count("pk"))
            .order_by("user_id", "-uses", "station_name")
        )
        for user_id, name, _uses in rows:
            if key := name_key(name):
                names.setdefault(user_id, {}).setdefault(key, []).append(name)
        saved = {}
        favorites = FavoriteStation.objects.filter(user_id__in=batch).order_by("created_at", "pk")
        for user_id, station_id, name in favorites.values_list(
            "user_id", "station_id", "station__name"
        ):
            saved.setdefault((user_id, name_key(name)), station_id)
        new = [
            Station(owner_id=user_id, name=" ".join(spellings[0].split()), name_key=key)
            for user_id, keys in names.items()
            for key, spellings in keys.items()
            if (user_id, key) not in saved
        ]
        Station.objects.bulk_create(new, batch_size=1000)
        FavoriteStation.objects.bulk_create(
            [FavoriteStation(user_id=s.owner_id, station_id=s.pk) for s in new], batch_size=1000
        )
        for station in new:
            saved[(station.owner_id, name_key(station.name))] = station.pk
        for user_id, keys in names.items():
            for key, spellings in keys.items():
                named.filter(user_id=user_id, station_name__in=spellings).update(
                    station_id=saved[(user_id, key)]
                )


class Migration(migrations.Migration):
    dependencies = [
        ("fuellogs", "0005_fuellog_station"),
        ("stations", "0004_station_owner"),
    ]

    operations = [migrations.RunPython(link, migrations.RunPython.noop)]
