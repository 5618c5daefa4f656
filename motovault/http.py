"""The one seam through which MotoVault calls services outside the machine (vPIC, Google Places).

Every outbound request gets a User-Agent, connect/read timeouts, one retry on timeouts and 5xx,
and a per-host circuit breaker: after a few consecutive failures the host is not called for a
short while, so that pages do not each wait for a timeout. Failures are one exception type.
"""

import logging
import re
import threading
import time
from urllib.parse import urlsplit

import requests

logger = logging.getLogger(__name__)

USER_AGENT = "MotoVault/1.0 (self-hosted vehicle records)"
TIMEOUT = (3.05, 10)  # seconds: connect, read
FAILURES_TO_OPEN = 3
OPEN_SECONDS = 30
# Half of a UTF-16 pair on its own: JSON allows it, UTF-8 cannot encode it.
_SURROGATE = re.compile("[\ud800-\udfff]")

_session = requests.Session()
_session.headers["User-Agent"] = USER_AGENT


class UpstreamError(Exception):
    """An outside service gave no usable answer: unreachable, timed out, or an HTTP error.
    The message never contains credentials; `status` is the HTTP status when there was one."""

    def __init__(self, message: str, *, status: int | None = None):
        super().__init__(message)
        self.status = status


class _Circuits:
    """Consecutive failures and open-until times per host, in this process."""

    def __init__(self):
        self._lock = threading.Lock()
        self._failures: dict[str, int] = {}
        self._open_until: dict[str, float] = {}

    def is_open(self, host: str) -> bool:
        with self._lock:
            return self._open_until.get(host, 0) > time.monotonic()

    def record(self, host: str, *, ok: bool) -> None:
        with self._lock:
            if ok:
                self._failures.pop(host, None)
                self._open_until.pop(host, None)
                return
            self._failures[host] = self._failures.get(host, 0) + 1
            if self._failures[host] >= FAILURES_TO_OPEN:
                self._open_until[host] = time.monotonic() + OPEN_SECONDS
                logger.warning(
                    "%s failed %d times in a row; not calling it for %ds",
                    host,
                    self._failures[host],
                    OPEN_SECONDS,
                )

    def reset(self) -> None:
        with self._lock:
            self._failures.clear()
            self._open_until.clear()


circuits = _Circuits()


def send(method: str, url: str, *, retries: int = 1, **kwargs) -> requests.Response:
    """Send one request and return a response with a 2xx or 3xx status.

    Raises UpstreamError on a connection error, a timeout or an HTTP error status; timeouts,
    connection errors and 5xx are retried `retries` times, 4xx never."""
    host = urlsplit(url).netloc
    if circuits.is_open(host):
        raise UpstreamError(f"{host} is failing; not trying again for a little while")
    kwargs.setdefault("timeout", TIMEOUT)
    error = UpstreamError(f"{host} could not be called")
    for _attempt in range(retries + 1):
        try:
            response = _session.request(method, url, **kwargs)
        except requests.Timeout:
            error = UpstreamError(f"{host} did not answer in time")
            continue
        except requests.RequestException as exc:
            error = UpstreamError(f"{host} could not be reached ({type(exc).__name__})")
            continue
        if response.status_code >= 500:
            error = UpstreamError(
                f"{host} answered HTTP {response.status_code}", status=response.status_code
            )
            continue
        if response.status_code >= 400:
            # A client error will not go away on retry, and the host itself is healthy.
            circuits.record(host, ok=True)
            raise UpstreamError(
                f"{host} refused the request (HTTP {response.status_code})",
                status=response.status_code,
            )
        circuits.record(host, ok=True)
        return response
    circuits.record(host, ok=False)
    raise error


def json_of(response: requests.Response):
    """The response's JSON, with any unpaired surrogate replaced by U+FFFD. `"\\ud800"` is valid
    JSON but no character: UTF-8, and so PostgreSQL, refuse to store it. Raises ValueError
    when the body is not JSON."""
    return _without_surrogates(response.json())


def _without_surrogates(value):
    if isinstance(value, str):
        return _SURROGATE.sub("\ufffd", value)
    if isinstance(value, list):
        return [_without_surrogates(item) for item in value]
    if isinstance(value, dict):
        return {_without_surrogates(key): _without_surrogates(item) for key, item in value.items()}
    return value
