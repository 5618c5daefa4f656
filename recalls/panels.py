"""What the vehicle page shows about recalls: only what is stored (refresh_recalls fetches)."""

from typing import Any

from motovault.replica import reading_from_replica
from recalls.models import RecallCheck, RecallStatus, VehicleRecall, key_of
from vehicles.models import Vehicle


@reading_from_replica()
def vehicle_recalls_panel(vehicle: Vehicle) -> dict[str, Any]:
    """Context for `recalls/_vehicle_panel.html`: the vehicle's open recalls (do-not-drive and
    park-outside first) and the ones the owner dismissed. Two queries; none for a vehicle
    without make, model and year."""
    key = key_of(vehicle)
    if key is None:
        return {"vehicle": vehicle, "key": None, "open": [], "dismissed": [], "checked": None}
    make, model, year = key
    recalls = list(
        VehicleRecall.objects.filter(
            vehicle=vehicle,
            campaign__make=make,
            campaign__model=model,
            campaign__model_year=year,
        )
        .select_related("campaign")
        .order_by(
            "-campaign__park_it",
            "-campaign__park_outside",
            "-campaign__report_date",
            "campaign__campaign_number",
        )
    )
    check = (
        RecallCheck.objects.filter(make=make, model=model, model_year=year)
        .values_list("checked_at", flat=True)
        .first()
    )
    return {
        "vehicle": vehicle,
        "key": key,
        "open": [recall for recall in recalls if recall.status == RecallStatus.OPEN],
        "dismissed": [recall for recall in recalls if recall.status != RecallStatus.OPEN],
        "checked": check,
    }
