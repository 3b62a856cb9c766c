"""Bulk import of clawback records from CSV or XLSX, and of a scenario file as a draft case.

A spreadsheet import runs in two steps: a dry run that reports every problem as (row, column, message)
and changes nothing, then a commit that applies every row or none (one transaction). Both steps go
through the same record services (`clawback.services.records`) inside a transaction, the dry run
rolling it back, so a file that passes the dry run commits cleanly.

Files: the first row names the columns (any order; `COLUMNS` lists them, starred ones required). An existing
key updates the record, a new key creates it; re-importing a file never removes anything (the services add or
change what a file names and keep the rest), so a file holding only FY2025 leaves FY2024 as it is. Kinds:
executives, measures (values as first reported), restated_values (one case's own restated figures), awards
(with scorecard goals on a "goals" sheet), award_goals, award_credits (amounts already recovered).
"""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from compliance_site.audit.recorder import audit_context, record_action
from compliance_site.company.models import Company

from ...models import Determination, Restatement
from ...scenario import ScenarioError
from .. import records
from ..walls import check_may_change_inputs
from .awards import apply_award_credits, apply_award_goals, apply_awards
from .cells import Column, RowError, parse_rows
from .columns import COLUMNS, GOALS_SHEET, KINDS, RETIRED
from .executives import apply_executives
from .files import CSV_TYPE, FORMATS, MAX_BYTES, MAX_ROWS, XLSX_TYPE, ImportFileError, read_table
from .measures import apply_measures, apply_restated_values
from .report import ImportReport, Run
from .scenario_files import ScenarioPreview, import_scenario_file, preview_scenario_import

_APPLY = {
    "executives": apply_executives,
    "measures": apply_measures,
    "restated_values": apply_restated_values,
    "awards": apply_awards,
    "award_goals": apply_award_goals,
    "award_credits": apply_award_credits,
}


def import_records(
    *,
    actor,
    company: Company,
    kind: str,
    content: bytes,
    fmt: str,
    file_name: str = "",
    commit: bool,
    now: datetime | None = None,
    restatement: Restatement | None = None,
    reason: str = "",
    goals_content: bytes | None = None,
    goals_fmt: str = "csv",
    goals_file_name: str = "",
) -> ImportReport:
    """Check (commit=False) or import (commit=True) a CSV/XLSX file of one kind (`COLUMNS`).

    Every row is validated by the record services inside one transaction; the dry run, or a commit
    with any error, rolls the whole transaction back, so nothing is changed unless every row is good.
    The cases whose inputs the file changes are checked once, after the last row, in the same
    transaction: an approval resting on the old records is withdrawn with the commit (the dry run
    reports which would be).

    `restatement` (with `reason` once it is signed off) is the case of a restated values import, and only
    of that kind. An awards import takes its scorecard goals from the workbook's "goals" sheet, or from
    `goals_content` (a goals file given with a CSV).

    A file that would change an input of a case the actor is walled from (recused, or covered by it) is
    refused as a whole (PermissionDenied), the dry run too, and nothing of it is written (`walls`).
    """
    if kind not in COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}")
    if (kind == "restated_values") != (restatement is not None):
        raise ValueError("a restated values import is run for one case, any other import for none")
    if restatement is not None and restatement.company_id != company.pk:
        raise ValueError("the case belongs to another company")
    if restatement is not None:
        check_may_change_inputs(actor, restatement)
    now = now or timezone.now()
    report = ImportReport(
        kind=kind,
        file_name=file_name,
        sha256=hashlib.sha256(content).hexdigest(),
        case=restatement.title if restatement is not None else "",
    )
    try:
        # A workbook's sheet named for the kind ("awards"), else its first sheet.
        found = read_table(content, fmt=fmt, sheet=kind) if fmt == "xlsx" else None
        header, table = found if found and found[0] else read_table(content, fmt=fmt)
    except ImportFileError as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report
    rows, report.errors = parse_rows(COLUMNS[kind], header, table, retired=RETIRED.get(kind))
    report.rows = len(table)
    run = Run(actor=actor, company=company, report=report, header=header, now=now, restatement=restatement)
    run.reason = reason
    if kind == "awards":
        _read_goals(
            run, content=content, fmt=fmt, goals=goals_content, goals_fmt=goals_fmt, name=goals_file_name
        )
    if not rows and not report.errors:
        report.errors.append(RowError(0, "", "The file has no data rows."))
    if report.errors and not rows:
        report.errors.sort(key=_order)
        return report
    with transaction.atomic():
        before = _approval_state(company)
        with audit_context(actor=actor):
            # Goals are applied per award, all or none of them (an award's goal numbers depend on each other).
            _APPLY[kind](run, rows if kind == "award_goals" else _valid_rows(rows, report))
            if not report.errors:
                _recheck_cases(run, before)
            if commit and not report.errors:
                record_action(
                    actor=actor,
                    verb=f"clawback-import-{kind}",
                    obj=restatement if restatement is not None else company,
                    details=_audit_details(report),
                    reason=reason.strip() if restatement is not None else "",
                )
        if commit and not report.errors:
            report.committed = True
        else:
            # A dry run, or a file with any bad row: nothing of it is kept (all or nothing).
            transaction.set_rollback(True)
    report.errors.sort(key=_order)
    return report


