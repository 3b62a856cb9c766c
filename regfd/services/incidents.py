"""Reg FD workflows. Each business action is one function, called by views, the API, admin and tasks."""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from compliance_site.audit.recorder import audit_context, record_action

from ..calendar_source import current_calendar
from ..deadlines import DeadlineInput, compute_deadline
from ..models import DeadlineComputation, Incident


def _next_reference(now: datetime) -> str:
    prefix = f"FD-{now:%Y}-"
    last = Incident.objects.filter(reference__startswith=prefix).order_by("-reference").first()
    number = int(last.reference.removeprefix(prefix)) + 1 if last else 1
    return f"{prefix}{number:04d}"


def apply_deadline(incident: Incident, *, calendar=None) -> bool:
    """Compute the incident's deadlines from T0 on the current calendar; True if anything changed."""
    try:
        deadline = compute_deadline(
            DeadlineInput(
                learned_at=incident.learned_at,
                intentional=incident.intentional,
                disclosed_at=incident.disclosed_at,
            ),
            calendar=calendar or current_calendar(),
        )
    except ValueError as exc:  # a time outside the calendar's years, or a naive time
        raise ValidationError({"learned_at": str(exc)}) from exc
    fields = ("outer_limit", "policy_target", "due_at", "calendar_version")
    before = [getattr(incident, name) for name in fields]
    incident.outer_limit = deadline.outer_limit_utc
    incident.policy_target = deadline.policy_target_utc
    incident.due_at = deadline.working_deadline_utc
    incident.calendar_version = deadline.calendar_version
    incident.rule_version = deadline.rule_version
    incident.deadline_explanation = deadline.explanation
    return before != (
        incident.outer_limit,
        incident.policy_target,
        incident.due_at,
        incident.calendar_version,
    )


def _record_deadline(incident: Incident, *, now: datetime, reason: str) -> DeadlineComputation:
    return DeadlineComputation.objects.create(
        incident=incident,
        computed_at=now,
        reason=reason,
        learned_at=incident.learned_at,
        outer_limit=incident.outer_limit,
        policy_target=incident.policy_target,
        due_at=incident.due_at,
        calendar_version=incident.calendar_version,
        rule_version=incident.rule_version,
    )


@transaction.atomic
def open_incident(
    *,
    actor,
    now: datetime,
    title: str,
    disclosed_by: str,
    recipient_name: str,
    recipient_category: str,
    information: str,
    disclosed_at: datetime,
    learned_at: datetime,
    learned_by: str,
    recipient_firm: str = "",
    intentional: bool = False,
) -> Incident:
    """Log a selective disclosure and compute its public-disclosure deadline (policy I.B)."""
    if learned_at < disclosed_at:
        raise ValidationError({"learned_at": "A disclosure cannot be learned of before it was made."})
    if disclosed_at > now:
        raise ValidationError({"disclosed_at": "The disclosure time is in the future."})
    incident = Incident(
        reference=_next_reference(now),
        title=title,
        disclosed_by=disclosed_by,
        recipient_name=recipient_name,
        recipient_firm=recipient_firm,
        recipient_category=recipient_category,
        information=information,
        disclosed_at=disclosed_at,
        learned_at=learned_at,
        learned_by=learned_by,
        intentional=intentional,
        reported_by=actor,
    )
    apply_deadline(incident)
    incident.full_clean()
    with audit_context(actor=actor):
        incident.save()
    _record_deadline(incident, now=now, reason="Incident logged")
    return incident


@transaction.atomic
def record_public_disclosure(
    *, actor, incident: Incident, disclosed_at: datetime, method: str, reference: str = ""
) -> Incident:
    """Record the public disclosure that cured the selective one: on time if by the working deadline."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != Incident.Status.OPEN:
        raise ValidationError("This incident is already closed.")
    if disclosed_at < incident.disclosed_at:
        raise ValidationError(
            {"disclosed_at": "The public disclosure cannot precede the selective disclosure."}
        )
    incident.public_disclosure_at = disclosed_at
    incident.public_disclosure_method = method
    incident.public_disclosure_reference = reference
    incident.status = Incident.Status.DISCLOSED
    incident.outcome = Incident.Outcome.ON_TIME if disclosed_at <= incident.due_at else Incident.Outcome.LATE
    incident.full_clean()
    with audit_context(actor=actor):
        incident.save()
        record_action(actor=actor, verb="record_public_disclosure", obj=incident, details={"method": method})
    return incident


@transaction.atomic
def close_not_required(*, actor, incident: Incident, reason: str) -> Incident:
    """Close an incident whose information was not material or fell under an exclusion, with the reason."""
    incident = Incident.objects.select_for_update().get(pk=incident.pk)
    if incident.status != Incident.Status.OPEN:
        raise ValidationError("This incident is already closed.")
    if not reason.strip():
        raise ValidationError({"reason": "Say why public disclosure is not required."})
    incident.status = Incident.Status.NOT_REQUIRED
    incident.outcome = Incident.Outcome.NOT_REQUIRED
    incident.closed_reason = reason
    incident.full_clean()
    with audit_context(actor=actor):
        incident.save()
    return incident


@transaction.atomic
def recompute_open_deadlines(*, actor, now: datetime, reason: str) -> list[Incident]:
    """Recompute every open incident's deadline on the current calendar (after a calendar edit); each one
    that moves is saved with the reason and a new DeadlineComputation row. Returns the incidents moved."""
    calendar = current_calendar()
    moved = []
    for incident in Incident.objects.select_for_update().filter(status=Incident.Status.OPEN).order_by("id"):
        if apply_deadline(incident, calendar=calendar):
            with audit_context(actor=actor, reason=reason):
                incident.save()
            _record_deadline(incident, now=now, reason=reason)
            moved.append(incident)
    return moved
