"""Reading an import file: the rows of a CSV file or of one sheet of an XLSX workbook, as raw cells."""

from __future__ import annotations

import csv
import io
import time
import zipfile
from collections.abc import Iterator
from typing import Any

from .cells import blank, text_of

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000
# An XLSX file is a ZIP: 200 KB can expand to 200 MB of XML. Before openpyxl opens it, the workbook's
# declared uncompressed size, its number of parts and its compression ratio are bounded (zipfile stops at the
# declared size, so the declaration binds); then reading is bounded in columns and in time
# (docs/architecture.md).
MAX_XLSX_UNCOMPRESSED_BYTES = 20 * 1024 * 1024
MAX_XLSX_PARTS = 500
MAX_XLSX_RATIO = 100  # uncompressed / compressed, for a part over 1 MB
MAX_COLUMNS = 256
MAX_READ_SECONDS = 30.0

CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}

Table = list[tuple[int, dict[str, Any]]]


class ImportFileError(ValueError):
    """A file that cannot be read at all (not CSV/XLSX, too large, no header)."""


def read_table(content: bytes, *, fmt: str, sheet: str | None = None) -> tuple[list[str], Table] | None:
    """The header (lower-cased column names) and the rows of a CSV file or an XLSX sheet as (row number,
    {column: raw cell}); empty rows are skipped. `sheet` names an XLSX sheet (any case); without it the first
    sheet is read. None when the workbook has no sheet of that name. Raises ImportFileError for an unreadable
    file."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if fmt == "csv":
        rows = _csv_rows(content)
    elif fmt == "xlsx":
        rows = _xlsx_rows(content, sheet=sheet)
    else:
        raise ImportFileError("Upload a .csv or .xlsx file.")
    header: list[str] | None = None
    table: Table = []
    try:
        for number, cells in rows:
            if number == 0:
                return None  # the workbook has no such sheet
            if header is None:
                header = [text_of(c).lower() for c in cells]
                if not any(header):
                    raise ImportFileError("The first row must name the columns.")
                continue
            if all(blank(c) for c in cells):
                continue
            if len(table) >= MAX_ROWS:
                raise ImportFileError(f"The file has more than {MAX_ROWS} rows; split it.")
            table.append(
                (number, {name: (cells[i] if i < len(cells) else None) for i, name in enumerate(header)})
            )
    except ImportFileError:
        raise
    except csv.Error as exc:
        raise ImportFileError(f"The CSV file cannot be read: {exc}") from None
    except Exception as exc:  # openpyxl raises many kinds (zip, XML, key errors) on a damaged workbook
        raise ImportFileError(f"The workbook cannot be read ({type(exc).__name__}).") from None
    if header is None:
        if sheet is not None:
            return [], []
        raise ImportFileError("The file is empty.")
    return header, table


def _csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("The CSV file is not UTF-8 text.") from None
    if "\x00" in text:
        raise ImportFileError("The file is not a CSV text file.")
    return enumerate(csv.reader(io.StringIO(text, newline="")), start=1)


def _xlsx_rows(content: bytes, *, sheet: str | None) -> Iterator[tuple[int, list]]:
    """Rows numbered from 1; a single (0, []) when the workbook has no sheet named `sheet`."""
    from openpyxl import load_workbook

    if not content.startswith(b"PK\x03\x04"):
        raise ImportFileError("The file is not an .xlsx workbook.")
    check_xlsx_size(content)
    deadline = time.monotonic() + MAX_READ_SECONDS
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged zip or workbook XML
        raise ImportFileError(f"The workbook cannot be read ({type(exc).__name__}).") from None
    # Streamed row by row (read-only mode), so a sheet claiming a million rows stops at MAX_ROWS.
    try:
        if sheet is None:
            worksheet = workbook.worksheets[0]
        else:
            titles = [t for t in workbook.sheetnames if t.strip().lower() == sheet]
            if not titles:
                yield 0, []
                return
            worksheet = workbook[titles[0]]
        # At most MAX_COLUMNS columns: a forged dimension (A1:XFD1048576) would otherwise pad every row,
        # blank ones included, to 16,384 cells.
        columns = min(worksheet.max_column or MAX_COLUMNS, MAX_COLUMNS)
        for number, row in enumerate(worksheet.iter_rows(max_col=columns, values_only=True), start=1):
            if number % 1000 == 0 and time.monotonic() > deadline:
                raise ImportFileError(
                    f"The workbook took more than {MAX_READ_SECONDS:.0f} seconds to read; "
                    "remove empty rows and formatting, or split it."
                )
            if number > 1 and row.count(None) == len(row):
                continue  # an empty row (read_table skips it anyway), dropped here at C speed
            yield number, list(row)
    finally:
        workbook.close()


def check_xlsx_size(content: bytes) -> None:
    """Refuse a workbook whose parts would expand beyond the bounds above, before decompressing any."""
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, EOFError):
        raise ImportFileError("The workbook cannot be read (BadZipFile).") from None
    if len(parts) > MAX_XLSX_PARTS:
        raise ImportFileError(f"The workbook has more than {MAX_XLSX_PARTS} parts; it is not a plain one.")
    total = sum(part.file_size for part in parts)
    limit_mb = MAX_XLSX_UNCOMPRESSED_BYTES // (1024 * 1024)
    if total > MAX_XLSX_UNCOMPRESSED_BYTES:
        raise ImportFileError(
            f"The workbook expands to more than {limit_mb} MB when opened; remove empty rows and formatting, "
            "or split it."
        )
    for part in parts:
        if part.file_size > 1024 * 1024 and part.file_size > MAX_XLSX_RATIO * max(part.compress_size, 1):
            raise ImportFileError(
                f"The workbook part {part.filename[:60]} is compressed more than {MAX_XLSX_RATIO} to 1; "
                "it is not a plain workbook."
            )
