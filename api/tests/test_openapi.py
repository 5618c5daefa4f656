"""The OpenAPI description validates against the specification, and its documentation page
loads nothing from another host and needs no inline script (the CSP forbids both)."""

import re

from django.contrib.staticfiles import finders
from openapi_spec_validator import validate


def test_it_describes_the_api_in_valid_openapi(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    validate(document)
    paths = document["paths"]
    assert {
        "/api/v1/vehicles/",
        "/api/v1/vehicles/{pk}/stats/",
        "/api/v1/vin/{vin}/",
        "/api/v1/fuel-logs/",
        "/api/v1/maintenance/{pk}/",
        "/api/v1/upcoming/",
        "/api/v1/stations/favorites/",
    } <= set(paths)
    assert set(document["components"]["securitySchemes"]) == {"TokenAuth", "OwnerSession"}
    # Amounts are decimal strings, as the schema says.
    gallons = document["components"]["schemas"]["FuelLogOut"]["properties"]["gallons"]
    assert gallons["type"] == "string"


def test_it_serves_the_docs_from_this_host_under_the_csp(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "script-src 'self'" in response["Content-Security-Policy"]
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert sources and all(source.startswith("/static/") for source in sources)
    # Scripts are files; the only script element with content is JSON, which never runs.
    for attributes in re.findall(r"<script([^>]*)>", html):
        assert "src=" in attributes or 'type="application/json"' in attributes
    # Files of ours: the ones django-ninja ships (the "ninja" app), collected with ours.
    for source in sources:
        assert finders.find(source.removeprefix("/static/")), source


def test_it_describes_who_is_refused_on_every_operation(client, db):
    """A client generated from the description knows the 401, the 429, and a write's 403."""
    document = client.get("/api/v1/openapi.json").json()
    validate(document)
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            expected = {"401", "429"} if method == "get" else {"401", "403", "429"}
            assert expected <= set(operation["responses"]), (method, path)
    assert (
        "Retry-After"
        in document["paths"]["/api/v1/vehicles/"]["get"]["responses"]["429"]["headers"]
    )
