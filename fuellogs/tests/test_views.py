import datetime as dt
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from fuellogs.models import FuelLog
from fuellogs.tests.conftest import form_data
from stations.models import FavoriteStation, Station
from vehicles.cache import vehicle_list_key
from vehicles.models import Vehicle

D = Decimal


def field_errors(response, name):
    return response.context["form"].errors.get(name)


class TestList:
    def test_it_lists_the_owners_logs_newest_first_with_their_economy(self, owner_client, make_log):
        make_log("2025-01-01", 10_000)
        make_log("2025-01-10", 10_300)  # 30 mpg
        make_log("2025-01-12", 10_400, is_full_tank=False, station_name="Partial Stop")
        response = owner_client.get("/fuel/")
        rows = response.context["rows"]
        assert [log.odometer_reading for log, _ in rows] == [10_400, 10_300, 10_000]
        assert [mpg for _, mpg in rows] == [None, 30, None]
        html = response.content.decode()
        assert "30.0" in html
        assert "Partial Stop" in html
        assert "Partial</span>" in html

    def test_it_shows_neither_other_owners_logs_nor_deleted_vehicles(
        self, owner_client, other_user, make_vehicle, make_log, vehicle
    ):
        make_log("2025-01-01", 10_000, station_name="Mine")
        theirs = make_vehicle(other_user)
        make_log("2025-01-01", 10_000, vehicle=theirs, station_name="Theirs")
        gone = make_vehicle(vehicle.user, deleted_at=timezone.now())
        make_log("2025-01-01", 10_000, vehicle=gone, station_name="Deleted car")
        html = owner_client.get("/fuel/").content.decode()
        assert "Mine" in html
        assert "Theirs" not in html
        assert "Deleted car" not in html

    def test_it_filters_by_vehicle_and_dates(self, owner_client, owner, make_vehicle, make_log):
        other = make_vehicle(owner, nickname="Van")
        make_log("2025-01-01", 10_000, station_name="January")
        make_log("2025-02-01", 10_300, station_name="February")
        make_log("2025-02-02", 70_000, vehicle=other, station_name="Van fill")
        response = owner_client.get("/fuel/", {"date_from": "2025-01-15", "date_to": "2025-02-01"})
        assert [log.station_name for log, _ in response.context["rows"]] == ["February"]
        response = owner_client.get("/fuel/", {"vehicle": str(other.pk)})
        assert [log.station_name for log, _ in response.context["rows"]] == ["Van fill"]

    def test_it_reports_an_invalid_filter_and_ignores_it(
        self, owner_client, other_user, make_vehicle, make_log
    ):
        make_log("2025-01-01", 10_000, station_name="Mine")
        theirs = make_vehicle(other_user)
        response = owner_client.get(
            "/fuel/",
            {"vehicle": str(theirs.pk), "date_from": "2025-03-01", "date_to": "2025-01-01"},
        )
        html = response.content.decode()
        assert "Choose one of your vehicles." in html
        assert "The end date is before the start date." in html
        assert "No fill-ups match" in html

    def test_it_paginates_by_25(self, owner_client, many_logs):
        many_logs(30)
        first = owner_client.get("/fuel/")
        assert len(first.context["rows"]) == 25
        assert "Page 1 of 2" in first.content.decode()
        second = owner_client.get("/fuel/", {"page": 2})
        assert len(second.context["rows"]) == 5
        # Every row after the first full fill-up closes a 300 mi / 10 gal segment.
        assert [mpg for _, mpg in second.context["rows"]] == [30] * 4 + [None]

    def test_it_says_what_to_do_when_empty(self, owner_client):
        assert "Log your first fill-up" in owner_client.get("/fuel/").content.decode()

    @pytest.mark.parametrize("count", [5, 5000])
    def test_it_lists_in_a_fixed_number_of_queries(
        self, owner_client, many_logs, django_assert_num_queries, count, no_page_cache
    ):
        many_logs(count)
        # session, user, the owner's vehicles and deleted count (then cached for the vehicle
        # list), count, page (with vehicles), segment starts, economy rows of just those
        # segments, filter's vehicle choices
        with django_assert_num_queries(9):
            response = owner_client.get("/fuel/")
        assert len(response.context["rows"]) == min(count, 25)
        # Once the dashboard has cached the vehicle's statistics, they give the count.
        owner_client.get("/")
        with django_assert_num_queries(6):
            response = owner_client.get("/fuel/")
        assert response.context["page_obj"].paginator.count == count

    @pytest.mark.parametrize("count", [5, 5000])
    def test_the_vehicle_page_runs_a_fixed_number_of_queries(
        self, owner_client, vehicle, many_logs, django_assert_num_queries, count, no_page_cache
    ):
        many_logs(count)
        # session, user, vehicle, VIN details, fuel statistics (then cached), latest logs,
        # maintenance: schedule, readings (projection), recent services, spending per type,
        # per year; odometer readings (the latest, with their count); other costs: the latest,
        # their count and the year's total; recalls: the vehicle's, their last check; the
        # vehicle's files (its photo); the cost of ownership (fill-ups, services, other costs
        # per month, the lowest odometer reading, in one query)
        with django_assert_num_queries(18):
            response = owner_client.get(vehicle.get_absolute_url())
        assert response.context["fuel"]["stats"].fill_ups == count
        with django_assert_num_queries(17):
            owner_client.get(vehicle.get_absolute_url())

    def test_it_counts_pages_right_after_every_change_to_the_counted_logs(
        self, owner_client, owner, many_logs, make_vehicle, make_log
    ):
        many_logs(50)
        spare = make_vehicle(owner, nickname="Spare", odometer_reading=9_000)
        log = make_log("2025-01-01", 10_000, vehicle=spare)
        owner_client.get("/")  # caches both vehicles' statistics, 51 fill-ups
        assert "Page 1 of 3" in owner_client.get("/fuel/").content.decode()

        owner_client.post(reverse("fuellogs:delete", args=[log.pk]))
        assert "Page 1 of 2" in owner_client.get("/fuel/").content.decode()

        owner_client.post("/fuel/add/", form_data(spare, odometer_reading="10100"))
        owner_client.get("/")
        assert "Page 1 of 3" in owner_client.get("/fuel/").content.decode()

        owner_client.post(reverse("vehicles:delete", args=[spare.pk]))
        assert "Page 1 of 2" in owner_client.get("/fuel/").content.decode()
        # A date range is counted in the database.
        response = owner_client.get("/fuel/", {"date_from": "2010-01-01", "date_to": "2010-01-26"})
        assert "Page 1 of 2" in response.content.decode()


