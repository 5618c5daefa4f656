"""What was spent per month on each kind of cost, stacked: the dashboard's chart of every
vehicle and the vehicle page's cost of ownership, drawn like the vehicle page's charts
(fuellogs.charts). A pure function from monthly amounts to a `Chart`."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from fuellogs.charts import MIN_MONTHS, Chart, Series, from_first_month, monthly_bars
from motovault import l10n

# Fuel keeps the color of the vehicle page's spending bars.
FUEL = Series("Fuel", "bar")
MAINTENANCE = Series("Maintenance", "bar bar-maintenance")
OTHER_COSTS = Series("Other costs", "bar bar-other")
COSTS = (FUEL, MAINTENANCE, OTHER_COSTS)


def monthly_costs_chart(
    monthly: Sequence[tuple[dt.date, Sequence[Decimal]]],
    *,
    series: Sequence[Series] = COSTS,
    of: str = "all vehicles",
) -> Chart | None:
    """Costs per month (first day, and an amount per `series`, in its order; oldest first),
    stacked, from the first month that cost anything. `of` says whose ("all vehicles"). None
    when fewer than MIN_MONTHS are left."""
    shown = len(from_first_month([(month, sum(amounts, Decimal(0))) for month, amounts in monthly]))
    monthly = monthly[len(monthly) - shown :]
    if len(monthly) < MIN_MONTHS:
        return None
    months = [month for month, _ in monthly]
    marks, x_ticks, y_ticks = monthly_bars(
        months,
        [(layer, [amounts[i] for _, amounts in monthly]) for i, layer in enumerate(series)],
    )
    names = [layer.name for layer in series]
    # "Fuel, maintenance and other costs": the names as one phrase.
    listed = names[0] + "".join(
        f"{' and' if i == len(names) - 1 else ','} {name.lower()}"
        for i, name in enumerate(names[1:], start=1)
    )
    if not listed.endswith("costs"):
        listed += " costs"
    return Chart(
        title="Costs per month",
        summary=(
            f"{listed} per month, {of}, {l10n.month_and_year_in_full(months[0])} to "
            f"{l10n.month_and_year_in_full(months[-1])}."
        ),
        x_label="Month",
        y_label=f"Cost ({l10n.currency_symbol()})",
        value_heading="Cost",
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        marks=marks,
        legend=tuple(series),
        table_headings=("Month", *names, "Total"),
        table=tuple(
            (
                l10n.month_and_year_in_full(month),
                *(l10n.money(amount) for amount in amounts),
                l10n.money(sum(amounts, Decimal(0))),
            )
            for month, amounts in monthly
        ),
    )
