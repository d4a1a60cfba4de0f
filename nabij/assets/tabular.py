"""Reading the spreadsheet files of the sociale kaart: CSV as people and Excel really write it, and XLSX. No
database here: `read_table` turns bytes into a header and rows of strings. A file that cannot be read raises
FileRefused with a Dutch message that says what to do about it. Writing is the one exporter's
(nabij.core.spreadsheets).

CSV: semicolon, comma or tab as delimiter (sniffed), UTF-8 with or without BOM, else Windows-1252 (what Excel
writes with "CSV (gescheiden door lijstscheidingsteken)"). XLSX: the first worksheet, read with openpyxl in
read-only mode. Row numbers are the spreadsheet's own (the header is usually row 1), so a message about
"rij 3" points at the row the user sees.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils.translation import gettext as _

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
HEADER_SEARCH_ROWS = 5  # a title row or two above the header is common in hand-made sheets
DELIMITERS = ";,\t"


class FileRefused(Exception):
    """The file as a whole cannot be read; `message` is for the user."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class Table:
    headers: list[str]
    rows: list[tuple[int, list[str]]] = field(default_factory=list)  # (spreadsheet row number, cells)
    header_row: int = 1
    delimiter: str = ""  # CSV only
    encoding: str = ""  # CSV only


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how a spreadsheet names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _cell_text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(value).strip()


def _decode(data: bytes) -> tuple[str, str]:
    """UTF-8 (a BOM is dropped) or else Windows-1252, as Excel on Windows saves CSV."""
    try:
        return data.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252"), "windows-1252"
    except UnicodeDecodeError as exc:
        raise FileRefused(
            _("The file could not be read as text. Save it as CSV (UTF-8) or as an Excel workbook (.xlsx).")
        ) from exc


def _sniff_delimiter(text: str) -> str:
    sample = "\n".join(text.splitlines()[:20])
    try:
        return csv.Sniffer().sniff(sample, delimiters=DELIMITERS).delimiter
    except csv.Error:
        first = text.splitlines()[0] if text.splitlines() else ""
        counts = {d: first.count(d) for d in DELIMITERS}
        best = max(counts, key=counts.get)
        return best if counts[best] else ";"


def _trim(rows: Iterable[tuple[int, list[str]]]) -> list[tuple[int, list[str]]]:
    """Drop rows without any value and trailing empty cells; refuse files that are too long."""
    kept = []
    for number, cells in rows:
        while cells and not cells[-1]:
            cells.pop()
        if any(cells):
            kept.append((number, cells))
            if len(kept) > MAX_ROWS + HEADER_SEARCH_ROWS:
                raise FileRefused(_("The file has more than %(max)d rows; split it into parts.") % {"max": MAX_ROWS})
    return kept


def _find_header(rows: list[tuple[int, list[str]]], first_column: str) -> int:
    """The index of the header row: the first of the top rows that has a `first_column` cell, else the first."""
    for index, (_number, cells) in enumerate(rows[:HEADER_SEARCH_ROWS]):
        if any(c.strip().lower() == first_column for c in cells):
            return index
    return 0


def _table(rows: list[tuple[int, list[str]]], *, first_column: str) -> Table:
    if not rows:
        raise FileRefused(_("The file is empty."))
    start = _find_header(rows, first_column)
    header_row, headers = rows[start]
    body = rows[start + 1 :]
    if not body:
        raise FileRefused(_("The file has a header row but no rows below it."))
    return Table(headers=[h.strip() for h in headers], rows=body, header_row=header_row)


def _read_csv(data: bytes, *, first_column: str) -> Table:
    text, encoding = _decode(data)
    if not text.strip():
        raise FileRefused(_("The file is empty."))
    delimiter = _sniff_delimiter(text)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    try:
        rows = _trim((number, [c.strip() for c in cells]) for number, cells in enumerate(reader, start=1))
    except csv.Error as exc:
        raise FileRefused(_("The file is not valid CSV: %(error)s.") % {"error": exc}) from exc
    table = _table(rows, first_column=first_column)
    if len(table.headers) == 1 and any(d in table.headers[0] for d in "|:#/"):
        raise FileRefused(
            _(
                "All columns ended up in one: the file uses a delimiter Nabij does not read. "
                "Use a semicolon (;) or a comma (,) between the columns."
            )
        )
    table.delimiter, table.encoding = delimiter, encoding
    return table


def _read_xlsx(data: bytes, *, first_column: str) -> Table:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, TypeError) as exc:
        raise FileRefused(_("The file could not be read as an Excel workbook (.xlsx).")) from exc
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            raise FileRefused(_("The file is empty."))
        rows = _trim(
            (number, [_cell_text(v) for v in values])
            for number, values in enumerate(sheet.iter_rows(values_only=True), start=1)
        )
    finally:
        workbook.close()
    table = _table(rows, first_column=first_column)
    _refuse_headerless_columns(table)
    return table


def _refuse_headerless_columns(table: Table) -> None:
    """A column with values but no header is what merged header cells look like in read-only mode (only the
    first cell of a merged range keeps the value); guessing which column was meant would be wrong too often."""
    width = max((len(cells) for _n, cells in table.rows), default=0)
    headers = table.headers + [""] * (width - len(table.headers))
    for index, header in enumerate(headers):
        if header:
            continue
        if any(index < len(cells) and cells[index] for _n, cells in table.rows):
            raise FileRefused(
                _(
                    "Column %(column)s has values but no header. Merged header cells are not supported: "
                    "give every column its own header in one row, without merged cells."
                )
                % {"column": column_letter(index)}
            )


def read_table(*, data: bytes, filename: str = "", first_column: str = "naam") -> Table:
    """Header and rows of an uploaded CSV or XLSX file; FileRefused when it cannot be read as such."""
    if not data or not data.strip():
        raise FileRefused(_("The file is empty."))
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(
            _("The file is larger than %(mb)d MB; split it into parts.") % {"mb": MAX_FILE_BYTES // (1024 * 1024)}
        )
    name = filename.lower()
    if name.endswith(".xls") or data[:8] == b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1":
        raise FileRefused(_("Old Excel files (.xls) cannot be read. Save the file as .xlsx or as CSV."))
    if data[:4] == b"PK\x03\x04" or name.endswith(".xlsx"):
        return _read_xlsx(data, first_column=first_column)
    return _read_csv(data, first_column=first_column)
