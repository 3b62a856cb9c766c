"""Exports of the clawback lists (CSV and XLSX) and of a case as a scenario file.

The record exports (executives, measures, awards with their scorecard goals, award goals, amounts already
recovered, a case's restated values) use the import columns (`imports.COLUMNS`), so an export is a valid
import file; the awards workbook carries the goals on its "goals" sheet, as the awards import reads them.
Voided records are left out (the default managers hold live rows only). Amounts are written as text, never
as spreadsheet floats (money is Decimal end to end), and a cell a spreadsheet would run as a formula is
prefixed with a quote (CSV/formula injection).
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from compliance_site.audit.recorder import record_action
from compliance_site.company.models import Company
from compliance_site.lib.cells import safe_cell

from ..models import (
    Award,
    AwardComponent,
    Executive,
    Measure,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from ..recovery import RestatementEvent as EngineEvent
from ..recovery import required_to_prepare
from ..scenario import parse_scenario
from .imports.columns import COLUMNS, GOALS_SHEET, Column
from .imports.files import CSV_TYPE, XLSX_TYPE
from .scenarios import case_document

LIST_KINDS = (
    "executives",
    "measures",
    "awards",
    "award_goals",
    "award_credits",
    "restatements",
    "restated_values",
)
RESTATEMENT_COLUMNS = [
    "id",
    "title",
    "kind",
    "status",
    "description",
    "restated_values",
    "covered_executives",
    "policy_version",
    "administering_body",
    "required_on",
    "events",
    "created_at",
]


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
    return safe_cell(str(value))


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


def _points_text(points) -> str:
    """A payout curve as the import's points column writes it: "180000000:0.5; 220000000:1"."""
    if not isinstance(points, list):
        return ""
    return "; ".join(f"{p[0]}:{p[1]}" for p in points if isinstance(p, list | tuple) and len(p) == 2)


def _ordered(kind: str, row: dict) -> list:
    return [row.get(column.name) for column in COLUMNS[kind]]


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
    """One row per value as first reported (restated figures are each case's own: `restated_value_rows`)."""
    for m in measures.prefetch_related("values"):
        values = list(m.values.all())
        if not values:
            yield [m.key, m.name, m.category, "", None, ""]
        for v in values:
            yield [m.key, m.name, m.category, v.period_label, v.original, v.source]


def restated_value_rows(values: QuerySet[RestatedValue]) -> Iterable[list]:
    """A case's own restated figures, as its restated values import takes them."""
    values = values.filter(value__voided_at__isnull=True, value__measure__voided_at__isnull=True)
    for r in values.select_related("value__measure").order_by("value__measure__key", "value__period_label"):
        yield [r.value.measure.key, r.value.period_label, r.restated, r.source]


def award_rows(awards: QuerySet[Award]) -> Iterable[list]:
    for a in awards.select_related("executive", "measure"):
        formula = a.formula if isinstance(a.formula, dict) else {}
        yield _ordered(
            "awards",
            {
                "executive": a.executive.key,
                "key": a.key,
                "award_type": a.award_type,
                "basis": a.basis,
                "performance_start": a.performance_start,
                "performance_end": a.performance_end,
                "measure": a.measure.key if a.measure else "",
                "measure_period": a.measure_period,
                "formula_kind": formula.get("kind", ""),
                "target": formula.get("target", ""),
                "points": _points_text(formula.get("points")),
                "rate": formula.get("rate", ""),
                "offset": formula.get("offset", ""),
                "cap": formula.get("cap", ""),
                "scorecard_target": a.scorecard_target,
                "scorecard_cap_factor": a.scorecard_cap_factor,
                "unit": a.unit,
                "received": a.received,
                "value_per_unit": a.value_per_unit,
                "requires_estimate": a.requires_estimate,
                "approval_date": a.approval_date,
                "grant_date": a.grant_date,
                "vesting_date": a.vesting_date,
                "settlement_date": a.settlement_date,
                "units_sold": a.units_sold,
                "sale_price": a.sale_price,
                "notes": a.notes,
            },
        )


def award_goal_rows(awards: QuerySet[Award]) -> Iterable[list]:
    """The scorecard goals of the awards, numbered 1, 2, 3 … in each award's order (the award goals import
    numbers them the same way)."""
    goals = Prefetch(
        "components", queryset=AwardComponent.objects.select_related("measure").order_by("position", "id")
    )
    for a in awards.prefetch_related(goals):
        for number, c in enumerate(a.components.all(), start=1):
            yield _ordered(
                "award_goals",
                {
                    "award": a.key,
                    "goal": number,
                    "basis": c.basis,
                    "measure": c.measure.key if c.measure else "",
                    "measure_period": c.measure_period,
                    "weight": c.weight,
                    "points": _points_text(c.points),
                    "factor": c.factor,
                },
            )


def award_credit_rows(awards: QuerySet[Award]) -> Iterable[list]:
    """The amounts already recovered of the awards."""
    for a in awards.prefetch_related("credits"):
        for c in a.credits.all():
            yield _ordered(
                "award_credits",
                {
                    "award": a.key,
                    "amount": c.amount,
                    "recovered_on": c.recovered_on,
                    "source": c.source,
                    "reference": c.reference,
                },
            )


