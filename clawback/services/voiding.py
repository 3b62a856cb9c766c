"""Voiding a mistaken record with a reason: it leaves every list, drop-down and computation and stays in the
history (who, when, why). A record something live still rests on cannot go first: the message says what to
void or change before it. Voiding an input is a change of it: refused first to anyone walled from a case
reading it (`walls`)."""

from __future__ import annotations

import functools
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.voiding import void_record

from ..models import (
    Award,
    AwardComponent,
    AwardCredit,
    Executive,
    Measure,
    MeasureValue,
    OfficerPeriod,
    ReasonableEstimate,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from .approvals import cases_affected_by, recheck_approvals
from .executives import check_service_history
from .walls import check_may_change_inputs

SIGNED_OFF = "The case is signed off: the approval resting on this record is withdrawn when it is voided."


def _keys(*querysets) -> str:
    return ", ".join(sorted({key for qs in querysets for key in qs.values_list("key", flat=True)}))


def _refuse_if(condition, message: str) -> None:
    if condition:
        raise ValidationError(message)


def _void(record, *, actor, reason: str, now: datetime, cases=None):
    """Void `record` and withdraw the approvals resting on it: those of `cases`, by default the cases it is an
    input of (`approvals.cases_affected_by`)."""
    if cases is None:
        cases = cases_affected_by(record)
    void_record(record, actor=actor, reason=reason, now=now)
    recheck_approvals(cases, actor=actor, now=now)
    return record


def _voids(record: str):
    """A void service: one transaction, refused first to anyone walled from a case the record (its keyword
    argument `record`) is an input of, so no refusal below ever names to them what rests on it."""

    def decorate(service):
        @functools.wraps(service)
        @transaction.atomic
        def void(*, actor, **kwargs):
            check_may_change_inputs(actor, kwargs[record])
            return service(actor=actor, **kwargs)

        return void

    return decorate


def _cases_before(record):
    """The cases `record` is an input of, read before voiding takes it out of what they are read from."""
    return Restatement.objects.filter(pk__in=list(cases_affected_by(record).values_list("pk", flat=True)))


@_voids("executive")
def void_executive(*, actor, executive: Executive, reason: str, now: datetime) -> Executive:
    awards = Award.objects.filter(executive=executive)
    _refuse_if(awards.exists(), f"{executive.name} still has awards ({_keys(awards)}): void them first.")
    cases = Restatement.objects.filter(covered_executives=executive).exclude(status=Restatement.Status.DRAFT)
    _refuse_if(
        cases.exists(),
        f"{executive.name} is covered by a case past draft ({', '.join(c.title for c in cases)}): "
        "take them off "
        "the case first.",
    )
    return _void(executive, actor=actor, reason=reason, now=now, cases=_cases_before(executive))


@_voids("period")
def void_officer_period(*, actor, period: OfficerPeriod, reason: str, now: datetime) -> OfficerPeriod:
    rest = [{"start": p.start, "end": p.end} for p in period.executive.officer_periods.exclude(pk=period.pk)]
    check_service_history(rest)  # never leaves an executive with no service on record
    return _void(period, actor=actor, reason=reason, now=now)


@_voids("measure")
def void_measure(*, actor, measure: Measure, reason: str, now: datetime) -> Measure:
    awards = Award.objects.filter(measure=measure)
    goals = Award.objects.filter(components__measure=measure, components__voided_at__isnull=True)
    _refuse_if(
        awards.exists() or goals.exists(),
        f"Awards {_keys(awards, goals)} are measured on {measure.name}: void or change them first.",
    )
    restated = RestatedValue.objects.filter(value__measure=measure)
    _refuse_if(restated.exists(), f"A case restates {measure.name}: void its restated values first.")
    void_record(measure, actor=actor, reason=reason, now=now)
    return measure


@_voids("value")
def void_measure_value(*, actor, value: MeasureValue, reason: str, now: datetime) -> MeasureValue:
    awards = Award.objects.filter(measure_id=value.measure_id, measure_period=value.period_label)
    goals = Award.objects.filter(
        components__measure_id=value.measure_id,
        components__measure_period=value.period_label,
        components__voided_at__isnull=True,
    )
    _refuse_if(
        awards.exists() or goals.exists(),
        f"Awards {_keys(awards, goals)} are measured on {value.period_label}: void or change them first.",
    )
    restated = RestatedValue.objects.filter(value=value)
    _refuse_if(
        restated.exists(),
        f"A case restates {value.measure.name} {value.period_label}: void its restated value first.",
    )
    void_record(value, actor=actor, reason=reason, now=now)
    return value


@_voids("award")
def void_award(*, actor, award: Award, reason: str, now: datetime) -> Award:
    estimates = ReasonableEstimate.objects.filter(award=award)
    _refuse_if(estimates.exists(), f"The committee's estimate for {award.key} must be voided first.")
    return _void(award, actor=actor, reason=reason, now=now, cases=_cases_before(award))


@_voids("component")
def void_award_component(*, actor, component: AwardComponent, reason: str, now: datetime) -> AwardComponent:
    others = component.award.components.exclude(pk=component.pk)
    _refuse_if(not others.exists(), "A scorecard award needs at least one goal: void the award instead.")
    return _void(component, actor=actor, reason=reason, now=now)


@_voids("credit")
def void_award_credit(*, actor, credit: AwardCredit, reason: str, now: datetime) -> AwardCredit:
    return _void(credit, actor=actor, reason=reason, now=now)


@_voids("event")
def void_restatement_event(*, actor, event: RestatementEvent, reason: str, now: datetime) -> RestatementEvent:
    return _void(event, actor=actor, reason=reason, now=now)


@_voids("restated")
def void_restated_value(*, actor, restated: RestatedValue, reason: str, now: datetime) -> RestatedValue:
    return _void(restated, actor=actor, reason=reason, now=now)


@_voids("estimate")
def void_estimate(*, actor, estimate: ReasonableEstimate, reason: str, now: datetime) -> ReasonableEstimate:
    case = Restatement.objects.filter(pk=estimate.restatement_id).exclude(status=Restatement.Status.DRAFT)
    return _void(estimate, actor=actor, reason=reason, now=now, cases=case)
