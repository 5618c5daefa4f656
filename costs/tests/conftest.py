import datetime as dt
from decimal import Decimal

import pytest

from costs.models import Cost


@pytest.fixture
def make_cost(db):
    """Store a cost directly (no service): insurance of 100.00 unless `fields` say otherwise."""

    def make(vehicle, date: dt.date | str, **fields) -> Cost:
        fields.setdefault("category", "insurance")
        fields.setdefault("amount", Decimal("100.00"))
        if isinstance(date, str):
            date = dt.date.fromisoformat(date)
        return Cost.objects.create(vehicle=vehicle, date=date, **fields)

    return make
