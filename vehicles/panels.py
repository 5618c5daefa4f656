"""What the vehicle detail page shows about its odometer readings."""

from typing import Any

from django.db.models import Count, Window

from vehicles.models import OdometerReading, Vehicle

LATEST = 5


def vehicle_odometer_panel(vehicle: Vehicle) -> dict[str, Any]:
    """Context for `vehicles/_odometer_panel.html`: the latest readings and how many there are.
    One query however many readings: each row carries the count, a window over them all."""
    latest = list(
        OdometerReading.objects.filter(vehicle=vehicle)
        .annotate(total=Window(Count("id")))
        .newest_first()
        .values("pk", "date", "odometer_reading", "notes", "total")[:LATEST]
    )
    return {
        "vehicle": vehicle,
        "latest": latest,
        "count": latest[0]["total"] if latest else 0,
    }
