import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from fuellogs.rules import (
    amount_to_recompute,
    check_date,
    check_plausible_quantity,
    check_vehicle,
    complete_amounts,
    likely_meant,
    usual_fill_up,
)
from vehicles.rules import check_odometer

D = Decimal


def messages(error: ValidationError) -> dict[str, list[str]]:
    return error.message_dict


def test_it_computes_the_total_rounded_to_the_cent():
    amounts = complete_amounts(D("10.555"), D("3.459"), None)
    # 10.555 x 3.459 = 36.509745
    assert amounts.total_cost == D("36.51")
    assert amounts.computed == "total_cost"


def test_it_rounds_half_a_cent_up():
    # 1.5 x 0.333 = 0.4995
    assert complete_amounts(D("1.5"), D("0.333"), None).total_cost == D("0.50")


def test_it_computes_the_price_to_a_tenth_of_a_cent():
    amounts = complete_amounts(D("12.000"), None, D("40.00"))
    # 40 / 12 = 3.3333...
    assert amounts.price_per_gallon == D("3.333")
    assert amounts.computed == "price_per_gallon"


def test_it_computes_the_gallons_to_a_thousandth():
    amounts = complete_amounts(None, D("3.299"), D("45.00"))
    # 45 / 3.299 = 13.64049...
    assert amounts.gallons == D("13.640")
    assert amounts.computed == "gallons"


def test_it_accepts_three_values_that_agree_within_one_percent():
    amounts = complete_amounts(D("10.000"), D("3.000"), D("30.29"))
    assert (amounts.gallons, amounts.price_per_gallon, amounts.total_cost) == (
        D("10.000"),
        D("3.000"),
        D("30.29"),
    )
    assert amounts.computed is None


def test_it_says_what_it_computed_when_three_values_disagree():
    with pytest.raises(ValidationError) as error:
        complete_amounts(D("10.000"), D("3.000"), D("31.00"))
    assert messages(error.value) == {
        "total_cost": [
            "10.000 gal at $3.000 a gallon comes to $30.00, more than 1 % away from $31.00. "
            "Correct one of the three, or leave one blank and MotoVault computes it."
        ]
    }


@pytest.mark.parametrize(
    ("gallons", "price", "total", "field"),
    [
        (None, None, None, "gallons"),
        (D("10"), None, None, "price_per_gallon"),
        (None, D("3"), None, "gallons"),
        (None, None, D("30"), "gallons"),
    ],
)
def test_it_needs_two_of_the_three_amounts(gallons, price, total, field):
    with pytest.raises(ValidationError) as error:
        complete_amounts(gallons, price, total)
    assert messages(error.value) == {
        field: [
            "Enter at least two of gallons, price per gallon and total cost; "
            "MotoVault computes the third."
        ]
    }


@pytest.mark.parametrize("gallons", [D("0"), D("-1")])
def test_it_refuses_gallons_that_are_not_positive(gallons):
    with pytest.raises(ValidationError) as error:
        complete_amounts(gallons, D("3"), None)
    assert messages(error.value) == {"gallons": ["Gallons must be more than 0."]}


def test_it_cannot_compute_gallons_at_a_price_of_zero():
    with pytest.raises(ValidationError) as error:
        complete_amounts(None, D("0"), D("10"))
    assert messages(error.value) == {
        "gallons": ["With a price of $0 the gallons cannot be computed: enter them."]
    }


def test_it_refuses_computed_gallons_that_round_to_zero():
    with pytest.raises(ValidationError) as error:
        complete_amounts(None, D("999"), D("0.01"))
    assert messages(error.value) == {
        "gallons": ["These amounts come to less than 0.001 gallons: enter the gallons."]
    }


@pytest.mark.parametrize(
    ("gallons", "price", "total", "field", "message"),
    [
        (
            D("99999.999"),
            D("999.999"),
            None,
            "total_cost",
            "The total cost computed from the other two comes to 99,999,899.00, more than "
            "MotoVault can store (999,999.99). Check the other two values.",
        ),
        (
            D("0.001"),
            None,
            D("999999.99"),
            "price_per_gallon",
            "The price per gallon computed from the other two comes to 999,999,990.000, more "
            "than MotoVault can store (999.999). Check the other two values.",
        ),
        (
            None,
            D("0.001"),
            D("999999.99"),
            "gallons",
            "The gallons computed from the other two comes to 999,999,990.000, more than "
            "MotoVault can store (99,999.999). Check the other two values.",
        ),
    ],
)
def test_it_refuses_computed_values_beyond_the_columns(gallons, price, total, field, message):
    with pytest.raises(ValidationError) as error:
        complete_amounts(gallons, price, total)
    assert messages(error.value) == {field: [message]}


