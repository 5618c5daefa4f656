"""Access control on every URL the project defines.

The patterns come from the URL resolver, and each must be classified in ROUTES below (admin
pages by their namespace), so a pattern added tomorrow fails `test_it_classifies_every_url_pattern`
until someone says who may use it and how it is reached."""

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

import pytest
from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import get_resolver, resolve, reverse

from api.models import ApiToken
from attachments.models import Attachment
from attachments.tests.conftest import MINIMAL_PDF, image_bytes
from conftest import PASSWORD
from costs.models import Cost
from fuellogs.models import FuelLog
from imports.models import Upload
from maintenance.models import MaintenanceRecord
from motovault.tests.test_login_required import walk
from recalls.models import VehicleRecall
from reminders.digest import unsubscribe_token
from reminders.models import NotificationSettings, PushURL
from stations.models import FavoriteStation, Station
from vehicles.models import OdometerReading, Vehicle

GET, POST = "GET", "POST"


@dataclass(frozen=True)
class Route:
    """How a URL pattern is reached and who may use it.

    `targets` gives the URL kwargs (and query string) for the first user's objects; a route
    whose targets name an object is `owned`: nobody else may see or change it. `methods` are
    the methods it answers; `changes` says whether a POST changes state (so it needs CSRF)."""

    methods: frozenset = frozenset({GET, POST})
    targets: Callable = lambda w: [({}, "")]
    owned: bool = False
    public: bool = False
    changes: bool = False
    # A valid-looking POST, so that a missing owner check would really change something.
    data: Callable = lambda w: {}
    # An old address that now redirects permanently to its new one.
    moved: bool = False


def page(**kwargs) -> Route:
    return Route(methods=frozenset({GET}), **kwargs)


def form(**kwargs) -> Route:
    return Route(changes=True, **kwargs)


def action(**kwargs) -> Route:
    return Route(methods=frozenset({POST}), changes=True, **kwargs)


def vehicles(w):
    return [({"pk": w.vehicle.pk}, ""), ({"pk": w.deleted_vehicle.pk}, "")]


def vehicle_data(w):
    return {
        "vin": w.vehicle.vin,
        "make": "Honda",
        "model": "Accord",
        "year": "2010",
        "nickname": "Taken",
        "odometer_reading": "50000",
        "is_active": "on",
    }


def exports(w):
    """An export of the owner's vehicle, and of their deleted one."""
    return [({}, f"vehicle={w.vehicle.pk}"), ({}, f"vehicle={w.deleted_vehicle.pk}")]


def favorite(w):
    """The first user's favorite of a shared station, and of a station of their own."""
    return [({"pk": w.favorite.pk}, ""), ({"pk": own_favorite(w).pk}, "")]


def own_favorite(w):
    return FavoriteStation.objects.get(user=w.vehicle.user, station__owner=w.vehicle.user)


def log_data(w):
    return {
        "vehicle": str(w.vehicle.pk),
        "date": w.log.date.isoformat(),
        "odometer_reading": "41900",
        "gallons": "5",
        "price_per_gallon": "2",
        "is_full_tank": "on",
    }


@pytest.fixture(autouse=True)
def _cost(world):
    """A cost of the first user's, before any snapshot is taken."""
    cost(world)


def cost(w):
    """The first user's cost."""
    found, _ = Cost.objects.get_or_create(
        vehicle=w.vehicle,
        defaults={"category": "insurance", "date": w.log.date, "amount": 612, "repeat_months": 12},
    )
    return [({"pk": found.pk}, "")]


def cost_data(w):
    return {
        "vehicle": str(w.vehicle.pk),
        "category": "parking",
        "title": "Taken",
        "date": w.log.date.isoformat(),
        "amount": "7",
    }


def record_data(w):
    return {
        "vehicle": str(w.vehicle.pk),
        "type": "battery",
        "due_date": "2031-01-01",
        "completed_date": w.log.date.isoformat(),
    }


@pytest.fixture(autouse=True)
def _notifications(world):
    """The first user's notification settings and push URL, before any snapshot is taken."""
    NotificationSettings.objects.create(user=world.vehicle.user)
    PushURL.objects.create(user=world.vehicle.user, url="json://93.184.215.14/a")


@pytest.fixture(autouse=True)
def _own_station(world):
    """A station of the first user's own, before any snapshot is taken."""
    owner = world.vehicle.user
    station = Station.objects.create(owner=owner, name="Corner Gas", address="1 Corner Rd")
    FavoriteStation.objects.create(user=owner, station=station)


