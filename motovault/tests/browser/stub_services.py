"""A small local HTTP server that answers for vPIC, Google Places and OpenStreetMap's Overpass
API in browser tests.

The app reaches it through VPIC_BASE_URL, PLACES_BASE_URL and OVERPASS_URL, so the real HTTP
clients run unchanged; only the far end is recorded."""

import json
import re
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from motovault.tests.stub_upstream import LocalServer

FIXTURES = Path(__file__).resolve().parent / "fixtures"
# Three made-up fuel stations around Alexanderplatz, Berlin, as Overpass answers.
OVERPASS = Path(__file__).resolve().parents[3] / "stations/tests/fixtures/overpass.fuel-berlin.json"

PLACES = {
    "places": [
        {
            "id": "ChIJstub-shell-main-st",
            "displayName": {"text": "Shell Main Street", "languageCode": "en"},
            "formattedAddress": "100 Main St, Springfield, IL 62701, USA",
            "location": {"latitude": 39.7990175, "longitude": -89.6439575},
            "nationalPhoneNumber": "(217) 555-0100",
            "websiteUri": "https://www.shell.us/",
        },
        {
            "id": "ChIJstub-costco-gas",
            "displayName": {"text": "Costco Gas Station", "languageCode": "en"},
            "formattedAddress": "2001 Wabash Ave, Springfield, IL 62704, USA",
            "location": {"latitude": 39.7681, "longitude": -89.6795},
        },
    ]
}


def vpic_body(vin: str) -> bytes:
    recorded = FIXTURES / f"{vin}.json"
    if recorded.exists():
        return recorded.read_bytes()
    # vPIC answers 200 with an error code for VINs it cannot decode.
    return json.dumps(
        {
            "Count": 1,
            "Message": "Results returned successfully",
            "SearchCriteria": f"VIN:{vin}",
            "Results": [{"ErrorCode": "14", "ErrorText": "14 - Unable to decode", "VIN": vin}],
        }
    ).encode()


class Handler(BaseHTTPRequestHandler):
    requests_seen: list[str]

    def do_GET(self):
        self.requests_seen.append(f"GET {self.path}")
        match = re.match(r"^/vpic/vehicles/DecodeVinValues/([A-Z0-9]+)", self.path)
        if match:
            return self.answer(200, vpic_body(match.group(1)))
        return self.answer(404, b"{}")

    def do_POST(self):
        length = int(self.headers.get("Content-Length", 0))
        self.rfile.read(length)
        self.requests_seen.append(f"POST {self.path}")
        if self.path == "/places/places:searchText":
            return self.answer(200, json.dumps(PLACES).encode())
        if self.path == "/overpass/api/interpreter":
            return self.answer(200, OVERPASS.read_bytes())
        return self.answer(404, b"{}")

    def answer(self, status: int, body: bytes):
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


class StubServices(LocalServer):
    def __init__(self):
        self.requests: list[str] = []
        super().__init__(type("BoundHandler", (Handler,), {"requests_seen": self.requests}))
