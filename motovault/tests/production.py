"""Running code under production settings, which are read once at start-up: so in a fresh
interpreter, not in the test process."""

import json
import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

BASE_DIR = Path(__file__).resolve().parents[2]


def production_environment(tmp_path: Path, **environment: str) -> dict[str, str]:
    """The environment of an instance with DEBUG off and these settings, its static files
    collected first: with DEBUG off, pages need WhiteNoise's manifest."""
    env = {
        "PATH": os.environ["PATH"],
        "ENV_FILE": "/dev/null",
        "DJANGO_SETTINGS_MODULE": "motovault.settings",
        "DEBUG": "false",
        "ALLOWED_HOSTS": "testserver",
        "STATIC_ROOT": str(tmp_path / "static"),
        **environment,
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE_DIR,
        env=env,
        check=True,
        timeout=120,
    )
    return env


def run_in_production_with_log(script: str, tmp_path: Path, **environment: str) -> tuple[dict, str]:
    """Run `script` with DEBUG off and these settings; return the JSON of its last line and
    what it logged (the settings' LOGGING writes to stderr)."""
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=BASE_DIR,
        env=production_environment(tmp_path, **environment),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout.strip().splitlines()[-1]), result.stderr


def run_in_production(script: str, tmp_path: Path, **environment: str) -> dict:
    """Run `script` with DEBUG off and these settings; return the JSON of its last line."""
    return run_in_production_with_log(script, tmp_path, **environment)[0]


def free_port() -> int:
    """A free port on 127.0.0.1; from TEST_PORTS (e.g. "18400-18499") when it is set, so that
    the servers tests start on a shared machine stay in their range."""
    first, _, last = os.environ.get("TEST_PORTS", "0-0").partition("-")
    for port in range(int(first), int(last or first) + 1):
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
            return probe.getsockname()[1]
    raise OSError(f"no free port in TEST_PORTS={os.environ['TEST_PORTS']}")


@contextmanager
def serve_in_production(tmp_path: Path, workers: int = 1, **environment: str) -> Iterator[str]:
    """Serve the app from gunicorn with `workers` sync workers, as in production (DEBUG off,
    these settings); yield its base URL once it answers. Its log is in tmp_path / "server.log"."""
    port = free_port()
    env = production_environment(tmp_path, ALLOWED_HOSTS="127.0.0.1", **environment)
    log = (tmp_path / "server.log").open("w")
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "motovault.wsgi:application"),
            *(
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                str(workers),
                "--timeout",
                "30",
                "--no-control-socket",
            ),
        ],
        cwd=BASE_DIR,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(f"{url}/static/", timeout=1)
                break
            # Listening, but with no worker booted yet on a busy machine: a timeout.
            except (requests.ConnectionError, requests.Timeout):
                assert server.poll() is None, (tmp_path / "server.log").read_text()
                assert time.monotonic() < deadline, "gunicorn did not start"
                time.sleep(0.1)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()
