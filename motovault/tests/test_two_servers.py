"""Two gunicorn servers of the app behind HAProxy, round-robin with no sticky sessions, sharing
the database, Redis and the attachments' storage (docs/scaling.md): an owner's journey whose
consecutive requests land on different servers works as it does on one."""

import io
import os
import re
from contextlib import ExitStack
from html.parser import HTMLParser
from itertools import pairwise
from pathlib import Path

import pytest
import requests
from django.conf import settings
from django.db import connection
from PIL import Image

from motovault.tests import load_balancer
from motovault.tests.production import free_port, serve_in_production

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="runs on the PostgreSQL leg"),
    pytest.mark.skipif(
        "redis" not in settings.CACHES["default"]["BACKEND"].lower(), reason="runs on the Redis leg"
    ),
    # In CI (.ci/run installs it) a missing HAProxy fails the journey rather than skipping it.
    pytest.mark.skipif(
        not load_balancer.available() and not os.environ.get("CI"), reason="needs Debian's haproxy"
    ),
]

UNREACHABLE = "http://127.0.0.1:9"  # the discard port: nothing listens, so outside calls fail


class Forms(HTMLParser):
    """Every form on a page: its action and the values a browser would send unchanged (hidden
    inputs such as the CSRF token, filled-in inputs, selected options, checked boxes)."""

    def __init__(self, html: str):
        super().__init__()
        self.forms: list[tuple[str, dict[str, str]]] = []
        self.select: str | None = None
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        a = {name: value or "" for name, value in attrs}
        if tag == "form":
            self.forms.append((a.get("action", ""), {}))
        elif not self.forms or ("name" not in a and tag != "option"):
            return
        elif tag == "input":
            kind = a.get("type", "text")
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "file", "button"):
                self.forms[-1][1][a["name"]] = a.get("value", "on" if kind == "checkbox" else "")
        elif tag == "select":
            self.select = a["name"]
        elif tag == "option" and self.select and "selected" in a:
            self.forms[-1][1][self.select] = a.get("value", "")

    def handle_endtag(self, tag):
        if tag == "select":
            self.select = None

    def values(self, page: str, action: str) -> dict[str, str]:
        """The form posting to `action`; one with no action posts to its own page."""
        return next(
            values
            for target, values in self.forms
            if (target or page).split("?")[0].endswith(action)
        )


class Visitor:
    """A browser reduced to what the journey needs: one cookie jar, every answer's server noted."""

    def __init__(self, url: str):
        self.url = url
        self.session = requests.Session()
        self.served_by: list[str] = []

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        response = self.session.request(
            method, self.url + path, allow_redirects=False, timeout=30, **kwargs
        )
        self.served_by.append(response.headers["X-Served-By"])
        assert response.status_code < 400, (method, path, response.status_code)
        return response

    def get(self, path: str) -> requests.Response:
        return self.request("GET", path)

    def submit(self, page: str, action: str, fields: dict, files=None) -> str:
        """Fill in the form posting to `action` on `page`, as fetched from one server, and post
        it (to the other): the redirect's target."""
        values = {**Forms(self.get(page).text).values(page, action), **fields}
        response = self.request("POST", action, data=values, files=files)
        assert response.status_code == 302, response.text[:2000]
        return response.headers["Location"]


def small_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (32, 24), (200, 30, 30)).save(buffer, "JPEG")
    return buffer.getvalue()


@pytest.mark.django_db(transaction=True)
def test_it_keeps_an_owner_signed_in_and_their_files_across_two_servers(tmp_path):
    database = connection.settings_dict
    media = tmp_path / "media"
    media.mkdir()
    environment = {
        "SECRET_KEY": "two-servers-" + "k3y-" * 12,
        "SECURE_SSL_REDIRECT": "false",
        "SESSION_COOKIE_SECURE": "false",
        "CSRF_COOKIE_SECURE": "false",
        "DATABASE_URL": (
            f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
            f"{database['PORT'] or 5432}/{database['NAME']}"
        ),
        "REDIS_URL": settings.REDIS_URL,
        # Behind PgBouncer (CI's leg through it) the servers need its settings as any app does.
        "DATABASE_POOLER": settings.DATABASE_POOLER,
        "MEDIA_ROOT": str(media),
        "VPIC_BASE_URL": UNREACHABLE,
        "RECALLS_BASE_URL": UNREACHABLE,
        "OVERPASS_ENABLED": "false",
    }
    with ExitStack() as stack:
        ports = []
        for name in ("app-1", "app-2"):
            (tmp_path / name).mkdir()
            url = stack.enter_context(serve_in_production(tmp_path / name, **environment))
            ports.append(int(url.rsplit(":", 1)[1]))
        url = stack.enter_context(load_balancer.load_balancer(free_port(), ports))
        visitor = Visitor(url)

        visitor.submit(
            "/accounts/signup/",
            "/accounts/signup/",
            {
                "username": "alice",
                "email": "alice@example.com",
                "password1": "correct-horse-battery-staple",
                "password2": "correct-horse-battery-staple",
            },
        )
        added = visitor.submit(
            "/vehicles/add/",
            "/vehicles/add/",
            {
                "year": "2010",
                "make": "Honda",
                "model": "Accord",
                "nickname": "Daily driver",
                "odometer_reading": "42000",
            },
        )
        vehicle = re.search(r"/vehicles/([0-9a-f-]{36})/", added).group(1)
        for day, odometer in (("2026-11-01", "42300"), ("2026-11-15", "42650")):
            visitor.submit(
                f"/fuel/add/?vehicle={vehicle}",
                "/fuel/add/",
                {
                    "vehicle": vehicle,
                    "date": day,
                    "odometer_reading": odometer,
                    "gallons": "10.5",
                    "total_cost": "36.75",
                },
            )
        photo = small_jpeg()
        visitor.submit(
            f"/vehicles/{vehicle}/",
            f"/attachments/upload/vehicle/{vehicle}/",
            {},
            files={"file": ("receipt.jpg", photo, "image/jpeg")},
        )
        page = visitor.get(f"/vehicles/{vehicle}/").text
        download = re.search(r'href="(/attachments/[0-9a-f-]{36}/)"', page).group(1)
        fetched = [visitor.get(download) for _ in range(2)]  # once from each server
        assert "Daily driver" in page
        assert "receipt.jpg" in page
        assert "33.3" in page  # 350 mi on 10.5 gal: the statistics, from the shared database

        visitor.submit("/", "/accounts/logout/", {})
        signed_out = visitor.get("/")

    assert all(response.content != b"" for response in fetched)
    assert {r.headers["X-Served-By"] for r in fetched} == {"app-1", "app-2"}
    assert signed_out.status_code == 302 and "/accounts/login/" in signed_out.headers["Location"]
    # Round-robin: each request went to the other server than the one before.
    assert all(a != b for a, b in pairwise(visitor.served_by)), visitor.served_by
    assert set(visitor.served_by) == {"app-1", "app-2"}
    assert [p.name for p in Path(media).rglob("*.jpg")], "stored once, in the shared MEDIA_ROOT"
