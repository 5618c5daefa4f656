from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("fuellogs", "0006_link_stations"),
    ]

    operations = [
        # Issue 17: which amount was computed when a fill-up was saved, so that correcting
        # another recomputes it (fuellogs.rules.amount_to_recompute). Older fill-ups cannot say
        # which it was (all three agree after rounding, whichever was typed): they keep "", and
        # a correction follows rules.FOLLOWS_CORRECTION.
        migrations.AddField(
            model_name="fuellog",
            name="computed_amount",
            field=models.CharField(
                blank=True,
                choices=[
                    ("gallons", "gallons"),
                    ("price_per_gallon", "price_per_gallon"),
                    ("total_cost", "total_cost"),
                ],
                db_default="",
                default="",
                editable=False,
                max_length=16,
            ),
        ),
    ]
