"""A first user with one of everything, and a second user with a vehicle of their own."""

import datetime as dt
from dataclasses import dataclass

import pytest
from django.utils import timezone

from conftest import make_fill_up
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from recalls.models import Campaign, VehicleRecall
from stations.models import FavoriteStation, Station
from vehicles.models import Vehicle


@pytest.fixture(autouse=True)
def http(mocked):
    """No request leaves the machine (the root conftest's `mocked`, for every test here). Tests
    register the answers they want on this mock."""
    return mocked


@dataclass
class World:
    vehicle: Vehicle
    deleted_vehicle: Vehicle
    log: FuelLog
    record: MaintenanceRecord
    station: Station
    favorite: FavoriteStation
    others_vehicle: Vehicle
    recall: VehicleRecall

    def fill_up(self, vehicle: Vehicle | None = None, **fields) -> dict:
        """A fuel-log form post that is valid for the owner's vehicle (unless `fields` say
        otherwise): the one date and odometer that fit after the world's log."""
        return {
            "vehicle": str((vehicle or self.vehicle).pk),
            "date": self.log.date.isoformat(),
            "odometer_reading": "42500",
            "gallons": "8",
            "price_per_gallon": "3.5",
            "is_full_tank": "on",
            **fields,
        }


@pytest.fixture
def world(owner, other_user, make_vehicle) -> World:
    today = timezone.localdate()
    vehicle = make_vehicle(owner, nickname="Daily driver", odometer_reading=42_000)
    deleted_vehicle = make_vehicle(owner, nickname="Old banger", deleted_at=timezone.now())
    # Says the fill-up before it was missed, so that clearing that (fuellogs:clear_missed) has
    # something to change.
    log = make_fill_up(
        vehicle,
        today - dt.timedelta(days=3),
        41_800,
        station_name="Shell Main St",
        missed_previous=True,
    )
    record = MaintenanceRecord.objects.create(
        user=owner,
        vehicle=vehicle,
        type="oil_change",
        due_date=today + dt.timedelta(days=10),
        interval_months=6,
    )
    station = Station.objects.create(name="Shell Main St", address="100 Main St")
    favorite = FavoriteStation.objects.create(user=owner, station=station, note="cheap")
    others_vehicle = make_vehicle(other_user, nickname="Bob's van", odometer_reading=10_000)
    campaign = Campaign.objects.create(
        make="HONDA", model="ACCORD", model_year=2010, campaign_number="19V901000", park_it=True
    )
    recall = VehicleRecall.objects.create(vehicle=vehicle, campaign=campaign)
    return World(vehicle, deleted_vehicle, log, record, station, favorite, others_vehicle, recall)
