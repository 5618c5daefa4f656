"""One way to fetch an owner's object or answer 404 (motovault.ownership), the same for every
model an owner has: the owner's own, never another owner's or a deleted one, and a malformed
key is a 404 too, not an error."""

import datetime as dt
from decimal import Decimal

import pytest
from django.http import Http404

from api.models import ApiToken
from costs.models import Cost
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from stations.models import FavoriteStation, Station
from vehicles.models import OdometerReading, Vehicle

MALFORMED = ["not-a-uuid", "12abc", "", None, "1; DROP TABLE vehicles"]


def owned_by(user, make_vehicle):
    """One object of each model, owned by `user`."""
    vehicle = make_vehicle(user)
    station, _ = Station.objects.get_or_create(name="Shell on Main")
    return {
        Vehicle: vehicle,
        FuelLog: FuelLog.objects.create(
            vehicle=vehicle, date=dt.date(2025, 1, 1), odometer_reading=42_100, gallons=10
        ),
        MaintenanceRecord: MaintenanceRecord.objects.create(
            vehicle=vehicle, type="battery", due_mileage=50_000, cost=Decimal("99")
        ),
        FavoriteStation: FavoriteStation.objects.create(user=user, station=station),
        ApiToken: ApiToken.issue(user, "Home Assistant", read_only=True)[0],
        OdometerReading: OdometerReading.objects.create(
            vehicle=vehicle, date=dt.date(2025, 1, 2), odometer_reading=42_200
        ),
        Cost: Cost.objects.create(
            vehicle=vehicle, category="insurance", date=dt.date(2025, 1, 1), amount=Decimal("9")
        ),
    }


MODELS = [Vehicle, FuelLog, MaintenanceRecord, FavoriteStation, ApiToken, OdometerReading, Cost]


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_it_fetches_the_owners_object_by_its_key_in_any_form(model, owner, make_vehicle):
    mine = owned_by(owner, make_vehicle)[model]
    assert model.objects.owned_or_404(owner, mine.pk) == mine
    assert model.objects.owned_or_404(owner, str(mine.pk)) == mine


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
def test_it_answers_404_for_another_owners_object(model, owner, other_user, make_vehicle):
    theirs = owned_by(other_user, make_vehicle)[model]
    with pytest.raises(Http404):
        model.objects.owned_or_404(owner, theirs.pk)


@pytest.mark.parametrize("model", MODELS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("pk", MALFORMED)
def test_it_answers_404_for_a_malformed_key(model, pk, owner, make_vehicle):
    owned_by(owner, make_vehicle)
    with pytest.raises(Http404):
        model.objects.owned_or_404(owner, pk)


@pytest.mark.parametrize("model", [Vehicle, FuelLog, MaintenanceRecord, OdometerReading, Cost])
def test_it_answers_404_once_the_vehicle_is_deleted(model, owner, make_vehicle):
    objects = owned_by(owner, make_vehicle)
    objects[Vehicle].soft_delete()
    with pytest.raises(Http404):
        model.objects.owned_or_404(owner, objects[model].pk)


def test_it_keeps_what_the_queryset_selects(owner, make_vehicle, django_assert_num_queries):
    log = owned_by(owner, make_vehicle)[FuelLog]
    with django_assert_num_queries(1):
        fetched = FuelLog.objects.select_related("vehicle").owned_or_404(owner, log.pk)
        assert fetched.vehicle.display_name


def test_it_answers_404_on_the_export_pages_for_a_malformed_vehicle(owner_client):
    for url in ("/fuel/export.csv", "/maintenance/export.csv", "/costs/export.csv"):
        assert owner_client.get(url, {"vehicle": "not-a-uuid"}).status_code == 404