def push_url(w):
    return [({"pk": PushURL.objects.get(user=w.vehicle.user).pk}, "")]


def calendar_token(w):
    return [({"token": NotificationSettings.objects.get(user=w.vehicle.user).calendar_token}, "")]


_uploads: dict[int, Upload] = {}


def pending_upload(w):
    """A file the first user uploaded to import (a Fuelly export), waiting for its preview."""
    if id(w) not in _uploads:
        upload = Upload(user=w.vehicle.user, name="fuelly.csv")
        upload.file.save("upload.csv", ContentFile(FUELLY), save=True)
        _uploads[id(w)] = upload
    return [({"pk": _uploads[id(w)].pk}, "")]


FUELLY = (
    b"car_name,model,mpg,odometer,miles,gallons,price,city_percentage,fuelup_date,date_added,"
    b"tags,notes,missed_fuelup,partial_fuelup,latitude,longitude,brand\n"
    b"Accord,Honda,0,41200,0,11.204,3.189,50,01/03/2024 0:00,01/03/2024,,,0,0,,,\n"
    b"Accord,Honda,29.99,41512,312,10.402,3.159,50,01/12/2024 0:00,01/12/2024,,,0,0,,,\n"
    b"Accord,Honda,0,41812,300,10.000,3.000,50,01/19/2024 0:00,01/19/2024,,,0,0,,,\n"
)


@pytest.fixture(autouse=True)
def _attachments(world, _media):
    """A photo of the first user's vehicle, and one of their deleted vehicle."""
    world.attachments = [_photo(world.vehicle), _photo(world.deleted_vehicle)]


def attachments(w):
    return [({"pk": attachment.pk}, "") for attachment in w.attachments]


def _photo(vehicle: Vehicle) -> Attachment:
    attachment = Attachment(vehicle=vehicle, name="car.jpg", content_type="image/jpeg", size=10)
    attachment.user_id = vehicle.user_id
    attachment.file.save("car.jpg", ContentFile(image_bytes()), save=False)
    attachment.thumbnail.save("car.webp", ContentFile(image_bytes("WEBP")), save=False)
    attachment.save()
    return attachment


def attachment_parents(w):
    """A fill-up of the first user's, a service, a cost, an odometer reading, their vehicle and
    their deleted vehicle."""
    return [
        ({"kind": "fuel", "pk": w.log.pk}, ""),
        ({"kind": "maintenance", "pk": w.record.pk}, ""),
        ({"kind": "cost", "pk": cost(w)[0][0]["pk"]}, ""),
        ({"kind": "reading", "pk": w.reading.pk}, ""),
        ({"kind": "vehicle", "pk": w.vehicle.pk}, ""),
        ({"kind": "vehicle", "pk": w.deleted_vehicle.pk}, ""),
    ]


@pytest.fixture(autouse=True)
def _reading(world):
    """An odometer reading of the first user's vehicle, before any snapshot is taken: on the
    day of the world's fill-up, so that the fill-ups posted here may read anything (readings
    of one day come in any order)."""
    world.reading = OdometerReading.objects.create(
        vehicle=world.vehicle, date=world.log.date, odometer_reading=41_900
    )


def reading(w):
    return [({"pk": w.reading.pk}, "")]


def reading_data(w):
    """A reading that fits: on the day of the world's fill-up and its reading."""
    return {"date": w.log.date.isoformat(), "odometer_reading": "41950"}


@pytest.fixture(autouse=True)
def _api_token(world):
    """A personal access token of the first user's, before any snapshot is taken."""
    world.token = ApiToken.issue(world.vehicle.user, "Home Assistant", read_only=True)[0]


def api_token(w):
    return [({"pk": w.token.pk}, "")]


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


