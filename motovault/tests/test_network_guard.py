"""The root conftest's guard: a test that reaches beyond this machine fails, naming the host."""

import socket
from pathlib import Path

import pytest
import requests
import responses

from conftest import NetworkRefused

ROOT = Path(__file__).resolve().parents[2]
OUTSIDE = """
import requests


def test_swallowed():
    try:
        requests.get("https://example.com/", timeout=5)
    except Exception:
        pass  # the code under test hides the failure; the guard still fails the test
"""


def test_it_refuses_a_request_to_another_host(_no_network):
    with pytest.raises(NetworkRefused, match=r"tried example\.com \(port 443\)"):
        requests.get("https://example.com/", timeout=5)
    assert _no_network == ["example.com:443"]
    _no_network.clear()  # refused on purpose: this test passes


@pytest.mark.parametrize(
    "address", [("93.184.215.14", 80), ("10.0.0.1", 5432), ("2606:2800:21f:cb07::1", 443)]
)
def test_it_refuses_a_connection_to_another_address(_no_network, address):
    family = socket.AF_INET6 if ":" in address[0] else socket.AF_INET
    with socket.socket(family) as sock, pytest.raises(NetworkRefused, match=address[0]):
        sock.connect(address)
    _no_network.clear()


def test_it_fails_the_test_even_when_the_code_swallows_the_error(pytester, monkeypatch):
    pytester.makepyfile(test_outside=OUTSIDE)
    # The inner run's conftest is the project's root conftest; it runs in a process of its own,
    # as Django sets up its test environment once per process.
    pytester.makeconftest(
        f"import runpy\nglobals().update(runpy.run_path({str(ROOT / 'conftest.py')!r}))"
    )
    pytester.makeini("[pytest]\nDJANGO_SETTINGS_MODULE = motovault.settings\n")
    monkeypatch.setenv("PYTHONPATH", str(ROOT))
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider", "--import-mode=importlib")
    result.assert_outcomes(passed=1, errors=1)
    result.stdout.fnmatch_lines(["*The test tried to reach the network: example.com:443*"])


def test_it_lets_recorded_responses_and_this_machine_through(live_server):
    with responses.RequestsMock() as mock:
        mock.get("https://vpic.example/x", json={"ok": True})
        assert requests.get("https://vpic.example/x", timeout=5).json() == {"ok": True}
    for host in ("localhost", "127.0.0.1"):
        url = live_server.url.replace("localhost", host)
        assert requests.get(f"{url}/healthz", timeout=10).status_code == 200