class TestAdd:
    def test_it_preselects_the_vehicle_and_shows_its_odometer(self, owner_client, vehicle):
        response = owner_client.get(
            "/fuel/add/", {"vehicle": str(vehicle.pk), "station_name": "Costco Gas"}
        )
        form = response.context["form"]
        assert form["vehicle"].value() == vehicle.pk
        assert form["station_name"].value() == "Costco Gas"
        html = response.content.decode()
        assert "Daily driver currently reads 42,000 mi." in html
        assert 'placeholder="42000"' in html
        assert 'data-odometer="42,000"' in html

    def test_it_ignores_a_vehicle_that_is_not_the_owners(
        self, owner_client, owner, vehicle, other_user, make_vehicle
    ):
        make_vehicle(owner, nickname="Van")  # two to choose from: none is preselected
        theirs = make_vehicle(other_user)
        for value in (str(theirs.pk), "not-a-uuid"):
            response = owner_client.get("/fuel/add/", {"vehicle": value})
            assert response.context["form"]["vehicle"].value() is None
            assert "Choose the vehicle to see its current reading." in response.content.decode()

    def test_it_preselects_the_only_active_vehicle(
        self, owner_client, owner, vehicle, make_vehicle
    ):
        make_vehicle(owner, nickname="Sold", is_active=False)
        response = owner_client.get("/fuel/add/")
        assert response.context["form"]["vehicle"].value() == vehicle.pk
        assert "Daily driver currently reads 42,000 mi." in response.content.decode()
        # Chosen in the link (the vehicle page's "Log fuel"), the link's stands.
        sold = Vehicle.objects.get(nickname="Sold")
        response = owner_client.get("/fuel/add/", {"vehicle": str(sold.pk)})
        assert response.context["form"]["vehicle"].value() == sold.pk
        # Two active vehicles: the owner chooses.
        make_vehicle(owner, nickname="Van")
        response = owner_client.get("/fuel/add/")
        assert response.context["form"]["vehicle"].value() is None
        assert "Choose the vehicle to see its current reading." in response.content.decode()

    def test_it_suggests_favorite_then_recent_station_names(
        self, owner_client, owner, other_user, make_log
    ):
        for name in ("Shell", "Costco Gas"):
            FavoriteStation.objects.create(user=owner, station=Station.objects.create(name=name))
        FavoriteStation.objects.create(
            user=other_user, station=Station.objects.create(name="Bob's Gas")
        )
        make_log("2025-01-01", 10_000, station_name="Arco")
        make_log("2025-01-05", 10_100, station_name="shell")
        make_log("2025-01-09", 10_200, station_name="Chevron")
        html = owner_client.get("/fuel/add/").content.decode()
        assert (
            '<datalist id="station-names"><option value="Costco Gas"></option>'
            '<option value="Shell"></option><option value="Chevron"></option>'
            '<option value="Arco"></option></datalist>'
        ) in html

    def test_it_suggests_no_station_only_a_deleted_vehicle_used(
        self, owner_client, owner, vehicle, make_vehicle
    ):
        sold = make_vehicle(owner, nickname="Sold")
        FuelLog.objects.create(
            vehicle=sold,
            date=dt.date(2025, 1, 1),
            odometer_reading=1_000,
            gallons=D("10"),
            station_name="Old Town Gas",
        )
        assert "Old Town Gas" in owner_client.get("/fuel/add/").content.decode()
        sold.soft_delete()
        assert "Old Town Gas" not in owner_client.get("/fuel/add/").content.decode()

    def test_it_stores_a_log_for_the_owner_and_raises_the_odometer(
        self, owner_client, owner, vehicle
    ):
        cache.set(vehicle_list_key(owner.id), ["stale"])
        response = owner_client.post("/fuel/add/", form_data(vehicle))
        assert response.status_code == 302
        assert response["Location"] == "/fuel/"
        log = FuelLog.objects.get()
        assert (log.user, log.vehicle, log.date) == (owner, vehicle, dt.date(2025, 6, 1))
        assert (log.gallons, log.price_per_gallon, log.total_cost) == (
            D("10.000"),
            D("3.500"),
            D("35.00"),
        )
        assert log.is_full_tank and not log.missed_previous
        vehicle.refresh_from_db()
        assert vehicle.odometer_reading == 43_000
        assert cache.get(vehicle_list_key(owner.id)) is None
        page = owner_client.get(response["Location"]).content.decode()
        assert (
            "Logged 10.000 gal for Daily driver on Jun 1, 2025. Total cost computed: $35.00."
            in page
        )

    def test_it_never_lowers_the_vehicles_odometer(self, owner_client, vehicle):
        owner_client.post("/fuel/add/", form_data(vehicle, odometer_reading="41000"))
        assert FuelLog.objects.get().odometer_reading == 41_000
        vehicle.refresh_from_db()
        assert vehicle.odometer_reading == 42_000

    def test_it_computes_gallons_from_price_and_total(self, owner_client, vehicle):
        owner_client.post(
            "/fuel/add/", form_data(vehicle, gallons="", price_per_gallon="3.299", total_cost="45")
        )
        assert FuelLog.objects.get().gallons == D("13.640")

    def test_it_returns_to_the_page_it_was_opened_from(self, owner_client, vehicle):
        target = f"/vehicles/{vehicle.pk}/"
        response = owner_client.post("/fuel/add/", {**form_data(vehicle), "next": target})
        assert response["Location"] == target
        response = owner_client.post(
            "/fuel/add/",
            {
                **form_data(vehicle, date="2025-06-02", odometer_reading="43100"),
                "next": "https://evil.example/",
            },
        )
        assert response["Location"] == "/fuel/"

    def test_it_refuses_another_users_vehicle(self, owner_client, other_user, make_vehicle):
        theirs = make_vehicle(other_user)
        response = owner_client.post("/fuel/add/", form_data(theirs))
        assert response.status_code == 200
        assert field_errors(response, "vehicle") == ["Choose one of your vehicles."]
        assert not FuelLog.objects.exists()

    def test_it_refuses_a_deleted_vehicle(self, owner_client, owner, make_vehicle):
        gone = make_vehicle(owner, deleted_at=timezone.now())
        response = owner_client.post("/fuel/add/", form_data(gone))
        assert field_errors(response, "vehicle") == ["Choose one of your vehicles."]
        assert not FuelLog.objects.exists()

    def test_it_refuses_a_date_in_the_future(self, owner_client, vehicle):
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        response = owner_client.post("/fuel/add/", form_data(vehicle, date=tomorrow.isoformat()))
        assert field_errors(response, "date") == ["The date cannot be in the future."]

    def test_it_names_the_neighboring_log_for_an_out_of_order_reading(
        self, owner_client, vehicle, make_log
    ):
        make_log("2025-05-01", 42_500)
        response = owner_client.post("/fuel/add/", form_data(vehicle, odometer_reading="42400"))
        assert field_errors(response, "odometer_reading") == [
            "Must be more than 42,500 mi, the reading of your fill-up on May 1, 2025."
        ]
        assert "Must be more than 42,500 mi" in response.content.decode()

    def test_it_reports_every_problem_at_once_and_keeps_the_hint(
        self, owner_client, vehicle, make_log
    ):
        make_log("2025-05-01", 42_500)
        response = owner_client.post(
            "/fuel/add/", form_data(vehicle, odometer_reading="100", total_cost="99")
        )
        assert set(response.context["form"].errors) == {"odometer_reading", "total_cost"}
        assert "Daily driver currently reads 42,000 mi." in response.content.decode()

    def test_it_says_what_it_computed_when_the_amounts_disagree(self, owner_client, vehicle):
        response = owner_client.post("/fuel/add/", form_data(vehicle, total_cost="40.00"))
        assert field_errors(response, "total_cost") == [
            "10.000 gal at $3.500 a gallon comes to $35.00, more than 1 % away from $40.00. "
            "Correct one of the three, or leave one blank and MotoVault computes it."
        ]

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("gallons", "100000", "The largest gallons MotoVault stores is 99,999.999."),
            ("gallons", "1.2345", "Enter the gallons with at most 3 decimal places."),
            ("gallons", "ten", "MotoVault cannot read “ten” as a number. Type it like 1,234.5."),
            ("gallons", "0", "Gallons must be more than 0."),
            (
                "price_per_gallon",
                "1000",
                "The largest price per gallon MotoVault stores is $999.999.",
            ),
            ("price_per_gallon", "-1", "The price per gallon cannot be negative."),
            ("odometer_reading", "-5", "The odometer cannot be negative."),
            (
                "odometer_reading",
                "10000000",
                "The largest reading MotoVault stores is 9,999,999 mi.",
            ),
        ],
    )
    def test_it_refuses_values_the_columns_cannot_hold(
        self, owner_client, vehicle, field, value, message
    ):
        response = owner_client.post("/fuel/add/", form_data(vehicle, **{field: value}))
        assert response.status_code == 200
        assert field_errors(response, field) == [message]
        assert not FuelLog.objects.exists()

    def test_it_refuses_a_total_beyond_the_column(self, owner_client, vehicle):
        response = owner_client.post(
            "/fuel/add/", form_data(vehicle, price_per_gallon="", total_cost="1000000")
        )
        assert field_errors(response, "total_cost") == [
            "The largest total cost MotoVault stores is $999,999.99."
        ]

    def test_it_asks_for_a_vehicle_first_when_the_owner_has_none(self, owner_client):
        assert "Add a vehicle first" in owner_client.get("/fuel/add/").content.decode()

    def test_it_stores_a_fill_up_posted_again_after_a_timeout_once(self, owner_client, vehicle):
        owner_client.post("/fuel/add/", form_data(vehicle), follow=True)
        response = owner_client.post("/fuel/add/", form_data(vehicle), follow=True)
        assert response.redirect_chain == [("/fuel/", 302)]
        assert [str(message) for message in response.context["messages"]] == [
            "This fill-up was already saved a moment ago; it was not added twice."
        ]
        assert FuelLog.objects.count() == 1

    def test_it_stores_the_same_fill_up_again_once_the_first_is_not_recent(
        self, owner_client, vehicle
    ):
        owner_client.post("/fuel/add/", form_data(vehicle))
        FuelLog.objects.update(created_at=timezone.now() - dt.timedelta(minutes=11))
        owner_client.post("/fuel/add/", form_data(vehicle))
        owner_client.post("/fuel/add/", form_data(vehicle, notes="A second fill-up"))
        assert FuelLog.objects.count() == 3