ROUTES: dict[str, Route] = {
    "dashboard": page(),
    "healthz": page(public=True),
    "signup": form(public=True),
    "login": form(public=True),
    "logout": action(),
    "password_change": form(),
    "account": form(),
    "change_email": form(),
    "delete_account": form(),
    # The signed-in owner's own archive: it names no object.
    "archive:download": page(),
    "preferences": page(moved=True),
    "password_change_done": page(),
    "password_reset": form(public=True),
    "password_reset_done": page(public=True),
    "password_reset_confirm": form(
        public=True, targets=lambda w: [({"uidb64": "MQ", "token": "set-password"}, "")]
    ),
    "password_reset_complete": page(public=True),
    "vehicles:index": page(),
    "vehicles:add": form(),
    # Decodes a VIN from ?vin=; it names no stored object and shows no owner's data (tested below).
    "vehicles:decode": page(targets=lambda w: [({}, f"vin={w.vehicle.vin}")]),
    "vehicles:deleted": page(),
    "vehicles:detail": page(targets=vehicles, owned=True),
    "vehicles:edit": form(targets=vehicles, owned=True, data=vehicle_data),
    "vehicles:delete": form(targets=vehicles, owned=True),
    "vehicles:restore": action(targets=lambda w: [({"pk": w.deleted_vehicle.pk}, "")], owned=True),
    "vehicles:odometer": page(targets=vehicles, owned=True),
    "vehicles:add_reading": form(targets=vehicles, owned=True, data=reading_data),
    "vehicles:export_readings": page(targets=vehicles, owned=True),
    "vehicles:edit_reading": form(targets=reading, owned=True, data=reading_data),
    "vehicles:delete_reading": form(targets=reading, owned=True),
    "fuellogs:index": page(),
    "fuellogs:add": form(),
    "fuellogs:export": page(targets=exports, owned=True),
    "fuellogs:edit": form(targets=lambda w: [({"pk": w.log.pk}, "")], owned=True, data=log_data),
    "fuellogs:delete": form(targets=lambda w: [({"pk": w.log.pk}, "")], owned=True),
    "fuellogs:clear_missed": form(targets=lambda w: [({"pk": w.log.pk}, "")], owned=True),
    "maintenance:index": page(),
    "maintenance:upcoming": page(),
    "maintenance:add": form(),
    "maintenance:export": page(targets=exports, owned=True),
    "maintenance:edit": form(
        targets=lambda w: [({"pk": w.record.pk}, "")], owned=True, data=record_data
    ),
    "maintenance:delete": form(targets=lambda w: [({"pk": w.record.pk}, "")], owned=True),
    "maintenance:complete": form(
        targets=lambda w: [({"pk": w.record.pk}, "")],
        owned=True,
        data=lambda w: {"completed_date": w.log.date.isoformat(), "completed_mileage": "42100"},
    ),
    "costs:index": page(),
    "costs:add": form(),
    "costs:export": page(targets=exports, owned=True),
    "costs:edit": form(targets=cost, owned=True, data=cost_data),
    "costs:delete": form(targets=cost, owned=True),
    "reminders:preferences": form(),
    "reminders:add_push": action(data=lambda w: {"url": "json://93.184.215.14/new"}),
    "reminders:delete_push": form(targets=push_url, owned=True),
    # Sends a test notification and stores nothing (the owner's own 302 changes no row).
    "reminders:test_push": Route(methods=frozenset({POST}), targets=push_url, owned=True),
    "reminders:renew_calendar": action(),
    "reminders:calendar": page(public=True, targets=calendar_token),
    # RFC 8058's one-click POST comes from a mail client without a CSRF token: the signed token
    # in the address is the proof (reminders/tests/test_views.py).
    "reminders:unsubscribe": Route(
        public=True, targets=lambda w: [({"token": unsubscribe_token(w.vehicle.user)}, "")]
    ),
    "recalls:set_status": action(
        targets=lambda w: [({"pk": w.recall.pk}, "")], owned=True, data=lambda w: {"status": "done"}
    ),
    "attachments:upload": action(
        targets=attachment_parents,
        owned=True,
        data=lambda w: {"file": SimpleUploadedFile("a.pdf", MINIMAL_PDF, "application/pdf")},
    ),
    "attachments:download": page(targets=attachments, owned=True),
    "attachments:thumbnail": page(targets=attachments, owned=True),
    "attachments:delete": form(targets=attachments, owned=True),
    "attachments:set_photo": action(targets=attachments, owned=True),
    "stations:index": page(),
    "stations:add": form(),
    "imports:upload": form(),
    # Posted, it previews other choices and saves nothing.
    "imports:preview": Route(targets=pending_upload, owned=True),
    "imports:confirm": action(
        targets=pending_upload,
        owned=True,
        data=lambda w: {"vehicle_0": "new", "name_0": "Imported", "vin_0": ""},
    ),
    # Stations are shared by every user; saving one makes the saver's own favorite.
    "stations:save": action(targets=lambda w: [({"pk": w.station.pk}, "")]),
    "stations:edit": form(
        targets=favorite, owned=True, data=lambda w: {"name": "Taken", "note": "taken"}
    ),
    "stations:delete": form(targets=favorite, owned=True),
    # The favorites' addresses before issue 13: a GET moves (301) and a POST is sent on (308)
    # to the routes above, which check the owner.
    "stations:moved_edit": Route(targets=favorite, moved=True),
    "stations:moved_remove": Route(targets=favorite, moved=True),
    "stations:moved_delete": Route(targets=favorite, moved=True),
    "api_tokens:index": page(),
    "api_tokens:create": action(data=lambda w: {"name": "Taken", "read_only": "true"}),
    "api_tokens:revoke": form(targets=api_token, owned=True),
}

