"""Every view that takes `next` sends the owner back only to a page of this site: the Cancel link
it renders and the redirect after a write both fall back to the app's own page when `next` is
anything else, and a write is never followed by an error page (which invites a second submit)."""

from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser

import pytest
from django.db.models import Model
from django.urls import reverse

from conftest import PASSWORD
from fuellogs.models import FuelLog
from maintenance.models import MaintenanceRecord
from motovault.tests.test_navigation import HOSTILE as NAVIGATION_HOSTILE
from stations.models import FavoriteStation, Station

from .conftest import World

# What the views are given for `next`: every value same_site_path refuses but None, which a form
# cannot post.
HOSTILE = [value for value in NAVIGATION_HOSTILE if value is not None]

# Where each app's views go without a usable `next`: the app's own page.
DEFAULTS = {"fuellogs": "/fuel/", "maintenance": "/maintenance/", "stations": "/stations/"}


@dataclass(frozen=True)
class NextView:
    """A view that takes `next`: the world's object its URL names (None: none), a valid post,
    whether the write happened exactly once, and whether it has a form page (else it only
    answers POST)."""

    target: Callable[[World], Model] | None
    data: Callable[[World], dict]
    written: Callable[[World], bool]
    has_page: bool = True


def url(name: str, world: World) -> str:
    view = VIEWS[name]
    return reverse(name, args=[view.target(world).pk] if view.target else [])


def default(name: str) -> str:
    return DEFAULTS[name.partition(":")[0]]


def deletes(target: Callable[[World], Model]) -> NextView:
    """A view that deletes the world's `target` when confirmed."""

    def written(w: World) -> bool:
        row = target(w)
        return not type(row).objects.filter(pk=row.pk).exists()

    return NextView(target=target, data=lambda w: {}, written=written)


def record(w: World) -> dict:
    return {"vehicle": str(w.vehicle.pk), "kind": "scheduled", "type": "battery"}


VIEWS = {
    "fuellogs:add": NextView(
        target=None,
        data=lambda w: w.fill_up(notes="Redirected"),
        written=lambda w: FuelLog.objects.filter(notes="Redirected").count() == 1,
    ),
    "fuellogs:edit": NextView(
        target=lambda w: w.log,
        data=lambda w: w.fill_up(date=w.log.date.isoformat(), odometer_reading="41800", notes="x"),
        written=lambda w: FuelLog.objects.get(pk=w.log.pk).notes == "x",
    ),
    "fuellogs:delete": deletes(lambda w: w.log),
    "fuellogs:clear_missed": NextView(
        target=lambda w: w.log,
        data=lambda w: {},
        written=lambda w: not FuelLog.objects.get(pk=w.log.pk).missed_previous,
    ),
    "maintenance:add": NextView(
        target=None,
        data=lambda w: {**record(w), "due_date": "2031-01-01"},
        written=lambda w: MaintenanceRecord.objects.filter(type="battery").count() == 1,
    ),
    "maintenance:edit": NextView(
        target=lambda w: w.record,
        data=lambda w: {**record(w), "due_date": "2031-01-01", "description": "Redirected"},
        written=lambda w: MaintenanceRecord.objects.get(pk=w.record.pk).description == "Redirected",
    ),
    "maintenance:delete": deletes(lambda w: w.record),
    "maintenance:complete": NextView(
        target=lambda w: w.record,
        data=lambda w: {"completed_date": w.log.date.isoformat(), "completed_mileage": "42000"},
        # Completed once, and its next occurrence (it repeats every 6 months) scheduled once.
        written=lambda w: (
            MaintenanceRecord.objects.filter(is_completed=True).count() == 1
            and MaintenanceRecord.objects.filter(is_completed=False).count() == 1
        ),
    ),
    "stations:save": NextView(
        target=lambda w: Station.objects.create(name="Arco", address="1 Elm"),
        data=lambda w: {},
        written=lambda w: FavoriteStation.objects.filter(station__name="Arco").count() == 1,
        has_page=False,
    ),
    "stations:edit": NextView(
        target=lambda w: w.favorite,
        data=lambda w: {"note": "Redirected"},
        written=lambda w: FavoriteStation.objects.get(pk=w.favorite.pk).note == "Redirected",
    ),
    "stations:delete": deletes(lambda w: w.favorite),
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
    if view.has_page:
        response = owner_client.get(url(name, world), {"next": payload})
        assert response.status_code == 200
        page = links(response)
        assert page.cancel == [default(name)]
        assert "evil.example" not in response.content.decode()
        for target in page.targets:
            assert target.startswith(("/", "#", "?")) and not target.startswith("//"), target
            assert "javascript:" not in target and "oops" not in target, target
    response = owner_client.post(url(name, world), {**view.data(world), "next": payload})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert response["Location"] == default(name)
    assert view.written(world)


@pytest.mark.parametrize("name", VIEWS)
def test_it_returns_to_the_page_the_form_was_opened_from(owner_client, world, name):
    view = VIEWS[name]
    back = reverse("vehicles:detail", args=[world.vehicle.pk])
    if view.has_page:
        response = owner_client.get(url(name, world), {"next": back})
        assert links(response).cancel == [back]
        assert f'name="next" value="{back}"' in response.content.decode()
    response = owner_client.post(url(name, world), {**view.data(world), "next": back})
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
    expected = back if payload == "back" else default(MOVED[name])
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
