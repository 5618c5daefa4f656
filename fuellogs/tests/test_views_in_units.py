"""The fuel pages for owners outside the US and vehicles in other units: numbers typed the
owner's way through the real form, the plausibility guard, and lists whose headings stay true
when an owner's vehicles differ in units."""

from decimal import Decimal

import pytest
from django.urls import reverse

from conftest import make_fill_up
from fuellogs.models import FuelLog
from fuellogs.tests.conftest import form_data
from vehicles.cache import invalidate_owner_caches

D = Decimal

GERMAN = {
    "locale": "de-DE",
    "currency": "EUR",
    "economy_unit": "l_100km",
    "electric_economy_unit": "kwh_100km",
}


def regional(client, **preferences):
    """Make the signed-in owner read pages with these regional preferences (as sign-in copies
    them from Preferences into the session)."""
    session = client.session
    session["regional"] = preferences
    session.save()
    return client


@pytest.fixture
def german_client(owner_client):
    return regional(owner_client, **GERMAN)


@pytest.fixture
def golf(owner, make_vehicle):
    return make_vehicle(
        owner, nickname="Golf", distance_unit="km", fuel_unit="l", odometer_reading=12_000
    )


def errors(response, name):
    return response.context["form"].errors.get(name)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


class TestTypedTheOwnersWay:
    def test_it_stores_a_decimal_comma_as_a_decimal_point(self, german_client, golf):
        response = german_client.post(
            "/fuel/add/",
            form_data(golf, odometer_reading="12.500", gallons="40,5", price_per_gallon="1,799"),
            follow=True,
        )
        log = FuelLog.objects.get()
        # 40.5 L at 1.799 comes to 72.8595: 72.86
        assert (log.odometer_reading, log.gallons, log.price_per_gallon, log.total_cost) == (
            12_500,
            D("40.500"),
            D("1.799"),
            D("72.86"),
        )
        assert messages_of(response) == [
            # The quantity as the list shows it (40,500), not as typed (40,5).
            "Logged 40,500 L for Golf on 01.06.2025. Total cost computed: 72,86\u00a0€. "
            "No economy yet: it is measured from this full tank to the next one."
        ]

    def test_it_reads_grouping_and_a_decimal_comma(self, german_client, golf):
        german_client.post(
            "/fuel/add/", form_data(golf, gallons="40,5", price_per_gallon="", total_cost="1.234,5")
        )
        log = FuelLog.objects.get()
        # 1234.50 / 40.5 = 30.4814...: 30.481 a liter
        assert (log.gallons, log.total_cost, log.price_per_gallon) == (
            D("40.500"),
            D("1234.50"),
            D("30.481"),
        )

    def test_it_refuses_what_it_cannot_read_and_quotes_it(self, german_client, golf):
        response = german_client.post("/fuel/add/", form_data(golf, gallons="40,5,3"))
        assert response.status_code == 200
        assert errors(response, "gallons") == [
            "MotoVault cannot read “40,5,3” as a number. Type it like 1.234,5."
        ]
        # Shown again as typed, for the owner to correct.
        assert 'value="40,5,3"' in response.content.decode()
        assert not FuelLog.objects.exists()

    def test_it_fills_the_edit_form_in_with_the_owners_separators(self, german_client, golf):
        log = make_fill_up(
            golf,
            "2025-05-01",
            12_100,
            gallons=D("40.500"),
            price_per_gallon=D("1.799"),
            total_cost=D("72.86"),
        )
        html = german_client.get(reverse("fuellogs:edit", args=[log.pk])).content.decode()
        assert 'value="40,5"' in html
        assert 'value="72,86"' in html
        assert 'inputmode="decimal"' in html
        assert 'type="number"' not in html
        assert "Golf currently reads 12.000 km." in html
        assert ">Liters</label>" in html
        assert ">Price per liter (€)</label>" in html
        assert ">Odometer (km)</label>" in html

    def test_it_names_the_units_in_the_rules_messages(self, german_client, golf):
        make_fill_up(golf, "2025-05-01", 12_400)
        response = german_client.post(
            "/fuel/add/",
            form_data(
                golf,
                odometer_reading="12300",
                gallons="40",
                price_per_gallon="1,8",
                total_cost="80",
            ),
        )
        assert errors(response, "odometer_reading") == [
            "Must be more than 12.400 km, the reading of your fill-up on 01.05.2025."
        ]
        assert errors(response, "total_cost") == [
            "40 L at 1,8\u00a0€ a liter comes to 72,00\u00a0€, more than 1 % away from "
            "80\u00a0€. Correct one of the three, or leave one blank and MotoVault computes it."
        ]


