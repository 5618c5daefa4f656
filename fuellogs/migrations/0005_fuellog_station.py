import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('fuellogs', '0004_bounds'),
        ('stations', '0004_station_owner'),
        ('vehicles', '0006_vehicle_units'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='fuellog',
            name='station',
            field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.SET_NULL, to='stations.station'),
        ),
        migrations.AddIndex(
            model_name='fuellog',
            index=models.Index(fields=['station', 'user', '-date'], name='fuel_logs_station_date_idx'),
        ),
    ]
