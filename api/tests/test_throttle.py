"""Each token may make API_REQUESTS_PER_MINUTE requests a minute; then 429 with Retry-After.
Without the cache (Redis down) the API keeps serving, unthrottled."""

import pytest

from api.models import ApiToken
from api.tests.conftest import ApiClient
from motovault import cache as breaker_cache
from motovault.tests.production import free_port
from motovault.tests.test_cache import breaker_cache_at


def test_it_answers_429_with_retry_after_past_the_limit(api, owner, settings):
    settings.API_REQUESTS_PER_MINUTE = 3
    answers = [api.get("/api/v1/vehicles/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = api.get("/api/v1/vehicles/")
    assert 1 <= int(refused["Retry-After"]) <= 60
    assert refused.json()["detail"]
    # Another token of the same owner has its own count.
    other = ApiClient(ApiToken.issue(owner, "Second", read_only=True)[1])
    assert other.get("/api/v1/vehicles/").status_code == 200


def test_it_serves_while_redis_is_down(api, settings):
    """A stopped Redis (a closed port) behind the project's breaker: no count, no refusal."""
    settings.API_REQUESTS_PER_MINUTE = 1
    settings.CACHES = breaker_cache_at(f"redis://127.0.0.1:{free_port()}/0")
    breaker_cache.breakers.clear()
    try:
        assert [api.get("/api/v1/vehicles/").status_code for _ in range(3)] == [200, 200, 200]
    finally:
        breaker_cache.breakers.clear()


@pytest.mark.parametrize("limit", [2])
def test_it_throttles_a_signed_in_owner_too(owner_client, settings, limit):
    settings.API_REQUESTS_PER_MINUTE = limit
    answers = [owner_client.get("/api/v1/vehicles/").status_code for _ in range(limit + 1)]
    assert answers[-1] == 429
