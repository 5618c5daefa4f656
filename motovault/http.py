"""The one seam through which MotoVault calls services outside the machine (vPIC, Google Places,
OpenStreetMap's Overpass API).

Every outbound request gets a User-Agent, a total deadline (connect, headers, body and the one
retry together, held by a watchdog that cuts the connection when it passes), a cap on the size
of the body, and a per-host circuit breaker whose state every worker shares: after a few
consecutive failures, or one call that spent its whole deadline, the host is not called for a
short while, so that pages do not each wait. Failures are one exception type.
"""

import logging
import math
import re
import socket
import threading
import time
from contextlib import suppress
from typing import Any
from urllib.parse import urlsplit

import requests
import urllib3
from django.core.cache import cache
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool

logger = logging.getLogger(__name__)

USER_AGENT = "MotoVault/1.0 (self-hosted vehicle records)"
# A whole call, retry included, never holds a worker longer than this (seconds). vPIC and
# Google answer in well under a second when they are well.
DEADLINE = 4.0
CONNECT_TIMEOUT = 3.05
# A retry is not started with less time than this left: it could not finish anyway.
MIN_RETRY_SECONDS = 1.0
# vPIC's answers are about 3 KB, a page of Places results about 10 KB.
MAX_BODY_BYTES = 2 * 1024 * 1024
_CHUNK_BYTES = 64 * 1024

FAILURES_TO_OPEN = 3
OPEN_SECONDS = 30
# Failures further apart than this are not "in a row".
FAILURE_MEMORY_SECONDS = 60

# JSON nested deeper than this is not an answer from vPIC or Places; its depths are dropped.
MAX_JSON_DEPTH = 20
# Half of a UTF-16 pair on its own: JSON allows it, UTF-8 cannot encode it.
_SURROGATE = re.compile("[\ud800-\udfff]")

WATCHDOG_THREAD = "motovault.http deadline"


class _Watchdog:
    """Cuts the sockets of one call when its deadline passes.

    Socket timeouts alone cannot hold a deadline: each read waits at most the timeout, but the
    next read starts it again, so a server that trickles its headers a byte at a time keeps a
    worker for as long as it likes. At the deadline this shuts the call's sockets down, and the
    read blocked on one returns at once. (Name lookup and connecting are bounded by the connect
    timeout, which never exceeds the time left.)"""

    def __init__(self, seconds: float):
        self._lock = threading.Lock()
        self._sockets: list[socket.socket] = []
        self._done = False
        self.passed = False
        self._timer = threading.Timer(seconds, self._cut)
        self._timer.name = WATCHDOG_THREAD
        self._timer.daemon = True

    def __enter__(self) -> "_Watchdog":
        _current.watchdog = self
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        _current.watchdog = None
        self._timer.cancel()
        with self._lock:
            # A socket returned to the pool is no longer this call's to cut.
            self._done = True
            self._sockets.clear()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            if self._done:
                return
            self._sockets.append(sock)
            if self.passed:
                _shut(sock)

    def _cut(self) -> None:
        with self._lock:
            if self._done:
                return
            self.passed = True
            for sock in self._sockets:
                _shut(sock)


def _shut(sock: socket.socket) -> None:
    # socket.socket's own shutdown, also for a TLS socket: only the file descriptor is touched,
    # not the TLS state that the reading thread is using.
    with suppress(OSError):  # already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)


# The watchdog of the call this thread is making: requests and urllib3 connect and read in
# the calling thread.
_current = threading.local()


def _watch(sock: socket.socket | None) -> None:
    watchdog = getattr(_current, "watchdog", None)
    if watchdog is not None and sock is not None:
        watchdog.watch(sock)


class _WatchedHTTPConnection(HTTPConnection):
    """A connection whose socket, new or reused from the pool, the current call's watchdog
    can cut."""

    def _new_conn(self) -> socket.socket:
        # Before TLS: a handshake that trickles is cut as well.
        sock = super()._new_conn()
        _watch(sock)
        return sock

    def request(self, *args: Any, **kwargs: Any) -> None:
        _watch(self.sock)
        super().request(*args, **kwargs)


class _WatchedHTTPSConnection(_WatchedHTTPConnection, HTTPSConnection):
    pass


class _WatchedHTTPConnectionPool(HTTPConnectionPool):
    ConnectionCls = _WatchedHTTPConnection


class _WatchedHTTPSConnectionPool(HTTPSConnectionPool):
    ConnectionCls = _WatchedHTTPSConnection