class TestEconomyInTheConfirmation:
    def confirmation(self, response):
        return [str(message) for message in response.context["messages"]]

    def test_it_states_the_economy_the_fill_up_closes(self, owner_client, vehicle, make_log):
        make_log("2025-05-01", 42_700)
        response = owner_client.post(
            "/fuel/add/", form_data(vehicle, odometer_reading="43012", gallons="10"), follow=True
        )
        assert self.confirmation(response) == [
            "Logged 10.000 gal for Daily driver on Jun 1, 2025. Total cost computed: $35.00. "
            "This fill-up closes 312 mi at 31.2 MPG."
        ]

    def test_it_counts_a_partial_fill_up_toward_the_next_full_tank(
        self, owner_client, vehicle, make_log
    ):
        make_log("2025-05-01", 42_700)
        make_log("2025-05-15", 42_850, gallons=D("4"), is_full_tank=False)
        response = owner_client.post("/fuel/add/", form_data(vehicle, is_full_tank=""), follow=True)
        assert self.confirmation(response)[0].endswith(
            "No economy yet: a partial fill-up counts toward the next full tank."
        )
        response = owner_client.post(
            "/fuel/add/",
            form_data(vehicle, date="2025-06-02", odometer_reading="43100", gallons="8"),
            follow=True,
        )
        # 400 mi on 4 + 10 + 8 gal
        assert self.confirmation(response)[0].endswith("This fill-up closes 400 mi at 18.2 MPG.")

    def test_it_says_why_the_first_fill_up_has_no_economy(self, owner_client, vehicle):
        response = owner_client.post("/fuel/add/", form_data(vehicle), follow=True)
        assert self.confirmation(response)[0].endswith(
            "No economy yet: it is measured from this full tank to the next one."
        )

    def test_it_says_why_a_fill_up_after_a_missed_one_has_no_economy(
        self, owner_client, vehicle, make_log
    ):
        make_log("2025-05-01", 42_700)
        response = owner_client.post(
            "/fuel/add/", form_data(vehicle, missed_previous="on"), follow=True
        )
        assert self.confirmation(response)[0].endswith(
            "No economy for this tank: the fill-up before it was missed, so the distance since"
            " the last one is unknown."
        )


