# motovault_preferences becomes accounts_preferences, rows and all.

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.AlterModelTable(name="preferences", table=None),
    ]
