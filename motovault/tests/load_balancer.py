"""HAProxy from Debian in front of several app servers, round-robin and with no sticky
sessions, as docs/scaling.md deploys it: consecutive requests go to different servers, so a
test (or `make bench --two-servers`) through it proves nothing depends on which one answers."""

import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

HAPROXY = "/usr/sbin/haproxy"


def available() -> bool:
    return Path(HAPROXY).exists() or shutil.which("haproxy") is not None


def config(port: int, backends: list[int]) -> str:
    """Round-robin over `backends`; each answer names its server in X-Served-By (app-1,
    app-2...), so a client can tell who answered."""
    servers = "\n".join(
        f"    server app-{number} 127.0.0.1:{backend}"
        for number, backend in enumerate(backends, start=1)
    )
    return f"""global
    maxconn 512

defaults
    mode http
    timeout connect 5s
    timeout client 60s
    timeout server 60s

frontend web
    bind 127.0.0.1:{port}
    default_backend app

backend app
    balance roundrobin
    http-response set-header X-Served-By %s
{servers}
"""


@contextmanager
def load_balancer(port: int, backends: list[int]) -> Iterator[str]:
    """HAProxy on `port` in front of the servers on `backends`, its configuration in a temporary
    directory; yield its base URL once it listens, stop it afterwards."""
    with tempfile.TemporaryDirectory() as directory:
        path = Path(directory) / "haproxy.cfg"
        path.write_text(config(port, backends))
        log = (Path(directory) / "haproxy.log").open("w")
        process = subprocess.Popen(
            [shutil.which("haproxy") or HAPROXY, "-db", "-f", str(path)],
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            deadline = time.monotonic() + 10
            while True:
                try:
                    with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                        break
                except OSError:
                    assert process.poll() is None, (Path(directory) / "haproxy.log").read_text()
                    assert time.monotonic() < deadline, "haproxy did not start"
                    time.sleep(0.05)
            yield f"http://127.0.0.1:{port}"
        finally:
            process.terminate()
            process.wait(timeout=10)
            log.close()