class TestMissedThePreviousFillUp:
    @pytest.fixture
    def gap(self, make_log):
        """Fill-ups on May 1 and May 29; the second says the one between them was missed."""
        make_log("2025-05-01", 42_100)
        return make_log("2025-05-29", 42_700, gallons=D("20"), missed_previous=True)

    def test_it_has_one_name_on_the_form_the_list_and_the_vehicle_page(
        self, owner_client, vehicle, gap
    ):
        for page in ("/fuel/add/", "/fuel/", vehicle.get_absolute_url()):
            html = owner_client.get(page).content.decode()
            assert "Missed the previous fill-up" in html, page
            assert ">Gap<" not in html, page

    def test_it_offers_to_clear_it_once_the_missing_fill_up_is_logged(
        self, owner_client, vehicle, gap
    ):
        response = owner_client.post(
            "/fuel/add/",
            form_data(vehicle, date="2025-05-15", odometer_reading="42400"),
            follow=True,
        )
        offer = str(list(response.context["messages"])[-1])
        clear = reverse("fuellogs:clear_missed", args=[gap.pk])
        assert offer == (
            "The fill-up of May 29, 2025 says “Missed the previous fill-up”: if this is that "
            f'fill-up, <a href="{clear}?next=%2Ffuel%2F">clear it there</a>.'
        )
        assert offer in response.content.decode()
        # Offered, not done: the flag stays until the owner confirms.
        gap.refresh_from_db()
        assert gap.missed_previous
        rows = dict(owner_client.get("/fuel/").context["rows"])
        assert rows[gap] is None

        page = owner_client.get(clear, {"next": "/fuel/"})
        assert "Clear “Missed the previous fill-up”?" in page.content.decode()
        response = owner_client.post(clear, {"next": "/fuel/"}, follow=True)
        assert response.redirect_chain == [("/fuel/", 302)]
        gap.refresh_from_db()
        assert not gap.missed_previous
        # 300 mi on 20 gal
        assert [str(m) for m in response.context["messages"]] == [
            "Cleared “Missed the previous fill-up” on the fill-up of May 29, 2025. "
            "This fill-up closes 300 mi at 15.0 MPG."
        ]
        assert dict(response.context["rows"])[gap] == 15

    def test_it_recomputes_the_vehicles_cached_statistics_after_clearing(
        self, owner_client, vehicle, gap, make_log
    ):
        make_log("2025-05-15", 42_400)
        stats = owner_client.get(vehicle.get_absolute_url()).context["fuel"]["stats"]
        assert [segment.ratio for segment in stats.segments] == [30]
        owner_client.post(reverse("fuellogs:clear_missed", args=[gap.pk]))
        stats = owner_client.get(vehicle.get_absolute_url()).context["fuel"]["stats"]
        assert [segment.ratio for segment in stats.segments] == [30, 15]

    @pytest.mark.parametrize(
        ("date", "odometer"),
        [("2025-06-05", "42900"), ("2025-04-20", "42000")],
        ids=["after the flagged one", "before the one before the gap"],
    )
    def test_it_offers_nothing_for_a_fill_up_outside_the_gap(
        self, owner_client, vehicle, gap, date, odometer
    ):
        response = owner_client.post(
            "/fuel/add/", form_data(vehicle, date=date, odometer_reading=odometer), follow=True
        )
        assert len(list(response.context["messages"])) == 1
        assert "clear it there" not in response.content.decode()

    def test_it_changes_nothing_on_a_fill_up_that_does_not_say_it(
        self, owner_client, vehicle, make_log
    ):
        log = make_log("2025-05-01", 42_100)
        for method in ("get", "post"):
            response = getattr(owner_client, method)(
                reverse("fuellogs:clear_missed", args=[log.pk]), follow=True
            )
            assert response.redirect_chain == [("/fuel/", 302)]
            assert [str(m) for m in response.context["messages"]] == [
                "The fill-up of May 1, 2025 does not say “Missed the previous fill-up”."
            ]
        log.refresh_from_db()
        assert not log.missed_previous


