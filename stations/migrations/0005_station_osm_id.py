# Stations from OpenStreetMap (issue 17) are stored by their element, "node/123" or "way/456", in
# a column of their own beside Google's place id. Existing stations keep every value and get no
# OpenStreetMap id: the column is nullable, and unique only among the stations that have one.

import motovault.text
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('stations', '0004_station_owner'),
    ]

    operations = [
        migrations.AddField(
            model_name='station',
            name='osm_id',
            field=motovault.text.SingleLineField(blank=True, max_length=40, null=True, unique=True, verbose_name='OpenStreetMap ID'),
        ),
    ]