ALL_PATTERNS = list(walk(get_resolver().url_patterns))
ADMIN_PATTERNS = [(name, route) for name, route in ALL_PATTERNS if name.startswith("admin:")]


def urls(name: str, world) -> list[str]:
    result = []
    for kwargs, query in ROUTES[name].targets(world):
        url = reverse(name, kwargs=kwargs)
        result.append(f"{url}?{query}" if query else url)
    return result


def snapshot(world) -> dict:
    """What a stranger's request must never change."""
    return {
        "vehicles": list(Vehicle.objects.order_by("pk").values()),
        "logs": list(FuelLog.objects.order_by("pk").values()),
        "records": list(MaintenanceRecord.objects.order_by("pk").values()),
        "readings": list(OdometerReading.objects.order_by("pk").values()),
        "costs": list(Cost.objects.order_by("pk").values()),
        "favorites": list(FavoriteStation.objects.order_by("pk").values()),
        "stations": list(Station.objects.order_by("pk").values()),
        "push_urls": list(PushURL.objects.order_by("pk").values()),
        "notification_settings": list(NotificationSettings.objects.order_by("pk").values()),
        "recalls": list(VehicleRecall.objects.order_by("pk").values()),
        "attachments": list(Attachment.objects.order_by("pk").values()),
        "users": list(User.objects.order_by("pk").values("pk", "password", "is_active")),
        "api_tokens": list(ApiToken.objects.order_by("pk").values()),
    }


# The JSON API answers a missing or foreign token for itself (401, 404 in JSON, never the sign-in
# page): api/tests/test_access.py walks its routes the same way, with tokens.
API = "api:"


def test_it_classifies_every_url_pattern():
    names = [name for name, _ in ALL_PATTERNS if not name.startswith(("admin:", API))]
    # The admin's unnamed redirects and catch-all are walked with its other pages below.
    unnamed = [route for name, route in ALL_PATTERNS if not name or name.endswith(":")]
    unnamed = [route for route in unnamed if not route.startswith("admin/")]
    assert not unnamed, f"name these patterns so they can be classified: {unnamed}"
    assert sorted(set(names) - set(ROUTES)) == [], "classify these patterns in ROUTES"
    assert sorted(set(ROUTES) - set(names)) == [], "these ROUTES no longer exist"


@pytest.mark.parametrize("name", sorted(ROUTES))
def test_it_sends_anonymous_visitors_to_login_unless_public(client, world, name):
    route = ROUTES[name]
    for url in urls(name, world):
        response = client.get(url)
        if route.public:
            assert response.status_code == 200, url
        else:
            assert response.status_code == 302, url
            assert response["Location"].startswith("/accounts/login/?next="), url


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if not r.public))
def test_it_answers_the_owner_on_each_page_or_refuses_get_on_post_only_urls(
    owner_client, world, name
):
    route = ROUTES[name]
    # The owner's live objects are reachable, so the stranger's 404s below mean something.
    url = urls(name, world)[0]
    response = owner_client.get(url)
    if route.moved:
        assert response.status_code == 301, url
    else:
        assert response.status_code == (200 if GET in route.methods else 405), url


