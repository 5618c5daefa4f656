"""The Redis cache backend: django-redis with a breaker, so that an outage costs a page one
timeout, once, and the log one line.

django-redis alone turns each failed call into a miss, but pays each call's socket timeout (a
frozen Redis made every page wait about 4 s) and logs a traceback for each (about 13 KB a request
while Redis was stopped). Here, the first connection error or timeout opens a breaker in this
process: for OUTAGE_SECONDS every cache call is a miss (reads return the default, writes do
nothing) without touching Redis. After that, the next call first sends Redis a PING on a
connection of its own that waits at most PROBE_TIMEOUT, not the full socket timeout: only when
Redis answers do calls reach it again. While it still fails, the breaker stays open, silently,
so a long freeze costs each worker one full timeout and then a short probe per window.
"""

import logging
import socket
import threading
import time
from typing import Any

import redis
from django_redis.cache import RedisCache, omit_exception
from django_redis.exceptions import ConnectionInterrupted
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import TimeoutError as RedisTimeoutError

OUTAGE_SECONDS = 10
# Redis answers a PING in well under a millisecond; a frozen one never does. The page that
# probes waits this long at most.
PROBE_TIMEOUT = 0.2

# Errors that mean Redis is unreachable; others (a wrong key type) are not outages.
UNREACHABLE = (RedisConnectionError, RedisTimeoutError, socket.timeout)

logger = logging.getLogger(__name__)


class Breaker:
    """Whether one Redis server is skipped, in this process: open from a failed call until
    OUTAGE_SECONDS later, then half-open for a single call whose quick PING decides."""

    def __init__(self, server: str):
        self.server = server
        self.lock = threading.Lock()
        self.in_outage = False
        self.skip_until = 0.0

    def allows_a_call(self) -> bool:
        with self.lock:
            now = time.monotonic()
            if now < self.skip_until:
                return False
            if not self.in_outage:
                return True
            # This call probes; the others keep skipping until it has answered.
            self.skip_until = now + OUTAGE_SECONDS
        try:
            self.ping()
        except UNREACHABLE as error:
            self.failed(error)
            return False
        self.succeeded()
        return True

    def ping(self) -> None:
        """PING the server on a connection of its own with a short timeout (the pooled ones wait
        the full socket timeout); raises when Redis does not answer in time."""
        # Of "primary,replica,...", the primary: django-redis writes there.
        client = redis.Redis.from_url(
            self.server.split(",")[0],
            socket_timeout=PROBE_TIMEOUT,
            socket_connect_timeout=PROBE_TIMEOUT,
        )
        try:
            client.ping()
        finally:
            client.close()

    def failed(self, error: BaseException) -> None:
        with self.lock:
            self.skip_until = time.monotonic() + OUTAGE_SECONDS
            if self.in_outage:
                return
            self.in_outage = True
        logger.warning(
            "Redis unreachable (%s); serving without the cache for %g s", error, OUTAGE_SECONDS
        )

    def succeeded(self) -> None:
        with self.lock:
            if not self.in_outage:
                return
            self.in_outage = False
            self.skip_until = 0.0
        logger.warning("Redis is back; using the cache again")


# One per server, shared by every cache object of the process (Django makes one per thread).
breakers: dict[str, Breaker] = {}
breakers_lock = threading.Lock()


def breaker_for(server: str) -> Breaker:
    with breakers_lock:
        return breakers.setdefault(server, Breaker(server))


class GuardedClient:
    """The django-redis client behind the breaker: each call it forwards either reaches Redis
    and tells the breaker how that went, or is refused at once as if the connection had failed,
    which django-redis (IGNORE_EXCEPTIONS) turns into a miss."""

    def __init__(self, client: Any, breaker: Breaker):
        self.client = client
        self.breaker = breaker

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)
        if not callable(method):
            return method

        def guarded(*args: Any, **kwargs: Any) -> Any:
            if not self.breaker.allows_a_call():
                skipped = RedisConnectionError("skipped: Redis was unreachable a moment ago")
                raise ConnectionInterrupted(connection=None) from skipped
            try:
                result = method(*args, **kwargs)
            except ConnectionInterrupted as error:
                if isinstance(error.__cause__, UNREACHABLE):
                    self.breaker.failed(error.__cause__)
                raise
            self.breaker.succeeded()
            return result

        return guarded


class BreakerRedisCache(RedisCache):
    """django-redis's RedisCache whose calls go through this process's breaker for its server.
    Configure it with IGNORE_EXCEPTIONS, and DJANGO_REDIS_LOG_IGNORED_EXCEPTIONS off: the
    breaker logs the outage itself, once."""

    def __init__(self, server: str, params: dict[str, Any]):
        super().__init__(server, params)
        self.breaker = breaker_for(server)

    @property
    def client(self) -> GuardedClient:
        return GuardedClient(super().client, self.breaker)

    @omit_exception
    def close(self, **kwargs: Any) -> None:
        # Django closes caches after every request. That touches no server (unless
        # DJANGO_REDIS_CLOSE_CONNECTION), so it must not count as Redis answering.
        if self._client:
            self._client.close()
