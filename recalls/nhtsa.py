"""NHTSA's recalls API, through the seam (motovault.http: deadline, size cap, breaker).

`GET {RECALLS_BASE_URL}/recalls/recallsByVehicle?make=&model=&modelYear=` lists the campaigns of
one make, model and year under lower-case `results`. For a make, model or year it does not know,
it answers HTTP 400 (`{"Count": 0, "Message": "...", "results": []}`): that is no recalls, not an
outage. Answers are cached per make, model and year for CACHE_SECONDS."""

import datetime
import logging
from typing import Any, TypedDict

from django.conf import settings
from django.core.cache import cache

from motovault import http

logger = logging.getLogger(__name__)

CACHE_SECONDS = 24 * 60 * 60
# Part of the key: raise it when CampaignData changes.
SHAPE = 1
MAX_CAMPAIGN_NUMBER = 20
MAX_TEXT = 10_000


class RecallsUnavailable(Exception):
    """NHTSA gave no usable answer (unreachable, too slow, too large, garbage)."""


class CampaignData(TypedDict):
    campaign_number: str
    component: str
    summary: str
    consequence: str
    remedy: str
    report_date: datetime.date | None
    park_it: bool
    park_outside: bool


def cache_key(make: str, model: str, year: int) -> str:
    return f"recalls:v{SHAPE}:{make}:{model}:{year}".replace(" ", "_")


def campaigns_for(make: str, model: str, year: int) -> list[CampaignData]:
    """The campaigns of a make, model and year (as recalls.models.recall_key spells them), from
    the cache or NHTSA. Raises RecallsUnavailable."""
    key = cache_key(make, model, year)
    if (cached := cache.get(key)) is not None:
        return list(cached)
    found = _fetch(make, model, year)
    cache.set(key, found, CACHE_SECONDS)
    return found


def _fetch(make: str, model: str, year: int) -> list[CampaignData]:
    url = f"{settings.RECALLS_BASE_URL.rstrip('/')}/recalls/recallsByVehicle"
    try:
        response = http.send(
            "GET", url, params={"make": make, "model": model, "modelYear": str(year)}
        )
    except http.UpstreamError as error:
        if error.status == 400:
            # NHTSA's answer for a vehicle it does not know ("no results").
            return []
        raise RecallsUnavailable(str(error)) from error
    try:
        body = http.json_of(response)
    except ValueError as error:
        raise RecallsUnavailable("NHTSA answered with something that is not JSON") from error
    if not isinstance(body, dict) or not isinstance(body.get("results", []), list):
        raise RecallsUnavailable("NHTSA answered without a list of results")
    campaigns: dict[str, CampaignData] = {}
    for row in body.get("results") or []:
        if (campaign := _campaign(row)) is not None:
            campaigns.setdefault(campaign["campaign_number"], campaign)
    return list(campaigns.values())


def _campaign(row: Any) -> CampaignData | None:
    if not isinstance(row, dict):
        return None
    number = _text(row.get("NHTSACampaignNumber"))[:MAX_CAMPAIGN_NUMBER]
    if not number:
        return None
    return CampaignData(
        campaign_number=number,
        component=_text(row.get("Component")),
        summary=_text(row.get("Summary")),
        consequence=_text(row.get("Consequence")),
        remedy=_text(row.get("Remedy")),
        report_date=_day(row.get("ReportReceivedDate")),
        park_it=row.get("parkIt") is True,
        park_outside=row.get("parkOutSide") is True,
    )


def _text(value: Any) -> str:
    return value.strip()[:MAX_TEXT] if isinstance(value, str) else ""


def _day(value: Any) -> datetime.date | None:
    """NHTSA's report date, day first: "12/12/2019"."""
    try:
        return datetime.datetime.strptime(str(value), "%d/%m/%Y").date()
    except ValueError:
        return None
