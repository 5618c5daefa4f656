"""What the vehicle detail page shows about fuel."""

from typing import Any

from django.utils import timezone

from fuellogs.cache import stats_for_vehicle
from fuellogs.charts import mpg_chart, spending_chart
from fuellogs.models import FuelLog
from vehicles.models import Vehicle

LATEST = 5


def vehicle_fuel_panel(vehicle: Vehicle) -> dict[str, Any]:
    """Context for `fuellogs/_vehicle_panel.html`: statistics, the latest logs with their MPG
    and the two charts. Two queries however many logs the vehicle has; one while its
    statistics are cached."""
    stats = stats_for_vehicle(vehicle, today=timezone.localdate())
    mpg_by_log = {segment.log_id: segment.mpg for segment in stats.segments}
    latest = FuelLog.objects.filter(vehicle=vehicle).newest_first()[:LATEST]
    return {
        "vehicle": vehicle,
        "stats": stats,
        "latest": [(log, mpg_by_log.get(log.id)) for log in latest],
        "mpg_chart": mpg_chart(stats.segments),
        "spending_chart": spending_chart(stats.monthly_spending),
    }
