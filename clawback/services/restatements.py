"""Restatements (the cases), their dated events and their own restated values (docs/clawback-rules
§1.3-§1.5).

A case's restated values are its own: two restatements of one period each carry their figure, and a case's
analysis reads only its own. No executive is covered by default: the case page proposes the executive officers
who served in the look-back window and the user confirms them."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context, record_action
from compliance_site.company.models import Company, PolicyVersion
from compliance_site.company.selectors import policy_in_force

from ..models import Executive, Measure, MeasureValue, RestatedValue, Restatement, RestatementEvent
from .approvals import cases_affected_by, recheck_approvals
from .errors import collect, merge
from .walls import check_may_change_inputs, check_may_cover

REASON_REQUIRED = "A reason is required to change a case after sign-off."


def _reason_errors(case: Restatement, reason: str) -> dict[str, list[str]]:
    """A signed-off case changes only with a reason (it goes on the audit trail)."""
    return {"reason": [REASON_REQUIRED]} if case.is_signed_off() and not reason.strip() else {}


def _check_case_links(company: Company, *, covered: Sequence[Executive], policy) -> dict:
    errors: dict[str, list[str]] = {}
    if any(x.company_id != company.pk for x in covered):
        errors["covered_executives"] = ["Every covered executive must belong to the company."]
    if policy is not None and policy.kind != PolicyVersion.Kind.CLAWBACK:
        errors["policy_version"] = ["Choose a version of the clawback policy."]
    elif policy is not None and policy.approved_on is None:
        errors["policy_version"] = ["That version of the policy has not been approved."]
    return errors


@transaction.atomic
def record_restatement(
    *,
    actor,
    company: Company,
    title: str,
    kind: str,
    today: date,
    description: str = "",
    covered_executives: Sequence[Executive] = (),
    policy_version: PolicyVersion | None = None,
    administering_body: str = "committee",
) -> Restatement:
    """Record an accounting restatement and open its case (Rule 10D-1(b)(1)). Without a policy version, the
    clawback policy in force on `today` is recorded (policy "Effective Date")."""
    check_may_cover(actor, covered_executives)
    if policy_version is None:
        policy_version = policy_in_force(PolicyVersion.Kind.CLAWBACK, on=today)
    restatement = Restatement(
        company=company,
        title=title,
        kind=kind,
        description=description,
        policy_version=policy_version,
        administering_body=administering_body,
    )
    errors = collect(lambda: restatement.full_clean())
    merge(errors, _check_case_links(company, covered=covered_executives, policy=policy_version))
    if errors:
        raise ValidationError(errors)
    with audit_context(actor=actor):
        restatement.save()
        restatement.covered_executives.set(covered_executives)
        record_action(
            actor=actor,
            verb="case-scope-recorded",
            obj=restatement,
            details={"covered_executives": sorted(x.key for x in covered_executives)},
        )
    return restatement


@transaction.atomic
def update_restatement(
    *,
    actor,
    restatement: Restatement,
    title: str,
    kind: str,
    description: str = "",
    covered_executives: Sequence[Executive] = (),
    policy_version: PolicyVersion | None = None,
    administering_body: str = "committee",
    reason: str = "",
    now: datetime | None = None,
) -> Restatement:
    """Change a restatement's facts. After sign-off a reason is required (it goes on the audit trail). The
    kind and the covered executives are inputs of the case: a change withdraws its approval at once."""
    check_may_change_inputs(actor, restatement)
    check_may_cover(actor, covered_executives)
    errors = _reason_errors(restatement, reason)
    restatement.title, restatement.kind, restatement.description = title, kind, description
    restatement.policy_version = policy_version
    restatement.administering_body = administering_body
    merge(errors, collect(lambda: restatement.full_clean()))
    merge(errors, _check_case_links(restatement.company, covered=covered_executives, policy=policy_version))
    if errors:
        raise ValidationError(errors)
    before = sorted(restatement.covered_executives.values_list("key", flat=True))
    after = sorted(x.key for x in covered_executives)
    with audit_context(actor=actor, reason=reason.strip() or None):
        restatement.save()
        if before != after:
            restatement.covered_executives.set(covered_executives)
            record_action(
                actor=actor,
                verb="case-scope-changed",
                obj=restatement,
                details={"covered_executives": [before, after]},
                reason=reason.strip(),
            )
    recheck_approvals(cases_affected_by(restatement), actor=actor, now=now)
    return restatement


def _clean_event(event: RestatementEvent) -> None:
    errors: dict[str, list[str]] = {}
    event.rationale = (event.rationale or "").strip()
    event.label = (event.label or "").strip()
    if event.kind == RestatementEvent.Kind.SHOULD_HAVE_CONCLUDED and not event.rationale:
        # A "reasonably should have concluded" date is a judgment; record why.
        errors["rationale"] = ["Explain why the company reasonably should have concluded on this date."]
    if event.kind == RestatementEvent.Kind.OTHER and not event.label:
        errors["label"] = ["Say what the other event was."]
    if event.kind != RestatementEvent.Kind.OTHER:
        event.label = ""
    merge(errors, collect(lambda: event.full_clean(validate_constraints=False)))
    if errors:
        raise ValidationError(errors)


def _save_event(
    event: RestatementEvent, *, actor, reason: str | None, now: datetime | None
) -> RestatementEvent:
    """Save a checked event; events are inputs of the case, so its approval is checked at once."""
    with audit_context(actor=actor, reason=reason):
        event.save()
    recheck_approvals(cases_affected_by(event), actor=actor, now=now)
    return event


@transaction.atomic
def add_restatement_event(
    *,
    actor,
    restatement: Restatement,
    kind: str,
    date: date,
    rationale: str = "",
    label: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> RestatementEvent:
    """Record a dated event; the earliest conclusion or direction sets the date the company was required to
    prepare the restatement (Rule 10D-1(b)(1)(ii)). Events are inputs of the case: a new one withdraws its
    approval at once."""
    check_may_change_inputs(actor, restatement)
    event = RestatementEvent(restatement=restatement, kind=kind, date=date, rationale=rationale, label=label)
    _clean_event(event)
    return _save_event(event, actor=actor, reason=reason or None, now=now)


@transaction.atomic
def update_restatement_event(
    *,
    actor,
    event: RestatementEvent,
    kind: str,
    date: date,
    rationale: str = "",
    label: str = "",
    reason: str = "",
    now: datetime | None = None,
) -> RestatementEvent:
    """Correct a recorded event; after sign-off with a reason. The change withdraws the case's approval at
    once when it moves an input (the kind or the date)."""
    check_may_change_inputs(actor, event)
    errors = _reason_errors(event.restatement, reason)
    event.kind, event.date, event.rationale, event.label = kind, date, rationale, label
    merge(errors, collect(lambda: _clean_event(event)))
    if errors:
        raise ValidationError(errors)
    return _save_event(event, actor=actor, reason=reason.strip() or None, now=now)


@transaction.atomic
def set_restated_values(
    *,
    actor,
    restatement: Restatement,
    values: Sequence[dict],
    reason: str = "",
    now: datetime | None = None,
) -> list[RestatedValue]:
    """Record the case's own restated figures: each item names a measure (a Measure) and its period label,
    with the restated figure and the document it comes from. A figure the case already has for that measure
    and period is changed; any other is added; none is removed (a restated value is voided with a reason).
    The figures are inputs of the case only: no other case reads them."""
    check_may_change_inputs(actor, restatement)
    errors = _reason_errors(restatement, reason)
    existing = {
        (r.value.measure_id, r.value.period_label): r
        for r in restatement.restated_values.select_related("value")
    }
    plan = []
    seen = set()
    for item in values:
        measure: Measure | None = item.get("measure")
        label = (item.get("period_label") or "").strip()
        if measure is None or not label:
            errors.setdefault("values", []).append("Every restated value needs a measure and a period.")
            continue
        name = f"{measure.name} {label}"
        if measure.company_id != restatement.company_id:
            errors.setdefault("values", []).append(f"{name}: the measure belongs to another company.")
            continue
        if (measure.pk, label) in seen:
            errors.setdefault("values", []).append(f"{name} is given more than once.")
            continue
        seen.add((measure.pk, label))
        original = MeasureValue.objects.filter(measure=measure, period_label=label).first()
        if original is None:
            errors.setdefault("values", []).append(
                f"{name}: record the value as first reported on the measure first, then its restated figure."
            )
            continue
        if item.get("restated") is None:
            errors.setdefault("values", []).append(f"{name}: give the restated figure.")
            continue
        row = existing.get((measure.pk, label)) or RestatedValue(restatement=restatement, value=original)
        data = {"restated": item["restated"], "source": (item.get("source") or "").strip()}
        probe = RestatedValue(restatement=restatement, value=original, **data)
        for message in collect(
            lambda probe=probe: probe.full_clean(exclude=["restatement", "value"], validate_constraints=False)
        ).values():
            errors.setdefault("values", []).extend(f"{name}: {m}" for m in message)
        plan.append((row, data))
    if errors:
        raise ValidationError(errors)
    saved = []
    with audit_context(actor=actor, reason=reason.strip() or None):
        for row, data in plan:
            if row.pk and (row.restated, row.source) == (data["restated"], data["source"]):
                saved.append(row)
                continue
            row.restated, row.source = data["restated"], data["source"]
            row.save()
            saved.append(row)
    recheck_approvals(cases_affected_by(restatement), actor=actor, now=now)
    return saved