class _WatchedAdapter(HTTPAdapter):
    """requests' adapter with connections the watchdog can cut."""

    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = _WATCHED_POOLS

    def proxy_manager_for(self, proxy: str, **proxy_kwargs: Any) -> Any:
        manager = super().proxy_manager_for(proxy, **proxy_kwargs)
        manager.pool_classes_by_scheme = _WATCHED_POOLS
        return manager


_WATCHED_POOLS = {"http": _WatchedHTTPConnectionPool, "https": _WatchedHTTPSConnectionPool}

_session = requests.Session()
_session.headers["User-Agent"] = USER_AGENT
_session.mount("http://", _WatchedAdapter())
_session.mount("https://", _WatchedAdapter())


class UpstreamError(Exception):
    """An outside service gave no usable answer: unreachable, too slow, too large, or an HTTP
    error. The message never contains credentials; `status` is the HTTP status when there was
    one."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class _Circuits:
    """Consecutive failures per host, and whether its circuit is open.

    The state lives in the shared cache (Redis in production), so failures any worker sees open
    the circuit for all of them. Each process keeps its own count as well, which decides when
    the cache cannot be reached: the breaker never raises, and never needs the cache to work.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._open_until: dict[str, float] = {}

    def is_open(self, host: str) -> bool:
        with self._lock:
            if self._open_until.get(host, 0) > time.monotonic():
                return True
        try:
            return bool(cache.get(_open_key(host)))
        except Exception:
            # The breaker must never be why a page fails; this process's state decides.
            return False

    def record(self, host: str, *, ok: bool, hung: bool = False) -> None:
        """Note a call's outcome. `hung`: the call spent its whole deadline, and the next would
        hold a worker just as long, so the circuit opens at once."""
        if ok:
            with self._lock:
                self._failures.pop(host, None)
                self._open_until.pop(host, None)
            with suppress(Exception):  # if the cache is down, its count expires on its own
                cache.delete_many([_failures_key(host), _open_key(host)])
            return
        with self._lock:
            local = self._failures[host] = self._failures.get(host, 0) + 1
        shared = _shared_failures(host)
        failures = local if shared is None else shared
        if not hung and failures < FAILURES_TO_OPEN:
            return
        with self._lock:
            self._open_until[host] = time.monotonic() + OPEN_SECONDS
        with suppress(Exception):  # if the cache is down, open in this process only
            cache.set(_open_key(host), True, OPEN_SECONDS)
        logger.warning(
            "%s %s; not calling it for %ds",
            host,
            "did not answer in time" if hung else f"failed {failures} times in a row",
            OPEN_SECONDS,
        )

    def reset(self) -> None:
        """Forget this process's state (tests; the shared state is in the cache)."""
        with self._lock:
            self._failures.clear()
            self._open_until.clear()


def _failures_key(host: str) -> str:
    return f"http:v1:circuit:{host}:failures"


def _open_key(host: str) -> str:
    return f"http:v1:circuit:{host}:open"


def _shared_failures(host: str) -> int | None:
    """Count one more failure in the shared cache, atomically; None when the cache is down."""
    key = _failures_key(host)
    try:
        cache.add(key, 0, FAILURE_MEMORY_SECONDS)
        count = cache.incr(key)
    except Exception:  # unreachable, or the key expired between add and incr
        return None
    # django-redis told to ignore outages answers None instead of raising.
    return count if isinstance(count, int) else None


circuits = _Circuits()


def send(method: str, url: str, *, retries: int = 1, **kwargs: Any) -> requests.Response:
    """Send one request and return a 2xx response whose body has been read.

    Raises UpstreamError on a connection error, an HTTP error status, a redirect, a body over
    MAX_BODY_BYTES, or when DEADLINE passes. Timeouts, connection errors and 5xx are retried
    `retries` times while time is left, 4xx never."""
    host = urlsplit(url).netloc
    if circuits.is_open(host):
        raise UpstreamError(f"{host} is failing; not trying again for a little while")
    deadline = time.monotonic() + DEADLINE
    with _Watchdog(DEADLINE) as watchdog:
        return _send(method, url, host, deadline, watchdog, retries=retries, **kwargs)


