"""Storing what NHTSA says: campaigns per make, model and year, and recalls per vehicle."""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from recalls import nhtsa
from recalls.models import Campaign, RecallCheck, VehicleRecall, key_of
from vehicles.models import Vehicle


@dataclass
class Summary:
    """What a refresh did, for the command to print."""

    checked: int = 0
    new_campaigns: int = 0
    new_recalls: int = 0
    failures: list[str] = field(default_factory=list)


def vehicles_by_key() -> dict[tuple[str, str, int], list[Vehicle]]:
    """Every vehicle that is not deleted and has a make, model and year, by recall key."""
    found: dict[tuple[str, str, int], list[Vehicle]] = {}
    vehicles = Vehicle.objects.filter(deleted_at__isnull=True, year__isnull=False).exclude(make="")
    for vehicle in vehicles.exclude(model="").order_by("pk").iterator():
        if (key := key_of(vehicle)) is not None:
            found.setdefault(key, []).append(vehicle)
    return found


def refresh_all() -> Summary:
    """Ask about every make, model and year the owners have (from the cache when asked within a
    day) and store what is new. Idempotent; one that fails does not stop the others."""
    summary = Summary()
    for key, vehicles in sorted(vehicles_by_key().items()):
        make, model, year = key
        try:
            campaigns = nhtsa.campaigns_for(make, model, year)
        except nhtsa.RecallsUnavailable as error:
            summary.failures.append(f"{year} {make} {model}: {error}")
            continue
        new_campaigns, new_recalls = store(key, campaigns, vehicles)
        summary.checked += 1
        summary.new_campaigns += new_campaigns
        summary.new_recalls += new_recalls
    return summary


@transaction.atomic
def store(
    key: tuple[str, str, int], campaigns: list[nhtsa.CampaignData], vehicles: list[Vehicle]
) -> tuple[int, int]:
    """Save the campaigns of `key` and an open recall for each vehicle that lacks one; the
    number of new campaigns and of new vehicle recalls. A campaign NHTSA no longer lists is
    kept: the owner's record of it stays."""
    make, model, year = key
    new_campaigns = 0
    stored = []
    for data in campaigns:
        details = {name: value for name, value in data.items() if name != "campaign_number"}
        campaign, created = Campaign.objects.update_or_create(
            make=make,
            model=model,
            model_year=year,
            campaign_number=data["campaign_number"],
            defaults=details,
        )
        new_campaigns += created
        stored.append(campaign)
    now = timezone.now()
    wanted = [
        VehicleRecall(vehicle=vehicle, campaign=campaign, first_seen_at=now)
        for vehicle in vehicles
        for campaign in stored
    ]
    existing = set(
        VehicleRecall.objects.filter(vehicle__in=vehicles, campaign__in=stored).values_list(
            "vehicle_id", "campaign_id"
        )
    )
    missing = [
        recall for recall in wanted if (recall.vehicle_id, recall.campaign_id) not in existing
    ]
    # ignore_conflicts: a run alongside this one may have added some meanwhile.
    VehicleRecall.objects.bulk_create(missing, ignore_conflicts=True)
    RecallCheck.objects.update_or_create(
        make=make, model=model, model_year=year, defaults={"checked_at": now}
    )
    return new_campaigns, len(missing)
