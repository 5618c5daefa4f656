"""Every page outside the public allow-list requires login. The list of patterns comes from the
URL resolver, so a page added tomorrow is covered (and a new public page must be listed here)."""

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
    path = re.sub(r"<uuid:\w+>", "00000000-0000-0000-0000-000000000000", route)
    path = re.sub(r"<int:\w+>", "1", path)
    path = re.sub(r"<(?:str|slug):?\w*>", "x", path)
    path = path.replace("^", "").replace("$", "").replace("\\Z", "")
    return "/" + re.sub(r"\(\?P<\w+>[^)]*\)", "1", path)


APP_PATTERNS = [
    (name, route)
    for name, route in walk(get_resolver().url_patterns)
    if not name.startswith("admin:") and name not in PUBLIC
]


@pytest.mark.parametrize(("name", "route"), APP_PATTERNS, ids=[n for n, _ in APP_PATTERNS])
def test_it_requires_login(client, db, name, route):
    response = client.get(example_path(route))
    assert response.status_code in (302, 405), name
    if response.status_code == 302:
        assert response["Location"].startswith("/accounts/login/"), name
