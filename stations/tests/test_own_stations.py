"""Stations an owner adds by hand: private to them, edited and deleted by them alone."""

from decimal import Decimal

import pytest

from accounts.models import Preferences
from stations.models import FavoriteStation, Station


@pytest.fixture
def own_favorite(owner):
    """The owner's own station "Corner Gas", with a note."""
    station = Station.objects.create(owner=owner, name="Corner Gas", address="1 Corner Rd")
    return FavoriteStation.objects.create(user=owner, station=station, note="Friendly")


def station_form(**fields):
    data = {"name": "Corner Gas", "address": "1 Corner Rd", "latitude": "", "longitude": ""}
    data.update(fields)
    data.setdefault("note", "")
    return data


def test_it_offers_to_add_a_station_from_the_stations_page(owner_client):
    html = owner_client.get("/stations/").content.decode()

    assert '<a class="btn btn-primary" href="/stations/add/">Add a station</a>' in html


def test_it_adds_a_private_station_to_the_owners_stations(owner_client, owner):
    response = owner_client.post(
        "/stations/add/",
        station_form(latitude="39.7990175", longitude="-89.6439575", note="Open late"),
        follow=True,
    )

    station = Station.objects.get()
    assert station.owner == owner
    assert (station.name, station.address) == ("Corner Gas", "1 Corner Rd")
    assert (station.latitude, station.longitude) == (Decimal("39.7990175"), Decimal("-89.6439575"))
    favorite = FavoriteStation.objects.get()
    assert (favorite.user, favorite.station, favorite.note) == (owner, station, "Open late")
    html = response.content.decode()
    assert "Added Corner Gas to your stations." in html
    assert "Open late" in html
    assert 'Edit<span class="visually-hidden"> Corner Gas</span>' in html


def test_it_reads_coordinates_the_owners_way_and_rounds_them_to_what_is_stored(client, owner):
    Preferences.objects.create(user=owner, locale="de-DE", currency="EUR")
    client.force_login(owner)  # the session carries the preferences

    client.post("/stations/add/", station_form(latitude="52,520008123", longitude="13,405"))

    station = Station.objects.get()
    assert (station.latitude, station.longitude) == (Decimal("52.52000812"), Decimal("13.405"))


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"name": ""}, "This field is required."),
        ({"latitude": "10"}, "Enter both latitude and longitude, or neither."),
        ({"longitude": "10"}, "Enter both latitude and longitude, or neither."),
        ({"latitude": "91", "longitude": "0"}, "Enter a number between -90 and 90"),
        ({"latitude": "0", "longitude": "-180.5"}, "Enter a number between -180 and 180"),
        ({"latitude": "north", "longitude": "2"}, "MotoVault cannot read “north” as a number."),
        ({"latitude": "9" * 40, "longitude": "2"}, "Enter a number between -90 and 90"),
        ({"latitude": "NaN", "longitude": "2"}, "MotoVault cannot read “NaN” as a number."),
        ({"name": "n" * 201}, "at most 200 characters"),
    ],
)
def test_it_explains_what_is_wrong_with_a_station(owner_client, fields, error):
    response = owner_client.post("/stations/add/", station_form(**fields))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Station.objects.exists()


def test_it_refuses_a_second_own_station_of_the_same_name(owner_client, own_favorite):
    response = owner_client.post("/stations/add/", station_form(name="corner gas"))

    assert "You already have a station of this name." in response.content.decode()
    assert Station.objects.count() == 1


def test_it_tells_names_apart_as_the_app_does_whatever_the_database_folds(owner_client, owner):
    # PostgreSQL's LOWER() makes "İ" an "i", Python's casefold an "i" with a dot above: the app
    # sees two stations, and the database must not refuse the second (it was a 500). Greek
    # capitals fold to the small letters the app compares.
    for name in ("İzmir Petrol", "izmir petrol", "\u039f\u03a3\u039f Gas"):
        assert owner_client.post("/stations/add/", station_form(name=name)).status_code == 302
    response = owner_client.post("/stations/add/", station_form(name="\u03bf\u03c3\u03bf gas"))

    assert "You already have a station of this name." in response.content.decode()
    assert set(Station.objects.filter(owner=owner).values_list("name", flat=True)) == {
        "İzmir Petrol",
        "izmir petrol",
        "\u039f\u03a3\u039f Gas",
    }