class TestEditOneAmount:
    """The edit form shows the three amounts; the owner changes one of them."""

    def saved(self, owner_client, vehicle, **amounts):
        owner_client.post("/fuel/add/", form_data(vehicle, **amounts), follow=True)
        return FuelLog.objects.get()

    def edit(self, owner_client, log, **amounts):
        current = {
            "gallons": str(log.gallons),
            "price_per_gallon": str(log.price_per_gallon),
            "total_cost": str(log.total_cost),
        }
        return owner_client.post(
            f"/fuel/{log.pk}/edit/",
            form_data(log.vehicle, **{**current, **amounts}),
            follow=True,
        )

    def amounts(self, log):
        log.refresh_from_db()
        return (log.gallons, log.price_per_gallon, log.total_cost, log.computed_amount)

    def test_a_corrected_price_recomputes_the_computed_total(self, owner_client, vehicle):
        log = self.saved(owner_client, vehicle, total_cost="")
        assert log.computed_amount == "total_cost"
        response = self.edit(owner_client, log, price_per_gallon="3.759")
        assert self.amounts(log) == (D("10.000"), D("3.759"), D("37.59"), "total_cost")
        assert [str(m) for m in response.context["messages"]] == [
            "Saved 10.000 gal for Daily driver on Jun 1, 2025. Total cost computed: $37.59."
        ]

    def test_a_corrected_quantity_recomputes_the_computed_price(self, owner_client, vehicle):
        log = self.saved(owner_client, vehicle, price_per_gallon="", total_cost="35.00")
        assert self.amounts(log) == (D("10.000"), D("3.500"), D("35.00"), "price_per_gallon")
        self.edit(owner_client, log, gallons="12.5")
        assert self.amounts(log) == (D("12.500"), D("2.800"), D("35.00"), "price_per_gallon")

    def test_a_corrected_total_recomputes_the_computed_quantity(self, owner_client, vehicle):
        log = self.saved(owner_client, vehicle, gallons="", total_cost="35.00")
        self.edit(owner_client, log, total_cost="42.00")
        assert self.amounts(log) == (D("12.000"), D("3.500"), D("42.00"), "gallons")

    def test_without_a_computed_amount_the_total_follows_a_corrected_price(
        self, owner_client, vehicle, make_log
    ):
        # Stored with all three typed (or before MotoVault recorded which it computed).
        log = make_log("2025-05-01", 42_100)
        assert log.computed_amount == ""
        self.edit(owner_client, log, date="2025-05-01", price_per_gallon="3.5")
        assert self.amounts(log) == (D("10.000"), D("3.500"), D("35.00"), "total_cost")

    def test_it_still_refuses_three_amounts_typed_that_disagree(self, owner_client, vehicle):
        log = self.saved(owner_client, vehicle, total_cost="")
        response = self.edit(owner_client, log, price_per_gallon="4", total_cost="36")
        assert response.context["form"].errors["total_cost"] == [
            "10.000 gal at $4 a gallon comes to $40.00, more than 1 % away from $36. "
            "Correct one of the three, or leave one blank and MotoVault computes it."
        ]
        assert self.amounts(log) == (D("10.000"), D("3.500"), D("35.00"), "total_cost")

    def test_a_total_typed_over_the_computed_one_stands(self, owner_client, vehicle):
        log = self.saved(owner_client, vehicle, total_cost="")
        self.edit(owner_client, log, total_cost="35.20")
        assert self.amounts(log) == (D("10.000"), D("3.500"), D("35.20"), "")
        # From then on the three are typed ones: a corrected price moves the total again only
        # beyond 1 %.
        self.edit(owner_client, log, price_per_gallon="3.9")
        assert self.amounts(log) == (D("10.000"), D("3.900"), D("39.00"), "total_cost")

    def test_an_edit_of_something_else_keeps_what_was_computed(self, owner_client, vehicle):
        log = self.saved(owner_client, vehicle, price_per_gallon="", total_cost="35.00")
        self.edit(owner_client, log, notes="Receipt in the glovebox")
        assert self.amounts(log) == (D("10.000"), D("3.500"), D("35.00"), "price_per_gallon")


