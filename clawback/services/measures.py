"""Financial reporting measures and their values as first reported (Rule 10D-1(d); docs/clawback-rules
§1.6). Restated figures are the restatement's own (`restatements.set_restated_values`).

An edit changes only what it names: a value given with its id or its period is updated, a new period is added,
a period left out is kept. Removing a value is its own action with a reason (`voiding.void_measure_value`)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context
from compliance_site.company.models import Company

from ..models import Measure, MeasureValue
from .approvals import cases_affected_by, recheck_approvals
from .errors import collect, collect_value, messages_of
from .walls import check_may_change_inputs


def _plan_values(measure: Measure, values: Sequence[dict]) -> list[tuple[MeasureValue, dict]]:
    existing = list(measure.values.all()) if measure.pk else []
    by_id = {v.pk: v for v in existing}
    by_label = {v.period_label: v for v in existing}
    plan, seen, problems = [], set(), []
    for item in values:
        label = (item.get("period_label") or "").strip()
        if not label:
            problems.append("Every value needs a period.")
            continue
        if label in seen:
            problems.append(f"The period {label} is given more than once.")
            continue
        seen.add(label)
        pk = item.get("id")
        if pk:
            row = by_id.get(int(pk))
            if row is None:
                problems.append(f"The value for {label} is not one of this measure's.")
                continue
            other = by_label.get(label)
            if other is not None and other.pk != row.pk:
                problems.append(f"The measure already has a value for {label}.")
                continue
        else:
            row = by_label.get(label) or MeasureValue(measure=measure)
        data = {
            "period_label": label,
            "original": item.get("original"),
            "source": (item.get("source") or "").strip(),
        }
        plan.append((row, data))
    if problems:
        raise ValidationError({"values": problems})
    return plan


def _check_values(plan) -> None:
    problems = []
    for row, data in plan:
        if row.pk and row.period_label != data["period_label"]:
            used = _awards_measured_on(row)
            if used:
                problems.append(
                    f"{row.period_label}: awards {', '.join(used)} are measured on this period; "
                    "add the new period as its own value instead of renaming this one."
                )
        probe = MeasureValue(**data)
        try:
            probe.full_clean(exclude=["measure"], validate_unique=False, validate_constraints=False)
        except ValidationError as exc:
            problems.extend(f"{data['period_label']}: {m}" for m in messages_of(exc))
    if problems:
        raise ValidationError({"values": problems})


def _awards_measured_on(value: MeasureValue) -> list[str]:
    """Live awards, and scorecard goals, that read this value."""
    from ..models import Award

    keys = set(
        Award.objects.filter(measure_id=value.measure_id, measure_period=value.period_label).values_list(
            "key", flat=True
        )
    )
    keys |= set(
        Award.objects.filter(
            components__measure_id=value.measure_id,
            components__measure_period=value.period_label,
            components__voided_at__isnull=True,
        ).values_list("key", flat=True)
    )
    return sorted(keys)


def _apply_values(measure: Measure, plan) -> None:
    for row, data in plan:
        if row.pk and (row.period_label, row.original, row.source) == (
            data["period_label"],
            data["original"],
            data["source"],
        ):
            continue  # unchanged: no write, no audit event
        row.measure = measure
        for field, value in data.items():
            setattr(row, field, value)
        row.full_clean()
        row.save()


def _save_measure(measure: Measure, values: Sequence[dict], *, actor) -> None:
    """Check the measure and the values given (every problem at once), then save them."""
    errors = collect(lambda: measure.full_clean())
    plan = collect_value(errors, lambda: _plan_values(measure, values)) or []
    collect_value(errors, lambda: _check_values(plan))
    if errors:
        raise ValidationError(errors)
    with audit_context(actor=actor):
        measure.save()
        _apply_values(measure, plan)


@transaction.atomic
def create_measure(
    *, actor, company: Company, key: str, name: str, category: str, values: Sequence[dict] = ()
) -> Measure:
    """Record a financial reporting measure with its values as first reported."""
    measure = Measure(company=company, key=key, name=name, category=category)
    _save_measure(measure, values, actor=actor)
    return measure


@transaction.atomic
def update_measure(
    *,
    actor,
    measure: Measure,
    key: str,
    name: str,
    category: str,
    values: Sequence[dict] = (),
    now: datetime | None = None,
    check_approvals: bool = True,
) -> Measure:
    """Change a measure and the values given (others are kept). The values are inputs of every case with an
    award on the measure: an approval resting on the old ones is withdrawn at once."""
    check_may_change_inputs(actor, measure)
    measure.key, measure.name, measure.category = key, name, category
    _save_measure(measure, values, actor=actor)
    if check_approvals:
        recheck_approvals(cases_affected_by(measure), actor=actor, now=now)
    return measure
