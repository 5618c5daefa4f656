"""OpenStreetMap's fuel stations near a point, from the Overpass API: the client, its parsing,
its cache and its rate limit. No key is needed.

Every call goes through `motovault.http.send` (a 4 s deadline for the whole call, one retry on
timeouts and 5xx while time is left, a size cap, a shared circuit breaker). The public servers
ask for a User-Agent that says who is calling, few requests and caching
(https://wiki.openstreetmap.org/wiki/Overpass_API#Public_Overpass_API_instances): the whole site
asks at most OVERPASS_REQUESTS_PER_MINUTE times a minute, only ever for a rounded position
(about 1 km, shared by neighbors), and keeps each answer for an hour.

Overpass searches around a point, not by words, so only "near me" asks it; the words of the
search then pick among the stations it found (`stations.search`).
"""

import time
from collections.abc import Mapping
from typing import cast

from django.conf import settings
from django.core.cache import cache

from motovault.http import USER_AGENT, UpstreamError, json_of, send
from motovault.text import MAX_TEXT_LENGTH
from stations.models import Station
from stations.places import (
    NEAR_DECIMALS,
    NEAR_RADIUS_METERS,
    Near,
    Place,
    coordinates,
    text_of,
)

SEARCH_TTL = 60 * 60  # as long as a Places search
# Bump when the cached value changes shape, so old entries are ignored rather than misread.
CACHE_VERSION = 1
# The most stations one answer brings; the page shows the best LOCAL_RESULTS_LIMIT of them.
MAX_ELEMENTS = 50
# Overpass's own time limit for the query, within our deadline.
SERVER_TIMEOUT_SECONDS = 3
# A station nobody named: OpenStreetMap often has the brand or operator only, sometimes neither.
UNNAMED = "Fuel station"
ELEMENT_TYPES = ("node", "way", "relation")

_OSM_ID_LENGTH = cast(int, Station._meta.get_field("osm_id").max_length)
_NAME_LENGTH = cast(int, Station._meta.get_field("name").max_length)
_PHONE_LENGTH = cast(int, Station._meta.get_field("phone").max_length)
_WEBSITE_LENGTH = cast(int, Station._meta.get_field("website").max_length)


class OverpassError(Exception):
    """OpenStreetMap gave no usable answer: switched off, asked too often, refused, failed,
    timed out, or sent something we cannot read."""


def user_agent() -> str:
    """Who is asking, as the public servers' usage policy wants to know: the app and the site."""
    return f"{USER_AGENT} fuel stations near the owner; +{settings.SITE_URL}"


def fuel_query(near: Near) -> str:
    """Overpass QL for the fuel stations within NEAR_RADIUS_METERS of `near` (already rounded):
    nodes with their position, ways and relations with their center."""
    return (
        f"[out:json][timeout:{SERVER_TIMEOUT_SECONDS}];"
        f'nwr["amenity"="fuel"](around:{NEAR_RADIUS_METERS:.0f},'
        f"{near.latitude:.{NEAR_DECIMALS}f},{near.longitude:.{NEAR_DECIMALS}f});"
        f"out center {MAX_ELEMENTS};"
    )


def cache_key(near: Near) -> str:
    near = near.rounded()
    return f"stations:overpass:{near.latitude:.{NEAR_DECIMALS}f},{near.longitude:.{NEAR_DECIMALS}f}"


def search(near: Near) -> list[str]:
    """The ids of the stored stations OpenStreetMap knows around `near`: from the cache, or from
    Overpass (then stored by their OpenStreetMap identity and cached for an hour). A cache hit
    makes no HTTP call and no query; a failure caches nothing and raises OverpassError."""
    station_ids = cached_ids(near)
    if station_ids is not None:
        return station_ids
    places = fuel_near(near)
    stations = Station.objects.upsert_places(places, column="osm_id")
    station_ids = [str(station.pk) for station in stations]
    cache.set(cache_key(near), station_ids, SEARCH_TTL, version=CACHE_VERSION)
    return station_ids


def cached_ids(near: Near) -> list[str] | None:
    """The stations of search(near) if they are cached, else None (Redis down included)."""
    return cast(list[str] | None, cache.get(cache_key(near), version=CACHE_VERSION))


