"""PostgreSQL outages: once a request has found the database down, this process answers every
page with the 503 page at once, instead of letting each wait the pool's timeout (5 s) to find
out, until a cheap probe (a plain connection, at most one a second) gets through again.

Without it, during an outage every request waited the full pool timeout before its 503, so
clients piled up behind each other.
"""

import logging
import threading
import time
from collections.abc import Callable

import psycopg
from django.db import connection
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse

PROBE_INTERVAL = 1.0
# Seconds a probe waits for the database to accept it (psycopg takes whole seconds).
PROBE_TIMEOUT = 1

logger = logging.getLogger(__name__)


class Outage:
    """Whether the database is known to be down, in this process."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.down = False
        self.last_probe = 0.0

    def began(self, error: BaseException) -> None:
        if connection.vendor != "postgresql":  # SQLite is a file: no outage to wait out
            return
        with self.lock:
            if self.down:
                return
            self.down = True
            # The next request probes at once: a single failed query may not be an outage.
            self.last_probe = 0.0
        logger.warning("Database unreachable (%s); answering 503 until it is back", error)

    def is_down(self) -> bool:
        """True while the database is known to be down. Probes it when the last probe is
        PROBE_INTERVAL old; meanwhile, and while a probe is out, answers at once."""
        with self.lock:
            now = time.monotonic()
            if not self.down or now - self.last_probe < PROBE_INTERVAL:
                return self.down
            self.last_probe = now
        if not database_answers():
            return True
        with self.lock:
            self.down = False
        logger.warning("Database is back")
        return False


outage = Outage()


def database_answers() -> bool:
    """Whether PostgreSQL accepts a new connection now: a plain one, not from the pool, which
    would wait its full timeout and, after an outage, may still be backing off."""
    params = connection.get_connection_params() | {"connect_timeout": PROBE_TIMEOUT}
    try:
        psycopg.connect(**params).close()
    except psycopg.Error:
        return False
    return True


def unavailable(request: HttpRequest) -> HttpResponse:
    """The friendly 503 page, which asks to retry in half a minute."""
    response = render(request, "503.html", status=503)
    response["Retry-After"] = "30"
    return response


class DatabaseOutageMiddleware:
    """Answers 503 at once while the database is known to be down. The health check answers
    for itself (JSON), and static files are served before this runs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        if outage.is_down() and request.path_info != reverse("healthz"):
            return unavailable(request)
        return self.get_response(request)
