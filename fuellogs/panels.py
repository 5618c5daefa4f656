"""What the vehicle detail page shows about fuel."""

from typing import Any

from django.utils import timezone

from fuellogs.cache import stats_for_vehicle
from fuellogs.charts import economy_chart, spending_chart
from fuellogs.models import FuelLog
from fuellogs.wording import PER_DISTANCE
from vehicles.models import Vehicle

LATEST = 5


def vehicle_fuel_panel(vehicle: Vehicle) -> dict[str, Any]:
    """Context for `fuellogs/_vehicle_panel.html`: statistics, the latest logs with their
    economy (as ratios in the vehicle's units; the template converts) and the two charts. Two
    queries however many logs the vehicle has; one while its statistics are cached."""
    stats = stats_for_vehicle(vehicle, today=timezone.localdate())
    ratio_by_log = {segment.log_id: segment.ratio for segment in stats.segments}
    latest = FuelLog.objects.filter(vehicle=vehicle).newest_first()[:LATEST]
    return {
        "vehicle": vehicle,
        "stats": stats,
        "per_distance": PER_DISTANCE[vehicle.distance_unit],
        "latest": [(log, ratio_by_log.get(log.id)) for log in latest],
        "economy_chart": economy_chart(
            stats.segments, distance_unit=vehicle.distance_unit, fuel_unit=vehicle.fuel_unit
        ),
        "spending_chart": spending_chart(stats.monthly_spending),
        # Without a chart yet (one month of spending), the panel says what this month cost.
        "spent_this_month": stats.monthly_spending[-1][1] if stats.monthly_spending else None,
    }
