"""Bulk import of clawback records from CSV or XLSX, and of a scenario file as a draft case.

A spreadsheet import runs in two steps: a dry run that reports every problem as (row, column, message)
and changes nothing, then a commit that applies every row or none (one transaction). Both steps go
through the same record services (`clawback.services.records`) inside a transaction, the dry run
rolling it back, so a file that passes the dry run commits cleanly.

Files: the first row names the columns (any order; `COLUMNS` lists them, starred ones required); rows
sharing an executive or measure key add officer periods or values to that record. An existing key
updates the record (officer periods and values are replaced by the file's), a new key creates it.
"""

from __future__ import annotations

import csv
import hashlib
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context, record_action
from compliance_site.company.models import Company, FiscalPeriod
from compliance_site.company.services import add_fiscal_period

from ..models import Award, Executive, Measure, Restatement
from ..recovery import RecoveryResult, Scenario, evaluate
from ..scenario import ScenarioError, load_scenario
from . import records
from .scenarios import award_key_conflicts, import_scenario

MAX_BYTES = 5 * 1024 * 1024
MAX_ROWS = 5000

CSV_TYPE = "text/csv"
XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
FORMATS = {"csv": CSV_TYPE, "xlsx": XLSX_TYPE}


@dataclass(frozen=True)
class Column:
    name: str
    kind: str = "text"  # text, date, decimal, bool, choice
    required: bool = False
    choices: tuple[str, ...] = ()
    help: str = ""
    # A record's own field on a file where several rows make one record: needed on its first row only.
    per_record: bool = False


def _choices(choices) -> tuple[str, ...]:
    return tuple(value for value, _ in choices)


COLUMNS: dict[str, tuple[Column, ...]] = {
    "executives": (
        Column("key", required=True, help="Stable identifier, e.g. ceo (letters, digits, - and _)."),
        Column("name", required=True, per_record=True, help="On the key's first row at least."),
        Column("title"),
        Column("officer_start", "date", required=True, help="Start of a period of officer service."),
        Column("officer_end", "date", help="Its end; empty while still serving."),
        Column("officer_title", help="Title held during that period."),
        Column("neo_years", help="Fiscal years as a named executive officer, separated by ';'."),
    ),
    "measures": (
        Column("key", required=True, help="Stable identifier, e.g. net_income."),
        Column("name", required=True, per_record=True, help="On the key's first row at least."),
        Column(
            "category", "choice", required=True, per_record=True, choices=_choices(Measure.Category.choices)
        ),
        Column("period", help="Period label of the value, e.g. FY2024; one row per value."),
        Column("original", "decimal", help="As originally reported."),
        Column("restated", "decimal", help="As restated; empty when not restated."),
        Column("source", help="Filing or document the value comes from."),
    ),
    "awards": (
        Column("executive", required=True, help="The executive's key."),
        Column("key", required=True, help="Unique within the company, e.g. ceo-fy2024-bonus."),
        Column("award_type", "choice", required=True, choices=_choices(Award.Type.choices)),
        Column("basis", "choice", required=True, choices=_choices(Award.Basis.choices)),
        Column("performance_start", "date", required=True),
        Column("performance_end", "date", required=True, help="The award is received on this date."),
        Column("measure", help="The measure's key (incentive-based awards)."),
        Column("measure_period", help="The measure's period label, e.g. FY2024."),
        Column("formula_kind", "choice", choices=("curve", "linear"), help="curve or linear."),
        Column("target", "decimal", help="Curve: payout = target x factor."),
        Column(
            "points", help="Curve: 'measure:factor' pairs separated by ';', e.g. 180000000:0.5; 220000000:1"
        ),
        Column("rate", "decimal", help="Linear: payout = rate x (measure - offset)."),
        Column("offset", "decimal"),
        Column("cap", "decimal"),
        Column("unit", "choice", choices=_choices(Award.Unit.choices), help="USD (default) or units."),
        Column("received", "decimal", required=True, help="Gross, before taxes."),
        Column("value_per_unit", "decimal", help="Units only: USD value of one unit."),
        Column("requires_estimate", "bool", help="true when the committee must estimate the effect."),
        Column("approval_date", "date"),
        Column("grant_date", "date"),
        Column("vesting_date", "date"),
        Column("settlement_date", "date"),
        Column("units_sold", "decimal"),
        Column("sale_price", "decimal"),
        Column("notes"),
    ),
}
KINDS = tuple(COLUMNS)


