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
