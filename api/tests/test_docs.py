"""The documented command that logs a fill-up (docs/home-assistant.md) works: its text, run by
bash against a live server, stores the fill-up."""

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings

from api.models import ApiToken
from fuellogs.models import FuelLog

DOCS = Path(settings.BASE_DIR) / "docs"


def documented_command(heading: str) -> str:
    """The first ```sh block after `heading` in docs/home-assistant.md."""
    text = (DOCS / "home-assistant.md").read_text()
    section = text[text.index(heading) :]
    return re.search(r"```sh\n(.*?)```", section, re.S).group(1)


@pytest.mark.skipif(shutil.which("curl") is None, reason="needs curl")
@pytest.mark.django_db(transaction=True)
def test_it_logs_a_fill_up_with_the_documented_curl(live_server, owner, vehicle):
    _, secret = ApiToken.issue(owner, "Command line", read_only=False)
    command = documented_command("## Log a fill-up from the command line")
    result = subprocess.run(
        ["bash", "-c", command],
        env={
            "PATH": os.environ["PATH"],
            "TZ": "UTC",  # `date +%F` and the site's (and the owner's) today agree
            "MOTOVAULT_URL": live_server.url,
            "MOTOVAULT_TOKEN": secret,
            "VEHICLE_ID": str(vehicle.pk),
        },
        capture_output=True,
        text=True,
        timeout=30,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    log = FuelLog.objects.get(vehicle=vehicle)
    assert (log.odometer_reading, str(log.gallons), str(log.total_cost)) == (
        42_350,
        "11.200",
        "39.19",
    )
    assert log.station_name == "Shell Main St"
    assert '"computed_amount": "price_per_gallon"' in result.stdout
    vehicle.refresh_from_db()
    assert vehicle.odometer_reading == 42_350


def test_it_documents_every_resource():
    text = (DOCS / "api.md").read_text()
    for path in (
        "/api/v1/vehicles/",
        "/api/v1/fuel-logs/",
        "/api/v1/maintenance/",
        "/api/v1/stations/favorites/",
        "/api/v1/upcoming/",
        "/stats/",
        "/api/v1/vin/",
    ):
        assert path in text, path
