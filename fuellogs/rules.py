"""What makes a fuel log valid: the one place forms, the admin and imports take their rules from
(FuelLog.clean_fields runs them, so any ModelForm and full_clean() check them all). The
plausibility guard (`check_plausible_quantity`) is the one rule only the owner's form runs.

Every function raises `ValidationError` keyed by form field, so a form shows the message next to
the value it is about. Amounts are in the vehicle's units (the `gallons` column holds liters for
a vehicle in liters) and messages name them, in the owner's number format.
"""

import datetime as dt
import statistics
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.core.exceptions import ValidationError

from fuellogs.wording import QUANTITY_WORDS, UNIT_WORDS, as_typed, money_as_typed
from motovault import l10n
from motovault.units import FUEL_ABBREVIATIONS, QUANTITY_NAMES, FuelUnit
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

# The plausibility guard. A fill-up is questioned when its quantity is over IMPLAUSIBLE_FACTOR
# times the vehicle's usual one (the median of its last USUAL_FILL_UPS), or over the largest tank
# plausible for the unit: above a heavy pickup's or an RV's tank (about 50-75 US gallons, so
# 80 US gal; 300 L and 66 imperial gallons are the same volume within rounding) and above the
# largest car batteries (about 200 kWh, so 250 kWh). A dropped decimal separator (40,5 read as
# 405) makes a fill-up ten or a hundred times too big: both rules catch it.
IMPLAUSIBLE_FACTOR = 3
USUAL_FILL_UPS = 10
LARGEST_TANK: dict[str, Decimal] = {
    FuelUnit.US_GALLONS: Decimal(80),
    FuelUnit.LITERS: Decimal(300),
    FuelUnit.UK_GALLONS: Decimal(66),
    FuelUnit.KWH: Decimal(250),
}


def _labels(fuel_unit: str) -> dict[str, str]:
    return {
        "gallons": QUANTITY_WORDS[fuel_unit],
        "price_per_gallon": f"price per {UNIT_WORDS[fuel_unit]}",
        "total_cost": "total cost",
    }


# The three amounts of a fill-up: any two give the third (complete_amounts).
AMOUNT_FIELDS = ("gallons", "price_per_gallon", "total_cost")

