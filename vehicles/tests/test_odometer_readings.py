"""Odometer readings: their rules (vehicles.rules, the date order shared with fill-ups), saving
under the vehicle's lock (vehicles.services), their pages, the vehicle page's panel, the admin
and the CSV export."""

import csv
import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from conftest import make_fill_up
from fuellogs.services import save_fuel_log
from motovault import l10n
from vehicles import readings, services
from vehicles.cache import vehicles_stamp
from vehicles.models import RESUBMISSION_WINDOW, AlreadySaved, OdometerReading, Vehicle
from vehicles.panels import vehicle_odometer_panel
from vehicles.rules import check_odometer


def make_reading(vehicle, date, odometer_reading, **fields) -> OdometerReading:
    """Store a reading directly (no rules)."""
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return OdometerReading.objects.create(
        vehicle=vehicle, date=date, odometer_reading=odometer_reading, **fields
    )


def days(n: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=n)


def messages(error: ValidationError) -> dict:
    return error.message_dict


class TestOrder:
    """One rule for readings and fill-ups: above every reading dated before, below every one
    dated after, in any order on the same day; whichever kind of record holds the reading."""

    @pytest.fixture
    def history(self, vehicle):
        return [
            make_fill_up(vehicle, "2025-03-01", 10_000),
            make_reading(vehicle, "2025-03-10", 10_300),
            make_fill_up(vehicle, "2025-03-20", 10_600),
        ]

    def test_it_accepts_a_reading_between_its_neighbors(self, vehicle, history):
        check_odometer(vehicle, dt.date(2025, 3, 15), 10_450)

    def test_it_names_the_earlier_reading_a_new_one_must_exceed(self, vehicle, history):
        with pytest.raises(ValidationError) as error:
            check_odometer(vehicle, dt.date(2025, 3, 15), 10_300)
        assert messages(error.value) == {
            "odometer_reading": [
                "Must be more than 10,300 mi, your odometer reading on Mar 10, 2025."
            ]
        }

    def test_it_names_the_later_fill_up_a_new_reading_must_stay_below(self, vehicle, history):
        with pytest.raises(ValidationError) as error:
            check_odometer(vehicle, dt.date(2025, 3, 15), 10_600)
        assert messages(error.value) == {
            "odometer_reading": [
                "Must be less than 10,600 mi, the reading of your fill-up on Mar 20, 2025."
            ]
        }

    def test_it_names_the_highest_earlier_reading_of_either_kind(self, vehicle, history):
        make_reading(vehicle, "2025-03-05", 10_900)  # out of order already: stored directly
        with pytest.raises(ValidationError) as error:
            check_odometer(vehicle, dt.date(2025, 3, 25), 10_700)
        assert "10,900 mi, your odometer reading on Mar 5, 2025" in str(error.value)

    def test_it_names_the_lowest_later_reading_of_either_kind(self, vehicle, history):
        with pytest.raises(ValidationError) as error:
            check_odometer(vehicle, dt.date(2025, 2, 1), 10_700)
        assert "Must be less than 10,000 mi, the reading of your fill-up on Mar 1" in str(
            error.value
        )

    def test_it_allows_readings_of_one_day_in_any_order(self, vehicle, history):
        check_odometer(vehicle, dt.date(2025, 3, 10), 10_250)
        check_odometer(vehicle, dt.date(2025, 3, 10), 10_350)
        check_odometer(vehicle, dt.date(2025, 3, 20), 10_500)

    def test_an_edit_is_not_compared_with_itself(self, vehicle, history):
        reading = history[1]
        check_odometer(vehicle, dt.date(2025, 3, 11), 10_001, exclude_pk=reading.pk)
        check_odometer(vehicle, dt.date(2025, 3, 19), 10_599, exclude_pk=reading.pk)
        with pytest.raises(ValidationError):
            check_odometer(vehicle, dt.date(2025, 3, 11), 10_001)

    def test_it_ignores_other_vehicles(self, owner, make_vehicle, history):
        check_odometer(make_vehicle(owner), dt.date(2025, 3, 15), 5)

    def test_it_names_the_vehicles_unit_and_the_owners_formats(self, owner, make_vehicle):
        golf = make_vehicle(owner, nickname="Golf", distance_unit="km")
        make_reading(golf, "2025-03-10", 123_456)
        german = l10n.Regional(locale="de-DE", currency="EUR")
        with l10n.override(german), pytest.raises(ValidationError) as error:
            check_odometer(golf, dt.date(2025, 3, 15), 100_000)
        assert "Must be more than 123.456 km, your odometer reading on 10.03.2025." in str(
            error.value
        )


