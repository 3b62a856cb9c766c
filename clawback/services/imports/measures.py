"""Measures by spreadsheet (values as first reported) and a case's restated values.

Measures: one row per value; rows sharing a key make one measure. A period on record is updated, a new one is
added, periods not in the file are kept (`services.measures`). Restated figures are a case's own: the
restated values import is run for one case and sets only that case's figures (`set_restated_values`), so two
cases restating the same period each keep their own."""

from __future__ import annotations

from functools import partial

from django.core.exceptions import ValidationError

from ...models import Measure, MeasureValue, RestatedValue
from .. import records
from ..errors import errors_of
from .report import Run, first_given, group_by, report_fields, row_for_message, save_keyed, save_row

# What a row of the sheet is saved with: (create, update).
_SERVICES = (records.create_measure, records.update_measure)

_VALUE_COLUMNS = {"period_label": "period", "original": "original", "source": "source"}


def apply_measures(run: Run, rows) -> None:
    existing = {m.key: m for m in Measure.objects.filter(company=run.company).prefetch_related("values")}
    for key, group in group_by(rows, "key").items():
        first_row = group[0][0]
        measure = existing.get(key)
        data = {
            "actor": run.actor,
            "key": key,
            "name": first_given(group, "name", run, key=f"key {key}") or "",
            "category": first_given(group, "category", run, key=f"key {key}") or "",
            "values": _values(run, measure, group),
        }
        labels = {row["period"]: n for n, row in group if row["period"]}
        on_error = partial(_errors, run, first_row, labels)
        if measure is not None:
            data |= {"measure": measure, "now": run.now, "check_approvals": False}
        else:
            data |= {"company": run.company}
        save_keyed(run, existing, key, data, _SERVICES, row=first_row, on_error=on_error)


def _values(run: Run, measure: Measure | None, group) -> list[dict]:
    on_record = {v.period_label: v for v in measure.values.all()} if measure is not None else {}
    values, seen = [], {}
    for number, row in group:
        label = row["period"]
        if not label:
            given = [name for name in ("original", "source") if row[name] not in (None, "")]
            if given:
                run.error(number, "period", f"is required when {' and '.join(given)} is given")
            continue
        if label in seen:
            run.error(number, "period", f"repeats period {label} of row {seen[label]}")
            continue
        seen[label] = number
        if row["original"] is None:
            run.error(number, "original", "is required when a period is given")
            continue
        known = on_record.get(label)
        source = known.source if known is not None and "source" not in run.header else (row["source"] or "")
        probe = MeasureValue(period_label=label, original=row["original"], source=source)
        try:
            probe.clean_fields(exclude=["measure"])
        except ValidationError as exc:
            report_fields(run, errors_of(exc), row=number, columns=_VALUE_COLUMNS, default="period")
            continue
        values.append({"period_label": label, "original": row["original"], "source": source})
    return values


def _errors(run: Run, first_row: int, labels: dict[str, int], errors: dict[str, list[str]]) -> None:
    # "FY2024: ..." is about the row of that period.
    for message in errors.pop("values", []):
        run.error(row_for_message(message, labels) or first_row, "period", message)
    report_fields(run, errors, row=first_row, columns={}, default="key")


def apply_restated_values(run: Run, rows) -> None:
    """The case's own restated figures, all in one call of `set_restated_values` (one approval check)."""
    case = run.restatement
    measures = {m.key: m for m in Measure.objects.filter(company=run.company)}
    first_reported = set(
        MeasureValue.objects.filter(measure__company=run.company).values_list("measure_id", "period_label")
    )
    restated = set(
        RestatedValue.objects.filter(restatement=case).values_list("value__measure_id", "value__period_label")
    )
    items, names, seen = [], {}, {}
    for number, row in rows:
        measure = measures.get(row["measure"])
        label = row["period"]
        if measure is None:
            run.error(number, "measure", f"no measure has key {row['measure']!r}")
            continue
        if (measure.pk, label) not in first_reported:
            run.error(
                number,
                "period",
                f"{measure.name} has no value for {label} as first reported: "
                "import it with the measures first",
            )
            continue
        if (measure.pk, label) in seen:
            run.error(number, "period", f"repeats {measure.key} {label} of row {seen[measure.pk, label]}")
            continue
        seen[measure.pk, label] = number
        probe = RestatedValue(restated=row["restated"], source=row["source"] or "")
        try:
            probe.clean_fields(exclude=["restatement", "value"])
        except ValidationError as exc:
            report_fields(run, errors_of(exc), row=number, columns={}, default="restated")
            continue
        items.append(
            {
                "measure": measure,
                "period_label": label,
                "restated": row["restated"],
                "source": row["source"] or "",
            }
        )
        names[f"{measure.name} {label}"] = number
        name = f"{measure.key} {label}"
        (run.report.updated if (measure.pk, label) in restated else run.report.created).append(name)
    if not items:
        return
    arguments = {
        "actor": run.actor,
        "restatement": case,
        "values": items,
        "reason": run.reason,
        "now": run.now,
    }
    save_row(
        run,
        records.set_restated_values,
        arguments,
        row=rows[0][0],
        on_error=partial(_restated_errors, run, names),
    )


def _restated_errors(run: Run, names: dict[str, int], errors: dict[str, list[str]]) -> None:
    for message in errors.pop("reason", []):
        run.error(0, "reason", f"{message} Give the reason with the file.")
    for message in errors.pop("values", []):
        run.error(row_for_message(message, names) or 0, "restated", message)
    report_fields(run, errors, row=0, columns={}, default="")
