"""Economy, cost and price in every combination of vehicle units and the owner's economy unit,
on one hand-worked history with a partial and a missed fill-up, through the vehicle page's panel.

The history, in the vehicle's own units (miles or km; gallons, liters or kWh):

    odometer  quantity  cost   kind
    1,000     40        80     full: the first, nothing to measure yet
    1,200     20        40     partial: adds its 20 to the next full tank
    1,500     20        40     full: 500 / (20 + 20) = 12.5 distance per unit
    1,900     40        80     full, but the fill-up before it was missed: no economy
    2,300     50        100    full: 400 / 50 = 8

    average = (500 + 400) / (40 + 50) = 10; best 12.5, worst 8, last 8 (ratios)
    cost per distance = spent after the first (40 + 40 + 80 + 100 = 260) / (2,300 - 1,000) = 0.200
    average price per unit = 340 / 170 = 2.000

The electric vehicle charges four times the quantities (160, 80, 80, 160, 200 kWh, costs as
above): 500 / 160 = 3.125 and 400 / 200 = 2 mi/kWh, average 900 / 360 = 2.5, price 340 / 680
= 0.500 per kWh.

Conversions (exact factors: 1 mi = 1.609344 km, 1 US gal = 3.785411784 L, 1 imp gal = 4.54609 L),
shown to one decimal, half up:
- km/L 12.5 → L/100 km 100 / 12.5 = 8.0; MPG (US) 12.5 x 3.785411784 / 1.609344 = 29.40;
  MPG (UK) 12.5 x 4.54609 / 1.609344 = 35.31. Average 10 km/L → 10.0 L/100 km, 23.52 MPG US,
  28.25 MPG UK. Worst 8 km/L → 12.5 L/100 km, 18.82 MPG US, 22.60 MPG UK.
- 12.5 mi/US gal → MPG (UK) 12.5 x 4.54609 / 3.785411784 = 15.01; km/L 12.5 x 1.609344 /
  3.785411784 = 5.31; L/100 km 100 / 5.3143 = 18.82. Average 10 → 12.01 / 4.25 / 23.52.
  Worst 8 → 9.61 / 3.40 / 29.40.
- 12.5 mi/imp gal → MPG (US) 12.5 x 3.785411784 / 4.54609 = 10.41; km/L 12.5 x 1.609344 /
  4.54609 = 4.43; L/100 km 22.60. Average 10 → 8.33 / 3.54 / 28.25. Worst 8 → 6.66 / 2.83 / 35.31.
- 12.5 km/US gal → MPG (US) 12.5 / 1.609344 = 7.77; MPG (UK) 7.77 x 1.20095 = 9.33; km/L
  12.5 / 3.785411784 = 3.30; L/100 km 100 x 3.785411784 / 12.5 = 30.28. Average 10 → 6.21 /
  7.46 / 2.64 / 37.85. Worst 8 → 4.97 / 5.97 / 2.11 / 47.32.
- 3.125 mi/kWh → kWh/100 km 100 / (3.125 x 1.609344) = 19.88. Average 2.5 → 24.85. Worst 2 →
  31.07.
"""

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from conftest import make_fill_up
from fuellogs.panels import vehicle_fuel_panel
from motovault import l10n

D = Decimal

HISTORY = [
    # odometer, quantity, cost, full, missed
    (1_000, "40", "80", True, False),
    (1_200, "20", "40", False, False),
    (1_500, "20", "40", True, False),
    (1_900, "40", "80", True, True),
    (2_300, "50", "100", True, False),
]

# distance unit, fuel unit, economy unit: the headings' unit, then average, best, worst, last as
# shown, and the fuel unit's abbreviation.
CASES = [
    ("km", "l", "l_100km", "L/100 km", ("10.0", "8.0", "12.5", "12.5"), "L"),
    ("km", "l", "km_l", "km/L", ("10.0", "12.5", "8.0", "8.0"), "L"),
    ("km", "l", "mpg_us", "MPG", ("23.5", "29.4", "18.8", "18.8"), "L"),
    ("km", "l", "mpg_uk", "MPG", ("28.2", "35.3", "22.6", "22.6"), "L"),
    ("mi", "gal_us", "mpg_us", "MPG", ("10.0", "12.5", "8.0", "8.0"), "gal"),
    ("mi", "gal_us", "mpg_uk", "MPG", ("12.0", "15.0", "9.6", "9.6"), "gal"),
    ("mi", "gal_us", "l_100km", "L/100 km", ("23.5", "18.8", "29.4", "29.4"), "gal"),
    ("mi", "gal_us", "km_l", "km/L", ("4.3", "5.3", "3.4", "3.4"), "gal"),
    ("mi", "gal_uk", "mpg_uk", "MPG", ("10.0", "12.5", "8.0", "8.0"), "imp gal"),
    ("mi", "gal_uk", "mpg_us", "MPG", ("8.3", "10.4", "6.7", "6.7"), "imp gal"),
    ("mi", "gal_uk", "l_100km", "L/100 km", ("28.2", "22.6", "35.3", "35.3"), "imp gal"),
    ("mi", "gal_uk", "km_l", "km/L", ("3.5", "4.4", "2.8", "2.8"), "imp gal"),
    ("km", "gal_us", "mpg_us", "MPG", ("6.2", "7.8", "5.0", "5.0"), "gal"),
    ("km", "gal_us", "mpg_uk", "MPG", ("7.5", "9.3", "6.0", "6.0"), "gal"),
    ("km", "gal_us", "l_100km", "L/100 km", ("37.9", "30.3", "47.3", "47.3"), "gal"),
    ("km", "gal_us", "km_l", "km/L", ("2.6", "3.3", "2.1", "2.1"), "gal"),
    ("mi", "kwh", "mi_kwh", "mi/kWh", ("2.5", "3.1", "2.0", "2.0"), "kWh"),
    ("mi", "kwh", "kwh_100km", "kWh/100 km", ("24.9", "19.9", "31.1", "31.1"), "kWh"),
]  # fmt: skip


