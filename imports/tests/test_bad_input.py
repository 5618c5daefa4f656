"""Files that cannot be imported get one ImportFileError with a message for the owner, never
another exception, and are read no further than needed (memory stays bounded)."""

import codecs
import io
import re
import zipfile

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from imports.reading import MAX_CELL, MAX_COLUMNS, ImportFileError, open_text
from imports.rows import RowProblem
from imports.tests.files import imported, sample

PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"


def zip_of(name: str, content: bytes) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(name, content)
    return buffer.getvalue()


def refused(content: bytes | str, **options) -> str:
    with pytest.raises(ImportFileError) as raised:
        imported(content, **options)
    return raised.value.message


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"", "The file is empty."),
        (codecs.BOM_UTF8, "The file is empty."),
        (b"\r\n\r\n  \r\n", "The file is empty."),
        (sample("fuelly-us.csv").split(b"\r\n")[0], "no fill-ups or costs in it"),
        (PNG, "This is a PNG image, not a CSV file."),
        (zip_of("fuelly.csv", sample("fuelly-us.csv")), "This is a ZIP file"),
        (b"%PDF-1.7\n", "This is a PDF document"),
        (bytes(range(256)) * 4, "This file is not text"),
        (b"Date,Odometer\n1/2/2024,100\x00\n", "This file is not text"),
        (b"Name,Price,Amount\nBread,2.50,1\n", "does not recognize this file's layout"),
        (b'"## Vehicle"\n"Name"\n"Car"\n', "no fill-ups or costs in it"),
        (b"##Refuelling\nOdometer,Date\n", "no fill-ups or costs in it"),
        (
            "Date,Odometer,FuelConsumed,Cost\n1/2/2024,100,5,10,Müller\n".encode()
            + "Date,Notes\n1/3/2024,Müller\n".encode("latin-1"),
            "different text encodings",
        ),
    ],
    ids=[
        "empty",
        "only a byte-order mark",
        "blank lines",
        "a header alone",
        "png",
        "zip",
        "pdf",
        "binary",
        "a NUL byte",
        "unknown layout",
        "fuelio without rows",
        "drivvo without rows",
        "mixed encodings",
    ],
)
def test_it_refuses_what_it_cannot_read_with_a_message(content, message):
    assert message in refused(content)


def test_it_refuses_a_file_over_the_size_limit(settings):
    settings.IMPORT_MAX_BYTES = 1000
    content = sample("fuelly-us.csv") * 3

    assert "larger than 1000\xa0bytes" in refused(content)
    assert refused(content, max_bytes=600).startswith("This file is larger than 600")
    assert imported(sample("fuelly-us.csv")).fuel_rows == 6


def test_it_refuses_an_upload_by_its_size_before_reading_it():
    class Upload(io.BytesIO):
        size = 21 * 1024 * 1024

        def read(self, *args):
            raise AssertionError("read")

    with pytest.raises(ImportFileError, match=r"larger than 20\.0\xa0MB"):
        open_text(Upload(b""))


def test_it_stops_reading_a_file_that_grows_past_the_limit_after_the_check():
    """The second reading is bounded too: a file that changed meanwhile stops at the limit."""
    content = io.BytesIO(sample("fuelly-us.csv"))
    text = open_text(content, max_bytes=700)
    content.seek(0, io.SEEK_END)
    content.write(b"Accord,Honda,0,50000,0,1,1,50,03/01/2024 0:00,03/01/2024,,,0,0,,,\r\n" * 10)

    with pytest.raises(ImportFileError, match="larger than 700"):
        list(text.records())


def test_it_refuses_a_million_columns():
    header = sample("fuelly-us.csv").split(b"\r\n")[0]

    message = refused(header + b"\r\n" + b"," * 1_000_000 + b"\r\n")

    assert message == (
        f"Line 2 has 1,000,001 columns; MotoVault reads at most {MAX_COLUMNS} columns. Is this "
        "the file your app exported?"
    )


def test_it_refuses_a_huge_cell_quoted_or_not():
    header = sample("lubelogger-fuel.csv").split(b"\r\n")[0]
    row = b"2/2/2024,63010,11.812,37.19,0,True,False,"

    unquoted = refused(header + b"\r\n" + row + b"x" * 10_000_000 + b",\r\n")
    quoted = refused(header + b"\r\n" + row + b'"' + b"x" * 10_000_000 + b'",\r\n')

    expected = f"Line 2 has a cell of more than {MAX_CELL:,} characters"
    assert unquoted.startswith(expected)
    assert quoted.startswith(expected)


def test_it_reads_a_cell_of_the_largest_size():
    lubelogger = sample("lubelogger-fuel.csv")

    found = imported(lubelogger.replace(b",Costco,", b"," + b"x" * MAX_CELL + b","))

    assert found.fuel_rows == 5
    assert re.fullmatch("x+", next(r.notes for r in found.rows() if r.line == 3))


def test_it_refuses_a_row_of_too_many_columns():
    header = ",".join(["Date", "Odometer", "FuelConsumed", "Cost"] + ["x"] * 250)

    assert refused(header + "\n1/2/2024,1,2,3\n").startswith("Line 1 has 254 columns")


def test_it_refuses_the_row_of_an_unterminated_quote_with_its_line():
    content = sample("lubelogger-fuel.csv").replace(b",Costco,", b',"Costco,')

    rows = list(imported(content).rows())

    # The quote runs to the end of the file: the rest is one cell of the row it opens.
    assert [row.line for row in rows] == [2, 3]
    assert rows[1] == RowProblem(3, "Line 3 has 8 cells where the header has 9.", "")


@settings(max_examples=150, deadline=None)
@given(st.binary(max_size=400))
def test_it_reads_any_bytes_or_refuses_them_with_a_message(content):
    try:
        list(imported(content).rows(date_order="mdy"))
    except ImportFileError as error:
        assert error.message


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(["", "1", "1,5", "2.000,25", "x", "13/13/2024", "Yes", '"'])),
        max_size=6,
    )
)
def test_it_reads_any_rows_under_a_known_header_or_refuses_them_with_a_message(cells):
    header = sample("fuelly-us.csv").split(b"\r\n")[0].decode()
    body = "\n".join(";".join(row) for row in cells)
    try:
        list(imported(header + "\n" + body).rows(date_order="dmy"))
    except ImportFileError as error:
        assert error.message