class TestPlausibility:
    @pytest.fixture
    def usual_40_liters(self, golf):
        for i in range(4):
            make_fill_up(golf, f"2025-0{i + 1}-01", 12_000 + 500 * i, gallons=D("40"))
        golf.odometer_reading = 13_500
        golf.save()
        return golf

    def test_it_asks_about_a_dropped_separator_then_saves_with_the_tick(
        self, german_client, usual_40_liters
    ):
        post = form_data(
            usual_40_liters, odometer_reading="14000", gallons="405", price_per_gallon="1,8"
        )
        response = german_client.post("/fuel/add/", post)
        # 405 L is more than three times the usual 40 L; of 40.5, 4.05 and 0.405, 40.5 is closest.
        assert errors(response, "gallons") == [
            "405 L is more than 3 times this vehicle's usual fill-up (40 L). Did you mean "
            "40,5 L? If 405 L is right, tick the box to confirm it."
        ]
        assert "Yes, 405 L is right" in response.content.decode()
        assert FuelLog.objects.count() == 4

        german_client.post("/fuel/add/", {**post, "confirm_quantity": "on"})
        assert FuelLog.objects.latest("date").gallons == D("405.000")

    def test_it_asks_about_more_than_the_largest_tank_without_history(self, owner_client, vehicle):
        response = owner_client.post("/fuel/add/", form_data(vehicle, gallons="150"))
        # No history: 150 gal is over the 80 gal plausible for a tank; 15 fits it.
        assert errors(response, "gallons") == [
            "150 gal is more than the largest tank MotoVault expects (80 gal). Did you mean "
            "15 gal? If 150 gal is right, tick the box to confirm it."
        ]
        assert not FuelLog.objects.exists()

    def test_it_questions_a_computed_quantity_too(self, owner_client, vehicle):
        # $350.00 at $3.500 a gallon: 100 gal, over the largest tank.
        response = owner_client.post(
            "/fuel/add/", form_data(vehicle, gallons="", total_cost="350.00")
        )
        assert "100.000 gal is more than the largest tank" in errors(response, "gallons")[0]

    def test_it_does_not_ask_about_a_normal_fill_up(self, german_client, usual_40_liters):
        response = german_client.post(
            "/fuel/add/",
            form_data(
                usual_40_liters, odometer_reading="14000", gallons="52,5", price_per_gallon="1,8"
            ),
        )
        assert response.status_code == 302
        assert "Yes, " not in german_client.get("/fuel/add/").content.decode()
        assert FuelLog.objects.latest("date").gallons == D("52.500")

    def test_it_does_not_ask_again_when_an_edit_leaves_the_quantity(
        self, german_client, usual_40_liters
    ):
        big = make_fill_up(usual_40_liters, "2025-06-01", 14_000, gallons=D("405"))
        response = german_client.post(
            reverse("fuellogs:edit", args=[big.pk]),
            form_data(
                usual_40_liters,
                odometer_reading="14000",
                gallons="405",
                price_per_gallon="1,8",
                notes="A tanker",
            ),
        )
        assert response.status_code == 302
        big.refresh_from_db()
        assert big.notes == "A tanker"

    def test_it_asks_when_an_edit_makes_the_quantity_implausible(
        self, german_client, usual_40_liters
    ):
        log = make_fill_up(usual_40_liters, "2025-06-01", 14_000, gallons=D("40"))
        response = german_client.post(
            reverse("fuellogs:edit", args=[log.pk]),
            form_data(
                usual_40_liters, odometer_reading="14000", gallons="4050", price_per_gallon="1,8"
            ),
        )
        # The usual fill-up leaves the log itself out: 40 L; 4050 / 100 = 40.5 is closest.
        assert "Did you mean 40,5 L?" in errors(response, "gallons")[0]
        log.refresh_from_db()
        assert log.gallons == D("40.000")

    def test_the_admin_is_not_asked(self, admin_client, vehicle):
        response = admin_client.post(
            "/admin/fuellogs/fuellog/add/", form_data(vehicle, gallons="150")
        )
        assert response.status_code == 302
        assert FuelLog.objects.get().gallons == D("150.000")


