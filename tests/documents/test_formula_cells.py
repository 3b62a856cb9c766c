"""The documents' CSV and XLSX tables (Reg FD period workbooks, the bundles' records/*.csv) write text that
a spreadsheet would run as a formula as plain text, like every other export."""

import csv
import io
from datetime import UTC, datetime
from decimal import Decimal

from openpyxl import load_workbook

from compliance_site.documents.xlsx import table_csv, tables_xlsx

HOSTILE = '=HYPERLINK("http://example.invalid","click")'
TABLE = {"columns": ["name", "amount_usd"], "rows": [[HOSTILE, "1200.00"], ["+cmd|' /C calc'!A0", "-5"]]}


def test_csv_tables_quote_formula_text_and_leave_numbers_alone():
    rows = list(csv.reader(io.StringIO(table_csv(TABLE).decode())))
    assert rows[1] == ["'" + HOSTILE, "1200.00"]
    assert rows[2] == ["'+cmd|' /C calc'!A0", "-5"]


def test_xlsx_tables_have_no_formula_cells():
    data = tables_xlsx(
        {"records": TABLE}, about=[("Title", "@SUM(A1:A9)")], generated_at=datetime(2026, 12, 4, tzinfo=UTC)
    )
    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook for row in sheet.iter_rows() for cell in row]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]
    assert workbook["records"]["A2"].value == "'" + HOSTILE
    assert workbook["records"]["B2"].value == Decimal("1200.00")
    assert workbook["About"]["B1"].value == "'@SUM(A1:A9)"
