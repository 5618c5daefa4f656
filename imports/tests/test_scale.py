"""A long history reads, previews and imports a row at a time, in bounded memory: 20,000 Fuelly
rows (what the web page takes in one request) in every run, 200,000 (18 MB, near the 20 MB
limit) with -m slow."""

import datetime as dt
import io
import time
import tracemalloc

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from fuellogs.models import FuelLog
from imports import services
from imports.models import Upload
from imports.rows import FuelRow
from imports.source import read
from stations.models import Station
from vehicles.models import Vehicle


def write_fuelly(path, rows: int) -> None:
    with path.open("w", newline="") as file:
        file.write(
            "car_name,model,mpg,odometer,miles,gallons,price,city_percentage,fuelup_date,"
            "date_added,tags,notes,missed_fuelup,partial_fuelup,latitude,longitude,brand\r\n"
        )
        for i in range(rows):
            month, day = i % 12 + 1, i % 28 + 1
            file.write(
                f"Car {i % 3},Honda,30.{i % 100:02},{1000 + i * 300},300,10.{i % 1000:03},3.199,"
                f"50,{month:02}/{day:02}/2024 0:00,{month:02}/{day:02}/2024,,,0,0,,,Shell\r\n"
            )


@pytest.mark.parametrize("rows", [20_000, pytest.param(200_000, marks=pytest.mark.slow)])
def test_it_reads_many_rows_in_bounded_memory(tmp_path, rows):
    path = tmp_path / "fuelly.csv"
    write_fuelly(path, rows)
    size = path.stat().st_size

    tracemalloc.start()
    started = time.perf_counter()
    with path.open("rb") as file:
        found = read(file)
        count = last = 0
        for row in found.rows():
            assert isinstance(row, FuelRow)
            count += 1
            last = row.odometer
    elapsed = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    assert (found.fuel_rows, count, last) == (rows, rows, 1000 + (rows - 1) * 300)
    assert [vehicle.name for vehicle in found.vehicles] == ["Car 0", "Car 1", "Car 2"]
    # The file is never held whole: the peak stays a fraction of its size.
    assert peak < 1024 * 1024 < size
    print(f"\n{rows:,} rows, {size / 1e6:.1f} MB: {elapsed:.1f} s, peak {peak / 1e6:.2f} MB")


def history(rows: int) -> bytes:
    """Fuelly rows for three cars, each car's dates and readings rising (a real history: every
    row is accepted)."""
    lines = [
        "car_name,model,mpg,odometer,miles,gallons,price,city_percentage,fuelup_date,"
        "date_added,tags,notes,missed_fuelup,partial_fuelup,latitude,longitude,brand"
    ]
    start = dt.date(1990, 1, 1)
    for i in range(rows):
        day = f"{start + dt.timedelta(days=i // 9):%m/%d/%Y}"
        lines.append(
            f"Car {i % 3},Honda,30.{i % 100:02},{1000 + i * 30},90,10.{i % 1000:03},3.199,"
            f"50,{day} 0:00,{day},,,0,0,,,Shell"
        )
    return "\r\n".join(lines).encode() + b"\r\n"


def traced(call):
    """What `call` returns, and the peak of the memory it allocated (tracemalloc)."""
    tracemalloc.start()
    try:
        result = call()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def test_it_imports_20000_rows_in_bounded_memory(owner):
    found = read(io.BytesIO(history(20_000)))
    targets = services.default_targets(owner, found.vehicles)

    (made, saved), peak = traced(lambda: services.save(owner, found, targets))

    assert (saved.fill_ups, saved.vehicles, made.fill_ups, made.errors) == (20_000, 3, 20_000, 0)
    assert FuelLog.objects.filter(user=owner).count() == 20_000
    # Every fill-up names the brand: all are linked to the owner's one station of that name.
    shell = Station.objects.get(owner=owner)
    assert (shell.name, FuelLog.objects.filter(station=shell).count()) == ("Shell", 20_000)
    # Each row's decision held (the previous design) peaked over 100 MB here.
    assert peak < 40 * 1024 * 1024
    print(f"\n20,000 rows imported: peak {peak / 1e6:.1f} MB")


@pytest.mark.slow
def test_it_previews_and_imports_20000_rows_through_the_page_in_bounded_memory(owner_client, owner):
    owner_client.post(
        reverse("imports:upload"),
        {"file": SimpleUploadedFile("fuelly.csv", history(20_000), "text/csv"), "format": ""},
    )
    stored = Upload.objects.get()
    started = time.perf_counter()

    page, preview_peak = traced(
        lambda: owner_client.get(reverse("imports:preview", args=[stored.pk]))
    )
    choices = {f"vehicle_{i}": "new" for i in range(3)} | {
        f"name_{i}": f"Car {i}" for i in range(3)
    }
    response, import_peak = traced(
        lambda: owner_client.post(reverse("imports:confirm", args=[stored.pk]), choices)
    )
    elapsed = time.perf_counter() - started

    assert page.status_code == 200
    assert page.context["plan"].fill_ups == 20_000
    # The page keeps the first rows with something to say and a sample of the OK ones.
    shown = page.context["plan"].entries
    # Every row's economy differs from the file's (made up) figure: the first 200 are shown.
    assert len(shown) == services.PROBLEMS
    assert "; 19,800 more rows are not shown." in page.content.decode()
    assert response.status_code == 302
    assert FuelLog.objects.filter(user=owner).count() == 20_000
    assert Vehicle.objects.filter(user=owner).count() == 3
    # Holding every row's decision took over 100 MB here.
    assert preview_peak < 40 * 1024 * 1024
    assert import_peak < 40 * 1024 * 1024
    print(
        f"\n20,000 rows through the page: {elapsed:.1f} s, peak {preview_peak / 1e6:.1f} MB "
        f"(preview), {import_peak / 1e6:.1f} MB (import)"
    )