class TestService:
    def test_it_saves_and_raises_the_odometer_never_lowers_it(self, vehicle):
        services.save_reading(
            OdometerReading(vehicle=vehicle, date=days(-1), odometer_reading=43_210)
        )
        vehicle.refresh_from_db()
        assert vehicle.odometer_reading == 43_210
        services.save_reading(
            OdometerReading(vehicle=vehicle, date=days(-30), odometer_reading=41_000)
        )
        vehicle.refresh_from_db()
        assert vehicle.odometer_reading == 43_210
        assert OdometerReading.objects.filter(vehicle=vehicle).count() == 2

    def test_it_checks_the_order_again_when_saving(self, vehicle):
        make_fill_up(vehicle, days(-5), 42_500)
        with pytest.raises(ValidationError):
            services.save_reading(
                OdometerReading(vehicle=vehicle, date=days(-1), odometer_reading=42_400)
            )
        assert not OdometerReading.objects.exists()

    def test_it_refuses_a_deleted_vehicle(self, owner, make_vehicle):
        gone = make_vehicle(owner, deleted_at=timezone.now())
        with pytest.raises(ValidationError) as error:
            services.save_reading(OdometerReading(vehicle=gone, date=days(0), odometer_reading=1))
        assert "restore it" in str(error.value)

    def test_it_stores_a_submission_sent_twice_once(self, vehicle):
        first = services.add_reading(
            OdometerReading(vehicle=vehicle, date=days(0), odometer_reading=42_100)
        )
        with pytest.raises(AlreadySaved) as again:
            services.add_reading(
                OdometerReading(vehicle=vehicle, date=days(0), odometer_reading=42_100)
            )
        assert again.value.record == first
        # After the window, the same values are a new reading (the same day, in any order).
        OdometerReading.objects.update(created_at=timezone.now() - RESUBMISSION_WINDOW)
        services.add_reading(
            OdometerReading(vehicle=vehicle, date=days(0), odometer_reading=42_100)
        )
        assert OdometerReading.objects.count() == 2

    def test_an_edit_of_a_reading_deleted_meanwhile_does_not_bring_it_back(self, vehicle):
        reading = make_reading(vehicle, days(-1), 42_100)
        OdometerReading.objects.filter(pk=reading.pk).delete()
        reading.odometer_reading = 42_200
        with pytest.raises(OdometerReading.DoesNotExist):
            services.save_reading(reading)
        assert not OdometerReading.objects.exists()

    def test_saving_and_deleting_renew_the_owners_stamp(self, owner, vehicle):
        before = vehicles_stamp(owner.pk)
        # Below the odometer: the vehicle does not change, what is projected from it does.
        reading = services.save_reading(
            OdometerReading(vehicle=vehicle, date=days(-30), odometer_reading=41_000)
        )
        saved = vehicles_stamp(owner.pk)
        assert saved != before
        services.delete_readings([reading])
        assert vehicles_stamp(owner.pk) != saved

    def test_deleting_leaves_the_odometer_where_it_is(self, vehicle):
        reading = services.save_reading(
            OdometerReading(vehicle=vehicle, date=days(0), odometer_reading=45_000)
        )
        services.delete_readings([reading])
        vehicle.refresh_from_db()
        assert vehicle.odometer_reading == 45_000


