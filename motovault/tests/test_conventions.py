"""The sibling apps read alike: the forms that need the owner take `user=` by keyword, every
route to one object names it `pk`, and everything is spelled the American way, like Django."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import URLPattern, URLResolver, get_resolver

from costs.forms import CostForm
from costs.forms import FilterForm as CostFilterForm
from fuellogs.forms import FilterForm as FuelFilterForm
from fuellogs.forms import FuelLogForm
from maintenance.forms import FilterForm as MaintenanceFilterForm
from maintenance.forms import RecordForm

APP_FOLDERS = (
    "accounts",
    "attachments",
    "costs",
    "demo",
    "motovault",
    "vehicles",
    "fuellogs",
    "maintenance",
    "stations",
)
OWNER_FORMS = [
    FuelLogForm,
    FuelFilterForm,
    RecordForm,
    MaintenanceFilterForm,
    CostForm,
    CostFilterForm,
]


@pytest.mark.parametrize("form_class", OWNER_FORMS)
def test_it_takes_the_owner_by_keyword_and_offers_only_their_vehicles(
    form_class, owner, other_user, vehicle, make_vehicle
):
    make_vehicle(other_user)
    form = form_class({}, user=owner)
    assert list(form.fields["vehicle"].queryset) == [vehicle]
    with pytest.raises(TypeError):
        form_class(owner, {})


# Django's password reset link carries its own two values; the calendar feed and the unsubscribe
# link carry a secret token, not an object; the API's VIN decode carries the VIN to decode, and
# its 404 for any other path the path.
NOT_OBJECT_ROUTES = {
    "password_reset_confirm",
    "calendar",
    "unsubscribe",
    "decode_vin",
    "not_found_elsewhere",
}


def routes(resolver=None, prefix="", names=()):
    """Every route outside the admin: its path, and the names of the values it carries."""
    for entry in (resolver or get_resolver()).url_patterns:
        carried = (*names, *entry.pattern.converters)
        if isinstance(entry, URLResolver):
            if entry.namespace != "admin":
                yield from routes(entry, prefix + str(entry.pattern), carried)
        elif isinstance(entry, URLPattern) and entry.name not in NOT_OBJECT_ROUTES:
            yield prefix + str(entry.pattern), carried


def test_it_names_every_object_in_a_route_pk():
    found = {path: names for path, names in routes() if names}
    assert "vehicles/<uuid:pk>/edit/" in found and "fuel/<uuid:pk>/edit/" in found
    assert {path: names for path, names in found.items() if names != ("pk",)} == {}


# British spellings, where Django (and so MotoVault) spells the American way.
BRITISH = re.compile(
    r"favour|neutralis|normalis|colour|organis|recognis|behaviour|licence|cancelled|analys"
    r"|minimis|maximis|initialis|serialis|summaris|prioritis|utilis|catalogue|centre|metre"
    r"|litre|neighbour|labelled\b|windscreen|\buntick|\btick(ed)? [“\"]",
    re.IGNORECASE,
)
# The addresses and names from before issue 13, which these keep on purpose: the redirects from
# /stations/favourites/... and the tests of the migration that renamed FavouriteStation.
KEEP_OLD_NAMES = {
    "accounts/tests/test_upgrade.py",
    "motovault/tests/browser/test_isolation_journey.py",
    "motovault/tests/test_conventions.py",
    "stations/tests/test_migrations.py",
    "stations/tests/test_views.py",
    "stations/urls.py",
    "stations/views.py",
}
SOURCES = ("*.py", "*.html", "*.js", "*.css", "*.md")


def test_it_spells_the_american_way():
    base = Path(settings.BASE_DIR)
    found = []
    for folder in (*APP_FOLDERS, "templates", "static", "docs"):
        for pattern in SOURCES:
            for path in (base / folder).rglob(pattern):
                name = path.relative_to(base).as_posix()
                if "/migrations/" in name or name in KEEP_OLD_NAMES:
                    continue
                text = path.read_text(encoding="utf-8")
                found += [f"{name}: {match[0]}" for match in BRITISH.finditer(text)]
    for readme in base.glob("*.md"):
        found += [f"{readme.name}: {m[0]}" for m in BRITISH.finditer(readme.read_text())]
    assert found == []
