from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("vehicles", "0004_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    # Issue 14: the VIN is optional, or an older serial number. Every existing vehicle keeps
    # its VIN and is no serial (the default); only a given VIN is unique per owner.
    operations = [
        migrations.RemoveConstraint(model_name="vehicle", name="unique_user_vin"),
        migrations.AddField(
            model_name="vehicle",
            name="vin_is_serial",
            field=models.BooleanField(
                db_default=False, default=False, verbose_name="older serial number"
            ),
        ),
        migrations.AlterField(
            model_name="vehicle",
            name="vin",
            field=models.CharField(blank=True, max_length=17, verbose_name="VIN"),
        ),
        migrations.AddConstraint(
            model_name="vehicle",
            constraint=models.UniqueConstraint(
                condition=~models.Q(vin=""), fields=("user", "vin"), name="unique_user_vin"
            ),
        ),
    ]
