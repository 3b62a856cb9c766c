"""Cells of an import file as finance people type them: numbers with thousands separators and a dollar sign,
dates, yes/no, choices and payout curves; every problem reported by row and column in plain words.

Numbers (money is Decimal end to end: a Decimal is built from text, never from a float):
- A typed number is read from its text: an optional sign or `$`, digits with or without thousands separators
  (`950,000,000`, `$1,000,000`, `1,000,000.50`), an optional decimal part. `(1,000)` is a negative amount, as
  in financial statements: accepted as -1000 where a value can be negative (a measure's value), refused with
  a message where it cannot (an amount received, a credit, a weight).
- An XLSX number cell arrives as an int (exact) or a float. A float is read as its shortest decimal text, the
  one Python's `repr` gives back, which is the number as typed; past the 15 significant digits a spreadsheet
  keeps it is rounded to 15 (a formula's 0.30000000000000004 reads 0.3). A figure that needs more than 15
  digits must be typed as text in the sheet.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal
from typing import Any

SPREADSHEET_DIGITS = 15


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, date, decimal, integer, bool, choice, points
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    # A record's own field on a file where several rows make one record: needed on its first row only.
    per_record: bool = False
    # decimal: a value below zero is allowed (a measure's value, a formula's offset).
    negative: bool = False


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet row number (the header is row 1); 0 for the file as a whole
    column: str
    message: str
    sheet: str = ""  # a workbook's second sheet (e.g. "goals"), or the second file; "" for the main one

    @property
    def where(self) -> str:
        """ "row 3", "goals row 3", "file": for messages and the report table."""
        place = f"row {self.row}" if self.row else "file"
        return f"{self.sheet} {place}" if self.sheet else place


def blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def float_text(value: float) -> str:
    """An XLSX float cell as decimal text (see the module docstring)."""
    if not math.isfinite(value):
        return repr(value)
    number = Decimal(repr(value))
    if len(number.as_tuple().digits) > SPREADSHEET_DIGITS:
        number = number.quantize(
            Decimal(1).scaleb(number.adjusted() - SPREADSHEET_DIGITS + 1), rounding=ROUND_HALF_EVEN
        )
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def text_of(value) -> str:
    """A cell as text; an export's guard quote (against spreadsheet formulas) is removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return float_text(value)
    if isinstance(value, Decimal):
        return format(value, "f")
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@\t\r":
        text = text[1:]
    return text


_NUMBER_RE = re.compile(
    r"(?P<sign>[-+]?)\s*\$?\s*(?P<whole>[0-9]{1,3}(?:,[0-9]{3})+|[0-9]+)(?:\.(?P<fraction>[0-9]+))?"
)
NUMBER_HINT = "a number such as 1200000.50, 1,200,000.50 or $1,200,000"


def parse_number(text: str, *, negative: bool) -> tuple[str | None, str | None]:
    """(the number as plain decimal text, e.g. "-1200000.50", or None; a problem or None)."""
    text = text.strip()
    shown = repr(text[:40])
    in_parentheses = len(text) > 2 and text[0] == "(" and text[-1] == ")"
    body = text[1:-1].strip() if in_parentheses else text
    match = _NUMBER_RE.fullmatch(body)
    if match is None or (in_parentheses and match["sign"]):
        return None, f"must be {NUMBER_HINT}; got {shown}"
    plain = match["whole"].replace(",", "") + (f".{match['fraction']}" if match["fraction"] else "")
    if (in_parentheses or match["sign"] == "-") and Decimal(plain) != 0:
        if not negative:
            if in_parentheses:
                return None, (
                    f"cannot be negative; got {shown}, which is written as a negative amount (in parentheses)"
                )
            return None, f"cannot be negative; got {shown}"
        plain = "-" + plain
    return plain, None


