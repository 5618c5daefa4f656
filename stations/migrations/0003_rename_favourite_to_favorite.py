# American spelling, like Django's (issue 13): FavouriteStation becomes FavoriteStation, its table
# favourite_stations becomes favorite_stations, and its unique constraint is renamed. Every row is
# kept: the table is renamed, not copied. `manage.py migrate` also renames the model's content type
# and its permissions, so admin history and the permissions given to users and groups follow.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("stations", "0002_bounds"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel(old_name="FavouriteStation", new_name="FavoriteStation"),
        migrations.AlterModelTable(name="favoritestation", table="favorite_stations"),
        migrations.AlterField(
            model_name="favoritestation",
            name="station",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="favorites", to="stations.station"),
        ),
        migrations.AlterField(
            model_name="favoritestation",
            name="user",
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="favorite_stations", to=settings.AUTH_USER_MODEL),
        ),
        # Django has no operation that renames a constraint; the new one is built before the old
        # one goes, so saving a station twice is refused throughout.
        migrations.AddConstraint(
            model_name="favoritestation",
            constraint=models.UniqueConstraint(fields=("user", "station"), name="unique_user_favorite"),
        ),
        migrations.RemoveConstraint(model_name="favoritestation", name="unique_user_favourite"),
    ]
