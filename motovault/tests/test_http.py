"""The seam to outside services: a total deadline, a cap on the body, and a circuit breaker that
every worker shares."""

import threading
import time
import tracemalloc

import pytest
import requests
from django.test import override_settings

from motovault import http
from motovault.http import UpstreamError, circuits, send
from motovault.tests.stub_upstream import StubUpstream
from motovault.tests.test_health import UNREACHABLE_REDIS

URL = "https://vpic.test/api/vehicles/DecodeVinValues/1FTMW1T88MFA00001"


@pytest.fixture
def short_deadline(monkeypatch):
    """The stub servers make these tests wait for the deadline: 1.5 s rather than 4."""
    monkeypatch.setattr(http, "DEADLINE", 1.5)


def timed_failure(url: str) -> tuple[float, str]:
    started = time.monotonic()
    with pytest.raises(UpstreamError) as failure:
        send("GET", url)
    return time.monotonic() - started, str(failure.value)


def watchdogs_left() -> list[threading.Thread]:
    """The deadline timers still running a second after their calls ended."""
    timers = [t for t in threading.enumerate() if t.name == http.WATCHDOG_THREAD]
    for timer in timers:
        timer.join(timeout=1)
    return [timer for timer in timers if timer.is_alive()]


# ---- The deadline --------------------------------------------------------------------------


def test_it_gives_up_on_a_host_that_never_answers_at_the_deadline(short_deadline):
    with StubUpstream("hang") as stub:
        elapsed, message = timed_failure(f"{stub.url}/decode")
        assert message == f"{stub.url.removeprefix('http://')} did not answer in time"
        # Once, within the deadline (the old timeouts took 20 s): no retry was started with no
        # time left for it.
        assert elapsed < http.DEADLINE + 2
        assert stub.requests_seen == ["/decode"]

        # A call that spent its whole deadline opens the circuit at once.
        elapsed, message = timed_failure(f"{stub.url}/decode")
        assert "not trying again for a little while" in message
        assert stub.requests_seen == ["/decode"]


def test_it_cuts_a_body_that_trickles_in_at_the_deadline(short_deadline):
    # A byte every 0.3 s never trips a read timeout; the 1,000 bytes would take 5 minutes.
    with StubUpstream("trickle", interval=0.3) as stub:
        elapsed, message = timed_failure(f"{stub.url}/decode")
    assert message.endswith("did not answer in time")
    assert elapsed < http.DEADLINE + 2


def test_it_cuts_headers_that_trickle_in_at_the_deadline(short_deadline):
    # The read timeout starts again with each byte, and the headers are read before the body;
    # without the watchdog this call took until the stub gave up (110 bytes, 0.2 s each).
    with StubUpstream("trickle-headers", interval=0.2) as stub:
        elapsed, message = timed_failure(f"{stub.url}/decode")
        assert message.endswith("did not answer in time")
        assert elapsed < http.DEADLINE + 0.5
        assert stub.requests_seen == ["/decode"]
        # It spent its whole deadline: the circuit is open.
        _elapsed, message = timed_failure(f"{stub.url}/decode")
        assert "not trying again for a little while" in message
    assert not watchdogs_left()


def test_it_retries_a_failed_call_while_there_is_time(mocked):
    mocked.get(URL, body=requests.ConnectionError("refused"))
    mocked.get(URL, json={"Results": []})
    assert send("GET", URL).json() == {"Results": []}
    assert len(mocked.calls) == 2
    # The deadline's timer ended with the call, rather than waiting for the deadline.
    assert not watchdogs_left()


# ---- The size cap --------------------------------------------------------------------------


@pytest.mark.parametrize("behavior", ["huge", "huge-declared"])
def test_it_refuses_a_body_over_the_cap_without_holding_it(behavior):
    with StubUpstream(behavior) as stub:
        tracemalloc.start()
        try:
            _elapsed, message = timed_failure(f"{stub.url}/decode")
            _size, peak = tracemalloc.get_traced_memory()
        finally:
            tracemalloc.stop()
    if behavior == "huge":
        assert message.endswith("answered with more than 2,097,152 bytes")
    else:
        assert message.endswith("answered with 1,200,000,000 bytes, more than we read")
    # Of the 1.2 GB sent, no more than the cap was ever held.
    assert peak < 3 * http.MAX_BODY_BYTES
    # The same request would bring the same body, so it is not retried.
    assert stub.requests_seen == ["/decode"]


# ---- The circuit breaker -------------------------------------------------------------------


def fail_three_times(mocked) -> None:
    mocked.get(URL, body=requests.ConnectionError("refused"))
    for _ in range(3):
        with pytest.raises(UpstreamError, match="could not be reached"):
            send("GET", URL)
    assert len(mocked.calls) == 6  # each with its retry


def test_it_opens_the_circuit_for_every_worker(mocked):
    fail_three_times(mocked)
    # Another worker, which saw none of the failures: this process forgets its own.
    circuits.reset()
    with pytest.raises(UpstreamError, match="not trying again for a little while"):
        send("GET", URL)
    assert len(mocked.calls) == 6


@pytest.mark.parametrize("ignore_exceptions", [True, False], ids=["ignored", "raised"])
def test_it_opens_the_circuit_in_this_process_when_the_cache_is_down(mocked, ignore_exceptions):
    unreachable = {"default": {**UNREACHABLE_REDIS["default"]}}
    unreachable["default"]["OPTIONS"] = {
        **UNREACHABLE_REDIS["default"]["OPTIONS"],
        "IGNORE_EXCEPTIONS": ignore_exceptions,
    }
    with override_settings(CACHES=unreachable):
        fail_three_times(mocked)
        with pytest.raises(UpstreamError, match="not trying again for a little while"):
            send("GET", URL)
    assert len(mocked.calls) == 6


def test_it_counts_only_failures_in_a_row(mocked):
    for _ in range(4):
        mocked.get(URL, body=requests.ConnectionError("refused"))
    mocked.get(URL, json={})
    mocked.get(URL, body=requests.ConnectionError("refused"))
    for _ in range(2):
        with pytest.raises(UpstreamError):
            send("GET", URL)
    assert send("GET", URL).json() == {}
    # Two failures before the success and three after it: the circuit is still closed.
    for _ in range(3):
        with pytest.raises(UpstreamError, match="could not be reached"):
            send("GET", URL)
    assert len(mocked.calls) == 4 + 1 + 6
