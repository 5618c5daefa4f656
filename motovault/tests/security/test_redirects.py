"""Every view that takes `next` sends the owner back only to a page of this site: the Cancel link
it renders and the redirect after a write both fall back to the app's own page when `next` is
anything else, and a write is never followed by an error page (which invites a second submit)."""

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from conftest import PASSWORD
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from stations.models import FavoriteStation, Station

from .conftest import World

HOSTILE = [
    "https://evil.example/x",
    "http:evil.example",
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "oops",
    "/%2F%2Fevil.example",
    "%2F%2Fevil.example",
    "/%5Cevil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/%09/evil.example",
    "https:%2F%2Fevil.example",
]


@dataclass(frozen=True)
class NextView:
    """A view that takes `next`: where its form page is (None: it only answers POST), where its
    form posts, a valid post, where it goes without a usable `next`, and whether the write
    happened exactly once."""

    page: Callable[[World], str] | None
    post: Callable[[World], str] | None
    data: Callable[[World], dict]
    default: str
    written: Callable[[World], bool]


def fill_up(w: World) -> dict:
    return w.fill_up(notes="Redirected")


def record(w: World) -> dict:
    return {"vehicle": str(w.vehicle.pk), "kind": "scheduled", "type": "battery"}


def fuel_edit(w: World) -> str:
    return reverse("fuellogs:edit", args=[w.log.pk])


def fuel_delete(w: World) -> str:
    return reverse("fuellogs:delete", args=[w.log.pk])


def maintenance_edit(w: World) -> str:
    return reverse("maintenance:edit", args=[w.record.pk])


def maintenance_delete(w: World) -> str:
    return reverse("maintenance:delete", args=[w.record.pk])


def maintenance_complete(w: World) -> str:
    return reverse("maintenance:complete", args=[w.record.pk])


def station_edit(w: World) -> str:
    return reverse("stations:edit", args=[w.favorite.pk])


def station_delete(w: World) -> str:
    return reverse("stations:delete", args=[w.favorite.pk])


def station_save(w: World) -> str:
    return reverse("stations:save", args=[Station.objects.create(name="Arco", address="1 Elm").pk])


VIEWS = {
    "fuellogs:add": NextView(
        page=lambda w: reverse("fuellogs:add"),
        post=lambda w: reverse("fuellogs:add"),
        data=fill_up,
        default="/fuel/",
        written=lambda w: FuelLog.objects.filter(notes="Redirected").count() == 1,
    ),
    "fuellogs:edit": NextView(
        page=fuel_edit,
        post=fuel_edit,
        data=lambda w: w.fill_up(date=w.log.date.isoformat(), odometer_reading="41800", notes="x"),
        default="/fuel/",
        written=lambda w: FuelLog.objects.get(pk=w.log.pk).notes == "x",
    ),
    "fuellogs:delete": NextView(
        page=fuel_delete,
        post=fuel_delete,
        data=lambda w: {},
        default="/fuel/",
        written=lambda w: not FuelLog.objects.filter(pk=w.log.pk).exists(),
    ),
    "maintenance:add": NextView(
        page=lambda w: reverse("maintenance:add"),
        post=lambda w: reverse("maintenance:add"),
        data=lambda w: {**record(w), "due_date": "2031-01-01"},
        default="/maintenance/",
        written=lambda w: MaintenanceRecord.objects.filter(type="battery").count() == 1,
    ),
    "maintenance:edit": NextView(
        page=maintenance_edit,
        post=maintenance_edit,
        data=lambda w: {**record(w), "due_date": "2031-01-01", "description": "Redirected"},
        default="/maintenance/",
        written=lambda w: MaintenanceRecord.objects.get(pk=w.record.pk).description == "Redirected",
    ),
    "maintenance:delete": NextView(
        page=maintenance_delete,
        post=maintenance_delete,
        data=lambda w: {},
        default="/maintenance/",
        written=lambda w: not MaintenanceRecord.objects.filter(pk=w.record.pk).exists(),
    ),
    "maintenance:complete": NextView(
        page=maintenance_complete,
        post=maintenance_complete,
        data=lambda w: {"completed_date": w.log.date.isoformat(), "completed_mileage": "42000"},
        default="/maintenance/",
        # Completed once, and its next occurrence (it repeats every 6 months) scheduled once.
        written=lambda w: (
            MaintenanceRecord.objects.filter(is_completed=True).count() == 1
            and MaintenanceRecord.objects.filter(is_completed=False).count() == 1
        ),
    ),
    "stations:save": NextView(
        page=None,
        post=station_save,
        data=lambda w: {},
        default="/stations/",
        written=lambda w: FavoriteStation.objects.filter(station__name="Arco").count() == 1,
    ),
    "stations:edit": NextView(
        page=station_edit,
        post=station_edit,
        data=lambda w: {"note": "Redirected"},
        default="/stations/",
        written=lambda w: FavoriteStation.objects.get(pk=w.favorite.pk).note == "Redirected",
    ),
    "stations:delete": NextView(
        page=station_delete,
        post=station_delete,
        data=lambda w: {},
        default="/stations/",
        written=lambda w: not FavoriteStation.objects.filter(pk=w.favorite.pk).exists(),
    ),
}


