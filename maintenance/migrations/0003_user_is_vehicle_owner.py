from django.db import migrations

from motovault.owner_keys import owner_follows_vehicle


class Migration(migrations.Migration):
    dependencies = [
        ("maintenance", "0002_foreign_keys_single_index"),
        ("vehicles", "0003_vehicle_id_user_unique"),
    ]

    operations = [owner_follows_vehicle("maintenance")]