class TestFillUpsKeepTheOrderOfReadings:
    """The other direction: a fill-up is checked against the vehicle's odometer readings."""

    def test_the_fuel_form_refuses_a_fill_up_below_an_earlier_reading(self, owner_client, vehicle):
        make_reading(vehicle, days(-3), 43_000)
        response = owner_client.post(
            reverse("fuellogs:add"),
            {
                "vehicle": vehicle.pk,
                "date": days(-1).isoformat(),
                "odometer_reading": "42900",
                "gallons": "10",
                "price_per_gallon": "3",
                "is_full_tank": "on",
            },
        )
        assert response.status_code == 200
        page = response.content.decode()
        assert "Must be more than 43,000 mi, your odometer reading on" in page
        assert not vehicle.fuel_logs.exists()

    def test_a_fill_up_edit_is_checked_against_readings(self, vehicle):
        log = make_fill_up(vehicle, days(-10), 42_100)
        make_reading(vehicle, days(-5), 42_300)
        log.odometer_reading = 42_400
        with pytest.raises(ValidationError) as error:
            save_fuel_log(log)
        assert "Must be less than 42,300 mi, your odometer reading on" in str(error.value)


class TestReadingsFeedTheProjection:
    def test_a_reading_is_a_span_of_its_vehicle(self, owner, vehicle):
        Vehicle.objects.filter(pk=vehicle.pk).update(updated_at=timezone.now())
        make_reading(vehicle, days(-40), 40_000)
        span = readings.spans(owner.pk, days(-365))[vehicle.pk]
        assert (span.first_day, span.lowest, span.highest) == (days(-40), 40_000, 42_000)


