"""Each token may make API_REQUESTS_PER_MINUTE requests a minute; then 429 with Retry-After.
Without the cache (Redis down) the API keeps serving, unthrottled."""

import pytest

from api import auth
from api.models import ApiToken
from api.tests.conftest import ApiClient
from motovault import cache as breaker_cache
from motovault.tests.production import free_port
from motovault.tests.test_cache import breaker_cache_at


@pytest.fixture
def clock(hold_clock):
    return hold_clock(auth)


def test_it_answers_429_with_retry_after_past_the_limit(api, owner, settings, clock):
    settings.API_REQUESTS_PER_MINUTE = 3
    answers = [api.get("/api/v1/vehicles/").status_code for _ in range(4)]
    assert answers == [200, 200, 200, 429]
    refused = api.get("/api/v1/vehicles/")
    assert refused["Retry-After"] == "40"
    assert refused.json()["detail"]
    # Another token of the same owner has its own count.
    other = ApiClient(ApiToken.issue(owner, "Second", read_only=True)[1])
    assert other.get("/api/v1/vehicles/").status_code == 200


def test_the_count_starts_again_with_the_next_minute(api, settings, clock):
    settings.API_REQUESTS_PER_MINUTE = 1
    assert [api.get("/api/v1/vehicles/").status_code for _ in range(2)] == [200, 429]
    clock.now += 40
    assert api.get("/api/v1/vehicles/").status_code == 200


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
def test_it_throttles_a_signed_in_owner_too(owner_client, settings, limit, clock):
    settings.API_REQUESTS_PER_MINUTE = limit
    answers = [owner_client.get("/api/v1/vehicles/").status_code for _ in range(limit + 1)]
    assert answers[-1] == 429
