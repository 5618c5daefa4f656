"""The Redis cache's breaker (motovault/cache.py), against real servers: a port that never
answers (a frozen Redis), a closed port (a stopped one), and a private redis-server."""

import logging
import time

import pytest
from django.core.cache import caches

from motovault import cache as breaker_cache
from motovault.tests.services import FrozenRedis, RedisServer


def breaker_cache_at(url: str) -> dict:
    return {
        "default": {
            "BACKEND": "motovault.cache.BreakerRedisCache",
            "LOCATION": url,
            "OPTIONS": {
                "IGNORE_EXCEPTIONS": True,
                "SOCKET_CONNECT_TIMEOUT": 1,
                "SOCKET_TIMEOUT": 1,
            },
        }
    }


@pytest.fixture(autouse=True)
def _no_outage_yet():
    """Breakers live as long as the process; each test starts with none open."""
    breaker_cache.breakers.clear()


@pytest.fixture
def frozen_redis(settings):
    frozen = FrozenRedis()
    settings.CACHES = breaker_cache_at(frozen.url)
    yield frozen
    frozen.close()


@pytest.fixture
def redis_server(settings):
    if not RedisServer.available():
        pytest.skip("needs redis-server")
    server = RedisServer()
    server.start()
    settings.CACHES = breaker_cache_at(server.url)
    yield server
    server.stop()


@pytest.fixture
def short_outages(monkeypatch):
    """Outage windows of a fraction of a second, so that a test can outlast one."""
    monkeypatch.setattr(breaker_cache, "OUTAGE_SECONDS", 0.3)


def outage_lines(caplog) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "motovault.cache"]


def test_it_waits_for_a_frozen_redis_once_then_serves_misses_without_it(frozen_redis):
    cache = caches["default"]
    assert cache.get("stats", "missing") == "missing"
    # Reads miss and writes do nothing, all without a second wait on the frozen server.
    assert cache.get_many(["stats", "list"]) == {}
    cache.set("stats", 1)
    assert cache.get("stats") is None
    assert cache.get_or_set("list", lambda: [1, 2]) == [1, 2]
    assert not cache.add("lock", 1)
    assert cache.incr("count") is None
    cache.delete_many(["stats", "list"])
    assert len(frozen_redis.connections) == 1


def test_it_probes_a_frozen_redis_quickly_after_each_outage_window(frozen_redis, short_outages):
    """A long freeze: each window ends with a probe, which must not cost a page the full
    socket timeout (1 s) again."""
    cache = caches["default"]
    assert cache.get("stats") is None  # the one full timeout
    waits = []
    ends = time.monotonic() + 2
    while time.monotonic() < ends:
        started = time.monotonic()
        assert cache.get("stats", "missing") == "missing"
        waits.append(time.monotonic() - started)
        time.sleep(0.05)
    # The probes wait 0.2 s; the margin is for a busy machine.
    assert max(waits) < 0.6
    # Several windows passed, each ended by a probe (a connection of its own) that failed.
    assert len(frozen_redis.connections) >= 3


def test_it_shares_the_breaker_with_the_other_cache_objects_of_the_process(frozen_redis):
    """Django makes one cache object per thread; an outage one of them saw spares the others
    the wait."""
    caches["default"].get("stats")
    other_thread_cache = caches.create_connection("default")
    assert other_thread_cache.get("stats", "missing") == "missing"
    assert len(frozen_redis.connections) == 1


def test_it_logs_one_line_without_a_traceback_for_an_outage(settings, caplog):
    settings.CACHES = breaker_cache_at("redis://127.0.0.1:1/0")
    cache = caches["default"]
    for _ in range(5):
        assert cache.get("stats") is None
        cache.set("stats", 1)
    [line] = outage_lines(caplog)
    assert line.levelno == logging.WARNING
    assert line.getMessage().startswith("Redis unreachable (Error 111 connecting to 127.0.0.1:1")
    assert line.getMessage().endswith("serving without the cache for 10 s")
    assert line.exc_info is None
    assert "Exception ignored" not in caplog.text


def test_it_tries_redis_again_after_the_outage_window_and_says_when_it_is_back(
    redis_server, short_outages, caplog
):
    cache = caches["default"]
    cache.set("stats", 1)
    redis_server.stop()
    assert cache.get("stats") is None
    redis_server.start()
    assert cache.get("stats") is None  # still skipped: the window is open

    time.sleep(0.4)
    cache.set("stats", 2)
    assert cache.get("stats") == 2
    assert [line.getMessage() for line in outage_lines(caplog)] == [
        f"Redis unreachable (Error 111 connecting to 127.0.0.1:{redis_server.port}. "
        "Connection refused.); serving without the cache for 0.3 s",
        "Redis is back; using the cache again",
    ]


def test_it_stays_quiet_while_redis_is_still_down_after_the_window(settings, short_outages, caplog):
    settings.CACHES = breaker_cache_at("redis://127.0.0.1:1/1")
    cache = caches["default"]
    for _ in range(3):
        assert cache.get("stats", "missing") == "missing"
        time.sleep(0.4)
    assert len(outage_lines(caplog)) == 1
