from django.db import migrations

from motovault.owner_keys import owner_follows_vehicle


class Migration(migrations.Migration):
    dependencies = [
        ("fuellogs", "0002_vehicle_odometer_index"),
        ("vehicles", "0003_vehicle_id_user_unique"),
    ]

    operations = [owner_follows_vehicle("fuel_logs")]
