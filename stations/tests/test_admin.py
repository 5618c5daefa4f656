import pytest

from stations.models import Station


def station_form(**fields):
    return {
        "name": "Farm pump",
        "address": "Rural Route 2",
        "phone": "",
        "website": "",
        "latitude": "",
        "longitude": "",
        "google_place_id": "",
        **fields,
    }


def test_it_lets_an_admin_add_a_station_by_hand(admin_client):
    response = admin_client.post(
        "/admin/stations/station/add/",
        station_form(latitude="39.79901750", longitude="-89.6439575"),
    )

    assert response.status_code == 302
    station = Station.objects.get()
    assert station.google_place_id is None
    assert str(station.latitude) == "39.79901750"


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"latitude": "91", "longitude": "0"}, "less than or equal to 90"),
        ({"latitude": "0", "longitude": "-180.5"}, "greater than or equal to -180"),
        ({"latitude": "10"}, "Enter both latitude and longitude, or neither."),
        ({"latitude": "1.123456789", "longitude": "2"}, "no more than 8 decimal places"),
        ({"latitude": "north", "longitude": "2"}, "Enter a number."),
    ],
)
def test_it_validates_coordinates_in_the_admin(admin_client, fields, error):
    response = admin_client.post("/admin/stations/station/add/", station_form(**fields))

    assert response.status_code == 200
    assert error in response.content.decode()
    assert not Station.objects.exists()


def test_it_finds_stations_in_the_admin_by_name_address_or_place_id(admin_client):
    Station.objects.create(name="Shell", address="1 Main St", google_place_id="ChIJabc")
    Station.objects.create(name="Arco", address="2 Oak Ave")

    by_place = admin_client.get("/admin/stations/station/", {"q": "ChIJabc"}).content.decode()
    by_address = admin_client.get("/admin/stations/station/", {"q": "oak"}).content.decode()

    assert "Shell" in by_place and "Arco" not in by_place
    assert "Arco" in by_address and "Shell" not in by_address
