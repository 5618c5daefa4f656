"""The sibling apps read alike: the forms that need the owner take `user=` by keyword, and
every route to one object names it `pk`."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from fuellogs.forms import FilterForm as FuelFilterForm
from fuellogs.forms import FuelLogForm
from maintenance.forms import FilterForm as MaintenanceFilterForm
from maintenance.forms import RecordForm

OWNER_FORMS = [FuelLogForm, FuelFilterForm, RecordForm, MaintenanceFilterForm]


@pytest.mark.parametrize("form_class", OWNER_FORMS)
def test_it_takes_the_owner_by_keyword_and_offers_only_their_vehicles(
    form_class, owner, other_user, vehicle, make_vehicle
):
    make_vehicle(other_user)
    form = form_class({}, user=owner)
    assert list(form.fields["vehicle"].queryset) == [vehicle]
    with pytest.raises(TypeError):
        form_class(owner, {})


# Django's password reset link carries its own two values.
NOT_OBJECT_ROUTES = {"password_reset_confirm"}


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