class Links(HTMLParser):
    """Every link target and every `next` field of a page."""

    def __init__(self):
        super().__init__()
        self.targets: list[str] = []
        self.cancel: list[str] = []
        self._href: str | None = None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "href" in attrs:
            self.targets.append(attrs["href"])
        if tag == "a":
            self._href = attrs.get("href")
        if attrs.get("name") == "next":
            self.targets.append(attrs.get("value") or "")

    def handle_data(self, data):
        if self._href is not None and data.strip() in ("Cancel", "Keep it"):
            self.cancel.append(self._href)

    def handle_endtag(self, tag):
        if tag == "a":
            self._href = None


def links(response) -> Links:
    parser = Links()
    parser.feed(response.content.decode())
    return parser


@pytest.mark.parametrize("payload", HOSTILE)
@pytest.mark.parametrize("name", VIEWS)
def test_it_never_sends_the_owner_to_a_next_page_off_this_site(owner_client, world, name, payload):
    view = VIEWS[name]
    if view.page is not None:
        response = owner_client.get(view.page(world), {"next": payload})
        assert response.status_code == 200
        page = links(response)
        assert page.cancel == [view.default]
        assert "evil.example" not in response.content.decode()
        for target in page.targets:
            assert target.startswith(("/", "#", "?")) and not target.startswith("//"), target
            assert "javascript:" not in target and "oops" not in target, target
    if view.post is not None:
        url = view.post(world)
        response = owner_client.post(url, {**view.data(world), "next": payload})
        assert response.status_code == 302, response.content.decode()[:2000]
        assert response["Location"] == view.default
        assert view.written(world)


@pytest.mark.parametrize("name", VIEWS)
def test_it_returns_to_the_page_the_form_was_opened_from(owner_client, world, name):
    view = VIEWS[name]
    back = reverse("vehicles:detail", args=[world.vehicle.pk])
    if view.page is not None:
        response = owner_client.get(view.page(world), {"next": back})
        assert links(response).cancel == [back]
        assert f'name="next" value="{back}"' in response.content.decode()
    if view.post is not None:
        response = owner_client.post(view.post(world), {**view.data(world), "next": back})
        assert response["Location"] == back
        assert view.written(world)


@pytest.mark.parametrize("payload", HOSTILE)
def test_it_signs_in_to_the_dashboard_whatever_next_says_off_this_site(client, owner, payload):
    # Django's own check let a bare word through: "?next=evil" went to /accounts/login/evil.
    page = client.get(reverse("login"), {"next": payload})
    assert "evil.example" not in page.content.decode()
    assert all("oops" not in target for target in links(page).targets)

    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "next": payload}
    )
    assert response.status_code == 302
    assert response["Location"] == "/"


@pytest.mark.parametrize("payload", HOSTILE)
def test_it_signs_out_to_the_login_page_whatever_next_says_off_this_site(owner_client, payload):
    response = owner_client.post(reverse("logout"), {"next": payload})
    assert response.status_code == 302
    assert response["Location"] == reverse("login")


def test_it_signs_in_to_the_page_that_asked_for_it(client, owner, world):
    back = reverse("vehicles:detail", args=[world.vehicle.pk])
    page = client.get(reverse("login"), {"next": back})
    assert f'name="next" value="{back}"' in page.content.decode()

    response = client.post(
        reverse("login"), {"username": "alice", "password": PASSWORD, "next": back}
    )
    assert response["Location"] == back


def test_it_keeps_a_searchs_query_in_next(owner_client, world):
    back = "/stations/?q=shell%20main&near=Elm%20St"
    response = owner_client.post(
        reverse("stations:edit", args=[world.favorite.pk]), {"note": "x", "next": back}
    )
    assert response["Location"] == back


# The favorites' addresses before issue 13, and the views they now lead to.
MOVED = {
    "stations:moved_edit": "stations:edit",
    "stations:moved_remove": "stations:delete",
    "stations:moved_delete": "stations:delete",
}


@pytest.mark.parametrize("payload", ["back", *HOSTILE])
@pytest.mark.parametrize("name", MOVED)
def test_it_keeps_next_through_an_old_address_and_still_checks_it(
    owner_client, world, name, payload
):
    back = reverse("vehicles:detail", args=[world.vehicle.pk])
    expected = back if payload == "back" else VIEWS[MOVED[name]].default
    payload = back if payload == "back" else payload
    old, new = (reverse(n, args=[world.favorite.pk]) for n in (name, MOVED[name]))

    response = owner_client.get(old, {"next": payload}, follow=True)
    assert response.redirect_chain[0][1] == 301
    assert response.redirect_chain[0][0].startswith(f"{new}?next=")
    assert links(response).cancel == [expected]

    view = VIEWS[MOVED[name]]
    data = {**view.data(world), "next": payload}
    response = owner_client.post(old, data, follow=True)
    assert response.redirect_chain == [(new, 308), (expected, 302)]
    assert view.written(world)