# When the owner corrects one amount of a saved fill-up that does not say which amount was
# computed (all three were typed, or it was saved before MotoVault recorded it), the one that
# follows the correction. A pump shows the quantity it measured and the price per unit, and the
# total follows from them: a corrected quantity or price recomputes the total. A corrected total
# is what the owner paid, and the quantity the pump measured stays: the price follows.
FOLLOWS_CORRECTION = {
    "gallons": "total_cost",
    "price_per_gallon": "total_cost",
    "total_cost": "price_per_gallon",
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
    gallons: Decimal | None,
    price_per_gallon: Decimal | None,
    total_cost: Decimal | None,
    *,
    fuel_unit: str = FuelUnit.US_GALLONS,
) -> Amounts:
    """Any two of the quantity (`gallons`, in `fuel_unit`), price per unit and total cost give
    the third: the total rounded to the cent, the price to a tenth of a cent, the quantity to a
    thousandth. Three given must agree within 1 %. Computed values must fit their columns."""
    labels = _labels(fuel_unit)
    quantity = QUANTITY_WORDS[fuel_unit]
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
        missing = next(name for name in labels if name not in given)
        raise ValidationError(
            {
                missing: f"Enter at least two of {quantity}, {labels['price_per_gallon']} and "
                "total cost; MotoVault computes the third."
            }
        )
    if gallons is not None and gallons <= 0:
        raise ValidationError(
            {"gallons": f"{QUANTITY_NAMES[fuel_unit]} must be more than {l10n.number(0)}."}
        )

    if gallons is not None and price_per_gallon is not None and total_cost is not None:
        expected = (gallons * price_per_gallon).quantize(CENT, ROUND_HALF_UP)
        if not _agree(expected, total_cost):
            raise ValidationError(
                {
                    "total_cost": f"{as_typed(gallons)} {FUEL_ABBREVIATIONS[fuel_unit]} at "
                    f"{money_as_typed(price_per_gallon)} a {UNIT_WORDS[fuel_unit]} comes to "
                    f"{money_as_typed(expected)}, more than 1 % away from "
                    f"{money_as_typed(total_cost)}. Correct one of the three, or leave one "
                    "blank and MotoVault computes it."
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
                {
                    "gallons": f"With a price of {l10n.money(0, 0)} the {quantity} cannot be "
                    "computed: enter them."
                }
            )
        gallons = (total_cost / price_per_gallon).quantize(THOUSANDTH_GALLON, ROUND_HALF_UP)
        if gallons == 0:
            raise ValidationError(
                {
                    "gallons": f"These amounts come to less than {l10n.number(Decimal('0.001'), 3)}"
                    f" {quantity}: enter the {quantity}."
                }
            )

    value = {"gallons": gallons, "price_per_gallon": price_per_gallon, "total_cost": total_cost}
    if value[computed] > LIMITS[computed]:
        raise ValidationError(
            {
                computed: f"The {labels[computed]} computed from the other two comes to "
                f"{as_typed(value[computed])}, more than MotoVault can store "
                f"({as_typed(LIMITS[computed])}). Check the other two values."
            }
        )
    return Amounts(gallons, price_per_gallon, total_cost, computed)


def _agree(expected: Decimal, total_cost: Decimal) -> bool:
    """A total within 1 % (at least a cent) of quantity times price agrees with them."""
    return abs(expected - total_cost) <= max(AGREEMENT * expected, CENT)


def amount_to_recompute(
    saved: Mapping[str, Decimal | None],
    submitted: Mapping[str, Decimal | None],
    computed: str | None,
) -> str | None:
    """On an edit of a saved fill-up, the amount (of AMOUNT_FIELDS) to compute again from the
    other two `submitted` ones, or None to take them as they are. `saved` holds the amounts as
    stored, `computed` the one computed when the fill-up was saved (None when unknown).

    The edit form shows all three amounts filled in. An owner who corrects one of them (the
    price was 1.759, not 1.795) means the amount MotoVault computed to follow, as it did when
    they saved the fill-up, rather than being asked to blank a field. So when exactly one amount
    changed, the one computed at save time is computed again, unless it is the one they
    changed: then they typed over the computed value, and it stands. With no computed amount
    to follow (or that one typed over), the amount FOLLOWS_CORRECTION names is recomputed only
    when the three no longer agree within 1 %. An owner who changes two or three amounts typed
    them all, and they are held to the 1 % check."""
    gallons, price_per_gallon, total_cost = (submitted.get(name) for name in AMOUNT_FIELDS)
    if gallons is None or price_per_gallon is None or total_cost is None:
        return None  # a blank amount is computed anyway
    changed = [name for name in AMOUNT_FIELDS if submitted[name] != saved.get(name)]
    if len(changed) != 1:
        return None
    if computed is not None and computed != changed[0]:
        return computed
    if _agree((gallons * price_per_gallon).quantize(CENT, ROUND_HALF_UP), total_cost):
        return None
    return FOLLOWS_CORRECTION[changed[0]]


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


def usual_fill_up(vehicle: Vehicle, *, exclude_pk: uuid.UUID | None = None) -> Decimal | None:
    """The median quantity of the vehicle's latest USUAL_FILL_UPS fill-ups (partial ones too:
    the median shrugs them off), or None before its first. One query, on the index of the
    vehicle's logs by date."""
    logs = vehicle.fuel_logs.exclude(pk=exclude_pk) if exclude_pk else vehicle.fuel_logs.all()
    quantities = list(
        logs.order_by("-date", "-odometer_reading").values_list("gallons", flat=True)[
            :USUAL_FILL_UPS
        ]
    )
    return statistics.median(quantities) if quantities else None


def likely_meant(quantity: Decimal, usual: Decimal | None, fuel_unit: str) -> Decimal:
    """What a too-large quantity was likely typed as, with its decimal separator dropped: of
    quantity / 10, / 100 and / 1000, the one closest to the usual fill-up; without one, the
    largest that fits the largest tank."""
    candidates = [quantity / 10, quantity / 100, quantity / 1000]
    if usual is not None:
        return min(candidates, key=lambda candidate: abs(candidate - usual))
    return next(
        (candidate for candidate in candidates if candidate <= LARGEST_TANK[fuel_unit]),
        candidates[-1],
    )


def check_plausible_quantity(quantity: Decimal, fuel_unit: str, usual: Decimal | None) -> None:
    """A fill-up over IMPLAUSIBLE_FACTOR times the usual one (`usual_fill_up`), or over the
    largest tank plausible for `fuel_unit`, is questioned: "did you mean ...?", with the value
    the likely dropped separator gives. Only the owner's form runs this rule, and lets them
    confirm the value with a tick: the admin's staff and imports enter values deliberately, and
    a bulk import has no one to ask."""
    largest = LARGEST_TANK[fuel_unit]
    abbreviation = FUEL_ABBREVIATIONS[fuel_unit]
    if usual is not None and quantity > IMPLAUSIBLE_FACTOR * usual:
        reason = (
            f"more than {IMPLAUSIBLE_FACTOR} times this vehicle's usual fill-up "
            f"({l10n.plain(usual, 1)} {abbreviation})"
        )
    elif quantity > largest:
        reason = (
            f"more than the largest tank MotoVault expects ({as_typed(largest)} {abbreviation})"
        )
    else:
        return
    meant = likely_meant(quantity, usual, fuel_unit).quantize(Decimal("0.001"), ROUND_HALF_UP)
    raise ValidationError(
        {
            "gallons": ValidationError(
                f"{as_typed(quantity)} {abbreviation} is {reason}. Did you mean "
                f"{l10n.plain(meant, 3)} {abbreviation}? If {as_typed(quantity)} "
                f"{abbreviation} is right, tick the box to confirm it.",
                code="implausible",
            )
        }
    )
