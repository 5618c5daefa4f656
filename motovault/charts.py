"""The dashboard's chart of what every vehicle cost per month, drawn like the vehicle page's
charts (fuellogs.charts): a pure function from monthly amounts to a `Chart`."""

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal

from fuellogs.charts import MIN_MONTHS, Chart, Series, from_first_month, monthly_bars
from motovault import l10n

# Fuel keeps the color of the vehicle page's spending bars.
FUEL = Series("Fuel", "bar")
MAINTENANCE = Series("Maintenance", "bar bar-maintenance")


def monthly_costs_chart(monthly: Sequence[tuple[dt.date, Decimal, Decimal]]) -> Chart | None:
    """Fuel and maintenance costs per month (first day, fuel, maintenance; oldest first),
    stacked, from the first month that cost anything. None when fewer than MIN_MONTHS are
    left."""
    shown = len(from_first_month([(month, fuel + kept) for month, fuel, kept in monthly]))
    monthly = monthly[len(monthly) - shown :]
    if len(monthly) < MIN_MONTHS:
        return None
    months = [month for month, _, _ in monthly]
    marks, x_ticks, y_ticks = monthly_bars(
        months,
        [
            (FUEL, [fuel for _, fuel, _ in monthly]),
            (MAINTENANCE, [kept for _, _, kept in monthly]),
        ],
    )
    return Chart(
        title="Costs per month",
        summary=(
            f"Fuel and maintenance costs per month, all vehicles, "
            f"{l10n.month_and_year_in_full(months[0])} to "
            f"{l10n.month_and_year_in_full(months[-1])}."
        ),
        x_label="Month",
        y_label=f"Cost ({l10n.currency_symbol()})",
        value_heading="Cost",
        x_ticks=x_ticks,
        y_ticks=y_ticks,
        marks=marks,
        legend=(FUEL, MAINTENANCE),
        table_headings=("Month", "Fuel", "Maintenance", "Total"),
        table=tuple(
            (
                l10n.month_and_year_in_full(month),
                l10n.money(fuel),
                l10n.money(kept),
                l10n.money(fuel + kept),
            )
            for month, fuel, kept in monthly
        ),
    )
