"""An owner takes their data out: the filtered fuel list's CSV, and the whole account's ZIP."""

import csv
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path

from conftest import PASSWORD, make_fill_up
from motovault.tests.browser.conftest import log_in


def test_an_owner_downloads_what_the_list_shows_and_then_everything(
    page, owner, other_user, make_vehicle
):
    golf = make_vehicle(owner, nickname="Golf", distance_unit="km", fuel_unit="l")
    make_vehicle(owner, nickname="Van")
    for day, reading in ((1, 1_000), (10, 1_500), (20, 2_000)):
        make_fill_up(golf, f"2025-06-{day:02d}", reading, gallons=Decimal("40"))
    theirs = make_vehicle(other_user, nickname="Not mine")
    make_fill_up(theirs, "2025-06-01", 100)

    log_in(page, "alice", PASSWORD)
    page.goto(f"/fuel/?vehicle={golf.pk}&date_from=2025-06-05")
    with page.expect_download() as fuel_download:
        page.get_by_role("link", name="Export CSV").click()
    text = Path(fuel_download.value.path()).read_text(encoding="utf-8")
    header, *rows = csv.reader(io.StringIO(text.removeprefix("\ufeff")))
    assert header[14] == "economy"
    assert [(row[0], row[2], row[14]) for row in rows] == [
        ("Golf", "2025-06-10", "29.40"),  # 500 km on 40 L, in MPG (US): the owner's unit
        ("Golf", "2025-06-20", "29.40"),
    ]

    page.goto("/accounts/")
    with page.expect_download() as archive_download:
        page.get_by_role("link", name="Download all my data").click()
    assert archive_download.value.suggested_filename.startswith("motovault-alice-")
    with zipfile.ZipFile(archive_download.value.path()) as archive:
        document = json.loads(archive.read("motovault-archive.json"))
    assert sorted(vehicle["nickname"] for vehicle in document["vehicles"]) == ["Golf", "Van"]
    assert len(document["fuel_logs"]) == 3
