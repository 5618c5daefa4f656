"""Reads an uploaded file (a binary file object) as CSV records, bounded and streamed.

The file is read twice, a chunk at a time, never whole: once to check it (its size against
IMPORT_MAX_BYTES, that it is text and not a PNG or a ZIP, and its encoding: UTF-8 with or without
a byte-order mark, UTF-16 with one, or else Windows-1252 / Latin-1), and then, as often as a
reader asks, as CSV records: the delimiter (`,` `;` or tab) sniffed from the first lines, quoted
fields and CRLF line ends read by the csv module, and every row held to MAX_COLUMNS cells of at
most MAX_CELL characters. Files with sections (Fuelio's `"## Log"`, Drivvo's `##Refuelling`)
are split by `sectioned`.

Everything wrong with the file as a whole is one `ImportFileError`, whose message is shown to
the owner as it is.
"""

import codecs
import csv
import io
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import IO, NamedTuple

from django.conf import settings
from django.template.defaultfilters import filesizeformat

MAX_COLUMNS = 200
MAX_CELL = 10_000
CHUNK = 64 * 1024
DELIMITERS = (",", ";", "\t")

# What other files begin with, and what the owner is told they uploaded.
SIGNATURES = (
    (b"PK\x03\x04", "a ZIP file (an Excel workbook is one too)"),
    (b"PK\x05\x06", "a ZIP file (an Excel workbook is one too)"),
    (b"\xd0\xcf\x11\xe0", "an Excel workbook"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"%PDF", "a PDF document"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"Rar!", "a RAR archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
)
NOT_TEXT = (
    "This file is not text, so it cannot be a CSV file. Upload the CSV file your app exported."
)
# Control characters no text file holds (tab, line feed, form feed and carriage return aside).
CONTROL = re.compile(rb"[\x00-\x08\x0b\x0e-\x1f\x7f]")
# A character of two to four bytes as UTF-8 writes it: one in a file that is not UTF-8 means
# parts of it were saved in different encodings.
UTF8_SEQUENCE = re.compile(
    rb"[\xc2-\xdf][\x80-\xbf]|[\xe0-\xef][\x80-\xbf]{2}|[\xf0-\xf4][\x80-\xbf]{3}"
)
# Bytes Windows-1252 leaves undefined; a file with them is read as Latin-1.
CP1252_UNDEFINED = re.compile(rb"[\x81\x8d\x8f\x90\x9d]")


class ImportFileError(Exception):
    """The file cannot be imported; `message` tells the owner why, in their words."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class Record(NamedTuple):
    """One CSV row: the line it starts on (1 is the first) and its cells."""

    line: int
    cells: list[str]


@dataclass(frozen=True)
class TextFile:
    """An uploaded file found to be readable text, with its encoding and delimiter."""

    file: IO[bytes]
    encoding: str
    delimiter: str
    max_bytes: int

    def records(self) -> Iterator[Record]:
        """The file's rows from its first line, blank lines left out. Raises ImportFileError
        for a row of more than MAX_COLUMNS cells, a cell over MAX_CELL characters, or text the
        csv module cannot read."""
        reader = csv.reader(self._text(), delimiter=self.delimiter)
        end = 0
        try:
            for cells in reader:
                line, end = end + 1, reader.line_num
                if len(cells) > MAX_COLUMNS:
                    raise ImportFileError(
                        f"Line {line:,} has {len(cells):,} columns; MotoVault reads at most "
                        f"{MAX_COLUMNS} columns. Is this the file your app exported?"
                    )
                joined = "".join(cells)
                if len(joined) > MAX_CELL and max(map(len, cells)) > MAX_CELL:
                    raise _cell_too_large(line)
                if joined and not joined.isspace():
                    yield Record(line, cells)
        except csv.Error as error:
            if "field limit" in str(error):
                raise _cell_too_large(reader.line_num) from None
            raise ImportFileError(
                f"Line {reader.line_num:,} cannot be read as CSV ({error})."
            ) from None
        except UnicodeDecodeError:
            raise ImportFileError(_MIXED) from None

    def _text(self) -> io.TextIOWrapper:
        self.file.seek(0)
        raw = io.BufferedReader(_Bounded(self.file, self.max_bytes), CHUNK)
        # newline="": the csv module reads CRLF, and line ends inside quoted fields, itself.
        return io.TextIOWrapper(raw, encoding=self.encoding, newline="")


def _cell_too_large(line: int) -> ImportFileError:
    return ImportFileError(
        f"Line {line:,} has a cell of more than {MAX_CELL:,} characters, more than MotoVault "
        "reads in one cell. Is this the file your app exported?"
    )


_MIXED = (
    "Parts of this file are in different text encodings (some UTF-8, some not). Open it in a "
    "spreadsheet or text editor, save it as CSV in UTF-8, and upload it again."
)


class _Bounded(io.RawIOBase):
    """The uploaded file, read at most `limit` bytes: one more is an ImportFileError."""

    def __init__(self, file: IO[bytes], limit: int) -> None:
        self._file = file
        self._limit = limit
        self._read = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self._file.read(len(buffer))
        self._read += len(data)
        if self._read > self._limit:
            raise _too_large(self._limit)
        buffer[: len(data)] = data
        return len(data)


def _too_large(limit: int) -> ImportFileError:
    return ImportFileError(
        f"This file is larger than {filesizeformat(limit)}, the most MotoVault imports at once. "
        "Split it into smaller files (by year, or by vehicle) and import each."
    )


def open_text(file: IO[bytes], max_bytes: int | None = None) -> TextFile:
    """Checks an uploaded file and finds how to read it. `file` must be seekable (Django's
    uploaded files and open files are). Raises ImportFileError for an empty file, a file
    over `max_bytes` (IMPORT_MAX_BYTES by default), a binary file, or mixed encodings."""
    limit = settings.IMPORT_MAX_BYTES if max_bytes is None else max_bytes
    size = getattr(file, "size", None)
    if isinstance(size, int) and size > limit:
        raise _too_large(limit)
    encoding = _encoding(file, limit)
    text = TextFile(file, encoding, ",", limit)
    return TextFile(file, encoding, _delimiter(text), limit)


def _encoding(file: IO[bytes], limit: int) -> str:
    file.seek(0)
    head = file.read(CHUNK)
    if not head:
        raise ImportFileError("The file is empty.")
    for signature, what in SIGNATURES:
        if head.startswith(signature):
            raise ImportFileError(
                f"This is {what}, not a CSV file. Export your history from your app as CSV "
                "and upload that file."
            )
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        # Excel's "Unicode text": UTF-16 with a byte-order mark.
        return _checked(file, head, "utf-16", limit)
    if b"\x00" in head or len(CONTROL.findall(head)) > len(head) // 100:
        raise ImportFileError(NOT_TEXT)
    return _checked(file, head, "utf-8-sig", limit)


def _checked(file: IO[bytes], head: bytes, encoding: str, limit: int) -> str:
    """Reads the whole file once: its size, and whether it is all in `encoding`; UTF-8 that
    is not falls back to Windows-1252 (or Latin-1)."""
    decoder = codecs.getincrementaldecoder(encoding)()
    decodes, utf8_sequences, undefined_in_cp1252 = True, False, False
    size, chunk = 0, head
    while chunk:
        size += len(chunk)
        if size > limit:
            raise _too_large(limit)
        if encoding != "utf-16":
            if b"\x00" in chunk:
                raise ImportFileError(NOT_TEXT)
            utf8_sequences = utf8_sequences or bool(UTF8_SEQUENCE.search(chunk))
            undefined_in_cp1252 = undefined_in_cp1252 or bool(CP1252_UNDEFINED.search(chunk))
        if decodes:
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError:
                decodes = False
        chunk = file.read(CHUNK)
    if decodes:
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            decodes = False
    if decodes:
        return encoding
    if encoding == "utf-16" or utf8_sequences:
        raise ImportFileError(_MIXED)
    return "latin-1" if undefined_in_cp1252 else "cp1252"


def _delimiter(text: TextFile) -> str:
    """The delimiter that splits the first header (the first line that opens no section) into
    the most cells; a comma when none splits it."""
    stream = text._text()
    try:
        lines = [line for line in (stream.readline() for _ in range(20)) if line.strip()]
    except UnicodeDecodeError:
        raise ImportFileError(_MIXED) from None
    headers = [line for line in lines if not line.lstrip('"').startswith("#")]
    if not headers:
        return ","
    header = headers[0][: MAX_COLUMNS * 100]

    def cells(delimiter: str) -> int:
        return max((len(row) for row in csv.reader([header], delimiter=delimiter)), default=0)

    return max(DELIMITERS, key=cells)


@dataclass(frozen=True)
class SectionRow:
    """A row of a file made of sections: the section's name (its marker without the `#`s), its
    header (the row after the marker) and the row's record."""

    section: str
    header: list[str]
    record: Record


def section_name(cells: list[str]) -> str | None:
    """The name a section marker opens (`## Log`, `##Refuelling`, `#Servicio`), or None."""
    first = cells[0].strip() if cells else ""
    if first.startswith("#") and not any(cell.strip() for cell in cells[1:]):
        return first.lstrip("#").strip()
    return None


def sectioned(records: Iterable[Record]) -> Iterator[SectionRow]:
    """The data rows of a file of sections, each with its section and header."""
    section: str | None = None
    header: list[str] | None = None
    for record in records:
        name = section_name(record.cells)
        if name is not None:
            section, header = name, None
        elif section is None:
            raise ImportFileError(
                f"Line {record.line:,} comes before the first section (a line such as "
                "“## Log”) of this file."
            )
        elif header is None:
            header = record.cells
        else:
            yield SectionRow(section, header, record)


class Columns:
    """A header's columns, found by name whatever their case and surrounding spaces."""

    def __init__(self, header: list[str]) -> None:
        self.header = header
        self.names = [cell.strip().casefold() for cell in header]
        self._index = {name: i for i, name in reversed(list(enumerate(self.names))) if name}

    def __contains__(self, name: str) -> bool:
        return name.casefold() in self._index

    def index(self, name: str) -> int | None:
        return self._index.get(name.casefold())

    def find(self, pattern: str) -> int | None:
        """The first column whose name matches the regular expression `pattern` at its start."""
        compiled = re.compile(pattern)
        return next((i for i, name in enumerate(self.names) if compiled.match(name)), None)

    def mismatch(self, record: Record) -> str | None:
        """Why a row cannot be read cell by cell under this header, or None: a cell too few
        (cells would be read from the wrong columns) or a filled cell too many (an unquoted
        comma, say, in a note)."""
        count, expected = len(record.cells), len(self.header)
        if count < expected:
            return f"Line {record.line:,} has {count} cells where the header has {expected}."
        if count > expected and any(cell.strip() for cell in record.cells[expected:]):
            return (
                f"Line {record.line:,} has {count} cells where the header has {expected} "
                "(is a comma in a note not quoted?)."
            )
        return None

    @staticmethod
    def cell(record: Record, index: int | None) -> str:
        """The cell at `index`, stripped; empty for a column the header lacks."""
        if index is None or index >= len(record.cells):
            return ""
        return record.cells[index].strip()