def test_it_refuses_a_date_in_the_future():
    with pytest.raises(ValidationError) as error:
        check_date(timezone.localdate() + dt.timedelta(days=1), None)
    assert messages(error.value) == {"date": ["The date cannot be in the future."]}


def test_it_accepts_today_in_the_sites_time_zone(settings):
    settings.TIME_ZONE = "Pacific/Kiritimati"  # UTC+14: often already tomorrow there
    check_date(timezone.localdate(), None)


def test_it_refuses_a_date_before_1900():
    with pytest.raises(ValidationError) as error:
        check_date(dt.date(1, 1, 1), None)
    assert messages(error.value) == {"date": ["The date cannot be before Jan 1, 1900."]}


def test_it_refuses_a_date_before_the_year_before_the_model_year(vehicle):
    # A 2010 model is on sale from 2009 on.
    check_date(dt.date(2009, 1, 1), vehicle)
    with pytest.raises(ValidationError) as error:
        check_date(dt.date(2008, 12, 31), vehicle)
    assert messages(error.value) == {
        "date": ["The date cannot be before Jan 1, 2009: Daily driver is a 2010 model."]
    }


def test_it_refuses_a_deleted_vehicle(vehicle):
    vehicle.deleted_at = timezone.now()
    with pytest.raises(ValidationError) as error:
        check_vehicle(vehicle)
    assert messages(error.value) == {
        "vehicle": ["This vehicle is deleted; restore it to log fuel."]
    }


class TestOdometerOrdering:
    @pytest.fixture
    def history(self, make_log):
        return [
            make_log("2025-03-01", 10_000),
            make_log("2025-03-10", 10_300),
            make_log("2025-03-20", 10_600),
        ]

    def test_it_accepts_a_reading_between_its_neighbors(self, vehicle, history):
        check_odometer(vehicle, dt.date(2025, 3, 15), 10_450)

    def test_it_names_the_earlier_fill_up_a_reading_must_exceed(self, vehicle, history):
        with pytest.raises(ValidationError) as error:
            check_odometer(vehicle, dt.date(2025, 3, 15), 10_300)
        assert messages(error.value) == {
            "odometer_reading": [
                "Must be more than 10,300 mi, the reading of your fill-up on Mar 10, 2025."
            ]
        }

    def test_it_names_the_later_fill_up_a_reading_must_stay_below(self, vehicle, history):
        with pytest.raises(ValidationError) as error:
            check_odometer(vehicle, dt.date(2025, 3, 5), 10_300)
        assert messages(error.value) == {
            "odometer_reading": [
                "Must be less than 10,300 mi, the reading of your fill-up on Mar 10, 2025."
            ]
        }

    def test_it_names_the_highest_earlier_reading(self, vehicle, history):
        with pytest.raises(ValidationError) as error:
            check_odometer(vehicle, dt.date(2025, 4, 1), 9_000)
        assert "10,600 mi" in messages(error.value)["odometer_reading"][0]

    def test_it_allows_several_fill_ups_on_one_day_in_any_order(self, vehicle, history):
        check_odometer(vehicle, dt.date(2025, 3, 10), 10_250)
        check_odometer(vehicle, dt.date(2025, 3, 10), 10_350)

    def test_it_ignores_the_log_being_edited(self, vehicle, history):
        middle = history[1]
        check_odometer(vehicle, dt.date(2025, 3, 10), 10_301, exclude_pk=middle.pk)
        check_odometer(vehicle, dt.date(2025, 3, 2), 10_001, exclude_pk=middle.pk)

    def test_it_ignores_other_vehicles(self, owner, make_vehicle, make_log, history):
        other = make_vehicle(owner)
        check_odometer(other, dt.date(2025, 3, 15), 5)