@dataclass(frozen=True)
class RowError:
    row: int  # the spreadsheet row number (the header is row 1); 0 for the file as a whole
    column: str
    message: str


@dataclass
class ImportReport:
    kind: str
    file_name: str
    sha256: str
    rows: int = 0
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    committed: bool = False
    # Cases whose approval the file withdraws (or would, on a dry run): their inputs change.
    approvals_withdrawn: list[str] = field(default_factory=list)
    # Cases under review whose determination is recomputed for review with the file's records.
    determinations_recomputed: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(ValueError):
    """A file that cannot be read at all (not CSV/XLSX, too large, no header)."""


# --- Reading ----------------------------------------------------------------------------------------


def read_table(content: bytes, *, fmt: str) -> tuple[list[str], list[tuple[int, dict[str, Any]]]]:
    """The header (lower-cased column names) and the rows of a CSV or XLSX file as (row number,
    {column: raw value}); empty rows are skipped. Raises ImportFileError for an unreadable file."""
    if len(content) > MAX_BYTES:
        raise ImportFileError(f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    if fmt == "csv":
        rows = _csv_rows(content)
    elif fmt == "xlsx":
        rows = _xlsx_rows(content)
    else:
        raise ImportFileError("Upload a .csv or .xlsx file.")
    header: list[str] | None = None
    table = []
    try:
        for number, cells in rows:
            if header is None:
                header = [_text(c).lower() for c in cells]
                if not any(header):
                    raise ImportFileError("The first row must name the columns.")
                continue
            if all(_blank(c) for c in cells):
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
        raise ImportFileError("The file is empty.")
    return header, table


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _csv_rows(content: bytes) -> Iterator[tuple[int, list]]:
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError("The CSV file is not UTF-8 text.") from None
    if "\x00" in text:
        raise ImportFileError("The file is not a CSV text file.")
    return enumerate(csv.reader(io.StringIO(text, newline="")), start=1)


def _xlsx_rows(content: bytes) -> Iterator[tuple[int, list]]:
    from openpyxl import load_workbook

    if not content.startswith(b"PK\x03\x04"):
        raise ImportFileError("The file is not an .xlsx workbook.")
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as exc:  # a damaged zip or workbook XML
        raise ImportFileError(f"The workbook cannot be read ({type(exc).__name__}).") from None
    # Streamed row by row (read-only mode), so a sheet claiming a million rows stops at MAX_ROWS.
    try:
        for number, row in enumerate(workbook.worksheets[0].iter_rows(values_only=True), start=1):
            yield number, list(row)
    finally:
        workbook.close()


# --- Cell values ------------------------------------------------------------------------------------

_DECIMAL_RE = re.compile(r"-?[0-9]+(\.[0-9]+)?")
_TRUE = {"true", "yes", "y", "1", "x"}
_FALSE = {"", "false", "no", "n", "0"}


def _text(value) -> str:
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
        # An XLSX number cell arrives as a float; its shortest repr is the number as typed.
        return format(Decimal(repr(value)), "f")
    text = str(value).strip()
    if len(text) > 1 and text[0] == "'" and text[1] in "=+-@":
        text = text[1:]
    return text


def _parse(column: Column, value) -> tuple[Any, str | None]:
    """(typed value, error message or None)."""
    if column.kind == "date" and isinstance(value, datetime):
        if value.time() != datetime.min.time():
            return None, "must be a date without a time"
        return value.date(), None
    if column.kind == "date" and isinstance(value, date):
        return value, None
    text = _text(value)
    if not text:
        missing = column.required and not column.per_record
        return (False if column.kind == "bool" else None), ("is required" if missing else None)
    if column.kind == "date":
        try:
            return date.fromisoformat(text), None
        except ValueError:
            return None, f"must be a date YYYY-MM-DD; got {text[:40]!r}"
    if column.kind == "decimal":
        plain = text.replace(",", "").replace("$", "").replace(" ", "")
        if not _DECIMAL_RE.fullmatch(plain):
            return None, f"must be a plain decimal such as 1200000.00; got {text[:40]!r}"
        return Decimal(plain), None
    if column.kind == "bool":
        if text.lower() in _TRUE:
            return True, None
        if text.lower() in _FALSE:
            return False, None
        return None, f"must be true or false; got {text[:40]!r}"
    if column.kind == "choice":
        if text not in column.choices:
            return None, f"must be one of {', '.join(column.choices)}; got {text[:40]!r}"
        return text, None
    return text, None


def parse_rows(kind: str, header: list[str], table) -> tuple[list[tuple[int, dict]], list[RowError]]:
    """Typed rows and every cell-level problem; the header is checked against COLUMNS."""
    columns = {c.name: c for c in COLUMNS[kind]}
    errors = [RowError(0, name, "unknown column") for name in header if name and name not in columns]
    errors += [
        RowError(1, c.name, "required column is missing")
        for c in columns.values()
        if c.required and c.name not in header
    ]
    seen = set()
    for name in header:
        if name and name in seen:
            errors.append(RowError(1, name, "column appears more than once"))
        seen.add(name)
    if errors:
        return [], errors
    rows = []
    keys_seen = set()
    for number, raw in table:
        typed = {}
        for name, column in columns.items():
            value, problem = _parse(column, raw.get(name))
            if problem:
                errors.append(RowError(number, name, problem))
            typed[name] = value
        first_of_key = typed.get("key") not in keys_seen
        keys_seen.add(typed.get("key"))
        for column in columns.values():
            if column.per_record and first_of_key and typed[column.name] is None:
                errors.append(RowError(number, column.name, "is required on the key's first row"))
        rows.append((number, typed))
    return rows, errors


# --- Applying ---------------------------------------------------------------------------------------


def _service_errors(
    exc: ValidationError, *, row: int, columns: dict[str, str], default: str
) -> list[RowError]:
    errors = exc.message_dict if hasattr(exc, "error_dict") else {"__all__": exc.messages}
    return [
        RowError(row, columns.get(name, name if name != "__all__" else default), message)
        for name, messages in errors.items()
        for message in messages
    ]


def _group(rows, key: str) -> dict[str, list[tuple[int, dict]]]:
    groups: dict[str, list[tuple[int, dict]]] = {}
    for number, row in rows:
        groups.setdefault(row[key] or "", []).append((number, row))
    return groups


def _apply_executives(*, actor, company: Company, rows, report: ImportReport) -> None:
    existing = {x.key: x for x in Executive.objects.filter(company=company)}
    for key, group in _group(rows, "key").items():
        first_row, first = group[0]
        for number, row in group[1:]:
            for name in ("name", "title"):
                if row[name] and row[name] != first[name]:
                    report.errors.append(
                        RowError(number, name, f"differs from row {first_row} for key {key}")
                    )
        periods = [
            {"start": r["officer_start"], "end": r["officer_end"], "title": r["officer_title"] or ""}
            for _, r in group
        ]
        neo_years = [y.strip() for _, r in group for y in (r["neo_years"] or "").split(";") if y.strip()]
        data = {
            "key": key,
            "name": first["name"],
            "title": first["title"] or "",
            "officer_periods": periods,
            "neo_years": neo_years,
        }
        try:
            if key in existing:
                executive = existing[key]
                records.update_executive(
                    actor=actor, executive=executive, user=executive.user, check_approvals=False, **data
                )
                report.updated.append(key)
            else:
                existing[key] = records.create_executive(actor=actor, company=company, **data)
                report.created.append(key)
        except ValidationError as exc:
            report.errors += _service_errors(
                exc, row=first_row, columns={"officer_periods": "officer_start"}, default="key"
            )


def _apply_measures(*, actor, company: Company, rows, report: ImportReport) -> None:
    existing = {m.key: m for m in Measure.objects.filter(company=company)}
    for key, group in _group(rows, "key").items():
        first_row, first = group[0]
        values = []
        for number, row in group:
            for name in ("name", "category"):
                if row[name] and row[name] != first[name]:
                    report.errors.append(
                        RowError(number, name, f"differs from row {first_row} for key {key}")
                    )
            if row["period"]:
                if row["original"] is None:
                    report.errors.append(RowError(number, "original", "is required when a period is given"))
                values.append(
                    {
                        "period_label": row["period"],
                        "original": row["original"],
                        "restated": row["restated"],
                        "source": row["source"] or "",
                    }
                )
            elif any(row[name] is not None for name in ("original", "restated")):
                report.errors.append(RowError(number, "period", "is required when a value is given"))
        data = {"key": key, "name": first["name"], "category": first["category"], "values": values}
        try:
            if key in existing:
                records.update_measure(actor=actor, measure=existing[key], check_approvals=False, **data)
                report.updated.append(key)
            else:
                existing[key] = records.create_measure(actor=actor, company=company, **data)
                report.created.append(key)
        except ValidationError as exc:
            report.errors += _service_errors(exc, row=first_row, columns={"values": "period"}, default="key")


def _formula(row: dict, number: int, report: ImportReport) -> dict | None:
    kind = row["formula_kind"]
    if kind is None:
        return None
    if kind == "curve":
        points = []
        for pair in (row["points"] or "").split(";"):
            if not pair.strip():
                continue
            parts = pair.split(":")
            plain = [p.strip().replace(",", "") for p in parts]
            if len(plain) != 2 or not all(_DECIMAL_RE.fullmatch(p) for p in plain):
                report.errors.append(
                    RowError(number, "points", f"write 'measure:factor' pairs; got {pair.strip()[:40]!r}")
                )
                continue
            points.append(plain)
        formula: dict[str, Any] = {"kind": "curve", "points": points}
        if row["target"] is not None:
            formula["target"] = format(row["target"], "f")
        return formula
    formula = {"kind": "linear"}
    for name in ("rate", "offset", "cap"):
        if row[name] is not None:
            formula[name] = format(row[name], "f")
    return formula


_AWARD_COLUMNS = {
    "key": "key",
    "formula": "formula_kind",
    "measure": "measure",
    "executive": "executive",
}


def _apply_awards(*, actor, company: Company, rows, report: ImportReport) -> None:
    executives = {x.key: x for x in Executive.objects.filter(company=company)}
    measures = {m.key: m for m in Measure.objects.filter(company=company)}
    existing = {a.key: a for a in Award.objects.filter(company=company).select_related("executive")}
    seen: dict[str, int] = {}
    for number, row in rows:
        key = row["key"] or ""
        if key in seen:
            report.errors.append(RowError(number, "key", f"repeats the award of row {seen[key]}"))
            continue
        seen[key] = number
        executive = executives.get(row["executive"] or "")
        if executive is None:
            report.errors.append(RowError(number, "executive", f"no executive has key {row['executive']!r}"))
            continue
        measure = None
        if row["measure"]:
            measure = measures.get(row["measure"])
            if measure is None:
                report.errors.append(RowError(number, "measure", f"no measure has key {row['measure']!r}"))
                continue
        errors_before = len(report.errors)
        formula = _formula(row, number, report)
        if len(report.errors) > errors_before:
            continue
        data = {
            "key": key,
            "award_type": row["award_type"],
            "basis": row["basis"],
            "performance_start": row["performance_start"],
            "performance_end": row["performance_end"],
            "received": row["received"],
            "unit": row["unit"] or Award.Unit.USD,
            "measure": measure,
            "measure_period": row["measure_period"] or "",
            "formula": formula,
            "value_per_unit": row["value_per_unit"],
            "requires_estimate": bool(row["requires_estimate"]),
            "grant_date": row["grant_date"],
            "approval_date": row["approval_date"],
            "vesting_date": row["vesting_date"],
            "settlement_date": row["settlement_date"],
            "units_sold": row["units_sold"],
            "sale_price": row["sale_price"],
            "notes": row["notes"] or "",
        }
        try:
            if key in existing:
                records.update_award(
                    actor=actor, award=existing[key], executive=executive, check_approvals=False, **data
                )
                report.updated.append(key)
            else:
                existing[key] = records.create_award(
                    actor=actor, executive=executive, check_approvals=False, **data
                )
                report.created.append(key)
        except ValidationError as exc:
            for error in _service_errors(exc, row=number, columns=_AWARD_COLUMNS, default="key"):
                column = error.column
                if column == "formula_kind":
                    column = next(
                        (
                            n
                            for n in ("points", "target", "rate", "offset", "cap")
                            if error.message.startswith(n)
                        ),
                        column,
                    )
                report.errors.append(RowError(error.row, column, error.message))


_APPLY = {"executives": _apply_executives, "measures": _apply_measures, "awards": _apply_awards}


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
) -> ImportReport:
    """Check (commit=False) or import (commit=True) a CSV/XLSX file of executives, measures or awards.

    Every row is validated by the record services inside one transaction; the dry run, or a commit
    with any error, rolls the whole transaction back, so nothing is changed unless every row is good.
    The cases whose inputs the file changes are checked once, after the last row, in the same
    transaction: an approval resting on the old records is withdrawn with the commit (the dry run
    reports which would be).
    """
    if kind not in COLUMNS:
        raise ValueError(f"unknown import kind {kind!r}")
    report = ImportReport(kind=kind, file_name=file_name, sha256=hashlib.sha256(content).hexdigest())
    try:
        header, table = read_table(content, fmt=fmt)
    except ImportFileError as exc:
        report.errors.append(RowError(0, "", str(exc)))
        return report
    rows, report.errors = parse_rows(kind, header, table)
    report.rows = len(table)
    if not rows and not report.errors:
        report.errors.append(RowError(0, "", "The file has no data rows."))
    if report.errors and not rows:
        return report
    with transaction.atomic():
        with audit_context(actor=actor):
            _APPLY[kind](actor=actor, company=company, rows=_valid_rows(rows, report), report=report)
            if not report.errors:
                _recheck_cases(company, actor=actor, now=now, report=report)
            if commit and not report.errors:
                record_action(
                    actor=actor,
                    verb=f"clawback-import-{kind}",
                    obj=company,
                    details={
                        "file": file_name,
                        "sha256": report.sha256,
                        "rows": report.rows,
                        "created": report.created,
                        "updated": report.updated,
                    },
                )
        if commit and not report.errors:
            report.committed = True
        else:
            # A dry run, or a file with any bad row: nothing of it is kept (all or nothing).
            transaction.set_rollback(True)
    report.errors.sort(key=lambda e: (e.row, e.column))
    return report