@pytest.mark.parametrize(
    "name", sorted(n for n, r in ROUTES.items() if r.methods == {GET} and not r.moved)
)
def test_it_answers_head_on_each_page_as_it_answers_get(owner_client, other_client, world, name):
    """Uptime monitors and link checkers ask with HEAD: a page answers it as it answers GET,
    and a stranger's HEAD finds nothing either."""
    url = urls(name, world)[0]
    answered = owner_client.head(url).status_code
    assert answered == owner_client.get(url).status_code and answered != 405, url
    if ROUTES[name].owned:
        assert other_client.head(url).status_code == 404, url


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.moved))
def test_it_sends_an_old_address_on_to_a_route_that_checks_the_user(
    owner_client, other_client, world, name
):
    """A GET moves permanently (301); a POST is sent on as a POST (308), so that a form opened
    before the move still works. The new address is a route classified above, and a stranger
    who follows the old one meets the new one's 404 and changes nothing."""
    route = ROUTES[name]
    before = snapshot(world)
    for url in urls(name, world):
        for method in sorted(route.methods):
            response = getattr(owner_client, method.lower())(url)
            assert response.status_code == (301 if method == GET else 308), (method, url)
            new = resolve(urlsplit(response["Location"]).path).view_name
            assert new in ROUTES and not ROUTES[new].moved, (url, new)
            if ROUTES[new].owned:
                send = getattr(other_client, method.lower())
                assert send(url, route.data(world), follow=True).status_code == 404, url
    assert snapshot(world) == before


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.owned))
def test_it_hides_the_first_users_objects_from_the_second_user(other_client, world, name):
    route = ROUTES[name]
    before = snapshot(world)
    for url in urls(name, world):
        for method in (GET, POST):
            if method == GET:
                response = other_client.get(url)
            else:
                response = other_client.post(url, route.data(world))
            # A method the route never answers is refused before any object is looked up.
            expected = 404 if method in route.methods else 405
            assert response.status_code == expected, (method, url)
            assert "Daily driver" not in response.content.decode(errors="replace")
    assert snapshot(world) == before


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.owned and r.changes))
def test_it_accepts_the_same_post_from_the_owner(owner_client, world, name):
    """The stranger's posts above are ones that work for the owner: a missing owner check
    would have changed something."""
    before = snapshot(world)
    response = owner_client.post(urls(name, world)[0], ROUTES[name].data(world))
    assert response.status_code == 302
    assert snapshot(world) != before


def missing_object_url(name: str, world) -> str:
    """The route's first URL with every object id replaced by one that names nothing."""
    kwargs, query = ROUTES[name].targets(world)[0]
    kwargs = {
        k: 999_999 if isinstance(v, int) else uuid.uuid4() if isinstance(v, uuid.UUID) else v
        for k, v in kwargs.items()
    }
    url = reverse(name, kwargs=kwargs)
    return f"{url}?vehicle={uuid.uuid4()}" if query else url


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.owned))
def test_it_answers_a_stranger_as_it_answers_an_id_that_does_not_exist(other_client, world, name):
    """The 404 says nothing about whether the object exists for someone else."""
    method = "get" if GET in ROUTES[name].methods else "post"
    stranger = getattr(other_client, method)(urls(name, world)[0])
    missing = getattr(other_client, method)(missing_object_url(name, world))
    assert stranger.status_code == missing.status_code == 404
    assert stranger.content == missing.content


POST_ROUTES = sorted(n for n, r in ROUTES.items() if r.changes)


@pytest.mark.parametrize("name", POST_ROUTES)
def test_it_refuses_a_post_without_a_csrf_token(owner, world, name):
    client = Client(enforce_csrf_checks=True)
    if not ROUTES[name].public:
        client.force_login(owner)
    before = snapshot(world)
    response = client.post(urls(name, world)[0], ROUTES[name].data(world))
    assert response.status_code == 403
    assert snapshot(world) == before


@pytest.mark.parametrize("name", sorted(n for n, r in ROUTES.items() if r.methods == {POST}))
def test_it_changes_state_only_by_post(owner_client, world, name):
    before = snapshot(world)
    response = owner_client.get(urls(name, world)[0])
    assert response.status_code == 405
    assert snapshot(world) == before
    # Still logged in: even logout needs a POST.
    assert owner_client.get(reverse("dashboard")).status_code == 200


def test_it_shows_no_owner_data_when_decoding_another_users_vin(other_client, world):
    world.vehicle.license_plate = "SECRET1"
    world.vehicle.save()
    response = other_client.get(reverse("vehicles:decode"), {"vin": world.vehicle.vin})
    assert response.status_code == 200
    body = response.content.decode()
    assert "Daily driver" not in body and "SECRET1" not in body
    assert set(response.json()) == {
        "vin",
        "make",
        "model",
        "year",
        "engine_type",
        "body_type",
        "source",
        "notes",
    }


def test_it_explains_a_refused_form_on_its_own_page(owner, world):
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(owner)
    response = browser.post(reverse("fuellogs:add"), world.fill_up())
    assert response.status_code == 403
    assert "This form has expired" in response.content.decode()
    assert FuelLog.objects.count() == 1


