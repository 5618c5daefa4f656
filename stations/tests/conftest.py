import pytest

from stations.models import FavoriteStation, Station

API_KEY = "AIzaSy-test-key-never-shown"
SEARCH_URL = "https://places.test/v1/places:searchText"


@pytest.fixture(autouse=True)
def _places(settings):
    """Google Places is configured at a test address; the key is a recognizable secret."""
    settings.PLACES_BASE_URL = "https://places.test/v1"
    settings.GOOGLE_MAPS_API_KEY = API_KEY


@pytest.fixture
def make_station(db):
    def make(name="Shell Main St", **fields):
        fields.setdefault("address", "100 Main St, Mountain View, CA 94043, USA")
        return Station.objects.create(name=name, **fields)

    return make


@pytest.fixture
def make_favorite(make_station):
    def make(user, station=None, **fields):
        return FavoriteStation.objects.create(
            user=user, station=station or make_station(), **fields
        )

    return make