def regional_for(economy_unit: str) -> l10n.Regional:
    if economy_unit in ("mi_kwh", "kwh_100km"):
        return l10n.Regional(economy_unit="mpg_us", electric_economy_unit=economy_unit)
    return l10n.Regional(economy_unit=economy_unit)


@pytest.mark.parametrize(
    ("distance_unit", "fuel_unit", "economy_unit", "heading", "shown", "unit"), CASES
)
def test_it_shows_economy_cost_and_price_in_the_owners_units(
    owner, make_vehicle, distance_unit, fuel_unit, economy_unit, heading, shown, unit
):
    per = {"mi": "mile", "km": "km"}[distance_unit]
    price = "$0.500" if fuel_unit == "kwh" else "$2.000"
    vehicle = make_vehicle(owner, distance_unit=distance_unit, fuel_unit=fuel_unit)
    scale = 4 if fuel_unit == "kwh" else 1
    start = timezone.localdate() - dt.timedelta(days=50)
    for i, (odometer, quantity, cost, full, missed) in enumerate(HISTORY):
        make_fill_up(
            vehicle,
            start + dt.timedelta(days=10 * i),
            odometer,
            gallons=D(quantity) * scale,
            price_per_gallon=D(cost) / (D(quantity) * scale),
            total_cost=D(cost),
            is_full_tank=full,
            missed_previous=missed,
        )
    with l10n.override(regional_for(economy_unit)):
        fuel = vehicle_fuel_panel(vehicle)
        html = render_to_string("fuellogs/_vehicle_panel.html", {"fuel": fuel})
    average, best, worst, last = shown
    assert f"<dt>Average {heading}</dt><dd>{average}</dd>" in html
    assert f"<dt>Best {heading}</dt><dd>{best}</dd>" in html
    assert f"<dt>Worst {heading}</dt><dd>{worst}</dd>" in html
    assert f"<dt>Last {heading}</dt><dd>{last}</dd>" in html
    assert f"<dt>Cost per {per}</dt><dd>$0.200</dd>" in html
    assert f"<dt>Average price / {unit}</dt><dd>{price}</dd>" in html
    assert f"<caption>{heading} over time</caption>" in html
    # The latest fill-ups: the odometer with its unit, each row's economy in the owner's unit.
    assert f"2,300 {distance_unit}" in html
    assert [ratio is not None for _, ratio in fuel["latest"]] == [True, False, True, False, False]


def test_it_reads_mpg_for_a_vehicle_in_us_units_as_it_always_did(vehicle, make_log):
    make_log("2025-01-01", 10_000)
    make_log("2025-01-10", 10_300)
    html = render_to_string("fuellogs/_vehicle_panel.html", {"fuel": vehicle_fuel_panel(vehicle)})
    assert "<dt>Average MPG</dt><dd>30.0</dd>" in html
    assert "<dt>Cost per mile</dt><dd>$0.100</dd>" in html
    assert "<dt>Average price / gal</dt><dd>$3.000</dd>" in html
    assert "<dt>Total spent</dt><dd>$60.00</dd>" in html


def test_it_shows_a_german_owner_their_separators_currency_and_dates(owner, make_vehicle):
    vehicle = make_vehicle(owner, distance_unit="km", fuel_unit="l", odometer_reading=1_000)
    day = timezone.localdate() - dt.timedelta(days=3)
    make_fill_up(vehicle, day - dt.timedelta(days=7), 12_000, gallons=D("40"), total_cost=D("70"))
    # 500 km on 40 L: 8.0 L/100 km; 40 L at 1.799 = 71.96
    make_fill_up(
        vehicle, day, 12_500, gallons=D("40"), price_per_gallon=D("1.799"), total_cost=D("71.96")
    )
    german = l10n.Regional("de-DE", "EUR", "l_100km", "kwh_100km")
    with l10n.override(german):
        html = render_to_string(
            "fuellogs/_vehicle_panel.html", {"fuel": vehicle_fuel_panel(vehicle)}
        )
    assert "<dt>Average L/100 km</dt><dd>8,0</dd>" in html
    assert "<dt>Total spent</dt><dd>141,96\u00a0€</dd>" in html
    # 71.96 over 500 km
    assert "<dt>Cost per km</dt><dd>0,144\u00a0€</dd>" in html
    # 141.96 / 80 L
    assert "<dt>Average price / L</dt><dd>1,775\u00a0€</dd>" in html
    assert "12.500 km" in html
    assert f"{day:%d.%m.%Y}" in html
