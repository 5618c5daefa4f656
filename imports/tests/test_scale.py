"""A long history reads a row at a time, in bounded memory: 20,000 Fuelly rows (what the web
page takes in one request) in every run, 200,000 (18 MB, near the 20 MB limit) with -m slow."""

import time
import tracemalloc

import pytest

from imports.rows import FuelRow
from imports.source import read


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