def fuel_near(near: Near) -> list[Place]:
    """Ask Overpass for the fuel stations around `near` (rounded first) and parse them.
    Raises OverpassError on any failure, including when it is switched off or the site has
    asked it too often this minute."""
    if not settings.OVERPASS_ENABLED:
        raise OverpassError("OpenStreetMap search is switched off (OVERPASS_ENABLED)")
    if not _take_turn():
        raise OverpassError(
            f"OpenStreetMap was asked {settings.OVERPASS_REQUESTS_PER_MINUTE} times this minute"
        )
    try:
        response = send(
            "POST",
            settings.OVERPASS_URL,
            data={"data": fuel_query(near.rounded())},
            headers={"User-Agent": user_agent()},
        )
        payload = json_of(response)
    except UpstreamError as exc:
        raise OverpassError(f"OpenStreetMap search failed: {exc}") from exc
    except ValueError as exc:  # requests' JSONDecodeError is a ValueError
        raise OverpassError("OpenStreetMap answered with something that is not JSON") from exc
    return parse_elements(payload)


def _take_turn() -> bool:
    """Whether the site may call Overpass now: each clock minute allows
    OVERPASS_REQUESTS_PER_MINUTE calls, counted in the shared cache so that every worker
    shares them. When the count cannot be kept, the answer is no: the public server comes
    first, and the page answers from stored stations."""
    key = f"stations:overpass:calls:{int(time.time() // 60)}"
    try:
        cache.add(key, 0, 2 * 60)
        count = cache.incr(key)
    except Exception:  # unreachable, or the key expired between add and incr
        return False
    # django-redis told to ignore outages answers None instead of raising.
    return isinstance(count, int) and count <= settings.OVERPASS_REQUESTS_PER_MINUTE


def parse_elements(payload: object) -> list[Place]:
    """The fuel stations in an Overpass JSON answer. An element without a usable type and id is
    skipped; any tag may be missing; over-long values are cut to our columns."""
    if not isinstance(payload, dict) or not isinstance(payload.get("elements"), list):
        raise OverpassError("OpenStreetMap answered with an unexpected document")
    places = []
    for element in payload["elements"]:
        if place := _parse_element(element):
            places.append(place)
    return places


def _parse_element(element: object) -> Place | None:
    if not isinstance(element, dict):
        return None
    kind, number = element.get("type"), element.get("id")
    if kind not in ELEMENT_TYPES or isinstance(number, bool) or not isinstance(number, int):
        return None
    osm_id = f"{kind}/{number}"
    if number <= 0 or len(osm_id) > _OSM_ID_LENGTH:
        return None
    raw_tags = element.get("tags")
    tags = raw_tags if isinstance(raw_tags, dict) else {}
    # Nodes carry their position; ways and relations the center that `out center` adds.
    center = element.get("center") if kind != "node" else element
    latitude, longitude = coordinates(center, ("lat", "lon"))
    website = _tag(tags, "website", "contact:website")
    if not website.startswith(("https://", "http://")) or len(website) > _WEBSITE_LENGTH:
        website = ""  # a cut URL is a broken link, and only web links are safe to show
    return Place(
        place_id=osm_id,
        name=(_tag(tags, "name", "brand", "operator") or UNNAMED)[:_NAME_LENGTH],
        address=_address(tags)[:MAX_TEXT_LENGTH],
        latitude=latitude,
        longitude=longitude,
        phone=_tag(tags, "phone", "contact:phone")[:_PHONE_LENGTH],
        website=website,
    )


def _tag(tags: Mapping[object, object], *keys: str) -> str:
    """The first of `keys` that holds text, on one line, storable and trimmed; "" when none
    does."""
    for key in keys:
        if text := text_of(tags.get(key)):
            return text
    return ""


def _address(tags: Mapping[object, object]) -> str:
    """ "Alexanderstraße 12, 10178 Berlin" from the `addr:*` tags, as far as they go."""
    street = " ".join(filter(None, [_tag(tags, "addr:street"), _tag(tags, "addr:housenumber")]))
    town = " ".join(filter(None, [_tag(tags, "addr:postcode"), _tag(tags, "addr:city")]))
    return ", ".join(filter(None, [street, town]))
