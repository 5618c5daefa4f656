"""An owner's favourite stations (filled in by the stations feature)."""


def favourite_station_names(user) -> list[str]:
    """Names of the user's favourite stations, for the fuel-log form's suggestions."""
    return []
