"""Reading and writing spreadsheet tables: encodings, delimiters, XLSX, limits and formula neutralising."""

from __future__ import annotations

import csv
import io
from datetime import date
from decimal import Decimal

import openpyxl
import pytest
from django.utils import translation

from irontriangle.common.tabular import TableError, read_table, table_bytes, table_format

HEADER = ["name", "region"]
ROWS = [["中国移动", "华东"], ["上海电信", "华东"]]


def csv_text(delimiter: str = ",") -> str:
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter, lineterminator="\r\n").writerows([HEADER, *ROWS])
    return buffer.getvalue()


def xlsx(rows: list[list]) -> bytes:
    workbook = openpyxl.Workbook()
    for row in rows:
        workbook.active.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gbk", "gb18030"])
def test_csv_in_every_encoding_chinese_spreadsheets_save(encoding):
    table = read_table(csv_text().encode(encoding), "accounts.csv")
    assert table.headers == HEADER
    assert [row.cells for row in table.rows] == ROWS
    assert [row.number for row in table.rows] == [2, 3]


def test_gb18030_only_characters():
    # 𠀀 exists in GB18030 (four bytes) and not in GBK.
    table = read_table("name\n𠀀集团\n".encode("gb18030"), "a.csv")
    assert table.rows[0].cells == ["𠀀集团"]


@pytest.mark.parametrize("delimiter", [",", ";", "\t"])
def test_delimiter_is_sniffed(delimiter):
    table = read_table(csv_text(delimiter).encode(), "a.txt")
    assert table.headers == HEADER and table.rows[1].cells == ROWS[1]


def test_quoted_cells_with_delimiters_and_line_breaks():
    data = b'name,address\n"A, Inc.","line 1\nline 2"\nB,x\n'
    table = read_table(data, "a.csv")
    assert table.rows[0].cells == ["A, Inc.", "line 1\nline 2"]
    assert table.rows[1].number == 3  # a cell with a line break is still one spreadsheet row


def test_blank_rows_are_skipped_and_short_rows_padded():
    table = read_table(b"name,region\n\n,\nA\n", "a.csv")
    assert [(row.number, row.cells) for row in table.rows] == [(4, ["A", None])]


def test_xlsx_detected_by_content_whatever_the_name():
    data = xlsx([HEADER, *ROWS, [None, None], ["苏州", 12]])
    table = read_table(data, "accounts.csv")
    assert table.headers == HEADER
    assert [(row.number, row.cells) for row in table.rows] == [(2, ROWS[0]), (3, ROWS[1]), (5, ["苏州", 12])]


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"", "empty"),
        (b"  \n", "empty"),
        (b",,\nA,B\n", "no_header"),
        (b"\xff\xfe\x00n\x00a\x00m\x00e", "undecodable"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 20, "old_excel"),
        (b"PK\x03\x04 not really a workbook", "bad_xlsx"),
    ],
)
def test_unreadable_files_are_explained(data, code):
    with pytest.raises(TableError) as error:
        read_table(data, "a.csv")
    assert error.value.code == code and error.value.message


def test_limits_on_rows_and_size():
    data = ("name\n" + "x\n" * 11).encode()
    assert len(read_table(data, "a.csv", max_rows=11).rows) == 11
    with pytest.raises(TableError) as error:
        read_table(data, "a.csv", max_rows=10)
    assert error.value.code == "too_many_rows" and "10" in error.value.message
    with pytest.raises(TableError) as error:
        read_table(data, "a.csv", max_bytes=10)
    assert error.value.code == "too_large"


def test_errors_are_localised():
    with translation.override("zh-hans"), pytest.raises(TableError) as error:
        read_table(b"", "a.csv")
    assert error.value.message == "文件是空的。"


def test_format_by_extension():
    assert table_format("a.CSV") == "csv" and table_format("dir/a.xlsx") == "xlsx"
    with pytest.raises(TableError):
        table_format("a.xls")
    with pytest.raises(TableError):
        table_format("accounts")


DANGEROUS = ["=cmd|' /C calc'!A0", "+1", "-1", "@x", "\tx", "\rx"]


def test_csv_export_neutralises_formulas_and_opens_in_excel():
    data = table_bytes("csv", ["name", "n"], [[value, 5] for value in DANGEROUS] + [["plain", Decimal("1.50")]])
    assert data.startswith("\ufeff".encode())  # the BOM Chinese Excel needs to read UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert [row[0] for row in rows[1:]] == ["'" + value for value in DANGEROUS] + ["plain"]
    assert rows[-1][1] == "1.50"


def test_xlsx_export_neutralises_formulas_and_keeps_numbers():
    rows = [[value, 5] for value in DANGEROUS] + [["金额", Decimal("120000000000.00")], ["日期", date(2025, 3, 1)]]
    data = table_bytes("xlsx", ["name", "n"], rows, title="客户")
    table = read_table(data, "a.xlsx")
    cells = [row.cells[0] for row in table.rows[: len(DANGEROUS)]]
    assert cells[:4] == ["'" + value for value in DANGEROUS[:4]]
    assert all(cell.startswith("'") for cell in cells)
    assert table.rows[-2].cells[1] == 120000000000
    sheet = openpyxl.load_workbook(io.BytesIO(data)).active
    assert sheet.title == "客户"
    assert all(cell.data_type != "f" for row in sheet.iter_rows() for cell in row)
