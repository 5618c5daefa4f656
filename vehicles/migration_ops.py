"""Operations that the migrations of the apps building on vehicles.models.VehicleRecord share,
frozen here rather than derived from the models: what a migration did must not change with them."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models
from django.db.migrations.operations.base import Operation


def vehicle_record_fields(model_name: str) -> list[Operation]:
    """The owner and vehicle of `model_name` as VehicleRecord declares them (issue 13): the owner
    is not editable (save() takes it from the vehicle) and the reverse names come from
    Meta.default_related_name. The columns and their indexes stay: on PostgreSQL and SQLite these
    operations run no SQL."""
    return [
        migrations.AlterField(
            model_name=model_name,
            name="user",
            field=models.ForeignKey(
                db_index=False,
                editable=False,
                on_delete=django.db.models.deletion.CASCADE,
                to=settings.AUTH_USER_MODEL,
            ),
        ),
        migrations.AlterField(
            model_name=model_name,
            name="vehicle",
            field=models.ForeignKey(
                db_index=False, on_delete=django.db.models.deletion.RESTRICT, to="vehicles.vehicle"
            ),
        ),
    ]
