"""Fill-ups and the owner's stations: each fill-up that names a station is linked to the owner's
station of that name (stations.linking), and the stations page and the fuel form show the prices
paid there."""

import datetime as dt
from decimal import Decimal as D

import pytest
from django.utils import timezone
from django.utils.html import escape

from accounts.models import Preferences
from conftest import make_fill_up
from fuellogs.models import FuelLog
from fuellogs.services import link_stations
from fuellogs.tests.conftest import form_data
from motovault.erase import delete_account
from stations.models import FavoriteStation, Station
from vehicles.models import Vehicle


def log_fuel(client, vehicle, **fields):
    response = client.post("/fuel/add/", form_data(vehicle, **fields))
    assert response.status_code == 302, response.content.decode()
    return FuelLog.objects.order_by("-created_at").first()


def test_it_makes_a_named_station_one_of_the_owners_stations(owner_client, owner, vehicle):
    log = log_fuel(owner_client, vehicle, station_name="  Shell   on Main ")

    station = Station.objects.get()
    assert log.station == station
    assert (station.name, station.owner) == ("Shell on Main", owner)
    assert FavoriteStation.objects.get().station == station
    page = owner_client.get("/stations/").content.decode()
    assert "Shell on Main" in page


def test_it_links_the_same_name_spaces_and_case_aside_to_one_station(owner_client, vehicle):
    first = log_fuel(owner_client, vehicle, station_name="Shell on Main")
    second = log_fuel(
        owner_client, vehicle, station_name="shell  ON main", odometer_reading="43300"
    )

    assert Station.objects.count() == 1
    assert first.station_id == second.station_id is not None


def test_it_links_a_name_to_the_station_the_app_folds_it_to(owner_client, owner, vehicle):
    station = Station.objects.create(owner=owner, name="izmir petrol")
    FavoriteStation.objects.create(user=owner, station=station)

    log_fuel(owner_client, vehicle, station_name="IZMIR  PETROL")

    assert FuelLog.objects.get().station == station


def test_it_links_to_a_saved_shared_station_of_that_name(owner_client, owner, vehicle):
    shared = Station.objects.create(name="Shell on Main", google_place_id="ChIJshell")
    FavoriteStation.objects.create(user=owner, station=shared)

    log = log_fuel(owner_client, vehicle, station_name="SHELL ON MAIN")

    assert log.station == shared
    assert Station.objects.count() == 1


def test_it_keeps_each_owners_stations_apart(
    owner_client, other_client, vehicle, other_user, make_vehicle
):
    theirs = make_vehicle(other_user)
    mine = log_fuel(owner_client, vehicle)
    other = log_fuel(other_client, theirs)

    assert mine.station != other.station
    assert other.station.owner == other_user


def test_it_links_no_station_for_a_blank_name(owner_client, vehicle):
    log = log_fuel(owner_client, vehicle, station_name="")

    assert log.station is None
    assert not Station.objects.exists()


def test_it_relinks_a_renamed_fill_up_and_keeps_the_link_of_an_unchanged_name(
    owner_client, vehicle
):
    log = log_fuel(owner_client, vehicle, station_name="Shell on Main")
    station = log.station
    # The owner renames their station; the fill-up still names it the old way.
    Station.objects.filter(pk=station.pk).update(name="Shell Main Street")
    owner_client.post(f"/fuel/{log.pk}/edit/", form_data(vehicle, notes="Edited"))
    log.refresh_from_db()
    assert log.station == station

    owner_client.post(f"/fuel/{log.pk}/edit/", form_data(vehicle, station_name="Arco"))
    log.refresh_from_db()
    assert log.station.name == "Arco"
    owner_client.post(f"/fuel/{log.pk}/edit/", form_data(vehicle, station_name=""))
    log.refresh_from_db()
    assert log.station is None


def test_it_relinks_a_fill_up_moved_to_another_owners_vehicle_to_their_station(
    admin_client, owner_client, owner, vehicle, other_user, other_client, make_vehicle
):
    log = log_fuel(
        owner_client, vehicle, station_name="Shell on Main", date=str(timezone.localdate())
    )
    theirs = make_vehicle(other_user)

    # Staff move the fill-up to the other owner's vehicle; its station name is unchanged.
    response = admin_client.post(
        f"/admin/fuellogs/fuellog/{log.pk}/change/",
        form_data(theirs, station_name="Shell on Main", date=str(timezone.localdate())),
    )

    assert response.status_code == 302
    log.refresh_from_db()
    assert log.station.owner == other_user
    assert log.station.favorites.get().user == other_user
    # The price shows at the station of the owner it was paid by now, not at the first one's.
    theirs_page = other_client.get("/stations/").content.decode()
    assert "Last paid" in theirs_page
    assert "Cheapest you paid" in theirs_page
    assert "Last paid" not in owner_client.get("/stations/").content.decode()


