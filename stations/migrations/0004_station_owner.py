import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('stations', '0003_rename_favourite_to_favorite'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='station',
            name='owner',
            field=models.ForeignKey(blank=True, help_text='Empty for a shared station; set, only this user sees it.', null=True, on_delete=django.db.models.deletion.CASCADE, related_name='own_stations', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='station',
            name='name_key',
            field=models.CharField(blank=True, default='', editable=False, max_length=600),
        ),
        migrations.AddConstraint(
            model_name='station',
            constraint=models.UniqueConstraint(fields=('owner', 'name_key'), condition=models.Q(('owner__isnull', False)), name='unique_owner_station_name', violation_error_message='You already have a station of this name.'),
        ),
    ]