class TestPages:
    def list_url(self, vehicle):
        return reverse("vehicles:odometer", args=[vehicle.pk])

    def test_it_lists_the_readings_newest_first(self, owner_client, vehicle):
        make_reading(vehicle, "2025-01-05", 40_000, notes="Winter tires on")
        make_reading(vehicle, "2025-06-05", 41_000)
        page = owner_client.get(self.list_url(vehicle)).content.decode()
        assert page.index("Jun 5, 2025") < page.index("Jan 5, 2025")
        assert "41,000 mi" in page and "Winter tires on" in page
        assert reverse("vehicles:export_readings", args=[vehicle.pk]) in page

    def test_it_says_what_to_do_without_readings(self, owner_client, vehicle):
        page = owner_client.get(self.list_url(vehicle)).content.decode()
        assert "Record your first reading" in page
        assert reverse("vehicles:add_reading", args=[vehicle.pk]) in page

    def test_it_pages_the_list_in_fixed_queries(
        self, owner_client, vehicle, django_assert_num_queries
    ):
        OdometerReading.objects.bulk_create(
            OdometerReading(
                user=vehicle.user, vehicle=vehicle, date=days(-300 + i), odometer_reading=i
            )
            for i in range(60)
        )
        # session, user, vehicle, count, page
        with django_assert_num_queries(5):
            response = owner_client.get(self.list_url(vehicle), {"page": 3})
        assert len(response.context["page_obj"]) == 10
        assert "Page 3 of 3" in response.content.decode()

    def test_the_form_starts_at_today_with_the_odometer_as_a_hint(self, owner_client, vehicle):
        response = owner_client.get(reverse("vehicles:add_reading", args=[vehicle.pk]))
        form = response.context["form"]
        assert form["date"].value() == timezone.localdate()
        assert form["odometer_reading"].value() is None
        page = response.content.decode()
        assert 'placeholder="42,000"' in page
        assert "Daily driver currently reads 42,000 mi." in page
        assert "Odometer (mi)" in page

    def test_it_adds_a_reading_typed_the_owners_way(self, owner_client, vehicle):
        response = owner_client.post(
            reverse("vehicles:add_reading", args=[vehicle.pk]),
            {"date": days(0).isoformat(), "odometer_reading": "52,310", "notes": ""},
            follow=True,
        )
        assert response.redirect_chain[-1][0] == self.list_url(vehicle)
        reading = OdometerReading.objects.get()
        assert (reading.odometer_reading, reading.user_id) == (52_310, vehicle.user_id)
        vehicle.refresh_from_db()
        assert vehicle.odometer_reading == 52_310
        assert "Recorded 52,310 mi for Daily driver on" in response.content.decode()

    def test_it_goes_back_to_the_vehicle_page_it_came_from(self, owner_client, vehicle):
        back = reverse("vehicles:detail", args=[vehicle.pk])
        response = owner_client.post(
            reverse("vehicles:add_reading", args=[vehicle.pk]),
            {"date": days(0).isoformat(), "odometer_reading": "42100", "next": back},
        )
        assert response["Location"] == back

    def test_it_shows_an_ordering_error_next_to_the_odometer(self, owner_client, vehicle):
        make_fill_up(vehicle, days(-2), 42_500)
        response = owner_client.post(
            reverse("vehicles:add_reading", args=[vehicle.pk]),
            {"date": days(0).isoformat(), "odometer_reading": "42400"},
        )
        assert response.context["form"].errors["odometer_reading"] == [
            f"Must be more than 42,500 mi, the reading of your fill-up on "
            f"{days(-2):%b} {days(-2).day}, {days(-2).year}."
        ]
        assert not OdometerReading.objects.exists()

    def test_it_refuses_a_future_date_and_one_before_the_vehicles_history(
        self, owner_client, vehicle
    ):
        url = reverse("vehicles:add_reading", args=[vehicle.pk])
        future = owner_client.post(url, {"date": days(1).isoformat(), "odometer_reading": "1"})
        assert future.context["form"].errors["date"] == ["The date cannot be in the future."]
        early = owner_client.post(url, {"date": "2001-05-01", "odometer_reading": "1"})
        assert "Daily driver is a 2010 model" in early.context["form"].errors["date"][0]
        assert not OdometerReading.objects.exists()

    def test_it_shows_what_a_record_saved_meanwhile_breaks(
        self, owner_client, vehicle, monkeypatch
    ):
        """The form's checks passed; inside the vehicle's lock, a fill-up saved meanwhile by
        another request breaks the order (services.save_reading raises): said on the form."""

        def saved_meanwhile(reading):
            raise ValidationError({"odometer_reading": "Must be more than 42,500 mi, ..."})

        monkeypatch.setattr(services, "add_reading", saved_meanwhile)
        response = owner_client.post(
            reverse("vehicles:add_reading", args=[vehicle.pk]),
            {"date": days(0).isoformat(), "odometer_reading": "42100"},
        )
        assert response.status_code == 200
        assert response.context["form"].errors["odometer_reading"] == [
            "Must be more than 42,500 mi, ..."
        ]

    def test_a_double_submission_is_stored_once(self, owner_client, vehicle):
        url = reverse("vehicles:add_reading", args=[vehicle.pk])
        data = {"date": days(0).isoformat(), "odometer_reading": "42100"}
        owner_client.post(url, data)
        response = owner_client.post(url, data, follow=True)
        assert OdometerReading.objects.count() == 1
        assert "already saved a moment ago" in response.content.decode()

    def test_it_edits_a_reading_without_comparing_it_with_itself(self, owner_client, vehicle):
        make_fill_up(vehicle, days(-10), 41_000)
        reading = make_reading(vehicle, days(-5), 41_500)
        make_fill_up(vehicle, days(-1), 42_000)
        url = reverse("vehicles:edit_reading", args=[reading.pk])
        response = owner_client.post(
            url, {"date": days(-5).isoformat(), "odometer_reading": "41600", "notes": "Fixed"}
        )
        assert response.status_code == 302
        reading.refresh_from_db()
        assert (reading.odometer_reading, reading.notes) == (41_600, "Fixed")
        refused = owner_client.post(
            url, {"date": days(-5).isoformat(), "odometer_reading": "42001"}
        )
        assert "Must be less than 42,000 mi" in refused.content.decode()

    def test_it_deletes_after_saying_the_odometer_stays(self, owner_client, vehicle):
        reading = make_reading(vehicle, days(-5), 41_500)
        url = reverse("vehicles:delete_reading", args=[reading.pk])
        page = owner_client.get(url).content.decode()
        assert "does not lower it" in page and "42,000 mi" in page
        response = owner_client.post(url)
        assert response["Location"] == self.list_url(vehicle)
        assert not OdometerReading.objects.exists()
        vehicle.refresh_from_db()
        assert vehicle.odometer_reading == 42_000

    def test_another_owners_reading_is_a_404_everywhere(self, other_client, vehicle):
        reading = make_reading(vehicle, days(-5), 41_500)
        for url in (
            self.list_url(vehicle),
            reverse("vehicles:add_reading", args=[vehicle.pk]),
            reverse("vehicles:export_readings", args=[vehicle.pk]),
            reverse("vehicles:edit_reading", args=[reading.pk]),
            reverse("vehicles:delete_reading", args=[reading.pk]),
        ):
            assert other_client.get(url).status_code == 404, url
            assert other_client.post(url, {"odometer_reading": "1"}).status_code in (404, 405)
        assert OdometerReading.objects.get().odometer_reading == 41_500


