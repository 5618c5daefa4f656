"""The model now builds on vehicles.models.VehicleRecord (issue 13): the owner is not editable
(save() takes it from the vehicle), gallons may be left blank in a form (computed from the
price and total), and the reverse names come from Meta.default_related_name.
State only: on PostgreSQL and SQLite these operations run no SQL, and no row is touched."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fuellogs", "0004_bounds"),
        ("vehicles", "0004_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
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
        migrations.AlterField(
            model_name="fuellog",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="fuellog",
            name="vehicle",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.RESTRICT, to="vehicles.vehicle"
            ),
        ),
    ]
