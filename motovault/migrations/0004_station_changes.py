"""Count changes to the stations and to the owners' saved stations too, so that the stations
pages are cached (motovault/pagecache.py) like the other main pages.

A saved station counts for its owner, and so does a station of their own. A station every owner
may see (one a search found) counts in a scope of its own, STATIONS (motovault.changes): only
the stations pages are kept under it, so a search that stores new places leaves every other
page cached. Migration 0003 holds the triggers' function; this one teaches it that scope."""

import re
from importlib import import_module

from django.db import migrations

# motovault.changes.STATIONS: written into the triggers, so never to change.
STATIONS = -1

counting = import_module("motovault.migrations.0003_data_changes")

# Each table: the column naming the owner, and the scope of a row that names none.
TRACKED = {"favorite_stations": ("user_id", None), "stations": ("owner_id", STATIONS)}

_OWNER_OF_ROW = "owner := (item ->> TG_ARGV[0])::bigint;"
# TG_ARGV past the trigger's arguments is null: the tables of 0003 count as before.
_OWNER_OR_SCOPE = "owner := coalesce((item ->> TG_ARGV[0])::bigint, TG_ARGV[1]::bigint);"
assert counting.POSTGRES_FUNCTION.count(_OWNER_OF_ROW) == 1
POSTGRES_FUNCTION = counting.POSTGRES_FUNCTION.replace(_OWNER_OF_ROW, _OWNER_OR_SCOPE)


def _postgres(table: str, column: str, scope: int | None) -> list[str]:
    arguments = f"'{column}'" + (f", '{scope}'" if scope is not None else "")
    return [
        f'CREATE TRIGGER motovault_note_change AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION motovault_note_change({arguments})",
        f'CREATE TRIGGER motovault_note_truncate AFTER TRUNCATE ON "{table}" '
        "FOR EACH STATEMENT EXECUTE FUNCTION motovault_note_truncate()",
    ]


def _sqlite(table: str, column: str, scope: int | None, event: str) -> str:
    """0003's counter trigger, with a row that names no owner counted in `scope`."""
    trigger = counting._sqlite(table, column, event)
    if scope is None:
        return trigger
    return re.sub(rf"\b(OLD|NEW)\.{column}\b", rf"coalesce(\1.{column}, {scope})", trigger)


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        for table, (column, scope) in TRACKED.items():
            for statement in _postgres(table, column, scope):
                schema_editor.execute(statement)
    elif vendor == "sqlite":
        for table, (column, scope) in TRACKED.items():
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(_sqlite(table, column, scope, event))
    else:
        raise NotImplementedError(f"MotoVault counts changes on PostgreSQL and SQLite, not {vendor}")


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TRACKED:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS motovault_note_change ON "{table}"')
            schema_editor.execute(f'DROP TRIGGER IF EXISTS motovault_note_truncate ON "{table}"')
        schema_editor.execute(counting.POSTGRES_FUNCTION)
    elif vendor == "sqlite":
        for table in TRACKED:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS motovault_note_change_{table}_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("motovault", "0003_data_changes"),
        ("stations", "0005_station_osm_id"),
    ]

    operations = [migrations.RunPython(install, uninstall, elidable=False)]
