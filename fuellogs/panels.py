"""What the vehicle detail page shows about fuel (filled in by the fuel-log feature)."""


def vehicle_fuel_panel(vehicle) -> dict:
    """Context for `fuellogs/_vehicle_panel.html` on the vehicle detail page."""
    return {}
