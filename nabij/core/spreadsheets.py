"""The one spreadsheet exporter: CSV and XLSX for every export in Nabij (sociale kaart, questionnaires, reports).

Cells come from residents and staff, so a cell that starts like a formula (`=HYPERLINK(…)`, `+`, `-`, `@`, a tab
or a carriage return) must arrive as text, never run (CSV/formula injection, OWASP). CSV cells get a leading
apostrophe; XLSX cells are written as strings, never as formulas, and such a cell gets Excel's quote prefix,
so it shows as typed and stays text when edited. Numbers stay numbers.

XLSX is written with XlsxWriter in constant-memory mode into a temporary file that is then streamed: memory
stays flat for 100,000 rows (docs/decisions/0013-one-spreadsheet-exporter.md). openpyxl is for reading only.
"""

from __future__ import annotations

import csv
import tempfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import xlsxwriter

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CHUNK_SIZE = 64 * 1024


@dataclass
class Sheet:
    title: str
    headers: list[str]
    rows: Iterable[Iterable[Any]]


def cell_text(value: Any) -> str:
    """A value as the text a spreadsheet cell shows (dates ISO, booleans ja/nee)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value)


def is_formula_like(text: str) -> bool:
    return text.startswith(FORMULA_STARTS)


def safe_cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run as a formula: a leading apostrophe where needed."""
    text = cell_text(value)
    return "'" + text if is_formula_like(text) else text


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(headers: list[str], rows: Iterable[Iterable[Any]]) -> Iterator[str]:
    """CSV text line by line, for a streaming response: a BOM and semicolons, as Dutch Excel expects."""
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield "\ufeff" + writer.writerow([safe_cell(h) for h in headers])
    for row in rows:
        yield writer.writerow([safe_cell(v) for v in row])


def _write_sheet(workbook, sheet: Sheet, *, bold, text_format) -> None:
    worksheet = workbook.add_worksheet(_sheet_title(sheet.title))
    for col, header in enumerate(sheet.headers):
        worksheet.write_string(0, col, cell_text(header), bold)
    for row_number, row in enumerate(sheet.rows, start=1):
        for col, value in enumerate(row):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                worksheet.write_string(row_number, col, cell_text(value))
            elif isinstance(value, int | float | Decimal):
                worksheet.write_number(row_number, col, value)
            else:
                text = cell_text(value)
                if is_formula_like(text):
                    worksheet.write_string(row_number, col, text, text_format)
                else:
                    worksheet.write_string(row_number, col, text)
    if sheet.headers:
        worksheet.freeze_panes(1, 0)


def _sheet_title(title: str) -> str:
    cleaned = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip()
    return (cleaned or "Blad")[:31]


def xlsx_file(sheets: list[Sheet]):
    """The workbook in a temporary file, positioned at its start (the caller closes it)."""
    handle = tempfile.TemporaryFile()
    workbook = xlsxwriter.Workbook(
        handle, {"constant_memory": True, "in_memory": False, "strings_to_formulas": False, "strings_to_urls": False}
    )
    bold = workbook.add_format({"bold": True})
    text_format = workbook.add_format({"quote_prefix": True})
    for sheet in sheets:
        _write_sheet(workbook, sheet, bold=bold, text_format=text_format)
    workbook.close()
    handle.seek(0)
    return handle


def xlsx_chunks(sheets: list[Sheet]) -> Iterator[bytes]:
    """The workbook in chunks, for a streaming response."""
    handle = xlsx_file(sheets)
    try:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk
    finally:
        handle.close()


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """The workbook as bytes (small exports and tests)."""
    return b"".join(xlsx_chunks(sheets))
