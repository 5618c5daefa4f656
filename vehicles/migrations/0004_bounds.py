from django.db import migrations

import motovault.text


class Migration(migrations.Migration):
    dependencies = [
        ("vehicles", "0003_vehicle_id_user_unique"),
    ]

    # Issue 12: one-line text drops control characters (no database change).
    operations = [
        migrations.AlterField(
            model_name="vehicle",
            name=name,
            field=motovault.text.SingleLineField(blank=True, max_length=max_length),
        )
        for name, max_length in [
            ("color", 50),
            ("license_plate", 20),
            ("make", 100),
            ("model", 100),
            ("nickname", 100),
        ]
    ]