def test_it_leaves_a_fill_up_unlinked_once_the_owner_deleted_its_station(owner_client, vehicle):
    log = log_fuel(owner_client, vehicle, station_name="Shell")
    favorite = FavoriteStation.objects.get()
    owner_client.post(f"/stations/favorites/{favorite.pk}/delete/")
    assert not Station.objects.exists()

    owner_client.post(f"/fuel/{log.pk}/edit/", form_data(vehicle, station_name="Shell", notes="Hm"))

    log.refresh_from_db()
    assert (log.station, log.station_name, log.notes) == (None, "Shell", "Hm")
    assert not Station.objects.exists()
    # A changed name links again.
    owner_client.post(f"/fuel/{log.pk}/edit/", form_data(vehicle, station_name="Shell Main St"))
    log.refresh_from_db()
    assert log.station.name == "Shell Main St"


def test_it_links_fill_ups_saved_in_bulk_one_update_per_name(
    owner, vehicle, many_logs, django_assert_max_num_queries
):
    many_logs(70)  # seven names, "Station 0" to "Station 6"
    FuelLog.objects.filter(station_name="Station 3").update(station_name=" station  3")

    # The names, the owner's saved stations, the new stations, them again, their favorites,
    # and one UPDATE per name.
    with django_assert_max_num_queries(5 + 7):
        link_stations(owner, FuelLog.objects.all())

    assert not FuelLog.objects.filter(station__isnull=True).exists()
    assert Station.objects.filter(owner=owner).count() == 7
    assert FavoriteStation.objects.filter(user=owner).count() == 7
    assert FuelLog.objects.filter(station__name__iexact="station 3").count() == 10


def test_it_deletes_the_owners_own_stations_with_the_account(
    owner, vehicle, other_user, owner_client
):
    log_fuel(owner_client, vehicle)
    shared = Station.objects.create(name="Shared")
    FavoriteStation.objects.create(user=owner, station=shared)

    delete_account(owner)

    assert list(Station.objects.all()) == [shared]


def test_it_keeps_the_stations_of_a_deleted_vehicle(owner_client, owner, vehicle):
    log = log_fuel(owner_client, vehicle)
    owner_client.post(f"/vehicles/{vehicle.pk}/delete/")

    log.refresh_from_db()
    assert log.station.favorites.get().user == owner
    assert owner_client.get("/stations/").status_code == 200


@pytest.fixture
def golf(owner, make_vehicle):
    return make_vehicle(owner, nickname="Golf", vin="", distance_unit="km", fuel_unit="l")


def german(client, owner):
    Preferences.objects.update_or_create(
        user=owner, defaults={"locale": "de-DE", "currency": "EUR"}
    )
    client.force_login(owner)  # the session carries the preferences


def german_day(date):
    """How the stations page dates a price for a German owner: without the year in this year."""
    today = timezone.localdate()
    return f"{date:%-d %b}" if date.year == today.year else f"{date:%d.%m.%Y}"


def own_station(owner, name):
    station = Station.objects.create(owner=owner, name=name)
    FavoriteStation.objects.create(user=owner, station=station)
    return station


def test_it_shows_the_latest_price_paid_at_each_station_and_the_cheapest(client, owner, golf):
    german(client, owner)
    today = timezone.localdate()
    shell, aral = own_station(owner, "Shell Hauptstr"), own_station(owner, "Aral Ring")
    make_fill_up(golf, today - dt.timedelta(days=40), 100, price_per_gallon=D("1.5"), station=aral)
    make_fill_up(
        golf, today - dt.timedelta(days=20), 200, price_per_gallon=D("1.699"), station=shell
    )
    make_fill_up(
        golf, today - dt.timedelta(days=2), 300, price_per_gallon=D("1.739"), station=shell
    )

    html = client.get("/stations/").content.decode()

    day = german_day(today - dt.timedelta(days=2))
    cheap_day = german_day(today - dt.timedelta(days=20))
    old_day = german_day(today - dt.timedelta(days=40))
    assert f"Last paid <strong>1,739\N{NO-BREAK SPACE}€/L on {day}</strong>" in html
    assert f"Last paid <strong>1,500\N{NO-BREAK SPACE}€/L on {old_day}</strong>" in html
    # The 1.500 € of 40 days ago is older than the last 30 days.
    assert (
        "Cheapest you paid in the last 30 days: "
        f"<strong>1,699\N{NO-BREAK SPACE}€/L on {cheap_day}</strong> at Shell Hauptstr."
    ) in html


