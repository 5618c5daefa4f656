"""Reads from a streaming replica (DATABASE_REPLICA_URL), never at the cost of a stale page.

Only work that is marked `reading_from_replica()` goes to the replica: statistics, charts, the
CSV exports and the account archive, the calendar feed and the recall lists. Everything else
stays on the primary: every write, every read of a request whose method may write (POST and
the like), of a request after its first write, or inside a transaction, and migrations. The
router cannot tell a read that precedes a write from one that does not, so nothing is sent by
guessing.

Read-your-writes. Replication lags, so after an owner's request wrote to the primary, their
reads stay on the primary for READ_YOUR_WRITES_SECONDS. The pin is a signed cookie (the
signature's timestamp is its age): it holds across app servers, which share SECRET_KEY but no
memory, and costs no lookup, so a Redis outage cannot send anyone to a stale replica. It pins a
browser: the owner's other devices, and token-authenticated API clients, may read a few seconds
behind.

A replica that cannot be reached costs one short wait (the replica's connect timeout), after
which this process reads from the primary for REPLICA_RETRY_SECONDS before trying again.
A value read from the replica and cached (the fuel statistics, `fuellogs.cache`) is kept only
READ_YOUR_WRITES_SECONDS and ignored by a request pinned to the primary: a lagging read cached
after an invalidation must not outlive the pin."""

import logging
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from functools import wraps
from typing import Any

from django.conf import settings
from django.db import DatabaseError, connections
from django.http import HttpRequest, HttpResponse, HttpResponseBase

logger = logging.getLogger(__name__)

REPLICA = "replica"
PIN_COOKIE = "primary_until"
PIN_SALT = "motovault.replica.pin"
REPLICA_RETRY_SECONDS = 30
# The statements that change data (a CTE may hide one: a pin too many is only a read from the
# primary).
SAFE_METHODS = ("GET", "HEAD", "OPTIONS", "TRACE")
WRITES = ("INSERT", "UPDATE", "DELETE", "MERGE", "TRUNCATE", "COPY", "WITH")

# Whether the current code reads from the replica, and whether the request is pinned to the
# primary. Context variables, so threads and async tasks never see each other's.
_reading = ContextVar("reading_from_replica", default=False)
_pinned = ContextVar("pinned_to_primary", default=False)
# Set by noting_replica_reads(): whether the code inside it read from the replica, or used a
# value cached from it.
_replica_reads: ContextVar[list[bool] | None] = ContextVar("replica_reads", default=None)
# When this process found the replica unreachable: a replica outage is checked again only
# after REPLICA_RETRY_SECONDS (each process learns it for itself, at the cost of one wait).
_down_until = 0.0


class ReplicaRouter:
    """Reads marked `reading_from_replica()` go to the replica; everything else to default."""

    def db_for_read(self, model: type, **hints: Any) -> str:
        return REPLICA if _reading.get() else "default"

    def db_for_write(self, model: type, **hints: Any) -> str:
        return "default"

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool:
        # Both aliases hold the same data.
        return True

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        return db == "default"


def _replica_available() -> bool:
    """True when a replica is configured and answers; a failure is remembered for a while."""
    if (
        REPLICA not in settings.DATABASES
        or _pinned.get()
        # Inside a transaction on the primary, a read may precede a write.
        or connections["default"].in_atomic_block
        or time.monotonic() < _down_until
    ):
        return False
    try:
        connections[REPLICA].ensure_connection()
    except DatabaseError:
        _remember_down()
        return False
    return True


def _remember_down() -> None:
    global _down_until
    _down_until = time.monotonic() + REPLICA_RETRY_SECONDS
    logger.warning("The read replica is unreachable: reading from the primary.")


@contextmanager
def reading_from_replica() -> Iterator[None]:
    """Sends the reads inside it to the replica, unless none is configured, it is down, or the
    request is pinned to the primary after a write. Mark only code that never writes. Also a
    decorator."""
    token = _reading.set(_reading.get() or _replica_available())
    if _reading.get() and (noted := _replica_reads.get()) is not None:
        noted.append(True)
    try:
        yield
    finally:
        _reading.reset(token)


