"""An owner's favorite stations, for other apps (the fuel-log form's station suggestions)."""

from django.contrib.auth.models import AnonymousUser, User

from stations.models import FavoriteStation


def favorite_station_names(user: User | AnonymousUser) -> list[str]:
    """Names of the user's favorite stations, alphabetical, each name once (two saved
    stations of one brand share a name). One query."""
    if not user.is_authenticated:
        return []
    names = (
        FavoriteStation.objects.for_owner(user)
        .order_by("station__name")
        .values_list("station__name", flat=True)
    )
    return list(dict.fromkeys(names))