def _send(
    method: str,
    url: str,
    host: str,
    deadline: float,
    watchdog: _Watchdog,
    *,
    retries: int,
    **kwargs: Any,
) -> requests.Response:
    error = UpstreamError(f"{host} could not be called")
    for attempt in range(retries + 1):
        remaining = deadline - time.monotonic()
        if attempt and remaining < MIN_RETRY_SECONDS:
            break
        try:
            response = _session.request(
                method,
                url,
                timeout=(min(CONNECT_TIMEOUT, remaining), remaining),
                stream=True,
                # A redirect would be another request, outside the deadline and the size cap.
                allow_redirects=False,
                **kwargs,
            )
        except requests.Timeout:
            error = UpstreamError(f"{host} did not answer in time")
            continue
        except requests.RequestException as exc:
            if watchdog.passed:  # it cut the connection
                error = UpstreamError(f"{host} did not answer in time")
            else:
                error = UpstreamError(f"{host} could not be reached ({type(exc).__name__})")
            continue
        status = response.status_code
        if status >= 500:
            response.close()
            error = UpstreamError(f"{host} answered HTTP {status}", status=status)
            continue
        if status >= 400:
            response.close()
            # A client error will not go away on retry, and the host itself is healthy.
            circuits.record(host, ok=True)
            raise UpstreamError(f"{host} refused the request (HTTP {status})", status=status)
        if status >= 300:
            response.close()
            circuits.record(host, ok=False)
            raise UpstreamError(f"{host} answered with a redirect (HTTP {status})", status=status)
        try:
            response._content = _read_body(response, host, deadline)
        except _BodyTooLarge as exc:
            response.close()
            circuits.record(host, ok=False)
            raise UpstreamError(str(exc)) from exc
        except UpstreamError as exc:
            response.close()
            error = UpstreamError(f"{host} did not answer in time") if watchdog.passed else exc
            continue
        if watchdog.passed:
            # It may have cut the body short, and a body without a length then looks complete.
            response.close()
            error = UpstreamError(f"{host} did not answer in time")
            break
        response.raw.release_conn()
        circuits.record(host, ok=True)
        return response
    # Out of time rather than out of tries: this host holds a worker for the whole deadline.
    circuits.record(host, ok=False, hung=deadline - time.monotonic() < MIN_RETRY_SECONDS)
    raise error


class _BodyTooLarge(UpstreamError):
    """Not retried: the same request would bring the same body."""


def _read_body(response: requests.Response, host: str, deadline: float) -> bytes:
    """The whole body, read before the deadline and no larger than MAX_BODY_BYTES."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise _BodyTooLarge(f"{host} answered with {int(declared):,} bytes, more than we read")
    body = bytearray()
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise UpstreamError(f"{host} did not answer in time")
        # Each read of the socket waits only for the time left; read1 returns what one read
        # brings, where read(n) would wait for all n bytes of a body that trickles in.
        connection = response.raw.connection
        if connection is not None and connection.sock is not None:
            connection.sock.settimeout(remaining)
        try:
            chunk = response.raw.read1(_CHUNK_BYTES)
        except urllib3.exceptions.ReadTimeoutError:
            raise UpstreamError(f"{host} did not answer in time") from None
        except (urllib3.exceptions.HTTPError, OSError) as exc:
            raise UpstreamError(f"{host} broke off its answer ({type(exc).__name__})") from exc
        if not chunk:
            return bytes(body)
        body += chunk
        if len(body) > MAX_BODY_BYTES:
            raise _BodyTooLarge(f"{host} answered with more than {MAX_BODY_BYTES:,} bytes")


def json_of(response: requests.Response) -> Any:
    """The response's JSON, made storable (see `storable`). Raises ValueError when the body is
    not JSON."""
    try:
        return storable(response.json())
    except RecursionError as exc:  # nested deeper than Python's parser goes
        raise ValueError("JSON nested too deeply") from exc


def storable(value: Any, depth: int = 0) -> Any:
    """A JSON value as PostgreSQL can store it: unpaired surrogates ("\\ud800" is valid JSON but
    no character, and UTF-8 cannot encode it) replaced by U+FFFD, NUL characters (which text and
    jsonb refuse) removed, and NaN, Infinity and anything nested deeper than MAX_JSON_DEPTH
    replaced by null."""
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value).replace("\x00", "")
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if depth >= MAX_JSON_DEPTH and isinstance(value, list | dict):
        return None
    if isinstance(value, list):
        return [storable(item, depth + 1) for item in value]
    if isinstance(value, dict):
        return {storable(key): storable(item, depth + 1) for key, item in value.items()}
    return value