class TestPanel:
    def test_it_shows_the_latest_five_and_the_count(self, owner_client, vehicle):
        for i in range(7):
            make_reading(vehicle, days(-10 + i), 41_000 + i * 100)
        response = owner_client.get(vehicle.get_absolute_url())
        panel = response.context["odometer"]
        assert [row["odometer_reading"] for row in panel["latest"]] == [
            41_600,
            41_500,
            41_400,
            41_300,
            41_200,
        ]
        page = response.content.decode()
        assert "All readings (7)" in page
        assert "41,100 mi" not in page
        assert "vehicles/_odometer_panel.html" in [t.name for t in response.templates]
        assert page.index('id="maintenance-panel-title"') < page.index('id="odometer-panel-title"')

    def test_it_says_what_a_reading_is_without_any(self, owner_client, vehicle):
        page = owner_client.get(vehicle.get_absolute_url()).content.decode()
        assert "No readings yet." in page and "All readings" not in page

    @pytest.mark.parametrize("count", [0, 300])
    def test_it_costs_one_query_however_many_readings(
        self, vehicle, count, django_assert_num_queries
    ):
        OdometerReading.objects.bulk_create(
            OdometerReading(
                user=vehicle.user, vehicle=vehicle, date=days(-400 + i), odometer_reading=i
            )
            for i in range(count)
        )
        with django_assert_num_queries(1):
            panel = vehicle_odometer_panel(vehicle)
        assert panel["count"] == count
        assert len(panel["latest"]) == min(count, 5)

    def test_the_vehicle_page_stays_flat_with_300_readings(
        self, owner_client, vehicle, django_assert_num_queries, no_page_cache
    ):
        owner_client.get(vehicle.get_absolute_url())  # caches the fuel statistics
        # session, user, vehicle, VIN details, latest fill-ups, maintenance (5), odometer
        # readings (1), other costs (2), recalls (2), the vehicle's files, the cost of
        # ownership (1)
        with django_assert_num_queries(17):
            owner_client.get(vehicle.get_absolute_url())
        OdometerReading.objects.bulk_create(
            OdometerReading(
                user=vehicle.user, vehicle=vehicle, date=days(-400 + i), odometer_reading=i
            )
            for i in range(300)
        )
        with django_assert_num_queries(17):
            page = owner_client.get(vehicle.get_absolute_url()).content.decode()
        assert "All readings (300)" in page


