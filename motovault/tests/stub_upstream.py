"""Local HTTP servers standing in for outside services: `LocalServer` serves a handler while a
`with` block lasts, and `StubUpstream` misbehaves as an outside service can, for the tests of
the seam (motovault/http.py): what `responses` cannot do, since it answers without a socket."""

import threading
from contextlib import suppress
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from motovault.tests.production import free_port

HUGE_BYTES = 1_200_000_000  # the 1.2 GB answer that once took a worker to 2.5 GB


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self):
        stub = self.server.stub
        stub.requests_seen.append(self.path)
        getattr(self, stub.behavior.replace("-", "_"))(stub)

    def hang(self, stub):
        """Accept the request and never answer."""
        stub.stopping.wait()

    def trickle(self, stub):
        """Answer at once, then send the body a byte at a time, each in less time than any
        read timeout."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", "1000")
        self.end_headers()
        for _ in range(1000):
            if stub.stopping.wait(stub.interval):
                return
            self.wfile.write(b" ")
            self.wfile.flush()

    def trickle_headers(self, stub):
        """Send the status line and headers a byte at a time, each in less time than any read
        timeout, and never finish them."""
        head = b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: " + b"a" * 60
        for byte in head:
            if stub.stopping.wait(stub.interval):
                return
            self.wfile.write(bytes([byte]))
            self.wfile.flush()

    def huge(self, stub):
        """An endless body with no length given, ended by closing the connection."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Connection", "close")
        self.end_headers()
        self.stream(stub)

    def huge_declared(self, stub):
        """A body that says up front how large it is."""
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(HUGE_BYTES))
        self.end_headers()
        self.stream(stub)

    def stream(self, stub):
        chunk = b" " * 65536
        for _ in range(HUGE_BYTES // len(chunk)):
            if stub.stopping.is_set():
                return
            self.wfile.write(chunk)

    def log_message(self, *args):
        pass

    def handle(self):
        with suppress(BrokenPipeError, ConnectionResetError):  # the client gave up, as it should
            super().handle()


class LocalServer:
    """`with LocalServer(handler) as server:` serves `handler` at `server.url` (127.0.0.1, a port
    from free_port()) on a thread of its own until the block ends."""

    def __init__(self, handler: type[BaseHTTPRequestHandler]):
        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()


class StubUpstream(LocalServer):
    """`with StubUpstream("hang") as stub:` serves at `stub.url` until the block ends.
    Behaviors: "hang", "trickle" (a byte of the body every `interval` seconds), "trickle-headers"
    (a byte of the headers every `interval` seconds), "huge", "huge-declared"."""

    def __init__(self, behavior: str, *, interval: float = 0.3):
        super().__init__(Handler)
        self.behavior = behavior
        self.interval = interval
        self.stopping = threading.Event()
        self.requests_seen: list[str] = []
        self.server.stub = self

    def __exit__(self, *exc):
        # The handlers that hang or stream stop first: closing the server waits for them.
        self.stopping.set()
        super().__exit__(*exc)
