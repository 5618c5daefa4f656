"""What the vehicle detail page shows about maintenance."""

from typing import Any

from django.db.models import Count, F, Sum
from django.db.models.functions import ExtractYear
from django.utils import timezone

from maintenance.models import Due, MaintenanceRecord, MaintenanceType, driving_for
from vehicles.models import Vehicle

PANEL_SCHEDULE = 5
PANEL_RECENT = 5


def vehicle_maintenance_panel(vehicle: Vehicle) -> dict[str, Any]:
    """Context for `maintenance/_vehicle_panel.html` on the vehicle detail page: the vehicle's
    schedule (most urgent first), its latest services, and what they cost in total, per type and
    per year, with projected dates. Five queries, however many records there are."""
    today = timezone.localdate()
    records = MaintenanceRecord.objects.filter(vehicle=vehicle)
    candidates = list(records.scheduled().urgency_candidates(PANEL_SCHEDULE))
    for record in candidates:
        record.vehicle = vehicle  # the status reads the odometer; no query per record
    # The pace for the projected dates: one query, for the vehicle.
    driving = driving_for(vehicle, today)
    schedule = sorted(((record, record.due(today, driving)) for record in candidates), key=_urgency)
    scheduled_count = candidates[0].scheduled_count if candidates else 0

    completed = records.completed()
    recent = list(completed.order_by("-completed_date", "-created_at")[:PANEL_RECENT])
    labels = dict(MaintenanceType.choices)
    per_type = [
        {**row, "label": labels.get(row["type"], row["type"])}
        for row in completed.values("type")
        .annotate(total=Sum("cost"), count=Count("id"))
        .order_by(F("total").desc(nulls_last=True), "type")
    ]
    per_year = list(
        completed.annotate(year=ExtractYear("completed_date"))
        .values("year")
        .annotate(total=Sum("cost"), count=Count("id"))
        .order_by("-year")
    )
    return {
        "vehicle": vehicle,
        "schedule": schedule[:PANEL_SCHEDULE],
        "more_scheduled": max(0, scheduled_count - PANEL_SCHEDULE),
        "recent": recent,
        "total_spent": sum(row["total"] or 0 for row in per_type),
        "service_count": sum(row["count"] for row in per_type),
        "per_type": per_type,
        "per_year": per_year,
    }


def _urgency(pair: tuple[MaintenanceRecord, Due]) -> tuple[int, float, str]:
    record, due = pair
    return (*due.urgency, record.title)
