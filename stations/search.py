"""What the stations search answers with, and from where: Google Places when a key is set;
else, for "near me", OpenStreetMap's stations around the owner; else (or when the provider
fails) the stations stored here that match the search's words. The page names the source.

Words, not the whole text, decide a match: "fuel in Springfield" looks for "springfield", since
filler words ("fuel", "gas", "station", "in", "near"...) would match every station or none.
"""

import logging
import math
from dataclasses import dataclass
from functools import reduce
from operator import or_
from typing import Literal

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import Case, F, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import CombinedExpression, Expression, OrderBy
from django.db.models.functions import Cast

from stations import overpass, places
from stations.models import LOCAL_RESULTS_LIMIT, Station, StationQuerySet
from stations.places import NEAR_RADIUS_METERS, Near, PlacesError

logger = logging.getLogger(__name__)

# Words that say what is searched for, or how, but not which station: left out of the match
# unless nothing else is left ("gas station" still finds "Gas Station Express").
FILLER_WORDS = frozenset(
    [
        *("a", "an", "the", "in", "at", "on", "of", "for", "to", "by", "me", "my", "here"),
        *("near", "nearby", "around", "close"),
        *("fuel", "fuels", "gas", "gasoline", "petrol", "station", "stations", "filling"),
        *("service", "servo"),
    ]
)
# A 200-character query cannot build a huge WHERE clause.
MAX_WORDS = 10
_EDGE_PUNCTUATION = ".,;:!?\"'()[]“”\u2018\u2019"  # the last two: typographic single quotes
# Meters in a degree of latitude (and of longitude at the equator).
_METERS_PER_DEGREE = 111_320.0

Source = Literal["google", "openstreetmap", "saved"]

NO_PROVIDER_NOTICE = (
    "Searching Google Maps or OpenStreetMap is not set up on this server, so these are stations "
    "already saved here."
)
NEAR_ME_NOTICE = (
    "These are stations already saved here. For stations from OpenStreetMap, "
    "press “Search near me”."
)
GOOGLE_FAILED_NOTICE = (
    "Google could not be reached just now, so these are stations already saved here. "
    "Try again in a few minutes for fresh results."
)
OPENSTREETMAP_FAILED_NOTICE = (
    "OpenStreetMap could not be asked just now, so these are stations already saved here. "
    "Try again in a few minutes for fresh results."
)


@dataclass(frozen=True)
class SearchResults:
    stations: list[Station]
    source: Source
    # Empty when a provider answered; otherwise why the stations came from our own table.
    notice: str = ""


def can_search_near() -> bool:
    """Whether "Search near me" can bring stations the owner has never searched for: only a
    provider that searches around a point can."""
    return bool(settings.GOOGLE_MAPS_API_KEY) or settings.OVERPASS_ENABLED


def _source(near: Near | None) -> Source:
    """Who answers a search: Google when a key is set; OpenStreetMap around a point; else the
    stations stored here."""
    if settings.GOOGLE_MAPS_API_KEY:
        return "google"
    if near is not None and settings.OVERPASS_ENABLED:
        return "openstreetmap"
    return "saved"


def cached_answer(text: str, near: Near | None) -> list[str] | Source | None:
    """What find_stations(text, near) is made from besides the stored stations and the owner's
    own rows, without asking anyone: the provider's cached answer, or "saved" when the stored
    stations answer alone. None when the provider would be asked (motovault.pagecache keeps
    no such page: it may carry a failure's notice)."""
    source = _source(near)
    if source == "google":
        return places.cached_ids(text, near)
    if source == "openstreetmap" and near is not None:
        return overpass.cached_ids(near)
    return source


def find_stations(text: str, near: Near | None, user: User) -> SearchResults:
    """What the search page shows for `text` (which may be empty when `near` is given)."""
    stations = _shown_to(user)
    source = _source(near)
    if source == "google":
        try:
            return SearchResults(places.search(text, near, stations), "google")
        except PlacesError as exc:
            logger.warning("%s; answering from stored stations", exc)
            notice = GOOGLE_FAILED_NOTICE
    elif source == "openstreetmap" and near is not None:
        try:
            found = stations.filter(pk__in=overpass.search(near))
            return SearchResults(ranked(found, text, near), "openstreetmap")
        except overpass.OverpassError as exc:
            logger.warning("%s; answering from stored stations", exc)
            notice = OPENSTREETMAP_FAILED_NOTICE
    elif settings.OVERPASS_ENABLED:
        notice = NEAR_ME_NOTICE
    else:
        notice = NO_PROVIDER_NOTICE
    return SearchResults(stored_stations(text, near, user), "saved", notice)


