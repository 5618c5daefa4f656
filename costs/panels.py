"""What the vehicle page shows about the vehicle's other costs."""

from typing import Any

from django.db.models import Count, Q, Sum
from django.utils import timezone

from costs.models import Cost
from vehicles.models import Vehicle

PANEL_LATEST = 5


def vehicle_costs_panel(vehicle: Vehicle) -> dict[str, Any]:
    """Context for `costs/_vehicle_panel.html`: the vehicle's latest costs, how many it has,
    and what they came to this year. Two queries, however many costs (both walk
    costs_vehicle_date_idx)."""
    year_start = timezone.localdate().replace(month=1, day=1)
    costs = Cost.objects.filter(vehicle=vehicle)
    latest = list(costs.order_by("-date", "-created_at")[:PANEL_LATEST])
    for cost in latest:
        cost.vehicle = vehicle  # the rows show its units; no query per cost
    summary = costs.aggregate(
        count=Count("pk"), year_total=Sum("amount", filter=Q(date__gte=year_start))
    )
    return {
        "vehicle": vehicle,
        "latest": latest,
        "count": summary["count"],
        "year_total": summary["year_total"] or 0,
        "year": year_start.year,
    }
