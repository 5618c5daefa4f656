"""Google Places API (New) Text Search, for gas stations: the client, its parsing and its cache.

Every call goes through `motovault.http.send` (a 4 s deadline for the whole call, one retry on
timeouts and 5xx while time is left, none on 4xx, a size cap, a shared circuit breaker). The API
key travels only in the `X-Goog-Api-Key` header: it is never part of a URL, a log line, an
exception message or a cache key.
"""

import hashlib
import re
from dataclasses import dataclass
from decimal import Decimal
from typing import cast

from django.conf import settings
from django.core.cache import cache

from motovault.http import UpstreamError, json_of, send, storable
from motovault.text import MAX_TEXT_LENGTH, single_line
from stations.models import Station, StationQuerySet

SEARCH_TTL = 60 * 60  # the spec's one hour
# Bump when the cached value changes shape, so old entries are ignored rather than misread.
CACHE_VERSION = 1
# Only the fields we store: Google bills by the most expensive field requested.
FIELD_MASK = ",".join(
    [
        "places.id",
        "places.displayName",
        "places.formattedAddress",
        "places.location",
        "places.nationalPhoneNumber",
        "places.websiteUri",
    ]
)
# What to ask for when the owner gave only a location ("fuel stations near me").
NEAR_ME_QUERY = "gas station"
# "Near me" looks within this distance of the owner, rounded to two decimals (about 1 km), so
# that neighbors share cache entries and Google never learns a precise position.
NEAR_RADIUS_METERS = 5000.0
NEAR_DECIMALS = 2
# Memcached allows 250 characters including Django's prefix and version, and no whitespace or
# control characters; keys longer than this or with other characters are hashed.
MAX_KEY_LENGTH = 200
_SAFE_QUERY = re.compile(r"[a-z0-9._,-]+(?: [a-z0-9._,-]+)*")

# Each of these columns has a max_length, which the stubs cannot know.
_PLACE_ID_LENGTH = cast(int, Station._meta.get_field("google_place_id").max_length)
_NAME_LENGTH = cast(int, Station._meta.get_field("name").max_length)
_PHONE_LENGTH = cast(int, Station._meta.get_field("phone").max_length)
_WEBSITE_LENGTH = cast(int, Station._meta.get_field("website").max_length)
_EIGHT_PLACES = Decimal("0.00000001")


class PlacesError(Exception):
    """Google Places gave no usable answer: not configured, refused (400/403/429), failed (5xx),
    timed out, or sent something we cannot read. The message never contains the API key."""


@dataclass(frozen=True)
class Near:
    """A location bias: the center of the circle Google should favor."""

    latitude: float
    longitude: float

    def rounded(self) -> "Near":
        return Near(round(self.latitude, NEAR_DECIMALS), round(self.longitude, NEAR_DECIMALS))


@dataclass(frozen=True)
class Place:
    """One gas station as a provider describes it, cut to fit our columns: `place_id` is its
    identity there (Google's place id, or OpenStreetMap's `node/123`)."""

    place_id: str
    name: str
    address: str = ""
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    phone: str = ""
    website: str = ""


def normalize_query(text: str) -> str:
    """What makes two searches the same search: trimmed, case-folded, inner whitespace collapsed."""
    return " ".join(text.split()).casefold()


def search_cache_key(text: str, near: Near | None = None) -> str:
    """`stations:search:{query}`, with the rounded location bias when there is one; hashed
    when the readable key would be too long or use characters some cache backends refuse."""
    query = normalize_query(text)
    readable = query.replace(" ", "+")
    if near is not None:
        near = near.rounded()
        readable += f"@{near.latitude:.{NEAR_DECIMALS}f},{near.longitude:.{NEAR_DECIMALS}f}"
    key = f"stations:search:{readable}"
    # "+" and "@" are separators, so queries containing them are hashed: no two searches share
    # a key.
    if len(key) > MAX_KEY_LENGTH or not _SAFE_QUERY.fullmatch(query):
        key = "stations:search:sha256:" + hashlib.sha256(readable.encode()).hexdigest()
    return key


