"""Costs in the account archive: written to the document and costs.csv, restored equal (but ids
and timestamps), refused when invalid, and absent from archives written before costs."""

import datetime as dt
import io
import json
import zipfile
from decimal import Decimal

import pytest

from costs.models import Cost
from imports import archive
from imports.reading import ImportFileError
from imports.tests.test_archive import document, fields, written, zipped


@pytest.fixture
def costs(owner, make_vehicle):
    golf = make_vehicle(owner, nickname="Golf", vin="", distance_unit="km", fuel_unit="l")
    van = make_vehicle(owner, nickname="Sold van")
    made = [
        Cost.objects.create(
            vehicle=golf,
            category="insurance",
            date=dt.date(2026, 1, 31),
            amount=Decimal("612.40"),
            repeat_months=12,
            notes="Allianz\nPolicy 42",
        ),
        Cost.objects.create(
            vehicle=golf,
            category="other",
            title="Ferry to Sylt",
            date=dt.date(2026, 7, 2),
            amount=Decimal("0.00"),
            odometer_reading=12_345,
        ),
        Cost.objects.create(
            vehicle=van, category="tires", date=dt.date(2025, 11, 3), amount=Decimal("899.99")
        ),
    ]
    van.soft_delete()
    return made


def cost_rows(user) -> list[dict]:
    found = Cost.objects.filter(user=user).select_related("vehicle")
    return sorted((fields(cost) for cost in found), key=repr)


def test_it_restores_every_cost_of_every_vehicle(owner, costs, django_user_model):
    before = cost_rows(owner)
    content = written(owner)
    newcomer = django_user_model.objects.create_user("carol")

    summary = archive.restore(user=newcomer, file=io.BytesIO(content))

    assert cost_rows(newcomer) == before and len(before) == 3
    assert summary.costs == 3 and "3 costs" in str(summary)
    restored = Cost.objects.get(user=newcomer, category="other")
    assert restored.pk != costs[1].pk and restored.vehicle.user == newcomer


def test_it_writes_the_costs_to_the_document_and_the_csv(owner, costs):
    content = written(owner)
    listed = document(content)["costs"]
    vehicles = {vehicle["id"]: vehicle["nickname"] for vehicle in document(content)["vehicles"]}
    assert [vehicles[cost["vehicle"]] for cost in listed] == ["Golf", "Golf", "Sold van"]
    assert {key: value for key, value in listed[0].items() if key not in {"id", "vehicle"}} == {
        "category": "insurance",
        "title": "",
        "date": "2026-01-31",
        "amount": "612.40",
        "odometer": None,
        "repeat_months": 12,
        "notes": "Allianz\nPolicy 42",
        "created_at": costs[0].created_at.isoformat(),
        "updated_at": costs[0].updated_at.isoformat(),
    }
    with zipfile.ZipFile(io.BytesIO(content)) as opened:
        table = opened.read("costs.csv").decode("utf-8-sig").splitlines()
    # The CSV is the export: newest first, the deleted vehicle's costs aside.
    assert table == [
        "vehicle,vin,date,category,title,amount,currency,odometer,distance_unit,repeat_months,notes",
        "Golf,,2026-07-02,other,Ferry to Sylt,0.00,USD,12345,km,,",
        'Golf,,2026-01-31,insurance,,612.40,USD,,km,12,"Allianz',
        'Policy 42"',
    ]


def test_it_restores_an_archive_written_before_costs(owner, costs, other_user):
    found = document(written(owner))
    del found["costs"]
    summary = archive.restore(user=other_user, file=zipped({archive.DOCUMENT: json.dumps(found)}))
    assert summary.costs == 0 and summary.vehicles == 2


def test_it_refuses_an_invalid_cost_and_saves_nothing(owner, costs, other_user):
    found = document(written(owner))
    found["costs"][1]["title"] = ""
    with pytest.raises(ImportFileError) as refused:
        archive.restore(user=other_user, file=zipped({archive.DOCUMENT: json.dumps(found)}))
    assert refused.value.message == (
        "Cost 2 of the archive: title: Say what this cost was: “Other” needs a title."
    )
    assert not Cost.objects.filter(user=other_user).exists()
