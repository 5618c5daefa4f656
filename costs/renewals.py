"""When a repeating cost (insurance, registration) is due again, for the owner's reminders.

The renewal is derived, not stored. A repeating cost that no later cost of its series follows
(the same vehicle, category and title: costs.models.CostQuerySet.latest_of_their_series) is due
again at `cost.next_due()`. Recording the next payment makes the reminder move on to the one
after it; deleting that payment brings the previous reminder back; editing a date or the
interval moves it; all without a second row to keep in step. A stored "next renewal" (as
maintenance stores a service's next occurrence) would need updating on every edit and delete,
and could drift from the payments it was computed from. A cost is something paid, not a plan,
so there is nothing scheduled to store.

The renewals reach the owner through maintenance.upcoming, the one place every reminder is
read from (the upcoming page, the dashboard, the digest, the calendar feed): CostsConfig.ready
registers `SOURCE` there. Writes of costs call maintenance.upcoming.invalidate_upcoming."""

from decimal import Decimal
from urllib.parse import urlencode

from django.contrib.auth.models import User
from django.db.models import Count, Max
from django.urls import reverse

from costs.models import Cost
from maintenance.upcoming import Dated, Source

RENEWAL = "renewal"


def renewals_for(user: User) -> list[Dated]:
    """The owner's pending renewals on active vehicles, whatever their date. One query."""
    pending = (
        Cost.objects.for_owner(user)
        .filter(vehicle__is_active=True)
        .renewals_pending()
        .select_related("vehicle")
        .order_by("date", "pk")
    )
    renewals = []
    for cost in pending:
        due = cost.next_due()
        assert due is not None  # renewals_pending repeat
        renewals.append(
            Dated(
                id=cost.pk,
                kind=RENEWAL,
                vehicle_id=cost.vehicle_id,
                vehicle_name=cost.vehicle.display_name,
                title=f"{cost.label} renewal",
                due_date=due,
                url=payment_url(cost),
                action="Record payment",
            )
        )
    return renewals


def payment_url(cost: Cost) -> str:
    """The cost form, filled in for the next payment of `cost`'s series."""
    query = {
        "vehicle": cost.vehicle_id,
        "category": cost.category,
        "title": cost.title,
        "amount": _plain(cost.amount),
        "repeat_months": cost.repeat_months,
    }
    return f"{reverse('costs:add')}?{urlencode(query)}"


def _plain(amount: Decimal) -> str:
    # Dot decimals in the address; the form shows it the owner's way.
    return f"{amount:f}"


def fingerprint(user: User) -> str:
    """What changes whenever the owner's costs do: their number and latest change. One query."""
    found = Cost.objects.filter(user=user).aggregate(count=Count("pk"), changed=Max("updated_at"))
    return f"costs:{found['count']}:{found['changed'].isoformat() if found['changed'] else ''}"


SOURCE = Source(items=renewals_for, fingerprint=fingerprint)
