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
    ReasonableEstimate,
    Recusal,
    RestatedValue,
    Restatement,
    RestatementEvent,
)
from .review import InputsCheck, ensure_approval_current


def _past_draft(cases: QuerySet[Restatement], include_drafts: bool) -> QuerySet[Restatement]:
    # An approval rests only on a case past draft; a wall (`walls`) holds on drafts too.
    return cases if include_drafts else cases.exclude(status=Restatement.Status.DRAFT)


def cases_using_executives(
    executive_ids: Iterable[int], *, include_drafts: bool = False
) -> QuerySet[Restatement]:
    """The cases past draft (every case with `include_drafts`) whose inputs include these executives (their
    officer service and awards)."""
    cases = Restatement.objects.filter(covered_executives__in=list(executive_ids))
    return _past_draft(cases, include_drafts).distinct()


def _cases_using_measure(measure_id: int, *, include_drafts: bool = False) -> QuerySet[Restatement]:
    executives = Award.all_objects.filter(
        Q(measure_id=measure_id) | Q(components__measure_id=measure_id)
    ).values_list("executive_id", flat=True)
    restating = RestatedValue.all_objects.filter(value__measure_id=measure_id).values_list(
        "restatement_id", flat=True
    )
    cases = Restatement.objects.filter(Q(covered_executives__in=executives) | Q(pk__in=restating))
    return _past_draft(cases, include_drafts).distinct()


def cases_affected_by(record, *, include_drafts: bool = False) -> QuerySet[Restatement]:
    """The cases past draft (every case with `include_drafts`) whose engine inputs include `record` (an
    executive, officer period, measure, measure value, award, award component or credit, restatement, event,
    restated value or estimate). A record not saved yet is read by no case unless it hangs on one that is
    (a new award of a covered executive, a new event of a case)."""
    drafts = {"include_drafts": include_drafts}
    if isinstance(record, Executive):
        return cases_using_executives([record.pk], **drafts) if record.pk else Restatement.objects.none()
    if isinstance(record, OfficerPeriod | Award):
        return cases_using_executives([record.executive_id], **drafts)
    if isinstance(record, AwardComponent | AwardCredit):
        return cases_using_executives([record.award.executive_id], **drafts)
    if isinstance(record, Measure):
        return _cases_using_measure(record.pk, **drafts) if record.pk else Restatement.objects.none()
    if isinstance(record, MeasureValue):
        return _cases_using_measure(record.measure_id, **drafts)
    if isinstance(record, Restatement | RestatementEvent | RestatedValue | ReasonableEstimate):
        pk = record.pk if isinstance(record, Restatement) else record.restatement_id
        if pk is None:
            return Restatement.objects.none()
        return _past_draft(Restatement.objects.filter(pk=pk), include_drafts)
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
    # A member recused from a case never changes its inputs (`walls`), but may still reach it here (an import
    # rechecks every case of the company, and a change elsewhere, a fiscal period, may be caught up): the
    # approval is still withdrawn, and the new determination is left for a participating manager to freeze.
    return [
        ensure_approval_current(case, actor=None if case.pk in recused else actor, now=now) for case in cases
    ]
