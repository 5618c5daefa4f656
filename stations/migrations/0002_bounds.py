from django.db import migrations

import motovault.text
from motovault.fit_rows import bounds


class Migration(migrations.Migration):
    dependencies = [
        ("stations", "0001_initial"),
    ]

    operations = [
        # Issue 12: rows from before this bound are kept and brought within it first
        # (motovault/fit_rows.py): an address over 10,000 characters keeps its first characters
        # and ends with a line saying it was cut.
        *bounds("stations", "Station", prefix="station", texts={"address": "the address"}),
        migrations.AlterField(
            model_name="favouritestation",
            name="note",
            field=motovault.text.SingleLineField(
                blank=True, help_text="Optional, e.g. “cheapest diesel in town”.", max_length=200
            ),
        ),
        migrations.AlterField(
            model_name="station",
            name="google_place_id",
            field=motovault.text.SingleLineField(
                blank=True, max_length=255, null=True, unique=True, verbose_name="Google place ID"
            ),
        ),
        migrations.AlterField(
            model_name="station",
            name="name",
            field=motovault.text.SingleLineField(max_length=200),
        ),
        migrations.AlterField(
            model_name="station",
            name="phone",
            field=motovault.text.SingleLineField(blank=True, max_length=20),
        ),
    ]
