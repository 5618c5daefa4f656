"""What the vehicle detail page shows about maintenance (filled in by the maintenance feature)."""


def vehicle_maintenance_panel(vehicle) -> dict:
    """Context for `maintenance/_vehicle_panel.html` on the vehicle detail page."""
    return {}
