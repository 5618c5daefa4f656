"""Private Redis and PostgreSQL servers for outage tests: ours to freeze, stop and start again,
never the shared ones."""

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import time
from pathlib import Path

from motovault.tests.production import free_port

POSTGRES_BIN = Path("/usr/lib/postgresql/15/bin")


def wait_for(predicate, seconds: float, what: str) -> None:
    deadline = time.monotonic() + seconds
    while not predicate():
        assert time.monotonic() < deadline, f"{what}: not within {seconds} s"
        time.sleep(0.1)


class Forwarder:
    """A TCP forwarder in front of PostgreSQL that can be taken down, cutting its live
    connections, and brought back on the same port: a database outage the test controls."""

    def __init__(self, host: str, port: int):
        self.target = (host, port)
        self.port = free_port()
        self.listener: socket.socket | None = None
        self.live: set[socket.socket] = set()
        self.lock = threading.Lock()

    def up(self):
        self.listener = socket.create_server(("127.0.0.1", self.port))
        threading.Thread(target=self.accept, args=(self.listener,), daemon=True).start()

    def down(self):
        """New connections are refused and live ones end, as when PostgreSQL goes away."""
        with self.lock:
            if self.listener:
                self.live.add(self.listener)
                self.listener = None
            self.close_live()

    def close_live(self):
        for sock in self.live:
            with contextlib.suppress(OSError):
                sock.shutdown(socket.SHUT_RDWR)
            sock.close()
        self.live.clear()

    def accept(self, listener: socket.socket):
        while True:
            try:
                client, _ = listener.accept()
            except OSError:  # taken down
                return
            server = socket.create_connection(self.target)
            with self.lock:
                self.live.update((client, server))
                if self.listener is not listener:  # taken down meanwhile
                    self.close_live()
                    return
            for source, sink in ((client, server), (server, client)):
                threading.Thread(target=self.pump, args=(source, sink), daemon=True).start()

    def pump(self, source: socket.socket, sink: socket.socket):
        with contextlib.suppress(OSError):
            while data := source.recv(65536):
                sink.sendall(data)
        with contextlib.suppress(OSError):
            sink.shutdown(socket.SHUT_WR)


class FrozenRedis:
    """A port that accepts connections and never answers: what a frozen (SIGSTOP) Redis looks
    like to a client. Counts the connections it was offered."""

    def __init__(self):
        self.listener = socket.create_server(("127.0.0.1", free_port()))
        self.port = self.listener.getsockname()[1]
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.connections: list[socket.socket] = []
        threading.Thread(target=self.accept, daemon=True).start()

    def accept(self):
        while True:
            try:
                client, _ = self.listener.accept()
            except OSError:  # closed
                return
            self.connections.append(client)

    def close(self):
        self.listener.close()
        for client in self.connections:
            client.close()


class RedisServer:
    """redis-server on a port of ours, without persistence."""

    def __init__(self):
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen | None = None

    @staticmethod
    def available() -> bool:
        return shutil.which("redis-server") is not None

    def start(self):
        self.process = subprocess.Popen(
            [
                *("redis-server", "--bind", "127.0.0.1", "--port", str(self.port)),
                *("--save", "", "--appendonly", "no"),
            ],
            stdout=subprocess.DEVNULL,
        )
        wait_for(self.answers, 10, "redis-server did not start")

    def answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=1) as conn:
                conn.sendall(b"PING\r\n")
                return conn.recv(16) == b"+PONG\r\n"
        except OSError:
            return False

    def freeze(self):
        self.process.send_signal(signal.SIGSTOP)

    def thaw(self):
        self.process.send_signal(signal.SIGCONT)

    def stop(self):
        if self.process and self.process.poll() is None:
            self.thaw()
            self.process.kill()
            self.process.wait(timeout=10)


class PostgresCluster:
    """A PostgreSQL cluster of our own in a temporary directory, run by the `postgres` OS user
    when the tests run as root (PostgreSQL refuses root)."""

    def __init__(self):
        self.port = free_port()
        # Not under pytest's tmp_path: the postgres user must be able to enter it.
        self.directory = Path(tempfile.mkdtemp(prefix="motovault-pg-"))
        self.data = self.directory / "data"

    @staticmethod
    def available() -> bool:
        return (POSTGRES_BIN / "initdb").exists()

    def url(self, database: str) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/{database}"

    def run(self, *command: str) -> None:
        if os.geteuid() == 0:
            command = ("runuser", "-u", "postgres", "--", *command)
        subprocess.run(command, check=True, capture_output=True, timeout=120)

    def create(self):
        if os.geteuid() == 0:
            shutil.chown(self.directory, "postgres")
        self.run(
            str(POSTGRES_BIN / "initdb"),
            *("-D", str(self.data), "-U", "postgres", "--auth=trust", "--no-sync"),
        )
        self.start()

    def start(self):
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.directory} -c fsync=off"
        self.run(
            str(POSTGRES_BIN / "pg_ctl"),
            *("-D", str(self.data), "-o", options, "-l", str(self.directory / "log"), "-w"),
            "start",
        )

    def stop(self):
        self.run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop")

    def destroy(self):
        if (self.data / "postmaster.pid").exists():
            self.run(str(POSTGRES_BIN / "pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop")
        shutil.rmtree(self.directory, ignore_errors=True)
