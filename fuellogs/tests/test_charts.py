import datetime as dt
from decimal import Decimal

from django.template.loader import render_to_string

from fuellogs.charts import (
    BOTTOM,
    ECONOMY_POINTS,
    HEIGHT,
    TOP,
    economy_chart,
    nice_scale,
    spending_chart,
)
from fuellogs.economy import Segment
from motovault import l10n

D = Decimal


def segment(day: str, distance: int, gallons: str) -> Segment:
    return Segment(
        log_id=day, date=dt.date.fromisoformat(day), distance=distance, quantity=D(gallons)
    )


def us_chart(segments):
    return economy_chart(segments, distance_unit="mi", fuel_unit="gal_us")


def test_it_rounds_axis_ranges_to_nice_steps():
    assert nice_scale(23.4, 31.9) == (20, 35, 5)
    assert nice_scale(0, 183.5) == (0, 200, 50)
    assert nice_scale(0, 12) == (0, 15, 5)
    # One value: a range of one around it
    assert nice_scale(30, 30) == (30, 31, 0.5)


def test_it_places_mpg_points_by_date_and_value():
    chart = us_chart(
        [
            segment("2025-01-10", 300, "10"),
            segment("2025-01-20", 250, "12.5"),
            segment("2025-02-09", 330, "11"),
        ]
    )
    # 30, 20, 30 MPG on an axis from 20 to 30; the second point a third of the way along in time
    # (10 of 30 days)
    assert [mark.value for mark in chart.marks] == ["30.0", "20.0", "30.0"]
    assert [tick.label for tick in chart.y_ticks] == ["20", "25", "30"]
    assert chart.marks[0].y == TOP
    assert chart.marks[1].y == chart.bottom
    assert chart.marks[0].x == chart.left
    assert chart.marks[2].x == chart.right
    assert chart.marks[1].x == round(chart.left + (chart.right - chart.left) / 3, 1)
    assert chart.path.startswith(f"M{chart.left},{TOP} L")
    assert [tick.label for tick in chart.x_ticks] == ["Jan 2025", "Feb 2025"]
    assert chart.y_label == "MPG"


def test_it_draws_only_the_latest_segments():
    segments = [segment(f"2025-01-{day:02d}", 300 + day, "10") for day in range(1, 29)] * 3
    chart = us_chart(segments)
    assert len(chart.marks) == ECONOMY_POINTS


def test_it_has_no_economy_chart_without_segments():
    assert us_chart([]) is None


def test_it_draws_a_bar_per_month_with_a_text_alternative():
    months = [(dt.date(2025, m, 1), D(0)) for m in range(1, 12)] + [
        (dt.date(2025, 12, 1), D("150.50"))
    ]
    chart = spending_chart(months)
    assert len(chart.marks) == 12
    december = chart.marks[-1]
    assert december.label == "December 2025"
    assert december.value == "$150.50"
    # 150.50 on an axis to 200
    assert december.height == round((HEIGHT - BOTTOM - TOP) * 150.5 / 200, 1)
    assert [tick.label for tick in chart.y_ticks] == ["0", "50", "100", "150", "200"]
    # Every other month is named, ending with the latest.
    assert [tick.label for tick in chart.x_ticks] == ["Feb", "Apr", "Jun", "Aug", "Oct", "Dec"]
    assert chart.marks[0].height == 0
    assert chart.summary == "Fuel spending per month, January 2025 to December 2025."

    html = render_to_string("fuellogs/_chart.html", {"chart": chart, "chart_id": "spending"})
    assert "<td>December 2025</td><td>$150.50</td>" in html
    assert 'aria-labelledby="spending-caption"' in html
    assert "style=" not in html
    assert ">Spent ($)</text>" in html


def test_it_has_no_spending_chart_when_nothing_was_spent():
    assert spending_chart([(dt.date(2025, m, 1), D(0)) for m in range(1, 13)]) is None


def test_it_draws_economy_in_the_owners_unit_and_formats():
    # 500 km on 40 L and 400 km on 50 L: 12.5 and 8 km/L, that is 8.0 and 12.5 L/100 km.
    segments = [segment("2025-01-10", 500, "40"), segment("2025-02-09", 400, "50")]
    german = l10n.Regional("de-DE", "EUR", "l_100km", "kwh_100km")
    with l10n.override(german):
        chart = economy_chart(segments, distance_unit="km", fuel_unit="l")
        spending = spending_chart([(dt.date(2025, m, 1), D("1234.5")) for m in range(1, 13)])
    assert chart.title == "L/100 km over time"
    assert chart.y_label == chart.value_heading == "L/100 km"
    assert [mark.value for mark in chart.marks] == ["8,0", "12,5"]
    assert [mark.label for mark in chart.marks] == ["10.01.2025", "09.02.2025"]
    assert [tick.label for tick in chart.x_ticks] == ["Jan 2025", "Feb 2025"]
    # 8 to 12.5 in steps of 1 (nice_scale: 8..13)
    assert chart.y_ticks[0].label == "8"
    assert chart.summary == (
        "L/100 km of the last 2 segments between full fill-ups, 10.01.2025 to 09.02.2025."
    )
    assert spending.marks[-1].value == "1.234,50\u00a0€"
    assert spending.marks[-1].label == "December 2025"
    assert spending.y_label == "Spent (€)"
    # 0 to 1,234.50 in steps of 500
    assert [tick.label for tick in spending.y_ticks] == ["0", "500", "1.000", "1.500"]


def test_it_writes_half_steps_the_owners_way():
    segments = [segment("2025-01-10", 300, "10"), segment("2025-02-09", 302, "10")]
    with l10n.override(l10n.Regional("de-DE", "EUR", "mpg_us", "mi_kwh")):
        chart = us_chart(segments)
    # 30.0 and 30.2 MPG: steps of 0.05
    assert [tick.label for tick in chart.y_ticks][:2] == ["30", "30,05"]
