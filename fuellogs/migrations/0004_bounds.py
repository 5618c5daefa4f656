import django.db.models.deletion
from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import migrations, models

import motovault.text
from motovault.fit_rows import bounds
from vehicles.migration_ops import vehicle_record_fields


class Migration(migrations.Migration):
    dependencies = [
        ("fuellogs", "0003_user_is_vehicle_owner"),
        ("vehicles", "0004_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        # Issue 12: rows from before these bounds are kept and brought within them first
        # (motovault/fit_rows.py): a date before 1900 becomes 1900-01-01 with a line in the notes
        # saying what it was; notes over 10,000 characters keep their first characters and end
        # with a line saying they were cut.
        *bounds(
            "fuellogs",
            "FuelLog",
            prefix="fuel_log",
            dates=("date",),
            texts={"notes": "the notes"},
            notes="notes",
        ),
        migrations.AlterField(
            model_name="fuellog",
            name="station_name",
            field=motovault.text.SingleLineField(blank=True, max_length=200),
        ),
        # Issue 13: the model builds on vehicles.models.VehicleRecord; gallons may be left blank
        # in a form (computed from the price and total). State only: no SQL, no row touched.
        migrations.AlterModelOptions(
            name="fuellog",
            options={
                "default_related_name": "fuel_logs",
                "ordering": ["-date", "-odometer_reading", "-created_at"],
            },
        ),
        migrations.AlterField(
            model_name="fuellog",
            name="gallons",
            field=models.DecimalField(blank=True, decimal_places=3, max_digits=8),
        ),
        *vehicle_record_fields("fuellog"),
        # The odometer's limits on the model, so that every full_clean() applies them, not only
        # the owner's form. State only.
        migrations.AlterField(
            model_name="fuellog",
            name="odometer_reading",
            field=models.IntegerField(
                validators=[
                    MinValueValidator(0, "The odometer cannot be negative."),
                    MaxValueValidator(
                        9_999_999, "The largest reading MotoVault stores is 9,999,999 mi."
                    ),
                ],
                verbose_name="odometer (mi)",
            ),
        ),
    ]
