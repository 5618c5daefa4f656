"""Journey 6: a second user never sees the first user's data, in lists or through copied URLs."""

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from motovault.tests.browser.conftest import log_in
from stations.models import FavoriteStation

pytestmark = pytest.mark.django_db(transaction=True)


def test_it_shows_a_second_user_none_of_the_first_users_data(page, garage, other_user):
    fill_up = FuelLog.objects.filter(vehicle=garage).first()
    oil_change = MaintenanceRecord.objects.get(vehicle=garage, type="oil_change")
    favorite = FavoriteStation.objects.get(station__name="Shell Main Street")
    # A station of the first user's own, from the name on their fill-ups (stations.linking).
    own = FavoriteStation.objects.get(station__owner=garage.user)
    log_in(page, "bob", PASSWORD)

    for path, empty in [
        ("/", "Add your first vehicle"),
        ("/vehicles/", "Add your first vehicle"),
        ("/fuel/", "Log your first fill-up"),
        ("/maintenance/", "No maintenance yet"),
        ("/maintenance/upcoming/", "Nothing is due"),
        ("/stations/", "No stations yet"),
    ]:
        page.goto(path)
        expect(page.get_by_role("heading", name=empty)).to_be_visible()
        for secret in (
            "Work truck",
            "Accord",
            "7ABC123",
            "Main Street Garage",
            "Cheapest on",
            "Costco",
        ):
            expect(page.locator("main")).not_to_contain_text(secret)

    for copied in [
        garage.get_absolute_url(),
        f"/vehicles/{garage.pk}/edit/",
        f"/vehicles/{garage.pk}/delete/",
        f"/fuel/{fill_up.pk}/edit/",
        f"/fuel/{fill_up.pk}/delete/",
        f"/fuel/export.csv?vehicle={garage.pk}",
        f"/maintenance/{oil_change.pk}/edit/",
        f"/maintenance/{oil_change.pk}/complete/",
        f"/maintenance/export.csv?vehicle={garage.pk}",
        f"/stations/favorites/{favorite.pk}/edit/",
        f"/stations/favorites/{favorite.pk}/delete/",
        # An address from before issue 13 moves to the new one, which refuses in the same way.
        f"/stations/favourites/{favorite.pk}/edit/",
        f"/stations/favorites/{own.pk}/edit/",
        f"/stations/favorites/{own.pk}/delete/",
    ]:
        response = page.goto(copied)
        assert response.status == 404, copied
        expect(page.get_by_role("heading", name="Page not found")).to_be_visible()
        expect(page.get_by_text("it belongs to another account")).to_be_visible()

    # A copied "Log fuel" link does not offer the first user's vehicle.
    page.goto(f"/fuel/add/?vehicle={garage.pk}")
    expect(page.get_by_role("heading", name="Add a vehicle first")).to_be_visible()
    page.goto(f"/maintenance/add/?vehicle={garage.pk}")
    expect(page.get_by_role("heading", name="Add a vehicle first")).to_be_visible()