class TestEdit:
    def test_it_saves_changes_and_keeps_the_owner(self, owner_client, owner, vehicle, make_log):
        log = make_log("2025-05-01", 42_100)
        response = owner_client.post(
            f"/fuel/{log.pk}/edit/",
            form_data(vehicle, date="2025-05-01", odometer_reading="42150", gallons="12"),
        )
        assert response.status_code == 302
        log.refresh_from_db()
        assert (log.odometer_reading, log.gallons, log.total_cost) == (
            42_150,
            D("12.000"),
            D("42.00"),
        )
        assert log.user == owner

    def test_it_shows_the_form_with_the_logs_vehicle_odometer(self, owner_client, make_log):
        log = make_log("2025-05-01", 42_100)
        html = owner_client.get(f"/fuel/{log.pk}/edit/").content.decode()
        assert "Daily driver currently reads 42,000 mi." in html
        assert 'value="42100"' in html

    def test_it_checks_the_odometer_against_the_other_logs(self, owner_client, vehicle, make_log):
        make_log("2025-05-01", 42_100)
        log = make_log("2025-05-10", 42_400)
        response = owner_client.post(
            f"/fuel/{log.pk}/edit/", form_data(vehicle, date="2025-05-10", odometer_reading="42000")
        )
        assert field_errors(response, "odometer_reading") == [
            "Must be more than 42,100 mi, the reading of your fill-up on May 1, 2025."
        ]


