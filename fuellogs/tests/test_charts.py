import datetime as dt
from decimal import Decimal

from django.template.loader import render_to_string

from fuellogs.charts import (
    ECONOMY_POINTS,
    TOP,
    Tick,
    economy_chart,
    month_ticks,
    next_month,
    nice_scale,
    spending_chart,
)
from fuellogs.economy import Segment
from motovault import l10n

D = Decimal


def segment(day: str, distance: int, gallons: str, *, after_gap: bool = False) -> Segment:
    return Segment(
        log_id=day,
        date=dt.date.fromisoformat(day),
        distance=distance,
        quantity=D(gallons),
        after_gap=after_gap,
    )


def us_chart(segments):
    return economy_chart(segments, distance_unit="mi", fuel_unit="gal_us")


def test_it_rounds_axis_ranges_to_nice_steps():
    assert nice_scale(23.4, 31.9) == (20, 35, 5)
    assert nice_scale(0, 183.5) == (0, 200, 50)
    assert nice_scale(0, 12) == (0, 15, 5)
    # One value: a range of one around it
    assert nice_scale(30, 30) == (30, 31, 0.5)


def test_it_places_mpg_points_by_date_and_value_from_zero():
    chart = us_chart(
        [
            segment("2025-01-10", 300, "10"),
            segment("2025-01-20", 250, "12.5"),
            segment("2025-02-09", 330, "11"),
        ]
    )
    # 30, 20, 30 MPG on an axis from 0 to 30 (steps of 10): 30 at the top (12), 20 two thirds
    # of the 140 units up from the axis at 152: 152 - 93.3 = 58.7.
    assert [mark.value for mark in chart.marks] == ["30.0", "20.0", "30.0"]
    assert [tick.label for tick in chart.y_ticks] == ["0", "10", "20", "30"]
    assert [mark.y for mark in chart.marks] == [TOP, 58.7, TOP]
    assert chart.bottom == 152
    # Placed over January and February (59 days, 258 units from x = 48): Jan 10 is 9 days in,
    # 48 + 9 / 59 * 258 = 87.4; Jan 20, 48 + 19 / 59 * 258 = 131.1; Feb 9, 48 + 39 / 59 * 258.
    assert [mark.x for mark in chart.marks] == [87.4, 131.1, 218.5]
    assert chart.path == "M87.4,12 L131.1,58.7 L218.5,12"
    # Each month named in the middle of its days (February starts at 48 + 31 / 59 * 258 = 183.6),
    # the year once.
    assert chart.x_ticks == [Tick(115.8, "Jan", "2025"), Tick(244.8, "Feb", "")]
    assert chart.y_label == "MPG"


def test_it_does_not_make_a_small_wobble_look_like_a_cliff():
    # 28.5 and 30 MPG: a 5 % difference is 5 % of the height, not the whole of it.
    chart = us_chart([segment("2025-01-10", 285, "10"), segment("2025-01-20", 300, "10")])
    assert [tick.label for tick in chart.y_ticks] == ["0", "10", "20", "30"]
    # 152 - 28.5 / 30 * 140 = 19
    assert [mark.y for mark in chart.marks] == [19, TOP]


def test_it_breaks_the_line_where_a_fill_up_was_missed():
    chart = us_chart(
        [
            segment("2025-01-10", 300, "10"),
            segment("2025-01-20", 250, "12.5"),
            segment("2025-02-09", 330, "11", after_gap=True),
        ]
    )
    # The same points as above; the third starts a new line instead of joining the second.
    assert chart.path == "M87.4,12 L131.1,58.7 M218.5,12"
    assert chart.marks[2].label == "Feb 9, 2025 (after a missed fill-up)"
    assert chart.summary.endswith(" The line breaks where a fill-up was missed.")
    html = render_to_string("fuellogs/_chart.html", {"chart": chart, "chart_id": "economy"})
    assert "<td>Feb 9, 2025 (after a missed fill-up)</td><td>30.0</td>" in html


def test_it_does_not_mention_a_gap_before_the_first_point_drawn():
    chart = us_chart(
        [segment("2025-01-10", 300, "10", after_gap=True), segment("2025-01-20", 250, "12.5")]
    )
    assert chart.path.startswith("M") and chart.path.count("M") == 1
    assert "breaks" not in chart.summary
    assert chart.marks[0].label == "Jan 10, 2025 (after a missed fill-up)"