class TestList:
    def test_it_shows_a_german_owner_liters_and_l_per_100_km(self, german_client, golf):
        make_fill_up(golf, "2025-06-01", 12_000, gallons=D("40"))
        # 500 km on 40 L: 8.0 L/100 km
        make_fill_up(
            golf,
            "2025-06-10",
            12_500,
            gallons=D("40"),
            price_per_gallon=D("30.862"),
            total_cost=D("1234.50"),
        )
        html = german_client.get("/fuel/").content.decode()
        assert '<th scope="col" class="num">Liters</th>' in html
        assert '<th scope="col" class="num">Price/L</th>' in html
        assert '<th scope="col" class="num">L/100 km</th>' in html
        assert '<td class="num" data-label="L/100 km">8,0</td>' in html
        assert '<td class="num" data-label="Total">1.234,50\u00a0€</td>' in html
        assert '<td class="num" data-label="Price/L">30,862\u00a0€</td>' in html
        assert '<td class="num" data-label="Liters">40,000</td>' in html
        assert "12.500 km" in html
        assert "10.06.2025" in html
        assert "with the L/100 km of the segment it closes" in html

    def test_it_shows_a_us_owner_what_it_always_did(self, owner_client, make_log):
        make_log("2025-01-01", 10_000)
        make_log("2025-01-10", 10_300, total_cost=D("1234.50"))
        html = owner_client.get("/fuel/").content.decode()
        for heading in ("Gallons", "Price/gal", "MPG"):
            assert f'<th scope="col" class="num">{heading}</th>' in html
        assert '<td class="num" data-label="MPG">30.0</td>' in html
        assert '<td class="num" data-label="Total">$1,234.50</td>' in html
        assert '<td class="num" data-label="Price/gal">$3.000</td>' in html
        assert '<td class="num" data-label="Odometer">10,300 mi</td>' in html
        assert "Jan 10, 2025" in html
        assert "with the MPG of the segment it closes" in html

    def test_it_names_units_in_each_cell_when_vehicles_differ(
        self, owner_client, vehicle, golf, owner, make_vehicle, make_log
    ):
        make_fill_up(golf, "2025-06-01", 12_000, gallons=D("40"), price_per_gallon=D("1.8"))
        make_fill_up(golf, "2025-06-10", 12_500, gallons=D("40"), price_per_gallon=D("1.8"))
        make_log("2025-06-01", 42_000)
        html = owner_client.get("/fuel/").content.decode()
        # Gallons and liters: generic headings, the unit in each cell.
        assert '<th scope="col" class="num">Quantity</th>' in html
        assert '<th scope="col" class="num">Price</th>' in html
        assert '<td class="num" data-label="Quantity">40.000 L</td>' in html
        assert '<td class="num" data-label="Quantity">10.000 gal</td>' in html
        assert '<td class="num" data-label="Price">$1.800/L</td>' in html
        # Both read in MPG: 12.5 km/L is 29.4 MPG (US).
        assert '<td class="num" data-label="MPG">29.4</td>' in html

        make_vehicle(owner, nickname="Volt", fuel_unit="kwh")
        invalidate_owner_caches(owner.id)  # as adding it on the vehicles page does
        html = owner_client.get("/fuel/").content.decode()
        assert '<th scope="col" class="num">Economy</th>' in html
        assert '<td class="num" data-label="Economy">29.4 MPG</td>' in html
        # One vehicle chosen: its units again.
        html = owner_client.get("/fuel/", {"vehicle": str(golf.pk)}).content.decode()
        assert '<th scope="col" class="num">Liters</th>' in html

    @pytest.mark.parametrize("count", [5, 5000])
    def test_it_lists_a_german_owners_logs_in_as_many_queries(
        self, german_client, golf, many_logs, django_assert_num_queries, count
    ):
        many_logs(count, vehicle=golf)
        # As TestList.test_it_lists_in_a_fixed_number_of_queries: the units cost nothing.
        with django_assert_num_queries(9):
            response = german_client.get("/fuel/")
        assert len(response.context["rows"]) == min(count, 25)