def _event_text(event: RestatementEvent) -> str:
    what = f"other ({event.label})" if event.kind == RestatementEvent.Kind.OTHER else event.kind
    return f"{what}@{event.date.isoformat()}"


def restatement_rows(restatements: QuerySet[Restatement]) -> Iterable[list]:
    qs = restatements.select_related("policy_version").prefetch_related(
        "events",
        "covered_executives",
        Prefetch("restated_values", queryset=RestatedValue.objects.select_related("value__measure")),
    )
    for r in qs:
        events = list(r.events.all())
        required = required_to_prepare(EngineEvent(kind=e.kind, date=e.date) for e in events)
        restated = sorted(f"{v.value.measure.key} {v.value.period_label}" for v in r.restated_values.all())
        yield [
            r.pk,
            r.title,
            r.kind,
            r.status,
            r.description,
            "; ".join(restated),
            "; ".join(sorted(x.key for x in r.covered_executives.all())),
            str(r.policy_version) if r.policy_version else "",
            r.administering_body,
            required[0] if required else None,
            "; ".join(_event_text(e) for e in events),
            r.created_at,
        ]


_ROWS = {
    "executives": executive_rows,
    "measures": measure_rows,
    "awards": award_rows,
    "award_goals": award_goal_rows,
    "award_credits": award_credit_rows,
    "restatements": restatement_rows,
    "restated_values": restated_value_rows,
}


def header_for(kind: str) -> list[str]:
    return RESTATEMENT_COLUMNS if kind == "restatements" else [c.name for c in COLUMNS[kind]]


def _live(queryset: QuerySet) -> QuerySet:
    # Voided records are not exported, whatever manager the queryset came from.
    if any(f.name == "voided_at" for f in queryset.model._meta.get_fields()):
        return queryset.filter(voided_at__isnull=True)
    return queryset


def export_list(
    *,
    actor,
    company: Company | None,
    kind: str,
    fmt: str,
    queryset: QuerySet,
    restatement: Restatement | None = None,
) -> tuple[bytes, str, str]:
    """(content, media type, file name) for a list the user may see, in CSV or XLSX; the export is
    recorded on the audit trail (who took which records out).

    The queryset holds the records of the kind, except: award goals and credits take the awards whose goals or
    credits are exported; restated values take the case's restated values (`restatement`, the case). The
    awards workbook also has the awards' goals on a "goals" sheet."""
    if kind not in _ROWS:
        raise ValueError(f"unknown export {kind!r}")
    queryset = _live(queryset)
    header = header_for(kind)
    rows = list(_ROWS[kind](queryset))
    if fmt == "csv":
        content = to_csv(header, rows)
    else:
        sheets = [(kind, header, rows)]
        if kind == "awards":
            sheets.append((GOALS_SHEET, header_for("award_goals"), list(award_goal_rows(queryset))))
        content = to_xlsx(sheets)
    name = f"clawback-{kind}.{fmt}"
    if restatement is not None:
        name = f"clawback-case-{restatement.pk}-{kind.replace('_', '-')}.{fmt}"
    audited = restatement if restatement is not None else company
    if audited is not None:
        record_action(
            actor=actor,
            verb=f"clawback-export-{kind}",
            obj=audited,
            details={"format": fmt, "rows": len(rows), "sha256": hashlib.sha256(content).hexdigest()},
        )
    return content, (CSV_TYPE if fmt == "csv" else XLSX_TYPE), name


def case_scenario(restatement: Restatement) -> dict:
    """The case as a `clawback-scenario/2` document (`services.scenarios.case_document`): its own restated
    values, scorecard goals, amounts already recovered under anything but this case, and the committee's
    reasonable estimates; evaluating it gives the case's own result (the worksheet's, and the determination's
    while its inputs are current). Raises ScenarioError when the case's records cannot form a scenario yet."""
    document = case_document(restatement)
    parse_scenario(document)
    return document


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


# --- Templates --------------------------------------------------------------------------------------


def template_file(kind: str, *, fmt: str) -> bytes:
    """An empty import file with the column names. The XLSX adds a sheet describing each column; the awards
    workbook also has the "goals" sheet for scorecard goals."""
    header = [c.name for c in COLUMNS[kind]]
    if fmt == "csv":
        return to_csv(header, [])
    sheets = [(kind, header, [])]
    described = [(kind, COLUMNS[kind])]
    if kind == "awards":
        sheets.append((GOALS_SHEET, [c.name for c in COLUMNS["award_goals"]], []))
        described.append((GOALS_SHEET, COLUMNS["award_goals"]))
    notes = [
        [sheet, c.name, "yes" if c.required else "", c.kind, _note(c)]
        for sheet, columns in described
        for c in columns
    ]
    sheets.append(("columns", ["sheet", "column", "required", "type", "notes"], notes))
    return to_xlsx(sheets)


def _note(column: Column) -> str:
    choices = f"One of: {', '.join(column.choices)}." if column.choices else ""
    return " ".join(part for part in (column.help, choices) if part)
