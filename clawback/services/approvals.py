"""Keeping approvals honest: a change to any input of a case withdraws the approval resting on the old inputs
in the same transaction (policy "Administration"; docs/clawback-rules, "Approval and changed inputs")."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from django.db.models import Q, QuerySet
from django.utils import timezone

from ..models import (
    Award,
    AwardComponent,
    AwardCredit,
    Executive,
    Measure,
    MeasureValue,
    OfficerPeriod,
    Recusal,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from .review import InputsCheck, ensure_approval_current


def cases_using_executives(executive_ids: Iterable[int]) -> QuerySet[Restatement]:
    """The cases past draft whose inputs include these executives (their officer service and awards)."""
    return (
        Restatement.objects.filter(covered_executives__in=list(executive_ids))
        .exclude(status=Restatement.Status.DRAFT)
        .distinct()
    )


def _cases_using_measure(measure_id: int) -> QuerySet[Restatement]:
    executives = Award.all_objects.filter(
        Q(measure_id=measure_id) | Q(components__measure_id=measure_id)
    ).values_list("executive_id", flat=True)
    restating = RestatedValue.all_objects.filter(value__measure_id=measure_id).values_list(
        "restatement_id", flat=True
    )
    return (
        Restatement.objects.filter(Q(covered_executives__in=executives) | Q(pk__in=restating))
        .exclude(status=Restatement.Status.DRAFT)
        .distinct()
    )


def cases_affected_by(record) -> QuerySet[Restatement]:
    """The cases past draft whose engine inputs include `record` (an executive, officer period, measure,
    measure value, award, award component or credit, restatement, event or restated value)."""
    if isinstance(record, Executive):
        return cases_using_executives([record.pk])
    if isinstance(record, OfficerPeriod | Award):
        return cases_using_executives([record.executive_id])
    if isinstance(record, AwardComponent | AwardCredit):
        return cases_using_executives([record.award.executive_id])
    if isinstance(record, Measure):
        return _cases_using_measure(record.pk)
    if isinstance(record, MeasureValue):
        return _cases_using_measure(record.measure_id)
    if isinstance(record, Restatement | RestatementEvent | RestatedValue):
        pk = record.pk if isinstance(record, Restatement) else record.restatement_id
        return Restatement.objects.filter(pk=pk).exclude(status=Restatement.Status.DRAFT)
    return Restatement.objects.none()


def recheck_approvals(cases: QuerySet[Restatement], *, actor, now: datetime | None) -> list[InputsCheck]:
    """ "Any later change to an input invalidates the approval and requires a new one". Called in the
    transaction of the change, so the approval is withdrawn (audited, with what changed) the moment an input
    changes, not at the next workflow action: `ensure_approval_current` on each case."""
    # A service called without a clock (a shell, a data fix) is checked at the time of the call.
    now = now or timezone.now()
    cases = list(cases.order_by("pk"))
    recused = set()
    if actor is not None and cases:
        recused = set(
            Recusal.objects.filter(restatement__in=cases, user=actor).values_list("restatement_id", flat=True)
        )
    # A member recused from a case may keep the company's records, but takes no part in the case: the
    # approval is still withdrawn, and the new determination is left for a participating manager to freeze.
    return [
        ensure_approval_current(case, actor=None if case.pk in recused else actor, now=now) for case in cases
    ]
