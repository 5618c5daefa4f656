"""What makes a fuel log valid: the one place forms, the admin and imports take their rules from
(FuelLog.clean_fields runs them, so any ModelForm and full_clean() check them all).

Every function raises `ValidationError` keyed by form field, so a form shows the message next to
the value it is about.
"""

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError
from django.utils.formats import date_format

from vehicles.models import Vehicle, check_history_date, not_in_future

CENT = Decimal("0.01")
TENTH_OF_A_CENT = Decimal("0.001")
THOUSANDTH_GALLON = Decimal("0.001")

# The columns' sizes: fuel_logs.gallons DECIMAL(8,3), price_per_gallon DECIMAL(6,3),
# total_cost DECIMAL(8,2). The odometer has the vehicle's limit, which it may raise.
MAX_GALLONS = Decimal("99999.999")
MAX_PRICE_PER_GALLON = Decimal("999.999")
MAX_TOTAL_COST = Decimal("999999.99")

# Gallons times price may differ from the receipt's total by this much (pumps round differently).
AGREEMENT = Decimal("0.01")

LABELS = {
    "gallons": "gallons",
    "price_per_gallon": "price per gallon",
    "total_cost": "total cost",
}
LIMITS = {
    "gallons": MAX_GALLONS,
    "price_per_gallon": MAX_PRICE_PER_GALLON,
    "total_cost": MAX_TOTAL_COST,
}


@dataclass(frozen=True)
class Amounts:
    gallons: Decimal
    price_per_gallon: Decimal
    total_cost: Decimal
    # The field this module worked out from the other two, or None when all three were given.
    computed: str | None = None


def complete_amounts(
    gallons: Decimal | None, price_per_gallon: Decimal | None, total_cost: Decimal | None
) -> Amounts:
    """Any two of gallons, price per gallon and total cost give the third: the total rounded to
    the cent, the price to a tenth of a cent, gallons to a thousandth. Three given must agree
    within 1 %. Computed values must fit their columns."""
    given = {
        name: value
        for name, value in (
            ("gallons", gallons),
            ("price_per_gallon", price_per_gallon),
            ("total_cost", total_cost),
        )
        if value is not None
    }
    if len(given) < 2:
        # Said once, at the first empty one of the three.
        missing = next(name for name in LABELS if name not in given)
        raise ValidationError(
            {
                missing: "Enter at least two of gallons, price per gallon and total cost; "
                "MotoVault computes the third."
            }
        )
    if gallons is not None and gallons <= 0:
        raise ValidationError({"gallons": "Gallons must be more than 0."})

    if gallons is not None and price_per_gallon is not None and total_cost is not None:
        expected = (gallons * price_per_gallon).quantize(CENT, ROUND_HALF_UP)
        if abs(expected - total_cost) > max(AGREEMENT * expected, CENT):
            raise ValidationError(
                {
                    "total_cost": f"{gallons} gal at ${price_per_gallon} a gallon comes to "
                    f"${expected}, more than 1 % away from ${total_cost}. Correct one of "
                    "the three, or leave one blank and MotoVault computes it."
                }
            )
        return Amounts(gallons, price_per_gallon, total_cost)

    # Exactly two of the three are given: the asserts only tell the type checker which two.
    if total_cost is None:
        assert gallons is not None and price_per_gallon is not None
        computed = "total_cost"
        total_cost = (gallons * price_per_gallon).quantize(CENT, ROUND_HALF_UP)
    elif price_per_gallon is None:
        assert gallons is not None
        computed = "price_per_gallon"
        price_per_gallon = (total_cost / gallons).quantize(TENTH_OF_A_CENT, ROUND_HALF_UP)
    else:
        computed = "gallons"
        if price_per_gallon == 0:
            raise ValidationError(
                {"gallons": "With a price of $0 the gallons cannot be computed: enter them."}
            )
        gallons = (total_cost / price_per_gallon).quantize(THOUSANDTH_GALLON, ROUND_HALF_UP)
        if gallons == 0:
            raise ValidationError(
                {"gallons": "These amounts come to less than 0.001 gallons: enter the gallons."}
            )

    value = {"gallons": gallons, "price_per_gallon": price_per_gallon, "total_cost": total_cost}
    if value[computed] > LIMITS[computed]:
        raise ValidationError(
            {
                computed: f"The {LABELS[computed]} computed from the other two comes to "
                f"{value[computed]:,}, more than MotoVault can store ({LIMITS[computed]:,}). "
                "Check the other two values."
            }
        )
    return Amounts(gallons, price_per_gallon, total_cost, computed)


def check_date(date: dt.date, vehicle: Vehicle | None) -> None:
    """A fill-up happened today at the latest (where the owner is), and not before its
    vehicle's history can start (Vehicle.earliest_date; EARLIEST_DATE when no vehicle is known)."""
    try:
        not_in_future(date)
        check_history_date(date, vehicle)
    except ValidationError as error:
        raise ValidationError({"date": error.messages}) from None


def check_vehicle(vehicle: Vehicle) -> None:
    """New fill-ups go to vehicles that still exist (a deleted vehicle keeps its history)."""
    if vehicle.is_deleted:
        raise ValidationError({"vehicle": "This vehicle is deleted; restore it to log fuel."})


def check_odometer(
    vehicle: Vehicle, date: dt.date, reading: int, *, exclude_pk: uuid.UUID | None = None
) -> None:
    """The reading is above every fill-up dated before `date` and below every fill-up dated
    after it. Fill-ups on the same day may come in any odometer order."""
    others = vehicle.fuel_logs.exclude(pk=exclude_pk) if exclude_pk else vehicle.fuel_logs.all()
    before = (
        others.filter(date__lt=date, odometer_reading__gte=reading)
        .order_by("-odometer_reading")
        .first()
    )
    if before is not None:
        raise ValidationError(
            {
                "odometer_reading": f"Must be more than {before.odometer_reading:,} mi, the "
                f"reading of your fill-up on {date_format(before.date)}."
            }
        )
    after = (
        others.filter(date__gt=date, odometer_reading__lte=reading)
        .order_by("odometer_reading")
        .first()
    )
    if after is not None:
        raise ValidationError(
            {
                "odometer_reading": f"Must be less than {after.odometer_reading:,} mi, the "
                f"reading of your fill-up on {date_format(after.date)}."
            }
        )
