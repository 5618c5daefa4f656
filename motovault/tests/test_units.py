from decimal import Decimal

import pytest

from motovault import units

# The worked example: 500 km on 40 L.
WORKED = {
    units.EconomyUnit.L_100KM: Decimal("8.00"),
    units.EconomyUnit.KM_L: Decimal("12.50"),
    units.EconomyUnit.MPG_US: Decimal("29.40"),
    units.EconomyUnit.MPG_UK: Decimal("35.31"),
}


@pytest.mark.parametrize(("economy_unit", "expected"), WORKED.items())
def test_it_reads_500_km_on_40_liters_in_every_unit(economy_unit, expected):
    value = units.economy(
        500, Decimal(40), distance_unit="km", fuel_unit="l", economy_unit=economy_unit
    )
    assert value.quantize(Decimal("0.01")) == expected


# The same drive in each vehicle's units: 310.686 mi is 500 km; 10.567 US gal, 8.799 imp gal.
@pytest.mark.parametrize(
    ("distance", "distance_unit", "quantity", "fuel_unit"),
    [
        (Decimal("310.6856"), "mi", Decimal("10.56688"), "gal_us"),
        (Decimal("310.6856"), "mi", Decimal(40), "l"),
        (Decimal(500), "km", Decimal("8.798769"), "gal_uk"),
        (Decimal(500), "km", Decimal("10.56688"), "gal_us"),
    ],
)
@pytest.mark.parametrize(("economy_unit", "expected"), WORKED.items())
def test_it_converts_any_vehicle_units_to_any_reading(
    distance, distance_unit, quantity, fuel_unit, economy_unit, expected
):
    value = units.economy(
        distance,
        quantity,
        distance_unit=distance_unit,
        fuel_unit=fuel_unit,
        economy_unit=economy_unit,
    )
    assert value.quantize(Decimal("0.01")) == expected


def test_it_reads_an_electric_vehicle_per_kwh():
    # 250 mi on 62.5 kWh: 4.0 mi/kWh, 15.53 kWh/100 km (62.5 kWh over 402.336 km).
    common = {"distance_unit": "mi", "fuel_unit": "kwh"}
    assert units.economy(250, Decimal("62.5"), economy_unit="mi_kwh", **common) == 4
    per_100 = units.economy(250, Decimal("62.5"), economy_unit="kwh_100km", **common)
    assert per_100.quantize(Decimal("0.01")) == Decimal("15.53")


def test_it_picks_the_electric_preference_for_an_electric_vehicle():
    assert units.economy_unit_for("kwh", "l_100km", "kwh_100km") == "kwh_100km"
    assert units.economy_unit_for("l", "l_100km", "kwh_100km") == "l_100km"


def test_it_converts_history_with_the_stated_rounding():
    assert units.convert_distance(100_000, "mi", "km") == 160_934
    assert units.convert_distance(160_934, "km", "mi") == 100_000
    assert units.convert_quantity(Decimal("10.000"), "gal_us", "l") == Decimal("37.854")
    assert units.convert_quantity(Decimal("40.000"), "l", "gal_uk") == Decimal("8.799")
    assert units.convert_price(Decimal("3.785"), "gal_us", "l") == Decimal("1.000")
    assert units.convert_price(Decimal("1.500"), "l", "gal_us") == Decimal("5.678")


def test_it_never_turns_energy_into_fuel():
    assert units.can_convert_fuel("l", "gal_us")
    assert units.can_convert_fuel("kwh", "kwh")
    assert not units.can_convert_fuel("kwh", "l")
    assert not units.can_convert_fuel("gal_uk", "kwh")