def stored_stations(text: str, near: Near | None, user: User) -> list[Station]:
    """The stored stations `user` may see that match `text`, best first: the shared ones and
    their own, never another owner's (filtered before the limit, so theirs take no places)."""
    return ranked(_shown_to(user), text, near)


def _shown_to(user: User) -> StationQuerySet:
    """The stations a search may show `user`: never another owner's own station (a found place
    an admin gave an owner), and each with the owner's mark (favorite_id), so the page shows
    which they have saved."""
    return Station.objects.visible_to(user).with_favorite_of(user)


def search_words(text: str, *, near: bool = False) -> list[str]:
    """The words of `text` that can tell stations apart, case-folded, punctuation around them
    dropped, filler words left out. When nothing else is left, the filler words themselves,
    unless the search is `near` a point: "gas station" near me means every station around."""
    words = [word.strip(_EDGE_PUNCTUATION) for word in text.casefold().split()]
    words = list(dict.fromkeys(word for word in words if word))[:MAX_WORDS]
    meaningful = [word for word in words if word not in FILLER_WORDS]
    return meaningful if meaningful or near else words


def ranked(stations: QuerySet[Station], text: str, near: Near | None) -> list[Station]:
    """The best LOCAL_RESULTS_LIMIT of `stations` for a search, in one query.

    A station matches when its name or address contains any of the search's words. Best first:
    the name is the search, the name starts with it, more of the words are found, more of them
    in the name; then the nearest to `near`; then by name. Without words, only the stations
    within NEAR_RADIUS_METERS of `near` match, nearest first."""
    words = search_words(text, near=near is not None)
    order: list[str | OrderBy] = []
    if words:
        phrase = " ".join(words)
        stations = stations.filter(
            reduce(or_, (Q(name__icontains=word) | Q(address__icontains=word) for word in words))
        ).annotate(
            exact=_count([Q(name__iexact=phrase)]),
            prefix=_count([Q(name__istartswith=phrase)]),
            hits=_count([Q(name__icontains=word) | Q(address__icontains=word) for word in words]),
            name_hits=_count([Q(name__icontains=word) for word in words]),
        )
        order += ["-exact", "-prefix", "-hits", "-name_hits"]
    elif near is not None:
        stations = stations.filter(_within(near, NEAR_RADIUS_METERS))
    else:
        return []
    if near is not None:
        stations = stations.annotate(distance=_distance(near))
        order.append(F("distance").asc(nulls_last=True))
    return list(stations.order_by(*order, "name", "address")[:LOCAL_RESULTS_LIMIT])


def _count(conditions: list[Q]) -> Expression:
    """How many of `conditions` a row meets."""
    cases: list[Expression] = [
        Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())
        for condition in conditions
    ]
    return reduce(lambda total, case: CombinedExpression(total, "+", case), cases)


def _within(near: Near, meters: float) -> Q:
    """A box around `near` reaching `meters` north, south, east and west: a cheap comparison
    of the stored coordinates that also leaves out stations without them."""
    degrees = meters / _METERS_PER_DEGREE
    wide = degrees / max(math.cos(math.radians(near.latitude)), 0.01)
    return Q(
        latitude__range=(near.latitude - degrees, near.latitude + degrees),
        longitude__range=(near.longitude - wide, near.longitude + wide),
    )


def _distance(near: Near) -> CombinedExpression:
    """The squared distance from `near` in degrees of latitude, longitude scaled to its width
    there: enough to order stations a few kilometers apart, and plain arithmetic that SQLite
    and PostgreSQL both do. (Null without coordinates; the date line is not crossed.)"""
    north = Cast("latitude", FloatField()) - Value(near.latitude)
    east = (Cast("longitude", FloatField()) - Value(near.longitude)) * Value(
        math.cos(math.radians(near.latitude))
    )
    return north * north + east * east
