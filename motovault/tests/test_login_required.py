"""Every page outside the public allow-list requires login. The list of patterns comes from the
URL resolver, so a page added tomorrow is covered (and a new public page must be listed here).
The API's operations (/api/v1/) answer an anonymous request 401 in JSON, not with the sign-in
page's redirect, which a script cannot follow."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

PUBLIC = {
    "login",
    "signup",
    "healthz",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    # Reached from a calendar app and a mail client: the secret token in the address is the key.
    "reminders:calendar",
    "reminders:unsubscribe",
    # The API's description and its documentation page hold no owner's data.
    "api:api-root",
    "api:openapi-json",
    "api:openapi-view",
}


def walk(patterns, prefix="", namespace=""):
    for entry in patterns:
        if isinstance(entry, URLResolver):
            ns = entry.namespace or ""
            yield from walk(
                entry.url_patterns,
                prefix + str(entry.pattern),
                f"{namespace}{ns}:" if ns else namespace,
            )
        elif isinstance(entry, URLPattern):
            yield f"{namespace}{entry.name or ''}", prefix + str(entry.pattern)


def example_path(route: str) -> str:
    """Fill every converter with a plausible value."""
    path = re.sub(r"<uuid(?:str)?:\w+>", "00000000-0000-0000-0000-000000000000", route)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<(?:str|slug):?\w*>", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)


APP_PATTERNS = [
    (name, route)
    for name, route in walk(get_resolver().url_patterns)
    if not name.startswith("admin:") and name not in PUBLIC
]


PAGES = [(name, route) for name, route in APP_PATTERNS if not name.startswith("api:")]
API_OPERATIONS = [(name, route) for name, route in APP_PATTERNS if name.startswith("api:")]


@pytest.mark.parametrize(("name", "route"), PAGES, ids=[n for n, _ in PAGES])
def test_it_requires_login(client, db, name, route):
    response = client.get(example_path(route))
    assert response.status_code in (302, 405), name
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/"), name


@pytest.mark.parametrize(("name", "route"), API_OPERATIONS, ids=[n for n, _ in API_OPERATIONS])
def test_it_answers_the_api_anonymously_401_in_json(client, db, name, route):
    response = client.get(example_path(route))
    if response.status_code == 405:  # an action that only writes (a service's completion)
        response = client.post(example_path(route), content_type="application/json")
    assert response.status_code == 401, name
    assert response.json()["detail"], name
    assert response["WWW-Authenticate"].startswith("Bearer"), name


def test_it_walks_the_api():
    assert {"api:list_vehicles", "api:read_fuel_log", "api:list_upcoming"} <= {
        name for name, _ in API_OPERATIONS
    }
