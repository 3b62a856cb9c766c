"""Exports of the clawback lists (CSV and XLSX) and of a case as a scenario file.

The executive, measure and award exports use the import columns (`imports.COLUMNS`), so an export is a
valid import file. Amounts are written as text, never as spreadsheet floats (STYLE.md §14), and a cell
a spreadsheet would run as a formula is prefixed with a quote (CSV/formula injection).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet

from compliance_site.audit.recorder import record_action
from compliance_site.company.models import Company

from ..models import Award, Executive, Measure, Restatement
from ..recovery import RestatementEvent as EngineEvent
from ..recovery import required_to_prepare
from ..scenario import scenario_to_json
from .imports import COLUMNS, CSV_TYPE, XLSX_TYPE
from .scenarios import scenario_with_estimates

LIST_KINDS = ("executives", "measures", "awards", "restatements")
RESTATEMENT_COLUMNS = [
    "id",
    "title",
    "kind",
    "status",
    "description",
    "periods_restated",
    "measures_restated",
    "covered_executives",
    "policy_version",
    "administering_body",
    "required_on",
    "events",
    "created_at",
]

_PLAIN_NUMBER = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value: Any) -> Any:
    """A value safe to put in a spreadsheet: text for amounts, a quote before a would-be formula."""
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return _decimal(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if text.startswith(_FORMULA_START) and not _PLAIN_NUMBER.fullmatch(text):
        return "'" + text
    return text


def _decimal(value: Decimal) -> str:
    text = format(value, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_cell(v) for v in row])
    # UTF-8 with a byte-order mark: Excel opens it with the right encoding; the import accepts both.
    return buffer.getvalue().encode("utf-8-sig")


def to_xlsx(sheets: Sequence[tuple[str, Sequence[str], Iterable[Sequence[Any]]]]) -> bytes:
    """A workbook with one sheet per (title, header, rows); every cell is text (no float rounding)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook(write_only=False)
    workbook.remove(workbook.active)
    for title, header, rows in sheets:
        sheet = workbook.create_sheet(title=title[:31])
        sheet.append(list(header))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for row in rows:
            sheet.append([_cell(v) for v in row])
        for index, name in enumerate(header, start=1):
            sheet.column_dimensions[sheet.cell(row=1, column=index).column_letter].width = max(
                12, len(name) + 2
            )
            for cell in sheet.iter_rows(min_col=index, max_col=index, min_row=2):
                cell[0].number_format = "@"
        sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- Rows ---------------------------------------------------------------------------------------------


def executive_rows(executives: QuerySet[Executive]) -> Iterable[list]:
    """One row per period of officer service; NEO years on every row of the person (the import joins them)."""
    for x in executives.prefetch_related("officer_periods", "neo_years"):
        neo = "; ".join(y.fiscal_year for y in x.neo_years.all())
        for p in x.officer_periods.all() or [None]:
            yield [
                x.key,
                x.name,
                x.title,
                p.start if p else None,
                p.end if p else None,
                p.title if p else "",
                neo,
            ]


def measure_rows(measures: QuerySet[Measure]) -> Iterable[list]:
    for m in measures.prefetch_related("values"):
        values = list(m.values.all())
        if not values:
            yield [m.key, m.name, m.category, "", None, None, ""]
        for v in values:
            yield [m.key, m.name, m.category, v.period_label, v.original, v.restated, v.source]


def award_rows(awards: QuerySet[Award]) -> Iterable[list]:
    for a in awards.select_related("executive", "measure"):
        formula = a.formula if isinstance(a.formula, dict) else {}
        points = formula.get("points") if isinstance(formula.get("points"), list) else []
        yield [
            a.executive.key,
            a.key,
            a.award_type,
            a.basis,
            a.performance_start,
            a.performance_end,
            a.measure.key if a.measure else "",
            a.measure_period,
            formula.get("kind", ""),
            formula.get("target", ""),
            "; ".join(f"{p[0]}:{p[1]}" for p in points if isinstance(p, list) and len(p) == 2),
            formula.get("rate", ""),
            formula.get("offset", ""),
            formula.get("cap", ""),
            a.unit,
            a.received,
            a.value_per_unit,
            a.requires_estimate,
            a.approval_date,
            a.grant_date,
            a.vesting_date,
            a.settlement_date,
            a.units_sold,
            a.sale_price,
            a.notes,
        ]


def restatement_rows(restatements: QuerySet[Restatement]) -> Iterable[list]:
    qs = restatements.select_related("policy_version").prefetch_related(
        "events", "covered_executives", "measures_restated"
    )
    for r in qs:
        events = list(r.events.all())
        required = required_to_prepare(EngineEvent(kind=e.kind, date=e.date) for e in events)
        yield [
            r.pk,
            r.title,
            r.kind,
            r.status,
            r.description,
            r.periods_restated,
            "; ".join(sorted(m.key for m in r.measures_restated.all())),
            "; ".join(sorted(x.key for x in r.covered_executives.all())),
            str(r.policy_version) if r.policy_version else "",
            r.administering_body,
            required[0] if required else None,
            "; ".join(f"{e.kind}@{e.date.isoformat()}" for e in events),
            r.created_at,
        ]


_ROWS = {
    "executives": executive_rows,
    "measures": measure_rows,
    "awards": award_rows,
    "restatements": restatement_rows,
}


def header_for(kind: str) -> list[str]:
    return RESTATEMENT_COLUMNS if kind == "restatements" else [c.name for c in COLUMNS[kind]]


def export_list(
    *, actor, company: Company | None, kind: str, fmt: str, queryset: QuerySet
) -> tuple[bytes, str, str]:
    """(content, media type, file name) for a list the user may see, in CSV or XLSX; the export is
    recorded on the audit trail (who took which records out)."""
    header = header_for(kind)
    rows = list(_ROWS[kind](queryset))
    content = to_csv(header, rows) if fmt == "csv" else to_xlsx([(kind, header, rows)])
    if company is not None:
        record_action(
            actor=actor,
            verb=f"clawback-export-{kind}",
            obj=company,
            details={"format": fmt, "rows": len(rows), "sha256": hashlib.sha256(content).hexdigest()},
        )
    return content, (CSV_TYPE if fmt == "csv" else XLSX_TYPE), f"clawback-{kind}.{fmt}"


def case_scenario(restatement: Restatement) -> dict:
    """The case as a `clawback-scenario/1` document, with the committee's reasonable estimates; evaluating
    it gives the case's own result (the worksheet's, and the determination's while its inputs are current).
    Raises ScenarioError when the case's records cannot form a scenario yet."""
    return scenario_to_json(scenario_with_estimates(restatement))


def export_case_scenario(*, actor, restatement: Restatement) -> bytes:
    """The scenario file of a case (for an auditor to re-perform the analysis), recorded on the audit
    trail with its SHA-256."""
    content = (json.dumps(case_scenario(restatement), indent=2) + "\n").encode()
    record_action(
        actor=actor,
        verb="scenario-exported",
        obj=restatement,
        details={"sha256": hashlib.sha256(content).hexdigest()},
    )
    return content
