import json

import pytest
from django.test import Client

from api.models import ApiToken
from costs.tests.conftest import make_cost  # noqa: F401  (a fixture the API's costs use)
from fuellogs.tests.conftest import many_logs  # noqa: F401  (a fixture the API's lists use)


class ApiClient:
    """Django's test client speaking JSON with a bearer token (none for anonymous)."""

    def __init__(self, secret: str | None = None):
        self.client = Client()
        self.headers = {"Authorization": f"Bearer {secret}"} if secret else {}

    def get(self, path, params=None):
        return self.client.get(path, params or {}, headers=self.headers)

    def _send(self, method, path, payload):
        return getattr(self.client, method)(
            path, json.dumps(payload), content_type="application/json", headers=self.headers
        )

    def post(self, path, payload):
        return self._send("post", path, payload)

    def patch(self, path, payload):
        return self._send("patch", path, payload)

    def delete(self, path):
        return self.client.delete(path, headers=self.headers)


@pytest.fixture
def owner_token(owner):
    return ApiToken.issue(owner, "Home Assistant", read_only=False)


@pytest.fixture
def api(owner_token):
    """The owner's read-write token."""
    return ApiClient(owner_token[1])


@pytest.fixture
def other_api(other_user):
    return ApiClient(ApiToken.issue(other_user, "Theirs", read_only=False)[1])


@pytest.fixture
def read_only_api(owner):
    return ApiClient(ApiToken.issue(owner, "Dashboard", read_only=True)[1])