def test_it_names_each_month_once_with_its_year_where_it_changes():
    def labels(first: dt.date, count: int) -> list[tuple[str, str]]:
        months = [first]
        while len(months) < count:
            months.append(next_month(months[-1]))
        return [(t.label, t.year) for t in month_ticks(months, [0.0] * count)]

    # Two months, across New Year.
    assert labels(dt.date(2025, 12, 1), 2) == [("Dec", "2025"), ("Jan", "2026")]
    # Six fit.
    assert labels(dt.date(2025, 6, 1), 6) == [
        ("Jun", "2025"),
        ("Jul", ""),
        ("Aug", ""),
        ("Sep", ""),
        ("Oct", ""),
        ("Nov", ""),
    ]
    # Twelve do not: every other month, on odd months; December 2024 goes unnamed.
    assert labels(dt.date(2024, 12, 1), 12) == [
        ("Jan", "2025"),
        ("Mar", ""),
        ("May", ""),
        ("Jul", ""),
        ("Sep", ""),
        ("Nov", ""),
    ]
    # Thirteen: quarters.
    assert labels(dt.date(2024, 11, 1), 13) == [
        ("Jan", "2025"),
        ("Apr", ""),
        ("Jul", ""),
        ("Oct", ""),
    ]
    # Forty months: every January, each with its year.
    assert labels(dt.date(2022, 1, 1), 40) == [
        ("Jan", "2022"),
        ("Jan", "2023"),
        ("Jan", "2024"),
        ("Jan", "2025"),
    ]


def test_it_draws_only_the_latest_segments():
    segments = [segment(f"2025-01-{day:02d}", 300 + day, "10") for day in range(1, 29)] * 3
    chart = us_chart(segments)
    assert len(chart.marks) == ECONOMY_POINTS


def test_it_has_no_economy_chart_without_a_line_to_draw():
    assert us_chart([]) is None
    assert us_chart([segment("2025-01-10", 300, "10")]) is None


def test_it_draws_a_bar_per_month_from_the_first_with_spending():
    months = [(dt.date(2025, m, 1), D(0)) for m in range(1, 10)] + [
        (dt.date(2025, 10, 1), D(50)),
        (dt.date(2025, 11, 1), D(0)),
        (dt.date(2025, 12, 1), D("150.50")),
    ]
    chart = spending_chart(months)
    # October to December: no empty January to September.
    assert [mark.label for mark in chart.marks] == [
        "October 2025",
        "November 2025",
        "December 2025",
    ]
    assert [mark.value for mark in chart.marks] == ["$50.00", "$0.00", "$150.50"]
    # On an axis to 200: 150.50 is 140 * 150.5 / 200 = 105.3 units tall, 50 is 35.
    assert [mark.height for mark in chart.marks] == [35, 0, 105.3]
    assert [tick.label for tick in chart.y_ticks] == ["0", "50", "100", "150", "200"]
    # Three slots of 86 units; the bars no wider than 28, in the middle of theirs.
    assert [mark.x for mark in chart.marks] == [77, 163, 249]
    assert all(mark.width == 28 for mark in chart.marks)
    assert chart.x_ticks == [Tick(91, "Oct", "2025"), Tick(177, "Nov"), Tick(263, "Dec")]
    assert chart.summary == "Fuel spending per month, October 2025 to December 2025."

    html = render_to_string("fuellogs/_chart.html", {"chart": chart, "chart_id": "spending"})
    assert "<td>December 2025</td><td>$150.50</td>" in html
    assert 'aria-labelledby="spending-caption"' in html
    assert "style=" not in html
    assert ">Spent ($)</text>" in html
    assert '<text class="label" x="91.0" y="183" text-anchor="middle">2025</text>' in html


def test_it_has_no_spending_chart_for_a_single_month():
    # A new owner's first month: no chart of one bar after eleven empty months.
    assert (
        spending_chart(
            [(dt.date(2025, m, 1), D(0)) for m in range(1, 12)] + [(dt.date(2025, 12, 1), D("45"))]
        )
        is None
    )


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
    assert [(tick.label, tick.year) for tick in chart.x_ticks] == [("Jan", "2025"), ("Feb", "")]
    # 0 to 12.5 in steps of 5
    assert [tick.label for tick in chart.y_ticks] == ["0", "5", "10", "15"]
    assert chart.summary == (
        "L/100 km of the last 2 segments between full fill-ups, 10.01.2025 to 09.02.2025."
    )
    assert spending.marks[-1].value == "1.234,50\u00a0€"
    assert spending.marks[-1].label == "December 2025"
    assert spending.y_label == "Spent (€)"
    # 0 to 1,234.50 in steps of 500
    assert [tick.label for tick in spending.y_ticks] == ["0", "500", "1.000", "1.500"]


def test_it_writes_half_steps_the_owners_way():
    # 1.5 and 1.8 MPG (a steam roller): 0 to 2 in steps of 0.5
    segments = [segment("2025-01-10", 15, "10"), segment("2025-02-09", 18, "10")]
    with l10n.override(l10n.Regional("de-DE", "EUR", "mpg_us", "mi_kwh")):
        chart = us_chart(segments)
    assert [tick.label for tick in chart.y_ticks] == ["0", "0,5", "1", "1,5", "2"]