class TestDelete:
    def test_it_asks_for_confirmation_then_deletes(self, owner_client, make_log):
        log = make_log("2025-05-01", 42_100, station_name="Shell on Main")
        html = owner_client.get(f"/fuel/{log.pk}/delete/").content.decode()
        assert "Delete this fill-up?" in html
        assert "Shell on Main" in html
        assert FuelLog.objects.exists()
        response = owner_client.post(f"/fuel/{log.pk}/delete/")
        assert response["Location"] == "/fuel/"
        assert not FuelLog.objects.exists()
        page = owner_client.get("/fuel/").content.decode()
        assert "Deleted the fill-up of May 1, 2025 for Daily driver." in page


class TestOtherOwners:
    @pytest.fixture
    def their_log(self, other_user, make_vehicle, make_log):
        return make_log("2025-05-01", 1_000, vehicle=make_vehicle(other_user))

    @pytest.mark.parametrize("name", ["edit", "delete", "clear_missed"])
    @pytest.mark.parametrize("method", ["get", "post"])
    def test_it_hides_another_users_log_on_every_url(self, owner_client, their_log, name, method):
        url = reverse(f"fuellogs:{name}", args=[their_log.pk])
        response = getattr(owner_client, method)(url, form_data(their_log.vehicle))
        assert response.status_code == 404
        their_log.refresh_from_db()
        assert their_log.odometer_reading == 1_000

    def test_it_hides_another_users_vehicle_from_the_export(self, owner_client, their_log):
        assert (
            owner_client.get("/fuel/export.csv", {"vehicle": their_log.vehicle_id}).status_code
            == 404
        )
        assert owner_client.get("/fuel/export.csv", {"vehicle": "nope"}).status_code == 404

    def test_it_hides_logs_of_a_deleted_vehicle(self, owner_client, vehicle, make_log):
        log = make_log("2025-05-01", 42_100)
        vehicle.deleted_at = timezone.now()
        vehicle.save()
        assert owner_client.get(f"/fuel/{log.pk}/edit/").status_code == 404
