"""The model now builds on vehicles.models.VehicleRecord (issue 13): the owner is not editable
(save() takes it from the vehicle), and the reverse names come from Meta.default_related_name.
State only: on PostgreSQL and SQLite these operations run no SQL, and no row is touched."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("maintenance", "0004_bounds"),
        ("vehicles", "0004_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AlterModelOptions(
            name="maintenancerecord",
            options={
                "default_related_name": "maintenance_records",
                "verbose_name": "maintenance record",
            },
        ),
        migrations.AlterField(
            model_name="maintenancerecord",
            name="user",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name="maintenancerecord",
            name="vehicle",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.RESTRICT, to="vehicles.vehicle"
            ),
        ),
    ]
