"""The database keeps a record's owner equal to its vehicle's.

A foreign key on (vehicle_id, user_id) to vehicles (id, user_id). Django cannot declare one, so
the migrations of fuellogs and maintenance add it, on PostgreSQL: SQLite cannot add a foreign
key to an existing table, and there the rule rests on vehicles.models.VehicleRecord.save.
"""

from django.apps.registry import Apps
from django.db import migrations
from django.db.backends.base.schema import BaseDatabaseSchemaEditor


def owner_follows_vehicle(table: str) -> migrations.RunPython:
    constraint = f"{table}_user_is_vehicle_owner"

    def add(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(
                f"ALTER TABLE {table} ADD CONSTRAINT {constraint} "
                "FOREIGN KEY (vehicle_id, user_id) REFERENCES vehicles (id, user_id) "
                # A vehicle given to another owner takes its history along.
                "ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED"
            )

    def remove(apps: Apps, schema_editor: BaseDatabaseSchemaEditor) -> None:
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {constraint}")

    return migrations.RunPython(add, remove)