def parse_points(text: str) -> tuple[list[list[str]] | None, str | None]:
    """A payout curve typed as 'measure:factor' pairs separated by ';' -> [["180000000", "0.5"], ...]."""
    points = []
    for pair in text.split(";"):
        if not pair.strip():
            continue
        parts = pair.split(":")
        if len(parts) != 2:
            return None, f"write 'measure:factor' pairs separated by ';'; got {pair.strip()[:40]!r}"
        x, problem = parse_number(parts[0], negative=True)
        if problem:
            return None, f"the measure value of {pair.strip()[:40]!r} {problem.split(';')[0]}"
        factor, problem = parse_number(parts[1], negative=False)
        if problem:
            return None, f"the factor of {pair.strip()[:40]!r} {problem.split(';')[0]}"
        points.append([x, factor])
    if not points:
        return None, "write 'measure:factor' pairs separated by ';', e.g. 180,000,000:0.5; 220,000,000:1"
    return points, None


_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"", "false", "no", "n", "0"}


def parse_cell(column: Column, value) -> tuple[Any, str | None]:
    """(typed value, problem or None) of one cell."""
    if column.kind == "date" and isinstance(value, datetime):
        if value.time() != datetime.min.time():
            return None, "must be a date without a time"
        return value.date(), None
    if column.kind == "date" and isinstance(value, date):
        return value, None
    if column.kind in ("decimal", "integer") and isinstance(value, bool | date):
        return None, f"must be a number; got {text_of(value)!r}"
    text = text_of(value)
    if not text:
        missing = column.required and not column.per_record
        return (False if column.kind == "bool" else None), ("is required" if missing else None)
    if column.kind == "date":
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, f"must be a date YYYY-MM-DD, e.g. 2024-12-31; got {text[:40]!r}"
    if column.kind == "decimal":
        plain, problem = parse_number(text, negative=column.negative)
        return (Decimal(plain) if plain is not None else None), problem
    if column.kind == "integer":
        if not text.isdigit() or int(text) < 1:
            return None, f"must be a whole number 1, 2, 3 …; got {text[:40]!r}"
        return int(text), None
    if column.kind == "bool":
        if text.lower() in _TRUE:
            return True, None
        if text.lower() in _FALSE:
            return False, None
        return None, f"must be true or false; got {text[:40]!r}"
    if column.kind == "choice":
        choice = next((c for c in column.choices if c.lower() == text.lower()), None)
        if choice is None:
            return None, f"must be one of {', '.join(column.choices)}; got {text[:40]!r}"
        return choice, None
    if column.kind == "points":
        return parse_points(text)
    return text, None


def parse_rows(
    columns: tuple[Column, ...],
    header: list[str],
    table,
    *,
    retired: dict[str, str] | None = None,
    sheet: str = "",
) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Typed rows and every cell-level problem; the header is checked against `columns`. A retired column
    (one an older version of the file had) is ignored while empty and refused, with `retired`'s explanation,
    when it holds anything."""
    by_name = {c.name: c for c in columns}
    retired = retired or {}
    errors = []
    for name, why in retired.items():
        if name in header and any(not blank(raw.get(name)) for _, raw in table):
            errors.append(RowError(1, name, why, sheet))
    errors += [
        RowError(0, name, "unknown column", sheet)
        for name in header
        if name and name not in by_name and name not in retired
    ]
    errors += [
        RowError(1, c.name, "required column is missing", sheet)
        for c in columns
        if c.required and c.name not in header
    ]
    seen = set()
    for name in header:
        if name and name in seen:
            errors.append(RowError(1, name, "column appears more than once", sheet))
        seen.add(name)
    if errors:
        return [], errors
    rows = []
    keys_seen = set()
    for number, raw in table:
        typed = {}
        for name, column in by_name.items():
            value, problem = parse_cell(column, raw.get(name))
            if problem:
                errors.append(RowError(number, name, problem, sheet))
            typed[name] = value
        first_of_key = typed.get("key") not in keys_seen
        keys_seen.add(typed.get("key"))
        for column in columns:
            if column.per_record and first_of_key and typed[column.name] is None:
                errors.append(RowError(number, column.name, "is required on the key's first row", sheet))
        rows.append((number, typed))
    return rows, errors