# ---- another user's vehicle posted into one's own records -------------------------------


def assert_refused(response, before, world):
    assert response.status_code == 200
    assert response.context["form"].errors["vehicle"]
    assert snapshot(world) == before


def test_it_refuses_another_users_vehicle_in_the_fuel_add_form(owner_client, world):
    before = snapshot(world)
    response = owner_client.post(reverse("fuellogs:add"), world.fill_up(world.others_vehicle))
    assert_refused(response, before, world)
    assert "Choose one of your vehicles." in response.content.decode()


def test_it_refuses_another_users_vehicle_in_the_fuel_edit_form(owner_client, world):
    before = snapshot(world)
    response = owner_client.post(
        reverse("fuellogs:edit", args=[world.log.pk]),
        world.fill_up(world.others_vehicle),
    )
    assert_refused(response, before, world)


def test_it_refuses_the_owners_own_deleted_vehicle_in_the_fuel_add_form(owner_client, world):
    before = snapshot(world)
    response = owner_client.post(reverse("fuellogs:add"), world.fill_up(world.deleted_vehicle))
    assert_refused(response, before, world)


def record_post(vehicle_id) -> dict:
    return {
        "vehicle": str(vehicle_id),
        "kind": "scheduled",
        "type": "battery",
        "due_date": "2031-01-01",
    }


def test_it_refuses_another_users_vehicle_in_the_maintenance_add_form(owner_client, world):
    before = snapshot(world)
    response = owner_client.post(reverse("maintenance:add"), record_post(world.others_vehicle.pk))
    assert_refused(response, before, world)
    assert "not one of the available choices" in response.content.decode()


def test_it_refuses_another_users_vehicle_in_the_maintenance_edit_form(owner_client, world):
    before = snapshot(world)
    response = owner_client.post(
        reverse("maintenance:edit", args=[world.record.pk]), record_post(world.others_vehicle.pk)
    )
    assert_refused(response, before, world)


def test_it_ignores_a_posted_user_id_and_stores_the_record_as_the_posters(
    other_client, world, other_user, owner
):
    data = {**record_post(world.others_vehicle.pk), "user": str(owner.pk)}
    response = other_client.post(reverse("maintenance:add"), data)
    assert response.status_code == 302
    stored = MaintenanceRecord.objects.get(type="battery")
    assert (stored.user, stored.vehicle) == (other_user, world.others_vehicle)


# ---- admin ----------------------------------------------------------------------------------


def admin_example(route: str, world) -> str:
    """Fill the admin's converters and regex groups with plausible values."""
    import re

    path = route.replace("^", "").replace("$", "").replace("\\Z", "")
    path = re.sub(r"<path:object_id>", str(world.vehicle.pk), path)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<(?:str:|path:)?\w+>", "x", path)
    path = re.sub(r"\(\?P<app_label>[^)]*\)", "vehicles", path)
    path = re.sub(r"\(\?P<\w+>[^)]*\)", "x", path)
    return "/" + path


# The admin's own sign-in and sign-out pages are how staff get in and out.
ADMIN_OPEN = {"admin:login", "admin:logout"}


@pytest.mark.parametrize(
    ("name", "route"),
    [(n, r) for n, r in ADMIN_PATTERNS if n not in ADMIN_OPEN],
    ids=[n for n, _ in ADMIN_PATTERNS if n not in ADMIN_OPEN],
)
def test_it_refuses_admin_pages_to_non_staff(owner_client, client, world, name, route):
    url = admin_example(route, world)
    response = owner_client.get(url)
    assert response.status_code == 302, url
    assert response["Location"].startswith("/admin/login/?next="), url
    # Anonymous visitors meet a sign-in page first (the site's or the admin's).
    response = Client().get(url)
    assert response.status_code == 302, url
    assert response["Location"].startswith(("/accounts/login/?next=", "/admin/login/?next=")), url


def test_it_tells_a_signed_in_non_staff_user_the_admin_is_not_for_them(owner_client):
    response = owner_client.get(reverse("admin:login"))
    assert response.status_code == 200
    assert "not authorized to access this page" in response.content.decode()


def test_it_lets_staff_into_the_admin(client, db, world):
    client.force_login(User.objects.create_superuser("root", "root@example.com", PASSWORD))
    assert client.get(reverse("admin:index")).status_code == 200
    response = client.get(reverse("admin:vehicles_vehicle_change", args=[world.vehicle.pk]))
    assert response.status_code == 200