def _recheck_cases(company: Company, *, actor, now: datetime | None, report: ImportReport) -> None:
    # Every case of the company past draft: the file may touch any executive, measure or award of it.
    cases = Restatement.objects.filter(company=company).exclude(status=Restatement.Status.DRAFT)
    checks = records.recheck_approvals(cases, actor=actor, now=now)
    for case, check in zip(cases.order_by("pk"), checks, strict=True):
        if check.approval_invalidated:
            report.approvals_withdrawn.append(case.title)
        elif check.determination is not None and not check.current:
            report.determinations_recomputed.append(case.title)


def _valid_rows(rows, report: ImportReport):
    """Rows without cell errors; a row with one is reported already and not applied."""
    bad = {e.row for e in report.errors}
    return [(n, r) for n, r in rows if n not in bad]


# --- Templates --------------------------------------------------------------------------------------


def template_file(kind: str, *, fmt: str) -> bytes:
    """An empty import file with the column names (the XLSX adds a sheet describing each column)."""
    from .exports import to_csv, to_xlsx

    header = [c.name for c in COLUMNS[kind]]
    if fmt == "csv":
        return to_csv(header, [])
    notes = [
        [c.name, "yes" if c.required else "", c.kind, c.help or (", ".join(c.choices) if c.choices else "")]
        for c in COLUMNS[kind]
    ]
    return to_xlsx([(kind, header, []), ("columns", ["column", "required", "type", "notes"], notes)])


