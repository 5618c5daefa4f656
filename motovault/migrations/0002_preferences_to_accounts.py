# Preferences moved to the accounts app with their table (accounts.0001 takes it over).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("motovault", "0001_preferences"),
        ("accounts", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="Preferences")],
        ),
    ]
