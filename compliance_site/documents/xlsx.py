"""Record tables (the `table()` shape of the snapshots) written as CSV and as an XLSX workbook."""

import csv
import io
import re
from datetime import UTC, datetime
from decimal import Decimal

from compliance_site.lib.cells import safe_cell

_DECIMAL = re.compile(r"^-?\d+(\.\d+)?$")
# Columns holding amounts, counts or units: written as numbers so a spreadsheet can sum them.
_NUMERIC_COLUMN = re.compile(
    r"(usd|amount|_value|received|excess|recomputed|original_formula|owed|recovered|forgone|outstanding|"
    r"units|days|cost|value_per_unit|pending_estimates)",
)


def table_csv(table: dict) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(table["columns"])
    # A name or title that reads as a formula stays text (one rule for every export: lib/cells.py).
    writer.writerows([safe_cell(value) for value in row] for row in table["rows"])
    return buffer.getvalue().encode("utf-8")


def _cell(column: str, value):
    if isinstance(value, str) and _NUMERIC_COLUMN.search(column) and _DECIMAL.match(value):
        return Decimal(value)
    if isinstance(value, (list, dict)):
        return safe_cell(str(value))
    return safe_cell(value)


def tables_xlsx(tables: dict, *, about: list[tuple[str, str]], generated_at: datetime) -> bytes:
    """A workbook: an "About" sheet (title, company, legend, document id...), then one sheet per table."""
    # openpyxl takes a tenth of a second to import: paid when a workbook is made, not by every process
    # that registers the document kinds (a command's start-up).
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "About"
    for row in about:
        sheet.append([safe_cell(value) for value in row])
    sheet.column_dimensions["A"].width = 24
    sheet.column_dimensions["B"].width = 100
    for cell in sheet["A"]:
        cell.font = Font(bold=True)
    for name, table in tables.items():
        ws = workbook.create_sheet(title=name[:31])
        ws.append(table["columns"])
        for cell in ws[1]:
            cell.font = Font(bold=True)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
        for row in table["rows"]:
            ws.append([_cell(column, value) for column, value in zip(table["columns"], row, strict=False)])
        ws.freeze_panes = "A2"
        for index, column in enumerate(table["columns"], start=1):
            longest = max([len(str(column))] + [len(str(r[index - 1])) for r in table["rows"][:200]])
            ws.column_dimensions[get_column_letter(index)].width = min(60, max(10, longest + 2))
            if _NUMERIC_COLUMN.search(column):
                for cell in ws[get_column_letter(index)][1:]:
                    if isinstance(cell.value, Decimal):
                        cell.number_format = (
                            "#,##0.00" if "usd" in column or "amount" in column else "#,##0.######"
                        )
    # Fixed document properties, so the workbook's bytes depend on its content and generation time only.
    workbook.properties.creator = "Compliance Case Manager"
    workbook.properties.created = generated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    workbook.properties.modified = generated_at.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