# --- Scenario files ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class ScenarioPreview:
    scenario: Scenario
    result: RecoveryResult
    reused: dict[str, list[str]]  # records that exist under the same keys and are kept as they are
    # Fiscal periods that contradict the company's calendar, award keys another executive of the company
    # already uses: the import is refused.
    conflicts: list[str]


def preview_scenario_import(*, company: Company, text: str | bytes) -> ScenarioPreview:
    """What importing a scenario file as a draft case would do. Raises ScenarioError for a bad file."""
    scenario = load_scenario(text)
    result = evaluate(scenario)
    executive_keys = [x.id for x in scenario.executives]
    measure_keys = [m.key for m in scenario.measures]
    award_keys = [a.id for a in scenario.awards]
    reused = {
        "executives": sorted(
            Executive.objects.filter(company=company, key__in=executive_keys).values_list("key", flat=True)
        ),
        "measures": sorted(
            Measure.objects.filter(company=company, key__in=measure_keys).values_list("key", flat=True)
        ),
        "awards": sorted(
            Award.objects.filter(company=company, key__in=award_keys).values_list("key", flat=True)
        ),
    }
    conflicts = []
    calendar = list(FiscalPeriod.objects.filter(company=company))
    by_label = {p.label: p for p in calendar}
    for period in scenario.fiscal_periods:
        same = by_label.get(period.label)
        if same is not None:
            if (same.start, same.end) != (period.start, period.end):
                conflicts.append(
                    f"{period.label} is {same.start} to {same.end} in the company's calendar, "
                    f"{period.start} to {period.end} in the file."
                )
            continue
        for other in calendar:
            if other.start <= period.end and other.end >= period.start:
                conflicts.append(f"{period.label} ({period.start} to {period.end}) overlaps {other}.")
    conflicts += award_key_conflicts(company, scenario)
    return ScenarioPreview(scenario=scenario, result=result, reused=reused, conflicts=conflicts)


