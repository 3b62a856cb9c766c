"""The committee's reasonable estimates, for stock price and TSR awards and awards it designates
(Rule 10D-1(b)(1)(iii)(A); policy "Erroneously Awarded Compensation"; docs/clawback-rules §1.7)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context, record_action

from ..models import (
    Award,
    ReasonableEstimate,
    Restatement,
)
from ..recovery import ESTIMATE_CATEGORIES, INCENTIVE_BASIS
from .review import (
    S,
    _case_step,
    _lock,
    _not_future,
    _participant,
    _require_status,
    ensure_approval_current,
    ensure_approvals_current,
    exchange_date,
)
from .walls import check_may_change_inputs


def needs_estimate(award: Award) -> bool:
    """Stock price and TSR measures always need a reasonable estimate (Rule 10D-1(b)(1)(iii)(A)); any other
    award does once the committee designated it (policy, "In all other instances")."""
    return award.requires_estimate or bool(estimate_measures(award))


def estimate_measures(award: Award) -> list:
    """The measures of an award whose restated value cannot be recalculated (stock price, TSR): its own
    measure, or a scorecard's measure goals. For a designated scorecard award, every measure goal."""
    if award.is_scorecard:
        goals = [c.measure for c in award.components.all() if c.measure_id]
        if award.requires_estimate:
            return goals
        return [m for m in goals if m.category in ESTIMATE_CATEGORIES]
    if award.measure is not None and award.measure.category in ESTIMATE_CATEGORIES:
        return [award.measure]
    return []


def _document_lines(text: str) -> tuple[str, ...]:
    return tuple(line.strip() for line in text.splitlines() if line.strip())


def _case_award(case: Restatement, award: Award) -> Award:
    award = Award.objects.select_related("executive", "measure").filter(pk=award.pk).first()
    if award is None or not case.covered_executives.filter(pk=award.executive_id).exists():
        raise ValidationError({"award": "This award is not one of the case's covered executives' awards."})
    return award


def record_estimate(
    *,
    actor,
    case: Restatement,
    award: Award,
    restated_value: Decimal | None = None,
    restated_values: dict | None = None,
    method: str,
    documents: str,
    adopted_on: date,
    provided_to_exchange_on: date | None = None,
    now: datetime,
) -> ReasonableEstimate:
    """Record (or replace) the committee's reasonable estimate of the restatement's effect on an award's
    measure: stock price or TSR, or an award it designated (Rule 10D-1(b)(1)(iii)(A); policy "Erroneously
    Awarded Compensation"). The method and supporting documents must be kept and provided to the exchange;
    approval waits for the date they were."""
    check_may_change_inputs(actor, case)
    with _case_step(actor, case, S.DRAFT, S.REVIEW, action="record an estimate", now=now) as case:
        award = _case_award(case, award)
        errors: dict[str, list[str]] = {}
        if not needs_estimate(award):
            errors["award"] = [
                "This award's measure can be recalculated from the restatement; designate it first if the "
                "amount cannot be determined directly."
            ]
        restated_values = {k: v for k, v in (restated_values or {}).items() if v not in (None, "")}
        if award.is_scorecard:
            wanted = {m.key: m.name for m in estimate_measures(award)} or {
                c.measure.key: c.measure.name for c in award.components.all() if c.measure_id
            }
            missing = [name for key, name in wanted.items() if key not in restated_values]
            if missing:
                errors["restated_values"] = [f"Give the estimated restated {name}." for name in missing]
            restated_values = {k: str(Decimal(str(v))) for k, v in restated_values.items() if k in wanted}
            restated_value = None
        elif restated_value is None:
            errors["restated_value"] = ["Give the estimated restated value of the measure."]
        if not method.strip():
            errors["method"] = ["Describe how the estimate was determined."]
        if not _document_lines(documents):
            errors["documents"] = ["List the supporting documents, one per line."]
        _not_future(adopted_on, field="adopted_on", now=now, errors=errors)
        if provided_to_exchange_on is not None:
            _not_future(provided_to_exchange_on, field="provided_to_exchange_on", now=now, errors=errors)
            if provided_to_exchange_on < adopted_on:
                errors.setdefault("provided_to_exchange_on", []).append(
                    "The documentation cannot be provided before the estimate was adopted."
                )
        if errors:
            raise ValidationError(errors)
        estimate = ReasonableEstimate.objects.filter(
            restatement=case, award=award
        ).first() or ReasonableEstimate(restatement=case, award=award, recorded_by=actor)
        estimate.restated_value = restated_value
        estimate.restated_values = restated_values if award.is_scorecard else {}
        estimate.method = method.strip()
        estimate.documents = "\n".join(_document_lines(documents))
        estimate.adopted_on = adopted_on
        estimate.provided_to_exchange_on = provided_to_exchange_on
        estimate.recorded_by = actor
        estimate.full_clean()
        with audit_context(actor=actor):
            estimate.save()
    # The estimate is an input: the determination under review is recomputed with it.
    ensure_approval_current(case, actor=actor, now=now)
    return estimate


def designate_not_determinable(
    *, actor, case: Restatement, award: Award, reason: str, now: datetime
) -> Award:
    """The committee concludes an award's amount cannot be determined directly from the restatement: it
    will rest on a reasonable estimate (policy, "In all other instances"). Recorded on the award with why.
    The flag is an input of every case covering the executive: refused to anyone walled from any of them."""
    check_may_change_inputs(actor, case)
    check_may_change_inputs(actor, award)
    _participant(actor, case)
    check = ensure_approval_current(case, actor=actor, now=now)
    if not reason.strip():
        raise ValidationError({"reason": "Say why the amount cannot be determined from the restatement."})
    with transaction.atomic():
        case = _lock(case)
        _require_status(case, S.DRAFT, S.REVIEW, action="designate an award", check=check)
        award = _case_award(case, award)
        if award.basis != INCENTIVE_BASIS or (award.measure_id is None and not award.is_scorecard):
            raise ValidationError(
                {"award": "Only incentive-based awards tied to a measure can be designated."}
            )
        if needs_estimate(award):
            raise ValidationError({"award": "This award already rests on a reasonable estimate."})
        award = Award.objects.select_for_update().get(pk=award.pk)
        note = f"{exchange_date(now).isoformat()}: designated for a reasonable estimate ({case}): "
        note += reason.strip()
        award.requires_estimate = True
        award.notes = f"{award.notes}\n{note}".strip()
        award.full_clean()
        with audit_context(actor=actor, reason=reason.strip()[:1000]):
            award.save()
            record_action(
                actor=actor,
                verb="designate_not_determinable",
                obj=award,
                details={"restatement": case.pk},
                reason=reason.strip()[:1000],
            )
    # The flag is an input of every case covering the executive, not only this one.
    ensure_approvals_current(
        Restatement.objects.filter(covered_executives=award.executive_id).exclude(status=S.DRAFT).distinct(),
        actor=actor,
        now=now,
    )
    return award
