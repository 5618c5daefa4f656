"""The prices an owner paid at their stations: the latest at each, and the cheapest of the last
30 days.

Fill-ups record them; the fuel app registers its source in its AppConfig.ready (as it registers
odometer readings with vehicles.readings), so that this app need not import it. Each answer is
one query, however many stations and fill-ups."""

import datetime
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone

from motovault import l10n
from motovault.units import FUEL_ABBREVIATIONS

# How far back "the cheapest you paid" looks.
CHEAPEST_DAYS = 30


@dataclass(frozen=True)
class PricePaid:
    """A price per unit of fuel (the unit of the fill-up's vehicle) paid at a station on a day."""

    station_id: uuid.UUID
    station_name: str
    price: Decimal
    fuel_unit: str
    date: datetime.date

    def __str__(self) -> str:
        """ "1,739 €/L on 12 Nov", in the owner's formats; with the year when it is not this
        one ("on 12.11.2024"), so that an old price does not read as this week's."""
        this_year = self.date.year == timezone.localdate().year
        day = l10n.day_and_month(self.date) if this_year else l10n.day(self.date)
        return f"{l10n.unit_price(self.price)}/{FUEL_ABBREVIATIONS[self.fuel_unit]} on {day}"


# (owner's id, station ids) -> the latest price paid at each of them that has one.
Latest = Callable[[int, Sequence[uuid.UUID]], list[PricePaid]]
# (owner's id, earliest day) -> per fuel unit, the lowest price paid from that day on.
Cheapest = Callable[[int, datetime.date], list[PricePaid]]


@dataclass(frozen=True)
class Source:
    latest: Latest
    cheapest: Cheapest


# The one source, once registered (none while the fuel app is not installed).
_source: list[Source] = []


def register(source: Source) -> None:
    """Say where the prices come from (AppConfig.ready)."""
    _source[:] = [source]


def latest_paid(user_id: int, station_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, PricePaid]:
    """The latest price the owner paid at each of these stations, by station id."""
    if not _source or not station_ids:
        return {}
    return {paid.station_id: paid for paid in _source[0].latest(user_id, station_ids)}


def cheapest_paid(user_id: int) -> list[PricePaid]:
    """The cheapest the owner paid in the last CHEAPEST_DAYS days at any of their stations: one
    price per fuel unit they buy in (a price per liter and one per gallon do not compare),
    cheapest first."""
    if not _source:
        return []
    since = timezone.localdate() - datetime.timedelta(days=CHEAPEST_DAYS)
    return sorted(_source[0].cheapest(user_id, since), key=lambda paid: paid.price)