@transaction.atomic
def import_scenario_file(
    *, actor, company: Company, text: str | bytes, title: str, now: datetime | None = None
) -> Restatement:
    """Import a scenario file as a draft case (`services.scenarios.import_scenario`), refusing a file
    whose fiscal periods contradict the company's calendar (the case could not be evaluated)."""
    preview = preview_scenario_import(company=company, text=text)
    if preview.conflicts:
        raise ValidationError({"file": preview.conflicts})
    if not title.strip():
        raise ValidationError({"title": "Give the case a title."})
    # The calendar goes through the company's own service (overlap check, audit trail) first, so
    # import_scenario finds every period and only adds the clawback records.
    known = set(FiscalPeriod.objects.filter(company=company).values_list("label", flat=True))
    for period in preview.scenario.fiscal_periods:
        if period.label not in known:
            add_fiscal_period(
                actor=actor,
                company=company,
                label=period.label,
                start=period.start,
                end=period.end,
                transition=period.transition,
            )
    return import_scenario(
        actor=actor, company=company, scenario=preview.scenario, title=title.strip(), now=now
    )


__all__ = [
    "COLUMNS",
    "FORMATS",
    "KINDS",
    "ImportFileError",
    "ImportReport",
    "RowError",
    "ScenarioError",
    "ScenarioPreview",
    "import_records",
    "import_scenario_file",
    "preview_scenario_import",
    "template_file",
]
