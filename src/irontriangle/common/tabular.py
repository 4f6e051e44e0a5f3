"""Tables in and out: the CSV and XLSX files people exchange with spreadsheets.

Reading accepts what Chinese and English spreadsheet programs actually save: XLSX, or CSV in UTF-8
(with or without the BOM Excel adds), GBK or GB18030, separated by commas, semicolons or tabs.
Writing produces files those programs open correctly, with formula injection neutralised.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

from django.utils.translation import gettext as _

MAX_ROWS = 50_000
MAX_BYTES = 20 * 1024 * 1024

FORMATS = ("csv", "xlsx")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}

_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0"  # the binary .xls of Excel 97-2003
_DELIMITERS = (",", ";", "\t")
# A cell starting with one of these is taken for a formula (or DDE call) by spreadsheet programs.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Cell = Any  # str for CSV; str, int, float, bool, date or datetime (or None) for XLSX


class TableError(Exception):
    """The file as a whole cannot be read; the message is localised and meant for the person."""

    def __init__(self, code: str, message: str) -> None:
        self.code = code
        self.message = message
        super().__init__(message)


@dataclass
class TableRow:
    number: int  # as the spreadsheet shows it: the header is row 1
    cells: list[Cell]


@dataclass
class Table:
    headers: list[str]
    rows: list[TableRow] = field(default_factory=list)


def is_blank(value: Cell) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def read_table(data: bytes, filename: str = "", *, max_rows: int = MAX_ROWS, max_bytes: int = MAX_BYTES) -> Table:
    """The header row and the non-empty data rows of an uploaded CSV or XLSX file."""
    if len(data) > max_bytes:
        raise TableError(
            "too_large",
            _("The file is too large (at most %(size)s MB).") % {"size": max_bytes // (1024 * 1024)},
        )
    if not data.strip():
        raise TableError("empty", _("The file is empty."))
    # The content decides, not the name: files get renamed, and a .csv saved by Excel may be XLSX.
    if data.startswith(_ZIP_MAGIC):
        rows = _xlsx_rows(data)
    elif data.startswith(_OLE_MAGIC):
        raise TableError("old_excel", _("Old Excel files (.xls) cannot be read; save the file as XLSX or CSV."))
    else:
        rows = _csv_rows(data)
    return _table(rows, max_rows)


def _table(rows: Iterator[tuple[int, list[Cell]]], max_rows: int) -> Table:
    first = next(rows, None)
    if first is None or all(is_blank(cell) for cell in first[1]):
        raise TableError("no_header", _("The first row must hold the column names, and it is empty."))
    headers = [_header_text(cell) for cell in first[1]]
    while headers and not headers[-1]:
        headers.pop()
    table = Table(headers=headers)
    for number, cells in rows:
        if all(is_blank(cell) for cell in cells):
            continue  # spreadsheets leave empty rows behind; they are no data
        if len(table.rows) >= max_rows:
            raise TableError(
                "too_many_rows",
                _("The file has more than %(max)s rows; split it into smaller files.") % {"max": max_rows},
            )
        width = len(headers)
        padded = list(cells[:width]) + [None] * (width - len(cells))
        table.rows.append(TableRow(number=number, cells=padded))
    return table


def _header_text(value: Cell) -> str:
    return "" if value is None else str(value).strip()


def _decode(data: bytes) -> str:
    # GB18030 is a superset of GBK (and of GB2312), so one attempt covers the Chinese legacy encodings;
    # UTF-8 goes first because GB18030 would also "decode" many UTF-8 files into nonsense.
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if "\x00" in text:
            break  # a binary file (or UTF-16, which spreadsheets only write on request)
        return text
    raise TableError(
        "undecodable", _("The file could not be read: save it as XLSX, or as CSV in UTF-8, GBK or GB18030.")
    )


def _delimiter(text: str) -> str:
    """The delimiter that splits the header row into the most columns (comma when none does)."""
    first_line = next(iter(text.splitlines()), "")
    best, best_count = ",", 1
    for delimiter in _DELIMITERS:
        count = len(next(csv.reader([first_line], delimiter=delimiter), []))
        if count > best_count:
            best, best_count = delimiter, count
    return best


def _csv_rows(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    text = _decode(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    try:
        for index, cells in enumerate(reader, start=1):
            yield index, list(cells)
    except csv.Error as error:
        raise TableError("bad_csv", _("The CSV file is malformed: %(error)s") % {"error": error}) from None


def _xlsx_rows(data: bytes) -> Iterator[tuple[int, list[Cell]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError):
        raise TableError("bad_xlsx", _("The file is not a readable XLSX workbook.")) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise TableError("empty", _("The file is empty."))
        # Some programs write a wrong sheet size; without it openpyxl reads every row there is.
        sheet.reset_dimensions()  # type: ignore[union-attr]
        for index, values in enumerate(sheet.iter_rows(min_row=1, values_only=True), start=1):
            yield index, [value.strip() if isinstance(value, str) else value for value in values]
    finally:
        workbook.close()


# --- writing ------------------------------------------------------------------------------------


def table_format(filename: str) -> str:
    """`csv` or `xlsx` from a file name's extension; anything else is refused."""
    suffix = Path(filename).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        raise TableError(
            "unknown_format",
            _("Unknown file type “%(suffix)s”: name the file .csv or .xlsx.") % {"suffix": suffix or filename},
        )
    return suffix


def neutralise(value: Cell) -> Cell:
    """Text that a spreadsheet would run as a formula gets a leading apostrophe and stays text."""
    if isinstance(value, str) and value.startswith(_FORMULA_STARTS):
        return "'" + value
    return value


def _csv_text(value: Cell) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    # Numbers stay numbers; only text can smuggle a formula in.
    return neutralise(value) if isinstance(value, str) else str(value)


def csv_chunks(headers: Sequence[str], rows: Iterable[Sequence[Cell]]) -> Iterator[bytes]:
    """UTF-8 CSV with a BOM (without it Chinese Excel guesses the local code page), a line at a time."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def line(cells: Sequence[Cell]) -> bytes:
        writer.writerow([_csv_text(cell) for cell in cells])
        chunk = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return chunk.encode("utf-8")

    yield "\ufeff".encode()
    yield line([neutralise(header) for header in headers])
    for row in rows:
        yield line(row)


def _xlsx_value(value: Cell) -> Cell:
    if isinstance(value, Decimal):
        # Whole amounts as integers: they read back exactly; the rest as numbers a spreadsheet can sum.
        return int(value) if value == value.to_integral_value() else value
    if isinstance(value, datetime) and value.tzinfo is not None:
        return value.replace(tzinfo=None)  # XLSX has no time zones
    return neutralise(value)


def write_xlsx(target: BinaryIO, headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str = "") -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=(title or "Sheet1")[:31])
    sheet.append([neutralise(header) for header in headers])
    for row in rows:
        sheet.append([_xlsx_value(value) for value in row])
    workbook.save(target)


def write_table(
    target: BinaryIO, fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str = ""
) -> None:
    if fmt == "xlsx":
        write_xlsx(target, headers, rows, title=title)
    else:
        for chunk in csv_chunks(headers, rows):
            target.write(chunk)


def table_bytes(fmt: str, headers: Sequence[str], rows: Iterable[Sequence[Cell]], *, title: str = "") -> bytes:
    buffer = io.BytesIO()
    write_table(buffer, fmt, headers, rows, title=title)
    return buffer.getvalue()