def search_text(text: str, near: Near | None = None) -> list[Place]:
    """Ask Google Places for gas stations matching `text` (favoring `near`), and parse them.
    Raises PlacesError on any failure, including when no API key is configured."""
    api_key = settings.GOOGLE_MAPS_API_KEY
    if not api_key:
        raise PlacesError("Google Places is not configured (GOOGLE_MAPS_API_KEY is empty)")
    body: dict = {
        "textQuery": " ".join(text.split()) or NEAR_ME_QUERY,
        "includedType": "gas_station",
    }
    if near is not None:
        near = near.rounded()
        body["locationBias"] = {
            "circle": {
                "center": {"latitude": near.latitude, "longitude": near.longitude},
                "radius": NEAR_RADIUS_METERS,
            }
        }
    try:
        response = send(
            "POST",
            f"{settings.PLACES_BASE_URL}/places:searchText",
            json=body,
            headers={"X-Goog-Api-Key": api_key, "X-Goog-FieldMask": FIELD_MASK},
        )
        payload = json_of(response)
    except UpstreamError as exc:
        raise PlacesError(f"Google Places search failed: {exc}") from exc
    except ValueError as exc:  # requests' JSONDecodeError is a ValueError
        raise PlacesError("Google Places answered with something that is not JSON") from exc
    return parse_places(payload)


def parse_places(payload: object) -> list[Place]:
    """The places in a Text Search response. Google leaves `places` out when nothing matched.
    A place without an id or a name is skipped; over-long values are cut to our columns."""
    if not isinstance(payload, dict):
        raise PlacesError("Google Places answered with an unexpected document")
    entries = payload.get("places")
    if entries is None:
        return []
    if not isinstance(entries, list):
        raise PlacesError("Google Places answered with an unexpected document")
    places = []
    for entry in entries:
        if place := _parse_place(entry):
            places.append(place)
    return places


def _parse_place(entry: object) -> Place | None:
    if not isinstance(entry, dict):
        return None
    place_id = text_of(entry.get("id"))
    display_name = entry.get("displayName")
    name = text_of(display_name.get("text")) if isinstance(display_name, dict) else ""
    # A cut id would name another place (or none), so an over-long one is skipped, not cut.
    if not place_id or len(place_id) > _PLACE_ID_LENGTH or not name:
        return None
    latitude, longitude = coordinates(entry.get("location"))
    website = text_of(entry.get("websiteUri"))
    if not website.startswith(("https://", "http://")) or len(website) > _WEBSITE_LENGTH:
        website = ""  # a cut URL is a broken link, and only web links are safe to show
    return Place(
        place_id=place_id,
        name=name[:_NAME_LENGTH],
        address=text_of(entry.get("formattedAddress"))[:MAX_TEXT_LENGTH],
        latitude=latitude,
        longitude=longitude,
        phone=text_of(entry.get("nationalPhoneNumber"))[:_PHONE_LENGTH],
        website=website,
    )


def text_of(value: object) -> str:
    """A string field's value on one line, storable and trimmed; anything else (missing, a
    number, a list) is "". (Google's and OpenStreetMap's answers alike.)"""
    # Control characters never reach a row (PostgreSQL refuses NUL outright).
    return single_line(storable(value)).strip() if isinstance(value, str) else ""


def coordinates(
    location: object, keys: tuple[str, str] = ("latitude", "longitude")
) -> tuple[Decimal | None, Decimal | None]:
    """Latitude and longitude (under `keys`) to 8 decimals, or (None, None) unless both are
    valid."""
    if not isinstance(location, dict):
        return None, None
    values = []
    for key, limit in zip(keys, (90, 180), strict=True):
        value = location.get(key)
        if isinstance(value, bool) or not isinstance(value, int | float):
            return None, None
        # In range first (which NaN never is): a huge integer has no decimal string.
        if not -limit <= value <= limit:
            return None, None
        values.append(Decimal(str(value)).quantize(_EIGHT_PLACES))
    return values[0], values[1]


def search(
    text: str, near: Near | None = None, stations: StationQuerySet | None = None
) -> list[Station]:
    """Gas stations for a search, from the cache or from Google (then stored and cached for an
    hour). A cache hit makes no HTTP call and no write; a failure caches nothing and raises
    PlacesError. `stations`: where to read them from, such as with the owner's marks
    (StationQuerySet.with_favorite_of); after a call to Google that is one query more."""
    station_ids = cached_ids(text, near)
    if station_ids is None:
        found = Station.objects.upsert_places(search_text(text, near))
        station_ids = [str(s.pk) for s in found]
        cache.set(search_cache_key(text, near), station_ids, SEARCH_TTL, version=CACHE_VERSION)
        if stations is None:
            return found
    return (Station.objects.all() if stations is None else stations).in_order(station_ids)


def cached_ids(text: str, near: Near | None = None) -> list[str] | None:
    """The stations of search(text, near) if they are cached, else None (Redis down included)."""
    return cast(list[str] | None, cache.get(search_cache_key(text, near), version=CACHE_VERSION))
