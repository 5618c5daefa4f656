"""Reading files the way an upload hands them over: bytes in a seekable file object."""

import io
from pathlib import Path

from imports.rows import CostRow, FuelRow, RowProblem
from imports.source import ImportFile, read

# Copies of ../shared/fixtures/import/ (the layouts of the real apps; their README says what
# every column means).
SAMPLES = Path(__file__).parent / "samples"


def sample(name: str) -> bytes:
    return (SAMPLES / name).read_bytes()


def imported(content: bytes | str, **options) -> ImportFile:
    data = content.encode() if isinstance(content, str) else content
    return read(io.BytesIO(data), **options)


def fuel(found: ImportFile, **options) -> list[FuelRow]:
    return [row for row in found.rows(**options) if isinstance(row, FuelRow)]


def costs(found: ImportFile, **options) -> list[CostRow]:
    return [row for row in found.rows(**options) if isinstance(row, CostRow)]


def problems(found: ImportFile, **options) -> list[RowProblem]:
    return [row for row in found.rows(**options) if isinstance(row, RowProblem)]
