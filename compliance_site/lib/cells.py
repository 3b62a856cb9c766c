"""One rule for every CSV and XLSX cell the app writes: text a spreadsheet would run as a formula is
neutralised (CSV/formula injection, docs/architecture.md).

A spreadsheet treats a cell beginning with `=`, `+`, `-` or `@` as a formula (and a leading tab or carriage
return can hide one), so a record name such as `=HYPERLINK("http://x","y")` or `+cmd|' /C calc'!A0` would be
live in an export. Following OWASP's CSV-injection guidance, such text gets a leading apostrophe, which
spreadsheets show as plain text; numbers (and text that is just a number, such as "-5" or "-1.25") are left
alone, so amounts stay amounts. The clawback import strips the apostrophe again, so an export is still a
valid import file.
"""

import re
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet could read `text` as a formula."""
    return text.startswith(FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text)


def safe_cell(value: Any) -> Any:
    """`value` with a leading apostrophe when it is text a spreadsheet would run; anything else unchanged."""
    if isinstance(value, str) and is_formula_like(value):
        return "'" + value
    return value