class TestForm:
    def test_it_labels_generically_until_a_vehicle_in_other_units_is_chosen(
        self, owner_client, vehicle, golf
    ):
        html = owner_client.get("/fuel/add/").content.decode()
        assert ">Quantity</label>" in html
        assert ">Price per unit ($)</label>" in html
        assert ">Odometer</label>" in html
        # Each choice carries its units for static/js/fuellogs.js.
        assert 'data-quantity-label="Liters"' in html
        assert 'data-price-label="Price per liter ($)"' in html
        assert 'data-distance-unit="km"' in html
        assert 'data-quantity-label="Gallons"' in html

        html = owner_client.get("/fuel/add/", {"vehicle": str(golf.pk)}).content.decode()
        assert ">Liters</label>" in html
        assert "Golf currently reads 12,000 km." in html

    def test_it_labels_with_the_units_all_the_owners_vehicles_share(
        self, german_client, golf, owner, make_vehicle
    ):
        make_vehicle(owner, nickname="Polo", distance_unit="km", fuel_unit="l")
        html = german_client.get("/fuel/add/").content.decode()
        assert ">Liters</label>" in html
        assert ">Price per liter (€)</label>" in html
        assert ">Total cost (€)</label>" in html
        assert ">Odometer (km)</label>" in html

    @pytest.mark.parametrize("count", [1, 20])
    def test_it_serves_the_add_page_in_a_fixed_number_of_queries(
        self, owner_client, owner, make_vehicle, django_assert_num_queries, count
    ):
        for i in range(count):
            make_vehicle(owner, nickname=f"Car {i}")
        # session, user, the owner's vehicles (choices, units and the "add a vehicle first"
        # test, once), favorite stations, recent station names
        with django_assert_num_queries(5):
            owner_client.get("/fuel/add/")


class TestExportAdminAndText:
    def test_the_admin_lists_quantities_and_odometers_with_units(self, admin_client, golf):
        log = make_fill_up(golf, "2025-06-01", 12_000, gallons=D("40"))
        html = admin_client.get("/admin/fuellogs/fuellog/").content.decode()
        assert "40.000 L" in html
        assert "12,000 km" in html
        change = admin_client.get(f"/admin/fuellogs/fuellog/{log.pk}/change/").content.decode()
        assert "Liters" in change
        assert "Odometer (km)" in change

    def test_it_names_a_log_with_its_vehicles_units(self, golf, vehicle, make_log):
        assert str(make_fill_up(golf, "2025-06-01", 12_000, gallons=D("40"))) == (
            "2025-06-01 · 40 L at 12,000 km"
        )
        assert str(make_log("2025-06-01", 42_000)) == "2025-06-01 · 10.000 gal at 42,000 mi"