@contextmanager
def noting_replica_reads() -> Iterator[list[bool]]:
    """Yields a list that is not empty once the code inside the block read from the replica (or
    took a value cached from it, which only code reading from the replica may take): what it
    made may lag the primary."""
    noted: list[bool] = []
    token = _replica_reads.set(noted)
    try:
        yield noted
    finally:
        _replica_reads.reset(token)


def reads_from_replica() -> bool:
    """Whether the current reads go to the replica (so their results are cached briefly, and
    only for requests that may read from it)."""
    return _reading.get()


def replica_view[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """A read-only view whose reads go to the replica, including those of a streamed response,
    which run after the view has returned (and after the middleware has unpinned)."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        with reading_from_replica():
            on_replica = reads_from_replica()
            try:
                response = view(request, *args, **kwargs)
            except DatabaseError:
                # The replica went away after it answered: the view only reads, so it runs
                # again from the primary rather than failing.
                if not on_replica or not _replica_dropped():
                    raise
                response = None
        if response is None:
            response = view(request, *args, **kwargs)
        if response.streaming:
            pinned = _pinned.get()
            response.streaming_content = _streamed(response.streaming_content, pinned)  # type: ignore[attr-defined]
        return response

    return wrapped  # type: ignore[return-value]


def primary_if_replica_drops[V: Callable[..., HttpResponseBase]](view: V) -> V:
    """A view that never writes and reads from the replica in parts (`reading_from_replica()`
    inside it, as the vehicle page's statistics): if the replica goes away mid-page, the page
    is made again from the primary rather than failing."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            return view(request, *args, **kwargs)
        except DatabaseError:
            if not _replica_dropped():
                raise
        return view(request, *args, **kwargs)

    return wrapped  # type: ignore[return-value]


def _replica_dropped() -> bool:
    """After a DatabaseError: whether the replica's connection is the one that went away, in
    which case this process reads from the primary for a while."""
    if REPLICA not in settings.DATABASES:
        return False
    replica = connections[REPLICA]
    if replica.connection is None or replica.is_usable():
        return False
    replica.close()
    _remember_down()
    return True


def _streamed(content: Iterable[Any], pinned: bool) -> Iterator[Any]:
    chunks = iter(content)
    while True:
        token = _pinned.set(pinned)
        try:
            with reading_from_replica():
                chunk = next(chunks, StopIteration)
        finally:
            _pinned.reset(token)
        if chunk is StopIteration:
            return
        yield chunk


class ReadYourWritesMiddleware:
    """Pins a browser to the primary for READ_YOUR_WRITES_SECONDS after a request of it wrote
    to the primary (a statement that changes data, committed or not: a pin too many is only a
    read from the primary)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if REPLICA not in settings.DATABASES:
            return self.get_response(request)
        seconds = settings.READ_YOUR_WRITES_SECONDS
        # A request that may write reads from the primary throughout (its reads may precede
        # its writes), and so does a browser that wrote a moment ago.
        pinned = request.method not in SAFE_METHODS or (
            request.get_signed_cookie(PIN_COOKIE, default=None, salt=PIN_SALT, max_age=seconds)
            is not None
        )
        wrote = False

        def watch(execute: Callable[..., Any], sql: str, *args: Any) -> Any:
            nonlocal wrote
            if sql.lstrip(" (\n").upper().startswith(WRITES):
                # The rest of this request too (a GET that writes) reads from the primary.
                wrote = True
                _pinned.set(True)
            return execute(sql, *args)

        token = _pinned.set(pinned)
        try:
            with connections["default"].execute_wrapper(watch):
                response = self.get_response(request)
        finally:
            _pinned.reset(token)
        if wrote:
            response.set_signed_cookie(
                PIN_COOKIE,
                "1",
                salt=PIN_SALT,
                max_age=seconds,
                secure=settings.SESSION_COOKIE_SECURE,
                httponly=True,
                samesite="Lax",
            )
        return response
