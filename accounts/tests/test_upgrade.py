"""An upgrade keeps everything: a database holding data in the schema from before the accounts
app (main's migrations at the time) is migrated to the latest, and every row is still there."""

import datetime as dt
import uuid
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps as current_apps
from django.conf import settings
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The last migration of each of our apps before Preferences moved to accounts. Later migrations
# (of any app) are what the upgrade runs.
BEFORE = {
    "motovault": "0001_preferences",
    "vehicles": "0003_vehicle_id_user_unique",
    "fuellogs": "0003_user_is_vehicle_owner",
    "maintenance": "0003_user_is_vehicle_owner",
    "stations": "0001_initial",
}
# Where each table's model was, and is.
MODELS = {
    "auth.User": "auth.User",
    "motovault.Preferences": "accounts.Preferences",
    "vehicles.Vehicle": "vehicles.Vehicle",
    "fuellogs.FuelLog": "fuellogs.FuelLog",
    "maintenance.MaintenanceRecord": "maintenance.MaintenanceRecord",
    "stations.Station": "stations.Station",
    "stations.FavouriteStation": "stations.FavoriteStation",
    "auth.Permission": "auth.Permission",
}


def old_nodes(executor) -> list[tuple[str, str]]:
    """Main's migrations of our apps, and the newest of Django's and django-axes' own."""
    theirs = [
        node
        for node in executor.loader.graph.leaf_nodes()
        if node[0] not in {*BEFORE, *later_apps()}
    ]
    return list(BEFORE.items()) + theirs


def later_apps() -> set[str]:
    """Our apps that did not exist then (accounts, costs, ...): none of their migrations. Some
    depend on later migrations of the apps above, which the upgrade is to run."""
    ours = {
        config.label
        for config in current_apps.get_app_configs()
        if Path(config.path).parent == settings.BASE_DIR
    }
    return ours - set(BEFORE)


def fill(apps) -> None:
    """Rows of every kind, written with the models as they were."""
    User = apps.get_model("auth", "User")
    Preferences = apps.get_model("motovault", "Preferences")
    Vehicle = apps.get_model("vehicles", "Vehicle")
    FuelLog = apps.get_model("fuellogs", "FuelLog")
    MaintenanceRecord = apps.get_model("maintenance", "MaintenanceRecord")
    Station = apps.get_model("stations", "Station")
    FavouriteStation = apps.get_model("stations", "FavouriteStation")
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")

    preferences_type, _ = ContentType.objects.get_or_create(
        app_label="motovault", model="preferences"
    )
    Permission.objects.update_or_create(
        content_type=preferences_type, codename="change_preferences", defaults={"name": "Can"}
    )
    station = Station.objects.create(name="Shell Main St", address="100 Main St")
    for n, zone in enumerate(["Europe/Berlin", "", "America/Denver"]):
        user = User.objects.create(username=f"owner{n}", email=f"owner{n}@example.com")
        Preferences.objects.create(user=user, time_zone=zone)
        vehicle = Vehicle.objects.create(
            id=uuid.uuid4(), user=user, vin=f"1HGCM82633A00000{n}", make="Honda", year=2010
        )
        Vehicle.objects.create(
            id=uuid.uuid4(),
            user=user,
            vin=f"1HGCM82633A00001{n}",
            make="Ford",
            deleted_at=dt.datetime(2024, 1, 1, tzinfo=dt.UTC),
        )
        for day in range(3):
            FuelLog.objects.create(
                id=uuid.uuid4(),
                user=user,
                vehicle=vehicle,
                date=dt.date(2024, 5, 1 + day),
                odometer_reading=40_000 + 300 * day,
                gallons=Decimal("10.500"),
                price_per_gallon=Decimal("3.459"),
                total_cost=Decimal("36.32"),
            )
        MaintenanceRecord.objects.create(
            id=uuid.uuid4(),
            user=user,
            vehicle=vehicle,
            type="oil_change",
            due_date=dt.date(2024, 9, 1),
        )
        FavouriteStation.objects.create(user=user, station=station, note=f"note {n}")


def snapshot(apps, which: str) -> dict:
    """Every row of every table above, by the fields the old schema had."""
    result = {}
    for old, new in MODELS.items():
        old_model = apps[0].get_model(old)
        fields = [f.attname for f in old_model._meta.concrete_fields]
        model = apps[0 if which == "old" else 1].get_model(old if which == "old" else new)
        result[old] = sorted(model.objects.values_list(*fields), key=repr)
    return result


@pytest.mark.django_db(transaction=True)
def test_it_keeps_every_row_through_the_upgrade():
    executor = MigrationExecutor(connection)
    nodes = old_nodes(executor)
    try:
        executor.migrate([*nodes, *((app, None) for app in later_apps())])
        executor.loader.build_graph()
        old_apps = executor.loader.project_state(nodes).apps
        fill(old_apps)
        before = snapshot((old_apps, None), "old")

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
        after = snapshot((old_apps, current_apps), "new")
    finally:
        # Whatever happened, the next test finds the latest schema.
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    assert after == before
    assert len(before["fuellogs.FuelLog"]) == 9 and len(before["vehicles.Vehicle"]) == 6
    Preferences = current_apps.get_model("accounts", "Preferences")
    assert dict(Preferences.objects.values_list("user__username", "time_zone")) == {
        "owner0": "Europe/Berlin",
        "owner1": "",
        "owner2": "America/Denver",
    }
    assert Preferences._meta.db_table == "accounts_preferences"
    # The permission follows the model to its new app.
    Permission = current_apps.get_model("auth", "Permission")
    moved = Permission.objects.get(codename="change_preferences")
    assert moved.content_type.app_label == "accounts"


@pytest.mark.django_db(transaction=True)
def test_it_gives_owners_from_before_the_regional_preferences_us_formats():
    """Issue 14's upgrade: owners whose preferences were saved before the locale, currency and
    economy units existed read as they always did: en-US, dollars, MPG (US)."""
    before = [("accounts", "0002_rename_preferences_table")]
    executor = MigrationExecutor(connection)
    try:
        executor.migrate(before)
        old_apps = executor.loader.project_state(before).apps
        User = old_apps.get_model("auth", "User")
        Preferences = old_apps.get_model("accounts", "Preferences")
        assert "locale" not in {field.name for field in Preferences._meta.get_fields()}
        for username, zone in [("berlin", "Europe/Berlin"), ("here", "")]:
            Preferences.objects.create(user=User.objects.create(username=username), time_zone=zone)
        User.objects.create(username="never-saved")

        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())

    Preferences = current_apps.get_model("accounts", "Preferences")
    rows = Preferences.objects.order_by("user__username").values_list(
        "user__username", "time_zone", "locale", "currency", "economy_unit", "electric_economy_unit"
    )
    assert list(rows) == [
        ("berlin", "Europe/Berlin", "en-US", "USD", "mpg_us", "mi_kwh"),
        ("here", "", "en-US", "USD", "mpg_us", "mi_kwh"),
    ]