def test_it_dates_a_price_of_another_year_with_the_year(client, owner, golf):
    german(client, owner)
    shell = own_station(owner, "Shell Hauptstr")
    last_year = dt.date(timezone.localdate().year - 1, 6, 1)
    make_fill_up(golf, last_year, 100, price_per_gallon=D("1.5"), station=shell)

    html = client.get("/stations/").content.decode()

    assert (
        f"Last paid <strong>1,500\N{NO-BREAK SPACE}€/L on 01.06.{last_year.year}</strong>" in html
    )


def test_it_shows_no_free_fill_nor_a_deleted_vehicles_as_the_last_price_paid(
    client, owner, golf, make_vehicle
):
    german(client, owner)
    today = timezone.localdate()
    shell, aral = own_station(owner, "Shell Hauptstr"), own_station(owner, "Aral Ring")
    make_fill_up(golf, today - dt.timedelta(days=5), 100, price_per_gallon=D("1.5"), station=shell)
    make_fill_up(golf, today, 200, price_per_gallon=D("0"), station=shell)
    sold = make_vehicle(owner, nickname="Sold", vin="", fuel_unit="l")
    make_fill_up(sold, today, 300, price_per_gallon=D("1.2"), station=aral)
    Vehicle.objects.filter(pk=sold.pk).update(deleted_at=timezone.now())

    html = client.get("/stations/").content.decode()

    shown = german_day(today - dt.timedelta(days=5))
    assert f"Last paid <strong>1,500\N{NO-BREAK SPACE}€/L on {shown}</strong>" in html
    assert html.count("Last paid") == 1


def test_it_labels_the_fuel_forms_station_suggestions_with_prices(client, owner, golf):
    german(client, owner)
    today = timezone.localdate()
    shell, aral = own_station(owner, "Shell Hauptstr"), own_station(owner, "Aral Ring")
    make_fill_up(golf, today - dt.timedelta(days=3), 100, price_per_gallon=D("1.799"), station=aral)
    make_fill_up(
        golf, today - dt.timedelta(days=2), 200, price_per_gallon=D("1.739"), station=shell
    )
    own_station(owner, "Esso Nord")

    html = client.get("/fuel/add/").content.decode()

    day = german_day(today - dt.timedelta(days=2))
    aral_day = german_day(today - dt.timedelta(days=3))
    aral = f"Aral Ring — 1,799\N{NO-BREAK SPACE}€/L on {aral_day}"
    assert f'<option value="Aral Ring" label="{aral}">' in html
    assert '<option value="Esso Nord"></option>' in html
    assert (
        '<option value="Shell Hauptstr" label="Shell Hauptstr — '
        f'1,739\N{NO-BREAK SPACE}€/L on {day}, cheapest in 30 days">'
    ) in html


@pytest.mark.parametrize("stations", [1, 25])
def test_it_serves_the_stations_page_with_prices_in_a_fixed_number_of_queries(
    owner_client, owner, vehicle, golf, django_assert_num_queries, stations
):
    today = timezone.localdate()
    for number in range(stations):
        station = own_station(owner, f"Station {number:02d}")
        for day in range(4):
            car = golf if day % 2 else vehicle
            make_fill_up(car, today - dt.timedelta(days=day), 1_000 * number + day, station=station)

    # Session, user, count, the page of favorites, the latest prices at them, the cheapest.
    with django_assert_num_queries(6):
        html = owner_client.get("/stations/").content.decode()

    assert html.count("Last paid") == stations
    # One cheapest per unit the owner buys in: per gallon and per liter.
    assert html.count("Cheapest you paid") == 2


def test_it_logs_fuel_at_a_search_result_by_saving_the_station_first(
    owner_client, owner, vehicle, settings
):
    settings.GOOGLE_MAPS_API_KEY = ""
    name = "Bob & Sue's Gas #1 / Café"
    shared = Station.objects.create(name=name, google_place_id="ChIJbob")

    html = owner_client.get("/stations/", {"q": "bob"}).content.decode()

    # "Log fuel here" on a station the owner has not saved is a form (no script needed) that
    # saves it, then opens the fuel form with its name.
    fuel_form = "/fuel/add/?station_name=Bob%20%26%20Sue%27s%20Gas%20%231%20%2F%20Caf%C3%A9"
    assert f'<input type="hidden" name="next" value="{fuel_form}">' in html
    response = owner_client.post(f"/stations/{shared.pk}/save/", {"next": fuel_form}, follow=True)
    assert response.redirect_chain == [(fuel_form, 302)]
    assert escape(f"Saved {name} to your stations.") in response.content.decode()
    assert FavoriteStation.objects.get(user=owner).station == shared

    log = log_fuel(owner_client, vehicle, station_name=name)
    assert log.station == shared
    assert Station.objects.count() == 1
