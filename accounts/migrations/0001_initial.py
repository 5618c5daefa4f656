# Preferences came from the motovault app: this takes over its table as it stands (no database
# change), and its content type, so that permissions and admin history follow. 0002 renames
# the table.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


def move_content_type(apps, schema_editor, source="motovault", target="accounts"):
    ContentType = apps.get_model("contenttypes", "ContentType")
    if not ContentType.objects.filter(app_label=target, model="preferences").exists():
        ContentType.objects.filter(app_label=source, model="preferences").update(app_label=target)


def move_content_type_back(apps, schema_editor):
    move_content_type(apps, schema_editor, source="accounts", target="motovault")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("motovault", "0001_preferences"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Preferences",
                    fields=[
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, primary_key=True, related_name="preferences", serialize=False, to=settings.AUTH_USER_MODEL)),
                        ("time_zone", models.CharField(blank=True, max_length=64)),
                    ],
                    options={
                        "verbose_name_plural": "preferences",
                        "db_table": "motovault_preferences",
                    },
                ),
            ],
        ),
        migrations.RunPython(move_content_type, move_content_type_back),
    ]
