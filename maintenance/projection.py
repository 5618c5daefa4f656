"""Due dates projected from driving: when a service due by mileage will likely be due.

The rule (test_projection.py works it by hand):

- The readings are the odometer readings of the last WINDOW_DAYS days, today included: the
  fill-ups (their date and odometer), the services done (date done and mileage), and the
  vehicle itself (its current odometer on the day it was last saved, `updated_at` in the
  owner's time zone). vehicles.readings gathers them, one query for all the owner's vehicles.
- There is a projection only with at least two readings at least MIN_SPAN_DAYS days apart:
  the days between the first and the last reading must be MIN_SPAN_DAYS or more.
- The pace is the distance over those days: (highest reading - lowest reading) / (last day -
  first day), in the vehicle's distance unit per day. (The odometer only goes up, so this is the
  distance from the earliest reading to the latest; a mistyped low reading cannot make it
  negative.) No distance driven gives no projection.
- A service due at mileage M, with the vehicle's odometer at O < M, is projected at today +
  (M - O) / pace days, rounded to the nearest day (a half up). Further than
  MAX_DUE_YEARS_AHEAD years is no projection.
- The pace is shown per month of 365.25 / 12 days, rounded to the nearest 10 from 100 up (the
  nearest 1 below): "at about 1,020 mi a month".
"""

import datetime
import math
from dataclasses import dataclass
from uuid import UUID

from motovault import l10n
from motovault.units import DISTANCE_ABBREVIATIONS, DistanceUnit
from vehicles import readings
from vehicles.models import Vehicle

WINDOW_DAYS = 180
MIN_SPAN_DAYS = 14
DAYS_PER_MONTH = 365.25 / 12
# As maintenance.models.MAX_DUE_YEARS_AHEAD: nothing is scheduled further ahead.
MAX_PROJECTED_DAYS = 30 * 366

TOO_FEW = f"not enough driving logged in the last {WINDOW_DAYS} days to estimate a date"
TOO_CLOSE = (
    f"the odometer readings of the last {WINDOW_DAYS} days are less than {MIN_SPAN_DAYS} days "
    "apart, too close to estimate a date"
)
NO_DISTANCE = f"no distance driven in the last {WINDOW_DAYS} days to estimate a date from"
TOO_FAR = "more than 30 years away at the recent pace"


@dataclass(frozen=True)
class Driving:
    """A vehicle's recent pace (distance per day in its unit), or why there is none."""

    per_day: float
    distance_unit: str
    why_not: str = ""

    @property
    def per_month(self) -> int:
        monthly = self.per_day * DAYS_PER_MONTH
        step = 10 if monthly >= 100 else 1
        return math.floor(monthly / step + 0.5) * step

    @property
    def pace_text(self) -> str:
        """ "at about 1,020 mi a month", "at about 1.640 km a month"."""
        unit = DISTANCE_ABBREVIATIONS[DistanceUnit(self.distance_unit)]
        return f"at about {l10n.number(self.per_month)} {unit} a month"

    def days_until(self, distance_left: int) -> int | None:
        """Days until `distance_left` (> 0) is driven at this pace; None without a pace or
        beyond MAX_PROJECTED_DAYS."""
        if self.why_not or self.per_day <= 0 or distance_left <= 0:
            return None
        days = math.floor(distance_left / self.per_day + 0.5)
        return days if days <= MAX_PROJECTED_DAYS else None


def driving_from(span: readings.Span | None, distance_unit: str) -> Driving:
    """The pace from a vehicle's readings in the window (the module's rule)."""
    if span is None or span.first_day == span.last_day:
        return Driving(0.0, distance_unit, TOO_FEW)
    days = (span.last_day - span.first_day).days
    if days < MIN_SPAN_DAYS:
        return Driving(0.0, distance_unit, TOO_CLOSE)
    distance = span.highest - span.lowest
    if distance <= 0:
        return Driving(0.0, distance_unit, NO_DISTANCE)
    return Driving(distance / days, distance_unit)


def window_start(today: datetime.date) -> datetime.date:
    return today - datetime.timedelta(days=WINDOW_DAYS)


def spans_for(user_id: int, today: datetime.date) -> dict[UUID, readings.Span]:
    """The readings in the window of each of the owner's vehicles that has any. One query."""
    return readings.spans(user_id, window_start(today))


def driving_of(vehicle: Vehicle, spans: dict[UUID, readings.Span]) -> Driving:
    return driving_from(spans.get(vehicle.pk), vehicle.distance_unit)


def soon_distances(spans: dict[UUID, readings.Span], days: int) -> dict[UUID, int]:
    """Per vehicle with a pace, the largest distance left that is projected within `days`
    days (days_until rounds, so: the largest whole distance under pace x (days + 1/2)). For
    the lists' SQL, which then agrees with MaintenanceRecord.due."""
    found = {}
    for vehicle_id, span in spans.items():
        driving = driving_from(span, DistanceUnit.MILES)
        if not driving.why_not:
            found[vehicle_id] = math.ceil(driving.per_day * (days + 0.5)) - 1
    return found


def around(projected: datetime.date, today: datetime.date) -> str:
    """ "due around Mar 14": without the year within a year from today, with it beyond."""
    if (projected - today).days < 365:
        return f"due around {l10n.day_and_month(projected)}"
    return f"due around {l10n.day(projected)}"


def projected_date(
    driving: Driving, distance_left: int, today: datetime.date
) -> datetime.date | None:
    days = driving.days_until(distance_left)
    return None if days is None else today + datetime.timedelta(days=days)
