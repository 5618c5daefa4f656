from django.conf import settings
from django.db import migrations

import motovault.text
from motovault.fit_rows import bounds
from vehicles.migration_ops import vehicle_record_fields


class Migration(migrations.Migration):
    dependencies = [
        ("maintenance", "0003_user_is_vehicle_owner"),
        ("vehicles", "0004_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Issue 12: rows from before these bounds are kept and brought within them first
        # (motovault/fit_rows.py): a date before 1900 becomes 1900-01-01 with a line in the notes
        # saying what it was; a description or notes over 10,000 characters keep their first
        # characters and end with a line saying they were cut.
        *bounds(
            "maintenance",
            "MaintenanceRecord",
            prefix="maintenance",
            optional_dates=("due_date", "completed_date"),
            texts={"description": "this", "notes": "the notes"},
            notes="notes",
        ),
        migrations.AlterField(
            model_name="maintenancerecord",
            name="service_location",
            field=motovault.text.SingleLineField(blank=True, max_length=200, verbose_name="Where"),
        ),
        # Issue 13: the model builds on vehicles.models.VehicleRecord. State only: no SQL, no
        # row touched.
        migrations.AlterModelOptions(
            name="maintenancerecord",
            options={
                "default_related_name": "maintenance_records",
                "verbose_name": "maintenance record",
            },
        ),
        *vehicle_record_fields("maintenancerecord"),
    ]