def test_it_lets_two_owners_name_their_stations_alike(other_client, own_favorite, other_user):
    other_client.post("/stations/add/", station_form())

    assert Station.objects.filter(owner=other_user, name="Corner Gas").exists()


def test_it_edits_the_name_address_coordinates_and_note_of_an_own_station(
    owner_client, own_favorite
):
    page = owner_client.get(f"/stations/favorites/{own_favorite.pk}/edit/").content.decode()
    assert 'value="Corner Gas"' in page and "Friendly" in page

    response = owner_client.post(
        f"/stations/favorites/{own_favorite.pk}/edit/",
        station_form(name="Corner Gas North", latitude="1.5", longitude="2.5", note="Quiet"),
    )

    assert response.status_code == 302
    own_favorite.refresh_from_db()
    station = own_favorite.station
    station.refresh_from_db()
    assert (station.name, station.latitude, station.longitude) == (
        "Corner Gas North",
        Decimal("1.5"),
        Decimal("2.5"),
    )
    assert own_favorite.note == "Quiet"


def test_it_edits_only_the_note_of_a_shared_station(owner_client, owner, make_favorite):
    favorite = make_favorite(owner)

    page = owner_client.get(f"/stations/favorites/{favorite.pk}/edit/").content.decode()
    owner_client.post(
        f"/stations/favorites/{favorite.pk}/edit/", station_form(name="Mine now", note="Mine")
    )

    assert 'name="name"' not in page
    favorite.refresh_from_db()
    assert (favorite.station.name, favorite.note) == ("Shell Main St", "Mine")


def test_it_confirms_then_deletes_an_own_station(owner_client, own_favorite, vehicle):
    log = vehicle.fuel_logs.create(
        user=vehicle.user,
        date="2025-01-01",
        odometer_reading=41_000,
        gallons=Decimal("10"),
        station_name="Corner Gas",
        station=own_favorite.station,
    )
    url = f"/stations/favorites/{own_favorite.pk}/delete/"

    confirm = owner_client.get(url).content.decode()
    assert "Delete Corner Gas?" in confirm
    assert "Fuel logs that name this station keep its name" in confirm
    assert Station.objects.exists()

    response = owner_client.post(url, {"next": "/stations/"}, follow=True)

    assert "Deleted Corner Gas." in response.content.decode()
    assert not Station.objects.exists() and not FavoriteStation.objects.exists()
    log.refresh_from_db()
    assert (log.station, log.station_name) == (None, "Corner Gas")


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("action", ["edit", "delete"])
def test_it_hides_an_own_station_from_another_owner(other_client, own_favorite, method, action):
    response = getattr(other_client, method)(
        f"/stations/favorites/{own_favorite.pk}/{action}/", station_form(name="Taken")
    )

    assert response.status_code == 404
    own_favorite.station.refresh_from_db()
    assert own_favorite.station.name == "Corner Gas"


def test_it_never_lets_another_owner_save_an_own_station(other_client, own_favorite):
    response = other_client.post(f"/stations/{own_favorite.station.pk}/save/")

    assert response.status_code == 404
    assert FavoriteStation.objects.count() == 1


def test_it_never_shows_an_own_station_in_another_owners_search(
    owner_client, other_client, own_favorite, settings
):
    settings.GOOGLE_MAPS_API_KEY = ""

    theirs = other_client.get("/stations/", {"q": "corner"}).content.decode()
    mine = owner_client.get("/stations/", {"q": "corner"}).content.decode()

    assert "Corner Gas" not in theirs
    assert "Corner Gas" in mine


def test_it_shows_the_owner_in_the_admin(admin_client, own_favorite):
    html = admin_client.get("/admin/stations/station/").content.decode()

    assert "column-owner" in html
    assert f'<td class="field-owner nowrap">{own_favorite.user.username}</td>' in html
