"""Executives by spreadsheet: one row per period of officer service; rows sharing a key make one executive.

Re-importing never removes anything (`services.executives`): a period whose start is on record is updated,
a new start adds a period, periods not in the file are kept; NEO years in the file are added to those on
record. A column left out of the file leaves that field as it is."""

from __future__ import annotations

import re
from functools import partial

from ...models import Executive
from .. import records
from .report import Run, first_given, group_by, report_fields, save_keyed

# What a row of the sheet is saved with: (create, update).
_SERVICES = (records.create_executive, records.update_executive)

_STARTING = re.compile(r"starting (\d{4}-\d{2}-\d{2})")


def apply_executives(run: Run, rows) -> None:
    existing = {
        x.key: x
        for x in Executive.objects.filter(company=run.company).prefetch_related(
            "officer_periods", "neo_years"
        )
    }
    for key, group in group_by(rows, "key").items():
        first_row = group[0][0]
        executive = existing.get(key)
        data = {
            "actor": run.actor,
            "key": key,
            "name": first_given(group, "name", run, key=f"key {key}") or "",
            "officer_periods": _periods(run, executive, group),
        }
        title = first_given(group, "title", run, key=f"key {key}") or ""
        years = [y.strip() for _, r in group for y in (r["neo_years"] or "").split(";") if y.strip()]
        on_error = partial(_errors, run, first_row, {r["officer_start"].isoformat(): n for n, r in group})
        if executive is not None:
            before = [y.fiscal_year for y in executive.neo_years.all()]
            data |= {
                "executive": executive,
                "user": executive.user,
                "title": title if "title" in run.header else executive.title,
                # NEO years in the file are added; a file takes none away.
                "neo_years": (before + [y for y in years if y not in before]) if years else None,
                "now": run.now,
                "check_approvals": False,
            }
        else:
            data |= {"company": run.company, "title": title, "neo_years": years}
        save_keyed(run, existing, key, data, _SERVICES, row=first_row, on_error=on_error)


def _errors(run: Run, first_row: int, by_start: dict[str, int], errors: dict[str, list[str]]) -> None:
    # "The period starting 2024-09-01 overlaps ...": on the row of that period.
    for message in errors.pop("officer_periods", []):
        match = _STARTING.search(message)
        run.error(by_start.get(match[1], first_row) if match else first_row, "officer_start", message)
    report_fields(run, errors, row=first_row, columns={}, default="key")


def _periods(run: Run, executive: Executive | None, group) -> list[dict]:
    """The file's periods; for a period on record, a column the file leaves out keeps its value."""
    on_record = {p.start: p for p in executive.officer_periods.all()} if executive is not None else {}
    periods = []
    for _, row in group:
        known = on_record.get(row["officer_start"])
        keep_end = known is not None and "officer_end" not in run.header
        keep_title = known is not None and "officer_title" not in run.header
        periods.append(
            {
                "start": row["officer_start"],
                "end": known.end if keep_end else row["officer_end"],
                "title": known.title if keep_title else (row["officer_title"] or ""),
            }
        )
    return periods
