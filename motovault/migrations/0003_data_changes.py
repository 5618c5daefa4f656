"""Count every change to an owner's data in the database itself, so that a page cached under the
count (motovault/pagecache.py) can never outlive a change, whatever made it: a form, the admin,
an import's bulk_create, a queryset's update() or a cron job.

PostgreSQL: each statement that changes an owner's rows adds one row to motovault_datachange
(its transaction id and start time make it unique), however many rows it changed. Appending
takes no lock that another transaction waits for, so two requests of one owner never queue, or
deadlock, on a counter row. Per statement rather than per transaction, so that a later read in
the same transaction sees each change too. SQLite has one
writer at a time: its triggers add to motovault_datastamp's counter directly.
compact_data_changes folds the PostgreSQL rows into that counter, keeping the sum unchanged."""

from django.db import migrations, models

# The tables the cached pages read (motovault/tests/test_pagecache.py proves it), each with the
# column naming the owner. None: data every owner shares (scope 0). "vehicle_id": the owner of
# that vehicle. The stations, which a search writes, have a scope of their own: migration 0004.
TRACKED = {
    "auth_user": "id",
    "vehicles": "user_id",
    "odometer_readings": "user_id",
    "fuel_logs": "user_id",
    "maintenance": "user_id",
    "costs": "user_id",
    "attachments": "user_id",
    "vehicle_recalls": "vehicle_id",
    "recall_campaigns": None,
    "recall_checks": None,
    "vin_cache": None,
}

POSTGRES_FUNCTION = """
CREATE OR REPLACE FUNCTION motovault_note_change() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    changed jsonb[] := '{}';
    item jsonb;
    owner bigint;
    -- The scopes this statement has noted already ("<its start>|,<scope>,<scope>,"): one row
    -- per scope and statement, not one per row of a 5,000-row import.
    statement text := statement_timestamp()::text;
    noted text := coalesce(current_setting('motovault.noted_scopes', true), '');
BEGIN
    IF split_part(noted, '|', 1) <> statement THEN
        noted := statement || '|,';
    END IF;
    IF TG_OP <> 'INSERT' THEN changed := changed || to_jsonb(OLD); END IF;
    IF TG_OP <> 'DELETE' THEN changed := changed || to_jsonb(NEW); END IF;
    FOREACH item IN ARRAY changed LOOP
        IF TG_NARGS = 0 THEN
            owner := 0;
        ELSIF TG_ARGV[0] = 'vehicle_id' THEN
            SELECT user_id INTO owner FROM vehicles WHERE id = (item ->> 'vehicle_id')::uuid;
        ELSE
            owner := (item ->> TG_ARGV[0])::bigint;
        END IF;
        IF owner IS NOT NULL AND position(',' || owner || ',' IN noted) = 0 THEN
            INSERT INTO motovault_datachange (scope, txid, statement_at)
                VALUES (owner, txid_current(), statement_timestamp())
                ON CONFLICT (scope, txid, statement_at) DO NOTHING;
            noted := noted || ',' || owner || ',';
        END IF;
    END LOOP;
    PERFORM set_config('motovault.noted_scopes', noted, true);
    RETURN NULL;
END
$$;
"""


# TRUNCATE fires no row trigger: it counts as a change to the data every owner shares.
POSTGRES_TRUNCATE_FUNCTION = """
CREATE OR REPLACE FUNCTION motovault_note_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO motovault_datachange (scope, txid, statement_at)
        VALUES (0, txid_current(), statement_timestamp())
        ON CONFLICT (scope, txid, statement_at) DO NOTHING;
    RETURN NULL;
END
$$;
"""


def _postgres(table: str, column: str | None) -> str:
    argument = f"'{column}'" if column else ""
    return (
        f'CREATE TRIGGER motovault_note_change AFTER INSERT OR UPDATE OR DELETE ON "{table}" '
        f"FOR EACH ROW EXECUTE FUNCTION motovault_note_change({argument})"
    )


def _sqlite(table: str, column: str | None, event: str) -> str:
    rows = {"INSERT": ["NEW"], "UPDATE": ["OLD", "NEW"], "DELETE": ["OLD"]}[event]

    def owner(row: str) -> str:
        if column is None:
            return "0"
        if column == "vehicle_id":
            return f"coalesce((SELECT user_id FROM vehicles WHERE id = {row}.vehicle_id), 0)"
        return f"{row}.{column}"

    bumps = "".join(
        f"INSERT INTO motovault_datastamp (scope, changes) VALUES ({owner(row)}, 1) "
        "ON CONFLICT (scope) DO UPDATE SET changes = changes + 1; "
        for row in rows
    )
    return (
        f"CREATE TRIGGER motovault_note_change_{table}_{event.lower()} AFTER {event} "
        f'ON "{table}" BEGIN {bumps}END'
    )


def install(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(POSTGRES_FUNCTION)
        schema_editor.execute(POSTGRES_TRUNCATE_FUNCTION)
        for table, column in TRACKED.items():
            schema_editor.execute(_postgres(table, column))
            schema_editor.execute(
                f'CREATE TRIGGER motovault_note_truncate AFTER TRUNCATE ON "{table}" '
                "FOR EACH STATEMENT EXECUTE FUNCTION motovault_note_truncate()"
            )
    elif vendor == "sqlite":
        for table, column in TRACKED.items():
            for event in ("INSERT", "UPDATE", "DELETE"):
                schema_editor.execute(_sqlite(table, column, event))
    else:
        # Without the triggers, a cached page would outlive a change.
        raise NotImplementedError(f"MotoVault counts changes on PostgreSQL and SQLite, not {vendor}")


def uninstall(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        for table in TRACKED:
            schema_editor.execute(f'DROP TRIGGER IF EXISTS motovault_note_change ON "{table}"')
            schema_editor.execute(f'DROP TRIGGER IF EXISTS motovault_note_truncate ON "{table}"')
        schema_editor.execute("DROP FUNCTION IF EXISTS motovault_note_change()")
        schema_editor.execute("DROP FUNCTION IF EXISTS motovault_note_truncate()")
    elif vendor == "sqlite":
        for table in TRACKED:
            for event in ("insert", "update", "delete"):
                schema_editor.execute(f"DROP TRIGGER IF EXISTS motovault_note_change_{table}_{event}")


class Migration(migrations.Migration):
    dependencies = [
        ("motovault", "0002_preferences_to_accounts"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("vehicles", "0007_purchase_sale_odometer_readings"),
        ("fuellogs", "0007_computed_amount"),
        ("maintenance", "0005_due_date_not_after_2200"),
        ("costs", "0001_initial"),
        ("attachments", "0002_cost_and_odometer_reading_parents"),
        ("recalls", "0001_initial"),
    ]

    operations = [
        migrations.CreateModel(
            name="DataStamp",
            fields=[
                ("scope", models.BigIntegerField(primary_key=True, serialize=False)),
                ("changes", models.BigIntegerField(default=0)),
            ],
        ),
        migrations.CreateModel(
            name="DataChange",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("scope", models.BigIntegerField()),
                ("txid", models.BigIntegerField()),
                ("statement_at", models.DateTimeField()),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("scope", "txid", "statement_at"),
                        name="motovault_datachange_once_per_statement",
                    )
                ],
            },
        ),
        migrations.RunPython(install, uninstall, elidable=False),
    ]