class TestPlausibleQuantity:
    @pytest.mark.parametrize(
        ("quantity", "usual", "fuel_unit", "meant"),
        [
            # 40,5 typed where the comma was dropped: 405 and 4050; 40.5 is closest to 40
            (D("405"), D("40"), "l", D("40.5")),
            (D("4050"), D("40"), "l", D("40.5")),
            # 1234.5 / 100 = 12.345 is closer to a usual 12 gal than 123.45 or 1.2345
            (D("1234.5"), D("12"), "gal_us", D("12.345")),
            # No history: the largest that fits the tank (150 / 10 = 15 <= 80 gal)
            (D("150"), None, "gal_us", D("15")),
            # 3000 kWh / 10 = 300 > 250 kWh, / 100 = 30 fits
            (D("3000"), None, "kwh", D("30")),
        ],
    )
    def test_it_suggests_the_value_with_the_dropped_separator(
        self, quantity, usual, fuel_unit, meant
    ):
        assert likely_meant(quantity, usual, fuel_unit) == meant

    @pytest.mark.parametrize(
        ("quantity", "usual", "fuel_unit"),
        [
            (D("120"), D("40"), "l"),  # exactly three times the usual
            (D("300"), None, "l"),  # the largest tank for liters
            (D("80"), None, "gal_us"),
            (D("66"), None, "gal_uk"),
            (D("250"), None, "kwh"),
        ],
    )
    def test_it_lets_plausible_quantities_through(self, quantity, usual, fuel_unit):
        check_plausible_quantity(quantity, fuel_unit, usual)

    @pytest.mark.parametrize(
        ("quantity", "usual", "fuel_unit"),
        [
            (D("120.001"), D("40"), "l"),
            (D("300.001"), D("200"), "l"),  # under 3 x 200, over the largest tank
            (D("80.5"), None, "gal_us"),
            (D("67"), None, "gal_uk"),
            (D("251"), None, "kwh"),
        ],
    )
    def test_it_questions_the_rest(self, quantity, usual, fuel_unit):
        with pytest.raises(ValidationError) as error:
            check_plausible_quantity(quantity, fuel_unit, usual)
        assert "Did you mean" in messages(error.value)["gallons"][0]

    def test_it_takes_the_median_of_the_last_ten_fill_ups(self, vehicle, make_log):
        assert usual_fill_up(vehicle) is None
        # Eleven fill-ups: the oldest (99 gal) is beyond the last ten; a 2 gal top-up and a
        # 30 gal outlier barely move the median of the ten: 2, 10 x 7, 12, 30 → 10
        sizes = ["99", "10", "10", "2", "10", "10", "30", "10", "12", "10", "10"]
        logs = [
            make_log(f"2025-01-{day + 1:02d}", 10_000 + 100 * day, gallons=D(size))
            for day, size in enumerate(sizes)
        ]
        assert usual_fill_up(vehicle) == D("10")
        # Leaving out the log being edited (the last): the ten before it, 99 included → 10
        assert usual_fill_up(vehicle, exclude_pk=logs[-1].pk) == D("10")


class TestAmountToRecompute:
    """Editing a saved fill-up: 10 gal at $3.500, $35.00."""

    SAVED = {"gallons": D("10.000"), "price_per_gallon": D("3.500"), "total_cost": D("35.00")}

    def edit(self, computed, **changes):
        return amount_to_recompute(self.SAVED, {**self.SAVED, **changes}, computed)

    @pytest.mark.parametrize(
        ("computed", "changed", "recomputed"),
        [
            ("total_cost", {"price_per_gallon": D("3.759")}, "total_cost"),
            ("total_cost", {"gallons": D("12")}, "total_cost"),
            ("price_per_gallon", {"gallons": D("12")}, "price_per_gallon"),
            ("price_per_gallon", {"total_cost": D("40")}, "price_per_gallon"),
            ("gallons", {"total_cost": D("40")}, "gallons"),
            ("gallons", {"price_per_gallon": D("3.9")}, "gallons"),
        ],
    )
    def test_it_recomputes_the_amount_computed_when_the_fill_up_was_saved(
        self, computed, changed, recomputed
    ):
        assert self.edit(computed, **changed) == recomputed

    def test_it_recomputes_it_even_when_the_change_stays_within_one_percent(self):
        # $3.510 x 10 = $35.10: within 1 % of $35.00, but the total followed the price.
        assert self.edit("total_cost", price_per_gallon=D("3.510")) == "total_cost"

    @pytest.mark.parametrize(
        ("changed", "recomputed"),
        [
            ({"price_per_gallon": D("3.9")}, "total_cost"),
            ({"gallons": D("12")}, "total_cost"),
            ({"total_cost": D("40")}, "price_per_gallon"),
        ],
    )
    def test_without_a_computed_amount_the_total_or_else_the_price_follows(
        self, changed, recomputed
    ):
        assert self.edit(None, **changed) == recomputed

    def test_without_a_computed_amount_three_that_still_agree_stand(self):
        assert self.edit(None, total_cost=D("35.20")) is None

    def test_an_amount_typed_over_the_computed_one_stands_while_the_three_agree(self):
        assert self.edit("total_cost", total_cost=D("35.20")) is None
        # Beyond 1 %, the price follows the total the owner typed.
        assert self.edit("total_cost", total_cost=D("40")) == "price_per_gallon"

    @pytest.mark.parametrize(
        "changes",
        [
            {},
            {"gallons": D("10")},  # the same amount, typed without its decimals
            {"gallons": D("12"), "price_per_gallon": D("3.9")},
            {"gallons": D("12"), "price_per_gallon": D("3.9"), "total_cost": D("50")},
            {"total_cost": None},
        ],
    )
    def test_it_leaves_other_edits_to_the_rules_of_typed_amounts(self, changes):
        assert self.edit("total_cost", **changes) is None
