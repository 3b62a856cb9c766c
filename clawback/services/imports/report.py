"""What an import run found and did, and the helpers every kind shares to turn a service's refusal into
(row, column, plain message) entries."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import DatabaseError, transaction

from compliance_site.company.models import Company

from ...models import Restatement
from ..errors import errors_of
from .cells import RowError


@dataclass
class ImportReport:
    kind: str
    file_name: str
    sha256: str
    rows: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    # Rows equal to a record already there (an amount already recovered recorded before): nothing added.
    unchanged: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    # Cases whose approval the file withdraws (or would, on a dry run): their inputs change.
    approvals_withdrawn: list[str] = field(default_factory=list)
    # Cases under review whose determination is recomputed for review with the file's records.
    determinations_recomputed: list[str] = field(default_factory=list)
    # An awards import's scorecard goals: the workbook's "goals" sheet, or a goals file given with a CSV.
    goals_file_name: str = ""
    goals_sha256: str = ""
    goal_rows: int = 0
    # A restated values import: the case whose figures the file sets.
    case: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors


@dataclass
class Run:
    """One import run: who, for which company (and case), at what time, with the header read."""

    actor: Any
    company: Company
    report: ImportReport
    header: list[str]
    now: datetime
    restatement: Restatement | None = None
    reason: str = ""
    goal_rows: list[tuple[int, dict]] = field(default_factory=list)
    goals_header: list[str] = field(default_factory=list)

    def error(self, row: int, column: str, message: str, sheet: str = "") -> None:
        self.report.errors.append(RowError(row, column, message, sheet))

    def has_bad_cell(self, rows, sheet: str = "") -> bool:
        """Whether any of these rows has a cell problem already reported (the record is then not applied:
        its other problems would only follow from that one)."""
        bad = {e.row for e in self.report.errors if e.sheet == sheet}
        return any(number in bad for number, _ in rows)


def group_by(rows, key: str) -> dict[str, list[tuple[int, dict]]]:
    groups: dict[str, list[tuple[int, dict]]] = {}
    for number, row in rows:
        groups.setdefault(row[key] or "", []).append((number, row))
    return groups


def first_given(group, name: str, run: Run, *, key: str, sheet: str = ""):
    """A record's field on a file where several rows make one record: the first value given; a later row
    giving another value is reported."""
    value, where = None, 0
    for number, row in group:
        if row[name] is None or row[name] == "":
            continue
        if value is None:
            value, where = row[name], number
        elif row[name] != value:
            run.error(number, name, f"differs from row {where} for {key}", sheet)
    return value


def save_row(
    run: Run,
    service: Callable[..., Any],
    arguments: dict,
    *,
    row: int,
    on_error: Callable[[dict[str, list[str]]], None],
):
    """service(**arguments) in a savepoint: a refusal (ValidationError) goes to `on_error` as {field:
    [messages]}; a database refusal (a record saved at the same time by someone else) becomes a plain message
    on the row, never the database's own words."""
    try:
        with transaction.atomic():
            return service(**arguments)
    except ValidationError as exc:
        on_error(errors_of(exc))
    except DatabaseError:
        run.error(
            row,
            "",
            "could not be saved: it conflicts with a record changed at the same time. Check the file again.",
        )
    return None


def save_keyed(
    run: Run,
    existing: dict,
    key: str,
    arguments: dict,
    services: tuple[Callable[..., Any], Callable[..., Any]],
    *,
    row: int,
    on_error: Callable[[dict[str, list[str]]], None],
) -> None:
    """Save one record of the file by its key (`save_row`) with `services`, the sheet's (create, update):
    `update(**arguments)` when `existing` holds one under `key` (the arguments name it), else
    `create(**arguments)`, the new record then kept under `key`. The report lists it as updated or created."""
    create, update = services
    if key in existing:
        if save_row(run, update, arguments, row=row, on_error=on_error) is not None:
            run.report.updated.append(key)
        return
    saved = save_row(run, create, arguments, row=row, on_error=on_error)
    if saved is not None:
        existing[key] = saved
        run.report.created.append(key)


def report_fields(
    run: Run,
    errors: dict[str, list[str]],
    *,
    row: int,
    columns: dict[str, str],
    default: str,
    sheet: str = "",
) -> None:
    """Each service field's messages on `row`, under the file's column for that field."""
    for name, messages in errors.items():
        column = columns.get(name, default if name == "__all__" else name)
        for message in messages:
            run.error(row, column, message, sheet)


def row_for_message(message: str, rows: dict[str, int]) -> int | None:
    """The row a service message is about, found by the label it names (a period, "Net income FY2024");
    the longest label that the message names wins."""
    found = [
        (len(label), number)
        for label, number in rows.items()
        if label and re.search(rf"(^|\W){re.escape(label)}($|\W)", message)
    ]
    return max(found)[1] if found else None