def _order(error: RowError):
    return (error.sheet, error.row, error.column)


def _read_goals(
    run: Run, *, content: bytes, fmt: str, goals: bytes | None, goals_fmt: str, name: str
) -> None:
    """The goal rows of an awards import: a goals file given with it, else the workbook's "goals" sheet."""
    report = run.report
    try:
        if goals is not None:
            table = read_table(goals, fmt=goals_fmt)
            report.goals_file_name, report.goals_sha256 = name, hashlib.sha256(goals).hexdigest()
        elif fmt == "xlsx":
            table = read_table(content, fmt=fmt, sheet=GOALS_SHEET)
            report.goals_file_name = f"{report.file_name}, sheet {GOALS_SHEET}" if table else ""
        else:
            table = None
    except ImportFileError as exc:
        report.errors.append(RowError(0, "", str(exc), GOALS_SHEET))
        return
    if not table or not table[1]:
        return
    header, rows = table
    goal_rows, errors = parse_rows(COLUMNS["award_goals"], header, rows, sheet=GOALS_SHEET)
    report.errors += errors
    report.goal_rows = len(rows)
    run.goal_rows, run.goals_header = goal_rows, header


def _valid_rows(rows, report: ImportReport):
    """Rows without cell errors; a row with one is reported already and not applied."""
    bad = {e.row for e in report.errors if not e.sheet}
    return [(n, r) for n, r in rows if n not in bad]


def _approval_state(company: Company) -> dict[int, tuple[int, bool]]:
    """Each case's live determination and whether it is approved, to tell what a file changed: some services
    (restated values, credits) recheck their case's approval themselves."""
    live = Determination.objects.filter(restatement__company=company, invalidated_at__isnull=True).order_by(
        "number"
    )
    return {d.restatement_id: (d.pk, d.decision_id is not None) for d in live}


def _recheck_cases(run: Run, before: dict[int, tuple[int, bool]]) -> None:
    # Every case of the company past draft: the file may touch any executive, measure or award of it.
    cases = Restatement.objects.filter(company=run.company).exclude(status=Restatement.Status.DRAFT)
    records.recheck_approvals(cases, actor=run.actor, now=run.now)
    after = _approval_state(run.company)
    for case in cases.order_by("pk"):
        old, new = before.get(case.pk), after.get(case.pk)
        if old is not None and old[1] and new != old:
            run.report.approvals_withdrawn.append(case.title)
        elif new is not None and new != old:
            run.report.determinations_recomputed.append(case.title)


def _audit_details(report: ImportReport) -> dict:
    details = {
        "file": report.file_name,
        "sha256": report.sha256,
        "rows": report.rows,
        "created": report.created,
        "updated": report.updated,
    }
    if report.unchanged:
        details["unchanged"] = report.unchanged
    if report.goals_file_name:
        details |= {"goals_file": report.goals_file_name, "goal_rows": report.goal_rows}
        if report.goals_sha256:
            details["goals_sha256"] = report.goals_sha256
    return details


__all__ = [
    "COLUMNS",
    "CSV_TYPE",
    "FORMATS",
    "GOALS_SHEET",
    "KINDS",
    "MAX_BYTES",
    "MAX_ROWS",
    "XLSX_TYPE",
    "Column",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "ScenarioError",
    "ScenarioPreview",
    "import_records",
    "import_scenario_file",
    "preview_scenario_import",
    "read_table",
]