class TestExport:
    def test_it_exports_the_vehicles_readings_oldest_first(self, owner_client, vehicle):
        make_reading(vehicle, "2025-06-05", 41_000, notes="=HYPERLINK()")
        make_reading(vehicle, "2025-01-05", 40_000)
        response = owner_client.get(reverse("vehicles:export_readings", args=[vehicle.pk]))
        assert response["Content-Type"] == "text/csv; charset=utf-8"
        assert "motovault-odometer-daily-driver-" in response["Content-Disposition"]
        body = b"".join(response.streaming_content).decode("utf-8-sig")
        rows = list(csv.reader(io.StringIO(body)))
        assert rows == [
            ["vehicle", "vin", "date", "odometer", "distance_unit", "notes"],
            ["Daily driver", vehicle.vin, "2025-01-05", "40000", "mi", ""],
            ["Daily driver", vehicle.vin, "2025-06-05", "41000", "mi", "'=HYPERLINK()"],
        ]

    @pytest.mark.parametrize("count", [3, 300])
    def test_it_streams_in_fixed_queries(
        self, owner_client, vehicle, count, django_assert_num_queries
    ):
        OdometerReading.objects.bulk_create(
            OdometerReading(
                user=vehicle.user, vehicle=vehicle, date=days(-400 + i), odometer_reading=i
            )
            for i in range(count)
        )
        url = reverse("vehicles:export_readings", args=[vehicle.pk])
        # session, user, vehicle; the export's vehicles, readings
        with django_assert_num_queries(5):
            body = b"".join(owner_client.get(url).streaming_content)
        assert body.count(b"\r\n") == count + 1


class TestAdmin:
    URL = "/admin/vehicles/odometerreading/"

    def test_it_saves_with_the_vehicles_owner_and_raises_the_odometer(
        self, admin_client, owner, vehicle
    ):
        response = admin_client.post(
            self.URL + "add/",
            {"vehicle": vehicle.pk, "date": days(0).isoformat(), "odometer_reading": "43000"},
        )
        assert response.status_code == 302
        assert OdometerReading.objects.get().user == owner
        vehicle.refresh_from_db()
        assert vehicle.odometer_reading == 43_000

    def test_it_applies_the_same_rules(self, admin_client, owner, vehicle, make_vehicle):
        make_fill_up(vehicle, days(-3), 44_000)
        response = admin_client.post(
            self.URL + "add/",
            {"vehicle": vehicle.pk, "date": days(0).isoformat(), "odometer_reading": "43000"},
        )
        assert "Must be more than 44,000 mi" in response.content.decode()
        gone = make_vehicle(owner, deleted_at=timezone.now())
        refused = admin_client.post(
            self.URL + "add/",
            {"vehicle": gone.pk, "date": days(0).isoformat(), "odometer_reading": "1"},
        )
        assert refused.status_code == 200
        assert not OdometerReading.objects.exists()

    def test_it_lists_and_filters_by_vehicle(self, admin_client, vehicle):
        make_reading(vehicle, "2025-01-05", 40_000)
        page = admin_client.get(self.URL).content.decode()
        assert "40,000 mi" in page and "Daily driver" in page
        assert admin_client.get(self.URL, {"q": vehicle.vin}).context["cl"].result_count == 1
        assert admin_client.get(self.URL, {"q": "nothing"}).context["cl"].result_count == 0

    def test_it_deletes_without_lowering_the_odometer(self, admin_client, vehicle):
        reading = make_reading(vehicle, "2025-01-05", 40_000)
        response = admin_client.post(self.URL + f"{reading.pk}/delete/", {"post": "yes"})
        assert response.status_code == 302
        assert not OdometerReading.objects.exists()
        vehicle.refresh_from_db()
        assert vehicle.odometer_reading == 42_000
